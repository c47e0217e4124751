"""`kg track` against real servers on loopback: a pypiserver index serving a package built here, a server
replaying a recorded npm registry answer and the documented answers of the other registries, and a server
that never answers.

Each test works on a copy of the mini fixture whose technologies name package coordinates; after a run
the records must still check clean.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote

import pytest
import yaml

from kgtools.records.check import check
from kgtools.records.http import Client, FetchError
from kgtools.records.project import Project
from kgtools.records.registries import latest
from kgtools.records.track import replace_status, source_id, track

from .conftest import FIXTURE, QuietHandler, free_port, loopback_http

RECORDED = Path(__file__).parent / "fixtures" / "registries"
PACKAGE_DATE = datetime(2026, 9, 30, 12, 0, tzinfo=UTC)
REQUIRE = bool(os.environ.get("STACKATLAS_REQUIRE_BROWSER"))
pytestmark = pytest.mark.server


def _fast(**kw: float) -> Client:
    """A client that never really sleeps (backoff and rate limit are checked by what it asked to sleep)."""
    return Client(timeout=kw.get("timeout", 5.0), retries=int(kw.get("retries", 1)), backoff=0.5, min_interval=0.2,
                  sleep=lambda _s: None)


# -- servers -----------------------------------------------------------------------------------------


def _sdist(folder: Path, name: str, version: str) -> Path:
    """A minimal but real source distribution (PKG-INFO + pyproject.toml), dated PACKAGE_DATE."""
    base = f"{name}-{version}"
    path = folder / f"{base}.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for member, text in ((f"{base}/PKG-INFO", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"),
                             (f"{base}/pyproject.toml", f'[project]\nname = "{name}"\nversion = "{version}"\n')):
            data = text.encode()
            info = tarfile.TarInfo(member)
            info.size, info.mtime = len(data), int(PACKAGE_DATE.timestamp())
            tar.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture(scope="module")
def pypiserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if importlib.util.find_spec("pypiserver") is None:
        if REQUIRE:
            pytest.fail("STACKATLAS_REQUIRE_BROWSER is set but pypiserver is not installed (.ci/run installs it)")
        pytest.skip("pypiserver is not installed (pip install pypiserver)")
    folder = tmp_path_factory.mktemp("index")
    old = _sdist(folder, "fixture-pkg", "0.9.0")
    os.utime(old, (datetime(2025, 1, 1, tzinfo=UTC).timestamp(),) * 2)
    new = _sdist(folder, "fixture-pkg", "1.2.0")
    os.utime(new, (PACKAGE_DATE.timestamp(),) * 2)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "pypiserver", "run", "-i", "127.0.0.1", "-p", str(port), str(folder)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("pypiserver did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


class _Replay(QuietHandler):
    """Answers each registry API path with its recorded (or documented) answer; counts requests."""

    routes: ClassVar[dict[str, tuple[int, bytes]]] = {}
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        status, body = self.routes.get(unquote(self.path.split("?")[0]), (404, b'{"error": "not found"}'))
        if status == 503 and self.seen.count(self.path) > 1:   # a server that recovers after one failure
            status, body = 200, (RECORDED / "github.json").read_bytes()
        self.reply(status, body, "application/json")


@pytest.fixture(scope="module")
def replay() -> Iterator[str]:
    _Replay.routes = {
        "/npm/@temporalio/workflow": (200, (RECORDED / "npm-temporalio-workflow.json").read_bytes()),
        "/crates/crates/fixture-crate": (200, (RECORDED / "crates.json").read_bytes()),
        "/maven": (200, (RECORDED / "maven.json").read_bytes()),
        "/docker/repositories/example/fixture/tags": (200, (RECORDED / "dockerhub.json").read_bytes()),
        "/github/repos/example/fixture/releases/latest": (200, (RECORDED / "github.json").read_bytes()),
        "/github/repos/example/flaky/releases/latest": (503, b"{}"),
        "/helm/packages/helm/example/fixture-chart": (200, (RECORDED / "helm.json").read_bytes()),
        "/npm/no-version": (200, b'{"name": "no-version", "dist-tags": {}}'),
    }
    with loopback_http(_Replay) as url:
        yield url


@pytest.fixture(scope="module")
def silent() -> Iterator[str]:
    """A server that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def hold() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()


