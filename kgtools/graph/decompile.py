"""Graph → records: the inverse of `compile`, so a test can prove nothing is lost on the way.

It walks the same field plan (`kgtools.graph.plan`) the compiler writes from. Lists of plain
values come back sorted (RDF has no order for them); lists of statement nodes
come back in their original order, which their IRIs keep.
"""

from __future__ import annotations

import re
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kgtools.graph.plan import FieldPlan, GraphPlan, ValuePlan
from kgtools.graph.vocab import BASE, SCHEMA, entity_iri, split_entity_iri
from kgtools.records.schemas import SchemaSet

_INDEX = re.compile(r"-(\d+)$")


def _text(graph: Graph, node: URIRef, pred: URIRef) -> dict[str, str] | None:
    out = {lit.language: str(lit) for lit in graph.objects(node, pred) if isinstance(lit, Literal) and lit.language}
    return out or None


class Decompiler:
    """Reads records back out of a graph by walking the same field plan the compiler wrote from."""

    def __init__(self, schemas: SchemaSet, graph: Graph, plan: GraphPlan | None = None) -> None:
        self.plan = plan or GraphPlan(schemas)
        self.graph = graph

    def record(self, kind: str, record_id: str) -> dict[str, Any]:
        return self._object(entity_iri(kind, record_id), self.plan.entity(kind).fields)

    def _object(self, node: URIRef, fields: dict[str, FieldPlan]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, plan in fields.items():
            value = self._field(node, plan)
            if value is not None and value != plan.default:
                out[key] = value
        return out

    def _field(self, node: URIRef, plan: FieldPlan) -> Any:
        if not plan.predicates:
            return None
        pred, item = plan.predicates[0], plan.item
        if plan.is_list:
            if item.node_id_field is not None:
                children = sorted((c for c in self.graph.objects(node, pred) if str(c).startswith(f"{node}#")),
                                  key=lambda c: int(self.graph.value(c, SCHEMA.position)))
                values = [{item.node_id_field: str(c).split("#", 1)[1], **self._node_value(c, item)} for c in children]
            elif item.node_key is not None:
                children = sorted(
                    (c for c in self.graph.objects(node, pred) if self._is_child(node, c, item.node_key)),
                    key=lambda c: int(_INDEX.search(str(c)).group(1)),
                )
                values = [self._node_value(c, item) for c in children]
            else:
                values = sorted(v for v in (item.value_of(t) for t in self.graph.objects(node, pred)) if v is not None)
            return values or None
        if item.node_key is not None:
            child = next(iter(sorted(self.graph.objects(node, pred))), None)
            return self._node_value(child, item) if child is not None else None
        if item.term_kind == "text":
            return _text(self.graph, node, pred)
        for term in sorted(self.graph.objects(node, pred)):
            value = item.value_of(term)
            if value is not None:
                return value
        return None

    @staticmethod
    def _is_child(parent: URIRef, child: Any, key: str) -> bool:
        prefix = f"{parent}{'-' if '#' in parent else '#'}{key}-"
        return str(child).startswith(prefix) and str(child)[len(prefix):].isdigit()

    def _node_value(self, child: URIRef, item: ValuePlan) -> Any:
        if item.term_kind == "text":
            return _text(self.graph, child, RDF.value)
        return self._object(child, item.fields)


def entity_ids(graph: Graph) -> list[tuple[str, str]]:
    """(kind, id) of every entity in the graph that came from a record."""
    from rdflib.namespace import DCTERMS

    out = []
    for subject in set(graph.subjects(DCTERMS.identifier, None)):
        parts = split_entity_iri(str(subject))
        if parts and str(subject).startswith(BASE):
            out.append(parts)
    return sorted(out)
