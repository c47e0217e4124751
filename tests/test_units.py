"""One shared unit table: unknown units are refused with a hint, and figures normalise so like compares with like."""

from __future__ import annotations

import re

import pytest

from kgtools.insights.enrich import published_graph
from kgtools.query.engine import PREFIX_IRIS
from kgtools.query.store import store_from_ntriples
from kgtools.records.check import check
from kgtools.records.project import Project
from kgtools.records.schemas import SchemaSet

from .conftest import ROOT


def _first_unit(text: str) -> re.Match[str]:
    match = re.search(r"unit: ([^,}\n]+)", text)
    assert match, "the fixture case has a figure with a unit"
    return match


def test_every_unit_in_the_corpus_is_in_the_table() -> None:
    table = SchemaSet.load(Project(ROOT).schemas).documents["common.schema.json"]["$defs"]["unit"]["x-units"]
    for entry in table.values():
        assert entry["quantity"] and entry["base"]
        assert ("factor" in entry) != ("per_seconds" in entry) or entry["quantity"] not in ("EventRate",)


def test_an_unknown_unit_is_refused_with_the_nearest_one(mini: Project) -> None:
    case = next((mini.root / "corpus" / "cases").glob("*.yaml"))
    text = case.read_text(encoding="utf-8")
    unit = _first_unit(text)
    case.write_text(text[:unit.start()] + "unit: tasks/sec" + text[unit.end():], encoding="utf-8")
    problems = [p.text() for p in check(mini).problems]
    assert any("`tasks/sec` is not one of" in p and "did you mean `tasks/s`" in p for p in problems), problems


@pytest.mark.parametrize(("unit", "value", "kind", "per_base"), [
    ("ms", "250", "Duration", "0.25"),
    ("tasks/day", "86400", "EventRate", "1"),
    ("requests/s", "7", "EventRate", "7"),
    ("PB", "2", "DataVolume", "2000000000000000"),
])
def test_figures_normalise_to_the_base_unit(mini: Project, unit: str, value: str, kind: str, per_base: str) -> None:
    case = next((mini.root / "corpus" / "cases").glob("*.yaml"))
    text = case.read_text(encoding="utf-8")
    figure = re.search(r"value: [0-9.]+(?P<rest>\n *)unit: [^,}\n]+", text)
    assert figure, "the fixture case has a figure written as value, then unit"
    text = text[:figure.start()] + f"value: {value}{figure['rest']}unit: {unit}" + text[figure.end():]
    case.write_text(text, encoding="utf-8")
    store = store_from_ntriples(published_graph(mini, shacl=False).ntriples)
    rows = list(store.query(f"""SELECT ?kind ?n WHERE {{ ?m schema:unitText "{unit}" ; schema:value ?v ;
                                sa:quantityKind ?kind ; sa:normalisedValue ?n FILTER(?v = {value}) }}""", prefixes=PREFIX_IRIS))
    assert rows, f"no normalised figure in {unit}"
    assert rows[0]["kind"].value.endswith("#" + kind)
    assert float(rows[0]["n"].value) == pytest.approx(float(per_base))
