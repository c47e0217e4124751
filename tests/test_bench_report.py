"""The benchmark's terminal report and plot, from saved results (timings are never taken in tests)."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from report import print_report, write_svg

RESULTS = [
    {"label": "real", "records": 900, "stages": {"load": 0.4, "dumps": 0.3},
     "queries_ms": {"glossary": {"oxigraph": 2.0, "rdflib": 40.0}}},
    {"label": "400", "records": 400, "stages": {"load": 0.2, "dumps": 0.1, "<b>x</b>": 0.5},
     "queries_ms": {"glossary": {"oxigraph": 1.0, "rdflib": 30.0}}},
    {"label": "4000", "records": 4000, "stages": {"load": 2.0, "dumps": 1.2, "<b>x</b>": 9.0},
     "queries_ms": {"glossary": {"oxigraph": 5.0, "rdflib": 90.0}}},
    {"label": "40000", "records": 40000, "stages": {"load": 20.0, "dumps": 11.0},
     "queries_ms": {"glossary": {"oxigraph": 50.0}}},
]
SVG = "{http://www.w3.org/2000/svg}"


def test_plot_draws_a_line_per_stage_with_two_sizes_and_escapes_names(tmp_path: Path) -> None:
    out = tmp_path / "cost.svg"
    write_svg(RESULTS, out)
    root = ET.parse(out).getroot()
    lines = root.findall(f"{SVG}polyline")
    assert [len(line.get("points", "").split()) for line in lines] == [3, 3, 2]  # load, dumps, the 400/4000-only stage
    labels = [text.text for text in root.findall(f"{SVG}text")]
    assert "<b>x</b>" in labels and "<b>" not in out.read_text(encoding="utf-8")
    assert {"0.1 s", "1 s", "10 s", "100 s"} <= set(labels) and "40,000" in labels and "linear" in labels


def test_report_shows_a_dash_where_rdflib_was_not_run(capsys: pytest.CaptureFixture[str]) -> None:
    print_report(RESULTS)
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.strip().startswith("40000") and "50.00" in line)
    assert "nan" not in out and row.split()[-2:] == ["—", "—"]
    assert "linear load: per-record cost at 40000 against 400: 1.00x" in out
