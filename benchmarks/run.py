"""Time every stage of the pipeline on the real corpus and on synthetic corpora of growing size.

    python benchmarks/run.py [--sizes 400,4000,40000] [--stages load,validate,...] [--repeat 3]

Prints a table of medians, per-record cost and the ratio of per-record cost
to the smallest size (1.0 means perfectly linear), compares rdflib's and
pyoxigraph's query engines, writes build/bench/results.json and draws
build/bench/cost.svg. Speed is measured here, never asserted in unit tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import browser  # noqa: E402  (benchmarks/browser.py: pages in Chromium, ms to ready)
import live_refresh  # noqa: E402  (benchmarks/live_refresh.py: kg serve's one-record refresh)
import publish  # noqa: E402  (benchmarks/publish.py: kg publish to oxigraph serve, bulk and one PUT)
import shacl  # noqa: E402  (benchmarks/shacl.py: both SHACL engines)
from generate import generate  # noqa: E402
from saved import measured_stamp, merge_saved  # noqa: E402

from kgtools.graph.compile import compile_triples, to_graph  # noqa: E402
from kgtools.graph.dumps import canonical_ntriples, write_dumps  # noqa: E402
from kgtools.query.engine import PREFIX_IRIS  # noqa: E402
from kgtools.query.saved import saved_queries  # noqa: E402
from kgtools.query.store import store_from_ntriples  # noqa: E402
from kgtools.records.cache import CACHE_ENV  # noqa: E402
from kgtools.records.check import check  # noqa: E402
from kgtools.records.integrity import check_integrity  # noqa: E402
from kgtools.records.loader import load_corpus  # noqa: E402
from kgtools.records.project import KINDS, Project  # noqa: E402
from kgtools.records.schemas import SchemaSet  # noqa: E402
from kgtools.records.validate import validate_record  # noqa: E402
from kgtools.site.pages.i18n import LANGS  # noqa: E402


@dataclass
class Context:
    """What earlier stages produced, for later stages to use."""

    project: Project
    scratch: Path
    values: dict[str, Any] = field(default_factory=dict)


def stage_load(ctx: Context) -> None:
    ctx.values["corpus"] = load_corpus(ctx.project)
    ctx.values["schemas"] = SchemaSet.load(ctx.project.schemas)


def stage_validate(ctx: Context) -> None:
    schemas = ctx.values["schemas"]
    problems = [p for r in ctx.values["corpus"].records for p in validate_record(r, schemas)]
    assert not problems, problems[:3]


def stage_integrity(ctx: Context) -> None:
    assert not check_integrity(ctx.values["corpus"], ctx.values["schemas"])


def setup_check_one(ctx: Context) -> None:
    """A copy of the checkout whose record cache is warm, as a contributor's previous `kg check` left it."""
    copy = ctx.scratch / "check-one"
    shutil.rmtree(copy, ignore_errors=True)
    for folder in ("corpus", "ontology"):
        shutil.copytree(ctx.project.root / folder, copy / folder)
    project = Project(copy)
    assert check(project).ok
    record = ctx.values["corpus"].records[len(ctx.values["corpus"].records) // 2]
    ctx.values["check-one"] = (project, copy / record.path.relative_to(ctx.project.root))


def stage_check_one(ctx: Context) -> None:
    """`kg check FILE` after editing one record: that file is parsed, the rest come from the record cache."""
    project, path = ctx.values["check-one"]
    ctx.values["edits"] = edits = ctx.values.get("edits", 0) + 1
    path.write_text(path.read_text(encoding="utf-8") + f"\n# edit {edits}\n", encoding="utf-8")
    assert check(project, [path]).ok


def stage_compile(ctx: Context) -> None:
    ctx.values["triples"] = compile_triples(ctx.values["corpus"], ctx.values["schemas"])
    ctx.values.pop("graph", None)


def rdflib_graph(ctx: Context) -> Any:
    """The compiled triples as an rdflib Graph, built once for the stages that need one (SHACL, rdflib's engine)."""
    if "graph" not in ctx.values:
        ctx.values["graph"] = to_graph(ctx.values["triples"])
    return ctx.values["graph"]


def stage_dumps(ctx: Context) -> None:
    ntriples = canonical_ntriples(ctx.values["triples"])
    folder = ctx.scratch / "dumps"
    folder.mkdir(parents=True, exist_ok=True)
    write_dumps(ntriples, folder)
    ctx.values["ntriples"] = ntriples


def stage_analytics(ctx: Context) -> None:
    from kgtools.insights.analytics import analytics_triples, entity_graph

    ctx.values["analytics"] = analytics_triples(entity_graph(ctx.values["store"]))


def graph_dir(ctx: Context) -> Path:
    """The dumps folder as `kg build` leaves its graph folder (dumps and VoID), for the stages that read one."""
    from kgtools.graph.dumps import write_dumps as dump
    from kgtools.graph.void import describe

    folder = ctx.scratch / "dumps"
    if not (folder / "void.ttl").is_file():
        dump(canonical_ntriples(describe(ctx.values["triples"])), folder, name="void")
    return folder


def stage_pages(ctx: Context) -> None:
    """Page generation for one language (entity pages, browse and comparison pages, graph views), without MkDocs."""
    from kgtools.site.pages.compare import query_tables
    from kgtools.site.pages.model import load_model
    from kgtools.site.plugin.generate import Settings, generate
    from kgtools.site.plugin.inputs import from_graph_dir

    graph = from_graph_dir(ctx.project, graph_dir(ctx))
    model = load_model(graph.store, ctx.project.ontology / "stackatlas.ttl")
    generated = generate(model, query_tables(graph.store), graph, Settings("zh", "", "https://example.org/repo", "main"))
    ctx.values["pages"] = len(generated.pages)


def stage_mkdocs(ctx: Context) -> None:
    """The whole bilingual site through MkDocs from the graph folder, as `kg build` writes it (up to MKDOCS_LIMIT
    records); it needs no `pages` stage first, which at 4,000 records took four minutes of the run by itself."""
    import shutil

    from kgtools.site.plugin.build import run_mkdocs

    out = ctx.scratch / "site"
    if out.exists():
        shutil.rmtree(out)
    mkdocs_root = ctx.project.root
    if not (mkdocs_root / "mkdocs.yml").is_file():
        shutil.copyfile(ROOT / "mkdocs.yml", mkdocs_root / "mkdocs.yml")
        shutil.copytree(ROOT / "site", mkdocs_root / "site", dirs_exist_ok=True)
    run_mkdocs(ctx.project, out, graph_dir(ctx))
    ctx.values["site"] = site_figures(out)


def _median_kb(sizes: list[int]) -> float:
    return sorted(sizes)[len(sizes) // 2] / 1024 if sizes else 0.0


def site_figures(site: Path) -> dict[str, Any]:
    """What a reader downloads: pages, the median page and the median entity page (KB), the search index per language.

    Entity pages are `<kind>/<id>.html` in either language; the search index is
    the file each page of that language fetches (`search/search_index.json` at
    the language's root), exactly as the build wrote it.
    """
    pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
    roots = {LANGS[0]: site, **{lang: site / lang for lang in LANGS[1:]}}  # the first language at the root
    entity = [p.stat().st_size for p in pages
              if p.parent.name in KINDS and p.parent.parent in roots.values()]
    index = {lang: root / "search" / "search_index.json" for lang, root in roots.items()}
    return {"pages": len(pages), "median_page_kb": _median_kb([p.stat().st_size for p in pages]),
            "median_entity_page_kb": _median_kb(entity), "entity_pages": len(entity),
            "total_mb": sum(p.stat().st_size for p in pages) / 1024 / 1024,
            "search_index_kb": {lang: path.stat().st_size / 1024 for lang, path in index.items() if path.is_file()}}


def stage_store(ctx: Context) -> None:
    ctx.values["store"] = store_from_ntriples(ctx.values["ntriples"])


STAGES: dict[str, Callable[[Context], None]] = {
    "load": stage_load,
    "validate": stage_validate,
    "integrity": stage_integrity,
    "check-one": stage_check_one,
    "compile": stage_compile,
    **shacl.STAGES,
    "dumps": stage_dumps,
    "store": stage_store,
    "analytics": stage_analytics,
    "pages": stage_pages,
    "mkdocs": stage_mkdocs,
    **live_refresh.STAGES,
    **browser.STAGES,
    **publish.STAGES,
}
SETUP: dict[str, Callable[[Context], None]] = {"check-one": setup_check_one, **shacl.SETUP, **live_refresh.SETUP,
                                                  **publish.SETUP}  # run once, untimed
DEPENDS = {"validate": ["load"], "integrity": ["load"], "check-one": ["load"], "compile": ["load"],
           **shacl.DEPENDS, "dumps": ["load", "compile"], "store": ["load", "compile", "dumps"],
           "analytics": ["load", "compile", "dumps", "store"], "pages": ["load", "compile", "dumps"],
           "mkdocs": ["load", "compile", "dumps"], **live_refresh.DEPENDS,
           **publish.DEPENDS}
MKDOCS_LIMIT = 4_000  # a bilingual MkDocs build of 80,000 pages is beyond this machine's budget
# Records from which a stage is timed once: minutes per run (the bilingual site of 4,000 records is ~8,600 pages).
ONCE_FROM = {**shacl.ONCE_FROM, "mkdocs": 4_000}


MIN_SECONDS = 1.0  # a cheap stage runs until it has taken this long, so its median is not noise
MAX_RUNS = 20


def timed(func: Callable[[], None], repeat: int) -> list[float]:
    """Seconds of each run: at least `repeat` runs, more (up to MAX_RUNS) while they add up to under MIN_SECONDS."""
    runs: list[float] = []
    while len(runs) < repeat or (sum(runs) < MIN_SECONDS and len(runs) < MAX_RUNS):
        started = time.perf_counter()
        func()
        runs.append(time.perf_counter() - started)
    return runs


def query_timings(ctx: Context, repeat: int, engines: list[str]) -> dict[str, dict[str, float]]:
    """Median milliseconds of every saved query of the real corpus, per engine.

    Oxigraph is timed first, with no rdflib Graph alive: `kg query` never holds
    one, and millions of live Python objects slow every garbage collection.
    """
    queries = saved_queries(Project(ROOT))
    out: dict[str, dict[str, float]] = {saved.name: {} for saved in queries}
    if "oxigraph" in engines:
        store = ctx.values["store"]
        for saved in queries:
            runs = timed(lambda text=saved.text: list(store.query(text, prefixes=PREFIX_IRIS)), repeat)
            out[saved.name]["oxigraph"] = statistics.median(runs) * 1000
    if "rdflib" in engines:
        graph = rdflib_graph(ctx)
        for saved in queries:
            runs = timed(lambda text=saved.text: list(graph.query(text, initNs=PREFIX_IRIS)), max(1, repeat // 2))
            out[saved.name]["rdflib"] = statistics.median(runs) * 1000
    return out


def run_size(label: str, project: Project, records: int, stages: list[str], repeat: int,
             engines: list[str]) -> dict[str, Any]:
    scratch = ROOT / "build" / "bench" / f"scratch-{label}"
    ctx = Context(project, scratch)
    needed: list[str] = []
    for name in stages:
        for dep in [*DEPENDS.get(name, []), name]:
            if dep not in needed:
                needed.append(dep)
    medians: dict[str, float] = {}
    if records > MKDOCS_LIMIT and "mkdocs" in needed:
        needed.remove("mkdocs")
        print(f"  {label:>8} mkdocs     skipped above {MKDOCS_LIMIT} records", flush=True)
    for name in [n for n in needed if n in live_refresh.STAGES and records > live_refresh.LIMIT]:
        needed.remove(name)
        print(f"  {label:>8} {name} skipped above {live_refresh.LIMIT} records", flush=True)
    for name in [n for n in needed if records > publish.SKIP_ABOVE.get(n, records)]:
        needed.remove(name)
        print(f"  {label:>8} {name} skipped above {publish.SKIP_ABOVE[name]} records (one transaction: minutes)",
              flush=True)
    for name in needed:
        if name in SETUP:
            SETUP[name](ctx)
        runs = timed(lambda n=name: STAGES[n](ctx), 1 if records >= ONCE_FROM.get(name, records + 1) else repeat)
        if name in stages and name not in browser.STAGES:   # its figures are the pages' own times (below)
            medians[name] = statistics.median(runs)
        print(f"  {label:>8} {name:<10} {statistics.median(runs):9.3f} s", flush=True)
    result: dict[str, Any] = {"label": label, "records": records, "stages": medians, "measured": measured_stamp()}
    if "triples" in ctx.values:
        result["triples"] = len(ctx.values["triples"])
    if "site" in ctx.values:
        result["site"] = ctx.values["site"]
    if "store" in ctx.values:
        result["queries_ms"] = query_timings(ctx, repeat, engines)
    if browser.summary(ctx):
        result["browser"] = browser.summary(ctx)
    if live := live_refresh.summary(ctx):
        result["live"] = live
    if published := publish.summary(ctx):
        result["publish"] = published
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="400,4000", help="synthetic corpus sizes, comma-separated")
    parser.add_argument("--stages", default=",".join(STAGES), help=f"stages to time: {', '.join(STAGES)}")
    parser.add_argument("--repeat", type=int, default=3,
                        help="at least this many measurements per stage, more for stages under a second (the median is reported)")
    parser.add_argument("--engines", default="oxigraph,rdflib", help="query engines to compare")
    parser.add_argument("--no-real", action="store_true", help="skip the real corpus")
    parser.add_argument("--save", action="store_true",
                        help="also copy the results to benchmarks/results/ (committed; the site's performance page shows them)")
    args = parser.parse_args(argv)
    os.environ[CACHE_ENV] = str(ROOT / "build" / "bench" / "record-cache")  # never the user's own cache
    stages = [s for s in args.stages.split(",") if s]
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        parser.error(f"unknown stages: {', '.join(unknown)}")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    engines = args.engines.split(",")
    results = []
    if not args.no_real:
        real = Project(ROOT)
        results.append(run_size("real", real, len(load_corpus(real).records), stages, args.repeat, engines))
    for size in sizes:
        folder = ROOT / "build" / "bench" / f"corpus-{size}"
        generate(size, folder, ROOT / "ontology")
        project = Project(folder)
        count = len(load_corpus(project).records)
        repeat = args.repeat if size < 40_000 else max(1, min(args.repeat, 2))
        # rdflib's engine needs minutes per join at this size (PERFORMANCE.md); its ratio is shown at smaller sizes.
        size_engines = engines if size < 40_000 else [e for e in engines if e != "rdflib"]
        results.append(run_size(str(size), project, count, stages, repeat, size_engines))
    from report import print_report, write_svg

    out = ROOT / "build" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print_report(results)
    write_svg(results, out / "cost.svg")
    print(f"\nwrote {out / 'results.json'} and {out / 'cost.svg'}")
    if args.save:
        saved = ROOT / "benchmarks" / "results"
        saved.mkdir(exist_ok=True)
        merged = merge_saved(results, saved / "latest.json")
        (saved / "latest.json").write_text(json.dumps(merged, indent=2), encoding="utf-8")
        write_svg(merged, saved / "cost.svg")
        kept = [r["label"] for r in merged if r not in results]
        print(f"saved to {saved.relative_to(ROOT)}/ for the site's performance page"
              + (f" (kept the saved runs of {', '.join(kept)}, not measured now)" if kept else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
