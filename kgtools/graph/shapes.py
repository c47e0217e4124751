"""SHACL validation of the compiled graph, every violation reported at once.

pyrudof (Rust) validates in the build; pyshacl is kept as a second opinion that
the tests hold it to (`kgtools.graph.shape_engines`). Whichever engine ran,
a violation is written the same way: the focus node as the record it belongs
to (`technology/kafka`, `case/x#m-1`), the path as the field, the shape's own
`sh:message` (or a message made from the constraint), and the named node
shape, so the line points at something a contributor can find.

The shapes and the ontology are files of the checkout, so they are read
through `CheckoutReader` (a regular file inside the checkout, no link) before
rdflib parses the bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kgtools.graph.shape_engines import ENGINES, Finding, run_engine
from kgtools.graph.vocab import split_entity_iri
from kgtools.records.problems import BuildError, Problem, display_path
from kgtools.records.project import RefusedFile, read_input

__all__ = ["ENGINES", "Violation", "check_shapes", "read_turtle"]


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


def check_shapes(data: Graph | str, shapes_file: Path, ontology_file: Path | None = None,
                 engine: str = "pyrudof") -> list[Violation]:
    """All SHACL violations of `data` (an rdflib Graph or N-Triples text) against the shapes, the ontology merged in."""
    shapes = read_turtle(shapes_file)
    ontology = read_turtle(ontology_file) if ontology_file else None
    return sorted({violation(shapes, finding) for finding in run_engine(engine, data, shapes, ontology)})


def violation(shapes: Graph, finding: Finding) -> Violation:
    """A finding as the build prints it: named node shape, the property shape's path, its message."""
    path = shapes.value(finding.shape, SH.path)
    return Violation(_short(finding.focus), _short(_named_shape(shapes, finding.shape)),
                     _path_text(shapes, path) if path is not None else "", _message(shapes, finding))


def _named_shape(shapes: Graph, node: Node) -> Node:
    """The named node shape a blank shape belongs to (through sh:property, sh:or lists …), so messages name something findable."""
    seen: set[Node] = set()
    frontier = [node]
    while frontier:
        current = frontier.pop(0)
        if isinstance(current, URIRef) or current in seen:
            if isinstance(current, URIRef):
                return current
            continue
        seen.add(current)
        frontier.extend(subject for subject, _predicate in shapes.subject_predicates(current))
    return node


def _path_text(shapes: Graph, path: Node) -> str:
    """A property path as a field: `url`, or `url|seeAlso` for an alternative path, `a/b` for a sequence, `^a` inverse."""
    if isinstance(path, URIRef):
        return _short(path)
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_path_text(shapes, p) for p in Collection(shapes, alternatives))
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path_text(shapes, inverse)
    for predicate, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = shapes.value(path, predicate)
        if inner is not None:
            return _path_text(shapes, inner) + mark
    if isinstance(path, BNode) and shapes.value(path, RDF.first) is None:
        return str(path)
    return "/".join(_path_text(shapes, p) for p in Collection(shapes, path))


def _message(shapes: Graph, finding: Finding) -> str:
    """The shape's own sh:message (English or untagged first), else a sentence made from the constraint it breaks."""
    messages = sorted(shapes.objects(finding.shape, SH.message), key=lambda m: (getattr(m, "language", None) not in (None, "en"), str(m)))
    if messages:
        return str(messages[0])
    return _constraint_message(shapes, finding)


def _constraint_message(shapes: Graph, finding: Finding) -> str:
    shape, value = finding.shape, _shown(finding.value)

    def param(name: str) -> str:
        found = shapes.value(shape, SH[name])
        if found is None:
            return "?"
        if isinstance(found, BNode):  # an RDF list: sh:in, sh:languageIn
            return ", ".join(_shown(f'"{item}"' if isinstance(item, Literal) else str(item)) for item in Collection(shapes, found))
        return _short(found)

    def plural(name: str) -> str:
        return f"{param(name)} value" + ("" if param(name) == "1" else "s")

    sentences = {
        "MinCountConstraintComponent": lambda: f"needs at least {plural('minCount')}",
        "MaxCountConstraintComponent": lambda: f"has more than {plural('maxCount')}",
        "ClassConstraintComponent": lambda: f"{value} is not a {param('class')}",
        "DatatypeConstraintComponent": lambda: f"{value} is not of datatype {param('datatype')}",
        "InConstraintComponent": lambda: f"{value} is not one of {param('in')}",
        "NodeKindConstraintComponent": lambda: f"{value} is not of node kind {param('nodeKind')}",
        "PatternConstraintComponent": lambda: f"{value} does not match {param('pattern')}",
        "MinLengthConstraintComponent": lambda: f"{value} is shorter than {param('minLength')} characters",
        "MaxLengthConstraintComponent": lambda: f"{value} is longer than {param('maxLength')} characters",
        "LanguageInConstraintComponent": lambda: f"{value} is not in language {param('languageIn')}",
        "UniqueLangConstraintComponent": lambda: "has more than one value in the same language",
        "QualifiedMinCountConstraintComponent":
            lambda: f"fewer than {param('qualifiedMinCount')} values conform to {param('qualifiedValueShape')}",
        "QualifiedMaxCountConstraintComponent":
            lambda: f"more than {param('qualifiedMaxCount')} values conform to {param('qualifiedValueShape')}",
        "OrConstraintComponent": lambda: "conforms to none of the alternatives of sh:or",
    }
    sentence = sentences.get(finding.component)
    return sentence() if sentence else f"violates {finding.component}" + (f" with {value}" if finding.value else "")


def _shown(value: str | None) -> str:
    """A value in a message: a literal as it came (in quotes), an IRI shortened as the build names entities."""
    if value is None:
        return "a value"
    return value if value.startswith('"') else _short(value)
