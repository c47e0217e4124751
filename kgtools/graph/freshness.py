"""Whether a built graph is the graph of the current inputs: decided by content, never by clock.

`kg build` writes a digest of everything the graph is made from beside the
dumps (`inputs.digest`): every record file, every ontology file and the source
of the code that turns them into triples. A command that wants the graph
compares that digest with the inputs as they are now. Modification times
would lie after a `git checkout`, a copy or a clock change; bytes do not.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from kgtools.records.loader import record_files
from kgtools.records.project import Project, RefusedFile, read_input

STAMP_NAME = "inputs.digest"
PACKAGE = Path(__file__).resolve().parents[1]
# The code whose change changes the graph: reading records, compiling, and the analytics added to it.
GRAPH_CODE = ("records", "graph", "insights/analytics.py")


def _code_files() -> list[Path]:
    files: list[Path] = []
    for part in GRAPH_CODE:
        path = PACKAGE / part
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


def inputs_digest(project: Project) -> str:
    """BLAKE2b over the names and bytes of every input of the graph, in a fixed order."""
    digest = hashlib.blake2b(digest_size=20)
    ontology = sorted(p for p in project.ontology.rglob("*") if p.is_file() or p.is_symlink())
    for path in [*record_files(project), *ontology]:
        digest.update(path.relative_to(project.root).as_posix().encode() + b"\0")
        digest.update(_bytes(project.root, path) + b"\0")
    for path in _code_files():
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def inputs_signature(project: Project) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every input: a cheap "did anything change?" for polling.

    `kg serve` asks this every second, which would mean reading the whole
    corpus every second with `inputs_digest`; when the signature changes, the
    graph is reloaded and its freshness decided by content as everywhere else.
    """
    out = []
    for path in [*record_files(project), *sorted(project.ontology.rglob("*"))]:
        try:
            info = path.lstat()
        except OSError:
            continue
        out.append((path.as_posix(), info.st_size, info.st_mtime_ns))
    return tuple(out)


def _bytes(root: Path, path: Path) -> bytes:
    """A file's bytes, read as the loader reads them, or a marker when it may not be read (the check says why)."""
    try:
        return read_input(root, path)
    except RefusedFile as refused:
        return f"\0refused: {refused.reason}".encode()
    except OSError as error:
        return f"\0unreadable: {error.strerror}".encode()


@dataclass(frozen=True)
class Freshness:
    """What a command needs to know about the graph in a build folder."""

    graph_dir: Path
    built: bool
    fresh: bool

    def describe(self, root: Path) -> str:
        """What a command says about the graph it answers from.

        >>> Freshness(Path("/repo/build/graph"), built=True, fresh=False).describe(Path("/repo"))
        'build/graph is older than the corpus'
        """
        shown = self.graph_dir.relative_to(root).as_posix() if self.graph_dir.is_relative_to(root) else str(self.graph_dir)
        if not self.built:
            return f"{shown} has no graph yet"
        return f"{shown} matches the corpus" if self.fresh else f"{shown} is older than the corpus"


def freshness(project: Project, graph_dir: Path | None = None) -> Freshness:
    """Compare the digest a build stamped into `graph_dir` with the inputs as they are now."""
    graph_dir = graph_dir or project.graph_dir
    stamp = graph_dir / STAMP_NAME
    if not stamp.is_file():
        return Freshness(graph_dir, built=False, fresh=False)
    return Freshness(graph_dir, built=True, fresh=stamp.read_text(encoding="ascii").strip() == inputs_digest(project))


def write_stamp(folder: Path, digest: str) -> None:
    (folder / STAMP_NAME).write_text(digest + "\n", encoding="ascii")
