"""Graph views drawn with vis-network: the data of each view, laid out at build time, and the block that holds it.

Every view ships fixed coordinates (kgtools.site.pages.graph_layout) and
graph.js draws them with the physics off, so a view is still and readable as
soon as it is drawn. Three kinds of view:

- `graph_data` ("plain"): a scheme's or a category's surroundings, every node
  placed, labels drawn where they fit (the rest on hover);
- `overview_data` ("overview"): the whole graph as one node per community,
  each expanding in place into its members (laid out around it beforehand);
- `neighbourhood_data` ("radial"): an entity and what it links to, one sector
  per relation, at most `CAP` nodes at first and a "+N more" node per relation.

Each page carries only its graph as escaped JSON, and one shared script
(`assets/stackatlas/graph.js`) draws it with the vis-network copy the site
serves once. vis-network 9 shows string tooltips as text, and labels are
painted on a canvas, so record text can never become markup here.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Iterable

from kgtools.site.pages.communities import communities, community_of, name, page_rank, view_legend
from kgtools.site.pages.escape import h, script_json
from kgtools.site.pages.graph_layout import FONT, MIN_SCALE, PORTRAIT, Item, Sector, extent, force_layout, sector_layout
from kgtools.site.pages.i18n import t
from kgtools.site.pages.markup import Page
from kgtools.site.pages.model import DERIVED, DERIVED_INVERSES, MATERIALISED_INVERSES, SiteModel

KIND_ORDER = ("technology", "concept", "case", "organization", "assessment", "guide", "model", "source")
KIND_COLOURS = {
    "technology": "#1e88e5", "concept": "#43a047", "case": "#fb8c00",
    "organization": "#8e24aa", "assessment": "#e53935", "guide": "#00897b", "model": "#6d4c41", "source": "#78909c",
}
OVERVIEW_HIDDEN = ("concept", "source")   # kinds the whole graph opens without (they can be switched on)
CAP = 25          # nodes a neighbourhood shows at first, the focus and its "more" nodes included
PER_RELATION = 8  # a relation's neighbours shown at first (the rest behind its "+N more")
MIN_GROUP = 5     # communities smaller than this share the overview's "other" group


def _options() -> dict[str, object]:
    """vis-network options: no physics (positions are fixed), labels at `FONT`, kinds as colour groups."""
    return {
        "physics": {"enabled": False, "stabilization": {"enabled": False, "fit": False}},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "color": {"inherit": "from", "opacity": 0.45},
                  "smooth": False, "width": 1},
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False, "keyboard": False,
                        "dragNodes": False},
        "nodes": {"shape": "dot", "size": 8, "font": {"size": FONT, "face": "sans-serif"}},
        "groups": {kind: {"color": {"background": colour, "border": colour}} for kind, colour in KIND_COLOURS.items()},
    }


def _text(lang: str) -> dict[str, str]:
    keys = {"filter": "graph.filter", "search": "graph.search", "placeholder": "graph.search.placeholder",
            "notFound": "graph.not_found", "nodes": "graph.nodes", "edges": "graph.edges", "colour": "graph.colour",
            "byKind": "graph.colour.kind", "byCommunity": "graph.colour.community", "collapse": "graph.collapse",
            "expandHint": "graph.expand_hint", "collapseHint": "graph.collapse_hint", "relations": "graph.relations"}
    return {k: t(v, lang) for k, v in keys.items()}


def edges_between(model: SiteModel, nodes: set[str], cited: bool) -> list[tuple[str, str, str]]:
    """Relations among `nodes`, without derived inverses (and without citation links unless `cited`)."""
    out = []
    for subject in sorted(nodes):
        for predicate, obj in model.outgoing.get(subject, []):
            if obj in nodes and predicate not in DERIVED_INVERSES and (cited or predicate != DERIVED):
                out.append((subject, predicate, obj))
    return out


def _order(model: SiteModel, iris: Iterable[str]) -> list[str]:
    return sorted((n for n in iris if n in model.entities), key=lambda n: (KIND_ORDER.index(model.entities[n].kind), n))


def _node(page: Page, iri: str, ident: int) -> dict[str, object]:
    """What every node of an entity carries: its name (drawn as `label` only where it fits), tooltip and page."""
    entity = page.model.entities[iri]
    lang = page.lang
    label = entity.label(lang)
    alt = entity.labels.get("en" if lang == "zh" else "zh", "")
    tooltip = f"{t(f'kind.{entity.type_key}', lang)} · {label}" + (f" / {alt}" if alt and alt != label else "")
    node: dict[str, object] = {"id": ident, "name": label, "title": tooltip, "group": entity.kind,
                               "url": page.href(page.entity_url(iri)),
                               "search": " ".join([label, alt, *entity.aliases, entity.id]).casefold()}
    if entity.is_scheme:
        node["shape"] = "diamond"
    if community_of(entity) is not None:
        node["community"] = community_of(entity)  # graph.js can colour by it (kgtools.site.communities)
    return node


def _place(node: dict[str, object], x: float, y: float, size: float, shown: bool) -> None:
    node.update({"x": x, "y": y, "size": size})
    if shown:
        node["label"] = node["name"]


def _common(page: Page, order: list[str], mode: str, hidden: tuple[str, ...] = ()) -> dict[str, object]:
    model, lang = page.model, page.lang
    kinds = Counter(model.entities[n].kind for n in order)
    return {
        "mode": mode,
        "options": _options(),
        "minScale": math.ceil(MIN_SCALE * 1e4) / 1e4,   # graph.js never opens a view below this zoom: labels stay legible
        "kinds": [[k, t(f"kinds.{k}", lang), kinds[k]] for k in KIND_ORDER if kinds[k]],
        "hidden": [k for k in hidden if kinds[k]],
        "communities": view_legend(model, order, lang, t("graph.community.other", lang)),
        "text": _text(lang),
    }


def _dot(degree: int) -> float:
    """A plain view's dot grows with its links, a little: big dots would crowd out the labels."""
    return round(6 + min(6.0, 1.5 * math.sqrt(degree)), 1)


