"""The MkDocs plugin: compiles the graph, adds the generated pages, and builds each further language.

`mkdocs build`, `mkdocs serve` and `kg build` all run through this plugin. The
first language in `languages` (zh) is built at the site root by MkDocs itself;
when it is done, the plugin builds each other language (en) with the same
configuration into `<site>/<lang>/`, sharing the graph it has already read.
See docs/decisions/site-bilingual.md for why two builds rather than an i18n
plugin.

Before MkDocs reads or copies anything from `site/`, every entry there must
be a regular file of the checkout (no link, device, FIFO or socket, none over
the size limit): MkDocs follows links, so `site/zh/leak.md → ../../.git/config`
would publish the checkout's credentials. A refusal stops the build with one
problem line per file.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import config_options as c
from mkdocs.config import load_config
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkPage

from kgtools.graph.feed import FEED_NAME
from kgtools.graph.release import INFO, RELEASES, SUMS
from kgtools.records.history import History, read_history
from kgtools.records.problems import BuildError, Problem, display_path
from kgtools.records.project import Project, find_project, refused_entries
from kgtools.site.assets.query_bundle import copy_query_app
from kgtools.site.assets.vendor import copy_vis_network
from kgtools.site.pages.compare import Tables, query_tables
from kgtools.site.pages.extras import COUNTS_MARKER, DOWNLOADS, counts_block
from kgtools.site.pages.i18n import LANG_NAMES, LANGS
from kgtools.site.pages.markup import Page, fill
from kgtools.site.pages.model import SiteModel, load_model
from kgtools.site.pages.model_pages import copy_model_files
from kgtools.site.pages.staleness import DEFAULT_YEARS
from kgtools.site.plugin.generate import Generated, Settings, generate
from kgtools.site.plugin.inputs import GraphInput, compile_graph, from_graph_dir
from kgtools.site.plugin.nav import hide_empty_navigation, navigation
from kgtools.site.plugin.rdf_files import write_entity_rdf
from kgtools.site.plugin.search import entity_entries, rewrite_index

log = logging.getLogger("mkdocs.plugins.stackatlas")
THEME_DIR = Path(__file__).parents[1] / "assets" / "theme"


class StackAtlasConfig(Config):
    graph_dir = c.Optional(c.Type(str))       # a built graph (kg build passes out/graph); else compile now
    languages = c.ListOfItems(c.Choice(LANGS), default=list(LANGS))
    repository = c.Type(str, default="https://github.com/stackatlas/stackatlas")
    branch = c.Type(str, default="main")
    shacl = c.Type(bool, default=True)
    stale_after_years = c.Type(int, default=DEFAULT_YEARS)  # a dated fact older than this is "possibly stale"


@dataclass
class Shared:
    """What every language's build reads: the project, its graph, the model and the comparison tables."""

    project: Project
    graph: GraphInput
    model: SiteModel
    tables: Tables
    history: History


