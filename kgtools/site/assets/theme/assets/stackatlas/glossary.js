/*
 * Stack Atlas glossary: narrows the list by scheme (a select) and by text (an input), in place.
 *
 * The entries, their order (pinyin or alphabetical, fixed at build time) and
 * their search text come with the page (kgtools/site/pages/glossary.py); this
 * only hides and shows them and writes the count, through textContent. The
 * filter state lives in the URL's query (?scheme=…&q=…) so a view can be linked.
 *
 * Entries sit in one <details> group per initial letter, with a bar of the
 * letters above. On a phone the groups start folded (the page was some
 * 240,000 px tall there); a letter of the bar, or a link to #sa-glossary-x,
 * opens its group. While a filter is set, every group holding a match is open
 * and the others (and their letters) are hidden; clearing it folds them again.
 */
(function () {
  "use strict";

  var form = document.getElementById("sa-glossary-filter");
  var list = document.getElementById("sa-glossary");
  if (!form || !list) return;
  var scheme = document.getElementById("sa-glossary-scheme");
  var text = document.getElementById("sa-glossary-text");
  var count = document.getElementById("sa-glossary-count");
  var none = document.getElementById("sa-glossary-none");
  var entries = Array.prototype.slice.call(list.querySelectorAll(".sa-glossary__entry"));
  var groups = Array.prototype.slice.call(list.querySelectorAll(".sa-glossary__group"));
  var jumps = Array.prototype.slice.call(document.querySelectorAll("#sa-glossary-jump a"));
  var phone = window.matchMedia("(max-width: 44.9375em)");
  var filtering = null;  // whether the last apply() had a filter set (null before the first)

  function foldAll() {
    groups.forEach(function (group) { group.open = !phone.matches; });
  }

  function openTarget() {
    var target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    var group = target && target.closest ? target.closest(".sa-glossary__group") : null;
    if (group) group.open = true;
  }

  function showGroups(filtered) {
    groups.forEach(function (group) {
      var visible = group.querySelectorAll(".sa-glossary__entry:not([hidden])").length;
      group.hidden = visible === 0;
      group.querySelector(".sa-glossary__size").textContent = String(visible);
      if (filtered) group.open = visible > 0;
    });
    jumps.forEach(function (link) {
      var group = document.getElementById(link.getAttribute("data-group"));
      link.hidden = !group || group.hidden;
    });
    if (filtered !== filtering) {
      if (!filtered) { foldAll(); openTarget(); }
      filtering = filtered;
    }
  }

  function apply() {
    var wanted = scheme.value;
    var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    entries.forEach(function (entry) {
      var inScheme = !wanted || entry.getAttribute("data-schemes").split(" ").indexOf(wanted) !== -1;
      var haystack = entry.getAttribute("data-text");
      var matches = inScheme && words.every(function (w) { return haystack.indexOf(w) !== -1; });
      entry.hidden = !matches;
      if (matches) shown += 1;
    });
    count.textContent = window.stackAtlasDom.fmt(count.getAttribute("data-template"),
                                                 { shown: shown, total: entries.length });
    none.hidden = shown !== 0;
    showGroups(!!wanted || words.length > 0);
    var url = new URL(window.location.href);
    if (wanted) url.searchParams.set("scheme", wanted); else url.searchParams.delete("scheme");
    if (text.value) url.searchParams.set("q", text.value); else url.searchParams.delete("q");
    window.history.replaceState(null, "", url.href);
  }

  var params = new URL(window.location.href).searchParams;
  if (params.get("scheme") && scheme.querySelector('option[value="' + CSS.escape(params.get("scheme")) + '"]'))
    scheme.value = params.get("scheme");
  if (params.get("q")) text.value = params.get("q");
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  scheme.addEventListener("change", apply);
  text.addEventListener("input", apply);
  // A letter of the bar opens its group before the browser scrolls to it; so does any link to a group.
  window.addEventListener("hashchange", openTarget);
  jumps.forEach(function (link) {
    link.addEventListener("click", function () {
      var group = document.getElementById(link.getAttribute("data-group"));
      if (group) group.open = true;
    });
  });
  apply();
})();
