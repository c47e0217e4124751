"""The published graph: what the records say, plus the analytics computed over it.

`kg build` publishes PageRank and community membership beside the records'
own triples, so SPARQL and the site can use them. This module is the one
place that joins the two; the graph layer below knows nothing of analytics.
"""

from __future__ import annotations

from kgtools.graph.compiled import CompiledGraph, Step, compile_project
from kgtools.insights.analytics import analytics_triples, entity_graph
from kgtools.query.store import store_from_ntriples
from kgtools.records.project import Project


def add_analytics(compiled: CompiledGraph) -> CompiledGraph:
    """Merge the analytics triples into a compiled graph (in place) and return it."""
    compiled.add(analytics_triples(entity_graph(store_from_ntriples(compiled.ntriples))))
    return compiled


def published_graph(project: Project, shacl: bool = True, step: Step | None = None) -> CompiledGraph:
    """Check, compile, validate and enrich: the graph exactly as `kg build` publishes it (`step`: as in compile_project)."""
    compiled = add_analytics(compile_project(project, shacl=shacl, step=step))
    if step:
        step("analytics", "PageRank and communities")
    return compiled