def _bases(pypi: str, replay: str) -> dict[str, str]:
    return {"pypi": pypi, "npm": f"{replay}/npm", "crates": f"{replay}/crates", "maven": f"{replay}/maven",
            "dockerhub": f"{replay}/docker", "github": f"{replay}/github", "helm": f"{replay}/helm"}


# -- the corpus copy ---------------------------------------------------------------------------------


PACKAGES = {
    "temporal": [{"registry": "github", "name": "example/fixture"}],
    "postgresql": [{"registry": "pypi", "name": "fixture-pkg"}],
    "kubernetes": [{"registry": "helm", "name": "example/fixture-chart"}, {"registry": "npm", "name": "@temporalio/workflow"}],
    "apache-cassandra": [{"registry": "maven", "name": "org.example:fixture-client"}],
    "cadence": [{"registry": "dockerhub", "name": "example/fixture"}, {"registry": "crates", "name": "fixture-crate"}],
}


@pytest.fixture
def atlas(tmp_path: Path) -> Project:
    root = tmp_path / "atlas"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(Path(__file__).parents[1] / "ontology", root / "ontology")
    for tid, packages in PACKAGES.items():
        path = root / "corpus" / "technologies" / f"{tid}.yaml"
        text = path.read_text(encoding="utf-8")
        text = "\n".join(line for line in text.splitlines() if not line.startswith(("packages:", "  - {registry:")))
        lines = "".join(f"  - {{registry: {p['registry']}, name: \"{p['name']}\"}}\n" for p in packages)
        path.write_text(text.replace("\ncitations:", f"\npackages:\n{lines}citations:", 1), encoding="utf-8")
    return Project(root)


def _record(project: Project, kind: str, rid: str) -> dict:
    return yaml.safe_load((project.corpus / kind / f"{rid}.yaml").read_text(encoding="utf-8"))


def _snapshot(project: Project) -> dict[str, bytes]:
    return {p.relative_to(project.root).as_posix(): p.read_bytes() for p in sorted(project.corpus.rglob("*.yaml"))}


# -- registries, one by one --------------------------------------------------------------------------


def test_each_registry_gives_version_and_date(pypiserver: str, replay: str) -> None:
    bases, client = _bases(pypiserver, replay), _fast()
    got = {r: latest(client, r, n, bases) for r, n in (
        ("pypi", "fixture-pkg"), ("npm", "@temporalio/workflow"), ("crates", "fixture-crate"),
        ("maven", "org.example:fixture-client"), ("dockerhub", "example/fixture"), ("github", "example/fixture"),
        ("helm", "example/fixture-chart"))}
    assert {r: (v.version, v.date) for r, v in got.items()} == {
        "pypi": ("1.2.0", "2026-09-30"),          # the newest file pypiserver serves, dated by its Last-Modified
        "npm": ("1.24.0", "2026-09-15"),          # recorded from registry.npmjs.org
        "crates": ("0.4.2", "2026-08-12"),        # the newest stable version, not the beta
        "maven": ("3.1.4", "2026-05-28"),
        "dockerhub": ("2.7.1", "2026-11-19"),     # the newest tag that is a version, not `latest`
        "github": ("v1.40.0", "2026-11-02"),      # published, not created
        "helm": ("9.8.7", "2026-03-31"),
    }
    assert got["pypi"].asked == f"{pypiserver}/fixture-pkg/json" and "Last-Modified" in got["pypi"].locator


def test_an_answer_without_a_version_is_an_error_not_a_guess(replay: str) -> None:
    with pytest.raises(FetchError, match=r"no dist-tags\.latest"):
        latest(_fast(), "npm", "no-version", {"npm": f"{replay}/npm"})
    with pytest.raises(FetchError, match="HTTP 404"):
        latest(_fast(), "npm", "missing", {"npm": f"{replay}/npm"})


def test_a_server_that_does_not_answer_is_reported_after_its_retries(silent: str) -> None:
    slept: list[float] = []
    client = Client(timeout=0.3, retries=2, backoff=0.5, min_interval=0.0, sleep=slept.append)
    with pytest.raises(FetchError, match=r"no answer within 0.3 s \(tried 3 times\)"):
        latest(client, "pypi", "anything", {"pypi": silent})
    assert slept == [0.5, 1.0]   # backoff doubles between tries