def graph_data(page: Page, nodes: Iterable[str], cited: bool = False, focus: str | None = None,
               hidden: tuple[str, ...] = ()) -> dict[str, object]:
    """A plain view: every node at a precomputed position; labels drawn for the most linked that fit."""
    model, lang = page.model, page.lang
    order = _order(model, nodes)
    index = {iri: i for i, iri in enumerate(order)}
    links = edges_between(model, set(order), cited)
    degree: Counter[str] = Counter()
    for subject, _, obj in links:
        degree[subject] += 1
        degree[obj] += 1
    sizes = [16.0 if iri == focus else _dot(degree[iri]) for iri in order]
    items = [Item(model.entities[iri].label(lang), size) for iri, size in zip(order, sizes, strict=True)]
    priority = sorted(range(len(order)), key=lambda i: (order[i] != focus, model.entities[order[i]].kind in hidden,
                                                        -degree[order[i]], -page_rank(model.entities[order[i]]), i))
    xy, shown = force_layout(items, [(index[s], index[o], 1.0) for s, _, o in links], priority)
    out_nodes = []
    for i, iri in enumerate(order):
        node = _node(page, iri, i)
        _place(node, float(xy[i][0]), float(xy[i][1]), sizes[i], shown[i])
        if iri == focus:
            node["borderWidth"] = 4
        out_nodes.append(node)
    data = _common(page, order, "plain", hidden)
    if len(links) > 3 * len(order):   # a dense view: fainter edges, so the nodes and labels stand out
        data["options"]["edges"]["color"]["opacity"] = 0.15   # type: ignore[index]
    data.update({"nodes": out_nodes, "focus": index.get(focus) if focus else None,
                 "edges": [{"from": index[s], "to": index[o], "title": model.label(p, lang)} for s, p, o in links]})
    return data


# -- the whole graph: communities first ----------------------------------------------------------


def _groups(model: SiteModel, order: list[str]) -> list[tuple[int | None, list[str]]]:
    """(community number, members) for the overview, largest first; small communities together as (None, …)."""
    found = communities(model)
    members: dict[int | None, list[str]] = defaultdict(list)
    for iri in order:
        number = community_of(model.entities[iri])
        big = number is not None and number in found and len(found[number].members) >= MIN_GROUP
        members[number if big else None].append(iri)
    rank = {iri: page_rank(model.entities[iri]) for iri in order}
    groups = [(n, sorted(m, key=lambda i: (-rank[i], i))) for n, m in members.items()]
    return sorted(groups, key=lambda g: (g[0] is None, -len(g[1]), g[0] or 0))


