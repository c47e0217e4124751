"""`kg serve`'s incremental site: MkDocs kept loaded in memory, remaking only the pages an edit changes.

A full MkDocs build of both languages takes a minute or more; most of it is
reading and rendering ~3,400 pages nobody changed. Here each language's
MkDocs configuration, theme environment, files and navigation are loaded once,
as `mkdocs build` loads them, from the graph the served site was built from.
After an edit the corpus is checked and compiled again, but only what the
edit can have changed (`LiveGraph`: the files that changed are read, the
records that changed compiled and spliced into the graph, no SHACL; the
analytics are reused when no link between entities changed), the pages the
edit affects are generated (`kgtools.site.plugin.affected` says which), and
each is rendered through the same plugin events and theme templates a full
build runs, then written over the served file atomically (a temporary file
in the same folder, renamed), so a reader never sees half a page.

Refreshes come in three steps, each written as soon as it is made: the
changed records' own pages and their kinds' indexes (what a contributor is
looking at); the pages of the entities related to them and the graph views the
rule picks; every other generated page. A page is rendered and written only
when its Markdown changed. Downloads (the dumps), the Query page (which loads them) and
the search entries of index pages stay as the last `kg build` left them; the
entity entries of the search index are refreshed.
"""

from __future__ import annotations

import bisect
import heapq
import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pyoxigraph as ox
from mkdocs.commands.build import get_context
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page as MkPage

from kgtools.graph.dumps import DUMP_NAME, canonical_ntriples, ntriples_lines
from kgtools.graph.incremental import RecordGraph
from kgtools.graph.vocab import split_entity_iri
from kgtools.insights.analytics import analytics_triples, entity_graph
from kgtools.insights.stats import collect_stats
from kgtools.query.engine import PREFIX_IRIS
from kgtools.query.store import store_from_ntriples
from kgtools.records.problems import BuildError
from kgtools.records.project import Project
from kgtools.records.recheck import Rechecker
from kgtools.site.pages import urls
from kgtools.site.pages.compare import query_tables
from kgtools.site.pages.i18n import LANGS
from kgtools.site.pages.model import SiteModel, load_model
from kgtools.site.pages.query_page import QUERY_PAGE
from kgtools.site.plugin.affected import ANALYTICS_PREDICATES, DESCRIPTION, affected_entities, only_described, owners
from kgtools.site.plugin.affected import views as affected_views
from kgtools.site.plugin.build import CONFIG_NAME
from kgtools.site.plugin.generate import Generated, generate
from kgtools.site.plugin.mkdocs_plugin import Shared, StackAtlasPlugin
from kgtools.site.plugin.search import entity_entries

log = logging.getLogger("mkdocs.plugins.stackatlas.live")
ENTITY_FOLDERS = frozenset(urls.INDEX_PAGES)
# Pages about the published files (dumps, the Query page's data), which only `kg build` writes: left as built.
BUILD_ONLY = frozenset({"downloads", QUERY_PAGE})