def test_a_failing_server_is_retried_with_backoff_and_each_host_is_paced(replay: str) -> None:
    slept: list[float] = []
    now = [100.0]
    client = Client(timeout=5, retries=2, backoff=0.5, min_interval=1.0, sleep=slept.append, clock=lambda: now[0])
    release = latest(client, "github", "example/flaky", {"github": f"{replay}/github"})   # 503, then an answer
    assert release.version == "v1.40.0"
    assert slept == [0.5, 1.0]   # the backoff after the 503, then the host's pace (no time passed on this clock)
    now[0] += 0.25
    latest(client, "github", "example/fixture", {"github": f"{replay}/github"})
    assert slept[-1] == pytest.approx(0.75)


# -- kg track on a corpus ----------------------------------------------------------------------------


def test_dry_run_reports_changes_and_writes_nothing(atlas: Project, pypiserver: str, replay: str) -> None:
    before = _snapshot(atlas)
    report = track(atlas, _fast(), _bases(pypiserver, replay), dry_run=True, today=date(2026, 12, 2))
    lines = [o.line() for o in report.outcomes]
    assert "postgresql: pypi fixture-pkg: no status → 1.2.0 (2026-09-30)" in lines
    assert "kubernetes: npm @temporalio/workflow: 1.24.0 (2026-09-15) (not used: an earlier package set the status)" in lines
    assert report.written == [] and _snapshot(atlas) == before


def test_track_updates_status_and_writes_the_registry_source(atlas: Project, pypiserver: str, replay: str,
                                                             silent: str) -> None:
    bases = {**_bases(pypiserver, replay), "crates": silent}
    report = track(atlas, _fast(timeout=0.3), bases, today=date(2026, 12, 2))
    status = _record(atlas, "technologies", "temporal")["status"]
    sid = source_id("github", "example/fixture")
    assert status["version"] == "v1.40.0" and status["as_of"] == "2026-11-02"
    assert status["citations"][0] == {"source": sid, "locator": "tag_name · published_at"}
    assert len(status["citations"]) >= 2   # the curator's citation stays, after the registry's
    source = _record(atlas, "sources", sid)
    assert source["url"] == f"{replay}/github/repos/example/fixture/releases/latest"
    assert source["kind"] == "public-reference" and str(source["accessed"]) == "2026-12-02"
    cadence = [o for o in report.outcomes if o.technology == "cadence"]
    assert cadence[0].used and "no answer within 0.3 s" in cadence[1].error     # reported, nothing guessed
    assert _record(atlas, "technologies", "postgresql")["status"]["version"] == "1.2.0"
    problems = check(atlas).problems
    assert problems == [], [p.text() for p in problems]
    again = track(atlas, _fast(), _bases(pypiserver, replay), today=date(2026, 12, 3))
    assert not any(o.changed for o in again.outcomes)    # a second run finds nothing new
    assert all(p.parent.name == "sources" for p in again.written)   # only the access dates move
    assert str(_record(atlas, "sources", sid)["accessed"]) == "2026-12-03"


def test_kg_track_cli_prints_the_report_and_exit_code(atlas: Project, pypiserver: str, replay: str, silent: str,
                                                       capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from kgtools.cli import main

    monkeypatch.chdir(atlas.root)
    flags = [f"--registry={r}={u}" for r, u in {**_bases(pypiserver, replay), "helm": silent}.items()]
    code = main(["track", "--dry-run", "--timeout", "0.3", "--retries", "0", "--interval", "0", *flags])
    out = capsys.readouterr().out
    assert code == 1 and "kubernetes: helm example/fixture-chart: no answer: " in out
    assert "kubernetes: npm @temporalio/workflow: no status → 1.24.0 (2026-09-15)" in out  # the next package answered
    assert "dry run: 5 status(es) would change; nothing written" in out
    assert main(["track", "--registry", "nowhere=http://x"]) == 2


def test_status_block_replacement_keeps_the_rest_of_the_record() -> None:
    text = "id: x\n# a comment\nstatus:\n  version: \"1\"\n  as_of: \"2020\"\ncitations:\n- source: s\n"
    out = replace_status(text, "status:\n  version: \"2\"\n")
    assert out == "id: x\n# a comment\nstatus:\n  version: \"2\"\ncitations:\n- source: s\n"
    assert replace_status("id: x\ncitations: []\n", "status: {}\n") == "id: x\nstatus: {}\ncitations: []\n"
    assert json.loads(json.dumps(source_id("maven", "org.apache.kafka:kafka-clients"))) == "maven-org-apache-kafka-kafka-clients"
