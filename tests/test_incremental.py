"""The graph compiled record by record (`RecordGraph`, what `kg serve` refreshes from) is the full compile's after any edit.

Each edit is made to a copy of the fixture corpus; the graph brought up to
date by `update` must be line for line `compile_triples` of the edited
corpus, its splice exactly the lines that entered and left, and it must have
compiled only the edited record unless the edit changed a source's class.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml

from kgtools.graph.compile import compile_triples
from kgtools.graph.dumps import canonical_ntriples, ntriples_lines
from kgtools.graph.incremental import RecordGraph
from kgtools.records.check import check
from kgtools.records.project import Project

Edit = Callable[[dict[str, Any]], None]


def _full(project: Project) -> str:
    checked = check(project)
    assert checked.ok, [p.text() for p in checked.problems]
    return canonical_ntriples(compile_triples(checked.corpus, checked.schemas))


def _edit(project: Project, path: str, change: Edit) -> None:
    record = project.corpus / path
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    change(data)
    record.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _graph(project: Project) -> RecordGraph:
    checked = check(project)
    graph = RecordGraph(checked.schemas)
    assert graph.update(checked.corpus).full
    return graph


def _update(project: Project, graph: RecordGraph, full_before: str) -> tuple[int, bool]:
    """Bring `graph` to the corpus now; assert it equals a full compile and its splice is the difference."""
    splice = graph.update(check(project).corpus)
    full_after = _full(project)
    assert graph.ntriples == full_after
    before, after = set(ntriples_lines(full_before)), set(ntriples_lines(full_after))
    assert (splice.added, splice.removed) == (after - before, before - after)
    return splice.compiled, splice.full


def _relabel(data: dict[str, Any]) -> None:
    data["label"]["en"] = "Temporal Server"


def _describe(data: dict[str, Any]) -> None:
    data["description"]["en"] = "A container orchestration platform, described anew."


def _integrate(data: dict[str, Any]) -> None:
    data["integrates_with"] = ["postgresql"]     # symmetric: the mirrored line is about postgresql


def _drop_relation(data: dict[str, Any]) -> None:
    data["integrates_with"].remove("apache-cassandra")


def _drop_status(data: dict[str, Any]) -> None:
    del data["status"]                            # a statement node and its citation


@pytest.mark.parametrize(("path", "change"), [
    ("technologies/kubernetes.yaml", _describe),
    ("technologies/temporal.yaml", _relabel),
    ("technologies/kubernetes.yaml", _integrate),
    ("technologies/temporal.yaml", _drop_relation),
    ("technologies/temporal.yaml", _drop_status),
], ids=["description", "label", "relation added", "relation removed", "statement removed"])
def test_one_edited_record_is_compiled_alone(mini: Project, path: str, change: Edit) -> None:
    graph, before = _graph(mini), _full(mini)
    _edit(mini, path, change)
    assert _update(mini, graph, before) == (1, False)
    assert _update(mini, graph, _full(mini)) == (0, False)     # and nothing more when nothing changed


def test_a_link_listed_at_both_ends_stays_while_one_end_lists_it(mini: Project) -> None:
    """temporal and kubernetes both list the integration: each makes both lines; dropping it at one end keeps them."""
    _edit(mini, "technologies/kubernetes.yaml", lambda data: data.update(integrates_with=["temporal"]))
    graph, before = _graph(mini), _full(mini)
    _edit(mini, "technologies/temporal.yaml", lambda data: data["integrates_with"].remove("kubernetes"))
    assert _update(mini, graph, before) == (1, False)
    line = "<https://w3id.org/stackatlas/technology/temporal> <https://w3id.org/stackatlas/ontology#integratesWith> " \
           "<https://w3id.org/stackatlas/technology/kubernetes> ."
    assert line in graph.lines
    before = _full(mini)
    _edit(mini, "technologies/kubernetes.yaml", lambda data: data.pop("integrates_with"))
    _update(mini, graph, before)
    assert line not in graph.lines


def test_a_source_changing_class_compiles_every_record(mini: Project) -> None:
    """The Coinbase case's statements take their evidence level from the class of the sources they cite."""
    graph, before = _graph(mini), _full(mini)
    _edit(mini, "sources/temporal-coinbase-case-study.yaml", lambda data: data.update(kind="public-reference"))
    compiled, full = _update(mini, graph, before)
    assert full and compiled == len(check(mini).corpus.records)
    assert any(line.startswith("<https://w3id.org/stackatlas/case/coinbase-cross-border-payments#")
               and "PublicReferenceEvidence" in line for line in graph.lines)


def test_records_added_and_removed(mini: Project) -> None:
    graph, before = _graph(mini), _full(mini)
    added = mini.corpus / "technologies" / "nomad.yaml"
    text = (mini.corpus / "technologies" / "kubernetes.yaml").read_text(encoding="utf-8")
    added.write_text(text.replace("id: kubernetes", "id: nomad").replace("en: Kubernetes", "en: Nomad"), encoding="utf-8")
    assert _update(mini, graph, before) == (1, False)
    before = _full(mini)
    added.unlink()
    assert _update(mini, graph, before) == (0, False)
    assert graph.ntriples == _full(mini)


def test_a_value_of_another_type_is_compiled_again(mini: Project) -> None:
    """`195` and `195.0` are equal in Python but compile to different literals: the record's text decides."""
    record = mini.corpus / "assessments" / "fixture-benchmark.yaml"
    text = record.read_text(encoding="utf-8")
    graph, before = _graph(mini), _full(mini)
    assert "value: 195," in text
    record.write_text(text.replace("value: 195,", "value: 195.0,"), encoding="utf-8")
    assert _update(mini, graph, before) == (1, False)
