"""The selection advisor: hand-checked scores, weights that move the ranking, and the documents' examples."""

from __future__ import annotations

import json
import os

import pytest

from kgtools.cli import main
from kgtools.insights.advisor import Requirements, advise, advisor_data, normalised, walk_tree
from kgtools.pipeline import open_store
from kgtools.records.project import Project


@pytest.fixture
def data(mini: Project) -> dict:
    return advisor_data(open_store(mini))


def test_scores_equal_hand_calculation(data: dict) -> None:
    results = {s.technology: s for s in advise(data, Requirements("long-running-business-process"))}
    weights = data["weights"]
    assert weights == {"functional-fit": 0.3, "performance": 0.25, "cost-effectiveness": 0.2,
                       "maintainability": 0.15, "scalability": 0.1}
    temporal, cadence = results["temporal"], results["cadence"]
    # temporal: fit 5/5; P99 195 is the best; cost 2/5; maturity 4/5 and used by the only case → maintainability 0.9
    assert temporal.score("functional-fit") == 1.0 and temporal.score("performance") == 1.0
    assert temporal.score("cost-effectiveness") == pytest.approx(0.4)
    assert temporal.score("maintainability") == pytest.approx(0.9)
    assert temporal.score("scalability") is None  # no data: left out, not invented
    assert temporal.total(weights)[0] == pytest.approx((0.3 + 0.25 + 0.2 * 0.4 + 0.15 * 0.9) / 0.9)
    assert temporal.total(weights)[1] == pytest.approx(0.9)
    # cadence: fit 3/5, P99 390 vs best 195, cost 5/5, maturity 2/5 with one case
    assert cadence.total(weights)[0] == pytest.approx((0.3 * 0.6 + 0.25 * 0.5 + 0.2 * 1.0 + 0.15 * 0.7) / 0.9)


def test_changing_a_weight_changes_the_ranking(data: dict) -> None:
    default = [s.technology for s in advise(data, Requirements("long-running-business-process"))]
    assert default == ["temporal", "cadence"]
    cost_first = data["weights"] | {"cost-effectiveness": 5.0}
    reranked = [s.technology for s in advise(data, Requirements("long-running-business-process"), cost_first)]
    assert reranked == ["cadence", "temporal"]


def test_decision_tree_and_refinement(data: dict) -> None:
    fired = walk_tree(data, Requirements("long-running-business-process", stateful=True, cost_sensitive=True))
    assert [(r["after"], r["choose"]) for r in fired] == [("", "temporal"), ("temporal", "postgresql")]
    assert walk_tree(data, Requirements("long-running-business-process", stateful=False)) == []


def test_cli_json_and_unknown_scenario(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    cwd = os.getcwd()
    os.chdir(mini.root)
    try:
        assert main(["advise", "long-running-business-process", "--format", "json"]) == 0
        ranking = json.loads(capsys.readouterr().out)
        assert [r["technology"] for r in ranking] == ["temporal", "cadence"]
        assert ranking[0]["dimensions"]["scalability"] is None
        assert main(["advise", "long-running-busines-process"]) == 1
        assert "did you mean `long-running-business-process`?" in capsys.readouterr().err
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="module")
def real_data(project: Project) -> dict:
    return advisor_data(open_store(project))


@pytest.mark.parametrize(("requirements", "expected"), [
    (Requirements("real-time-stream-processing", latency_ms=10), "apache-flink"),
    (Requirements("microservice-orchestration", stateful=True), "temporal"),
    (Requirements("microservice-orchestration", stateful=False), "aws-step-functions"),
    (Requirements("machine-learning-training"), "ray"),
    (Requirements("big-data-batch-processing", scale="tb"), "apache-spark"),
], ids=["ms-streaming-flink", "stateful-orchestration-temporal", "stateless-step-functions", "ml-ray", "tb-batch-spark"])
def test_documents_examples(real_data: dict, requirements: Requirements, expected: str) -> None:
    ranking = advise(real_data, requirements)
    assert ranking[0].technology == expected
    assert ranking[0].from_tree


def test_a_latency_bound_is_a_constraint_with_its_figure(data: dict) -> None:
    ranking = advise(data, Requirements("long-running-business-process", latency_ms=200))
    by_id = {s.technology: s for s in ranking}
    assert by_id["temporal"].bound == 0 and "195 ms is within the 200 ms bound" in by_id["temporal"].notes[0]
    assert by_id["cadence"].bound == 2 and "390 ms exceeds the 200 ms bound" in by_id["cadence"].notes[0]
    assert ranking.index(by_id["temporal"]) < ranking.index(by_id["cadence"])
    # cost-first weights cannot lift a candidate that breaks the bound above one that meets it
    cost_first = data["weights"] | {"cost-effectiveness": 5.0}
    assert [s.technology for s in advise(data, Requirements("long-running-business-process", latency_ms=200),
                                         cost_first)][:1] == ["temporal"]


def test_a_bound_no_candidate_meets_says_so(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    cwd = os.getcwd()
    os.chdir(mini.root)
    try:
        assert main(["advise", "long-running-business-process", "--latency-ms", "10"]) == 0
        out = capsys.readouterr().out
        assert "latency bound: no candidate has a cited P99 within 10 ms" in out
        assert "functional-fit" in out and "functional-fi " not in out      # headings are not cut off
        assert "weights (normalised to sum to 1)" in out
    finally:
        os.chdir(cwd)


def test_weights_are_normalised(data: dict) -> None:
    doubled = {d: 2 * w for d, w in data["weights"].items()}
    first = advise(data, Requirements("long-running-business-process"))
    second = advise(data, Requirements("long-running-business-process"), doubled)
    assert [s.total(normalised(data["weights"])) for s in first] == [s.total(normalised(doubled)) for s in second]
    assert sum(normalised(doubled).values()) == pytest.approx(1.0)


def test_ten_ms_streaming_ranks_every_candidate_that_breaks_it_below_every_one_that_meets_it(real_data: dict) -> None:
    ranking = advise(real_data, Requirements("real-time-stream-processing", latency_ms=10))
    order = [s.bound for s in ranking]
    assert order == sorted(order) and order[0] == 0
    by_id = {s.technology: s for s in ranking}
    assert by_id["temporal"].bound == 2 and "195 ms exceeds" in by_id["temporal"].notes[0]
    assert by_id["apache-spark"].bound == 1        # "< 500 ms" cannot show it is within 10 ms
    assert by_id["apache-flink"].bound == 0
    assert len(ranking) > 5                         # candidates beyond the fit matrix's five
    assert any(s.score("scalability") is not None for s in ranking)
