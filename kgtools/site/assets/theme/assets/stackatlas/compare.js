/*
 * Stack Atlas: technologies side by side (kgtools/site/pages/side_by_side.py).
 *
 * The reader picks two to four technologies; `?t=a,b,c` holds the choice, so a
 * comparison can be linked. Each technology's facts, relations and figures are
 * one JSON file beside the page, fetched when picked. Figures keep their own
 * source: a cell holding figures that differ says so. Every string from the
 * data reaches the page through textContent.
 */
(function () {
  "use strict";
  var fmt = window.stackAtlasDom.fmt, el = window.stackAtlasDom.el;  // dom.js

  var root = document.getElementById("sa-compare");
  if (!root) return;
  var text = JSON.parse(document.getElementById("sa-compare-text").textContent);
  var choices = JSON.parse(document.getElementById("sa-compare-choices-data").textContent);
  var form = document.getElementById("sa-compare-pick");
  var input = document.getElementById("sa-compare-input");
  var list = document.getElementById("sa-compare-choices");
  var chosenBox = document.getElementById("sa-compare-chosen");
  var note = document.getElementById("sa-compare-note");
  var tableBox = document.getElementById("sa-compare-table");
  var src = root.getAttribute("data-src");
  var api = (window.stackAtlasCompare = { ready: false });
  var MAX = text.max;
  var FACTS = ["license", "latest", "as_of", "version", "category", "written_in", "developer"];
  var RELATIONS = ["depends_on", "integrates_with", "implements", "alternative_to", "successor_of", "part_of",
                   "fork_of", "compatible_with", "used_in"];

  var byId = {}, byLabel = {};
  choices.forEach(function (c) {
    byId[c.id] = c;
    byLabel[c.label.toLowerCase()] = c.id;
    var option = el("option");
    option.value = c.label;
    list.appendChild(option);
  });

  function safeHref(url) {
    return /^[a-z][a-z0-9+.-]*:/i.test(url) ? "#" : url;
  }

  function readPicked() {
    var raw = new URLSearchParams(window.location.search).getAll("t").join(",");  // ?t=a,b and ?t=a&t=b alike
    var out = [];
    raw.split(",").forEach(function (id) {
      if (byId[id] && out.indexOf(id) === -1 && out.length < MAX) out.push(id);
    });
    return out;
  }

  var picked = readPicked();
  var cache = {};

  function writePicked() {
    var query = picked.length ? "?t=" + picked.map(encodeURIComponent).join(",") : "";
    window.history.replaceState(null, "", window.location.pathname + query);
  }

  function load(id) {
    if (!cache[id]) {
      cache[id] = fetch(src + encodeURIComponent(id) + ".json").then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
    }
    return cache[id];
  }

  function ref(item) {
    if (!item.url) return el("span", null, item.label);
    var a = el("a", null, item.label);
    a.href = safeHref(item.url);
    return a;
  }

  // A cell lists at most SHOWN items; the rest fold into a <details> that opens in place, so one technology
  // with 40 integrations does not make the row a screen tall (folding fewer than two saves nothing).
  var SHOWN = 8;

  function refItems(items) {
    var ul = el("ul", "sa-compare__list");
    items.forEach(function (item) {
      var li = el("li");
      li.appendChild(ref(item));
      ul.appendChild(li);
    });
    return ul;
  }

  function refList(items) {
    if (items.length <= SHOWN + 1) return refItems(items);
    var box = el("div");
    box.appendChild(refItems(items.slice(0, SHOWN)));
    var more = el("details", "sa-compare__more");
    more.appendChild(el("summary", null, fmt(text["entity.more"], { n: items.length - SHOWN })));
    more.appendChild(refItems(items.slice(SHOWN)));
    box.appendChild(more);
    return box;
  }

  function figureLine(f) {
    var li = el("li", "sa-compare__figure");
    li.appendChild(el("span", "sa-figure", f.text));
    if (f.with.length) {
      li.appendChild(el("span", "sa-with", " " + text["compare.with"] + " "));
      f.with.forEach(function (w, i) {
        if (i) li.appendChild(document.createTextNode(", "));
        li.appendChild(ref(w));
      });
    }
    var where = el("span", "sa-compare__source");
    f.sources.forEach(function (s, i) {
      where.appendChild(document.createTextNode(i ? "; " : " — "));
      where.appendChild(ref(s));
      if (s.locator) where.appendChild(el("span", "sa-compare__locator", " § " + s.locator));
    });
    where.appendChild(document.createTextNode(" · " + text["compare.from"] + " "));
    where.appendChild(ref(f.from));
    li.appendChild(where);
    return li;
  }

  function row(label, cells, className) {
    var tr = el("tr", className || null);
    var th = el("th", null, label);
    th.scope = "row";
    tr.appendChild(th);
    cells.forEach(function (cell) {
      var td = el("td");
      if (cell) td.appendChild(cell);
      tr.appendChild(td);
    });
    return tr;
  }

  function section(body, label, span) {
    var tr = el("tr", "sa-compare__section");
    var th = el("th", null, label);
    th.colSpan = span;
    th.scope = "colgroup";
    tr.appendChild(th);
    body.appendChild(tr);
  }

  function render(datas) {
    while (tableBox.firstChild) tableBox.removeChild(tableBox.firstChild);
    var table = el("table", "sa-compare__grid");
    // Fixed layout: every technology gets the same width, whatever the length of its lists; below that width
    // (a phone) the box scrolls sideways with the row headings pinned.
    table.style.minWidth = (7 + 11 * datas.length) + "rem";
    var head = el("thead"), tr = el("tr");
    tr.appendChild(el("td"));
    datas.forEach(function (d) {
      var th = el("th");
      th.scope = "col";
      th.setAttribute("data-id", d.id);
      th.appendChild(ref(d));
      tr.appendChild(th);
    });
    head.appendChild(tr);
    table.appendChild(head);
    var body = el("tbody");
    [["compare.facts", FACTS], ["compare.relations", RELATIONS]].forEach(function (group) {
      var keys = group[1].filter(function (k) { return datas.some(function (d) { return (d.rows[k] || []).length; }); });
      if (!keys.length) return;
      section(body, text[group[0]], datas.length + 1);
      keys.forEach(function (k) {
        var r = row(text.rows[k], datas.map(function (d) { return (d.rows[k] || []).length ? refList(d.rows[k]) : null; }));
        r.setAttribute("data-row", k);
        body.appendChild(r);
      });
    });
    var metrics = {}, order = [];
    datas.forEach(function (d) {
      d.figures.forEach(function (f) {
        if (!metrics[f.metric]) { metrics[f.metric] = f.metric_ref; order.push(f.metric); }
      });
    });
    order.sort(function (a, b) { var x = metrics[a].label, y = metrics[b].label; return x < y ? -1 : x > y ? 1 : 0; });
    if (order.length) {
      section(body, text["compare.figures"], datas.length + 1);
      order.forEach(function (m) {
        var tr = el("tr");
        tr.setAttribute("data-row", "figure:" + m);
        var th = el("th");
        th.scope = "row";
        th.appendChild(ref(metrics[m]));
        tr.appendChild(th);
        datas.forEach(function (d) {
          var td = el("td");
          var figures = d.figures.filter(function (f) { return f.metric === m; });
          if (figures.length) {
            var seen = {};
            figures.forEach(function (f) { seen[f.text] = true; });
            if (Object.keys(seen).length > 1) {
              td.className = "sa-compare__differ";
              td.appendChild(el("p", "sa-compare__differ-note", text["compare.differ"]));
            }
            var ul = el("ul", "sa-compare__list");
            figures.forEach(function (f) { ul.appendChild(figureLine(f)); });
            td.appendChild(ul);
          }
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
    }
    table.appendChild(body);
    tableBox.appendChild(table);
  }

  function showChosen() {
    while (chosenBox.firstChild) chosenBox.removeChild(chosenBox.firstChild);
    picked.forEach(function (id) {
      var li = el("li", "sa-compare__chip");
      li.appendChild(el("span", null, byId[id].label));
      var remove = el("button", "sa-compare__remove", "×");
      remove.type = "button";
      remove.setAttribute("aria-label", fmt(text["compare.remove"], { name: byId[id].label }));
      remove.addEventListener("click", function () {
        picked.splice(picked.indexOf(id), 1);
        refresh();
      });
      li.appendChild(remove);
      chosenBox.appendChild(li);
    });
  }

  var generation = 0;
  function refresh(message) {
    writePicked();
    showChosen();
    note.textContent = message || (picked.length < 2 ? text["compare.empty"] : "");
    if (picked.length >= 2) {
      var share = el("a", "sa-compare__share", text["compare.share"]);
      share.href = window.location.pathname + window.location.search;
      if (message) note.appendChild(document.createTextNode(" "));
      note.appendChild(share);
    }
    var mine = ++generation;
    api.ready = false;
    root.removeAttribute("data-ready");
    Promise.all(picked.map(load)).then(function (datas) {
      if (mine !== generation) return;
      if (datas.length) render(datas);
      else while (tableBox.firstChild) tableBox.removeChild(tableBox.firstChild);
      api.ready = true;
      root.setAttribute("data-ready", "true");
    }, function () {
      note.textContent = fmt(text["analysis.load_failed"], { url: src });
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var value = input.value.trim();
    var id = byId[value] ? value : byLabel[value.toLowerCase()];
    if (!id) return;
    input.value = "";
    if (picked.indexOf(id) !== -1) return;
    if (picked.length >= MAX) { refresh(fmt(text["compare.limit"], { n: MAX })); return; }
    picked.push(id);
    refresh();
  });

  refresh();
})();
