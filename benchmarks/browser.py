"""Pages in headless Chromium: milliseconds from navigation to ready, on the real corpus's built site.

    python benchmarks/browser.py [--site build/site] [--runs 5]

or through `benchmarks/run.py` (stage `browser`, real corpus only; it reads
the site `kg build` left in build/site and skips when there is none).

Each page is a `Readiness` entry: where it is, a script that is true once the
page is ready, and a script giving the moment it became ready in
milliseconds since navigation started (`performance.now()` there). A graph
view is ready when vis-network has drawn it once (graph.js sets
`window.saGraphReady`); the layout is computed at build time, so drawn is
settled. Add a page by adding an entry. Every run opens the page in a fresh
browser context (nothing cached) from a loopback HTTP server. An entry may
also name a `probe`, a script that reports what the page showed at ready
(for graph views: nodes drawn, labels drawn, and label pairs that overlap),
and its own target. Every load also counts the bytes the page transferred
(its workers' requests included) until the network went quiet.

The Query page is ready when its worker holds the whole dump (the
WebAssembly compiled and the N-Triples loaded: main.js sets
`window.saQueryReady`); its probe gives the moments of the way there.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import statistics
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
TARGET_MS = 1000.0

# What a graph view drew: nodes by sort, labels, and overlapping label pairs (vis-network's own label boxes,
# measured with every label painted: it measures only what it paints).
GRAPH_PROBE = """async () => {
    const g = window.stackAtlasGraphs[0], net = g.network, body = net.body;
    const frames = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    const scale = net.getScale(), at = net.getViewPosition();
    net.setOptions({nodes: {scaling: {label: {drawThreshold: 0}}}});
    net.fit({animation: false});
    net.redraw();
    await frames();
    const ids = body.nodeIndices, boxes = [];
    let groups = 0, titles = 0, more = 0;
    ids.forEach(id => {
        const n = g.nodes.get(id), label = body.nodes[id].labelModule;
        if (n.cluster_of) groups += 1; else if (n.shape === 'text') titles += 1; else if (n.more) more += 1;
        if (label.elementOptions.label) boxes.push(label.size);
    });
    let overlaps = 0;
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const p = boxes[i], q = boxes[j];
        if (p.left < q.left + q.width - 0.5 && q.left < p.left + p.width - 0.5
            && p.top < q.top + q.height - 0.5 && q.top < p.top + p.height - 0.5) overlaps += 1;
    }
    net.setOptions({nodes: {scaling: {label: {drawThreshold: 5}}}});
    net.moveTo({scale: scale, position: at, animation: false});
    const edges = g.edges.get({filter: e => g.view.get(e.from) && g.view.get(e.to)}).length;
    return {nodes: ids.length - titles, groups: groups, more: more, sector_titles: titles, edges: edges,
            labels: boxes.length, overlapping_labels: overlaps, font_px: +(14 * scale).toFixed(1)};
}"""


@dataclass(frozen=True)
class Readiness:
    """A page to time: its path in the site, when it is ready, and when it became so (ms since navigation)."""

    name: str
    path: str
    ready: str
    at: str
    probe: str | None = None
    target_ms: float = TARGET_MS


QUERY_TARGET_MS = 1500.0   # issue 19, point 6
QUERY_READY = "window.saQueryReady !== undefined"
QUERY_PROBE = """() => {
    const app = window.stackAtlasQuery, t = app.loaded, at = (ms) => Math.round(ms);
    return {triples: app.triples, 'start-up script at': at(t.boot_at), 'data and wasm in hand at': at(t.fetched_at),
            'store.load ms': t.load_ms};
}"""
GRAPH_READY = "window.saGraphReady !== undefined"
PAGES = [
    Readiness("explorer (whole graph)", "graph/index.html", GRAPH_READY, "window.saGraphReady", GRAPH_PROBE),
    Readiness("neighbourhood (Apache Kafka)", "technology/apache-kafka.html", GRAPH_READY, "window.saGraphReady",
              GRAPH_PROBE),
    Readiness("Query page (zh)", "query.html", QUERY_READY, "window.saQueryReady", QUERY_PROBE, QUERY_TARGET_MS),
    Readiness("Query page (en)", "en/query.html", QUERY_READY, "window.saQueryReady", QUERY_PROBE, QUERY_TARGET_MS),
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """The site over HTTP on loopback, as a static host serves it; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def measure(site: Path, pages: list[Readiness] = PAGES, runs: int = 5) -> dict[str, dict[str, Any]]:
    """Each page's ready times over `runs` fresh loads, their median, and what its probe saw on the first load."""
    from playwright.sync_api import sync_playwright

    out: dict[str, dict[str, Any]] = {p.name: {"path": p.path, "ms": [], "bytes": [], "target_ms": p.target_ms}
                                      for p in pages}
    # Playwright gives the browser a fresh profile of its own (in a temporary folder it removes).
    with serving(site) as base, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            for _ in range(runs):
                for entry in pages:
                    context = chromium.new_context(viewport={"width": 1280, "height": 900})
                    try:
                        tab = context.new_page()
                        sizes: list[int] = []

                        def finished(request: Any, sizes: list[int] = sizes) -> None:
                            sizes.append(_transferred(request))

                        tab.on("requestfinished", finished)
                        tab.goto(base + entry.path, wait_until="commit")
                        tab.wait_for_function(entry.ready, timeout=60_000)
                        out[entry.name]["ms"].append(float(tab.evaluate(entry.at)))
                        if entry.probe and "probe" not in out[entry.name]:
                            out[entry.name]["probe"] = tab.evaluate(entry.probe)
                        tab.wait_for_load_state("networkidle")
                        out[entry.name]["bytes"].append(sum(sizes))
                        tab.remove_listener("requestfinished", finished)
                    finally:
                        context.close()
        finally:
            chromium.close()
    for entry in out.values():
        entry["median_ms"] = statistics.median(entry["ms"])
    return out


