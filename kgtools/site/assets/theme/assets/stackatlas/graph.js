/*
 * Stack Atlas graph views: draws every `.sa-graph` block with vis-network.
 *
 * Each block names a <script type="application/json"> holding its nodes,
 * edges, options and interface text (written by kgtools.site.explorer). Record
 * text only ever reaches the page through textContent or vis-network's canvas
 * and plain-text tooltips, never as markup. The layout runs until it
 * stabilises, then physics is switched off so the picture stays still.
 */
(function () {
  "use strict";

  var graphs = (window.stackAtlasGraphs = window.stackAtlasGraphs || []);

  var el = window.stackAtlasDom.el;  // dom.js

  function setup(block) {
    var source = document.getElementById(block.getAttribute("data-graph"));
    if (!source || typeof vis === "undefined") return;
    var data = JSON.parse(source.textContent);
    var hidden = {};
    (data.hidden || []).forEach(function (kind) { hidden[kind] = true; });

    var nodes = new vis.DataSet(data.nodes);
    var edges = new vis.DataSet(data.edges);
    var view = new vis.DataView(nodes, { filter: function (n) { return !hidden[n.group]; } });

    // Controls: kinds to show, a node finder, and a status line.
    var bar = el("div", "sa-graph__bar");
    var kinds = el("fieldset", "sa-graph__kinds");
    kinds.appendChild(el("legend", "", data.text.filter));
    data.kinds.forEach(function (entry) {
      var label = el("label", "sa-graph__kind sa-graph__kind--" + entry[0]);
      var box = el("input");
      box.type = "checkbox";
      box.value = entry[0];
      box.checked = !hidden[entry[0]];
      box.addEventListener("change", function () {
        hidden[box.value] = !box.checked;
        view.refresh();
        status();
        countCommunities();
        relayout();
      });
      label.appendChild(box);
      label.appendChild(el("span", "", " " + entry[1] + " (" + entry[2] + ")"));
      kinds.appendChild(label);
    });
    bar.appendChild(kinds);

    // Colour by kind (the groups) or by community (kgtools.site.communities), with a legend for the latter.
    var legend = null;
    var communities = data.communities;
    if (communities && communities.legend && communities.legend.length) {
      var modes = el("fieldset", "sa-graph__colour");
      modes.appendChild(el("legend", "", data.text.colour));
      legend = el("div", "sa-graph__legend");
      legend.hidden = true;
      communities.legend.forEach(function (entry) {
        var item = el("span", "sa-graph__community");
        var swatch = el("span", "sa-swatch");
        swatch.style.background = entry[2];
        item.appendChild(swatch);
        item.appendChild(el("span", "", entry[1]));
        item.appendChild(el("span", "sa-count"));
        legend.appendChild(item);
      });
      [["kind", data.text.byKind], ["community", data.text.byCommunity]].forEach(function (mode) {
        var label = el("label", "sa-graph__mode");
        var radio = el("input");
        radio.type = "radio";
        radio.name = block.getAttribute("data-graph") + "-colour";
        radio.value = mode[0];
        radio.checked = mode[0] === "kind";
        radio.addEventListener("change", function () { if (radio.checked) paint(mode[0]); });
        label.appendChild(radio);
        label.appendChild(el("span", "", " " + mode[1]));
        modes.appendChild(label);
      });
      bar.appendChild(modes);
    }
    function paint(mode) {
      nodes.update(nodes.get().map(function (n) {
        var colour = mode === "community" ? communities.colours[n.community] || communities.other
          : data.options.groups[n.group].color.background;
        return { id: n.id, color: { background: colour, border: colour } };
      }));
      legend.hidden = mode !== "community";
      block.setAttribute("data-colour", mode);
      countCommunities();
    }
    // Each legend entry counts the nodes of its community among those shown (hiding a kind changes them).
    function countCommunities() {
      if (!legend || legend.hidden) return;
      var counts = {};
      view.get().forEach(function (n) {
        var key = communities.colours[n.community] ? String(n.community) : "other";
        counts[key] = (counts[key] || 0) + 1;
      });
      communities.legend.forEach(function (entry, i) {
        var n = counts[entry[0] === null ? "other" : String(entry[0])] || 0;
        var item = legend.children[i];
        item.hidden = n === 0;
        item.lastChild.textContent = "(" + n + ")";
      });
    }

    var find = el("label", "sa-graph__find");
    find.appendChild(el("span", "", data.text.search + " "));
    var input = el("input");
    input.type = "search";
    input.placeholder = data.text.placeholder;
    input.setAttribute("aria-label", data.text.search);
    find.appendChild(input);
    bar.appendChild(find);
    var line = el("span", "sa-graph__status");
    bar.appendChild(line);
    block.insertBefore(bar, block.firstChild);
    if (legend) block.insertBefore(legend, bar.nextSibling);

    var canvas = block.querySelector(".sa-graph__canvas");
    var network = new vis.Network(canvas, { nodes: view, edges: edges }, data.options);
    var state = { network: network, nodes: nodes, edges: edges, view: view, data: data, block: block, stable: false };
    graphs.push(state);

    function status(message) {
      var shown = view.length;
      var drawn = edges.get({ filter: function (e) { return view.get(e.from) && view.get(e.to); } }).length;
      line.textContent = (message ? message + " · " : "") + shown + " " + data.text.nodes + " · " + drawn + " " + data.text.edges;
    }

    // Physics runs until the layout stabilises, then stops; showing more kinds lays out again.
    function settle() {
      if (state.stable) return;
      state.stable = true;
      network.setOptions({ physics: { enabled: false } });
      if (data.focus !== null && data.focus !== undefined && view.get(data.focus)) network.selectNodes([data.focus]);
      block.setAttribute("data-stable", "true");
    }
    function relayout() {
      state.stable = false;
      block.removeAttribute("data-stable");
      network.setOptions({ physics: { enabled: true } });
      network.stabilize(data.options.physics.stabilization.iterations);
    }
    network.on("stabilizationIterationsDone", settle);
    network.on("stabilized", settle);
    setTimeout(settle, 15000);

    network.on("click", function (params) {
      if (!params.nodes.length) return;
      var node = nodes.get(params.nodes[0]);
      if (node && node.url) window.location.href = node.url;
    });
    network.on("hoverNode", function () { canvas.style.cursor = "pointer"; });
    network.on("blurNode", function () { canvas.style.cursor = ""; });

    function search() {
      var query = input.value.trim().toLowerCase();
      if (!query) { network.unselectAll(); status(); return; }
      var matches = view.get({ filter: function (n) { return n.search.indexOf(query) !== -1; } });
      matches.sort(function (a, b) {
        var ea = a.label.toLowerCase() === query ? 0 : 1, eb = b.label.toLowerCase() === query ? 0 : 1;
        return ea - eb || a.label.length - b.label.length;
      });
      if (!matches.length) { network.unselectAll(); status(data.text.notFound); return; }
      var best = matches[0];
      network.selectNodes([best.id]);
      network.focus(best.id, { scale: 1.2, animation: { duration: 300 } });
      status(best.label);
    }
    input.addEventListener("input", search);
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      var selected = network.getSelectedNodes();
      if (selected.length) {
        var node = nodes.get(selected[0]);
        if (node && node.url) window.location.href = node.url;
      }
    });
    status();
  }

  Array.prototype.forEach.call(document.querySelectorAll(".sa-graph[data-graph]"), setup);
})();