def overview_data(page: Page) -> dict[str, object]:
    """The whole graph as one node per community, each expanding into its members laid out around it.

    Each group's members are laid out once around the group's own node (their
    positions relative to it), so graph.js can open a group in place and move
    it, members and all, when opening it needs room.
    """
    model, lang = page.model, page.lang
    order = _order(model, model.entities)
    index = {iri: i for i, iri in enumerate(order)}
    links = edges_between(model, set(order), cited=True)
    groups = _groups(model, order)
    found = communities(model)
    group_of = {iri: g for g, (_, members) in enumerate(groups) for iri in members}
    biggest = max(len(m) for _, m in groups)
    shown_default = [sum(model.entities[i].kind not in OVERVIEW_HIDDEN for i in m) for _, m in groups]
    cluster_nodes, nodes = [], []
    hubs: list[Item] = []
    for g, (number, members) in enumerate(groups):
        title = name(model, found[number], lang) if number is not None else t("graph.community.other", lang)
        size = round(12 + 20 * math.sqrt(len(members) / biggest), 1)
        hub = Item(f"{title} · {len(members)}", size)   # graph.js writes the count of the kinds shown: no wider
        hubs.append(hub)
        # The kinds shown at first are laid out around the hub, the others then around them (their places are
        # kept when they are switched on, and the first ones' labels stay clear of them).
        first = [i for i in members if model.entities[i].kind not in OVERVIEW_HIDDEN]
        members = first + [i for i in members if i not in set(first)]
        local = [hub, *(Item(model.entities[i].label(lang), 8.0) for i in members)]
        local_index = {iri: k + 1 for k, iri in enumerate(members)}
        inner = [(local_index[s], local_index[o], 1.0) for s, _, o in links if group_of[s] == g == group_of[o]]
        core = len(first) + 1
        xy, shown = force_layout(local[:core], [e for e in inner if e[0] < core and e[1] < core], list(range(core)),
                                 boxed=core, fixed={0: (0.0, 0.0)})
        reach_first = extent(xy, local[:core], shown)
        if core < len(local):
            pinned = {k: (float(xy[k][0]), float(xy[k][1])) for k in range(core)}
            xy, shown = force_layout(local, inner, list(range(len(local))), boxed=core, fixed=pinned)
        for k, iri in enumerate(members, start=1):
            node = _node(page, iri, index[iri])
            _place(node, float(xy[k][0]), float(xy[k][1]), 8.0, shown[k])
            node["cluster"] = f"g{g}"
            node["rx"], node["ry"] = node.pop("x"), node.pop("y")
            nodes.append(node)
        cluster_nodes.append({"id": f"g{g}", "name": title, "size": size, "community": number,
                              "reach": round(extent(xy, local, shown) + 12, 1), "members": len(members),
                              "reachFirst": round(reach_first + 12, 1),   # while only the first kinds show
                              "box": [round(v, 1) for v in hub.box()],
                              "shownDefault": shown_default[g]})
    weights: Counter[tuple[int, int]] = Counter()
    for s, _, o in links:
        a, b = sorted((group_of[s], group_of[o]))
        if a != b:
            weights[(a, b)] += 1
    xy, _ = force_layout(hubs, [(a, b, float(w)) for (a, b), w in weights.items()], list(range(len(hubs))),
                         boxed=len(hubs))
    for g, cluster in enumerate(cluster_nodes):
        cluster["x"], cluster["y"] = float(xy[g][0]), float(xy[g][1])
    data = _common(page, order, "overview", OVERVIEW_HIDDEN)
    data.update({"nodes": nodes, "clusters": cluster_nodes, "focus": None,
                 "edges": [{"from": index[s], "to": index[o], "title": model.label(p, lang)} for s, p, o in links]})
    return data


# -- an entity's neighbourhood: one sector per relation --------------------------------------------


def relations_of(model: SiteModel, iri: str) -> list[tuple[str, str, list[str]]]:
    """(predicate, "out" or "in", neighbours) around `iri`, largest first; each neighbour in one relation only.

    Sources are left out around anything but a source (they cite everything);
    citation links only count around a source.
    """
    source = model.entities[iri].kind == "source"
    rels: dict[tuple[str, str], list[str]] = defaultdict(list)
    for direction, links in (("out", model.outgoing.get(iri, [])), ("in", model.incoming.get(iri, []))):
        for predicate, other in links:
            if other == iri or other not in model.entities or (predicate == DERIVED and not source):
                continue
            if direction == "in" and predicate in MATERIALISED_INVERSES:
                continue
            if not source and model.entities[other].kind == "source":
                continue
            rels[(predicate, direction)].append(other)
    seen: set[str] = set()
    out = []
    for (predicate, direction), others in sorted(rels.items(), key=lambda r: (-len(set(r[1])), r[0])):
        fresh = sorted({o for o in others if o not in seen}, key=lambda o: (-page_rank(model.entities[o]), o))
        seen.update(fresh)
        if fresh:
            out.append((predicate, direction, fresh))
    return sorted(out, key=lambda r: (-len(r[2]), r[0], r[1]))


