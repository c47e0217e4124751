"""The Insights page: PageRank ranking, communities, bridges between schemes, and a path finder.

Rank and community are read from the graph (`sa:pageRank`, `sa:community`,
written by kgtools.analytics at build time); degree, bridges and the path
finder's adjacency come from analytics' own entity graph, so the page shows
what `kg analyze` prints. The path finder runs in the browser
(`assets/stackatlas/insights.js`) over adjacency exported as a JSON file beside
the page: a breadth-first search on the undirected entity graph, the same
shortest-path problem `analytics.explain_path` solves, with each hop named by
the same predicate it would choose. The JSON holds record text only as JSON
strings (escaped like every JSON the site embeds), and the script writes it
with `textContent`.
"""

from __future__ import annotations

from typing import Any

from kgtools.graph.vocab import BASE
from kgtools.insights.analytics import EntityGraph, bridges
from kgtools.site.pages.communities import Community, communities, community_of, name, page_rank
from kgtools.site.pages.escape import h, md, script_json, yaml_str
from kgtools.site.pages.i18n import t
from kgtools.site.pages.markup import Doc, Page, heading, table
from kgtools.site.pages.relations import fold_links

PATHS_ASSET = "analysis/insights-paths.json"
TOP = 30
MEMBERS = 8


def _kind(page: Page, iri: str) -> str:
    entity = page.model.entities[iri]
    return f'<span class="sa-kind sa-kind--{entity.kind}">{h(t(f"kind.{entity.type_key}", page.lang))}</span>'


def _community_chip(page: Page, number: int | None, found: dict[int, Community]) -> str:
    if number is None or number not in found:
        return "—"
    community = found[number]
    target = f"#community-{number}" if len(community.members) > 1 else ""
    text = f'<span class="sa-swatch" style="background:{h(community.colour)}"></span>#{number}'
    return f'<a class="sa-community" href="{h(target)}">{text}</a>' if target else text


def _ranking(page: Page, entities: EntityGraph) -> str:
    model = page.model
    simple = entities.undirected()
    found = communities(model)
    ranked = sorted((e for e in model.entities.values() if e.iri in simple),
                    key=lambda e: (-page_rank(e), e.iri))[:TOP]
    rows = [[str(n), page.link(e.iri), _kind(page, e.iri), f'<span class="sa-figure">{page_rank(e):.4f}</span>',
             str(simple.degree(e.iri)), _community_chip(page, community_of(e), found)]
            for n, e in enumerate(ranked, 1)]
    head = [h(t(k, page.lang)) for k in ("insights.rank", "insights.entity", "insights.kind")] + ["PageRank"] + \
           [h(t(k, page.lang)) for k in ("insights.degree", "insights.community")]
    return table(head, rows, "sa-insights sa-insights--ranking")


def _communities(page: Page) -> tuple[str, str]:
    model, lang = page.model, page.lang
    found = communities(model)
    listed = [c for c in found.values() if len(c.members) > 1]
    single = sum(1 for c in found.values() if len(c.members) == 1)
    rows = []
    for community in listed:
        leading = fold_links(page, [page.link(m) for m in community.members], MEMBERS)  # the rest open in place
        swatch = f'<span class="sa-swatch" style="background:{h(community.colour)}"></span>'
        rows.append([f'<span id="community-{community.number}">{swatch}{h(name(model, community, lang))}</span>',
                     str(len(community.members)), leading])
    head = [h(t(k, lang)) for k in ("insights.community", "insights.size", "insights.members")]
    intro = t("insights.communities.intro", lang, n=len(found), shown=len(listed), single=single)
    return intro, table(head, rows, "sa-insights sa-insights--communities")


def _bridges(page: Page, entities: EntityGraph) -> str:
    rows = []
    for iri, schemes in bridges(entities):
        if iri not in page.model.entities:
            continue
        rows.append([page.link(iri), _kind(page, iri), str(len(schemes)), page.links(schemes)])
    head = [h(t(k, page.lang)) for k in ("insights.entity", "insights.kind")] + ["#", h(t("insights.schemes", page.lang))]
    return table(head, rows, "sa-insights sa-insights--bridges")


