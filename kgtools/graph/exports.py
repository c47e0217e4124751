"""The graph for people who do not speak RDF: a CSV per record kind and a static JSON API.

Both are cut from the published N-Triples in one pass, so they say exactly
what the dumps say. Paths are relative to the site root, where the site
build publishes them:

    downloads/csv/<kind>.csv        one row per entity of the kind
    api/index.json                  the kinds and categories, with counts and paths
    api/<kind>/index.json           every entity of a kind: id, IRI, labels, path of its JSON
    api/<kind>/<id>.json            one entity: every triple of it and of its statement nodes
    api/category/index.json         every technology category, with counts
    api/category/<id>.json          the technologies in one category

An entity is a subject `https://w3id.org/stackatlas/<kind>/<id>` with a
`dcterms:identifier`. In CSV, references to entities read `kind/id`, other
IRIs stay whole, several values share a cell joined by " | " (sorted), and a
column is named by the predicate's CURIE (with `@lang` for language-tagged
text); links to an entity's own statement nodes are left to the JSON.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgtools import __version__
from kgtools.graph.vocab import BASE, PREFIXES, SA, split_entity_iri
from kgtools.graph.void import LICENCE
from kgtools.records.project import KINDS

IDENTIFIER = "http://purl.org/dc/terms/identifier"
DESCRIPTION = "http://purl.org/dc/terms/description"
PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
CATEGORY = str(SA.category)
LANGS = ("zh", "en")
CSV_DIR = "downloads/csv"
API_DIR = "api"
FIXED = ["id", "iri", *(f"label@{lang}" for lang in LANGS), *(f"description@{lang}" for lang in LANGS)]
CONSUMED = {IDENTIFIER, PREF_LABEL, RDFS_LABEL, DESCRIPTION}  # in the fixed columns (for zh and en)


@dataclass
class Entity:
    kind: str
    id: str
    iri: str
    own: dict[str, list[ox.Term]] = field(default_factory=lambda: defaultdict(list))
    nodes: dict[str, dict[str, list[ox.Term]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))

    def text(self, predicate: str, lang: str) -> str:
        values = sorted(v.value for v in self.own.get(predicate, []) if isinstance(v, ox.Literal) and v.language == lang)
        return values[0] if values else ""

    def label(self, lang: str) -> str:
        return self.text(PREF_LABEL, lang) or self.text(RDFS_LABEL, lang)

    def labels(self) -> dict[str, str]:
        return {lang: self.label(lang) for lang in LANGS}


@dataclass
class DataExports:
    """The files (path under the site root → bytes) and the entity count of each kind."""

    files: dict[str, bytes]
    counts: dict[str, int]


def curie(iri: str) -> str:
    """`https://w3id.org/stackatlas/ontology#uses` → `sa:uses`; an IRI no prefix covers stays whole."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(str(item[1]))):
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)):]}"
    return iri


def _ref(iri: str) -> str | None:
    parts = split_entity_iri(iri)
    return f"{parts[0]}/{parts[1]}" if parts else None


def read_entities(ntriples: Path) -> dict[str, Entity]:
    """Entities by IRI, with their own triples and their statement nodes' (`…#uses-1`), from N-Triples."""
    by_owner: dict[str, list[ox.Triple]] = defaultdict(list)
    for triple in ox.parse(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES):
        if isinstance(triple.subject, ox.NamedNode):
            by_owner[triple.subject.value.split("#", 1)[0]].append(triple)
    entities = {}
    for owner, triples in sorted(by_owner.items()):
        parts = split_entity_iri(owner)
        if not parts or not any(t.subject.value == owner and t.predicate.value == IDENTIFIER for t in triples):
            continue
        entity = Entity(parts[0], parts[1], owner)
        for t in triples:
            if t.subject.value == owner:
                entity.own[t.predicate.value].append(t.object)
            else:
                entity.nodes["#" + t.subject.value.split("#", 1)[1]][t.predicate.value].append(t.object)
        entities[owner] = entity
    return entities


def _cell(term: ox.Term) -> str:
    if isinstance(term, ox.NamedNode):
        return _ref(term.value) or term.value
    return term.value


def _column(predicate: str, term: ox.Term) -> str:
    name = curie(predicate)
    return f"{name}@{term.language}" if isinstance(term, ox.Literal) and term.language else name


