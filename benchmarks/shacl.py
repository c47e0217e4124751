"""SHACL at every corpus size with both engines: pyrudof as `kg build` runs it, pyshacl as the tests' second opinion.

`benchmarks/run.py` registers these stages (`--stages shacl,shacl-pyshacl`) and
`benchmarks/report.py` prints the engines side by side. pyshacl needs minutes
at 40,000 records, so from that size on it is timed once (`ONCE_FROM`).
"""

from __future__ import annotations

import statistics
from typing import Any

from kgtools.graph.compile import to_graph
from kgtools.graph.dumps import canonical_ntriples
from kgtools.graph.shapes import check_shapes


def _files(ctx: Any) -> tuple[Any, Any]:
    return ctx.project.ontology / "shapes.ttl", ctx.project.ontology / "stackatlas.ttl"


def setup_shacl(ctx: Any) -> None:
    """The N-Triples `kg build` validates are the ones it writes the dumps from; their cost is the `dumps` stage's."""
    ctx.values["shacl-ntriples"] = canonical_ntriples(ctx.values["triples"])


def stage_shacl(ctx: Any) -> None:
    """pyrudof over the graph's N-Triples (parsing them included), the SHACL step of `kg build`."""
    violations = check_shapes(ctx.values["shacl-ntriples"], *_files(ctx), engine="pyrudof")
    assert not violations, violations[:3]


def stage_shacl_pyshacl(ctx: Any) -> None:
    """pyshacl over an rdflib Graph, building that Graph from the triples included (as the build paid it before)."""
    ctx.values.pop("graph", None)
    violations = check_shapes(to_graph(ctx.values["triples"]), *_files(ctx), engine="pyshacl")
    assert not violations, violations[:3]


STAGES = {"shacl": stage_shacl, "shacl-pyshacl": stage_shacl_pyshacl}
SETUP = {"shacl": setup_shacl}
DEPENDS = {"shacl": ["load", "compile"], "shacl-pyshacl": ["load", "compile"]}
ONCE_FROM = {"shacl-pyshacl": 40_000}  # records from which a stage is timed once: minutes per run


def print_engines(results: list[dict[str, Any]]) -> None:
    """Both engines' median seconds at each size, and how many times faster pyrudof is."""
    rows = [r for r in results if "shacl" in r["stages"] and "shacl-pyshacl" in r["stages"]]
    if not rows:
        return
    print("\nSHACL engines (median s):  size      records   triples   pyrudof   pyshacl   pyshacl/pyrudof")
    for r in rows:
        rudof, pyshacl = r["stages"]["shacl"], r["stages"]["shacl-pyshacl"]
        print(f"{'':27}{r['label']:>6} {r['records']:>10} {r.get('triples', 0):>9} {rudof:9.3f} {pyshacl:9.3f}"
              f" {pyshacl / rudof:15.1f}x")
    ratios = [r["stages"]["shacl-pyshacl"] / r["stages"]["shacl"] for r in rows]
    print(f"{'':27}median speed-up {statistics.median(ratios):.1f}x")
