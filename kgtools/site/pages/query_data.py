"""The data files the Query page loads, made at build time and published once at the site root.

Two files, each also gzip-compressed (the page decompresses them itself with
DecompressionStream, so a static host that does not set Content-Encoding
still sends the small file):

- the graph: the build's canonical N-Triples, the fastest form Oxigraph's
  WebAssembly bulk-loads (measured against Turtle, N-Quads and RDF/XML in
  docs/decisions/site-query-page.md); gzip turns 13 MB into under 2 MB;
- the terms: every prefixed name a reader may want to type or read, with
  its Chinese and English labels: the vocabulary's classes and predicates
  (ontology/stackatlas.ttl, the reused terms' names, and any other predicate
  or class the graph uses) and every entity, with its aliases. The results
  table shows entities' and terms' labels in the page's language from it,
  and the editor completes prefixes, terms and entities (by name or label)
  from it, without asking any endpoint.

Both are the same for every language, so only the language published at the
site root emits them; the others point there (Page.root_href).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgtools.insights.stats import KIND_CLASSES
from kgtools.query.engine import PREFIX_IRIS
from kgtools.site.pages.i18n import REUSED, UI
from kgtools.site.pages.model import SiteModel

QUERY_DATA = "assets/query-data"
GRAPH_FILE = f"{QUERY_DATA}/stackatlas.nt.gz"
TERMS_FILE = f"{QUERY_DATA}/terms.json"
TERMS_GZ = f"{TERMS_FILE}.gz"
ONTOLOGY_FILE = "stackatlas-ontology.ttl"   # GraphInput.files' name for ontology/stackatlas.ttl

OWL = "http://www.w3.org/2002/07/owl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
CLASS_TYPES = {f"{OWL}Class", f"{RDFS}Class"}
PROPERTY_TYPES = {f"{OWL}ObjectProperty", f"{OWL}DatatypeProperty", f"{OWL}AnnotationProperty", f"{RDF}Property"}


def short(iri: str) -> str:
    """`iri` as `kg query` prints it: the first predeclared prefix that fits, else the IRI itself."""
    for prefix, base in PREFIX_IRIS.items():
        if iri.startswith(base) and iri != base:
            return f"{prefix}:{iri[len(base):]}"
    return iri


def gzipped(data: bytes) -> bytes:
    """Deterministic gzip (no timestamp): the same graph gives the same file."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def version(data: bytes) -> str:
    """A short content hash for the file's address, so a browser never pairs an old file with a new page."""
    return hashlib.sha256(data).hexdigest()[:12]


def _ontology_terms(ontology: Path) -> dict[str, tuple[str, dict[str, str]]]:
    """IRI → (class or property, {lang: label}) for every class and property the ontology declares."""
    store = ox.Store()
    store.bulk_load(path=str(ontology), format=ox.RdfFormat.TURTLE)
    kinds: dict[str, str] = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode(f"{RDF}type"), None):
        if isinstance(quad.subject, ox.NamedNode):
            kind = "class" if quad.object.value in CLASS_TYPES else "property" if quad.object.value in PROPERTY_TYPES else None
            if kind:
                kinds.setdefault(quad.subject.value, kind)
    labels: dict[str, dict[str, str]] = {iri: {} for iri in kinds}
    for quad in store.quads_for_pattern(None, ox.NamedNode(f"{RDFS}label"), None):
        label = quad.object
        if quad.subject.value in labels and isinstance(label, ox.Literal) and label.language:
            labels[quad.subject.value].setdefault(label.language, label.value)
    return {iri: (kind, labels[iri]) for iri, kind in kinds.items()}


def _used_terms(store: ox.Store) -> dict[str, str]:
    """IRI → class or property for every class and predicate the graph itself uses."""
    used: dict[str, str] = {}
    for row in store.query("SELECT DISTINCT ?p WHERE { ?s ?p ?o }"):
        used[row["p"].value] = "property"
    for row in store.query(f"SELECT DISTINCT ?c WHERE {{ ?s <{RDF}type> ?c FILTER(isIRI(?c)) }}"):
        used.setdefault(row["c"].value, "class")
    return used


def _kind_classes() -> dict[str, dict[str, str]]:
    """IRI → {lang: label} for the class of every record kind, named as the site names the kind.

    Why: skos:Concept and schema:Organization are reused, not declared in our
    ontology, so without this a zh results table would print them as English
    prefixed names beside 技术 and 案例.
    """
    labels: dict[str, dict[str, str]] = {}
    for kind, prefixed in KIND_CLASSES.items():
        prefix, local = prefixed.split(":", 1)
        zh, en = UI[f"kind.{kind}"]
        labels[PREFIX_IRIS[prefix] + local] = {"zh": zh, "en": en}
    return labels


def terms(model: SiteModel, ontology: Path) -> dict[str, list]:
    """The terms file's content: `vocab` rows [name, kind, zh, en] and `entities` rows [name, zh, en, aliases]."""
    vocab = _ontology_terms(ontology)
    for iri, names in _kind_classes().items():
        if not vocab.get(iri, ("class", {}))[1]:
            vocab[iri] = ("class", names)
    for iri, (zh, en, _, _) in REUSED.items():
        vocab.setdefault(iri, ("property", {"zh": zh, "en": en}))
    for iri, kind in _used_terms(model.store).items():
        vocab.setdefault(iri, (kind, {}))
    vocab_rows = [[short(iri), kind, names.get("zh", ""), names.get("en", "")]
                  for iri, (kind, names) in sorted(vocab.items()) if iri not in model.entities]
    entity_rows = [[short(e.iri), e.labels.get("zh", ""), e.labels.get("en", ""), sorted(set(e.aliases))]
                   for e in sorted(model.entities.values(), key=lambda e: e.iri)]
    return {"vocab": vocab_rows, "entities": entity_rows}


@dataclass(frozen=True)
class QueryData:
    """The files (path under the site root → bytes) and the addresses the page's configuration gives for them."""

    files: dict[str, bytes]
    graph_gz: str          # path of the compressed dump, with ?v=
    terms: str             # path of the terms file (uncompressed, for browsers without DecompressionStream)
    terms_gz: str


def query_data(model: SiteModel, ntriples: Path, ontology: Path, publish: bool) -> QueryData:
    """The Query page's data addresses and, when `publish` (the language at the site root), its files."""
    dump = ntriples.read_bytes()
    text = json.dumps(terms(model, ontology), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    files = {GRAPH_FILE: gzipped(dump), TERMS_FILE: text, TERMS_GZ: gzipped(text)} if publish else {}
    return QueryData(files, f"{GRAPH_FILE}?v={version(dump)}", f"{TERMS_FILE}?v={version(text)}",
                     f"{TERMS_GZ}?v={version(text)}")
