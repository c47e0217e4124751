"""Graph → records: the inverse of `compile`, so a test can prove nothing is lost on the way.

It reads the same schema annotations the compiler writes from. Lists of plain
values come back sorted (RDF has no order for them); lists of statement nodes
come back in their original order, which their IRIs keep.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kgtools.compile import predicates
from kgtools.schemas import SchemaSet
from kgtools.vocab import BASE, entity_iri, expand, split_entity_iri

_INDEX = re.compile(r"-(\d+)$")


def _plain(spec: dict[str, Any], term: Any) -> Any:
    """One RDF term back into the YAML value it came from (None if it is not of this field)."""
    if "x-ref" in spec:
        parts = split_entity_iri(str(term))
        return parts[1] if parts else None
    if "x-enum-rdf" in spec:
        reverse = {str(expand(curie)): value for value, curie in spec["x-enum-rdf"].items()}
        return reverse.get(str(term))
    if "x-iri-prefix" in spec:
        return str(term)[len(spec["x-iri-prefix"]):]
    if spec.get("x-datatype") in ("iri", "date"):
        return str(term)
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        return value
    return str(term)


def _text(graph: Graph, node: URIRef, pred: URIRef) -> dict[str, str] | None:
    out = {lit.language: str(lit) for lit in graph.objects(node, pred) if isinstance(lit, Literal) and lit.language}
    return out or None


class Decompiler:
    def __init__(self, schemas: SchemaSet, graph: Graph) -> None:
        self.schemas = schemas
        self.graph = graph

    def record(self, kind: str, record_id: str) -> dict[str, Any]:
        return self._object(entity_iri(kind, record_id), self.schemas.entity_spec(kind))

    def _object(self, node: URIRef, spec: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, field_spec in self.schemas.properties(spec).items():
            value = self._field(node, field_spec)
            if value is not None:
                out[key] = value
        return out

    def _field(self, node: URIRef, spec: dict[str, Any]) -> Any:
        preds = predicates(spec)
        if not preds:
            return None
        pred = preds[0]
        if spec.get("type") == "array":
            item = self.schemas.item_spec(spec)
            if "x-node" in item:
                children = sorted(
                    (c for c in self.graph.objects(node, pred) if self._is_child(node, c, item)),
                    key=lambda c: int(_INDEX.search(str(c)).group(1)),
                )
                values = [self._node_value(c, item) for c in children]
            else:
                values = sorted(v for v in (_plain(item, t) for t in self.graph.objects(node, pred)) if v is not None)
            return values or None
        if spec.get("x-datatype") == "text":
            return _text(self.graph, node, pred)
        for term in sorted(self.graph.objects(node, pred)):
            value = _plain(spec, term)
            if value is not None:
                return value
        return None

    def _is_child(self, parent: URIRef, child: Any, item: dict[str, Any]) -> bool:
        key = item["x-node"]["key"]
        prefix = f"{parent}{'-' if '#' in parent else '#'}{key}-"
        return str(child).startswith(prefix) and str(child)[len(prefix):].isdigit()

    def _node_value(self, child: URIRef, item: dict[str, Any]) -> Any:
        if item.get("x-datatype") == "text":
            return _text(self.graph, child, RDF.value)
        return self._object(child, item)


def entity_ids(graph: Graph) -> list[tuple[str, str]]:
    """(kind, id) of every entity in the graph that came from a record."""
    from rdflib.namespace import DCTERMS

    out = []
    for subject in set(graph.subjects(DCTERMS.identifier, None)):
        parts = split_entity_iri(str(subject))
        if parts and str(subject).startswith(BASE):
            out.append(parts)
    return sorted(out)
