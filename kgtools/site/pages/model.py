"""What the site shows, read from the graph with a handful of SPARQL queries and indexed once.

Each page module asks this model, never the store, so the queries run once per
build however many pages there are (a query per page would dominate the build
at the corpus sizes in PERFORMANCE.md). Entities are the records' IRIs;
statement nodes (`…/case/x#uses-1`) and their citations are grouped under the
entity that owns them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from kgtools.graph.vocab import BASE, split_entity_iri
from kgtools.insights.stats import collect_stats
from kgtools.query.engine import PREFIX_IRIS
from kgtools.records.project import read_input
from kgtools.site.pages.i18n import INVERSE, LANGS, REUSED
from kgtools.site.pages.staleness import Clock, build_date
from kgtools.site.pages.units import Units, load_units

SA = PREFIX_IRIS["sa"]
SKOS = PREFIX_IRIS["skos"]
RDF_TYPE = PREFIX_IRIS["rdf"] + "type"
RDF_VALUE = PREFIX_IRIS["rdf"] + "value"
PREF_LABEL = SKOS + "prefLabel"
ALT_LABEL = SKOS + "altLabel"
RDFS_LABEL = PREFIX_IRIS["rdfs"] + "label"
DESCRIPTION = PREFIX_IRIS["dcterms"] + "description"
DC_TITLE = PREFIX_IRIS["dcterms"] + "title"
DC_SOURCE = PREFIX_IRIS["dcterms"] + "source"
SCHEMA_POSITION = PREFIX_IRIS["schema"] + "position"
DERIVED = PREFIX_IRIS["prov"] + "wasDerivedFrom"
IN_SCHEME = SKOS + "inScheme"
BROADER = SKOS + "broader"
SCHEME_CLASS = SKOS + "ConceptScheme"
PUBLIC_KINDS = {SA + "PublicReference", SA + "VendorCaseStudy", SA + "Paper"}
SOURCE_KINDS = (SA + "SourceDocument", SA + "PublicReference", SA + "VendorCaseStudy", SA + "Paper")
# Predicates shown in the title block, not as facts.
LABEL_PREDICATES = {PREF_LABEL, RDFS_LABEL, ALT_LABEL, DESCRIPTION, DC_TITLE}
# Relations the compiler derives from others (`add_derived`): drawn once, not twice, in graph views.
DERIVED_INVERSES = {SKOS + "narrower", SKOS + "hasTopConcept", SKOS + "topConceptOf"}
# Incoming links that only repeat an outgoing list of the same page.
MATERIALISED_INVERSES = DERIVED_INVERSES | {BROADER}

Q_ENTITY_TYPES = f"""
SELECT ?e ?class WHERE {{
  ?e a ?class .
  FILTER(STRSTARTS(STR(?e), "{BASE}") && !CONTAINS(STR(?e), "#"))
}}"""

Q_ENTITY_LITERALS = f"""
SELECT ?e ?p ?o WHERE {{
  ?e ?p ?o .
  FILTER(isLiteral(?o) && STRSTARTS(STR(?e), "{BASE}") && !CONTAINS(STR(?e), "#"))
}}"""

Q_ENTITY_LINKS = f"""
SELECT ?e ?p ?o WHERE {{
  ?e ?p ?o .
  FILTER(isIRI(?o) && ?p != rdf:type && STRSTARTS(STR(?e), "{BASE}") && !CONTAINS(STR(?e), "#"))
}}"""

Q_NODE_TRIPLES = f"""
SELECT ?n ?p ?o WHERE {{
  ?n ?p ?o .
  FILTER(STRSTARTS(STR(?n), "{BASE}") && CONTAINS(STR(?n), "#") && !STRSTARTS(STR(?n), "{SA}"))
}}"""

Q_VOCAB_LABELS = """
SELECT ?term ?label WHERE { ?term rdfs:label ?label }
"""


@dataclass(frozen=True)
class Lit:
    """A literal as the page needs it: its text, language tag and datatype."""

    value: str
    lang: str | None = None
    datatype: str | None = None

    def number(self) -> Decimal | None:
        try:
            return Decimal(self.value)
        except InvalidOperation:
            return None


Term = str | Lit  # an IRI is a plain str


@dataclass
class Entity:
    iri: str
    kind: str
    id: str
    classes: set[str] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    descriptions: dict[str, str] = field(default_factory=dict)
    facts: list[tuple[str, Lit]] = field(default_factory=list)
    external: list[tuple[str, str]] = field(default_factory=list)

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or next(iter(self.labels.values()), self.id)

    def description(self, lang: str) -> str:
        return self.descriptions.get(lang) or next(iter(self.descriptions.values()), "")

    @property
    def is_scheme(self) -> bool:
        return SCHEME_CLASS in self.classes

    @property
    def type_key(self) -> str:
        """`kind.<…>` key naming what this is, schemes apart from concepts."""
        return "scheme" if self.is_scheme else self.kind


@dataclass
class Citation:
    iri: str
    source: str
    locator: str
    section: str = ""        # the seed document's section node, when the citation names one


@dataclass
class Statement:
    """A qualified fact node: a usage, figure, rating, note…, with its citations."""

    iri: str
    owner: str
    via: str
    cls: str
    props: dict[str, list[Term]] = field(default_factory=dict)
    citations: list[Citation] = field(default_factory=list)
    reason: Statement | None = None     # for a ranked statement: the note saying why (sa:rankReason)

    @property
    def deprecated(self) -> bool:
        return self.one(SA + "rank") == SA + "DeprecatedRank"

    def one(self, predicate: str) -> Term | None:
        values = self.props.get(predicate)
        return values[0] if values else None

    def iri_of(self, predicate: str) -> str | None:
        value = self.one(predicate)
        return value if isinstance(value, str) else None

    def iris(self, predicate: str) -> list[str]:
        return sorted(v for v in self.props.get(predicate, []) if isinstance(v, str))

    def text(self, predicate: str, lang: str) -> str:
        values = [v for v in self.props.get(predicate, []) if isinstance(v, Lit)]
        for value in values:
            if value.lang == lang:
                return value.value
        return values[0].value if values else ""

    @property
    def index(self) -> int:
        """Position in its list (`#m-3` → 3), so statements keep their record order."""
        tail = self.iri.rsplit("-", 1)[-1]
        return int(tail) if tail.isdigit() else 0


@dataclass
class SiteModel:
    entities: dict[str, Entity]
    outgoing: dict[str, list[tuple[str, str]]]
    incoming: dict[str, list[tuple[str, str]]]
    statements: dict[str, list[Statement]]           # by owner
    mentions: dict[str, list[Statement]]             # by entity a statement refers to
    entity_citations: dict[str, list[Citation]]      # citations on the entity itself
    citations_of_source: dict[str, list[tuple[str, Citation]]]  # source → (owner, citation)
    vocab_labels: dict[str, dict[str, str]]
    source_kind: dict[str, str]                      # source IRI → its kind class
    statement_by_iri: dict[str, Statement]
    sections: dict[str, tuple[int, str]]             # section IRI → (place in its document, "3.1.1 title")
    store: ox.Store                                  # for the pages that are one SPARQL query each
    stats: dict[str, object] = field(default_factory=dict)
    clock: Clock = field(default_factory=lambda: Clock(None))  # the build's date, for "possibly stale" marks
    citation_checks: dict[str, Statement] = field(default_factory=dict)   # source IRI → its newest check (kg cite-check)
    units: Units = field(default_factory=Units)      # display names of units per language (the shared unit table)

    # -- lookups -----------------------------------------------------------------

    def of_kind(self, kind: str) -> list[Entity]:
        return [e for e in self.entities.values() if e.kind == kind]

    def sorted(self, entities: list[Entity] | set[str] | list[str], lang: str) -> list[Entity]:
        items = [self.entities[e] if isinstance(e, str) else e for e in entities]
        items = [e for e in items if e is not None]
        return sorted(items, key=lambda e: (e.label(lang).casefold(), e.id))

    def label(self, iri: str, lang: str) -> str:
        entity = self.entities.get(iri)
        if entity:
            return entity.label(lang)
        names = self.vocab_labels.get(iri)
        if names:
            return names.get(lang) or next(iter(names.values()))
        reused = REUSED.get(iri)
        if reused:
            return reused[0] if lang == "zh" else reused[1]
        return short_name(iri)

    def inverse_label(self, predicate: str, lang: str) -> str:
        local = predicate[len(SA):] if predicate.startswith(SA) else None
        if local in INVERSE:
            zh, en = INVERSE[local]
            return zh if lang == "zh" else en
        reused = REUSED.get(predicate)
        if reused and reused[2]:
            return reused[2] if lang == "zh" else reused[3]
        forward = self.label(predicate, lang)
        return f"{forward}（反向）" if lang == "zh" else f"{forward} (incoming)"

    def targets(self, iri: str, predicate: str) -> list[str]:
        return [o for p, o in self.outgoing.get(iri, []) if p == predicate]

    def sources_of(self, iri: str, predicate: str) -> list[str]:
        return [s for p, s in self.incoming.get(iri, []) if p == predicate]

    def scheme_members(self, scheme: str) -> list[str]:
        return self.sources_of(scheme, IN_SCHEME)

    def claim_of(self, citation: Citation) -> Statement | None:
        """The statement a citation backs, or None when it backs the entity's record as a whole."""
        return self.statement_by_iri.get(citation.iri.rsplit("-cite-", 1)[0])

    def is_public(self, citations: list[Citation]) -> bool:
        return any(self.source_kind.get(c.source) in PUBLIC_KINDS for c in citations)


