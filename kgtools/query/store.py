"""The graph as a pyoxigraph store: the fast engine for SPARQL over the compiled graph.

Which graph to load (a build's dump or a fresh compile) is decided above this
layer, by `kgtools.pipeline.current_graph`; here a store is made from text or
a file, nothing more.

>>> store = store_from_ntriples('<urn:a> <urn:b> "c" .\\n')
>>> len(store)
1
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox


def store_from_ntriples(ntriples: str) -> ox.Store:
    store = ox.Store()
    store.bulk_load(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def load_dump(path: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.from_extension(path.suffix.lstrip(".")))
    return store
