"""Which graph a command answers from: decided by the inputs' content, said out loud, never a silent recompile."""

from __future__ import annotations

import os

import pytest

from kgtools.graph.freshness import freshness
from kgtools.pipeline import build_graph, current_graph
from kgtools.records.project import Project

from .conftest import run_kg


def test_a_build_is_fresh_until_a_record_changes_even_with_the_old_mtime(mini: Project) -> None:
    build_graph(mini, mini.build)
    assert freshness(mini).fresh
    record = mini.root / "corpus/technologies/kubernetes.yaml"
    before = record.stat()
    original = record.read_text(encoding="utf-8")
    record.write_text(original.replace("aliases: [K8s]", "aliases: [K8s, Kube]"), encoding="utf-8")
    os.utime(record, ns=(before.st_atime_ns, before.st_mtime_ns))   # a clock cannot tell; the bytes can
    assert not freshness(mini).fresh
    record.write_text(original, encoding="utf-8")
    assert freshness(mini).fresh


def test_current_graph_says_where_it_comes_from(mini: Project) -> None:
    assert "no graph yet" in current_graph(mini).origin and current_graph(mini).path is None
    build_graph(mini, mini.build)
    graph = current_graph(mini)
    assert graph.path == mini.build / "graph" / "stackatlas.nt"
    assert graph.origin == "answering from the last build (build/graph matches the corpus)"


def test_a_broken_draft_does_not_stop_queries_over_the_last_build(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    build_graph(mini, mini.build)
    code, _out, _err = run_kg(mini, capsys, "new", "technology", "half-written")
    assert code == 0
    query = mini.root / "count.rq"
    query.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?t a sa:Technology }", encoding="utf-8")
    code, out, err = run_kg(mini, capsys, "query", str(query), "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[0] == "n"
    assert "problem(s) (run `kg check`); answering from the last build, build/graph is older than the corpus" in err
    assert run_kg(mini, capsys, "build", "--graph-only")[0] == 1   # the build itself still refuses


def test_without_any_build_a_broken_corpus_is_an_error(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_kg(mini, capsys, "new", "technology", "half-written")[0] == 0
    code, _out, err = run_kg(mini, capsys, "stats")
    assert code == 1
    assert "run `kg check`" in err
