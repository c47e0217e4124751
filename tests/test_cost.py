"""The cost model and `kg cost`: the documents' 90% saving reworked, and what it assumes."""

from __future__ import annotations

import json

import pytest

from kgtools.insights.cost import comparisons, rework, run_cost
from kgtools.models.cost import Option, break_even_nodes, saving, what_the_saving_assumes
from kgtools.pipeline import open_store
from kgtools.records.project import Project

COMPARISON = "postgresql-vs-cassandra-cost-comparison"


def test_saving_splits_into_node_and_price_ratios() -> None:
    baseline, alternative = Option("a", 20, 100.0), Option("b", 10, 150.0)
    parts = what_the_saving_assumes(baseline, alternative)
    assert parts["node_ratio"] * parts["price_ratio"] == pytest.approx(alternative.monthly / baseline.monthly)
    assert saving(baseline, alternative) == pytest.approx(0.25)
    assert break_even_nodes(baseline, alternative) == pytest.approx(2000 / 150)
    with pytest.raises(ValueError, match="negative"):
        Option("x", -1, 1.0)


@pytest.fixture(scope="module")
def store(project: Project):
    return open_store(project)


def test_the_documents_saving_is_all_node_count(store) -> None:
    comp = comparisons(store)[COMPARISON]
    result = rework(comp, {}, {})
    cassandra, postgresql = result["options"]["apache-cassandra"], result["options"]["postgresql"]
    assert (cassandra.nodes, postgresql.nodes) == (30, 3)
    assert cassandra.monthly == pytest.approx(33251) and postgresql.monthly == pytest.approx(3325)
    parts = what_the_saving_assumes(cassandra, postgresql)
    assert parts["price_ratio"] == pytest.approx(1.0, abs=1e-3)     # the same price per node on both sides
    assert parts["saving_from_nodes_alone"] == pytest.approx(0.9)
    assert not any(i.public for inputs in result["inputs"].values() for i in inputs.values())


def test_kg_cost_reworks_for_the_readers_node_count(store, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cost(store, COMPARISON, "postgresql=10", None, "json") == 0
    report = json.loads(capsys.readouterr().out)[0]["options"]
    assert report["postgresql"]["nodes"] == 10
    assert report["postgresql"]["monthly"] == pytest.approx(3325 / 3 * 10)
    assert run_cost(store, COMPARISON, None, None, "text") == 0
    text = capsys.readouterr().out
    assert "saves 90.0% a month" in text and "runs 0.100× the nodes at 1.000× the price per node" in text
    assert "inputs resting on the seed documents alone" in text
    assert run_cost(store, "no-such-comparison", None, None, "text") == 1
    assert run_cost(store, COMPARISON, "postgresql=ten", None, "text") == 1