def path_data(page: Page, entities: EntityGraph) -> dict[str, Any]:
    """Nodes (key, label, page, kind), predicates (IRI, label) and one edge per ordered pair, as explain_path names it.

    explain_path takes, for a hop a–b, the alphabetically first predicate
    from a to b if there is any, else the first from b to a; keeping only that
    predicate per ordered pair gives the browser exactly the same choice.
    """
    model, lang = page.model, page.lang
    nodes = sorted(n for n in entities.graph.nodes if n in model.entities)
    index = {iri: i for i, iri in enumerate(nodes)}
    first: dict[tuple[str, str], str] = {}
    for source, target, predicate in entities.graph.edges(keys=True):
        if source != target and source in index and target in index:
            key = (source, target)
            first[key] = min(first.get(key, predicate), predicate)
    predicates = sorted(set(first.values()))
    pindex = {p: i for i, p in enumerate(predicates)}
    out_nodes = []
    for iri in nodes:
        entity = model.entities[iri]
        out_nodes.append([f"{entity.kind}/{entity.id}", entity.label(lang), page.href(page.entity_url(iri)),
                          t(f"kind.{entity.type_key}", lang)])
    return {
        "base": BASE,
        "nodes": out_nodes,
        "predicates": [[p, model.label(p, lang)] for p in predicates],
        "edges": [[index[s], index[o], pindex[p]] for (s, o), p in sorted(first.items())],
    }


def _path_finder(page: Page, entities: EntityGraph) -> str:
    """The form the script drives, pre-filled with the highest-ranked technology and case, and its interface text."""
    model, lang = page.model, page.lang

    def top(kind: str) -> str:
        ranked = sorted((e for e in model.of_kind(kind) if e.iri in entities.graph), key=lambda e: (-page_rank(e), e.iri))
        return ranked[0].label(lang) if ranked else ""

    text = {key.split(".", 1)[1]: t(key, lang) for key in (
        "insights.hops", "insights.no_path", "insights.unknown", "insights.same", "analysis.load_failed")}
    return (f'<form class="sa-tool sa-paths" id="sa-paths" data-src="{h(page.href(PATHS_ASSET))}" autocomplete="off">'
            f'<label>{h(t("insights.from", lang))} <input name="from" list="sa-paths-names" value="{h(top("technology"))}"'
            ' required></label> '
            f'<label>{h(t("insights.to", lang))} <input name="to" list="sa-paths-names" value="{h(top("case"))}"'
            ' required></label> '
            f'<button type="submit" class="md-button md-button--primary">{h(t("insights.find", lang))}</button>'
            '<datalist id="sa-paths-names"></datalist></form>'
            f'<noscript><p class="sa-empty">{h(t("analysis.noscript", lang))}</p></noscript>'
            '<div class="sa-paths__result" id="sa-paths-result" aria-live="polite"></div>'
            f'<script type="application/json" id="sa-paths-text">{script_json(text)}</script>')


def insights_page(page: Page, entities: EntityGraph) -> tuple[Doc, dict[str, bytes]]:
    """The page, and the path finder's adjacency to publish beside it."""
    lang = page.lang
    title = t("analysis.insights", lang)
    doc = Doc(["---", f"title: {yaml_str(h(title))}", "sa_scripts:", "  - insights.js", "---"]).md(f"# {md(title)}")
    doc.html(f'<p class="sa-intro">{h(t("insights.intro", lang))}</p>')
    doc.md(heading(2, t("insights.paths", lang), "paths"))
    doc.html(f'<p class="sa-intro">{h(t("insights.paths.intro", lang))}</p>', _path_finder(page, entities))
    doc.md(heading(2, t("insights.ranking", lang), "ranking"))
    doc.html(f'<p class="sa-intro">{h(t("insights.ranking.intro", lang, n=TOP))}</p>', _ranking(page, entities))
    intro, body = _communities(page)
    doc.md(heading(2, t("insights.communities", lang), "communities"))
    doc.html(f'<p class="sa-intro">{h(intro)}</p>', body)
    doc.md(heading(2, t("insights.bridges", lang), "bridges"))
    doc.html(f'<p class="sa-intro">{h(t("insights.bridges.intro", lang))}</p>', _bridges(page, entities))
    return doc, {PATHS_ASSET: script_json(path_data(page, entities)).encode("utf-8")}
