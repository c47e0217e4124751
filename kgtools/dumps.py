"""Deterministic dumps of the graph: N-Triples, Turtle and JSON-LD.

Triples are put in one canonical order (sorted N-Triples lines) and then
serialised by pyoxigraph, which is linear in the graph size (rdflib's Turtle
writer is not) and writes the same bytes for the same input.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kgtools.vocab import PREFIXES

DUMP_NAME = "stackatlas"
FORMATS = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD}


def canonical_ntriples(graph: Graph) -> str:
    """The graph as sorted, de-duplicated N-Triples text."""
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def canonical_triples(ntriples: str) -> list[ox.Triple]:
    return list(ox.parse(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))


def write_dumps(ntriples: str, folder: Path, name: str = DUMP_NAME) -> dict[str, Path]:
    """Write `name.nt`, `name.ttl` and `name.jsonld` into `folder`; return their paths."""
    triples = canonical_triples(ntriples)
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    paths = {}
    for extension, fmt in FORMATS.items():
        path = folder / f"{name}.{extension}"
        if extension == "nt":
            path.write_text(ntriples, encoding="utf-8")
        else:
            ox.serialize(triples, str(path), fmt, prefixes=prefixes)
        paths[extension] = path
    return paths
