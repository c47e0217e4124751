"""A build killed at a random moment (SIGKILL) leaves the previous build complete; the next build succeeds."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from kgtools.records.project import Project

KG = [sys.executable, "-m", "kgtools"]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _readable(folder: Path) -> int:
    triples = list(ox.parse(path=str(folder / "stackatlas.nt"), format=ox.RdfFormat.N_TRIPLES))
    list(ox.parse(path=str(folder / "stackatlas.ttl"), format=ox.RdfFormat.TURTLE))
    list(ox.parse(path=str(folder / "stackatlas.jsonld"), format=ox.RdfFormat.JSON_LD))
    return len(triples)


def test_sigkill_mid_build_keeps_previous_output(mini: Project) -> None:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    subprocess.run([*KG, "build", "--graph-only"], cwd=mini.root, check=True, capture_output=True, env=env)
    graph = mini.build / "graph"
    before = _snapshot(graph)
    count = _readable(graph)
    # Change the corpus so a completed build would produce different output.
    kubernetes = mini.root / "corpus/technologies/kubernetes.yaml"
    kubernetes.write_text(kubernetes.read_text(encoding="utf-8").replace("aliases: [K8s]", "aliases: [K8s, Kube]"),
                          encoding="utf-8")
    rng = random.Random(20261122)
    killed = 0
    for _ in range(6):
        process = subprocess.Popen([*KG, "build", "--graph-only"], cwd=mini.root, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 1.2))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.wait()
        current = _snapshot(graph)
        # Either the previous build or a complete new one (one more alias) — never a mixture.
        if current != before:
            assert _readable(graph) == count + 1
            before, count = current, count + 1
    assert killed >= 1, "no build was killed mid-way; lengthen the window"
    done = subprocess.run([*KG, "build", "--graph-only"], cwd=mini.root, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    _readable(graph)
    versions = list((mini.build / ".versions").iterdir())
    assert versions == [graph.resolve()], "a later build sweeps what killed builds left"
