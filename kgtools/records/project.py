"""Where the project's inputs and outputs live, found from the working directory.

Every command works from any folder inside a checkout, so paths are resolved
against the nearest parent holding both `corpus/` and `ontology/`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

KINDS = ("technology", "concept", "case", "organization", "source", "assessment")
KIND_DIRS = {
    "technology": "technologies",
    "concept": "concepts",
    "case": "cases",
    "organization": "organizations",
    "source": "sources",
    "assessment": "assessments",
}
DIR_KINDS = {folder: kind for kind, folder in KIND_DIRS.items()}


@dataclass(frozen=True)
class Project:
    """The folders of one Stack Atlas checkout."""

    root: Path

    @property
    def corpus(self) -> Path:
        return self.root / "corpus"

    @property
    def ontology(self) -> Path:
        return self.root / "ontology"

    @property
    def schemas(self) -> Path:
        return self.ontology / "schemas"

    @property
    def queries(self) -> Path:
        return self.corpus / "queries"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def graph_dir(self) -> Path:
        return self.build / "graph"

    def kind_dir(self, kind: str) -> Path:
        return self.corpus / KIND_DIRS[kind]

    def record_path(self, kind: str, record_id: str) -> Path:
        return self.kind_dir(kind) / f"{record_id}.yaml"


def find_project(start: Path | None = None) -> Project:
    """The checkout containing `start` (default: the working directory)."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "corpus").is_dir() and (candidate / "ontology").is_dir():
            return Project(candidate)
    raise FileNotFoundError(
        f"no Stack Atlas checkout (a folder with corpus/ and ontology/) at or above {here}"
    )
