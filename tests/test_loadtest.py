"""Load test on loopback: 8 clients for 30 seconds, no failures beyond the deliberate limits, flat memory."""

from __future__ import annotations

import os

import pytest

from kgtools.pipeline import open_store
from kgtools.query.endpoint import Limits, serve_endpoint
from kgtools.query.loadtest import run_load
from kgtools.records.project import Project

pytestmark = pytest.mark.server

SECONDS = float(os.environ.get("STACKATLAS_LOAD_SECONDS", "30"))


def test_endpoint_under_load(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(project)
    server = serve_endpoint(lambda: store, "127.0.0.1", 0, Limits(timeout_s=5.0, max_results=1000))
    host, port = server.server_address[:2]
    try:
        run_load(f"http://{host}:{port}/sparql", clients=8, seconds=2)  # warm up
        result = run_load(f"http://{host}:{port}/sparql", clients=8, seconds=SECONDS)
    finally:
        server.shutdown()
    with capsys.disabled():
        print(f"\nload test: {result.summary()}")
    assert result.requests > 100
    assert result.unexpected == []
    assert result.rss_after_kib - result.rss_before_kib < 64 * 1024, "server memory grew by more than 64 MiB"
