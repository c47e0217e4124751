"""The fixture corpus's compiled graph, compared as an RDF graph with a stored snapshot (sorted N-Triples).

A change to the compiler, the schemas' annotations or the analytics shows up
here as the triples it adds or removes. Regenerate only on purpose, and review
the diff: `python -m pytest tests/test_snapshots.py --update-snapshots`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kgtools.insights.enrich import published_graph
from kgtools.records.project import Project

SNAPSHOT = Path(__file__).parent / "snapshots" / "mini-graph.nt"


def _compiled(mini: Project) -> Graph:
    return Graph().parse(data=published_graph(mini).ntriples, format="nt")


def test_fixture_graph_matches_snapshot(mini: Project, request: pytest.FixtureRequest) -> None:
    graph = _compiled(mini)
    if request.config.getoption("--update-snapshots"):
        SNAPSHOT.write_text(published_graph(mini).ntriples, encoding="utf-8")
        pytest.skip(f"rewrote {SNAPSHOT.name}; review `git diff` before committing")
    assert SNAPSHOT.is_file(), "no snapshot yet: run `python -m pytest tests/test_snapshots.py --update-snapshots`"
    stored = Graph().parse(SNAPSHOT, format="nt")
    if not isomorphic(graph, stored):
        _, only_stored, only_now = graph_diff(to_isomorphic(stored), to_isomorphic(graph))
        lost = sorted(only_stored.serialize(format="nt").splitlines())[:10]
        added = sorted(only_now.serialize(format="nt").splitlines())[:10]
        pytest.fail("compiled graph differs from tests/snapshots/mini-graph.nt\n"
                    "only in the snapshot:\n  " + "\n  ".join(lost) + "\nonly now:\n  " + "\n  ".join(added) +
                    "\nif intended: python -m pytest tests/test_snapshots.py --update-snapshots")


def test_snapshot_comparison_sees_a_changed_record(mini: Project) -> None:
    """The comparison is not vacuous: one changed alias in the fixture makes the graphs differ."""
    record = mini.root / "corpus/technologies/kubernetes.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("aliases: [K8s]", "aliases: [K8s, Kube]"), encoding="utf-8")
    assert not isomorphic(_compiled(mini), Graph().parse(SNAPSHOT, format="nt"))
