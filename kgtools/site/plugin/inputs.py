"""Where the site's graph comes from: the dumps `kg build` just wrote, or a fresh compile for plain MkDocs.

Either way the site gets the same thing: a pyoxigraph store of the graph and
the files the downloads page publishes (dumps, VoID, ontology, shapes, schemas,
the CSV and JSON API cut from the dumps, and the releases `kg release` made).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgtools.graph.dumps import DUMP_NAME
from kgtools.graph.exports import DataExports, data_exports
from kgtools.graph.folder import GRAPH_FILES, write_graph_folder
from kgtools.graph.freshness import inputs_digest
from kgtools.graph.release import RELEASES, ReleaseInfo, list_releases
from kgtools.insights.enrich import published_graph
from kgtools.query.store import load_dump
from kgtools.records.project import Project


@dataclass
class GraphInput:
    store: ox.Store
    ntriples: Path
    files: dict[str, Path] = field(default_factory=dict)  # name under downloads/ → file to copy
    schemas: list[str] = field(default_factory=list)
    scratch: Path | None = None
    exports: DataExports | None = None              # CSV per kind and the JSON API, paths under the site root
    releases_dir: Path | None = None                # build/releases, when `kg release` has made any
    releases: list[ReleaseInfo] = field(default_factory=list)

    def close(self) -> None:
        if self.scratch:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None


def from_graph_dir(project: Project, graph_dir: Path, scratch: Path | None = None) -> GraphInput:
    """The graph as `kg build` published it in `graph_dir`."""
    missing = [name for name in GRAPH_FILES if not (graph_dir / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{graph_dir} lacks {', '.join(missing)}; run `kg build --graph-only` first")
    files = {name: graph_dir / name for name in GRAPH_FILES}
    files["stackatlas-ontology.ttl"] = project.ontology / "stackatlas.ttl"
    files["shapes.ttl"] = project.ontology / "shapes.ttl"
    schemas = sorted(p.name for p in project.schemas.glob("*.schema.json"))
    for name in schemas:
        files[f"schemas/{name}"] = project.schemas / name
    ntriples = graph_dir / f"{DUMP_NAME}.nt"
    releases_dir = project.build / RELEASES
    releases = list_releases(releases_dir)
    return GraphInput(load_dump(ntriples), ntriples, files, schemas, scratch, data_exports(ntriples),
                      releases_dir if releases else None, releases)


def compile_graph(project: Project, shacl: bool = True) -> GraphInput:
    """Check and compile the corpus now (raises BuildError), its graph folder written to a scratch folder."""
    compiled = published_graph(project, shacl=shacl)
    scratch = Path(tempfile.mkdtemp(prefix="stackatlas-graph-"))
    try:
        write_graph_folder(compiled, scratch, inputs_digest(project))
        return from_graph_dir(project, scratch, scratch)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
