"""The dataset's own description (VoID + DCAT): counts, classes, dumps, version and licence."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD

from kgtools import __version__
from kgtools.graph.compile import Triple, new_graph
from kgtools.graph.dumps import DUMP_NAME
from kgtools.graph.vocab import BASE, ONTOLOGY_IRI, split_entity_iri

DATASET = URIRef(BASE + "dataset")
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
MEDIA_TYPES = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json"}


def describe(triples: Collection[Triple]) -> Graph:
    """A VoID/DCAT graph describing distinct `triples` (or an rdflib Graph); deterministic for the same input."""
    void = new_graph()
    void.add((DATASET, RDF.type, VOID.Dataset))
    void.add((DATASET, RDF.type, DCAT.Dataset))
    void.add((DATASET, DCTERMS.title, Literal("Stack Atlas 知识图谱", lang="zh")))
    void.add((DATASET, DCTERMS.title, Literal("Stack Atlas knowledge graph", lang="en")))
    void.add((DATASET, DCTERMS.description, Literal(
        "分布式计算技术、概念、行业案例与来源的知识图谱。", lang="zh")))
    void.add((DATASET, DCTERMS.description, Literal(
        "A knowledge graph of distributed computing technologies, concepts, industry cases and their sources.",
        lang="en")))
    void.add((DATASET, DCTERMS.license, LICENCE))
    void.add((DATASET, OWL.versionInfo, Literal(__version__)))
    void.add((DATASET, VOID.uriSpace, Literal(BASE)))
    void.add((DATASET, VOID.vocabulary, ONTOLOGY_IRI))
    void.add((DATASET, VOID.triples, Literal(len(triples), datatype=XSD.integer)))
    entities = {s for s, _, _ in triples if isinstance(s, URIRef) and split_entity_iri(str(s))}
    void.add((DATASET, VOID.entities, Literal(len(entities), datatype=XSD.integer)))
    classes = Counter(o for _, p, o in triples if p == RDF.type)
    for cls, count in sorted(classes.items()):
        partition = URIRef(f"{DATASET}#class-{str(cls).rsplit('/', 1)[-1].replace('#', '-')}")
        void.add((DATASET, VOID.classPartition, partition))
        void.add((partition, VOID["class"], cls))
        void.add((partition, VOID.entities, Literal(count, datatype=XSD.integer)))
    for extension, media in MEDIA_TYPES.items():
        dump = URIRef(f"{BASE}dumps/{DUMP_NAME}.{extension}")
        distribution = URIRef(f"{DATASET}#dump-{extension}")
        void.add((DATASET, VOID.dataDump, dump))
        void.add((DATASET, DCAT.distribution, distribution))
        void.add((distribution, RDF.type, DCAT.Distribution))
        void.add((distribution, DCAT.downloadURL, dump))
        void.add((distribution, DCAT.mediaType, Literal(media)))
    return void
