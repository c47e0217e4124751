"""Saved queries: `corpus/queries/<name>.rq`, their header metadata and their expected answers.

A saved query is a file whose leading `# key: value` comments give its titles
and descriptions (zh, en); `expected/<name>.csv` beside it keeps the answer a
reviewer approved, so a change in the corpus that changes an answer shows up
as a diff.

>>> meta = parse_header("# title-en: Technologies\\n# title-zh: 技术\\nSELECT * WHERE { ?s ?p ?o }")
>>> meta["title-en"], meta["title-zh"]
('Technologies', '技术')
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgtools.query.engine import QueryError, execute, format_result
from kgtools.records.problems import BuildError
from kgtools.records.project import Project, RefusedFile, read_input
from kgtools.records.suggest import did_you_mean


@dataclass
class SavedQuery:
    name: str
    path: Path
    text: str
    meta: dict[str, str]


def parse_header(text: str) -> dict[str, str]:
    """The `# key: value` lines at the top of a query, as a mapping."""
    meta = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line.lstrip("# ").partition(":")
        if sep and key.strip():
            meta[key.strip()] = value.strip()
    return meta


def read_saved(project: Project, path: Path) -> str:
    """A saved query's text, read only if it is a regular file of the checkout (the site publishes it)."""
    try:
        return read_input(project.root, path).decode("utf-8")
    except RefusedFile as refused:
        shown = path.relative_to(project.root) if path.is_relative_to(project.root) else path
        raise BuildError([f"{shown}:1: (file): {refused.message} [{refused.hint}]"]) from refused
    except UnicodeDecodeError as error:
        raise BuildError([f"{path.name}:1: (file): not valid UTF-8 [save the file as UTF-8]"]) from error


def saved_queries(project: Project) -> list[SavedQuery]:
    """Every `corpus/queries/*.rq`, with its header comments (`# title-zh: …`) as metadata."""
    out = []
    for path in sorted(project.queries.glob("*.rq")):
        text = read_saved(project, path)
        out.append(SavedQuery(path.stem, path, text, parse_header(text)))
    return out


def resolve_query_text(project: Project, spec: str) -> str:
    """The SPARQL text for `-`, a file path or a saved query's name."""
    if spec == "-":
        return sys.stdin.read()
    path = Path(spec)
    if path.is_file():
        return path.read_text(encoding="utf-8")
    saved = project.queries / f"{spec}.rq"
    if saved.is_file() or saved.is_symlink():
        return read_saved(project, saved)
    names = [q.name for q in saved_queries(project)]
    hint = did_you_mean(spec, names) or f"saved queries: {', '.join(names) or 'none yet'}"
    raise QueryError(f"no query file or saved query named `{spec}` [{hint}]")


def expected_path(project: Project, name: str) -> Path:
    return project.queries / "expected" / f"{name}.csv"


def saved_query_csv(store: ox.Store, saved: SavedQuery) -> str:
    """A saved query's answer as SPARQL CSV with Unix line ends, the form kept under expected/."""
    return format_result(execute(store, saved.text), "csv").replace("\r\n", "\n")


def write_expected(project: Project, store: ox.Store) -> int:
    """Rewrite every saved query's expected-results file (an explicit, reviewable step); return how many."""
    folder = project.queries / "expected"
    folder.mkdir(parents=True, exist_ok=True)
    queries = saved_queries(project)
    for saved in queries:
        expected_path(project, saved.name).write_text(saved_query_csv(store, saved), encoding="utf-8")
    for stale in folder.glob("*.csv"):
        if stale.stem not in {q.name for q in queries}:
            stale.unlink()
    return len(queries)
