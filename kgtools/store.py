"""The graph as a pyoxigraph store: the fast engine for SPARQL over the compiled graph.

Reads the published N-Triples dump when it is newer than every input, and
otherwise compiles the corpus in memory, so `kg query` always answers from
the current records without requiring a build first.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kgtools.dumps import DUMP_NAME
from kgtools.paths import Project


def newest_input(project: Project) -> float:
    newest = 0.0
    for folder in (project.corpus, project.ontology):
        for path in folder.rglob("*"):
            if path.is_file():
                newest = max(newest, path.stat().st_mtime)
    return newest


def current_ntriples(project: Project) -> str:
    """N-Triples of the current corpus: the dump if up to date, else a fresh compile."""
    dump = project.graph_dir / f"{DUMP_NAME}.nt"
    if dump.is_file() and dump.stat().st_mtime >= newest_input(project):
        return dump.read_text(encoding="utf-8")
    from kgtools.graph import compile_project

    return compile_project(project, shacl=False).ntriples


def store_from_ntriples(ntriples: str) -> ox.Store:
    store = ox.Store()
    store.bulk_load(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def open_store(project: Project) -> ox.Store:
    return store_from_ntriples(current_ntriples(project))


def load_dump(path: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.from_extension(path.suffix.lstrip(".")))
    return store
