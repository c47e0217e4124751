"""Records → RDF triples, driven by the schemas' `x-` annotations.

Simple facts become plain triples; list items that carry qualifiers become
statement nodes (`x-node`) with their own IRIs under the entity
(`…/case/coinbase#uses-1`), and `x-truthy` adds the plain triple beside them,
the way Wikidata pairs truthy triples with full statements. Citations add
`prov:wasDerivedFrom` to the node they back. Statement IRIs are derived from
positions, never from blank nodes, so dumps are deterministic.

The compiler appends plain tuples to a list instead of adding to an rdflib
Graph: at 40,000 records the Graph's indexes and per-triple events were most
of the compile time, and the dumps need only text. Literals are `Lit` tuples
whose lexical form is the one rdflib writes, so `to_graph` gives the same
graph as compiling into rdflib directly, for the stages (SHACL, diff, the
round-trip test) that need one.
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, NamedTuple

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kgtools.loader import Corpus, Record
from kgtools.schemas import SchemaSet
from kgtools.vocab import PREFIXES, PROV, SKOS, entity_iri, expand

DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


class Lit(NamedTuple):
    """A literal as its N-Triples parts: lexical form, language tag or datatype IRI (never both)."""

    lexical: str
    lang: str | None = None
    datatype: str | None = None


Term = URIRef | Lit
Triple = tuple[URIRef, URIRef, Term]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector while building millions of acyclic tuples.

    Each full collection walks every live object, so at 40,000 records the
    collector's passes made compiling grow faster than the corpus.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@functools.lru_cache(maxsize=1 << 16)
def _typed(kind: type, value: Any, datatype: str | None) -> Lit:
    """A typed literal with rdflib's lexical form (cached: numbers and dates repeat)."""
    literal = Literal(value, datatype=URIRef(datatype) if datatype else None)
    return Lit(str(literal), None, str(literal.datatype) if literal.datatype else None)


def typed(value: Any, datatype: str | None = None) -> Lit:
    return _typed(type(value), value, datatype)


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def rdflib_term(term: Term) -> URIRef | Literal:
    if isinstance(term, Lit):
        return Literal(term.lexical, lang=term.lang, datatype=URIRef(term.datatype) if term.datatype else None)
    return term


def to_graph(triples: list[Triple]) -> Graph:
    """The triples as an rdflib Graph (with the project's prefixes bound)."""
    graph = new_graph()
    graph.addN((s, p, rdflib_term(o), graph) for s, p, o in triples)
    return graph


@functools.cache
def _expand_all(curies: tuple[str, ...]) -> tuple[URIRef, ...]:
    return tuple(expand(c) for c in curies)


def predicates(spec: dict[str, Any]) -> list[URIRef]:
    curies = spec.get("x-rdf", [])
    return list(_expand_all((curies,) if isinstance(curies, str) else tuple(curies)))


def terms(spec: dict[str, Any], value: Any) -> list[Term]:
    """The RDF terms one field value becomes."""
    if spec.get("x-datatype") == "text":
        return [Lit(value["zh"], "zh"), Lit(value["en"], "en")]
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
        return [typed(value, DATE_TYPES[len(value)])]
    if isinstance(value, bool):
        return [typed(value)]
    if isinstance(value, int) and spec.get("type") == "integer":
        return [typed(value, XSD.integer)]
    if isinstance(value, (int, float)):
        return [typed(Decimal(repr(value)) if isinstance(value, float) else Decimal(value), XSD.decimal)]
    return [Lit(str(value))]


def child_iri(parent: URIRef, key: str, index: int) -> URIRef:
    separator = "-" if "#" in parent else "#"
    return URIRef(f"{parent}{separator}{key}-{index + 1}")


class Compiler:
    """Turns records into triples, appended to `self.triples` in record order."""

    def __init__(self, schemas: SchemaSet) -> None:
        self.schemas = schemas
        self.triples: list[Triple] = []
        self._emit = self.triples.append

    @property
    def graph(self) -> Graph:
        """The triples so far as an rdflib Graph (built on each call)."""
        return to_graph(self.triples)

    def add_record(self, record: Record) -> URIRef:
        spec = self.schemas.entity_spec(record.kind)
        subject = entity_iri(record.kind, record.data["id"])
        for cls in spec.get("x-class", []):
            self._emit((subject, RDF.type, expand(cls)))
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
                        self._emit((node, expand(truthy["predicate"]), term))
        else:
            self._value(node, preds, spec, value, 0)

    def _value(self, node: URIRef, preds: list[URIRef], spec: dict[str, Any], value: Any, index: int) -> None:
        shape = spec.get("x-node")
        if shape is None:
            for term in terms(spec, value):
                for pred in preds:
                    self._emit((node, pred, term))
            return
        child = child_iri(node, shape["key"], index)
        for pred in preds:
            self._emit((node, pred, child))
        self._emit((child, RDF.type, expand(shape["class"])))
        if spec.get("x-datatype") == "text":
            for term in terms(spec, value):
                self._emit((child, RDF.value, term))
        else:
            self._object(child, spec, value)
        derived = spec.get("x-derived-from")
        if derived:
            source_spec = self.schemas.properties(spec)[derived]
            for term in terms(source_spec, value[derived]):
                self._emit((node, PROV.wasDerivedFrom, term))


def derived_triples(triples: list[Triple]) -> list[Triple]:
    """Triples implied by the records that make queries simpler: inverse SKOS links, top concepts."""
    broader = [(s, o) for s, p, o in triples if p == SKOS.broader]
    has_broader = {s for s, _ in broader}
    out: list[Triple] = [(parent, SKOS.narrower, concept) for concept, parent in broader]
    for s, p, o in triples:
        if p == SKOS.inScheme and s not in has_broader:
            out.append((s, SKOS.topConceptOf, o))
            out.append((o, SKOS.hasTopConcept, s))
    return out


def compile_triples(corpus: Corpus, schemas: SchemaSet) -> list[Triple]:
    """The whole corpus as distinct triples (records must have passed `kg check`)."""
    compiler = Compiler(schemas)
    with gc_paused():
        for record in sorted(corpus.records, key=lambda r: (r.kind, r.id)):
            compiler.add_record(record)
        compiler.triples.extend(derived_triples(compiler.triples))
        return list(dict.fromkeys(compiler.triples))


def compile_corpus(corpus: Corpus, schemas: SchemaSet) -> Graph:
    """The whole corpus as an rdflib Graph."""
    return to_graph(compile_triples(corpus, schemas))
