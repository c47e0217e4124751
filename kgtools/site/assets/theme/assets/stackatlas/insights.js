/*
 * Stack Atlas path finder: the shortest chain of relations between two entities, found in the browser.
 *
 * The Insights page (kgtools.site.insights_page) names a JSON file with the
 * entity graph analytics.explain_path walks: nodes, and for every ordered pair
 * of related entities the predicate explain_path would name. A breadth-first
 * search on the undirected graph finds a shortest path (any one, when several
 * are equally short); each hop a–b is named by the a→b predicate if there is
 * one, else by the b→a predicate read backwards, exactly as explain_path does.
 * Record text reaches the page only through textContent.
 */
(function () {
  "use strict";
  var fmt = window.stackAtlasDom.fmt, el = window.stackAtlasDom.el;  // dom.js

  var form = document.getElementById("sa-paths");
  if (!form) return;
  var text = JSON.parse(document.getElementById("sa-paths-text").textContent);
  var result = document.getElementById("sa-paths-result");
  var api = (window.stackAtlasPaths = { ready: false });


  function message(content) {
    result.textContent = "";
    result.appendChild(el("p", "sa-empty", content));
    result.setAttribute("data-state", "message");
  }

  function setup(data) {
    var nodes = data.nodes, count = nodes.length;
    var neighbours = nodes.map(function () { return []; });
    var forward = new Map();  // a * count + b → predicate index, for a relation a → b
    data.edges.forEach(function (edge) {
      var a = edge[0], b = edge[1];
      forward.set(a * count + b, edge[2]);
      if (!forward.has(b * count + a)) { neighbours[a].push(b); neighbours[b].push(a); }
    });
    neighbours.forEach(function (list) { list.sort(function (x, y) { return x - y; }); });

    // Names people type: the option shown in the list, a label in any case, kind/id, or a bare id.
    var byName = new Map(), seen = new Map();
    nodes.forEach(function (node) { seen.set(node[1], (seen.get(node[1]) || 0) + 1); });
    var list = document.getElementById("sa-paths-names");
    nodes.forEach(function (node, index) {
      var option = seen.get(node[1]) > 1 ? node[1] + " (" + node[0] + ")" : node[1];
      byName.set(option, index);
      var entry = el("option");
      entry.value = option;
      list.appendChild(entry);
    });
    nodes.forEach(function (node, index) {
      [node[1].toLowerCase(), node[0], node[0].split("/")[1]].forEach(function (key) {
        if (!byName.has(key)) byName.set(key, index);
      });
    });
    function lookup(value) {
      var name = value.trim();
      if (byName.has(name)) return byName.get(name);
      return byName.has(name.toLowerCase()) ? byName.get(name.toLowerCase()) : -1;
    }

    function shortest(start, end) {
      var parent = new Int32Array(count).fill(-1);
      parent[start] = start;
      var queue = [start];
      for (var head = 0; head < queue.length; head++) {
        var current = queue[head];
        if (current === end) break;
        var next = neighbours[current];
        for (var i = 0; i < next.length; i++) {
          if (parent[next[i]] === -1) { parent[next[i]] = current; queue.push(next[i]); }
        }
      }
      if (parent[end] === -1) return null;
      var path = [end];
      while (path[0] !== start) path.unshift(parent[path[0]]);
      return path;
    }

    function hops(path) {
      var out = [];
      for (var i = 0; i + 1 < path.length; i++) {
        var a = path[i], b = path[i + 1];
        if (forward.has(a * count + b)) out.push({ from: a, to: b, predicate: forward.get(a * count + b), forward: true });
        else out.push({ from: a, to: b, predicate: forward.get(b * count + a), forward: false });
      }
      return out;
    }

    function nodeLink(index) {
      var node = nodes[index];
      var box = el("span", "sa-path__node");
      var link = el("a", "sa-link", node[1]);
      link.href = node[2];
      box.appendChild(link);
      box.appendChild(el("span", "sa-meta", node[3]));
      return box;
    }

    function show() {
      var start = lookup(form.elements.from.value), end = lookup(form.elements.to.value);
      if (start < 0 || end < 0) {
        message(fmt(text.unknown, { name: start < 0 ? form.elements.from.value : form.elements.to.value }));
        return;
      }
      if (start === end) { message(text.same); return; }
      var path = shortest(start, end);
      if (!path) { message(text.no_path); return; }
      var steps = hops(path);
      result.textContent = "";
      result.appendChild(el("p", "sa-path__count", fmt(text.hops, { n: steps.length })));
      var chain = el("p", "sa-path");
      chain.appendChild(nodeLink(path[0]));
      steps.forEach(function (hop) {
        var predicate = data.predicates[hop.predicate];
        var subject = hop.forward ? hop.from : hop.to, object = hop.forward ? hop.to : hop.from;
        var arrow = el("span", "sa-path__hop " + (hop.forward ? "sa-path__hop--forward" : "sa-path__hop--backward"),
                       hop.forward ? "— " + predicate[1] + " →" : "← " + predicate[1] + " —");
        arrow.title = predicate[0];
        arrow.setAttribute("data-subject", data.base + nodes[subject][0]);
        arrow.setAttribute("data-predicate", predicate[0]);
        arrow.setAttribute("data-object", data.base + nodes[object][0]);
        chain.appendChild(arrow);
        chain.appendChild(nodeLink(hop.to));
      });
      result.appendChild(chain);
      result.setAttribute("data-state", "path");
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); show(); });
    api.ready = true;
    api.shortest = shortest;
    api.lookup = lookup;
    if (form.elements.from.value && form.elements.to.value) show();
  }

  fetch(form.getAttribute("data-src"))
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then(setup, function () { message(fmt(text.load_failed, { url: form.getAttribute("data-src") })); });
})();
