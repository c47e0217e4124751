/*
 * Stack Atlas glossary: narrows the list by scheme (a select) and by text (an input), in place.
 *
 * The entries, their order (pinyin or alphabetical, fixed at build time) and
 * their search text come with the page (kgtools/site/pages/glossary.py); this
 * only hides and shows them and writes the count, through textContent. The
 * filter state lives in the URL's query (?scheme=…&q=…) so a view can be linked.
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
  apply();
})();
