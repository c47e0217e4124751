"""Shared fixtures: the real checkout, and throw-away copies of a small fixture corpus."""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kgtools.graph.compiled import CompiledGraph, compile_project
from kgtools.records.project import Project

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-snapshots", action="store_true",
                     help="rewrite tests/snapshots/ from the current code instead of comparing with them")


def record_files() -> list[Path]:
    return sorted(p for p in (ROOT / "corpus").rglob("*.yaml"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One test id per record file, so a failure names the file to fix."""
    if "record_path" in metafunc.fixturenames:
        files = record_files()
        metafunc.parametrize("record_path", files, ids=[p.relative_to(ROOT / "corpus").as_posix() for p in files])


@pytest.fixture(scope="session", autouse=True)
def record_cache_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep `kg check`'s record cache out of the user's cache folder (and shared by the `kg` subprocesses)."""
    from kgtools.records.cache import CACHE_ENV

    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("record-cache"))


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def compiled(project: Project) -> CompiledGraph:
    """The real corpus checked, compiled and SHACL-validated once for the whole session (treat it as read-only)."""
    return compile_project(project)


def copy_fixture(root: Path) -> Project:
    """The fixture corpus with the real ontology and schemas, copied to `root` (which must not exist)."""
    shutil.copytree(FIXTURE, root)
    shutil.copytree(ROOT / "ontology", root / "ontology")
    return Project(root)


@pytest.fixture
def mini(tmp_path: Path) -> Project:
    """A copy of the fixture corpus with the real ontology and schemas, safe to break."""
    return copy_fixture(tmp_path / "atlas")


def git(root: Path, *args: str) -> str:
    """Run git in `root` as a fixed test author; return its output."""
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                          cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(mini: Project) -> Project:
    """The fixture corpus as a git repository with one commit."""
    git(mini.root, "init", "-q")
    git(mini.root, "add", "-A")
    git(mini.root, "commit", "-q", "-m", "fixture")
    return mini


def run_kg(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the `kg` command line in `project`'s folder; return exit code, stdout and stderr."""
    from kgtools.cli import main

    cwd = os.getcwd()
    os.chdir(project.root)
    try:
        code = main(list(args))
    finally:
        os.chdir(cwd)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A loopback test server's handler: no request log on stderr, and one way to answer."""

    def reply(self, status: int, body: bytes = b"", content_type: str | None = None,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def loopback_http(handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """An HTTP server for `handler` on a free loopback port, in a thread; yields its base URL (no trailing slash)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def free_port() -> int:
    """A loopback port nobody holds now, for a test server (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
