"""`kg query` answers from the compiled graph, in every format, and explains syntax errors."""

from __future__ import annotations

import csv
import io
import json

import pytest

from kgtools.records.project import Project

from .conftest import run_kg

kg = run_kg


def test_saved_query_by_name_lists_coinbase_stack(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kg(mini, capsys, "query", "coinbase-stack", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["label"] for r in rows} == {"Temporal", "PostgreSQL", "Kubernetes", "Cadence"}
    kinds = {r["label"]: r["sourceKinds"] for r in rows}
    assert kinds["Cadence"] == "VendorCaseStudy" and kinds["Temporal"] == "SourceDocument"


def test_query_from_file_and_json(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    query = mini.root / "q.rq"
    query.write_text("SELECT ?t WHERE { ?t a sa:Technology } ORDER BY ?t", encoding="utf-8")
    code, out, _ = kg(mini, capsys, "query", str(query), "--format", "json")
    assert code == 0
    values = [b["t"]["value"].rsplit("/", 1)[-1] for b in json.loads(out)["results"]["bindings"]]
    assert values == ["apache-cassandra", "cadence", "go", "kubernetes", "postgresql", "temporal"]


def test_query_table_format(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kg(mini, capsys, "query", "coinbase-stack")
    assert code == 0
    assert out.splitlines()[0].split(" | ")[0].strip() == "technology"
    assert "(4 rows)" in out


def test_query_from_stdin_with_syntax_error(mini: Project, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("SELECT ?s\nWHERE { ?s ?p }"))
    code, _, err = kg(mini, capsys, "query", "-")
    assert code == 1
    assert "error at 2:" in err


def test_unknown_saved_query_suggests_names(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = kg(mini, capsys, "query", "coinbase-stak")
    assert code == 1
    assert "did you mean `coinbase-stack`?" in err


def test_figures_are_comparable_numbers(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    query = mini.root / "fast.rq"
    query.write_text(
        "SELECT ?v WHERE { ?m sa:metric concept:p99-latency ; schema:value ?v . FILTER(?v < 200) }", encoding="utf-8")
    code, out, _ = kg(mini, capsys, "query", str(query), "--format", "csv")
    assert code == 0
    assert out.split() == ["v", "195", "195"]  # the case figure and the benchmark cell
