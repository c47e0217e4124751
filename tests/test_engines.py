"""rdflib's SPARQL engine and pyoxigraph give the same answers to every saved query.

pyoxigraph is the fast default; rdflib stays the in-process reference, so a
disagreement here means one of them (or a query) is wrong. Saved queries read
`FROM <DATASET_GRAPH>`: pyoxigraph holds the graph as its default graph and reads
it through the engine's `dataset_options`, as `kg query` does; rdflib is given the
graph alone, where it evaluates every query and ignores dataset clauses (an rdflib
Dataset would honour the FROM by copying the whole graph for every query: minutes).
"""

from __future__ import annotations

import pytest
from rdflib import Literal

from kgtools.insights.enrich import published_graph
from kgtools.query.engine import PREFIX_IRIS, dataset_options
from kgtools.query.saved import SavedQuery, saved_queries
from kgtools.query.store import store_from_ntriples
from kgtools.records.project import Project

from .conftest import ROOT

QUERIES = saved_queries(Project(ROOT))


def _cell(value: str) -> str:
    """GROUP_CONCAT's order is undefined in SPARQL: compare its parts as a set."""
    return ", ".join(sorted(value.split(", "))) if ", " in value else value


@pytest.fixture(scope="module")
def engines(project: Project):
    from kgtools.graph.dumps import canonical_ntriples

    graph = published_graph(project).graph
    return graph, store_from_ntriples(canonical_ntriples(graph))


@pytest.mark.parametrize("saved", QUERIES, ids=[q.name for q in QUERIES])
def test_rdflib_and_oxigraph_agree(engines, saved: SavedQuery) -> None:
    graph, store = engines
    ox_result = store.query(saved.text, prefixes=PREFIX_IRIS, **dataset_options(saved.text))
    names = [v.value for v in ox_result.variables]
    ox_rows = sorted(tuple(_cell(row[n].value) if row[n] is not None else "" for n in names) for row in ox_result)
    rd_result = graph.query(saved.text, initNs=PREFIX_IRIS)

    def text(term: object) -> str:
        if term is None:
            return ""
        if isinstance(term, Literal):
            return _cell(str(term))
        return _cell(str(term))

    rd_rows = sorted(tuple(text(row[n]) for n in names) for row in rd_result)
    assert rd_rows == ox_rows
