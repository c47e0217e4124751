"""`kg build` as a list of steps, and the one place that decides which graph a command answers from.

    records ──check──▶ compile ──SHACL──▶ + analytics ──▶ dumps, VoID ──▶ site (MkDocs)
    (kgtools.records)  (kgtools.graph)    (kgtools.insights)             (kgtools.site)

The whole build holds an exclusive lock on `build/.lock`, so two builds in one
checkout run one after the other. Graph and site are written into fresh
version folders and published together at the very end: a failure anywhere
leaves both previous outputs exactly as they were, which is what the failure
message then says.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgtools.graph import atomic
from kgtools.graph.dumps import DUMP_NAME
from kgtools.graph.folder import write_graph_folder
from kgtools.graph.freshness import Freshness, freshness, inputs_digest
from kgtools.insights.enrich import published_graph
from kgtools.progress import Progress
from kgtools.query.store import load_dump, store_from_ntriples
from kgtools.records.problems import BuildError
from kgtools.records.project import Project

LOCK_NAME = ".lock"


@contextlib.contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold `out/.lock` exclusively; a second build waits for the first instead of mixing outputs."""
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"kg build: another build is writing {out}; waiting for it to finish", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def build_graph_into(project: Project, staging: Path, progress: Progress | None = None) -> dict[str, int]:
    """Check → compile → SHACL → analytics → dumps, VoID and the inputs' digest, into `staging`."""
    step = progress.step if progress else None
    digest = inputs_digest(project)                          # 1. what the graph is made from, before reading it
    compiled = published_graph(project, step=step)           # 2. check records, compile, validate shapes, analytics
    write_graph_folder(compiled, staging, digest)            # 3. deterministic dumps and the dataset's description
    if step:
        step("dumps", "Turtle, N-Triples, JSON-LD, VoID")
    return {"triples": len(compiled), "records": len(compiled.checked.corpus.records)}


def build_graph(project: Project, out: Path, progress: Progress | None = None) -> dict[str, int]:
    """The graph step alone, published to `out/graph`."""
    with build_lock(out), _staged(out / "graph") as staging:
        counts = build_graph_into(project, staging, progress)
        atomic.publish(staging, out / "graph")
    return counts


@contextlib.contextmanager
def _staged(target: Path) -> Iterator[Path]:
    """A fresh version folder for `target`, removed again unless it was published."""
    atomic.sweep(target)                                     # forget versions a killed build left behind
    staging = atomic.staging_dir(target)
    try:
        yield staging
    finally:
        if staging.is_dir() and (not target.is_symlink() or target.resolve() != staging.resolve()):
            atomic.discard(staging)


def build(project: Project, site: bool = True, out: Path | None = None) -> int:
    """Run the build; print every problem and return 1 if anything is wrong, saying which outputs changed."""
    out = out or project.build
    published: list[Path] = []                               # what the failure message may not call unchanged
    progress = Progress()                                    # stages on a terminal; nothing more when piped
    try:
        if not site:
            with progress:
                counts = build_graph(project, out, progress)
            print(f"graph: {counts['records']} records → {counts['triples']} triples → {out / 'graph'}")
            progress.summary()
            return 0
        from kgtools.site.plugin.build import build_site_into

        with progress, build_lock(out), _staged(out / "graph") as graph_staging, _staged(out / "site") as site_staging:
            counts = build_graph_into(project, graph_staging, progress)
            pages = build_site_into(project, site_staging, graph_staging, progress.page if progress.shown else None)
            progress.step("site", f"{pages} pages")
            for staging, target in ((graph_staging, out / "graph"), (site_staging, out / "site")):
                atomic.publish(staging, target)              # both published together, graph first
                published.append(target)
            progress.step("publish", "graph and site together")
        print(f"graph: {counts['records']} records → {counts['triples']} triples → {out / 'graph'}")
        print(f"site: {pages} pages → {out / 'site'}")
        progress.summary()
    except BuildError as error:
        for line in error.lines:
            print(line)
        print(f"build failed: {len(error.lines)} problem(s); {_outputs_after_failure(project, out, published)}",
              file=sys.stderr)
        return 1
    except OSError as error:
        where = error.filename or out
        print(f"build failed: cannot write {where}: {error.strerror or error}; "
              f"{_outputs_after_failure(project, out, published)}", file=sys.stderr)
        return 1
    return 0


