"""SPARQL over a pyoxigraph store: predeclared prefixes, errors as values, results as text.

Common prefixes are predeclared (passed to the parser, so error positions
match what the user wrote). Results print as an aligned table, SPARQL CSV or
SPARQL JSON; CONSTRUCT and DESCRIBE print Turtle.

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("https://w3id.org/stackatlas/technology/temporal"),
...                   ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
...                   ox.NamedNode("https://w3id.org/stackatlas/ontology#Technology")))
>>> print(format_result(execute(store, "SELECT ?t WHERE { ?t a sa:Technology }"), "table"))
t
-------------------
technology:temporal
(1 row)
"""

from __future__ import annotations

import io
import json

import pyoxigraph as ox

from kgtools.graph.vocab import PREFIXES

PREFIX_IRIS = {prefix: str(ns) for prefix, ns in PREFIXES.items()}


class QueryError(Exception):
    """A query that cannot be found or parsed; the message says where."""


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


