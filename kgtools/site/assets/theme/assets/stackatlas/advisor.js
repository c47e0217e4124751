/*
 * Stack Atlas selection advisor: kgtools/advisor.py's ranking, computed in the browser.
 *
 * The page's form (kgtools.site.advisor_page) names a JSON file holding
 * `advisor_data(store)` under `advisor`, plus links for sources, cited
 * sections and entity pages. `walkTree` and `advise` below are a line-by-line
 * port of walk_tree / advise / Scored.score / Scored.total: the same
 * candidates, the same parts in the same order, plain left-to-right sums (as
 * Python 3.11's sum), the same renormalisation and coverage, and the same
 * order (decision-tree choices, then score rounded to 9 places, descending,
 * then id). Every string from the data reaches the page through textContent.
 */
(function () {
  "use strict";
  var fmt = window.stackAtlasDom.fmt, el = window.stackAtlasDom.el;  // dom.js

  var form = document.getElementById("sa-advisor");
  if (!form) return;
  var text = JSON.parse(document.getElementById("sa-advisor-text").textContent);
  var treeBox = document.getElementById("sa-advisor-tree");
  var resultBox = document.getElementById("sa-advisor-result");
  var lang = document.documentElement.lang && document.documentElement.lang.indexOf("zh") === 0 ? "zh" : "en";
  var api = (window.stackAtlasAdvisor = { ready: false });

  // -- the port of kgtools/advisor.py ---------------------------------------------------------

  function conditions(req) {
    var out = { any: true };
    if (req.stateful === true) out.stateful = true;
    if (req.stateful === false) out.stateless = true;
    if (req.latencyMs !== null) out[req.latencyMs < 1000 ? "millisecond-latency" : "second-latency"] = true;
    if (req.scale === "tb" || req.scale === "pb") out[req.scale === "tb" ? "terabyte-scale" : "petabyte-scale"] = true;
    if (req.costSensitive) out["cost-sensitive"] = true;
    if (req.writeHeavy) out["write-heavy"] = true;
    return out;
  }

  function walkTree(data, req) {
    var when = conditions(req);
    var fired = data.rules.filter(function (r) { return r.scenario === req.scenario && !r.after && when[r.when]; });
    var chosen = {};
    fired.forEach(function (r) { chosen[r.choose] = true; });
    return fired.concat(data.rules.filter(function (r) { return chosen[r.after] === true && when[r.when]; }));
  }

  function sum(values) {
    var total = 0;
    for (var i = 0; i < values.length; i++) total += values[i];
    return total;
  }

  function byText(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  function citationsOf(rows) {
    var seen = {}, out = [];
    rows.forEach(function (r) {
      var key = JSON.stringify([r.source, r.locator]);
      if (!seen[key]) { seen[key] = true; out.push([r.source, r.locator]); }
    });
    return out.sort(function (a, b) { return byText(a[0], b[0]) || byText(a[1], b[1]); });
  }

  function ratingPart(data, technology, criterion) {
    var found = data.ratings.filter(function (r) { return r.technology === technology && r.criterion === criterion; });
    if (!found.length) return null;
    var value = sum(found.map(function (r) { return r.score / r.scale; })) / found.length;
    return { value: value, kind: "rating", criterion: criterion,
             stars: found.map(function (r) { return g(r.score) + "/" + g(r.scale); }).join(", "),
             citations: citationsOf(found) };
  }

  function Scored(technology, fromTree) {
    this.technology = technology;
    this.fromTree = fromTree;
    this.dimensions = {};
    this.notes = [];
    this.bound = 0;
  }
  Scored.prototype.score = function (dimension) {
    var parts = this.dimensions[dimension] || [];
    return parts.length ? sum(parts.map(function (p) { return p.value; })) / parts.length : null;
  };
  // weights: [[dimension, weight], ...] in the order Python's dict would hold them.
  Scored.prototype.total = function (weights) {
    var self = this;
    var covered = weights.filter(function (w) { return self.score(w[0]) !== null; });
    var coveredSum = sum(covered.map(function (w) { return w[1]; }));
    var allSum = sum(weights.map(function (w) { return w[1]; }));
    if (!covered.length || coveredSum === 0 || allSum === 0) return [0, 0];
    var weighted = sum(covered.map(function (w) { return w[1] * (self.score(w[0]) || 0); }));
    return [weighted / coveredSum, coveredSum / allSum];
  };

  // Port of normalised(): weights scaled to sum to 1, in dimension order.
  function normalised(data, weights) {
    var byName = {};
    weights.forEach(function (w) { byName[w[0]] = w[1]; });
    var total = sum(data.dimensions.map(function (d) { return byName[d] || 0; }));
    return data.dimensions.map(function (d) { return [d, total ? (byName[d] || 0) / total : 0]; });
  }

  // Port of candidates_for(): fit matrix, tree choices, suited technologies and category peers of the best-rated.
  function candidatesFor(data, scenario, treeChoices) {
    var pool = {}, best = null, top = {}, topCategories = {};
    var fit = data.ratings.filter(function (r) { return r.criterion === scenario; });
    fit.forEach(function (r) { var v = r.score / r.scale; if (best === null || v > best) best = v; });
    fit.forEach(function (r) { pool[r.technology] = true; if (r.score / r.scale === best) top[r.technology] = true; });
    Object.keys(top).forEach(function (t) { (data.categories[t] || []).forEach(function (c) { topCategories[c] = true; }); });
    Object.keys(data.categories).forEach(function (t) {
      if (data.categories[t].some(function (c) { return topCategories[c]; })) pool[t] = true;
    });
    data.suited.forEach(function (r) { if (r.scenario === scenario) pool[r.technology] = true; });
    Object.keys(treeChoices).forEach(function (t) { pool[t] = true; });
    return Object.keys(pool).sort(byText);
  }

  var AT_MOST = { "=": true, "<": true, "≈": true, "": true }, AT_LEAST = { "=": true, ">": true, "≈": true, "+": true, "": true };

  function smallest(rows) {
    return rows.reduce(function (a, r) { return a === null || r.value < a.value ? r : a; }, null);
  }

  // Port of latency_bound(): 0 a cited P99 meets the bound, 1 none shows it, 2 one breaks it; with the figure.
  function latencyBound(data, technology, bound) {
    var rows = data.bounds.filter(function (r) { return r.technology === technology; });
    var meets = smallest(rows.filter(function (r) { return AT_MOST[r.qualifier] && r.value <= bound; }));
    if (meets) return { kind: "bound", status: 0, row: meets, bound: bound };
    var breaks = smallest(rows.filter(function (r) { return AT_LEAST[r.qualifier] && r.value > bound; }));
    if (breaks) return { kind: "bound", status: 2, row: breaks, bound: bound };
    return { kind: "bound", status: 1, row: smallest(rows), bound: bound };
  }

  var SCALING_SCORES = [["scaling-model", "horizontal", 1.0], ["state-size", "unlimited", 1.0],
                        ["state-size", "petabyte", 1.0], ["state-size", "terabyte", 0.75], ["state-size", "gigabyte", 0.5]];

  function advise(data, req, weights) {
    weights = normalised(data, weights);
    var fired = walkTree(data, req);
    var treeChoices = {};
    fired.forEach(function (r) { if (!r.after) treeChoices[r.choose] = true; });
    var candidates = candidatesFor(data, req.scenario, treeChoices);
    var pool = {};
    candidates.forEach(function (t) { pool[t] = true; });
    var bestLatency = {};
    data.latencies.forEach(function (row) {
      if (!pool[row.technology]) return;
      var best = bestLatency[row.technology];
      if (best === undefined || row.value < best.value) bestLatency[row.technology] = row;
    });
    var fastest = null;
    Object.keys(bestLatency).forEach(function (t) {
      if (fastest === null || bestLatency[t].value < fastest) fastest = bestLatency[t].value;
    });
    var mostUsed = 0;
    candidates.forEach(function (t) { mostUsed = Math.max(mostUsed, data.adoption[t] || 0); });
    var plan = [["functional-fit", req.scenario], ["performance", "performance"],
                ["cost-effectiveness", "cost-effectiveness"], ["maintainability", "maturity"],
                ["maintainability", "community-activity"], ["scalability", "scalability"]];
    var results = candidates.map(function (technology) {
      var scored = new Scored(technology, treeChoices[technology] === true);
      function add(dimension, part) { (scored.dimensions[dimension] = scored.dimensions[dimension] || []).push(part); }
      plan.forEach(function (step) {
        var part = ratingPart(data, technology, step[1]);
        if (part) add(step[0], part);
      });
      if (bestLatency[technology] && fastest) {
        var row = bestLatency[technology];
        add("performance", { value: fastest / row.value, kind: "latency", latency: row.value, best: fastest,
                             citations: [[row.source, row.locator]] });
      }
      if (req.latencyMs !== null) {
        var note = latencyBound(data, technology, req.latencyMs);
        scored.bound = note.status;
        scored.notes.push(note);
      }
      SCALING_SCORES.forEach(function (rule) {
        data.scaling.forEach(function (row) {
          if (row.technology === technology && row.metric === rule[0] && row.text.toLowerCase().indexOf(rule[1]) !== -1) {
            add("scalability", { value: rule[2], kind: "scaling", metric: row.metric, text: row.text,
                                 citations: [[row.source, row.locator]] });
          }
        });
      });
      if (mostUsed) {
        var cases = data.adoption[technology] || 0;
        add("maintainability", { value: cases / mostUsed, kind: "adoption", cases: cases, most: mostUsed, citations: [] });
      }
      data.dimensions.forEach(function (d) { scored.dimensions[d] = scored.dimensions[d] || []; });
      return scored;
    });
    results.forEach(function (s) { s.sortScore = Number(s.total(weights)[0].toFixed(9)); });
    results.sort(function (a, b) {
      return (a.bound - b.bound) || (b.fromTree - a.fromTree) || (b.sortScore - a.sortScore) ||
        byText(a.technology, b.technology);
    });
    return results;
  }

  // -- formatting ------------------------------------------------------------------------------

  // Python's format(x, ".{digits}f"): the exact binary value rounded half to even (toFixed rounds exact ties up).
  function fixed(x, digits) {
    var out = x.toFixed(digits);
    if (x < 0 || !isFinite(x)) return out;
    var exact = x.toFixed(100);
    var point = exact.indexOf(".");
    var rest = exact.slice(point + 1 + digits);
    if (!/^50*$/.test(rest)) return out;
    var kept = exact.slice(0, point + 1 + digits).replace(/\.$/, "");
    var last = Number(kept.charAt(kept.length - 1));
    return last % 2 === 0 ? kept : out;
  }

  // Python's format(x, "g") for the figures shown in evidence.
  function g(x) { return String(Number(Number(x).toPrecision(6))); }

  // -- the page --------------------------------------------------------------------------------

  var bundle = null;
  var open = {};  // technologies whose evidence is shown, kept across recomputations

  function label(id) {
    var names = bundle.advisor.labels[id] || {};
    return names[lang] || names.en || id;
  }

  function entityLink(id) {
    var url = bundle.pages[id];
    var node = el(url ? "a" : "span", "sa-link", label(id));
    if (url) node.href = url;
    return node;
  }

  // A citation as a link to the cited section of the source's page; `short` shows the section only (the source
  // is in the tooltip), for the evidence lists where the same source recurs on every line.
  function citationLink(citation, short) {
    var source = bundle.sources[citation[0]];
    var full = (source ? source.label : citation[0]) + " § " + citation[1];
    if (!source) return el("span", "sa-locator", full);
    var link = el("a", "sa-cite sa-cite--" + (source.public ? "public" : "doc"), short ? "§ " + citation[1] : full);
    link.title = full;
    link.href = source.url + (bundle.anchors[citation[1]] ? "#" + bundle.anchors[citation[1]] : "");
    return link;
  }

  function requirements() {
    var latency = form.elements.latency.value.trim();
    var state = form.elements.state.value;
    return {
      scenario: form.elements.scenario.value,
      latencyMs: latency === "" || isNaN(Number(latency)) ? null : Number(latency),
      stateful: state === "stateful" ? true : state === "stateless" ? false : null,
      scale: form.elements.scale.value || null,
      costSensitive: form.elements.cost.checked,
      writeHeavy: form.elements.write.checked
    };
  }

  function weights() {
    var order = Object.keys(bundle.advisor.weights);
    bundle.advisor.dimensions.forEach(function (d) { if (order.indexOf(d) === -1) order.push(d); });
    return order.map(function (d) {
      var input = form.elements["w-" + d];
      return [d, input ? parseFloat(input.value) : bundle.advisor.weights[d]];
    });
  }

  function showWeights() {
    Array.prototype.forEach.call(form.querySelectorAll(".sa-weight"), function (row) {
      row.querySelector("output").textContent = fixed(parseFloat(row.querySelector("input").value), 2);
    });
  }

  function partText(part) {
    if (part.kind === "rating") return fmt(text["advisor.part.rating"], { criterion: label(part.criterion), stars: part.stars });
    if (part.kind === "latency") return fmt(text["advisor.part.latency"], { value: g(part.latency), best: g(part.best) });
    if (part.kind === "scaling") return part.metric + ": " + part.text;
    return fmt(text["advisor.part.adoption"], { n: part.cases, most: part.most });
  }

  function renderTree(fired) {
    treeBox.textContent = "";
    treeBox.appendChild(el("h3", "sa-subhead", text["advisor.tree"]));
    if (!fired.length) {
      treeBox.appendChild(el("p", "sa-empty", text["advisor.tree.none"]));
      return;
    }
    var list = el("ol", "sa-advisor__rules");
    fired.forEach(function (rule) {
      var item = el("li", "sa-advisor__rule");
      item.setAttribute("data-choose", rule.choose);
      if (rule.after) { item.appendChild(entityLink(rule.after)); item.appendChild(document.createTextNode(" → ")); }
      item.appendChild(el("span", "sa-advisor__when", text.when[rule.when] || rule.when));
      item.appendChild(document.createTextNode(" → "));
      var choice = entityLink(rule.choose);
      choice.classList.add("sa-advisor__choice");
      item.appendChild(choice);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(citationLink([rule.source, rule.locator]));
      list.appendChild(item);
    });
    treeBox.appendChild(list);
  }

  function evidence(scored) {
    var list = el("ul", "sa-advisor__evidence");
    bundle.advisor.dimensions.forEach(function (d) {
      scored.dimensions[d].forEach(function (part) {
        var item = el("li");
        item.appendChild(el("b", "", text.dimensions[d] + " " + fixed(part.value, 3)));
        item.appendChild(document.createTextNode(" · " + partText(part) + " "));
        if (part.kind === "adoption") {
          var cases = entityLink(scored.technology);
          cases.textContent = text["advisor.part.cases"];
          item.appendChild(cases);
        }
        part.citations.forEach(function (c, i) {
          if (i) item.appendChild(document.createTextNode(" "));
          item.appendChild(citationLink(c, true));
        });
        list.appendChild(item);
      });
    });
    scored.notes.forEach(function (note) {
      var item = el("li", "sa-advisor__note sa-advisor__note--" + ["meets", "unknown", "breaks"][note.status],
                    (note.status ? "⚠ " : "✓ ") + noteText(note));
      if (note.row) {
        item.appendChild(document.createTextNode(" "));
        item.appendChild(citationLink([note.row.source, note.row.locator], true));
      }
      list.appendChild(item);
    });
    return list;
  }

  function figureText(row) {
    return (row.qualifier && row.qualifier !== "=" ? row.qualifier : "") + g(row.value) + " ms" +
      (row.condition ? " (" + row.condition + ")" : "");
  }

  function noteText(note) {
    var key = ["advisor.bound.meets", "advisor.bound.unknown", "advisor.bound.breaks"][note.status];
    if (!note.row) key = "advisor.bound.none";
    return fmt(text[key], { value: note.row ? figureText(note.row) : "", bound: g(note.bound) });
  }

  function renderTable(results, w) {
    resultBox.textContent = "";
    resultBox.appendChild(el("h3", "sa-subhead", text["advisor.ranking"]));
    if (!results.length) {
      resultBox.appendChild(el("p", "sa-empty", text["advisor.none"]));
      return;
    }
    var wrap = el("div", "sa-scroll");
    var tableEl = el("table", "sa-table sa-advisor__table");
    var head = el("tr");
    [text["insights.rank"], text["advisor.technology"]].concat(bundle.advisor.dimensions.map(function (d) {
      return text.dimensions[d];
    })).concat([text["advisor.total"], text["advisor.coverage"], text["advisor.evidence"]]).forEach(function (name) {
      head.appendChild(el("th", "", name));
    });
    tableEl.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    results.forEach(function (scored, index) {
      var total = scored.total(w);
      var row = el("tr", scored.fromTree ? "sa-advisor__row sa-advisor__row--tree" : "sa-advisor__row");
      row.setAttribute("data-technology", scored.technology);
      row.setAttribute("data-score", String(total[0]));
      row.setAttribute("data-coverage", String(total[1]));
      row.appendChild(el("td", "", String(index + 1)));
      var name = el("td", "sa-advisor__name");
      name.appendChild(entityLink(scored.technology));
      if (scored.fromTree) {
        var chip = el("span", "sa-chip sa-chip--tree", text["advisor.tree.chosen"]);
        chip.title = text["advisor.tree.chosen.title"];
        name.appendChild(document.createTextNode(" "));
        name.appendChild(chip);
      }
      if (scored.notes.length && scored.bound) {
        var warn = el("span", "sa-advisor__warn", scored.bound === 2 ? " ✗" : " ?");
        warn.title = scored.notes.map(noteText).join("; ");
        name.appendChild(warn);
      }
      row.appendChild(name);
      bundle.advisor.dimensions.forEach(function (d) {
        var value = scored.score(d);
        var cell = value === null ? el("td", "sa-advisor__nodata", text["advisor.no_data"])
          : el("td", "sa-figure", fixed(value, 3));
        cell.setAttribute("data-dimension", d);
        row.appendChild(cell);
      });
      var totalCell = el("td", "sa-figure sa-advisor__total", fixed(total[0], 3));
      row.appendChild(totalCell);
      var coverage = el("td", "sa-advisor__coverage");
      var bar = el("span", "sa-bar");
      bar.style.width = Math.round(total[1] * 100) + "%";
      coverage.appendChild(el("span", "sa-figure", fixed(total[1] * 100, 0) + "%"));
      coverage.appendChild(el("span", "sa-bar__track")).appendChild(bar);
      row.appendChild(coverage);
      var toggleCell = el("td");
      var toggle = el("button", "sa-advisor__toggle", text["advisor.evidence"] + " ▸");
      toggle.type = "button";
      toggle.setAttribute("aria-expanded", "false");
      toggleCell.appendChild(toggle);
      row.appendChild(toggleCell);
      body.appendChild(row);
      // The evidence: a full-width row under the result, shown on demand.
      var more = el("tr", "sa-advisor__more");
      more.hidden = !open[scored.technology];
      var cell = el("td");
      cell.colSpan = bundle.advisor.dimensions.length + 5;
      cell.appendChild(evidence(scored));
      more.appendChild(cell);
      body.appendChild(more);
      function reflect() {
        toggle.setAttribute("aria-expanded", String(!more.hidden));
        toggle.textContent = text["advisor.evidence"] + (more.hidden ? " ▸" : " ▾");
      }
      toggle.addEventListener("click", function () {
        more.hidden = !more.hidden;
        open[scored.technology] = !more.hidden;
        reflect();
      });
      reflect();
    });
    tableEl.appendChild(body);
    wrap.appendChild(tableEl);
    resultBox.appendChild(wrap);
  }

  var shown = null;  // the inputs of the ranking on screen

  function update() {
    if (!bundle) return;
    showWeights();
    var req = requirements();
    var w = weights();
    // A "change" event after "input" must not rebuild the table: a click that blurs a field would be lost.
    var key = JSON.stringify([req, w]);
    if (key === shown) return;
    shown = key;
    renderTree(walkTree(bundle.advisor, req));
    var results = advise(bundle.advisor, req, w);
    w = normalised(bundle.advisor, w);
    renderTable(results, w);
    if (req.latencyMs !== null && results.length && results.every(function (s) { return s.bound; })) {
      resultBox.insertBefore(el("p", "sa-advisor__nobody", fmt(text["advisor.bound.nobody"], { bound: g(req.latencyMs) })),
                             resultBox.children[1] || null);
    }
    api.last = results.map(function (s) {
      var total = s.total(w);
      return { technology: s.technology, fromTree: s.fromTree, bound: s.bound, score: total[0], coverage: total[1] };
    });
    resultBox.setAttribute("data-ready", "true");
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
  form.querySelector(".sa-advisor__reset").addEventListener("click", function () {
    Array.prototype.forEach.call(form.querySelectorAll(".sa-weight input"), function (input) {
      input.value = input.getAttribute("data-default");
    });
    update();
  });

  fetch(form.getAttribute("data-src"))
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then(function (data) {
      bundle = data;
      api.data = data.advisor;
      api.advise = advise;
      api.walkTree = walkTree;
      api.ready = true;
      update();
    }, function () {
      resultBox.textContent = "";
      resultBox.appendChild(el("p", "sa-empty", fmt(text["analysis.load_failed"], { url: form.getAttribute("data-src") })));
    });
})();
