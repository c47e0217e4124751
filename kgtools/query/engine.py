"""SPARQL over a pyoxigraph store: predeclared prefixes, errors as values, results as text.

Common prefixes are predeclared (passed to the parser, so error positions
match what the user wrote). Results print as an aligned table, SPARQL CSV or
SPARQL JSON; CONSTRUCT and DESCRIBE print Turtle. No query reaches the network:
`execute` (behind `kg query`, saved queries and the tests) and the endpoint refuse any
query that may contain SERVICE, as pyoxigraph would otherwise fetch from wherever it says.

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
import re

import pyoxigraph as ox

from kgtools.graph.vocab import DATASET_GRAPH, PREFIXES

PREFIX_IRIS = {prefix: str(ns) for prefix, ns in PREFIXES.items()}


class QueryError(Exception):
    """A query that cannot be found or parsed; the message says where."""


def with_prefixes(text: str) -> str:
    """The query with PREFIX lines for every predeclared prefix (for remote endpoints)."""
    head = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIX_IRIS.items())
    return head + text


# --- SERVICE gate -----------------------------------------------------------
# pyoxigraph (0.5) evaluates SERVICE with its own HTTP client and has no switch to turn
# federation off, so a query naming a SERVICE would make this process connect wherever
# it says. Every query is checked here, before pyoxigraph sees it.
#
# Oxigraph's parser is scannerless PEG: keywords need no word boundary (`SERVICEx:y {…}`
# is SERVICE + `x:y`), and `<` is an IRI or a less-than depending on the grammar
# (`FILTER(?a<'x>')SERVICE…` is a comparison with the string '>' and then a real SERVICE).
# The check therefore lexes like SPARQL (comments, strings, IRIs, variables, language tags,
# names, brackets) and refuses "service" in any name directly inside a `{ }` group, the only
# place a SERVICE clause can stand (in a prefixed name, only its prefix can split off a
# keyword); where a `<…>` inside parentheses could be read either way it follows both.
# Queries without the letters "service" (the usual case) skip all this.

_SERVICE = re.compile("service", re.IGNORECASE)   # Unicode-insensitive too: only ever refuses more
_IRIREF = re.compile(r'<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>')
_TOKEN = re.compile(r"""
    (?P<space>[ \t\r\n]+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
              | \"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
              | '(?:[^'\\\r\n]|\\.)*'
              | "(?:[^"\\\r\n]|\\.)*")
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F\u2040]*)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*(?:--[A-Za-z]+)?)
  | (?P<name>(?:[\w\-.:%\u00B7\u0300-\u036F\u203F\u2040]|\\[_~.\-!$&'()*+,;=/?\#@%])+)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)
# Characters that, read as code rather than as part of an IRI, could change what follows.
_SHIFTY = frozenset("'#()")


class _Unclear(Exception):
    """The query has too many ambiguous `<` to follow every reading."""


def _scan(text: str, pos: int, stack: tuple[str, ...], operand: bool,
          forks: list[tuple[int, tuple[str, ...], bool]], budget: list[int]) -> int | None:
    """Lex from `pos`; the offset of a possible SERVICE keyword, or None. Alternative readings go to `forks`."""
    end = len(text)
    while pos < end:
        budget[0] -= 1
        if budget[0] < 0:
            raise _Unclear
        char = text[pos]
        if char == "<":
            iri = _IRIREF.match(text, pos)
            if iri:
                if operand and stack and stack[-1] == "(" and _SHIFTY.intersection(iri.group()):
                    forks.append((pos + 1, stack, False))       # the other reading: a less-than
                pos, operand = iri.end(), True
                continue
        token = _TOKEN.match(text, pos)
        assert token is not None  # `other` matches any character
        kind, value = token.lastgroup, token.group()
        if kind == "name" and stack and stack[-1] == "{":          # SERVICE only ever opens a group's member
            found = _SERVICE.search(value.split(":", 1)[0])          # in a prefixed name, only the prefix may split
            if found:
                return pos + found.start()
        if kind in ("name", "string", "var", "lang"):
            operand = True
        elif kind == "other":
            if value in "([{":
                stack += (value,)
            elif value in ")]}" and stack:
                stack = stack[:-1]
            operand = value in ")]>"
        pos = token.end()
    return None


def service_offset(text: str) -> int | None:
    """Where `text` may have a SERVICE keyword (an offset), or None when it certainly has none.

    >>> service_offset('SELECT * { ?s ?p "no SERVICE here" . ?s <urn:service> ?o }  # service') is None
    True
    >>> service_offset("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    11
    """
    if not _SERVICE.search(text):
        return None
    forks: list[tuple[int, tuple[str, ...], bool]] = [(0, (), False)]
    seen: set[tuple[int, tuple[str, ...], bool]] = set()
    budget = [8 * len(text) + 10_000]
    while forks:
        state = forks.pop()
        if state in seen:
            continue
        seen.add(state)
        found = _scan(text, *state, forks, budget)
        if found is not None:
            return found
    return None


def refuse_service(text: str) -> None:
    """Raise QueryError if the query may contain a SERVICE clause: no query here reaches the network."""
    try:
        offset = service_offset(text)
    except _Unclear:
        raise QueryError("SERVICE (federated query) is not allowed here, and this query has too many "
                         "`<` that could be IRIs or comparisons to be sure it has none; put spaces around "
                         "the comparisons") from None
    if offset is not None:
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise QueryError(f"SERVICE (federated query) is not allowed here: queries run on the local graph only "
                         f"and never make network requests (at line {line}, column {column})")


# --- The published graph's name ----------------------------------------------
# In an external store the graph is the named graph DATASET_GRAPH (`kg publish` replaces it), and
# saved queries say `FROM <DATASET_GRAPH>` so that no store's default-graph rule changes an answer
# (Virtuoso's default graph is the union of every graph, its own system graphs included; Oxigraph's
# is the unnamed graph only, empty after a publish). In-process the store holds that one graph as
# its default graph, so a query whose FROM clauses name DATASET_GRAPH alone reads the default graph.
# Any other FROM keeps its meaning: a graph this store does not have, so no rows.


def dataset_clauses(text: str) -> tuple[list[str], list[str]]:
    """The IRIs a query's `FROM` and `FROM NAMED` clauses name, in order (prefixed names expanded).

    Only the query's top level is read (a dataset clause never stands inside braces); strings
    and comments are skipped by the same lexer as the SERVICE gate.

    >>> dataset_clauses('PREFIX g: <urn:g:> SELECT * FROM <urn:a> FROM NAMED g:b # FROM <urn:c>\\nWHERE { ?s ?p "FROM" }')
    (['urn:a'], ['urn:g:b'])
    """
    prefixes = dict(PREFIX_IRIS)
    default: list[str] = []
    named: list[str] = []
    tokens: list[tuple[str, str]] = []           # significant top-level tokens: (kind, text)
    depth, pos, end = 0, 0, len(text)
    while pos < end:
        iri = _IRIREF.match(text, pos) if text[pos] == "<" else None
        if iri:
            if depth == 0:
                tokens.append(("iri", iri.group()[1:-1]))
            pos = iri.end()
            continue
        token = _TOKEN.match(text, pos)
        assert token is not None  # `other` matches any character
        kind, value = token.lastgroup or "", token.group()
        pos = token.end()
        if value == "{":
            depth += 1
        elif value == "}":
            depth = max(depth - 1, 0)
        elif depth == 0 and kind in ("name", "other"):
            tokens.append((kind, value))
    for i, (kind, value) in enumerate(tokens):
        if kind == "name" and value.upper() == "PREFIX" and i + 2 < len(tokens) and tokens[i + 2][0] == "iri":
            prefixes[tokens[i + 1][1].rstrip(":")] = tokens[i + 2][1]
        if kind != "name" or value.upper() != "FROM" or i + 1 >= len(tokens):
            continue
        target, into = i + 1, default
        if tokens[target][0] == "name" and tokens[target][1].upper() == "NAMED":
            target, into = target + 1, named
        if target >= len(tokens):
            continue
        kind, value = tokens[target]
        if kind == "iri":
            into.append(value)
        elif kind == "name" and ":" in value:
            prefix, _, local = value.partition(":")
            if prefix in prefixes:
                into.append(prefixes[prefix] + local)
    return default, named


def dataset_options(text: str) -> dict[str, object]:
    """pyoxigraph's query options that give `text` the published graph it names (see above).

    >>> dataset_options(f"SELECT * FROM <{DATASET_GRAPH}> WHERE {{ ?s ?p ?o }}")
    {'default_graph': <DefaultGraph>}
    >>> dataset_options("SELECT * FROM <urn:elsewhere> WHERE { ?s ?p ?o }")
    {}
    """
    default, named = dataset_clauses(text)
    if default and set(default) == {DATASET_GRAPH} and not named:
        return {"default_graph": ox.DefaultGraph()}
    return {}


def execute(store: ox.Store, text: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    refuse_service(text)
    try:
        return store.query(text, prefixes=PREFIX_IRIS, **dataset_options(text))
    except SyntaxError as error:
        raise QueryError(f"SPARQL syntax {error}") from error


def select_rows(store: ox.Store, text: str) -> list[dict[str, str]]:
    """A SELECT's rows as {variable: lexical value}, with "" for a variable left unbound (the predeclared prefixes apply)."""
    result = store.query(text, prefixes=PREFIX_IRIS, **dataset_options(text))
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else "") for n in names} for row in result]


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