def _transferred(request: Any) -> int:
    """Bytes a finished request moved: headers and body as sent (compressed if the server compressed it)."""
    try:
        sizes = request.sizes()
    except Exception:  # the page went away meanwhile
        return 0
    return int(sizes["responseHeadersSize"] + sizes["responseBodySize"])


# -- as a stage of benchmarks/run.py ---------------------------------------------------------------


def stage_browser(ctx: Any) -> None:
    """One fresh load of every page (run.py repeats the stage); only for the real corpus's site."""
    site = ROOT / "build" / "site"
    if ctx.project.root.resolve() != ROOT or not (site / "graph" / "index.html").is_file() or not CHROMIUM.exists():
        ctx.values["browser-skipped"] = True
        return
    for name, entry in measure(site, runs=1).items():
        kept = ctx.values.setdefault("browser", {}).setdefault(
            name, {"path": entry["path"], "ms": [], "bytes": [], "target_ms": entry["target_ms"]})
        kept["ms"] += entry["ms"]
        kept["bytes"] += entry["bytes"]
        kept.setdefault("probe", entry.get("probe"))


def summary(ctx: Any) -> dict[str, Any] | None:
    """What run.py keeps in the results: per page, every run's ms, the median and the probe."""
    found = ctx.values.get("browser")
    if not found:
        return None
    return {name: {**entry, "median_ms": statistics.median(entry["ms"])} for name, entry in found.items()}


STAGES = {"browser": stage_browser}


def print_browser(results: list[dict[str, Any]]) -> None:
    """Milliseconds to ready and bytes transferred per page, what the pages' probes saw, and each page's target."""
    rows = [(r["label"], name, entry) for r in results for name, entry in (r.get("browser") or {}).items()]
    if not rows:
        return
    print("\npages in Chromium (ms from navigation to ready): size  page                            median     runs")
    for label, name, entry in rows:
        runs = ", ".join(f"{ms:.0f}" for ms in entry["ms"])
        print(f"{'':27}{label:>6}  {name:<30} {entry['median_ms']:8.0f}   [{runs}]")
        if entry.get("bytes"):
            print(f"{'':35}transferred {statistics.median(entry['bytes']) / 1e6:.2f} MB (median of {len(entry['bytes'])})")
        if entry.get("probe"):
            print(f"{'':35}{' · '.join(f'{k} {v}' for k, v in entry['probe'].items())}")
    for label, name, entry in rows:
        target = entry.get("target_ms", TARGET_MS)
        state = "met" if entry["median_ms"] <= target else "MISSED"
        print(f"  [{state}] {name} ready ({label}): {entry['median_ms']:.0f} ms (target ≤ {target:.0f} ms)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, default=ROOT / "build" / "site", help="a built site (kg build)")
    parser.add_argument("--runs", type=int, default=5, help="fresh loads of each page")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        parser.error(f"no built site at {args.site}: run `kg build` first")
    print_browser([{"label": "site", "browser": measure(args.site.resolve(), runs=args.runs)}])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
