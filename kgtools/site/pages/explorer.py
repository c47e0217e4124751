"""Graph views drawn with pyvis's vis-network: the data of each view, and the block that holds it on a page.

pyvis assembles the network and its physics options; its HTML template is not
used (it embeds or fetches the library per page and, when a tooltip contains
"href", shows tooltips through `innerHTML`). Instead each page carries only
its graph as escaped JSON, and one shared script (`assets/stackatlas/graph.js`)
draws it with the vis-network copy the site serves once. vis-network 9 shows
string tooltips as text, and labels are painted on a canvas, so record text
can never become markup here.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable

from pyvis.network import Network

from kgtools.site.pages.communities import community_of, view_legend
from kgtools.site.pages.escape import h, script_json
from kgtools.site.pages.i18n import t
from kgtools.site.pages.markup import Page
from kgtools.site.pages.model import DERIVED, DERIVED_INVERSES, SiteModel

KIND_ORDER = ("technology", "concept", "case", "organization", "assessment", "guide", "model", "source")
KIND_COLOURS = {
    "technology": "#1e88e5", "concept": "#43a047", "case": "#fb8c00",
    "organization": "#8e24aa", "assessment": "#e53935", "guide": "#00897b", "model": "#6d4c41", "source": "#78909c",
}


def _options(nodes: int) -> dict[str, object]:
    """Physics that settles quickly and then stops (graph.js turns physics off once stabilised)."""
    net = Network(directed=True)
    net.barnes_hut(gravity=-6000, central_gravity=0.35, spring_length=110, spring_strength=0.02, damping=0.3,
                   overlap=0.1)
    options = json.loads(net.options.to_json())
    options["physics"]["stabilization"] = {"enabled": True, "iterations": 300 if nodes > 150 else 200,
                                           "updateInterval": 25, "fit": True}
    options["physics"]["minVelocity"] = 1.5
    options["edges"] = {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "color": {"inherit": "from", "opacity": 0.5},
                        "smooth": False, "width": 1}
    options["interaction"].update({"hover": True, "tooltipDelay": 120, "navigationButtons": False, "keyboard": False})
    options["layout"] = {"improvedLayout": nodes <= 100, "randomSeed": 7}
    options["nodes"] = {"shape": "dot", "scaling": {"min": 8, "max": 28}, "font": {"size": 14, "face": "sans-serif"}}
    options["groups"] = {kind: {"color": {"background": colour, "border": colour}} for kind, colour in KIND_COLOURS.items()}
    return options


def edges_between(model: SiteModel, nodes: set[str], cited: bool) -> list[tuple[str, str, str]]:
    """Relations among `nodes`, without derived inverses (and without citation links unless `cited`)."""
    out = []
    for subject in sorted(nodes):
        for predicate, obj in model.outgoing.get(subject, []):
            if obj in nodes and predicate not in DERIVED_INVERSES and (cited or predicate != DERIVED):
                out.append((subject, predicate, obj))
    return out


def graph_data(page: Page, nodes: Iterable[str], cited: bool = False, focus: str | None = None,
               hidden: tuple[str, ...] = ()) -> dict[str, object]:
    """The JSON a graph block carries: nodes with labels, tooltips and page links; edges; options; kinds."""
    model, lang = page.model, page.lang
    chosen = {n for n in nodes if n in model.entities}
    edges = edges_between(model, chosen, cited)
    degree: Counter[str] = Counter()
    for subject, _, obj in edges:
        degree[subject] += 1
        degree[obj] += 1
    order = sorted(chosen, key=lambda n: (KIND_ORDER.index(model.entities[n].kind), n))
    index = {iri: i for i, iri in enumerate(order)}
    other = "en" if lang == "zh" else "zh"
    net = Network(directed=True)
    for iri in order:
        entity = model.entities[iri]
        label = entity.label(lang)
        alt = entity.labels.get(other, "")
        kind_name = t(f"kind.{entity.type_key}", lang)
        tooltip = f"{kind_name} · {label}" + (f" / {alt}" if alt and alt != label else "")
        node = {"id": index[iri], "label": label, "title": tooltip, "group": entity.kind,
                "url": page.href(page.entity_url(iri)), "value": degree[iri] + 1,
                "search": " ".join([label, alt, *entity.aliases, entity.id]).casefold()}
        if entity.is_scheme:
            node["shape"] = "diamond"
        if community_of(entity) is not None:
            node["community"] = community_of(entity)  # graph.js can colour by it (kgtools.site.communities)
        if iri == focus:
            node["borderWidth"] = 4
            node["value"] = max(degree.values(), default=1) + 2
        net.nodes.append(node)
    for subject, predicate, obj in edges:
        net.edges.append({"from": index[subject], "to": index[obj], "title": model.label(predicate, lang)})
    vis_nodes, vis_edges, _, _, _, _ = net.get_network_data()
    kinds = Counter(model.entities[n].kind for n in order)
    return {
        "nodes": vis_nodes,
        "edges": vis_edges,
        "options": _options(len(order)),
        "kinds": [[k, t(f"kinds.{k}", lang), kinds[k]] for k in KIND_ORDER if kinds[k]],
        "hidden": [k for k in hidden if kinds[k]],
        "focus": index.get(focus) if focus else None,
        "communities": view_legend(model, order, lang, t("graph.community.other", lang)),
        "text": {"filter": t("graph.filter", lang), "search": t("graph.search", lang),
                 "placeholder": t("graph.search.placeholder", lang), "notFound": t("graph.not_found", lang),
                 "nodes": t("graph.nodes", lang), "edges": t("graph.edges", lang),
                 "colour": t("graph.colour", lang), "byKind": t("graph.colour.kind", lang),
                 "byCommunity": t("graph.colour.community", lang)},
    }


def graph_block(data: dict[str, object], height: int = 520, tall: bool = False) -> str:
    """The container graph.js fills, followed by the view's data as inert JSON.

    The id comes from the data, not from a counter: a page is then the same
    whichever pages were made before it (`kg serve` remakes a few pages alone).
    """
    payload = script_json(data)
    ident = f"sa-graph-{hashlib.blake2s(payload.encode('utf-8'), digest_size=5).hexdigest()}"
    css = "sa-graph sa-graph--tall" if tall else "sa-graph"
    return (f'<div class="{css}" data-graph="{h(ident)}" style="height:{int(height)}px">'
            f'<div class="sa-graph__canvas"></div></div>\n'
            f'<script type="application/json" id="{h(ident)}">{payload}</script>')


def neighbourhood(model: SiteModel, iri: str, limit: int = 60) -> set[str]:
    """The entity and what it links to either way; sources only around a source (they cite everything)."""
    entity = model.entities[iri]
    cited = entity.kind == "source"
    near: list[str] = []
    for predicate, other in model.outgoing.get(iri, []) + model.incoming.get(iri, []):
        if (predicate != DERIVED or cited) and other not in near:
            near.append(other)
    if not cited:
        near = [n for n in near if model.entities[n].kind != "source"]
    return {iri, *near[:limit]}
