"""Records → RDF, driven by the schemas' `x-` annotations.

Simple facts become plain triples; list items that carry qualifiers become
statement nodes (`x-node`) with their own IRIs under the entity
(`…/case/coinbase#uses-1`), and `x-truthy` adds the plain triple beside them,
the way Wikidata pairs truthy triples with full statements. Citations add
`prov:wasDerivedFrom` to the node they back. Statement IRIs are derived from
positions, never from blank nodes, so dumps are deterministic.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kgtools.loader import Corpus, Record
from kgtools.schemas import SchemaSet
from kgtools.vocab import PREFIXES, PROV, SKOS, entity_iri, expand

DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


@functools.cache
def _expand_all(curies: tuple[str, ...]) -> tuple[URIRef, ...]:
    return tuple(expand(c) for c in curies)


def predicates(spec: dict[str, Any]) -> list[URIRef]:
    curies = spec.get("x-rdf", [])
    return list(_expand_all((curies,) if isinstance(curies, str) else tuple(curies)))


def terms(spec: dict[str, Any], value: Any) -> list[URIRef | Literal]:
    """The RDF terms one field value becomes."""
    if spec.get("x-datatype") == "text":
        return [Literal(value["zh"], lang="zh"), Literal(value["en"], lang="en")]
    if "x-ref" in spec:
        kind = "concept" if spec["x-ref"] == "scheme" else spec["x-ref"]
        return [entity_iri(kind, value)]
    if "x-enum-rdf" in spec:
        return [expand(spec["x-enum-rdf"][value])]
    if "x-iri-prefix" in spec:
        return [URIRef(spec["x-iri-prefix"] + value)]
    if spec.get("x-datatype") == "iri":
        return [URIRef(value)]
    if spec.get("x-datatype") == "date":
        return [Literal(value, datatype=DATE_TYPES[len(value)])]
    if isinstance(value, bool):
        return [Literal(value)]
    if isinstance(value, int) and spec.get("type") == "integer":
        return [Literal(value, datatype=XSD.integer)]
    if isinstance(value, (int, float)):
        return [Literal(Decimal(repr(value)) if isinstance(value, float) else Decimal(value), datatype=XSD.decimal)]
    return [Literal(str(value))]


def child_iri(parent: URIRef, key: str, index: int) -> URIRef:
    separator = "-" if "#" in parent else "#"
    return URIRef(f"{parent}{separator}{key}-{index + 1}")


class Compiler:
    """Adds records to a graph."""

    def __init__(self, schemas: SchemaSet, graph: Graph | None = None) -> None:
        self.schemas = schemas
        self.graph = graph if graph is not None else new_graph()

    def add_record(self, record: Record) -> URIRef:
        spec = self.schemas.entity_spec(record.kind)
        subject = entity_iri(record.kind, record.data["id"])
        for cls in spec.get("x-class", []):
            self.graph.add((subject, RDF.type, expand(cls)))
        self._object(subject, spec, record.data)
        return subject

    def _object(self, node: URIRef, spec: dict[str, Any], data: dict[str, Any]) -> None:
        properties = self.schemas.properties(spec)
        for key, value in data.items():
            self._field(node, properties[key], value)

    def _field(self, node: URIRef, spec: dict[str, Any], value: Any) -> None:
        preds = predicates(spec)
        if isinstance(value, list):
            item = self.schemas.item_spec(spec)
            truthy = spec.get("x-truthy")
            for index, element in enumerate(value):
                self._value(node, preds, item, element, index)
                if truthy:
                    target = self.schemas.properties(item)[truthy["field"]]
                    for term in terms(target, element[truthy["field"]]):
                        self.graph.add((node, expand(truthy["predicate"]), term))
        else:
            self._value(node, preds, spec, value, 0)

    def _value(self, node: URIRef, preds: list[URIRef], spec: dict[str, Any], value: Any, index: int) -> None:
        shape = spec.get("x-node")
        if shape is None:
            for term in terms(spec, value):
                for pred in preds:
                    self.graph.add((node, pred, term))
            return
        child = child_iri(node, shape["key"], index)
        for pred in preds:
            self.graph.add((node, pred, child))
        self.graph.add((child, RDF.type, expand(shape["class"])))
        if spec.get("x-datatype") == "text":
            for term in terms(spec, value):
                self.graph.add((child, RDF.value, term))
        else:
            self._object(child, spec, value)
        derived = spec.get("x-derived-from")
        if derived:
            source_spec = self.schemas.properties(spec)[derived]
            for term in terms(source_spec, value[derived]):
                self.graph.add((node, PROV.wasDerivedFrom, term))


def add_derived(graph: Graph) -> None:
    """Triples implied by the records that make queries simpler: inverse SKOS links, top concepts."""
    for concept, parent in list(graph.subject_objects(SKOS.broader)):
        graph.add((parent, SKOS.narrower, concept))
    for concept, scheme in list(graph.subject_objects(SKOS.inScheme)):
        if (concept, SKOS.broader, None) not in graph:
            graph.add((concept, SKOS.topConceptOf, scheme))
            graph.add((scheme, SKOS.hasTopConcept, concept))


def compile_corpus(corpus: Corpus, schemas: SchemaSet) -> Graph:
    """The whole corpus as one graph (records must have passed `kg check`)."""
    compiler = Compiler(schemas)
    for record in sorted(corpus.records, key=lambda r: (r.kind, r.id)):
        compiler.add_record(record)
    add_derived(compiler.graph)
    return compiler.graph