class StackAtlasPlugin(BasePlugin[StackAtlasConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.shared: Shared | None = None
        self.lang: str | None = None          # set by the parent build for a further language
        self.generated = Generated()
        self.handwritten: dict[str, str] = {}  # src_uri → repository path

    # -- configuration -------------------------------------------------------------

    @property
    def primary(self) -> bool:
        return self.lang is None or self.lang == self.config.languages[0]

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        refuse_unsafe_pages(self.shared.project if self.shared else find_project(Path(config.config_file_path).parent),
                            Path(config.docs_dir))
        lang = self.lang or self.config.languages[0]
        self.lang = lang
        if self.shared is None:
            self.shared = self._load(config)
        config.theme["language"] = lang
        if str(THEME_DIR) not in config.theme.dirs:
            config.theme.dirs.insert(0, str(THEME_DIR))
        root = "" if self.primary else "../"
        config.extra["alternate"] = True  # makes Material's header include partials/alternate.html (ours)
        config.extra["stackatlas"] = {
            "lang": lang,
            "root": root,
            "alternates": [{"lang": other, "name": LANG_NAMES[other],
                            "prefix": root + ("" if other == self.config.languages[0] else f"{other}/")}
                           for other in self.config.languages],
        }
        docs = Path(config.docs_dir) / lang
        self.handwritten = {p.relative_to(docs).as_posix(): f"{Path(config.docs_dir).name}/{lang}/{p.relative_to(docs).as_posix()}"
                            for p in sorted(docs.rglob("*.md"))} if docs.is_dir() else {}
        config.nav = navigation(lang, list(self.handwritten))
        return config

    def _load(self, config: MkDocsConfig) -> Shared:
        project = find_project(Path(config.config_file_path).parent)
        try:
            if self.config.graph_dir:
                graph = from_graph_dir(project, Path(self.config.graph_dir))
            else:
                graph = compile_graph(project, shacl=self.config.shacl)
        except Exception as error:
            lines = getattr(error, "lines", None) or [str(error)]
            for line in lines:
                log.error(line)
            raise PluginError(f"Stack Atlas: the graph could not be built ({len(lines)} problem(s))") from error
        model = load_model(graph.store, project.ontology / "stackatlas.ttl")
        model.clock = replace(model.clock, years=self.config.stale_after_years)
        return Shared(project, graph, model, query_tables(graph.store), read_history(project.root))

    # -- pages ---------------------------------------------------------------------

    def settings(self) -> Settings:
        assert self.lang is not None
        return Settings(self.lang, "" if self.primary else "../", self.config.repository, self.config.branch,
                        self.shared.project if self.shared else None,
                        self.shared.history if self.shared else History())

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.shared is not None and self.lang is not None
        prefix = f"{self.lang}/"
        kept = Files([])
        for file in files:
            if file.src_uri.startswith(prefix):
                kept.append(File(file.src_uri[len(prefix):], str(Path(config.docs_dir) / self.lang), config.site_dir,
                                 config.use_directory_urls))
            elif os.path.normpath(file.src_dir or "") != os.path.normpath(config.docs_dir):
                kept.append(file)  # theme files; other languages' pages are left out
        self.generated = generate(self.shared.model, self.shared.tables, self.shared.graph, self.settings())
        for src_uri, page in self.generated.pages.items():
            if kept.get_file_from_path(src_uri) is not None:
                raise PluginError(f"site/{self.lang}/{src_uri} would hide a generated page; rename it")
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            kept.append(File.generated(config, src_uri, content=page.markdown, inclusion=inclusion))
        for src_uri, content in self.generated.files.items():
            kept.append(File.generated(config, src_uri, content=content))
        return kept

    def on_page_markdown(self, markdown: str, page: MkPage, config: MkDocsConfig, files: Files) -> str:
        if COUNTS_MARKER in markdown and self.shared is not None and self.lang is not None:
            here = Page(self.shared.model, self.lang, page.file.url, self.settings().root)
            markdown = markdown.replace(COUNTS_MARKER, counts_block(here))
        return markdown

    def on_page_content(self, html: str, page: MkPage, config: MkDocsConfig, files: Files) -> str:
        generated = self.generated.pages.get(page.file.src_uri)
        return fill(html, generated.slots) if generated else html

    def on_page_context(self, context: dict[str, Any], page: MkPage, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
        generated = self.generated.pages.get(page.file.src_uri)
        path = generated.edit if generated else self.handwritten.get(page.file.src_uri)
        page.edit_url = self.settings().edit(path) if path else None
        hide_empty_navigation(page)
        return context

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        if self.shared is not None:
            for folder in (self.shared.project.corpus, self.shared.project.ontology):
                server.watch(str(folder))
        return server

    # -- after the pages -----------------------------------------------------------

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, config: MkDocsConfig) -> None:
        assert self.shared is not None
        site = Path(config.site_dir)
        index = site / "search" / "search_index.json"
        if index.is_file():
            rewrite_index(index, entity_entries(self.shared.model, self.lang or ""))
        if not self.primary:
            return
        copy_vis_network(site)
        copy_query_app(site)
        copy_model_files(self.shared.model, site)
        write_entity_rdf(self.shared.graph.ntriples, site)
        for name, path in self.shared.graph.files.items():
            target = site / DOWNLOADS / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        publish_data_files(self.shared.graph, site)
        for lang in self.config.languages[1:]:
            self._build_language(config, lang)
        self.shared.graph.close()

    def on_build_error(self, error: Exception) -> None:
        if self.shared is not None and self.primary:
            self.shared.graph.close()

    def _build_language(self, config: MkDocsConfig, lang: str) -> None:
        """The same site in `lang`, built into `<site_dir>/<lang>/` with this build's graph."""
        overrides: dict[str, Any] = {"site_dir": os.path.join(config.site_dir, lang), "strict": config.strict}
        if config.site_url:
            overrides["site_url"] = urljoin(config.site_url, f"{lang}/")
        sub = load_config(config.config_file_path, **overrides)
        plugin = next(p for p in sub.plugins.values() if isinstance(p, StackAtlasPlugin))
        plugin.shared, plugin.lang = self.shared, lang
        mkdocs_build(sub)


def refuse_unsafe_pages(project: Project, docs: Path) -> None:
    """Raise BuildError, one problem line per entry, if anything under `docs` is not a regular file of the checkout."""
    refused = refused_entries(project.root, docs)
    if refused:
        lines = [Problem(display_path(r.path, project.root), 1, "(file)", r.message, r.hint).text() for r in refused]
        for line in lines:
            log.error(line)
        raise BuildError(lines)


def publish_data_files(graph: GraphInput, site: Path) -> None:
    """The CSV files and the JSON API at their documented paths, and the releases under `downloads/releases/`."""
    for name, data in (graph.exports.files.items() if graph.exports else ()):
        target = site / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    if graph.releases_dir is not None:
        folder = site / DOWNLOADS / RELEASES
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(graph.releases_dir / FEED_NAME, folder / FEED_NAME)
        for release in graph.releases:  # only the files each release.json lists, plus its sums and itself
            (folder / release.version).mkdir(exist_ok=True)
            for name in [*release.files, SUMS, INFO]:
                shutil.copyfile(graph.releases_dir / release.version / name, folder / release.version / name)


def page_count(site: Path) -> int:
    """HTML pages written (every language), not counting the 404 pages."""
    return sum(1 for p in site.rglob("*.html") if p.name != "404.html")

