"""The tree shows the flow: stage packages, imports one way, no circles, and docs that name what is there.

The layering itself is the import-linter contract in pyproject.toml; these
tests run it, prove it fails on an upward import, and look for circles inside
a stage too, which a layers contract does not see.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import networkx as nx
import pytest

from .conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
STAGES = ["records", "graph", "query", "insights", "site"]


def _lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"}, timeout=120)


def test_import_contract_is_kept() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


def test_import_contract_fails_on_an_upward_import(tmp_path: Path) -> None:
    """A copy of the package where a record module imports the site must break the contract."""
    shutil.copytree(ROOT / "kgtools", tmp_path / "kgtools", ignore=shutil.ignore_patterns("node_modules", "dist", "__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    problems = tmp_path / "kgtools" / "records" / "problems.py"
    problems.write_text(problems.read_text(encoding="utf-8") + "\n\ndef _upward() -> None:\n"
                        "    from kgtools.site.pages import escape  # noqa: F401\n", encoding="utf-8")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "kgtools.records.problems -> kgtools.site.pages.escape" in result.stdout


def test_no_import_circles_between_modules() -> None:
    graph = grimp.build_graph("kgtools")
    edges = nx.DiGraph()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            edges.add_edge(module, imported)
    packages = {m for m in graph.modules if (ROOT / m.replace(".", "/") / "__init__.py").is_file()}
    edges.remove_nodes_from(packages)  # a package's own __init__ is its docstring, never a hub
    cycles = sorted(sorted(c) for c in nx.simple_cycles(edges))
    assert cycles == []


def _packages() -> list[str]:
    return sorted(p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "kgtools").rglob("__init__.py")
                  if "node_modules" not in p.parts)


@pytest.mark.parametrize("package", _packages())
def test_each_package_says_what_it_takes_and_gives(package: str) -> None:
    tree = ast.parse((ROOT / package / "__init__.py").read_text(encoding="utf-8"))
    doc = ast.get_docstring(tree)
    assert doc and len(doc.split()) >= 12, f"{package}/__init__.py needs a docstring saying what it takes and gives"


def test_contributing_architecture_matches_the_tree() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`(kgtools/[a-z_/]+?)/?`", section))
    packages = {p for p in _packages() if p != "kgtools"}
    modules = {"kgtools/pipeline.py", "kgtools/cli.py", "kgtools/serve.py"}
    assert packages <= named, f"packages missing from CONTRIBUTING's architecture: {sorted(packages - named)}"
    for name in modules:
        assert f"`{name}`" in section, name
    stale = {n for n in named if not (ROOT / n).exists() and not (ROOT / f"{n}.py").exists()}
    assert not stale, f"CONTRIBUTING names what is not in the tree: {sorted(stale)}"
    for stage in STAGES:
        assert f"kgtools/{stage}" in section
