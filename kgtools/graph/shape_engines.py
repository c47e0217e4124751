"""The two SHACL engines behind one answer: pyrudof (Rust) validates in the build, pyshacl is the second opinion.

Both get the same parsed shapes graph and the same data: the graph with the
whole ontology merged in, so `rdfs:subClassOf` counts for `sh:targetClass` and
`sh:class`, and the ontology's own individuals (`sa:CitationOk a
sa:CheckOutcome`) are instances of their classes. (pyshacl's `ont_graph` would
copy only the RDFS/OWL axioms, not such individuals, and the engines would
disagree; so pyshacl is given the union as its data graph instead.) Each
engine's report is turned into `Finding`s whose `shape` is the very node of
that shapes graph, so `kgtools.graph.shapes` names shapes and words messages
once for both, and the tests can compare the engines finding by finding.

pyrudof is handed the shapes as N-Triples written by rdflib: it keeps those
blank-node labels, so a property shape it names is found in rdflib's graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kgtools.records.problems import BuildError

ENGINES = ("pyrudof", "pyshacl")
"""`pyrudof` is the build's engine; `pyshacl` is kept to check it (tests/test_shapes_engines.py)."""


@dataclass(frozen=True)
class Finding:
    """One violation as either engine reports it: focus node, source shape, constraint component, offending value."""

    focus: Node
    shape: Node       # the source shape, a node of the shapes graph both engines were given
    component: str    # local name, e.g. "MinCountConstraintComponent"
    value: str | None  # an IRI, or a literal's lexical form in double quotes; None when the component names no value


def run_engine(engine: str, data: Graph | str, shapes: Graph, ontology: Graph | None) -> list[Finding]:
    """Every violation `engine` finds in `data` (an rdflib Graph or N-Triples text)."""
    if engine == "pyrudof":
        return run_pyrudof(data if isinstance(data, str) else data.serialize(format="nt"), shapes, ontology)
    if engine == "pyshacl":
        return run_pyshacl(data, shapes, ontology)
    raise ValueError(f"unknown SHACL engine {engine!r}; expected one of {', '.join(ENGINES)}")


def run_pyrudof(ntriples: str, shapes: Graph, ontology: Graph | None) -> list[Finding]:
    """pyrudof's native validator; strict parsing, so a triple it cannot read stops the build instead of vanishing."""
    import pyrudof

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    strict = pyrudof.ReaderMode.Strict
    try:
        rudof.read_data(ntriples, format=pyrudof.RDFFormat.NTriples, reader_mode=strict)
        if ontology is not None:
            rudof.read_data(ontology.serialize(format="nt"), format=pyrudof.RDFFormat.NTriples, reader_mode=strict, merge=True)
        rudof.read_shacl(shapes.serialize(format="nt"), format=pyrudof.ShaclFormat.NTriples, reader_mode=strict)
        report = rudof.validate_shacl()
    except pyrudof.RudofError as error:
        raise BuildError([f"SHACL: pyrudof could not validate the graph: {error}"]) from error
    nodes = _shape_nodes(shapes)
    return [Finding(_rudof_node(entry.focus_node), nodes.get(entry.source_shape or "", Literal(entry.source_shape or "")),
                    _local(entry.constraint_component), _rudof_value(entry.value))
            for entry in report.violations if entry.severity == "Violation"]


def run_pyshacl(data: Graph | str, shapes: Graph, ontology: Graph | None) -> list[Finding]:
    """pyshacl, as the build ran it before pyrudof: every result at once, no inference (on a merged copy, never `data` itself)."""
    from pyshacl import validate

    merged = Graph()
    if isinstance(data, str):
        merged.parse(data=data, format="nt")
    else:
        merged += data
    if ontology is not None:
        merged += ontology
    conforms, report, _text = validate(merged, shacl_graph=shapes, inference="none", inplace=True,
                                       abort_on_first=False, allow_warnings=True, advanced=True)
    if conforms:
        return []
    findings = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        value = report.value(result, SH.value)
        findings.append(Finding(report.value(result, SH.focusNode), report.value(result, SH.sourceShape),
                                _local(report.value(result, SH.sourceConstraintComponent)),
                                None if value is None else f'"{value}"' if isinstance(value, Literal) else str(value)))
    return findings


def _local(iri: object) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1]


def _shape_nodes(shapes: Graph) -> dict[str, Node]:
    """Every subject of the shapes graph by the name pyrudof gives it: the IRI, or `_:` and rdflib's label."""
    return {(f"_:{node}" if isinstance(node, BNode) else str(node)): node for node in set(shapes.subjects())}


def _rudof_node(text: str) -> Node:
    return BNode(text[2:]) if text.startswith("_:") else URIRef(text)


_LITERAL = re.compile(r'"(?P<lexical>(?:[^"\\]|\\.)*)"(?:@[A-Za-z0-9-]+|\^\^\S+)?', re.DOTALL)


def _rudof_value(text: str | None) -> str | None:
    """pyrudof writes a value as a bare IRI or a Turtle literal (`"1"^^xsd:integer`); keep the IRI or the quoted lexical form.

    >>> _rudof_value('"say \\\\"hi\\\\""@en'), _rudof_value('"1"^^xsd:integer'), _rudof_value("https://example.org/a")
    ('"say "hi""', '"1"', 'https://example.org/a')
    """
    if text is None:
        return None
    match = _LITERAL.fullmatch(text)
    if not match:
        return text
    lexical = re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), match["lexical"])
    return f'"{lexical}"'
