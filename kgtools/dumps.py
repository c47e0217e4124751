"""Deterministic dumps of the graph: N-Triples, Turtle and JSON-LD.

The N-Triples dump is the canonical form: sorted, de-duplicated lines. Turtle
and JSON-LD are written by pyoxigraph, which is linear in the graph size
(rdflib's Turtle writer is not) and writes the same bytes for the same triples.
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


def write_dumps(ntriples: str, folder: Path, name: str = DUMP_NAME) -> dict[str, Path]:
    """Write `name.nt`, `name.ttl` and `name.jsonld` into `folder`; return their paths.

    The Turtle and JSON-LD writers read from an Oxigraph store loaded in bulk,
    so no Python object is made per triple; the store's order depends only on
    the set of triples, so the same graph gives the same bytes.
    """
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    store = ox.Store()
    store.bulk_load(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    paths = {}
    for extension, fmt in FORMATS.items():
        path = folder / f"{name}.{extension}"
        if extension == "nt":
            path.write_text(ntriples, encoding="utf-8")
        else:
            store.dump(str(path), fmt, from_graph=ox.DefaultGraph(), prefixes=prefixes)
        paths[extension] = path
    return paths
