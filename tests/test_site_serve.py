"""`mkdocs serve` (what `kg serve` runs) rebuilds the site when a record changes, so a preview follows the corpus."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .test_site import make_project

pytestmark = pytest.mark.server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, needle: str, seconds: float) -> str:
    """The page at `url` once it contains `needle` (polls; fails after `seconds`)."""
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                last = response.read().decode("utf-8")
            if needle in last:
                return last
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {needle!r}; last page began {last[:300]!r}")


def test_serve_rebuilds_when_a_record_changes(tmp_path: Path) -> None:
    """Serve the fixture project, change a record's description, and see the English page follow."""
    project = make_project(tmp_path / "atlas")
    port = _free_port()
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "--livereload"],
                              cwd=project.root, stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}/"
        _wait_for(base + "en/technology/kubernetes.html", "An orchestration platform", 90)
        record = project.root / "corpus" / "technologies" / "kubernetes.yaml"
        text = record.read_text(encoding="utf-8")
        record.write_text(text.replace("An orchestration platform", "A live-reloaded orchestration platform"),
                          encoding="utf-8")
        _wait_for(base + "en/technology/kubernetes.html", "A live-reloaded orchestration platform", 90)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
