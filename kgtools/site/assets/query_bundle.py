"""The Query page's scripts, bundled from npm at build time and published once at the site root.

Why bundle at build time rather than commit the bundle: Oxigraph's WebAssembly
alone is 4 MB, and every upgrade would add another 4 MB binary to the
history; like vis-network (copied from pyvis), third-party code is not
committed. What is committed is `queryapp/`: the sources, package.json and the
lockfile. `npm ci` and esbuild (queryapp/build.mjs) turn them into the bundle,
cached under `queryapp/dist/<fingerprint>/`, so npm runs once per change of
those files, not once per build. See docs/decisions/site-query-page.md.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs.exceptions import PluginError

from kgtools.site.assets.node import MIN_MAJOR, WHEEL, Node, find_node

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; builds there must not run side by side
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("mkdocs.plugins.stackatlas")

APP_DIR = Path(__file__).parent / "queryapp"
QUERY_DIR = "assets/vendor/query"     # where the bundle is published, at the site root
FILES = ("query.js", "query.css", "query-worker.js", "oxigraph.wasm", "oxigraph.wasm.gz", "mermaid.min.js",
         "THIRD-PARTY-LICENSES.txt")
MERMAID = f"{QUERY_DIR}/mermaid.min.js"   # diagrams: Material renders `pre.mermaid` with it when it is loaded
INPUTS = ("package.json", "package-lock.json", "build.mjs")
NPM_TIMEOUT = 900                     # seconds; a cold `npm ci` downloads ~15 MB


def _inputs(app: Path) -> list[Path]:
    return [app / name for name in INPUTS] + sorted(p for p in (app / "src").rglob("*") if p.is_file())


def fingerprint(app: Path = APP_DIR) -> str:
    """A hash of everything the bundle is made from: change any of it and the bundle is made again."""
    digest = hashlib.sha256()
    for path in _inputs(app):
        digest.update(path.relative_to(app).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _lock_fingerprint(app: Path) -> str:
    return hashlib.sha256((app / "package.json").read_bytes() + (app / "package-lock.json").read_bytes()).hexdigest()


@contextmanager
def _exclusive(app: Path) -> Iterator[None]:
    """One bundler at a time per checkout (tests and builds may run side by side)."""
    with open(app / ".build.lock", "w", encoding="utf-8") as handle:
        if fcntl is None:
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


GRAPH_ONLY_HINT = ("What works without it: `kg build --graph-only` writes the graph and its dumps, and `kg query`, "
                   "`kg stats`, `kg advise` and `kg serve --no-site` answer from them.")


def _toolchain() -> Node:
    """The Node.js to bundle with, or a PluginError saying what was found, how to fix it and what still works."""
    node, reasons = find_node()
    if node is None:
        raise PluginError(
            f"Stack Atlas: the Query page is bundled from npm packages (queryapp/package.json) and needs Node.js "
            f"{MIN_MAJOR}+ with npm, and none was found: {'; '.join(reasons)}. kgtools depends on the Python package `{WHEEL}`, which "
            f"brings both (`pip install -e .` installs it); or install Node.js and npm (Debian: `apt-get install nodejs npm`). "
            f"{GRAPH_ONLY_HINT} "
            "See docs/decisions/site-query-page.md.")
    # Said on stderr, not only logged: this runs once per change of queryapp/ and takes a while (npm ci).
    print(f"kg build: bundling the Query page with {node.origin}", file=sys.stderr, flush=True)
    return node


def _run(tool: str, args: list[str], app: Path, node: Node) -> None:
    """Run `npm` or `node` of `node` with `args` in `app`; a failure is a PluginError naming what still works."""
    command = node.npm if tool == "npm" else node.node
    shown = " ".join([tool, *args])
    try:
        result = subprocess.run([*command, *args], cwd=app, capture_output=True, text=True,  # noqa: S603
                                timeout=NPM_TIMEOUT, check=False, env=node.environment())
    except subprocess.TimeoutExpired as error:
        raise PluginError(f"Stack Atlas: `{shown}` in {app} took longer than {NPM_TIMEOUT} s. {GRAPH_ONLY_HINT}") from error
    except OSError as error:
        raise PluginError(f"Stack Atlas: cannot run `{shown}` with {node.origin}: {error}. {GRAPH_ONLY_HINT}") from error
    if result.returncode != 0:
        for line in (result.stdout + result.stderr).strip().splitlines()[-20:]:
            log.error(f"{app.name}: {line}")
        raise PluginError(f"Stack Atlas: `{shown}` failed in {app} (exit {result.returncode}; {node.origin}); the first "
                          f"build needs the npm registry or npm's cache. {GRAPH_ONLY_HINT}")


def ensure_bundle(app: Path | None = None) -> Path:
    """The folder holding the current bundle (FILES) of `app` (default APP_DIR), made with npm first if the sources changed."""
    app = app or APP_DIR
    fp = fingerprint(app)
    target = app / "dist" / fp
    if all((target / name).is_file() for name in FILES):
        return target
    with _exclusive(app):
        if all((target / name).is_file() for name in FILES):  # another process made it while we waited
            return target
        node = _toolchain()
        marker = app / "node_modules" / ".stackatlas-lock"
        if not marker.is_file() or marker.read_text(encoding="utf-8") != _lock_fingerprint(app):
            log.info("Stack Atlas: installing the Query page's npm packages (npm ci)")
            _run("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline"], app, node)
            marker.write_text(_lock_fingerprint(app), encoding="utf-8")
        staging = app / "dist" / f".{fp}-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        log.info("Stack Atlas: bundling the Query page (esbuild)")
        _run("node", ["build.mjs", str(staging)], app, node)
        missing = [name for name in FILES if not (staging / name).is_file()]
        if missing:
            raise PluginError(f"Stack Atlas: {app.name}/build.mjs did not write {', '.join(missing)}")
        staging.rename(target)
        for old in (app / "dist").iterdir():   # bundles of earlier sources
            if old != target and not old.name.startswith("."):
                shutil.rmtree(old, ignore_errors=True)
    return target


def copy_query_app(site_dir: Path) -> Path:
    """Publish the bundle under `assets/vendor/query/` of the site (once, for every language)."""
    source = ensure_bundle()
    target = site_dir / QUERY_DIR
    target.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copyfile(source / name, target / name)
    return target
