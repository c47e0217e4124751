"""The researcher's guide's table of `sa:` terms, written from `ontology/stackatlas.ttl` so the two cannot drift.

The guides keep the output between `cog` markers (`cog -r site/en/researchers.md
site/zh/researchers.md`); a test fails when the dump uses a term the guide
does not name or the ontology does not label in both languages.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kgtools.graph.vocab import SA

KIND_NAMES = {
    "en": {OWL.Class: "class", OWL.ObjectProperty: "relation", OWL.DatatypeProperty: "value", "individual": "value of"},
    "zh": {OWL.Class: "类", OWL.ObjectProperty: "关系", OWL.DatatypeProperty: "取值", "individual": "取值于"},
}
HEADERS = {"en": "| term | kind | label | meaning |", "zh": "| 术语 | 种类 | 名称 | 含义 |"}


def _text(graph: Graph, term: URIRef, predicate: URIRef, lang: str) -> str:
    values = [str(v) for v in graph.objects(term, predicate) if isinstance(v, Literal) and v.language == lang]
    return " ".join(" ".join(values).split()).replace("|", "\\|")


def vocabulary_table(ontology: Path, lang: str) -> str:
    """Markdown: every `sa:` term of the ontology with its kind, label and comment in `lang`."""
    graph = Graph().parse(ontology, format="turtle")
    namespace = str(SA._NS)
    rows = [HEADERS[lang], "|---|---|---|---|"]
    terms = sorted({s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(namespace)})
    for term in terms:
        types = set(graph.objects(term, RDF.type))
        kind = next((KIND_NAMES[lang][t] for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty) if t in types), None)
        if kind is None:
            owner = next((t for t in types if str(t).startswith(namespace)), None)
            kind = f"{KIND_NAMES[lang]['individual']} `sa:{str(owner)[len(namespace):]}`" if owner else ""
        name = f"sa:{str(term)[len(namespace):]}"
        rows.append(f"| `{name}` | {kind} | {_text(graph, term, RDFS.label, lang)} | {_text(graph, term, RDFS.comment, lang)} |")
    return "\n".join(rows) + "\n"