def _outputs_after_failure(project: Project, out: Path, published: list[Path]) -> str:
    """What a failed build left behind, for its last line: unchanged outputs, or which ones it did replace.

    >>> _outputs_after_failure(Project(Path("/r")), Path("/r/build"), [])
    'previous output left unchanged'
    >>> _outputs_after_failure(Project(Path("/r")), Path("/r/build"), [Path("/r/build/graph")])
    'build/graph was replaced by the new graph; build/site left unchanged'
    """
    if not published:
        return "previous output left unchanged"
    def shown(path: Path) -> str:
        return path.relative_to(project.root).as_posix() if path.is_relative_to(project.root) else str(path)
    return f"{shown(out / 'graph')} was replaced by the new graph; {shown(out / 'site')} left unchanged"


@dataclass(frozen=True)
class CurrentGraph:
    """The graph a command answers from, and a sentence saying which one it is."""

    ntriples: str | None
    path: Path | None
    origin: str

    def store(self) -> ox.Store:
        return load_dump(self.path) if self.path is not None else store_from_ntriples(self.ntriples or "")


def current_graph(project: Project) -> CurrentGraph:
    """The built graph when it matches the corpus; else a fresh compile; else the last build, said so.

    A broken draft record then stops `kg build`, but not `kg query` or
    `kg stats` over the graph that was last built.
    """
    state = freshness(project)
    dump = state.graph_dir / f"{DUMP_NAME}.nt"
    if state.fresh and dump.is_file():
        return CurrentGraph(None, dump, f"answering from the last build ({state.describe(project.root)})")
    try:
        compiled = published_graph(project, shacl=False)
    except BuildError as error:
        if not (state.built and dump.is_file()):
            raise
        return CurrentGraph(None, dump, _stale_note(project, state, len(error.lines)))
    return CurrentGraph(compiled.ntriples, None, f"answering from the corpus compiled now ({state.describe(project.root)})")


def _stale_note(project: Project, state: Freshness, problems: int) -> str:
    return (f"the corpus has {problems} problem(s) (run `kg check`); "
            f"answering from the last build, {state.describe(project.root)}")


def open_store(project: Project, announce: bool = False) -> ox.Store:
    """A store of the current graph; with `announce`, say on stderr which graph it is."""
    graph = current_graph(project)
    if announce:
        print(f"kg: {graph.origin}", file=sys.stderr)
    return graph.store()


def release_date(date: str | None) -> str:
    """The date a release carries: as given, else SOURCE_DATE_EPOCH's (reproducible builds), else today in UTC."""
    import datetime

    if date:
        return date
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC) if epoch else datetime.datetime.now(datetime.UTC)
    return moment.date().isoformat()


def run_release(project: Project, version: str, date: str | None = None, dry_run: bool = False,
                out: Path | None = None) -> int:
    """`kg release`: build the graph when it is older than the corpus, then write (or, dry, print) the release."""
    from kgtools.graph.release import CHANGELOG, RELEASES, ReleaseError, plan_release, write_release

    out = out or project.build
    graph_dir = out / "graph"
    try:
        if not freshness(project, graph_dir).fresh:
            counts = build_graph(project, out)
            print(f"graph: {counts['records']} records → {counts['triples']} triples → {graph_dir}", file=sys.stderr)
        with build_lock(out):
            plan = plan_release(graph_dir.resolve(), out / RELEASES, version, release_date(date), project.ontology)
            folder = out / RELEASES / version
            if dry_run:
                print(plan.entry)
                print(f"would write {folder}/ (nothing written):", file=sys.stderr)
            else:
                write_release(plan, out / RELEASES, project.root / CHANGELOG)
                print(f"release {version}: {plan.info.summary_line()}")
                print(f"wrote {folder}/:")
            for name, (sha, size) in sorted(plan.info.files.items()):
                print(f"  {sha}  {name} ({size:,} bytes)", file=sys.stderr if dry_run else sys.stdout)
            if not dry_run:
                print(f"added {version} to {CHANGELOG} and {out / RELEASES / 'releases.atom'}; "
                      "`kg build` publishes it on the Downloads page")
    except ReleaseError as error:
        print(f"kg release: {error}", file=sys.stderr)
        return 1
    except BuildError as error:
        for line in error.lines:
            print(line)
        print(f"kg release: the corpus has {len(error.lines)} problem(s); nothing released", file=sys.stderr)
        return 1
    return 0
