/*
 * Stack Atlas finder: combinable facets over the technologies or cases (kgtools/site/pages/finder.py).
 *
 * The page names a JSON file holding the facets (key, label, values) and every
 * item's facet values. Within a facet any ticked value matches; across facets
 * all must. The count beside a value is how many items the other facets'
 * choices leave that have this value (so ticking it shows that many, or adds
 * that many within its own facet). The state lives in the query string
 * (`?category=a&category=b&license=MIT`), so a view can be linked and
 * restored. Every string from the data reaches the page through textContent.
 *
 * Cards come a page at a time (PAGE: fewer on a phone, where two hundred cards
 * made the page some 43,000 px tall); a button after the last one adds the next
 * page in place and says how many are left, so every match stays one click away.
 * Changing a facet starts again from the first page.
 */
(function () {
  "use strict";
  var fmt = window.stackAtlasDom.fmt, el = window.stackAtlasDom.el;  // dom.js

  var root = document.getElementById("sa-finder");
  if (!root) return;
  var text = JSON.parse(document.getElementById("sa-finder-text").textContent);
  var facetBox = document.getElementById("sa-finder-facets");
  var bar = document.getElementById("sa-finder-bar");
  var grid = document.getElementById("sa-finder-grid");
  var comparePage = root.getAttribute("data-compare");
  var api = (window.stackAtlasFinder = { ready: false });
  var SHOWN = 8;  // values per facet before "more"
  var PAGE = window.matchMedia("(max-width: 44.9375em)").matches ? 12 : 30;  // cards at first and per "show more"
  var MAX_COMPARE = 4;

  function safeHref(url) {
    return /^[a-z][a-z0-9+.-]*:/i.test(url) ? "#" : url;  // pages of this site only, never javascript:
  }

  function readState(facets) {
    var params = new URLSearchParams(window.location.search);
    var state = {};
    facets.forEach(function (f) {
      var known = {};
      f.values.forEach(function (v) { known[v.key] = true; });
      state[f.key] = {};
      params.getAll(f.key).forEach(function (v) { if (known[v]) state[f.key][v] = true; });
    });
    return state;
  }

  function writeState(facets, state) {
    var params = new URLSearchParams();
    facets.forEach(function (f) {
      Object.keys(state[f.key]).sort().forEach(function (v) { params.append(f.key, v); });
    });
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }

  function has(item, facet, value) {
    return (item.f[facet] || []).indexOf(value) !== -1;
  }

  function matches(item, facets, state, except) {
    for (var i = 0; i < facets.length; i++) {
      var key = facets[i].key;
      if (key === except) continue;
      var chosen = Object.keys(state[key]);
      if (!chosen.length) continue;
      if (!chosen.some(function (v) { return has(item, key, v); })) return false;
    }
    return true;
  }

  function count(items, facets, state, facet, value) {
    var n = 0;
    items.forEach(function (item) { if (has(item, facet, value) && matches(item, facets, state, facet)) n++; });
    return n;
  }

  function start(data) {
    var facets = data.facets, items = data.items;
    var state = readState(facets);
    var picked = [];
    var boxes = [];  // {facet, value, input, label, count}

    // Facets, built once in the order of their overall counts; only counts and states change later.
    // On a phone they fold away under "Filters" so the cards come first.
    var fold = el("details", "sa-finder__filters");
    fold.appendChild(el("summary", null, text["finder.filters"]));
    fold.open = window.matchMedia("(min-width: 45em)").matches;
    facetBox.appendChild(fold);
    facets.forEach(function (facet) {
      if (!facet.values.length) return;
      var empty = {};
      facets.forEach(function (f) { empty[f.key] = {}; });
      var order = facet.values.map(function (v) { return { v: v, n: count(items, facets, empty, facet.key, v.key) }; });
      if (!facet.ordered) {
        order.sort(function (a, b) { return b.n - a.n || (a.v.label < b.v.label ? -1 : a.v.label > b.v.label ? 1 : 0); });
      }
      var set = el("fieldset", "sa-finder__facet");
      set.setAttribute("data-facet", facet.key);
      set.appendChild(el("legend", null, facet.label));
      var list = el("ul", "sa-finder__values"), more = el("ul", "sa-finder__values");
      order.forEach(function (entry, i) {
        var li = el("li", "sa-finder__value");
        var label = el("label");
        var input = el("input");
        input.type = "checkbox";
        input.setAttribute("data-facet", facet.key);
        input.setAttribute("data-value", entry.v.key);
        input.checked = !!state[facet.key][entry.v.key];
        var name = el("span", "sa-finder__name", entry.v.label);
        var n = el("span", "sa-finder__count", "");
        label.appendChild(input);
        label.appendChild(name);
        label.appendChild(n);
        li.appendChild(label);
        (i < SHOWN || input.checked ? list : more).appendChild(li);
        boxes.push({ facet: facet.key, value: entry.v.key, input: input, li: li, count: n });
        input.addEventListener("change", function () {
          if (input.checked) state[facet.key][entry.v.key] = true;
          else delete state[facet.key][entry.v.key];
          update();
        });
      });
      set.appendChild(list);
      if (more.childNodes.length) {
        var details = el("details", "sa-finder__more");
        details.appendChild(el("summary", null, fmt(text["finder.more"], { n: more.childNodes.length })));
        details.appendChild(more);
        set.appendChild(details);
      }
      fold.appendChild(set);
    });

    function card(item) {
      var li = el("li", "sa-card");
      li.setAttribute("data-id", item.id);
      var title = el("h3", "sa-card__title");
      var link = el("a", "sa-card__link", item.label);
      link.href = safeHref(item.url);
      title.appendChild(link);
      li.appendChild(title);
      if (item.chips.length) {
        var chips = el("p", "sa-card__chips");
        item.chips.forEach(function (c) { chips.appendChild(el("span", "sa-tag", c)); });
        li.appendChild(chips);
      }
      if (item.summary) li.appendChild(el("p", "sa-card__summary", item.summary));
      if (comparePage) {
        var label = el("label", "sa-card__compare");
        var input = el("input");
        input.type = "checkbox";
        input.checked = picked.indexOf(item.id) !== -1;
        input.addEventListener("change", function () {
          var at = picked.indexOf(item.id);
          if (input.checked && at === -1) {
            if (picked.length >= MAX_COMPARE) { input.checked = false; showBar(fmt(text["finder.compare.limit"], { n: MAX_COMPARE })); return; }
            picked.push(item.id);
          } else if (!input.checked && at !== -1) {
            picked.splice(at, 1);
          }
          showBar();
        });
        label.appendChild(input);
        label.appendChild(el("span", null, text["finder.compare"]));
        li.appendChild(label);
      }
      return li;
    }

    var cards = {};
    items.forEach(function (item) { cards[item.id] = card(item); });
    var shown = 0;
    var matched = [];   // the items the facets leave, in order
    var listed = 0;     // how many of them have a card in the grid

    // The next page of cards, in place, then a button for the rest while any are left.
    function more() {
      var button = grid.querySelector(".sa-finder__next");
      if (button) grid.removeChild(button);
      matched.slice(listed, listed + PAGE).forEach(function (item) { grid.appendChild(cards[item.id]); listed++; });
      var left = matched.length - listed;
      if (left > 0) {
        var li = el("li", "sa-finder__next");
        var next = el("button", "md-button sa-finder__more-cards",
                      fmt(text["finder.more_cards"], { n: Math.min(PAGE, left), left: left }));
        next.type = "button";
        next.addEventListener("click", function () {
          var at = listed;
          more();
          var link = grid.children[at] && grid.children[at].querySelector("a");
          if (link) link.focus({ preventScroll: true });   // keyboard and screen readers go on from the new cards
        });
        li.appendChild(next);
        grid.appendChild(li);
      }
    }

    function showBar(message) {
      while (bar.firstChild) bar.removeChild(bar.firstChild);
      bar.appendChild(el("span", "sa-finder__shown", fmt(text["finder.shown"], { n: shown, total: items.length })));
      var any = facets.some(function (f) { return Object.keys(state[f.key]).length; });
      if (any) {
        var clear = el("button", "md-button sa-finder__clear", text["finder.clear"]);
        clear.type = "button";
        clear.addEventListener("click", function () {
          facets.forEach(function (f) { state[f.key] = {}; });
          boxes.forEach(function (b) { b.input.checked = false; });
          update();
        });
        bar.appendChild(clear);
      }
      if (comparePage && picked.length >= 2) {
        var go = el("a", "md-button md-button--primary sa-finder__compare", fmt(text["finder.compare.go"], { n: picked.length }));
        go.href = safeHref(comparePage) + "?t=" + picked.map(encodeURIComponent).join(",");
        bar.appendChild(go);
      }
      if (message) bar.appendChild(el("span", "sa-finder__message", message));
    }

    function update() {
      writeState(facets, state);
      boxes.forEach(function (b) {
        var n = count(items, facets, state, b.facet, b.value);
        b.count.textContent = String(n);
        b.li.classList.toggle("sa-finder__value--empty", n === 0 && !b.input.checked);
      });
      while (grid.firstChild) grid.removeChild(grid.firstChild);
      matched = items.filter(function (item) { return matches(item, facets, state, null); });
      shown = matched.length;
      listed = 0;
      if (shown) more(); else grid.appendChild(el("li", "sa-empty", text["finder.none"]));
      showBar();
    }

    update();
    api.ready = true;
    root.setAttribute("data-ready", "true");
  }

  var src = root.getAttribute("data-src");
  fetch(src).then(function (r) {
    if (!r.ok) throw new Error(r.status);
    return r.json();
  }).then(start, function () {
    bar.appendChild(el("p", "sa-empty", fmt(text["analysis.load_failed"], { url: src })));
  });
})();