def allot(counts: list[int], budget: int, most: int = PER_RELATION) -> list[int]:
    """How many of each relation to show at first: round-robin up to `most` each, within `budget` nodes,
    a "+N more" node counted for each relation cut short."""
    shown = [0] * len(counts)
    while True:
        grew = False
        for i, count in enumerate(counts):
            if shown[i] >= min(count, most):
                continue
            trial = shown.copy()
            trial[i] += 1
            if sum(trial) + sum(s < c for s, c in zip(trial, counts, strict=True)) > budget:
                continue
            shown, grew = trial, True
        if not grew:
            return shown


def neighbourhood_data(page: Page, iri: str) -> dict[str, object]:
    """The entity at the centre and its neighbours in one sector per relation, "+N more" where a relation is cut."""
    model, lang = page.model, page.lang
    rels = relations_of(model, iri)
    counts = [len(r[2]) for r in rels]
    shown = allot(counts, CAP - 1)
    focus_item = Item(model.entities[iri].label(lang), 16.0)
    sectors = []
    titles = []
    for (predicate, direction, others), first in zip(rels, shown, strict=True):
        relation = model.label(predicate, lang) if direction == "out" else model.inverse_label(predicate, lang)
        titles.append(f"{relation} ({len(others)})")
        items = [Item(model.entities[o].label(lang), 9.0) for o in others[:first]]
        if first < len(others):
            items.append(Item(t("graph.more", lang, n=len(others) - first), 7.0))
        items += [Item(model.entities[o].label(lang), 9.0) for o in others[first:]]
        sectors.append(Sector(Item(titles[-1], 0.0, centred=True, font=FONT), tuple(items)))
    first_items = [s + (s < c) for s, c in zip(shown, counts, strict=True)]
    title_xy, positions = sector_layout(focus_item, sectors, first_items)
    upright_titles, upright = sector_layout(focus_item, sectors, first_items, PORTRAIT)   # for phones held upright
    nodes = [_node(page, iri, 0)]
    _place(nodes[0], 0.0, 0.0, 16.0, True)
    nodes[0]["px"] = nodes[0]["py"] = 0.0
    nodes[0]["borderWidth"] = 4
    edges = []
    ident = 1
    for r, ((_, direction, others), first) in enumerate(zip(rels, shown, strict=True)):
        spots, tall = positions[r], upright[r]
        nodes.append({"id": f"s{r}", "name": titles[r], "label": titles[r], "shape": "text", "x": title_xy[r][0],
                      "y": title_xy[r][1], "px": upright_titles[r][0], "py": upright_titles[r][1], "sector": r,
                      "title": titles[r], "font": {"color": "#3f51b5"}})
        relation = titles[r].rsplit(" (", 1)[0]
        for k, other in enumerate(others):
            node = _node(page, other, ident)
            spot = k if k < first else k + 1   # the "more" node sits where the first hidden one would
            _place(node, *spots[spot], 9.0, True)
            node["px"], node["py"] = tall[spot]
            node["sector"] = r
            if k >= first:
                node["extra"] = True
            nodes.append(node)
            ends = (0, ident) if direction == "out" else (ident, 0)
            edges.append({"from": ends[0], "to": ends[1], "title": relation})
            ident += 1
        if first < len(others):
            label = t("graph.more", lang, n=len(others) - first)
            nodes.append({"id": f"m{r}", "name": label, "label": label, "x": spots[first][0], "y": spots[first][1],
                          "px": tall[first][0], "py": tall[first][1], "size": 7.0, "sector": r, "more": True,
                          "title": t("graph.more_hint", lang), "color": {"background": "#ffffff", "border": "#607d8b"}})
    data = _common(page, [iri, *(o for r in rels for o in r[2])], "radial")
    data.update({"nodes": nodes, "edges": edges, "focus": 0, "cap": CAP})
    return data


def graph_block(data: dict[str, object], height: int = 520, tall: bool = False) -> str:
    """The container graph.js fills, followed by the view's data as inert JSON.

    The id comes from the data, not from a counter: a page is then the same
    whichever pages were made before it (`kg serve` remakes a few pages alone).
    """
    payload = script_json(data)
    ident = f"sa-graph-{hashlib.blake2s(payload.encode('utf-8'), digest_size=5).hexdigest()}"
    css = "sa-graph sa-graph--tall" if tall else "sa-graph"
    return (f'<div class="{css}" data-graph="{h(ident)}" data-mode="{h(str(data.get("mode", "plain")))}" '
            f'style="height:{int(height)}px"><div class="sa-graph__canvas"></div></div>\n'
            f'<script type="application/json" id="{h(ident)}">{payload}</script>')
