"""Deterministic dumps of the graph: N-Triples, Turtle and JSON-LD.

The N-Triples dump is the canonical form: sorted, de-duplicated lines. Turtle
and JSON-LD are written by pyoxigraph, which is linear in the graph size
(rdflib's Turtle writer is not), streaming from the canonical N-Triples.

A line of N-Triples ends at `\n` and nowhere else: a literal may hold
characters that `str.splitlines()` also takes for line ends (U+2028, U+0085,
U+001C…), so N-Triples text is only ever split with `ntriples_lines`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.term import Node

from kgtools.graph.compile import Lit, gc_paused
from kgtools.graph.vocab import PREFIXES

DUMP_NAME = "stackatlas"
FORMATS = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD}


def _quoted(lexical: str) -> str:
    """A literal's lexical form between quotes, escaped as rdflib's N-Triples writer does."""
    return '"' + lexical.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r") + '"'


def nt_term(term: Node | Lit) -> str:
    """One term in N-Triples syntax."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Lit):
        lexical, lang, datatype = term
    elif isinstance(term, Literal):
        lexical, lang, datatype = str(term), term.language, term.datatype
    else:
        return term.n3()
    if lang:
        return f"{_quoted(lexical)}@{lang}"
    if datatype:
        return f"{_quoted(lexical)}^^<{datatype}>"
    return _quoted(lexical)


def canonical_ntriples(triples: Iterable[tuple[Node, Node, Node | Lit]]) -> str:
    """Triples (a list from the compiler, or an rdflib Graph) as sorted, de-duplicated N-Triples text.

    Written here, not by rdflib's serializer, so the compiler's triples never
    need to become an rdflib Graph; a test holds the two writers to the same
    bytes. The compiler emits records in IRI order, so its lines arrive in long
    sorted runs that Python's sort merges in near-linear time; duplicates are
    then neighbours.
    """
    with gc_paused():
        lines = [f"{nt_term(s)} {nt_term(p)} {nt_term(o)} ." for s, p, o in triples]
        lines.sort()
        return "\n".join(line for line, _ in itertools.groupby(lines)) + "\n"


def ntriples_lines(text: str) -> list[str]:
    r"""The lines of N-Triples text, split at `\n` only (never `str.splitlines()`).

    >>> ntriples_lines('<a> <b> "x\u2028y" .\n<a> <b> "z" .\n')
    ['<a> <b> "x\u2028y" .', '<a> <b> "z" .']
    """
    return [line for line in text.split("\n") if line]


def write_dumps(ntriples: str, folder: Path, name: str = DUMP_NAME) -> dict[str, Path]:
    """Write `name.nt`, `name.ttl` and `name.jsonld` into `folder`; return their paths.

    Turtle and JSON-LD are streamed by pyoxigraph straight from the canonical
    N-Triples, so they follow its sorted order (the same graph gives the same
    bytes) and no store is built: bulk-loading one took longer than both
    writers together at 40,000 records.
    """
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    data = ntriples.encode("utf-8")
    paths = {}
    for extension, fmt in FORMATS.items():
        path = folder / f"{name}.{extension}"
        if extension == "nt":
            path.write_bytes(data)
        else:
            ox.serialize(ox.parse(data, ox.RdfFormat.N_TRIPLES), str(path), fmt, prefixes=prefixes)
        paths[extension] = path
    return paths
