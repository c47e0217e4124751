"""The benchmark's terminal report and plot, from saved results (timings are never taken in tests)."""

from __future__ import annotations

import json
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


def test_report_shows_what_the_site_downloads_per_size_and_holds_the_index_to_its_target(
        capsys: pytest.CaptureFixture[str]) -> None:
    sites = {"real": {"pages": 3478, "median_page_kb": 41.0, "median_entity_page_kb": 44.5,
                      "search_index_kb": {"zh": 688.3, "en": 723.8}},
             "4000": {"pages": 8628, "median_page_kb": 43.5, "median_entity_page_kb": 43.4,
                      "search_index_kb": {"zh": 1210.0, "en": 980.0}}}
    results = [{**r, "site": sites[r["label"]]} if r["label"] in sites else r for r in RESULTS]
    print_report(results)
    out = capsys.readouterr().out.splitlines()
    head = next(line for line in out if line.startswith("site (mkdocs)"))
    assert head.split()[-6:] == ["search", "zh", "KB", "search", "en", "KB"]
    rows = {line.split()[0]: line.split()[1:] for line in out[out.index(head) + 1:out.index(head) + 3]}
    assert rows == {"real": ["3478", "41.0", "44.5", "688", "724"], "4000": ["8628", "43.5", "43.4", "1210", "980"]}
    # The larger language is held to 1 MB at 4,000 records.
    assert "  [MISSED] search index, larger language (4000 records): 1210.00 KB (target 1024 KB)" in out


def test_saving_keeps_saved_sizes_this_run_did_not_measure(tmp_path: Path) -> None:
    from saved import measured_stamp, merge_saved

    path = tmp_path / "latest.json"
    path.write_text(json.dumps(RESULTS), encoding="utf-8")
    stamp = measured_stamp()
    assert len(stamp["date"]) == 10 and stamp["date"][4] == "-"
    now = [{"label": "4000", "records": 4000, "stages": {"load": 1.5}, "measured": stamp},
           {"label": "real", "records": 1600, "stages": {"load": 0.6}, "measured": stamp}]
    merged = merge_saved(now, path)
    assert [r["label"] for r in merged] == ["real", "400", "4000", "40000"]
    assert merged[0]["records"] == 1600 and merged[2]["stages"] == {"load": 1.5}   # this run replaces its sizes
    assert merged[1] == RESULTS[1] and merged[3] == RESULTS[3]                       # the others are kept as saved
    assert merge_saved(now, tmp_path / "missing.json") == [now[1], now[0]]
