"""The files of a published graph folder: the three dumps, the VoID description and the inputs' digest.

`kg build` and a plain `mkdocs build` both write a graph folder this way, so
the site always reads the same files whichever way it was started.
"""

from __future__ import annotations

from pathlib import Path

from kgtools.graph.compiled import CompiledGraph
from kgtools.graph.dumps import DUMP_NAME, canonical_ntriples, write_dumps
from kgtools.graph.freshness import STAMP_NAME, write_stamp
from kgtools.graph.void import describe

GRAPH_FILES = (f"{DUMP_NAME}.ttl", f"{DUMP_NAME}.nt", f"{DUMP_NAME}.jsonld", "void.ttl")
"""What a graph folder publishes; `inputs.digest` beside them only tells later commands what the graph was made from."""


def write_graph_folder(compiled: CompiledGraph, folder: Path, digest: str) -> None:
    """Write the deterministic dumps, VoID (Turtle only) and the inputs' digest into `folder`."""
    write_dumps(compiled.ntriples, folder)
    write_dumps(canonical_ntriples(describe(compiled.triples)), folder, name="void")
    for stray in ("void.nt", "void.jsonld"):
        (folder / stray).unlink()
    write_stamp(folder, digest)


__all__ = ["GRAPH_FILES", "STAMP_NAME", "write_graph_folder"]