def kind_csv(entities: list[Entity]) -> bytes:
    """One row per entity: the fixed columns, then one per predicate (and language) the kind uses, sorted."""
    rows = []
    for entity in entities:
        row: dict[str, list[str]] = defaultdict(list)
        for predicate, values in entity.own.items():
            for value in values:
                if isinstance(value, ox.NamedNode) and value.value.startswith(entity.iri + "#"):
                    continue  # the entity's own statement nodes: see its JSON
                if predicate in CONSUMED and (predicate == IDENTIFIER or
                                              (isinstance(value, ox.Literal) and value.language in LANGS)):
                    continue
                row[_column(predicate, value)].append(_cell(value))
        fixed = [entity.id, entity.iri, *(entity.label(lang) for lang in LANGS),
                 *(entity.text(DESCRIPTION, lang) for lang in LANGS)]
        rows.append((fixed, {name: " | ".join(sorted(values)) for name, values in row.items()}))
    columns = sorted({name for _, extra in rows for name in extra})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FIXED + columns)
    for fixed, extra in rows:
        writer.writerow(fixed + [extra.get(name, "") for name in columns])
    return buffer.getvalue().encode("utf-8")


def _json_term(term: ox.Term, owner: str) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        if term.value.startswith(owner + "#"):
            return {"node": "#" + term.value.split("#", 1)[1]}
        ref = _ref(term.value)
        return {"iri": term.value, "ref": ref, "api": f"{API_DIR}/{ref}.json"} if ref else {"iri": term.value}
    if isinstance(term, ox.BlankNode):
        return {"blank": term.value}
    out = {"value": term.value}
    if term.language:
        out["lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = curie(term.datatype.value)
    return out


def _properties(values: dict[str, list[ox.Term]], owner: str) -> dict[str, list[dict[str, str]]]:
    out = {}
    for predicate, terms in values.items():
        items = [_json_term(t, owner) for t in terms]
        out[curie(predicate)] = sorted(items, key=lambda d: json.dumps(d, sort_keys=True, ensure_ascii=False))
    return out


def _summary(entity: Entity) -> dict[str, object]:
    return {"id": entity.id, "kind": entity.kind, "iri": entity.iri, "label": entity.labels(),
            "api": f"{API_DIR}/{entity.kind}/{entity.id}.json"}


def entity_json(entity: Entity) -> dict[str, object]:
    """One entity: its summary, where its page and RDF are, every property and every statement node."""
    return {**_summary(entity),
            "description": {lang: entity.text(DESCRIPTION, lang) for lang in LANGS},
            "links": {"page": f"{entity.kind}/{entity.id}.html", "turtle": f"{entity.kind}/{entity.id}.ttl",
                      "jsonld": f"{entity.kind}/{entity.id}.jsonld"},
            "properties": _properties(entity.own, entity.iri),
            "statements": {node: _properties(values, entity.iri) for node, values in sorted(entity.nodes.items())}}


def _dumps(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def data_exports(ntriples: Path) -> DataExports:
    """Every CSV and JSON API file of the graph in `ntriples`; deterministic."""
    entities = read_entities(ntriples)
    by_kind: dict[str, list[Entity]] = {kind: [] for kind in KINDS}
    for entity in entities.values():
        by_kind.setdefault(entity.kind, []).append(entity)
    files: dict[str, bytes] = {}
    counts = {}
    for kind, members in by_kind.items():
        members.sort(key=lambda e: e.id)
        counts[kind] = len(members)
        files[f"{CSV_DIR}/{kind}.csv"] = kind_csv(members)
        files[f"{API_DIR}/{kind}/index.json"] = _dumps([_summary(e) for e in members])
        for entity in members:
            files[f"{API_DIR}/{kind}/{entity.id}.json"] = _dumps(entity_json(entity))
    in_category: dict[str, list[Entity]] = defaultdict(list)
    for entity in by_kind.get("technology", []):
        for value in entity.own.get(CATEGORY, []):
            if value.value in entities:
                in_category[value.value].append(entity)
    categories = []
    for iri in sorted(in_category, key=lambda i: entities[i].id):
        category = entities[iri]
        members = sorted(in_category[iri], key=lambda e: e.id)
        categories.append({**_summary(category), "count": len(members), "api": f"{API_DIR}/category/{category.id}.json"})
        files[f"{API_DIR}/category/{category.id}.json"] = _dumps(
            {"category": _summary(category), "technologies": [_summary(e) for e in members]})
    files[f"{API_DIR}/category/index.json"] = _dumps(categories)
    files[f"{API_DIR}/index.json"] = _dumps({
        "dataset": BASE + "dataset", "version": __version__, "license": str(LICENCE),
        "kinds": {kind: {"count": counts[kind], "list": f"{API_DIR}/{kind}/index.json", "csv": f"{CSV_DIR}/{kind}.csv"}
                  for kind in by_kind},
        "categories": {"count": len(categories), "list": f"{API_DIR}/category/index.json"},
        "paths": "relative to the site root"})
    return DataExports(files, counts)
