"""Live preview: `kg serve` answers from the built site at once, refreshes only what an edit affects, and leaves nothing.

The refreshed pages are compared byte for byte with a full `kg build` of the
edited corpus; a real `kg serve` process is stopped with SIGTERM and must
leave no file in its own TMPDIR nor its private copy of the site. `mkdocs
serve` (plain MkDocs with our plugin) still rebuilds on a record change too.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from kgtools.pipeline import build
from kgtools.records.project import Project
from kgtools.site.plugin.live import LiveSite

from .conftest import free_port
from .test_site import SiteBuild, make_project, site_build  # noqa: F401 -- the session-wide built fixture site
from .test_site_browser import browser  # noqa: F401 -- headless Chromium (skips without it)

pytestmark = pytest.mark.server

K8S = "https://w3id.org/stackatlas/technology/kubernetes"
OLD_TEXT = "An orchestration platform"
NEW_TEXT = "A live-reloaded orchestration platform"


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_for(url: str, needle: str, seconds: float) -> str:
    """The page at `url` once it contains `needle` (polls; fails after `seconds`)."""
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        try:
            last = _get(url)
            if needle in last:
                return last
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} never showed {needle!r}; last page began {last[:300]!r}")


def _copy(built: SiteBuild, root: Path) -> Project:
    """A private copy of the built fixture project (its build folder's links are relative, so they still hold)."""
    shutil.copytree(built.project.root, root, symlinks=True)
    return Project(root)


def _edit(project: Project) -> Path:
    """Kubernetes' English description and English name change (the name shows on the pages that link to it)."""
    record = project.root / "corpus" / "technologies" / "kubernetes.yaml"
    text = record.read_text(encoding="utf-8")
    assert OLD_TEXT in text and "  en: Kubernetes\n" in text
    record.write_text(text.replace(OLD_TEXT, NEW_TEXT).replace("  en: Kubernetes\n", "  en: Kubernetes (live)\n"),
                      encoding="utf-8")
    return record


def test_refreshed_pages_equal_a_full_build(site_build: SiteBuild, tmp_path: Path) -> None:  # noqa: F811
    """Edit one record: the pages the refresh writes are byte for byte what `kg build` writes for them."""
    project = _copy(site_build, tmp_path / "atlas")
    served = tmp_path / "served"
    shutil.copytree(project.build / "site", served)
    live = LiveSite(project, served, (project.build / "graph").resolve())
    try:
        assert live.refresh().changed == set()         # the build matches the corpus: nothing to do
        record = _edit(project)
        result = live.refresh([record])
        # then only the Chinese description: no other entity page shows it, so only its own pages are remade
        text = record.read_text(encoding="utf-8")
        record.write_text(text.replace("编排平台。", "编排平台（实时预览）。"), encoding="utf-8")
        described = live.refresh([record])
    finally:
        live.close()
    assert described.changed == described.affected == {K8S}
    assert "technology/kubernetes.html" in described.first.paths and described.related.paths == []
    assert result.changed == {K8S}
    assert "https://w3id.org/stackatlas/case/coinbase-cross-border-payments" in result.affected   # it uses Kubernetes
    first = set(result.first.paths) | set(result.related.paths)
    # the record's page in both languages (zh shows the English name), a page linking to it, its kind's index
    for path in ("technology/kubernetes.html", "en/technology/kubernetes.html",
                 "en/case/coinbase-cross-border-payments.html", "en/technologies/index.html"):
        assert path in first, sorted(first)
    assert NEW_TEXT in (served / "en" / "technology" / "kubernetes.html").read_text(encoding="utf-8")
    assert len(first) < 0.25 * sum(1 for _ in served.rglob("*.html"))
    assert build(project, out=tmp_path / "full") == 0
    full = tmp_path / "full" / "site"
    written = {p for p in result.paths + described.paths if p.endswith((".html", ".json", ".ttl", ".jsonld"))}
    assert "technology/kubernetes.ttl" in written and "en/search/search_index.json" in written
    different = [p for p in written if (served / p).read_bytes() != (full / p).read_bytes()
                 and not p.endswith("search_index.json")]
    assert different == []
    # the search index: the edited entity's entry is the full build's (index pages' own entries wait for kg build)
    for index in ("search/search_index.json", "en/search/search_index.json"):
        def entries(site: Path, index: str = index) -> list[dict[str, object]]:
            docs = json.loads((site / index).read_text(encoding="utf-8"))["docs"]
            return [d for d in docs if str(d["location"]).startswith("technology/")]
        assert entries(served) == entries(full)
    # and the pages it left alone are what the full build made of them too, but for the two about the published
    # files (dumps and the Query page's data), which only kg build writes
    build_only = {f"{lang}{name}.html" for lang in ("", "en/") for name in ("downloads", "query")}
    untouched = [p.relative_to(full).as_posix() for p in full.rglob("*.html")
                 if p.relative_to(full).as_posix() not in written | build_only]
    stale = [p for p in untouched if (served / p).read_bytes() != (full / p).read_bytes()]
    assert stale == [], stale[:5]


def test_kg_serve_answers_at_once_follows_an_edit_and_leaves_nothing(site_build: SiteBuild,  # noqa: F811
                                                                     tmp_path: Path) -> None:
    """A real `kg serve` (own TMPDIR): served from the last build at once, refreshed after an edit, clean after SIGTERM."""
    project = _copy(site_build, tmp_path / "atlas")
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    port, sparql_port = free_port(), free_port()
    env = {**os.environ, "TMPDIR": str(private_tmp), "PYTHONUNBUFFERED": "1"}
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    started = time.monotonic()
    server = subprocess.Popen([sys.executable, "-m", "kgtools", "serve", "--port", str(port), "--sparql-port", str(sparql_port)],
                              cwd=project.root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    page = base + "en/technology/kubernetes.html"
    try:
        html = _wait_for(page, OLD_TEXT, 30)
        first_answer = time.monotonic() - started
        assert "/__live" in html                        # the reload script, in serve mode only
        assert "/__live" not in (project.build / "site" / "en" / "technology" / "kubernetes.html").read_text(encoding="utf-8")
        print(f"first answer after {first_answer:.2f} s")
        deadline = time.monotonic() + 120
        while "watching corpus" not in (tmp_path / "serve.log").read_text(encoding="utf-8"):
            assert time.monotonic() < deadline and server.poll() is None, (tmp_path / "serve.log").read_text(encoding="utf-8")
            time.sleep(0.2)
        version = json.loads(_get(base + "__live"))["version"]
        _edit(project)
        _wait_for(page, NEW_TEXT, 60)
        # open pages learn of it from the refresh counter, with the pages written (their script reloads them)
        deadline = time.monotonic() + 30
        while "en/technology/kubernetes.html" not in (state := json.loads(_get(f"{base}__live?since={version}")))["pages"]:
            assert time.monotonic() < deadline, state
            time.sleep(0.1)
        copies = [p for p in project.build.iterdir() if p.name.startswith("serve-")]
        assert len(copies) == 1                         # the private copy the refresh writes into
        built = (project.build / "site" / "en" / "technology" / "kubernetes.html").read_text(encoding="utf-8")
        assert OLD_TEXT in built                        # kg build's own output is left as it was
    finally:
        try:
            output = _stop(server, signal.SIGTERM, tmp_path / "serve.log")  # exit status 0, or it fails here
        finally:
            log.close()
    assert "kg serve: stopped" in output
    assert sorted(os.listdir(private_tmp)) == []
    assert [p.name for p in project.build.iterdir() if p.name.startswith("serve-")] == []
    with pytest.raises(urllib.error.URLError):
        _get(base)


@pytest.mark.browser
def test_an_open_page_reloads_itself_after_an_edit(site_build: SiteBuild, browser: Any, tmp_path: Path) -> None:  # noqa: F811
    """Chromium shows the page from `kg serve`; after the record is edited, the page reloads with the new text."""
    project = _copy(site_build, tmp_path / "atlas")
    port = free_port()
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    server = subprocess.Popen([sys.executable, "-m", "kgtools", "serve", "--port", str(port), "--sparql-port", str(free_port())],
                              cwd=project.root, env={**os.environ, "TMPDIR": str(tmp_path), "PYTHONUNBUFFERED": "1"},
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/en/technology/kubernetes.html"
        _wait_for(url, OLD_TEXT, 30)
        deadline = time.monotonic() + 120
        while "watching corpus" not in (tmp_path / "serve.log").read_text(encoding="utf-8"):
            assert time.monotonic() < deadline and server.poll() is None
            time.sleep(0.2)
        page = browser.new_page()
        page.goto(url)
        assert OLD_TEXT in page.inner_text(".sa-description")
        page.evaluate("window.__notReloaded = true")
        _edit(project)
        page.wait_for_function("() => !window.__notReloaded && document.querySelector('.sa-description')", timeout=60_000)
        assert NEW_TEXT in page.inner_text(".sa-description")
        page.close()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            assert server.wait(timeout=30) == 0
        finally:
            log.close()


def _running_in(folder: Path) -> list[int]:
    """Processes whose working directory is `folder` (kg serve runs its kg build there)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if Path(os.readlink(proc / "cwd")) == folder.resolve():
                    found.append(int(proc.name))
            except OSError:
                continue
    return found


def _serve(project: Project, tmp: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    out = log.open("w", encoding="utf-8")
    server = subprocess.Popen([sys.executable, "-m", "kgtools", "serve", "--port", str(port), "--sparql-port", str(free_port())],
                              cwd=project.root, env={**os.environ, "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"},
                              stdout=out, stderr=subprocess.STDOUT)
    out.close()
    return server, f"http://127.0.0.1:{port}/en/technology/kubernetes.html"


def _stop(server: subprocess.Popen[bytes], sig: signal.Signals, log: Path) -> str:
    server.send_signal(sig)
    try:
        code = server.wait(timeout=40)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
        raise
    output = log.read_text(encoding="utf-8")
    assert code == 0, output
    return output


def test_kg_serve_without_a_build_answers_then_builds(tmp_path: Path) -> None:
    """No build yet: a waiting page at once; SIGTERM during the build stops it too; the next run builds and serves."""
    project = make_project(tmp_path / "atlas")
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    server, url = _serve(project, private_tmp, tmp_path / "serve.log")
    waiting = _wait_for(url, "being built", 20)
    assert "/__live" in waiting
    deadline = time.monotonic() + 60
    while "running kg build" not in (tmp_path / "serve.log").read_text(encoding="utf-8"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    time.sleep(2)                                       # the build is under way
    output = _stop(server, signal.SIGTERM, tmp_path / "serve.log")
    assert "kg serve: stopped" in output
    assert not (project.build / "site").exists()        # stopped before it published anything
    assert _running_in(project.root) == []              # the kg build it started is gone too
    assert sorted(os.listdir(private_tmp)) == []

    server, url = _serve(project, private_tmp, tmp_path / "serve2.log")
    try:
        _wait_for(url, OLD_TEXT, 240)
    finally:
        _stop(server, signal.SIGINT, tmp_path / "serve2.log")
    assert (project.build / "site").is_dir()
    assert [p.name for p in project.build.iterdir() if p.name.startswith("serve-")] == []
    assert sorted(os.listdir(private_tmp)) == []


def test_mkdocs_serve_rebuilds_when_a_record_changes(tmp_path: Path) -> None:
    """Plain `mkdocs serve` with our plugin: change a record's description, and see the English page follow."""
    project = make_project(tmp_path / "atlas")
    port = free_port()
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "--livereload"],
                              cwd=project.root, stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}/"
        _wait_for(base + "en/technology/kubernetes.html", OLD_TEXT, 90)
        _edit(project)
        _wait_for(base + "en/technology/kubernetes.html", NEW_TEXT, 90)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
