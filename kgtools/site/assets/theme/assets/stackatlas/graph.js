/*
 * Stack Atlas graph views: draws every `.sa-graph` block with vis-network.
 *
 * Each block names a <script type="application/json"> holding its nodes (with
 * positions computed at build time by kgtools.site.pages.graph_layout), edges,
 * options and interface text. Physics stays off: the view is drawn once, still,
 * and is ready as soon as it is drawn. Three modes (data.mode):
 *   plain    every node at its place;
 *   overview one node per community ("cluster"); clicking one opens it in place
 *            into its members (laid out around it), moving other groups aside;
 *   radial   an entity's neighbours in one sector per relation, with a
 *            "+N more" node per relation cut short.
 * Record text only ever reaches the page through textContent or vis-network's
 * canvas and plain-text tooltips, never as markup.
 */
(function () {
  "use strict";

  var graphs = (window.stackAtlasGraphs = window.stackAtlasGraphs || []);

  var el = window.stackAtlasDom.el;  // dom.js
  var GAP = 4;        // canvas units kept between groups (graph_layout.GAP)
  var MAX_SCALE = 1.6;

  function setup(block) {
    var source = document.getElementById(block.getAttribute("data-graph"));
    if (!source || typeof vis === "undefined") return;
    var data = JSON.parse(source.textContent);
    var mode = data.mode || "plain";
    var hidden = {};
    (data.hidden || []).forEach(function (kind) { hidden[kind] = true; });
    var expanded = {};   // cluster id -> true while open
    var opened = {};     // sector -> true once its "more" was clicked
    var communities = data.communities;

    // On a screen held upright, neighbourhoods use their upright layout (px, py) and the overview's groups
    // are turned a quarter (then moved apart where their labels, which stay wide, would now overlap).
    var upright = block.clientHeight > block.clientWidth * 1.1;
    // Overview: a node per cluster, members placed around their cluster's current centre.
    var clusters = {};
    var all = data.nodes.map(function (n) {
      return upright && n.px !== undefined ? Object.assign({}, n, { x: n.px, y: n.py }) : n;
    });
    (data.clusters || []).forEach(function (c) {
      if (upright) { var x = c.x; c.x = c.y; c.y = x; }
      c.cx = c.x;
      c.cy = c.y;
      clusters[c.id] = c;
      var colour = communityColour(c.community);
      all.push({ id: c.id, name: c.name, label: c.name + " · " + c.shownDefault, x: c.x, y: c.y, size: c.size,
                 cluster_of: c.id, title: c.name + " — " + data.text.expandHint,
                 color: { background: colour, border: colour } });
    });
    all.forEach(function (n) {
      if (n.cluster) { n.x = clusters[n.cluster].cx + n.rx; n.y = clusters[n.cluster].cy + n.ry; }
    });
    var nodes = new vis.DataSet(all);
    var members = {};   // cluster id -> member nodes
    var sectors = {};   // sector -> entity nodes in it
    all.forEach(function (n) {
      if (n.cluster) (members[n.cluster] = members[n.cluster] || []).push(n);
      if (n.sector !== undefined && n.group) (sectors[n.sector] = sectors[n.sector] || []).push(n);
    });

    function communityColour(number) {
      return (communities && communities.colours[number]) || (communities && communities.other) || "#b0bec5";
    }
    function shownKind(n) { return !hidden[n.group]; }
    function count(list, test) { return (list || []).filter(test).length; }
    function visible(n) {
      if (n.cluster_of) return count(members[n.cluster_of], shownKind) > 0;
      if (n.shape === "text") return count(sectors[n.sector], shownKind) > 0;
      if (n.more) return !opened[n.sector] && count(sectors[n.sector], function (m) { return m.extra && shownKind(m); }) > 0;
      if (!shownKind(n)) return false;
      if (n.cluster && !expanded[n.cluster]) return false;
      if (n.extra && !opened[n.sector]) return false;
      return true;
    }
    var view = new vis.DataView(nodes, { filter: visible });

    // Overview edges: an edge whose end is in a closed group goes to the group, and those between the same two
    // ends add up to one, undirected and as wide as they are many. Of these, each end keeps its STRONGEST
    // (every group linked to every other is a hairball, not a picture; a member's edge to a closed group stays
    // only if it is one of that group's strongest); edges between members all stay.
    var STRONGEST = 3;
    var edges = new vis.DataSet(mode === "overview" ? [] : data.edges);
    var byId = {};
    all.forEach(function (n) { byId[n.id] = n; });
    function rebuildEdges() {
      if (mode !== "overview") return;
      var out = {};
      data.edges.forEach(function (e) {
        var a = end(e.from), b = end(e.to);
        if (a === null || b === null || a === b) return;
        var grouped = typeof a === "string" || typeof b === "string";
        if (grouped && String(b) < String(a)) { var swap = a; a = b; b = swap; }
        var key = a + ">" + b;
        if (out[key]) { out[key].n += 1; return; }
        out[key] = { id: key, from: a, to: b, n: 1, title: e.title, grouped: grouped };
      });
      var list = Object.keys(out).map(function (k) { return out[k]; });
      var best = {};
      list.filter(function (e) { return e.grouped; }).sort(function (x, y) { return y.n - x.n || (x.id < y.id ? -1 : 1); })
        .forEach(function (e) {
          [e.from, e.to].forEach(function (id) {
            best[id] = best[id] || [];
            if (best[id].length < STRONGEST) best[id].push(e.id);
          });
        });
      list = list.filter(function (e) {
        if (!e.grouped) return true;
        var from = typeof e.from === "string", to = typeof e.to === "string";
        if (from && to) return best[e.from].indexOf(e.id) !== -1 || best[e.to].indexOf(e.id) !== -1;
        return best[from ? e.from : e.to].indexOf(e.id) !== -1;   // a member to a closed group: the group's strongest
      }).map(function (e) {
        var edge = { id: e.id, from: e.from, to: e.to, title: e.title };
        if (e.grouped) {
          edge.title = e.n + " " + data.text.relations;
          edge.width = Math.min(1 + Math.log(e.n) / Math.LN2, 8);
          edge.arrows = { to: { enabled: false } };
        }
        return edge;
      });
      edges.clear();
      edges.add(list);
    }
    function end(id) {
      var n = byId[id];
      if (!n || !shownKind(n)) return null;
      return expanded[n.cluster] ? n.id : n.cluster;
    }

    // Controls: kinds to show, colouring, a node finder, a collapse button (overview) and a status line.
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
        if (mode === "overview") arrange(null);
        refresh();
      });
      label.appendChild(box);
      label.appendChild(el("span", "", " " + entry[1] + " (" + entry[2] + ")"));
      kinds.appendChild(label);
    });
    bar.appendChild(kinds);

    // Colour by kind (the groups) or by community (kgtools.site.communities), with a legend for the latter.
    var legend = null;
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
      [["kind", data.text.byKind], ["community", data.text.byCommunity]].forEach(function (entry) {
        var label = el("label", "sa-graph__mode");
        var radio = el("input");
        radio.type = "radio";
        radio.name = block.getAttribute("data-graph") + "-colour";
        radio.value = entry[0];
        radio.checked = entry[0] === "kind";
        radio.addEventListener("change", function () { if (radio.checked) paint(entry[0]); });
        label.appendChild(radio);
        label.appendChild(el("span", "", " " + entry[1]));
        modes.appendChild(label);
      });
      bar.appendChild(modes);
    }
    function paint(colouring) {
      nodes.update(nodes.get({ filter: function (n) { return !!n.group; } }).map(function (n) {
        var colour = colouring === "community" ? communities.colours[n.community] || communities.other
          : data.options.groups[n.group].color.background;
        return { id: n.id, color: { background: colour, border: colour } };
      }));
      legend.hidden = colouring !== "community";
      block.setAttribute("data-colour", colouring);
      countCommunities();
    }
    // Each legend entry counts the nodes of its community among those shown (hiding a kind changes them); in the
    // overview, among the members of the kinds shown, open groups or closed.
    function countCommunities() {
      if (!legend || legend.hidden) return;
      var counts = {};
      (mode === "overview" ? nodes : view).get({ filter: function (n) { return !!n.group && shownKind(n); } }).forEach(function (n) {
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
    var collapse = null;
    if (mode === "overview") {
      collapse = el("button", "sa-graph__collapse", data.text.collapse);
      collapse.type = "button";
      collapse.hidden = true;
      collapse.addEventListener("click", function () {
        expanded = {};
        arrange(null);
        refresh();
        frame();
      });
      bar.appendChild(collapse);
    }
    var line = el("span", "sa-graph__status");
    bar.appendChild(line);
    block.insertBefore(bar, block.firstChild);
    if (legend) block.insertBefore(legend, bar.nextSibling);

    var canvas = block.querySelector(".sa-graph__canvas");
    rebuildEdges();
    var network = new vis.Network(canvas, { nodes: view, edges: edges }, data.options);
    var state = { network: network, nodes: nodes, edges: edges, view: view, data: data, block: block,
                  expanded: expanded, opened: opened, readyAt: null,
                  expand: function (id) { toggle(id, true); }, more: function (sector) { openSector(sector); } };
    graphs.push(state);

    function status(message) {
      var shown = view.get({ filter: function (n) { return n.shape !== "text"; } }).length;
      var drawn = edges.get({ filter: function (e) { return view.get(e.from) && view.get(e.to); } }).length;
      line.textContent = (message ? message + " · " : "") + shown + " " + data.text.nodes + " · " + drawn + " " + data.text.edges;
    }
    function refresh() {
      Object.keys(clusters).forEach(function (id) {
        var open = !!expanded[id];
        var colour = communityColour(clusters[id].community);
        nodes.update({ id: id, label: clusters[id].name + " · " + count(members[id], shownKind),
                       title: clusters[id].name + " — " + (open ? data.text.collapseHint : data.text.expandHint),
                       borderWidth: open ? 3 : 1, shapeProperties: { borderDashes: open ? [4, 3] : false },
                       color: { background: open ? "#ffffff" : colour, border: colour } });
      });
      if (collapse) collapse.hidden = !Object.keys(expanded).some(function (k) { return expanded[k]; });
      view.refresh();
      rebuildEdges();
      status();
      countCommunities();
    }

    // Open groups need room: groups are moved apart (the one just opened stays put) until no two overlap,
    // an open group as the square its members fill, a closed one as its dot and label.
    function arrange(still) {
      var ids = Object.keys(clusters);
      var box = ids.map(function (id) {
        var c = clusters[id];
        c.cx = c.x;
        c.cy = c.y;
        // While the kinds the view opened without stay hidden, an open group needs only its first kinds' room.
        var r = (data.hidden || []).every(function (k) { return hidden[k]; }) ? c.reachFirst : c.reach;
        return expanded[id] ? [-r, -r, r, r] : c.box;
      });
      for (var round = 0; round < 400; round += 1) {
        var moved = false;
        for (var i = 0; i < ids.length; i += 1) {
          for (var j = i + 1; j < ids.length; j += 1) {
            var a = clusters[ids[i]], b = clusters[ids[j]];
            // Closed groups start apart (graph_layout); one pushed by an open group must not land on another.
            var margin = expanded[ids[i]] || expanded[ids[j]] ? GAP * 4 : GAP;
            var dx = (b.cx + (box[j][0] + box[j][2]) / 2) - (a.cx + (box[i][0] + box[i][2]) / 2);
            var dy = (b.cy + (box[j][1] + box[j][3]) / 2) - (a.cy + (box[i][1] + box[i][3]) / 2);
            var ox = (box[i][2] - box[i][0] + box[j][2] - box[j][0]) / 2 + margin - Math.abs(dx);
            var oy = (box[i][3] - box[i][1] + box[j][3] - box[j][1]) / 2 + margin - Math.abs(dy);
            if (ox <= 0 || oy <= 0) continue;
            moved = true;
            var wa = ids[i] === still ? 0 : ids[j] === still ? 1 : 0.5, wb = 1 - wa;
            if (ox < oy) {
              var sx = dx >= 0 ? 1 : -1;
              a.cx -= sx * ox * wa; b.cx += sx * ox * wb;
            } else {
              var sy = dy >= 0 ? 1 : -1;
              a.cy -= sy * oy * wa; b.cy += sy * oy * wb;
            }
          }
        }
        if (!moved) break;
      }
      var updates = [];
      ids.forEach(function (id) {
        var c = clusters[id];
        updates.push({ id: id, x: c.cx, y: c.cy });
        (members[id] || []).forEach(function (m) { updates.push({ id: m.id, x: c.cx + m.rx, y: c.cy + m.ry }); });
      });
      nodes.update(updates);
    }
    function toggle(id, open) {
      expanded[id] = open === undefined ? !expanded[id] : open;
      if (!expanded[id]) delete expanded[id];
      arrange(expanded[id] ? id : null);
      refresh();
      if (expanded[id]) {
        frame(view.getIds({ filter: function (n) { return n.cluster === id || n.id === id; } }), id);
      }
    }
    function openSector(sector) {
      opened[sector] = true;
      refresh();
      frame();
    }

    // Fit what matters on screen, but never below the zoom at which labels stay legible.
    function frame(ids, centre) {
      network.fit(ids ? { nodes: ids, animation: false } : { animation: false });
      var scale = network.getScale();
      var bounded = Math.min(Math.max(scale, data.minScale || 0.85), MAX_SCALE);
      if (bounded !== scale) {
        var at = centre !== undefined && centre !== null ? network.getPositions([centre])[centre] : network.getViewPosition();
        network.moveTo({ scale: bounded, position: at, animation: false });
      }
    }

    // vis-network rescales the view when its canvas changes size (a scroll bar appears, the bar wraps): the
    // zoom is kept legible then too.
    // (It rescales after telling of the resize, so the zoom is checked a moment later.)
    network.on("resize", function () { setTimeout(legible, 0); });
    function legible() {
      var floor = data.minScale || 0.85;
      if (network.getScale() < floor) network.moveTo({ scale: floor, animation: false });
    }

    network.once("afterDrawing", function () {
      state.readyAt = performance.now();
      if (window.saGraphReady === undefined) window.saGraphReady = state.readyAt;
      if (data.focus !== null && data.focus !== undefined && view.get(data.focus)) network.selectNodes([data.focus]);
      block.setAttribute("data-stable", "true");
    });

    network.on("click", function (params) {
      if (!params.nodes.length) return;
      var node = nodes.get(params.nodes[0]);
      if (!node) return;
      if (node.cluster_of) { toggle(node.id); return; }
      if (node.more) { openSector(node.sector); return; }
      if (node.url) window.location.href = node.url;
    });
    network.on("hoverNode", function (params) {
      var node = nodes.get(params.node);
      canvas.style.cursor = node && (node.url || node.cluster_of || node.more) ? "pointer" : "";
    });
    network.on("blurNode", function () { canvas.style.cursor = ""; });

    // Finding a node opens its group or its relation's "more" first, so it is on screen.
    function search() {
      var query = input.value.trim().toLowerCase();
      if (!query) { network.unselectAll(); status(); return; }
      var matches = nodes.get({ filter: function (n) { return !!n.search && shownKind(n) && n.search.indexOf(query) !== -1; } });
      matches.sort(function (a, b) {
        var ea = a.name.toLowerCase() === query ? 0 : 1, eb = b.name.toLowerCase() === query ? 0 : 1;
        var va = view.get(a.id) ? 0 : 1, vb = view.get(b.id) ? 0 : 1;
        return ea - eb || va - vb || a.name.length - b.name.length;
      });
      if (!matches.length) { network.unselectAll(); status(data.text.notFound); return; }
      var best = matches[0];
      if (best.cluster && !expanded[best.cluster]) toggle(best.cluster, true);
      if (best.extra && !opened[best.sector]) openSector(best.sector);
      network.selectNodes([best.id]);
      network.focus(best.id, { scale: Math.max(network.getScale(), 1.2), animation: false });
      status(best.name);
    }
    var pending = null;
    input.addEventListener("input", function () {
      // Typing opens groups only once the query stops changing, not for every letter.
      clearTimeout(pending);
      pending = setTimeout(search, 250);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      clearTimeout(pending);
      search();
      var selected = network.getSelectedNodes();
      if (selected.length) {
        var node = nodes.get(selected[0]);
        if (node && node.url) window.location.href = node.url;
      }
    });
    if (upright && mode === "overview") arrange(null);
    refresh();
    frame(undefined, mode === "radial" || (mode === "plain" && data.focus !== null) ? data.focus : null);
  }

  Array.prototype.forEach.call(document.querySelectorAll(".sa-graph[data-graph]"), setup);
})();