def write_atomically(path: Path, data: bytes) -> bool:
    """Replace `path` with `data` through a temporary file in its folder; False when it already held `data`."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(name, 0o644)
        os.replace(name, path)
    except BaseException:
        with _ignored():
            os.unlink(name)
        raise
    return True


class _ignored:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return True


# -- the graph now ------------------------------------------------------------------


def _links(line: str) -> bool:
    """Whether an N-Triples line goes from an entity to an IRI (a link or a type): what PageRank and communities read."""
    subject, _, rest = line.partition(" ")
    return subject.startswith("<") and "#" not in subject and rest.rsplit(" ", 2)[-2].startswith("<")


def _predicate(line: str) -> str:
    parts = line.split(" ", 2)
    return parts[1] if len(parts) > 2 else ""


@dataclass
class GraphState:
    """One state of the graph: its lines without the analytics and the analytics lines (each sorted, together the
    canonical N-Triples), and which lines (analytics apart) differ from the state before."""

    base: list[str]
    analytics: list[str]
    diff: frozenset[str] = frozenset()
    _ntriples: str | None = field(default=None, repr=False)

    @classmethod
    def from_ntriples(cls, ntriples: str) -> GraphState:
        lines = ntriples_lines(ntriples)
        return cls([line for line in lines if _predicate(line) not in ANALYTICS_PREDICATES],
                   [line for line in lines if _predicate(line) in ANALYTICS_PREDICATES], _ntriples=ntriples)

    @property
    def ntriples(self) -> str:
        """The canonical N-Triples of the whole state (made on first use: half a million bytes joined)."""
        if self._ntriples is None:
            self._ntriples = "\n".join(heapq.merge(self.base, self.analytics)) + "\n"
        return self._ntriples

    def holds(self, line: str) -> bool:
        """Whether `line` is one of the lines without the analytics (by bisection)."""
        index = bisect.bisect_left(self.base, line)
        return index < len(self.base) and self.base[index] == line

    def lines_of(self, iri: str, predicate: str | None = None) -> list[str]:
        """The lines an entity owns (its own and its statement nodes'), or only those with `predicate`; sorted.

        In sorted N-Triples they are two runs, `<iri> …` and `<iri#…`, found by bisection.
        """
        found: list[str] = []
        for lines in (self.base, self.analytics):
            for prefix in (f"<{iri}> ", f"<{iri}#"):
                index = bisect.bisect_left(lines, prefix)
                while index < len(lines) and lines[index].startswith(prefix):
                    if predicate is None or _predicate(lines[index]) == predicate:
                        found.append(lines[index])
                    index += 1
        return sorted(found)


class LiveGraph:
    """The graph of the corpus as it is now, as `kg build` makes it but without SHACL, kept between refreshes.

    Checking and compiling the whole corpus took two thirds of the time before an edited record's page was
    written; `Rechecker` reads and checks again only what an edit can have changed (every problem of the corpus
    still stops the refresh, as it would stop `kg build`), and `RecordGraph` compiles only the changed records
    and splices their lines into the graph. The analytics are computed again only when a line from an entity to
    an IRI changed; else the previous ones stand.
    """

    def __init__(self, project: Project) -> None:
        self.rechecker = Rechecker(project)
        self.records: RecordGraph | None = None
        self.last: GraphState | None = None    # what `compile` returned last: the records' splice is relative to it

    def compile(self, previous: GraphState | None, files: list[Path] | None = None) -> GraphState:
        """The graph now, and what differs from `previous` (raises BuildError with every problem of the corpus).

        `files` are read again whatever their size and time say (the watcher saw them change).
        """
        checked = self.rechecker.check(files)
        if checked.problems:
            raise BuildError([p.text() for p in checked.problems])
        if self.records is None or self.records.compiler.plan.schemas.documents != checked.schemas.documents:
            self.records = RecordGraph(checked.schemas)
        splice = self.records.update(checked.corpus)
        base = list(self.records.lines)
        if previous is not None and previous is self.last:
            diff = splice.added | splice.removed
        else:
            diff = frozenset(base).symmetric_difference(previous.base if previous is not None else ())
        if previous is not None and not any(_links(line) for line in diff):
            extra = previous.analytics
        else:
            extra = ntriples_lines(canonical_ntriples(analytics_triples(entity_graph(
                store_from_ntriples("\n".join(base) + "\n")))))
        self.last = GraphState(base, extra, diff)
        return self.last


# -- one language in memory ------------------------------------------------------------


@dataclass
class Written:
    """What a refresh step wrote: site-relative paths, and the pages among them."""

    paths: list[str] = field(default_factory=list)
    seconds: float = 0.0


class Cancelled(Exception):
    """`kg serve` is stopping: the refresh ends before its next page."""


class LanguageSite:
    """One language's MkDocs build, stopped before the pages are written, kept to render single pages."""

    def __init__(self, config: MkDocsConfig, plugin: StackAtlasPlugin, site_root: Path,
                 cancel: threading.Event | None = None) -> None:
        self.config, self.plugin, self.site_root, self.cancel = config, plugin, site_root, cancel
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        self.files: Files = config.plugins.on_files(files, config=config)
        set_exclusions(self.files, config)
        self.nav: Navigation = get_navigation(self.files, config)
        self.nav = config.plugins.on_nav(self.nav, config=config, files=self.files)
        for file in self.files.documentation_pages():
            if file.page is None:
                MkPage(None, file, config)
            elif file.page in self.nav.pages:
                file.page.read_source(config)  # what other pages' navigation shows of it (front matter)
        self.env = config.plugins.on_env(env, config=config, files=self.files)
        self.config = config
        # Every plugin's page context but the search plugin's: it would index the page again (a quarter of a
        # page's cost), and the refresh rewrites the search entries of the entities it remakes itself.
        self.page_context = [method for method in config.plugins.events["page_context"]
                             if "search" not in type(getattr(method, "__self__", None)).__module__]
        self.generated: Generated = plugin.generated

    @property
    def lang(self) -> str:
        assert self.plugin.lang is not None
        return self.plugin.lang

    def regenerate(self, shared: Shared, wanted: Callable[[str], bool]) -> Generated:
        self.plugin.shared = shared
        return generate(shared.model, shared.tables, shared.graph, self.plugin.settings(), wanted)

    def apply(self, fresh: Generated, removed: Iterable[str] = ()) -> list[Path]:
        """Render every page of `fresh` whose Markdown changed, write its files, drop `removed` pages; return what changed."""
        written: list[Path] = []
        site_dir = Path(self.config.site_dir)
        for src_uri in removed:
            file = self.files.get_file_from_path(src_uri)
            if file is not None:
                self.files.remove(file)
                self.generated.pages.pop(src_uri, None)
                target = Path(file.abs_dest_path)
                for path in (target, target.with_suffix(".ttl"), target.with_suffix(".jsonld")):
                    with _ignored():
                        path.unlink()
                written.append(target)
        for src_uri, page in fresh.pages.items():
            if self.cancel is not None and self.cancel.is_set():
                raise Cancelled
            old = self.generated.pages.get(src_uri)
            if old is not None and old.markdown == page.markdown and old.slots == page.slots and old.edit == page.edit:
                continue
            self.generated.pages[src_uri] = page
            file = self.files.get_file_from_path(src_uri)
            if file is None:
                inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
                file = File.generated(self.config, src_uri, content=page.markdown, inclusion=inclusion)
                self.files.append(file)
                MkPage(None, file, self.config)
            else:
                file.content_string = page.markdown
            written.append(self._render(file))
        for name, content in fresh.files.items():
            if write_atomically(site_dir / name, content):
                written.append(site_dir / name)
            self.generated.files[name] = content
        return written

    def warm(self) -> None:
        """Render one entity page and one page of the navigation, unwritten: Jinja compiles the theme's ~80 templates
        on first use (seconds), which would otherwise fall on the first edit."""
        pages = [f for f in self.files.documentation_pages() if f.src_uri in self.generated.pages]
        for file in [next((f for f in pages if not self.generated.pages[f.src_uri].in_nav), None),
                     next((f for f in pages if self.generated.pages[f.src_uri].in_nav), None)]:
            if file is not None:
                self._render(file, write=False)

    def _render(self, file: File, write: bool = True) -> Path:
        """`mkdocs build`'s two passes over one page (read and render Markdown; fill the template), written atomically."""
        config, page = self.config, file.page
        assert page is not None
        config._current_page = page
        try:
            page = config.plugins.on_pre_page(page, config=config, files=self.files)
            page.read_source(config)
            assert page.markdown is not None
            page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=self.files)
            page.render(config, self.files)
            assert page.content is not None
            page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=self.files)
            page.active = True
            context = get_context(self.nav, self.files, config, page)
            template = self.env.get_template(page.meta.get("template", "main.html"))
            for method in self.page_context:
                result = method(context, page=page, config=config, nav=self.nav)
                context = context if result is None else result
            output = config.plugins.on_post_page(template.render(context), page=page, config=config)
        finally:
            page.active = False
            config._current_page = None
        target = Path(file.abs_dest_path)
        if write:
            write_atomically(target, output.encode("utf-8", errors="xmlcharrefreplace"))
        return target

    def refresh_search(self, model: SiteModel, entities: set[str]) -> bool:
        """Replace the search entries of `entities` (those still in the graph come back with their new text)."""
        index = Path(self.config.site_dir) / "search" / "search_index.json"
        if not entities or not index.is_file():
            return False
        data = json.loads(index.read_text(encoding="utf-8"))
        locations = {urls.url(urls.entity_path(*parts)) for iri in entities if (parts := split_entity_iri(iri))}
        fresh = {entry["location"]: entry for entry in entity_entries(model, self.lang) if entry["location"] in locations}
        # Material's entries first, then one per entity sorted by page, as `rewrite_index` leaves them
        every = {urls.url(urls.entity_path(*parts)) for iri in model.entities if (parts := split_entity_iri(iri))}
        docs = data.get("docs", [])
        kept = {doc["location"]: doc for doc in docs if doc.get("location") in every and doc["location"] not in locations}
        data["docs"] = [doc for doc in docs if doc.get("location") not in every | locations] + \
            [entry for _, entry in sorted({**kept, **fresh}.items())]
        return write_atomically(index, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


# -- both languages ----------------------------------------------------------------------


@dataclass
class Refresh:
    """One refresh: which entities changed, what each of its three steps wrote, and where the time went.

    `first`: the changed entities' own pages and their kinds' indexes; `related`: the pages of the entities
    related to them and the graph views drawing any of these; `rest`: every other generated page that changed,
    the search entries and the per-entity RDF. Each step's `seconds` count from the start of the refresh.
    """

    changed: set[str]
    affected: set[str]
    first: Written
    related: Written = field(default_factory=Written)
    rest: Written = field(default_factory=Written)
    timings: dict[str, float] = field(default_factory=dict)   # seconds: compile, model, first pages

    @property
    def paths(self) -> list[str]:
        return [*self.first.paths, *self.related.paths, *self.rest.paths]


class LiveSite:
    """The served site in memory, from the graph folder it was built from; `refresh()` follows the corpus."""

    def __init__(self, project: Project, site_dir: Path, graph_dir: Path, cancel: threading.Event | None = None) -> None:
        """Load both languages from `graph_dir` (what `site_dir` was built from); `cancel` stops a refresh midway."""
        self.project, self.site_dir, self.cancel = project, site_dir, cancel
        config_file = str(project.root / CONFIG_NAME)
        primary = load_config(config_file, site_dir=str(site_dir))
        plugin = _plugin(primary)
        plugin.config.graph_dir = str(graph_dir)
        first = LanguageSite(primary, plugin, site_dir, cancel)
        assert plugin.shared is not None
        self.shared: Shared = plugin.shared
        self.languages = [first]
        for lang in plugin.config.languages[1:]:
            overrides: dict[str, Any] = {"site_dir": os.path.join(site_dir, lang)}
            if primary.site_url:
                overrides["site_url"] = urljoin(primary.site_url, f"{lang}/")
            sub = load_config(config_file, **overrides)
            sub_plugin = _plugin(sub)
            sub_plugin.shared, sub_plugin.lang = self.shared, lang
            self.languages.append(LanguageSite(sub, sub_plugin, site_dir, cancel))
        self.state = GraphState.from_ntriples((graph_dir / f"{DUMP_NAME}.nt").read_text(encoding="utf-8"))
        self.graph = LiveGraph(project)
        for site in self.languages:
            site.warm()

    def refresh(self, files: list[Path] | None = None, on_step: Callable[[list[str]], None] | None = None) -> Refresh:
        """Compile the corpus now and remake what changed (raises BuildError when the corpus has problems).

        `files` are the record files the caller saw change (read again in any case; any other change is found too).
        `on_step(paths)` is called after each step with the site-relative paths it wrote (open pages reload then).
        """
        started = time.perf_counter()
        timings: dict[str, float] = {}
        state = self.graph.compile(self.state, files)
        timings["compile"] = time.perf_counter() - started
        by_owner = owners(state.diff)
        changed = {iri for iri in by_owner if split_entity_iri(iri)}
        old_model = self.shared.model
        quiet = {iri for iri in changed if only_described(by_owner[iri])}
        if changed and quiet == changed:
            shared = self._described(state, changed)
        elif state.diff or state.analytics != self.state.analytics:
            shared = self._shared(state)
        else:
            shared = self.shared
        timings["model"] = time.perf_counter() - started - timings["compile"]
        models = [old_model, shared.model]
        affected = set(changed) | affected_entities(changed - quiet, models)
        kinds = {parts[0] for iri in changed if (parts := split_entity_iri(iri))}
        own = {urls.entity_path(*parts) for iri in changed if (parts := split_entity_iri(iri))}
        first_pages = own | {urls.INDEX_PAGES[k] for k in kinds if k in urls.INDEX_PAGES}
        related_pages = {urls.entity_path(*parts) for iri in affected if (parts := split_entity_iri(iri))} \
            | affected_views(affected - quiet, models)
        gone = [urls.src(urls.entity_path(*parts)) for iri in changed
                if iri not in shared.model.entities and (parts := split_entity_iri(iri))]
        result = Refresh(changed, affected, self._step(shared, first_pages.__contains__, gone, started), timings=timings)
        timings["pages"] = result.first.seconds - timings["compile"] - timings["model"]
        self.shared, self.state = shared, state
        if on_step is not None:
            on_step(result.first.paths)
        if not changed:
            return result
        result.related = self._step(shared, lambda path: path in related_pages and path not in first_pages, [], started)
        if on_step is not None:
            on_step(result.related.paths)
        result.rest = self._step(shared, lambda path: path not in first_pages and path not in BUILD_ONLY
                                 and not _per_entity(path), [], started)
        for site in self.languages:
            if site.refresh_search(shared.model, changed):
                result.rest.paths.append((Path(site.config.site_dir) / "search" / "search_index.json")
                                         .relative_to(self.site_dir).as_posix())
        result.rest.paths += self._write_rdf(changed)
        result.rest.seconds = time.perf_counter() - started
        if on_step is not None:
            on_step(result.rest.paths)
        return result

    @staticmethod
    def _store(state: GraphState) -> ox.Store:
        """The store of `state`, loaded afresh from its canonical N-Triples, as `kg build` loads it.

        Patching the served store with the lines that changed would save a fifth of a second, but the store
        answers queries without ORDER BY in the order its triples went in, and pages made from such answers
        (the Advisor's data) then differed from a full build's.
        """
        return store_from_ntriples(state.ntriples)

    def _shared(self, state: GraphState) -> Shared:
        store = self._store(state)
        model = load_model(store, self.project.ontology / "stackatlas.ttl")
        model.clock = replace(model.clock, years=self.languages[0].plugin.config.stale_after_years)
        graph = replace(self.shared.graph, store=store)
        return replace(self.shared, graph=graph, model=model, tables=query_tables(store))

    def _described(self, state: GraphState, changed: set[str]) -> Shared:
        """The site model after edits that changed descriptions only: the old one with those entities' descriptions
        replaced (reading the whole graph again takes a second and more on the real corpus).

        Everything else `load_model` reads is unchanged by such an edit but the store and the statistics made from it.
        """
        store = self._store(state)
        model = self.shared.model
        entities = dict(model.entities)
        for iri in changed:
            lines = state.lines_of(iri, DESCRIPTION)
            descriptions: dict[str, str] = {}
            for triple in ox.parse("\n".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
                literal = triple.object
                if isinstance(literal, ox.Literal) and literal.language in LANGS:
                    descriptions[literal.language] = literal.value
            entities[iri] = replace(entities[iri], descriptions=descriptions)
        model = replace(model, entities=entities, store=store, stats=collect_stats(store))
        graph = replace(self.shared.graph, store=store)
        return replace(self.shared, graph=graph, model=model, tables=query_tables(store))

    def _step(self, shared: Shared, wanted: Callable[[str], bool], gone: list[str], started: float) -> Written:
        out = Written()
        for site in self.languages:
            fresh = site.regenerate(shared, wanted)
            for path in site.apply(fresh, gone):
                out.paths.append(path.relative_to(self.site_dir).as_posix())
        out.seconds = time.perf_counter() - started
        return out

    def _write_rdf(self, changed: set[str]) -> list[str]:
        """Each changed entity's own Turtle and JSON-LD beside its page (as `write_entity_rdf` writes them)."""
        written: list[str] = []
        for iri in sorted(changed):
            parts = split_entity_iri(iri)
            lines = self.state.lines_of(iri)
            if not parts or not lines:
                continue
            owned = "\n".join(lines)
            triples = list(ox.parse(owned.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
            base = self.site_dir / urls.entity_path(*parts)
            for suffix, fmt in ((".ttl", ox.RdfFormat.TURTLE), (".jsonld", ox.RdfFormat.JSON_LD)):
                target = Path(str(base) + suffix)
                if write_atomically(target, ox.serialize(triples, None, fmt, prefixes=PREFIX_IRIS) or b""):
                    written.append(target.relative_to(self.site_dir).as_posix())
        return written

    def close(self) -> None:
        self.shared.graph.close()


def _per_entity(path: str) -> bool:
    """An entity's page or a scheme's or category's graph view: pages the rule of `affected` picks one by one."""
    return path.split("/", 1)[0] in ENTITY_FOLDERS or path.startswith(("graph/scheme/", "graph/category/"))


def _plugin(config: MkDocsConfig) -> StackAtlasPlugin:
    plugin = next((p for p in config.plugins.values() if isinstance(p, StackAtlasPlugin)), None)
    if plugin is None:
        raise RuntimeError(f"{CONFIG_NAME}: the `stackatlas` plugin is not enabled")
    return plugin
