"""The graph explorer: the whole graph, and one view per concept scheme and per technology category."""

from __future__ import annotations

from kgtools.site.escape import h, md, yaml_str
from kgtools.site.explorer import graph_block, graph_data
from kgtools.site.i18n import t
from kgtools.site.markup import Page
from kgtools.site.model import DERIVED, IN_SCHEME, SA, SiteModel

CATEGORY = SA + "category"


def _front(title: str) -> list[str]:
    return ["---", f"title: {yaml_str(h(title))}", "sa_graph: true", "search:", "  exclude: true", "---", ""]


def _help(page: Page) -> str:
    return f'<p class="sa-intro">{h(t("graph.help", page.lang))}</p>'


def whole_graph_page(page: Page) -> str:
    data = graph_data(page, page.model.entities, cited=True, hidden=("source",))
    return "\n".join(_front(t("graph.whole", page.lang)) + [
        f"# {md(t('graph.whole', page.lang))}", "", _help(page), "", graph_block(data, height=720, tall=True), ""])


def schemes(model: SiteModel) -> list[str]:
    return [e.iri for e in model.of_kind("concept") if e.is_scheme]


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


def scheme_view_page(page: Page, scheme: str) -> str:
    model = page.model
    core = {scheme, *model.sources_of(scheme, IN_SCHEME)}
    label = model.label(scheme, page.lang)
    title = t("graph.view_of", page.lang, label=label)
    data = graph_data(page, _around(model, core), focus=scheme)
    return "\n".join(_front(title) + [f"# {md(title)}", "", f"<p>{page.link(scheme)}</p>", _help(page), "",
                                      graph_block(data, height=640, tall=True), ""])


def category_view_page(page: Page, category: str) -> str:
    model = page.model
    core = {category, *model.sources_of(category, CATEGORY)}
    label = model.label(category, page.lang)
    title = t("graph.view_of", page.lang, label=label)
    data = graph_data(page, _around(model, core), focus=category)
    return "\n".join(_front(title) + [f"# {md(title)}", "", f"<p>{page.link(category)}</p>", _help(page), "",
                                      graph_block(data, height=640, tall=True), ""])


def view_list_page(page: Page, key: str, kind: str, iris: list[str]) -> str:
    """A list of the per-scheme or per-category views, each with the size of what it shows."""
    model = page.model
    items = []
    for entity in model.sorted(iris, page.lang):
        href = page.href(f"graph/{kind}/{entity.id}.html")
        items.append(f'<li><a href="{h(href)}">{h(entity.label(page.lang))}</a> · {page.link(entity.iri, "↗")}</li>')
    body = '<ul class="sa-list">\n' + "\n".join(items) + "\n</ul>" if items else \
        f'<p class="sa-empty">{h(t("entity.none", page.lang))}</p>'
    return "\n".join([f"# {md(t(key, page.lang))}", "", body, ""])
