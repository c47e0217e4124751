"""Builds serialise, publish graph and site together, and say the truth when they fail."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time

import pyoxigraph as ox
import pytest

from kgtools.pipeline import build, build_graph
from kgtools.records.problems import BuildError
from kgtools.records.project import Project

KG = [sys.executable, "-m", "kgtools"]


def _graph_bytes(project: Project) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project.build / "graph").iterdir())}


def test_a_second_build_waits_for_the_lock(mini: Project) -> None:
    mini.build.mkdir(parents=True)
    with open(mini.build / ".lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        process = subprocess.Popen([*KG, "build", "--graph-only"], cwd=mini.root, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert process.poll() is None, "the build ran although another one held the lock"
        assert not (mini.build / "graph").exists()
        fcntl.flock(held, fcntl.LOCK_UN)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "another build is writing" in err and "triples" in out


def test_two_builds_at_once_both_finish_with_a_complete_graph(mini: Project) -> None:
    processes = [subprocess.Popen([*KG, "build", "--graph-only"], cwd=mini.root, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [p.communicate(timeout=180) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], results
    for name, fmt in (("stackatlas.nt", ox.RdfFormat.N_TRIPLES), ("stackatlas.ttl", ox.RdfFormat.TURTLE)):
        assert list(ox.parse(path=str(mini.build / "graph" / name), format=fmt))
    assert [p.name for p in (mini.build / ".versions").iterdir()] == [(mini.build / "graph").resolve().name]


def test_a_failed_site_step_leaves_the_previous_graph_too(mini: Project, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    build_graph(mini, mini.build)
    before = _graph_bytes(mini)
    record = mini.root / "corpus/technologies/kubernetes.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("aliases: [K8s]", "aliases: [K8s, Kube]"), encoding="utf-8")
    import kgtools.site.plugin.build as site_build

    def failing_site(*_args: object) -> int:
        raise BuildError(["site: error: a page failed"])

    monkeypatch.setattr(site_build, "build_site_into", failing_site)
    assert build(mini) == 1
    assert "previous output left unchanged" in capsys.readouterr().err
    assert _graph_bytes(mini) == before, "the graph was published although the site failed"


def test_an_unwritable_output_is_one_line_not_a_traceback(mini: Project, tmp_path: os.PathLike[str]) -> None:
    blocker = mini.root / "not-a-folder"
    blocker.write_text("a file where the build folder should be", encoding="utf-8")
    result = subprocess.run([*KG, "build", "--graph-only", "--out", str(blocker / "build")], cwd=mini.root,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("build failed: cannot write") and len(result.stderr.strip().splitlines()) == 1
