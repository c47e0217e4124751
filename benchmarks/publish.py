"""`kg publish` into a loopback `oxigraph serve`, both ways: the bulk loader and one transactional PUT.

`benchmarks/run.py` registers two stages: `publish-bulk` is `kg publish
--store oxigraph` (the PUT carries `no_transaction`, so Oxigraph streams the
body through its bulk loader), `publish-gsp` is `kg publish --store gsp` (one
plain Graph Store PUT, which Oxigraph runs as one transaction). Both send the
graph's N-Triples as the `dumps` stage writes them (the analytics `kg publish`
adds on top are the `analytics` stage's). Setup, untimed, starts one server per
corpus size and publishes once, so every timed run replaces a graph already
there, as a second `kg publish` does. The report prints seconds for each way
and how many times slower the transaction is.

A transactional PUT of ~1.1M triples (40,000 records) took 217 s where the bulk
loader took 19.5 s (kgtools/query/publish.py), and a stage is timed `--repeat`
times: `publish-gsp` is skipped above `SKIP_ABOVE` records, and says so.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from kgtools.graph.vocab import DATASET_GRAPH
from kgtools.query.engine import QueryError
from kgtools.query.publish import publish_ntriples
from kgtools.query.remote import remote_query

SKIP_ABOVE = {"publish-gsp": 4_000}   # records: from 40,000 one transactional PUT takes minutes
WAYS = {"publish-bulk": "oxigraph", "publish-gsp": "gsp"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server(ctx: Any) -> dict[str, Any]:
    """One `oxigraph serve` on loopback per corpus size, holding the graph once published (untimed)."""
    if "oxigraph-serve" not in ctx.values:
        binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
        assert binary, "the oxigraph server (PyPI package `oxigraph`) is a dev dependency"
        folder = ctx.scratch / "oxigraph"
        shutil.rmtree(folder, ignore_errors=True)
        port = _free_port()
        process = subprocess.Popen([binary, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],  # noqa: S603 - our own server binary, fixed arguments
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"oxigraph serve exited with status {process.returncode}"
            try:
                remote_query(f"{base}/query", "ASK {}", "json", timeout=2)
                break
            except QueryError:
                assert time.monotonic() < deadline, "oxigraph serve did not answer within 60 s"
                time.sleep(0.2)
        state = {"process": process, "base": base, "folder": folder, "seconds": {}, "load": []}
        publish_ntriples(f"{base}/store", DATASET_GRAPH, ctx.values["ntriples"], "oxigraph")
        ctx.values["oxigraph-serve"] = state
    return ctx.values["oxigraph-serve"]


def _stage(ctx: Any, name: str) -> None:
    state = _server(ctx)
    published = publish_ntriples(f"{state['base']}/store", DATASET_GRAPH, ctx.values["ntriples"], WAYS[name])
    assert published.status in (200, 201, 204), published
    state["seconds"].setdefault(name, []).append(published.seconds)
    state["load"].append(os.getloadavg()[0])


def stage_bulk(ctx: Any) -> None:
    """`kg publish --store oxigraph`: the graph replaced through Oxigraph's bulk loader."""
    _stage(ctx, "publish-bulk")


def stage_gsp(ctx: Any) -> None:
    """`kg publish --store gsp`: the graph replaced by one Graph Store PUT, one transaction in Oxigraph."""
    _stage(ctx, "publish-gsp")


def setup(ctx: Any) -> None:
    _server(ctx)


STAGES = {"publish-bulk": stage_bulk, "publish-gsp": stage_gsp}
SETUP = {"publish-bulk": setup, "publish-gsp": setup}
DEPENDS = {"publish-bulk": ["load", "compile", "dumps"], "publish-gsp": ["load", "compile", "dumps"]}


def _count(base: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DATASET_GRAPH}> {{ ?s ?p ?o }} }}"
    return int(json.loads(remote_query(f"{base}/query", query, "json", timeout=60))["results"]["bindings"][0]["n"]["value"])


def summary(ctx: Any) -> dict[str, Any]:
    """Median seconds per way, the triples sent and the load average; checks the store holds the graph once; stops it."""
    state = ctx.values.pop("oxigraph-serve", None)
    if not state:
        return {}
    try:
        triples = ctx.values["ntriples"].count("\n")
        held = _count(state["base"])
        assert held == triples, f"the store holds {held} triples, not the {triples} published"
        out: dict[str, Any] = {"triples": triples, "load": [min(state["load"]), max(state["load"])]}
        out.update({name: statistics.median(runs) for name, runs in state["seconds"].items()})
        return out
    finally:
        state["process"].terminate()
        try:
            state["process"].wait(timeout=30)
        except subprocess.TimeoutExpired:
            state["process"].kill()
            state["process"].wait(timeout=10)
        shutil.rmtree(state["folder"], ignore_errors=True)


def print_publish(results: list[dict[str, Any]]) -> None:
    """Seconds for each way at each size, and the transaction's cost as a multiple of the bulk load's."""
    rows = [r for r in results if r.get("publish")]
    if not rows:
        return
    print("\nkg publish to oxigraph serve (median s):  size      records   triples   bulk   one PUT   PUT/bulk   load")
    for r in rows:
        p = r["publish"]
        bulk, gsp = p.get("publish-bulk"), p.get("publish-gsp")
        limit = SKIP_ABOVE["publish-gsp"]
        put = f"{gsp:9.2f}" if gsp is not None else f"{'skipped':>9}"
        ratio = f"{gsp / bulk:9.1f}x" if gsp is not None and bulk else (f"  (> {limit} records)" if gsp is None else "")
        print(f"{'':42}{r['label']:>6} {r['records']:>10} {p['triples']:>9} "
              f"{bulk if bulk is not None else float('nan'):6.2f} {put} {ratio}   {p['load'][0]:.1f}-{p['load'][1]:.1f}")
