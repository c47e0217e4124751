"""The graph explorer: the whole graph, and one view per concept scheme and per technology category."""

from __future__ import annotations

from kgtools.site.pages.escape import h, md, yaml_str
from kgtools.site.pages.explorer import graph_block, graph_data, overview_data
from kgtools.site.pages.i18n import t
from kgtools.site.pages.markup import Doc, Page
from kgtools.site.pages.model import DERIVED, IN_SCHEME, SA, SiteModel

CATEGORY = SA + "category"


def _front(title: str) -> str:
    """Graph pages use the full width (no side bars) and stay out of the search index."""
    return "\n".join(["---", f"title: {yaml_str(h(title))}", "sa_graph: true", "hide:", "  - navigation", "  - toc",
                      "search:", "  exclude: true", "---"])


def _view(page: Page, title: str, intro: str, data: dict[str, object]) -> Doc:
    doc = Doc([_front(title)]).md(f"# {md(title)}")
    doc.html(intro + f'<p class="sa-intro">{h(t("graph.help", page.lang))}</p>',
             graph_block(data, height=680, tall=True))
    return doc


def whole_graph_page(page: Page) -> Doc:
    # One node per community, expanding on click; concepts and sources start hidden (they can be switched on).
    data = overview_data(page)
    return _view(page, t("graph.whole", page.lang), "", data)


def schemes(model: SiteModel) -> list[str]:
    return sorted(e.iri for e in model.of_kind("concept") if e.is_scheme)


def categories(model: SiteModel) -> list[str]:
    return sorted({c for links in model.outgoing.values() for p, c in links if p == CATEGORY})


def _around(model: SiteModel, core: set[str]) -> set[str]:
    """`core` and everything one step from it, leaving out sources (they would link nearly everything)."""
    near = set(core)
    for iri in core:
        for predicate, other in model.outgoing.get(iri, []) + model.incoming.get(iri, []):
            if predicate != DERIVED and model.entities[other].kind != "source":
                near.add(other)
    return near


def scheme_view_page(page: Page, scheme: str) -> Doc:
    model = page.model
    core = {scheme, *model.sources_of(scheme, IN_SCHEME)}
    title = t("graph.view_of", page.lang, label=model.label(scheme, page.lang))
    return _view(page, title, f"<p>{page.link(scheme)}</p>", graph_data(page, _around(model, core), focus=scheme))


def category_view_page(page: Page, category: str) -> Doc:
    model = page.model
    core = {category, *model.sources_of(category, CATEGORY)}
    title = t("graph.view_of", page.lang, label=model.label(category, page.lang))
    return _view(page, title, f"<p>{page.link(category)}</p>", graph_data(page, _around(model, core), focus=category))


def view_list_page(page: Page, key: str, kind: str, iris: list[str]) -> Doc:
    """A list of the per-scheme or per-category views, each beside a link to the concept's own page."""
    items = []
    for entity in page.model.sorted(iris, page.lang):
        href = page.href(f"graph/{kind}/{entity.id}.html")
        items.append(f'<li><a href="{h(href)}">{h(entity.label(page.lang))}</a> {page.link(entity.iri, "↗")}</li>')
    body = '<ul class="sa-list">\n' + "\n".join(items) + "\n</ul>" if items else \
        f'<p class="sa-empty">{h(t("entity.none", page.lang))}</p>'
    return Doc().md(f"# {md(t(key, page.lang))}").html(body)
