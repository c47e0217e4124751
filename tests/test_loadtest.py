"""Load test on loopback: 8 clients for 30 seconds with abuse alongside; only the deliberate refusals, flat memory, bounded resources."""

from __future__ import annotations

import os

import pytest

from kgtools.pipeline import open_store
from kgtools.query.endpoint import Limits, serve_endpoint
from kgtools.query.loadtest import run_load
from kgtools.records.project import Project

pytestmark = pytest.mark.server

SECONDS = float(os.environ.get("STACKATLAS_LOAD_SECONDS", "30"))
LIMITS = Limits(timeout_s=2.0, max_results=1000, max_answer_bytes=1024 * 1024, workers=2, queue=8,
                max_connections=32, request_timeout_s=2.0)


def test_endpoint_under_load(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(project)
    server = serve_endpoint(lambda: store, "127.0.0.1", 0, LIMITS)
    host, port = server.server_address[:2]
    url = f"http://{host}:{port}/sparql"
    try:
        run_load(url, clients=8, seconds=2)  # warm up
        result = run_load(url, clients=8, seconds=SECONDS, half_sent=12, burst=3 * (LIMITS.workers + LIMITS.queue))
    finally:
        server.shutdown()
    with capsys.disabled():
        print(f"\nload test: {result.summary()}")
    assert result.requests > 100
    assert result.unexpected == []
    assert result.rss_after_kib - result.rss_before_kib < 64 * 1024, "server memory grew by more than 64 MiB"
    assert result.peak_children <= LIMITS.workers, "more query processes than workers"
    assert result.peak_threads <= LIMITS.max_connections + 20, "threads beyond the connection cap"
    assert result.peak_held_sockets <= LIMITS.max_connections
    assert result.half_sent > 12, "half-sent requests were never dropped"
    assert result.longest_hold_s < LIMITS.request_timeout_s + 1.5
    assert result.held_after == 0
    extra = result.burst - LIMITS.workers - LIMITS.queue
    assert result.burst_busy_fast >= extra, "requests beyond the workers and the queue must get a quick 503"
    assert set(result.burst_statuses) <= {503}
