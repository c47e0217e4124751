"""Every generated page of one language: path → Markdown, plus which are entity pages (out of the navigation).

A list of steps, one per family of pages; each page gets its own `Page` so
its links are relative to where it lives and its footnotes are its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kgtools.query.saved import saved_queries
from kgtools.records.history import History
from kgtools.records.project import Project
from kgtools.site.pages import (
    browse,
    compare_pages,
    extras,
    finder,
    glossary,
    graph_pages,
    history_page,
    query_page,
    side_by_side,
    urls,
)
from kgtools.site.pages.analysis import PAGES as ANALYSIS_PAGES
from kgtools.site.pages.analysis import analysis_pages
from kgtools.site.pages.compare import PAGES, Tables
from kgtools.site.pages.entity_page import render_entity
from kgtools.site.pages.markup import Doc, Page
from kgtools.site.pages.model import SiteModel
from kgtools.site.pages.query_data import ONTOLOGY_FILE, query_data
from kgtools.site.pages.tags import tags_page
from kgtools.site.plugin.inputs import GraphInput


@dataclass
class GeneratedPage:
    markdown: str
    slots: list[str]             # HTML blocks put back after Markdown (markup.fill)
    edit: str | None = None      # repository path the "edit this page" link opens
    in_nav: bool = True


@dataclass
class Settings:
    lang: str
    root: str                    # from this language's root to the site root
    repository: str
    branch: str
    project: Project | None = None  # where the saved queries (corpus/queries) are read from
    history: History = field(default_factory=History)  # git history of the records (empty outside a checkout)

    def blob(self, path: str) -> str:
        return f"{self.repository.rstrip('/')}/blob/{self.branch}/{path}"

    def edit(self, path: str) -> str:
        return f"{self.repository.rstrip('/')}/edit/{self.branch}/{path}"


@dataclass
class Generated:
    pages: dict[str, GeneratedPage] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)  # other files to publish (data for the analysis pages)

    def add(self, path: str, doc: Doc, edit: str | None = None, in_nav: bool = True) -> None:
        self.pages[urls.src(path)] = GeneratedPage(doc.markdown(), doc.slots, edit, in_nav)


def generate(model: SiteModel, tables: Tables, graph: GraphInput, settings: Settings,
             wanted: Callable[[str], bool] | None = None) -> Generated:
    """Every page; with `wanted`, only the pages whose path it accepts (`kg serve`'s refresh of a few pages)."""
    out = Generated()

    def want(*paths: str) -> bool:
        return wanted is None or any(wanted(path) for path in paths)

    def page(path: str) -> Page:
        return Page(model, settings.lang, urls.url(path), settings.root)

    links = history_page.Links(settings.repository, settings.branch)
    # 1. one page per entity, out of the navigation
    for entity in model.entities.values():
        path = urls.entity_path(entity.kind, entity.id)
        if not want(path):
            continue
        record = urls.record_file(entity.kind, entity.id)
        changed = history_page.last_changed_cell(page(path), settings.history, links, record)
        out.add(path, render_entity(page(path), entity, tables, settings.blob(record), changed), edit=record,
                in_nav=False)
    # 2. browse pages
    for path, render in (
        ("technologies/index", browse.technologies_page),
        ("concepts/index", browse.concepts_page),
        ("cases/index", browse.cases_page),
        ("cases/by-technology", browse.cases_by_technology_page),
        ("organizations/index", browse.organizations_page),
        ("sources/index", browse.sources_page),
        ("assessments/index", browse.assessments_page),
        ("guides/index", browse.guides_page),
        ("models/index", browse.models_page),
        ("tags/index", tags_page),
    ):
        if want(path):
            out.add(path, render(page(path)))
    # 3. comparison pages, queried from the graph
    if want("compare/index"):
        out.add("compare/index", compare_pages.compare_index(page("compare/index"), tables))
    for name in PAGES:
        path = compare_pages.compare_path(name)
        if want(path):
            out.add(path, compare_pages.compare_page(page(path), tables, name))
    # 3b. faceted finders and technologies side by side, filtered in the browser from JSON made here
    for path, kind in ((finder.TECH_PAGE, "technology"), (finder.CASE_PAGE, "case")):
        if want(path):
            doc, files = finder.finder_page(page(path), kind)
            out.add(path, doc)
            out.files.update(files)
    if want(side_by_side.PAGE):
        doc, files = side_by_side.compare_page(page(side_by_side.PAGE))
        out.add(side_by_side.PAGE, doc)
        out.files.update(files)
    # 4. graph explorer: the whole graph, and a view per scheme and per category
    if want("graph/index"):
        out.add("graph/index", graph_pages.whole_graph_page(page("graph/index")))
    schemes, categories = graph_pages.schemes(model), graph_pages.categories(model)
    if want("graph/schemes"):
        out.add("graph/schemes", graph_pages.view_list_page(page("graph/schemes"), "graph.schemes", "scheme", schemes))
    if want("graph/categories"):
        out.add("graph/categories", graph_pages.view_list_page(page("graph/categories"), "graph.categories", "category",
                                                               categories))
    for scheme in schemes:
        path = f"graph/scheme/{model.entities[scheme].id}"
        if want(path):
            out.add(path, graph_pages.scheme_view_page(page(path), scheme), in_nav=False)
    for category in categories:
        path = f"graph/category/{model.entities[category].id}"
        if want(path):
            out.add(path, graph_pages.category_view_page(page(path), category), in_nav=False)
    # 5. glossary and downloads
    if want("glossary"):
        out.add("glossary", glossary.glossary_page(page("glossary")))
    if want("downloads"):
        out.add("downloads", extras.downloads_page(page("downloads"), graph.files, graph.schemas, graph.exports,
                                                   graph.releases))
    if want(history_page.RECENT_PAGE):
        out.add(history_page.RECENT_PAGE, history_page.recent_page(page(history_page.RECENT_PAGE), settings.history, links))
    # 6. research: SPARQL in the browser, and the saved queries it offers (corpus/queries/*.rq)
    queries = saved_queries(settings.project) if settings.project else []
    if want(query_page.QUERY_PAGE):
        # Its data files are the same in every language: the one at the site root publishes them.
        data = query_data(model, graph.ntriples, graph.files[ONTOLOGY_FILE], publish=settings.root == "")
        out.add(query_page.QUERY_PAGE, query_page.query_page(page(query_page.QUERY_PAGE), queries, data))
        out.files.update(data.files)
    if want(query_page.SAVED_PAGE):
        out.add(query_page.SAVED_PAGE, query_page.saved_queries_page(page(query_page.SAVED_PAGE), queries, settings.blob))
    # 7. analysis: insights, advisor, data quality, performance, and the data files they read
    if want(*ANALYSIS_PAGES):
        analysis = analysis_pages(model, page, settings.project.root if settings.project else None)
        for path, doc in analysis.pages:
            out.add(path, doc)
        out.files.update(analysis.files)
    return out