def short_name(iri: str) -> str:
    for prefix, namespace in PREFIX_IRIS.items():
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _term(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> Term:
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if term.datatype else None
        return Lit(term.value, term.language, datatype)
    return term.value


def _rows(store: ox.Store, query: str) -> list[tuple[Term, ...]]:
    result = store.query(query, prefixes=PREFIX_IRIS)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [tuple(_term(row[n]) for n in names) for row in result]


def _read_entities(store: ox.Store) -> dict[str, Entity]:
    entities: dict[str, Entity] = {}
    for iri, cls in _rows(store, Q_ENTITY_TYPES):
        assert isinstance(iri, str) and isinstance(cls, str)
        parts = split_entity_iri(iri)
        if not parts:
            continue
        entity = entities.setdefault(iri, Entity(iri, parts[0], parts[1]))
        entity.classes.add(cls)
    for iri, predicate, value in _rows(store, Q_ENTITY_LITERALS):
        entity = entities.get(iri)  # type: ignore[arg-type]
        if entity is None or not isinstance(value, Lit):
            continue
        if predicate == PREF_LABEL and value.lang in LANGS:
            entity.labels[value.lang] = value.value
        elif predicate == ALT_LABEL:
            entity.aliases.append(value.value)
        elif predicate == DESCRIPTION and value.lang in LANGS:
            entity.descriptions[value.lang] = value.value
        elif predicate not in LABEL_PREDICATES:
            entity.facts.append((str(predicate), value))
    for entity in entities.values():
        entity.aliases.sort(key=str.casefold)
        entity.facts.sort(key=lambda f: (f[0], f[1].value))
    return entities


def _read_statements(store: ox.Store, entities: dict[str, Entity]) -> dict[str, Statement | Citation]:
    """Every fragment node (statement or citation) with its properties."""
    props: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
    for node, predicate, value in _rows(store, Q_NODE_TRIPLES):
        props[str(node)][str(predicate)].append(value)
    nodes: dict[str, Statement | Citation] = {}
    for iri, values in props.items():
        owner = iri.split("#", 1)[0]
        if owner not in entities:
            continue
        classes = [c for c in values.get(RDF_TYPE, []) if isinstance(c, str)]
        if SA + "Citation" in classes:
            source = values.get(DC_SOURCE, [""])[0]
            locator = values.get(SA + "locator", [Lit("")])[0]
            section = values.get(SA + "section", [""])[0]
            nodes[iri] = Citation(iri, str(source), locator.value if isinstance(locator, Lit) else "",
                                  section if isinstance(section, str) else "")
        else:
            cls = classes[0] if classes else SA + "Statement"
            nodes[iri] = Statement(iri, owner, "", cls, {p: sorted(v, key=_sort_key) for p, v in values.items()})
    for node in nodes.values():
        if isinstance(node, Statement):
            node.citations = [n for c in node.iris(SA + "citation") if isinstance(n := nodes.get(c), Citation)]
            reason = nodes.get(node.iri_of(SA + "rankReason") or "")
            node.reason = reason if isinstance(reason, Statement) else None
    return nodes


def _sections(nodes: dict[str, Statement | Citation]) -> dict[str, tuple[int, str]]:
    """Each seed-document section: its place in the document, and its number and title as the page shows them.

    An unnumbered heading ("性能指标") is shown under its nearest numbered parent
    ("1.1 Coinbase - 跨境加密支付 · 性能指标"), since on its own it would be ambiguous.
    """
    found = {iri: node for iri, node in nodes.items() if isinstance(node, Statement) and node.cls == SA + "Section"}

    def own(node: Statement) -> tuple[str, str]:
        number, title = node.one(SA + "sectionNumber"), node.one(DC_TITLE)
        return (number.value if isinstance(number, Lit) else "", title.value if isinstance(title, Lit) else "")

    def label(iri: str, depth: int = 0) -> str:
        node = found[iri]
        number, title = own(node)
        parent = node.iri_of(SA + "parentSection")
        if number or parent not in found or depth > 10:
            return f"{number} {title}".strip()
        return f"{label(parent, depth + 1)} · {title}"

    out: dict[str, tuple[int, str]] = {}
    for iri, node in found.items():
        position = node.one(SCHEMA_POSITION)
        out[iri] = (int(position.value) if isinstance(position, Lit) else 0, label(iri))
    return out


def _sort_key(term: Term) -> tuple[int, str]:
    return (0, term) if isinstance(term, str) else (1, f"{term.lang or ''}{term.value}")


def _vocab_labels(ontology: Path) -> dict[str, dict[str, str]]:
    store = ox.Store()
    store.bulk_load(read_input(ontology.parents[1], ontology), format=ox.RdfFormat.TURTLE)  # only a file of the checkout
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for term, label in _rows(store, Q_VOCAB_LABELS):
        if isinstance(label, Lit) and label.lang:
            labels[str(term)][label.lang] = label.value
    return dict(labels)


def load_model(store: ox.Store, ontology: Path) -> SiteModel:
    """Read everything the pages need from `store` (the graph) and the ontology file (labels of terms)."""
    entities = _read_entities(store)
    nodes = _read_statements(store, entities)
    outgoing: dict[str, list[tuple[str, str]]] = defaultdict(list)
    incoming: dict[str, list[tuple[str, str]]] = defaultdict(list)
    statements: dict[str, list[Statement]] = defaultdict(list)
    entity_citations: dict[str, list[Citation]] = defaultdict(list)
    for subject, predicate, obj in _rows(store, Q_ENTITY_LINKS):
        subject, predicate, obj = str(subject), str(predicate), str(obj)
        if subject not in entities:
            continue
        if obj in entities:
            outgoing[subject].append((predicate, obj))
            incoming[obj].append((predicate, subject))
        elif obj in nodes:
            node = nodes[obj]
            if isinstance(node, Citation):
                entity_citations[subject].append(node)
            else:
                node.via = predicate
                statements[subject].append(node)
        elif "#" not in obj:
            entities[subject].external.append((predicate, obj))
    mentions: dict[str, list[Statement]] = defaultdict(list)
    citations_of_source: dict[str, list[tuple[str, Citation]]] = defaultdict(list)
    for owner, items in statements.items():
        items.sort(key=lambda s: (s.via, s.index, s.iri))
        for statement in items:
            referred = {v for p, vs in statement.props.items() if p not in (RDF_TYPE, SA + "citation", DERIVED)
                        for v in vs if isinstance(v, str) and v in entities and v != owner}
            for iri in referred:
                mentions[iri].append(statement)
            for citation in statement.citations:
                citations_of_source[citation.source].append((owner, citation))
    for owner, citations in entity_citations.items():
        citations.sort(key=lambda c: c.iri)
        for citation in citations:
            citations_of_source[citation.source].append((owner, citation))
    for links in (outgoing, incoming):
        for items in links.values():
            items.sort()
    for entity in entities.values():
        entity.external.sort()
    source_kind = {iri: next((k for k in SOURCE_KINDS if k in e.classes), SA + "Source")
                   for iri, e in entities.items() if e.kind == "source"}
    return SiteModel(
        entities=entities,
        outgoing=dict(outgoing),
        incoming=dict(incoming),
        statements=dict(statements),
        mentions=dict(mentions),
        entity_citations=dict(entity_citations),
        citations_of_source=dict(citations_of_source),
        vocab_labels=_vocab_labels(ontology),
        source_kind=source_kind,
        statement_by_iri={s.iri: s for items in statements.values() for s in items},
        sections=_sections(nodes),
        store=store,
        stats=collect_stats(store),
        clock=Clock(build_date(store)),
        citation_checks={check.iri_of(SA + "checkOf") or "": check for check in nodes.values()
                         if isinstance(check, Statement) and check.cls == SA + "CitationCheck"},
        units=load_units(ontology.parent / "schemas"),
    )
