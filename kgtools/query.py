"""`kg query`: SPARQL over the graph, from a file, stdin or a saved query's name.

Common prefixes are predeclared (passed to the parser, so error positions
match what the user wrote). Results print as an aligned table, SPARQL CSV or
SPARQL JSON; CONSTRUCT and DESCRIBE print Turtle.
"""

from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgtools.paths import Project
from kgtools.vocab import PREFIXES

PREFIX_IRIS = {prefix: str(ns) for prefix, ns in PREFIXES.items()}


class QueryError(Exception):
    """A query that cannot be found or parsed; the message says where."""


@dataclass
class SavedQuery:
    name: str
    path: Path
    text: str
    meta: dict[str, str]


def saved_queries(project: Project) -> list[SavedQuery]:
    """Every `corpus/queries/*.rq`, with its header comments (`# title-zh: …`) as metadata."""
    out = []
    for path in sorted(project.queries.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        meta = {}
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            key, sep, value = line.lstrip("# ").partition(":")
            if sep and key.strip():
                meta[key.strip()] = value.strip()
        out.append(SavedQuery(path.stem, path, text, meta))
    return out


def resolve_query_text(project: Project, spec: str) -> str:
    """The SPARQL text for `-`, a file path or a saved query's name."""
    if spec == "-":
        return sys.stdin.read()
    path = Path(spec)
    if path.is_file():
        return path.read_text(encoding="utf-8")
    saved = project.queries / f"{spec}.rq"
    if saved.is_file():
        return saved.read_text(encoding="utf-8")
    names = [q.name for q in saved_queries(project)]
    from kgtools.suggest import did_you_mean

    hint = did_you_mean(spec, names) or f"saved queries: {', '.join(names) or 'none yet'}"
    raise QueryError(f"no query file or saved query named `{spec}` [{hint}]")


def with_prefixes(text: str) -> str:
    """The query with PREFIX lines for every predeclared prefix (for remote endpoints)."""
    head = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIX_IRIS.items())
    return head + text


def execute(store: ox.Store, text: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    try:
        return store.query(text, prefixes=PREFIX_IRIS)
    except SyntaxError as error:
        raise QueryError(f"SPARQL syntax {error}") from error


def short(term: object) -> str:
    """A term as a person reads it: prefixed name, or literal value."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        value = term.value
        for prefix, iri in PREFIX_IRIS.items():
            if value.startswith(iri) and value != iri:
                return f"{prefix}:{value[len(iri):]}"
        return value
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def solutions_table(result: ox.QuerySolutions) -> tuple[list[str], list[list[str]]]:
    names = [v.value for v in result.variables]
    rows = [[short(row[name]) for name in names] for row in result]
    return names, rows


def format_result(result: object, fmt: str) -> str:
    """Render a query result in the requested format."""
    if isinstance(result, ox.QueryBoolean):
        value = bool(result)
        return json.dumps({"head": {}, "boolean": value}) if fmt == "json" else str(value).lower()
    if isinstance(result, ox.QueryTriples):
        return ox.serialize(result, format=ox.RdfFormat.TURTLE, prefixes=PREFIX_IRIS).decode("utf-8")
    if fmt == "json":
        return result.serialize(format=ox.QueryResultsFormat.JSON).decode("utf-8")
    if fmt == "csv":
        return result.serialize(format=ox.QueryResultsFormat.CSV).decode("utf-8")
    names, rows = solutions_table(result)
    return render_table(names, rows)


def render_table(names: list[str], rows: list[list[str]]) -> str:
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    out = io.StringIO()
    out.write(" | ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip() + "\n")
    out.write("-+-".join("-" * w for w in widths) + "\n")
    for row in rows:
        out.write(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return out.getvalue()


def expected_path(project: Project, name: str) -> Path:
    return project.queries / "expected" / f"{name}.csv"


def saved_query_csv(store: ox.Store, saved: SavedQuery) -> str:
    """A saved query's answer as SPARQL CSV with Unix line ends, the form kept under expected/."""
    return format_result(execute(store, saved.text), "csv").replace("\r\n", "\n")


def update_expected(project: Project) -> int:
    """Rewrite every saved query's expected-results file (an explicit, reviewable step)."""
    from kgtools.store import open_store

    store = open_store(project)
    folder = project.queries / "expected"
    folder.mkdir(parents=True, exist_ok=True)
    queries = saved_queries(project)
    for saved in queries:
        expected_path(project, saved.name).write_text(saved_query_csv(store, saved), encoding="utf-8")
    for stale in folder.glob("*.csv"):
        if stale.stem not in {q.name for q in queries}:
            stale.unlink()
    print(f"wrote expected results of {len(queries)} saved queries to {folder.relative_to(project.root)}/")
    return 0


def run_query_command(project: Project, spec: str, fmt: str, endpoint: str | None) -> int:
    try:
        text = resolve_query_text(project, spec)
        if endpoint:
            from kgtools.remote import remote_query

            print(remote_query(endpoint, with_prefixes(text), fmt))
            return 0
        from kgtools.store import open_store

        print(format_result(execute(open_store(project), text), fmt))
        return 0
    except QueryError as error:
        print(f"kg query: {error}", file=sys.stderr)
        return 1
