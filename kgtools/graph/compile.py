"""Records → RDF triples, walking the field plan made once from the schemas' `x-` annotations.

Simple facts become plain triples; list items that carry qualifiers become
statement nodes (`x-node`) with their own IRIs under the entity
(`…/case/coinbase#uses-1`), and `x-truthy` adds the plain triple beside them,
the way Wikidata pairs truthy triples with full statements. Citations add
`prov:wasDerivedFrom` to the node they back. Statement IRIs are derived from
positions, never from blank nodes, so dumps are deterministic. What each
annotation means is in `kgtools.graph.plan`; terms are `kgtools.graph.terms`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from kgtools.graph.plan import FieldPlan, GraphPlan, ValuePlan
from kgtools.graph.terms import DATE_TYPES, Lit, Term, Triple, gc_paused, new_graph, rdflib_term, to_graph, typed
from kgtools.graph.vocab import PROV, SA, SCHEMA, SKOS, entity_iri
from kgtools.records.loader import Corpus, Record
from kgtools.records.project import CITATION_CHECKS
from kgtools.records.schemas import SchemaSet

XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"

__all__ = ["DATE_TYPES", "Compiler", "Lit", "Term", "Triple", "child_iri", "compile_corpus", "compile_triples",
           "derived_triples", "gc_paused", "new_graph", "rdflib_term", "to_graph", "typed"]


def child_iri(parent: URIRef, key: str, index: int) -> URIRef:
    """The IRI of a statement node: numbered from 1 under its entity, or under its parent node.

    >>> str(child_iri(URIRef("https://w3id.org/stackatlas/case/x"), "uses", 0))
    'https://w3id.org/stackatlas/case/x#uses-1'
    >>> str(child_iri(URIRef("https://w3id.org/stackatlas/case/x#uses-1"), "cite", 1))
    'https://w3id.org/stackatlas/case/x#uses-1-cite-2'
    """
    separator = "-" if "#" in parent else "#"
    return URIRef(f"{parent}{separator}{key}-{index + 1}")


class Compiler:
    """Turns records into triples, appended to `self.triples` in record order."""

    def __init__(self, schemas: SchemaSet, plan: GraphPlan | None = None) -> None:
        self.plan = plan or GraphPlan(schemas)
        self.triples: list[Triple] = []
        self._emit = self.triples.append

    def add_citation_checks(self, record: Record) -> None:
        """Each check of the citation checks file as a `sa:CitationCheck` node `<source>#citation-check`:
        one per source (the newest), so its IRI stays the same from one check to the next."""
        plan = self.plan.list_items(record.kind, "checks")
        for check in record.data["checks"]:
            node = URIRef(f"{entity_iri('source', check['source'])}#citation-check")
            for cls in plan.classes:
                self._emit((node, RDF.type, cls))
            self._object(node, plan.fields, check)

    @property
    def graph(self) -> Graph:
        """The triples so far as an rdflib Graph (built on each call)."""
        return to_graph(self.triples)

    def add_record(self, record: Record) -> URIRef:
        plan = self.plan.entity(record.kind)
        subject = entity_iri(record.kind, record.data["id"])
        for cls in plan.classes:
            self._emit((subject, RDF.type, cls))
        self._object(subject, plan.fields, record.data)
        return subject

    def _object(self, node: URIRef, fields: dict[str, FieldPlan], data: dict[str, Any]) -> None:
        for key, value in data.items():
            self._field(node, fields[key], value, data)

    def _field(self, node: URIRef, plan: FieldPlan, value: Any, siblings: dict[str, Any]) -> None:
        if not plan.is_list:
            self._value(node, plan.predicates, plan.item, value, 0, siblings)
            return
        truthy = plan.truthy
        target = plan.item.fields[truthy[0]] if truthy else None
        for index, element in enumerate(value):
            self._value(node, plan.predicates, plan.item, element, index, siblings)
            if truthy and target is not None and element.get("rank") != "deprecated":
                for term in target.item.terms(element[truthy[0]]):
                    self._emit((node, truthy[1], term))

    def _value(self, node: URIRef, preds: tuple[URIRef, ...], plan: ValuePlan, value: Any, index: int,
               siblings: dict[str, Any]) -> None:
        if plan.node_key is None:
            for term in plan.terms(value, node, siblings):
                for pred in preds:
                    self._emit((node, pred, term))
            return
        if plan.node_id_field:
            child = URIRef(f"{node}#{value[plan.node_id_field]}")
            self._emit((child, SCHEMA.position, typed(index + 1, XSD_INTEGER)))
        else:
            child = child_iri(node, plan.node_key, index)
        for pred in preds:
            self._emit((node, pred, child))
        self._emit((child, RDF.type, plan.node_class))
        if plan.term_kind == "text":
            for term in plan.terms(value):
                self._emit((child, RDF.value, term))
        else:
            self._object(child, plan.fields, value)
        if plan.derived_from:
            for term in plan.fields[plan.derived_from].item.terms(value[plan.derived_from]):
                self._emit((node, PROV.wasDerivedFrom, term))


DOI_RESOLVER = "https://doi.org/"
SYMMETRIC_KINDS = ("technology",)   # record kinds whose fields may be marked `x-symmetric`


def derived_triples(triples: list[Triple], symmetric: frozenset[URIRef] = frozenset()) -> list[Triple]:
    """Triples implied by the records that make queries simpler: inverse SKOS links, top concepts,
    the mirror of every symmetric relation (so `integratesWith` reads the same from either end,
    whichever record listed it) and the resolver IRI of every DOI."""
    in_scheme, doi = SKOS.inScheme, SA.doi    # a namespace's attribute costs a lookup each time: once per call
    broader = [(s, o) for s, p, o in triples if p == SKOS.broader]
    has_broader = {s for s, _ in broader}
    out: list[Triple] = [(parent, SKOS.narrower, concept) for concept, parent in broader]
    for s, p, o in triples:
        if p == in_scheme and s not in has_broader:
            out.append((s, SKOS.topConceptOf, o))
            out.append((o, SKOS.hasTopConcept, s))
        elif p in symmetric and isinstance(o, URIRef):
            out.append((o, p, s))
        elif p == doi and isinstance(o, Lit):
            out.append((s, RDFS.seeAlso, URIRef(DOI_RESOLVER + o.lexical)))
    return out


NOT_STATEMENTS = frozenset({SA.Citation, SA.Section})   # nodes that qualify nothing: a citation, a document's section
# Evidence levels from weakest to strongest, each with the source class that earns it.
EVIDENCE_ORDER = ((SA.SourceDocument, SA.DocumentsOnly), (SA.PublicReference, SA.PublicReferenceEvidence),
                  (SA.VendorCaseStudy, SA.VendorCaseStudyEvidence), (SA.Paper, SA.PaperEvidence))
TRUE = Lit("true", None, "http://www.w3.org/2001/XMLSchema#boolean")


def statement_classes(plan: GraphPlan) -> frozenset[URIRef]:
    """Every class the schemas give a node (`x-node`) except citations and sections: the statement classes.

    Read from the field plan, so a new kind of statement is ranked and graded
    as soon as its schema declares it, with no list to keep in step here.
    """
    return plan.node_classes() - NOT_STATEMENTS


Strength = tuple[int, URIRef]   # a source class's place in EVIDENCE_ORDER and the evidence level it earns
_STRENGTH: dict[Term, Strength] = {cls: (i, level) for i, (cls, level) in enumerate(EVIDENCE_ORDER)}


def source_strengths(triples: list[Triple]) -> dict[Term, Strength]:
    """Each source among `triples` with the evidence its class earns: what `statement_triples` reads of other records."""
    rdf_type = RDF.type
    return {s: _STRENGTH[o] for s, p, o in triples if p == rdf_type and o in _STRENGTH}


def statement_triples(triples: list[Triple], statement_classes: frozenset[URIRef],
                      sources: dict[Term, Strength] | None = None) -> list[Triple]:
    """Rank and evidence for every statement node, so each reading of the claims is one triple pattern.

    A statement without a rank in its record is `sa:NormalRank`. Its evidence
    level is the strongest kind among the sources it cites (its own
    `prov:wasDerivedFrom`), never typed by hand; `sa:publiclyBacked` marks a
    statement that is not deprecated and cites anything besides the seed
    documents, `sa:statedByDocuments` one that cites a seed document.
    `sources` gives the sources' classes when `triples` are one record's
    (`record_triples`); by default they are read from `triples`.
    """
    source_class = source_strengths(triples) if sources is None else sources
    statements: list[URIRef] = []
    ranked: dict[URIRef, Term] = {}
    cited: dict[URIRef, list[Term]] = {}
    rdf_type, rank_of, derived_from = RDF.type, SA.rank, PROV.wasDerivedFrom
    for s, p, o in triples:
        if p == rdf_type:
            if o in statement_classes:
                statements.append(s)
        elif p == rank_of:
            ranked[s] = o
        elif p == derived_from:
            cited.setdefault(s, []).append(o)
    out: list[Triple] = []
    for node in statements:
        rank = ranked.get(node)
        if rank is None:
            out.append((node, SA.rank, SA.NormalRank))
        levels = [source_class[src] for src in cited.get(node, []) if src in source_class]
        if not levels:
            continue
        out.append((node, SA.evidenceLevel, max(levels)[1]))
        if rank != SA.DeprecatedRank and any(i > 0 for i, _ in levels):
            out.append((node, SA.publiclyBacked, TRUE))
        if any(i == 0 for i, _ in levels):
            out.append((node, SA.statedByDocuments, TRUE))
    return out


QUDT_UNIT = "http://qudt.org/vocab/unit/"


def unit_table(schemas: SchemaSet) -> dict[str, dict[str, Any]]:
    """The shared unit table (`x-units` of common.schema.json's `unit`): unit text → QUDT unit, quantity, factor, counted thing."""
    return schemas.documents["common.schema.json"]["$defs"]["unit"].get("x-units", {})


def unit_triples(triples: list[Triple], units: dict[str, dict[str, Any]]) -> list[Triple]:
    """Each figure's unit as data: QUDT unit, quantity kind, what is counted, and its numbers in the base unit.

    Figures compare when they share `sa:quantityKind` and `sa:counts`: tasks/s
    and tasks/day normalise to the same base (per second), while tasks/s and
    requests/s stay apart because they count different things.
    """
    unit_of: dict[URIRef, str] = {}
    numbers: dict[URIRef, list[tuple[URIRef, Lit]]] = {}
    bounds = {SCHEMA.value: SA.normalisedValue, SCHEMA.minValue: SA.normalisedMin, SCHEMA.maxValue: SA.normalisedMax}
    unit_text = SCHEMA.unitText
    for s, p, o in triples:
        if p == unit_text and isinstance(o, Lit):
            unit_of[s] = o.lexical
        elif p in bounds and isinstance(o, Lit):
            numbers.setdefault(s, []).append((p, o))
    out: list[Triple] = []
    for node, text in unit_of.items():
        entry = units.get(text)
        if entry is None:
            continue
        if entry.get("code"):
            out.append((node, SCHEMA.unitCode, URIRef(QUDT_UNIT + entry["code"])))
        out.append((node, SA.quantityKind, SA[entry["quantity"]]))
        out.append((node, SA.baseUnit, URIRef(QUDT_UNIT + entry["base"])))
        if entry.get("counts"):
            out.append((node, SA.counts, Lit(entry["counts"])))
        factor = Decimal(repr(entry.get("factor", 1)))
        per = Decimal(repr(entry.get("per_seconds", 1)))
        for predicate, literal in numbers.get(node, []):
            exact = Decimal(literal.lexical) * factor / per     # decimal arithmetic: 28 significant digits
            normal = format(round(exact, 9).normalize(), "f")
            out.append((node, bounds[predicate], Lit(normal, None, XSD_DECIMAL)))
    return out


def compile_triples(corpus: Corpus, schemas: SchemaSet) -> list[Triple]:
    """The whole corpus as distinct triples (records must have passed `kg check`)."""
    compiler = Compiler(schemas)
    with gc_paused():
        for record in sorted(corpus.records, key=lambda r: (r.kind, r.id)):
            if record.kind == CITATION_CHECKS:
                compiler.add_citation_checks(record)
            else:
                compiler.add_record(record)
        compiler.triples.extend(derived_triples(compiler.triples, compiler.plan.symmetric_predicates(SYMMETRIC_KINDS)))
        compiler.triples.extend(statement_triples(compiler.triples, statement_classes(compiler.plan)))
        compiler.triples.extend(unit_triples(compiler.triples, unit_table(schemas)))
        return list(dict.fromkeys(compiler.triples))


def compile_corpus(corpus: Corpus, schemas: SchemaSet) -> Graph:
    """The whole corpus as an rdflib Graph."""
    return to_graph(compile_triples(corpus, schemas))
