"""SHACL validation of the compiled graph with pyshacl, every violation reported at once.

The shapes and the ontology are files of the checkout, so they are read
through `CheckoutReader` (a regular file inside the checkout, no link) before
rdflib parses the bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from kgtools.graph.vocab import split_entity_iri
from kgtools.records.problems import BuildError, Problem, display_path
from kgtools.records.project import RefusedFile, read_input


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result: which node broke which shape, and how."""

    focus: str
    shape: str
    path: str
    message: str

    def text(self) -> str:
        where = f" {self.path}:" if self.path else ""
        return f"{self.focus}:{where} {self.message} (shape {self.shape})"


def _short(term: object) -> str:
    text = str(term)
    parts = split_entity_iri(text.split("#")[0])
    if parts and "#" in text:
        return f"{parts[0]}/{parts[1]}#{text.split('#', 1)[1]}"
    if parts:
        return f"{parts[0]}/{parts[1]}"
    return text.rsplit("#", 1)[-1] if "#" in text else text


def read_turtle(path: Path, root: Path | None = None) -> Graph:
    """A Turtle file of the checkout at `root` (by default the folder above `ontology/`); BuildError if it is refused."""
    root = root or path.absolute().parents[1]
    try:
        data = read_input(root, path)
    except RefusedFile as refused:
        raise BuildError([Problem(display_path(path, root), 1, "(file)", refused.message, refused.hint).text()]) from refused
    return Graph().parse(data=data, format="turtle", publicID=path.absolute().as_uri())


def check_shapes(data: Graph, shapes_file: Path, ontology_file: Path | None = None) -> list[Violation]:
    """All SHACL violations of `data` against the shapes (with RDFS inference from the ontology)."""
    shapes = read_turtle(shapes_file)
    ontology = read_turtle(ontology_file) if ontology_file else None
    conforms, report, _text = validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none",
        abort_on_first=False, allow_warnings=True, advanced=True,
    )
    if conforms:
        return []
    violations = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(result, SH.focusNode)
        shape = report.value(result, SH.sourceShape)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage) or "violates the shape"
        named_shape = shape if isinstance(shape, URIRef) else _parent_shape(shapes, shape)
        violations.append(Violation(_short(focus), _short(named_shape), _short(path) if path else "", str(message)))
    return sorted(set(violations))


def _parent_shape(shapes: Graph, node: object) -> object:
    """The named node shape a blank property shape belongs to, so messages name something findable."""
    for parent in shapes.subjects(SH.property, node):
        return parent
    return node
