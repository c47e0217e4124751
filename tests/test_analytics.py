"""Network analytics: written back deterministically, and every explanation path is made of real triples."""

from __future__ import annotations

import pytest

from kgtools.insights.analytics import communities, entity_graph, explain_path, pagerank, resolve_entity
from kgtools.pipeline import open_store
from kgtools.query.engine import PREFIX_IRIS
from kgtools.records.project import Project


@pytest.fixture
def store(mini: Project):
    return open_store(mini)


def test_path_finder_path_exists_in_graph(store) -> None:
    entities = entity_graph(store)
    start = resolve_entity(entities, "technology/kubernetes")
    end = resolve_entity(entities, "Saga pattern")
    hops = explain_path(entities, start, end)
    assert len(hops) == 2
    for hop in hops:
        subject, obj = (hop.source, hop.target) if hop.forward else (hop.target, hop.source)
        ask = f"ASK {{ <{subject}> <{hop.predicate}> <{obj}> }}"
        assert bool(store.query(ask)), ask


def test_unknown_entity_suggests_names(store) -> None:
    entities = entity_graph(store)
    with pytest.raises(KeyError, match="did you mean"):
        resolve_entity(entities, "technology/kubernets")


def test_ranks_and_communities_written_back(store) -> None:
    rows = list(store.query("SELECT ?e ?r ?c WHERE { ?e sa:pageRank ?r ; sa:community ?c }", prefixes=PREFIX_IRIS))
    entities = entity_graph(store)
    assert len(rows) == entities.graph.number_of_nodes()
    assert abs(sum(float(r["r"].value) for r in rows) - 1.0) < 1e-3
    ranks = pagerank(entities)
    assert max(ranks, key=ranks.get).endswith("/technology/temporal")


def test_communities_are_deterministic(store) -> None:
    entities = entity_graph(store)
    assert communities(entities) == communities(entity_graph(store))
