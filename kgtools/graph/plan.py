"""The schemas' `x-` annotations read once into a plan: for each field, which predicates, which kind of term, which statement node.

The compiler (records → triples) and its inverse (triples → records) both
walk this plan instead of interpreting the annotations again for every value
of every record, so the two cannot read an annotation differently.

| annotation | meaning in the plan |
|---|---|
| `x-class` | the entity's `rdf:type`s |
| `x-rdf` | the field's predicates (the first is the one read back) |
| `x-datatype: text` | a `{zh, en}` pair of language-tagged literals |
| `x-datatype: iri` / `date` | an IRI / an `xsd:gYear`, `gYearMonth` or `date` literal |
| `x-ref` | an entity IRI of that kind (`scheme` is a concept) |
| `x-enum-rdf` | a fixed IRI per allowed value |
| `x-iri-prefix` | an IRI made by prefixing the value |
| `x-node` | each item becomes a statement node `…#<key>-<n>` of a class |
| `x-truthy` | beside each statement node, a plain triple to one of its fields, unless its rank is deprecated |
| `x-derived-from` | the node's parent gets `prov:wasDerivedFrom` that field's value |
| `x-node.id-field` | the node's IRI is `<entity>#<that field's value>` (stable, not positional), with `schema:position` for its order |
| `x-local-ref` | an IRI `<entity>#<value>`: another node of the same entity (a section's parent) |
| `x-section-of` | an IRI `<source>#<value>`, the source named by that sibling field (a citation's section) |
| `x-lang` | a plain string written in that language, as a language-tagged literal |
| `x-symmetric` | a relation that holds both ways: the graph also gets the mirrored triple |

>>> from kgtools.records.project import find_project
>>> from kgtools.records.schemas import SchemaSet
>>> plan = GraphPlan(SchemaSet.load(find_project().schemas)).entity("case")
>>> stack = plan.fields["stack"]
>>> stack.is_list, stack.item.node_key, stack.truthy[1]
(True, 'uses', rdflib.term.URIRef('https://w3id.org/stackatlas/ontology#uses'))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kgtools.graph.terms import DATE_TYPES, Lit, Term, typed
from kgtools.graph.vocab import entity_iri, expand, split_entity_iri
from kgtools.records.project import KINDS
from kgtools.records.schemas import SchemaSet


@dataclass
class ValuePlan:
    """How one value (a scalar, a `{zh, en}` text or an object) becomes RDF terms, and back."""

    term_kind: str                      # text | ref | enum | prefixed | iri | date | local | section | lang | scalar
    integer: bool = False               # `type: integer`: whole numbers as xsd:integer
    ref_kind: str | None = None
    enum: dict[str, URIRef] = field(default_factory=dict)
    enum_values: dict[str, str] = field(default_factory=dict)   # IRI → value, the inverse of `enum`
    iri_prefix: str | None = None
    node_key: str | None = None         # set when each value is a statement node
    node_class: URIRef | None = None
    node_id_field: str | None = None    # the field whose value names the node (`#s3.1.1`) instead of its position
    lang: str | None = None
    section_of: str | None = None       # the sibling field naming the source whose section this is
    derived_from: str | None = None
    fields: dict[str, FieldPlan] = field(default_factory=dict)   # an object's own fields

    def terms(self, value: Any, node: URIRef | None = None, siblings: dict[str, Any] | None = None) -> list[Term]:
        """The RDF terms one value becomes (the compiler's direction); `node` and `siblings` give local context."""
        kind = self.term_kind
        if kind == "local":
            return [URIRef(f"{str(node).split('#', 1)[0]}#{value}")]
        if kind == "section":
            return [URIRef(f"{entity_iri('source', (siblings or {})[self.section_of or ''])}#{value}")]
        if kind == "lang":
            return [Lit(str(value), self.lang)]
        if kind == "text":
            return [Lit(value["zh"], "zh"), Lit(value["en"], "en")]
        if kind == "ref":
            return [entity_iri(self.ref_kind or "", value)]
        if kind == "enum":
            return [self.enum[value]]
        if kind == "prefixed":
            return [URIRef((self.iri_prefix or "") + value)]
        if kind == "iri":
            return [URIRef(value)]
        if kind == "date":
            return [typed(value, DATE_TYPES[len(value)])]
        if isinstance(value, bool):
            return [typed(value)]
        if isinstance(value, int) and self.integer:
            return [typed(value, XSD.integer)]
        if isinstance(value, (int, float)):
            return [typed(Decimal(repr(value)) if isinstance(value, float) else Decimal(value), XSD.decimal)]
        return [Lit(str(value))]

    def value_of(self, term: Any) -> Any:
        """The YAML value a term came from, or None if the term is not of this field (the inverse's direction)."""
        kind = self.term_kind
        if kind in ("local", "section"):
            return str(term).split("#", 1)[1] if "#" in str(term) else None
        if kind == "ref":
            parts = split_entity_iri(str(term))
            return parts[1] if parts else None
        if kind == "enum":
            return self.enum_values.get(str(term))
        if kind == "prefixed":
            return str(term)[len(self.iri_prefix or ""):]
        if kind in ("iri", "date"):
            return str(term)
        if isinstance(term, Literal):
            value = term.toPython()
            if isinstance(value, Decimal):
                return int(value) if value == value.to_integral_value() else float(value)
            return value
        return str(term)


@dataclass
class FieldPlan:
    """One field of a record or of a statement node."""

    name: str
    predicates: tuple[URIRef, ...]
    is_list: bool
    item: ValuePlan                                   # the plan of the value, or of each list item
    truthy: tuple[str, URIRef] | None = None          # (item field, predicate) for the plain triple
    default: Any = None                               # the schema's `default`: implied when absent, so never read back
    symmetric: bool = False                           # `x-symmetric`: the graph also holds the mirrored triple


@dataclass
class EntityPlan:
    kind: str
    classes: tuple[URIRef, ...]
    fields: dict[str, FieldPlan]


class GraphPlan:
    """Every kind's plan, built from a `SchemaSet` once and shared by compiler and decompiler."""

    def __init__(self, schemas: SchemaSet) -> None:
        self.schemas = schemas
        self._entities: dict[str, EntityPlan] = {}
        self._objects: dict[int, dict[str, FieldPlan]] = {}

    def entity(self, kind: str) -> EntityPlan:
        plan = self._entities.get(kind)
        if plan is None:
            spec = self.schemas.entity_spec(kind)
            classes = tuple(expand(c) for c in spec.get("x-class", []))
            plan = self._entities[kind] = EntityPlan(kind, classes, self._object_fields(spec))
        return plan

    def list_items(self, kind: str, name: str) -> EntityPlan:
        """The plan of each item of the list field `name` of a `kind` file whose items are the entities
        (the check files: `checks` of `citation-checks`), with the item schema's `x-class`."""
        spec = self.schemas.properties(self.schemas.entity_spec(kind))[name]
        item = self.schemas.item_spec(spec)
        return EntityPlan(kind, tuple(expand(c) for c in item.get("x-class", [])), self._object_fields(item))

    def symmetric_predicates(self, kinds: tuple[str, ...]) -> frozenset[URIRef]:
        """The predicate of every record-level field marked `x-symmetric` in these kinds."""
        return frozenset(plan.predicates[0] for kind in kinds for plan in self.entity(kind).fields.values()
                         if plan.symmetric and plan.predicates)

    def node_classes(self) -> frozenset[URIRef]:
        """The class of every node (`x-node`) any record kind can have."""
        found: set[URIRef] = set()
        seen: set[int] = set()

        def visit(fields: dict[str, FieldPlan]) -> None:
            if id(fields) in seen:
                return
            seen.add(id(fields))
            for field_plan in fields.values():
                if field_plan.item.node_class is not None:
                    found.add(field_plan.item.node_class)
                visit(field_plan.item.fields)

        for kind in KINDS:
            visit(self.entity(kind).fields)
        return frozenset(found)

    def _object_fields(self, spec: dict[str, Any]) -> dict[str, FieldPlan]:
        key = id(spec)
        fields = self._objects.get(key)
        if fields is None:
            fields = self._objects[key] = {}    # registered before filling, so a recursive schema terminates
            for name, child in self.schemas.properties(spec).items():
                fields[name] = self._field(name, child)
        return fields

    def _field(self, name: str, spec: dict[str, Any]) -> FieldPlan:
        curies = spec.get("x-rdf", [])
        predicates = tuple(expand(c) for c in ([curies] if isinstance(curies, str) else curies))
        is_list = spec.get("type") == "array"
        item_spec = self.schemas.item_spec(spec) if is_list else spec
        item = self._value(item_spec)
        truthy = spec.get("x-truthy")
        return FieldPlan(name, predicates, is_list, item,
                         (truthy["field"], expand(truthy["predicate"])) if truthy else None, spec.get("default"),
                         bool(spec.get("x-symmetric")))

    def _value(self, spec: dict[str, Any]) -> ValuePlan:
        datatype = spec.get("x-datatype")
        plan = ValuePlan("scalar", integer=spec.get("type") == "integer")
        if datatype == "text":
            plan.term_kind = "text"
        elif "x-ref" in spec:
            plan.term_kind, plan.ref_kind = "ref", "concept" if spec["x-ref"] == "scheme" else spec["x-ref"]
        elif "x-enum-rdf" in spec:
            plan.term_kind, plan.enum = "enum", {value: expand(curie) for value, curie in spec["x-enum-rdf"].items()}
            plan.enum_values = {str(iri): value for value, iri in plan.enum.items()}
        elif "x-iri-prefix" in spec:
            plan.term_kind, plan.iri_prefix = "prefixed", spec["x-iri-prefix"]
        elif datatype in ("iri", "date"):
            plan.term_kind = datatype
        elif spec.get("x-local-ref"):
            plan.term_kind = "local"
        elif "x-section-of" in spec:
            plan.term_kind, plan.section_of = "section", spec["x-section-of"]
        elif "x-lang" in spec:
            plan.term_kind, plan.lang = "lang", spec["x-lang"]
        shape = spec.get("x-node")
        if shape is not None:
            plan.node_key, plan.node_class = shape["key"], expand(shape["class"])
            plan.node_id_field = shape.get("id-field")
            plan.derived_from = spec.get("x-derived-from")
        if spec.get("type") == "object" or "properties" in spec:
            plan.fields = self._object_fields(spec)
        return plan
