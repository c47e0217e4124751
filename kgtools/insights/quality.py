"""`kg stats --quality`: what a curator should fix, each list a SPARQL query over the graph."""

from __future__ import annotations

import json

import pyoxigraph as ox

from kgtools.insights.depth import Depth, as_json, render_depth
from kgtools.query.engine import PREFIX_IRIS

CHECKS: dict[str, tuple[str, str]] = {
    "entities-without-source": (
        "Entities that cite no source / 没有任何来源的实体",
        """SELECT ?id WHERE {
             ?e dcterms:identifier ?id ; a ?k .
             FILTER(?k IN (sa:Technology, sa:Case, sa:Assessment, schema:Organization, skos:Concept))
             FILTER NOT EXISTS { ?e prov:wasDerivedFrom ?s }
           } ORDER BY ?id""",
    ),
    "concepts-without-relation": (
        "Concepts with no broader, narrower or related concept and used by nothing / 孤立的概念",
        """SELECT ?id WHERE {
             ?c a skos:Concept ; dcterms:identifier ?id .
             FILTER NOT EXISTS { ?c skos:broader|skos:narrower|skos:related ?x }
             FILTER NOT EXISTS { ?y skos:related ?c }
             FILTER NOT EXISTS { ?z ?p ?c . FILTER(?p NOT IN (skos:inScheme, skos:hasTopConcept, skos:topConceptOf)) }
           } ORDER BY ?id""",
    ),
    "technologies-in-no-case": (
        "Technologies no case uses / 未出现在任何案例中的技术",
        """SELECT ?id WHERE { ?t a sa:Technology ; dcterms:identifier ?id . FILTER NOT EXISTS { ?c sa:uses ?t } }
           ORDER BY ?id""",
    ),
    "claims-backed-only-by-documents": (
        "Case claims backed only by the seed documents / 仅由种子文档支持的案例说法",
        """SELECT ?claim WHERE {
             ?case a sa:Case ; (sa:usage|sa:application|sa:measurement) ?node .
             FILTER NOT EXISTS { ?node prov:wasDerivedFrom ?s . FILTER NOT EXISTS { ?s a sa:SourceDocument } }
             BIND(STRAFTER(STR(?node), "https://w3id.org/stackatlas/case/") AS ?claim)
           } ORDER BY ?claim""",
    ),
    "sources-never-cited": (
        "Sources no citation points to / 从未被引用的来源",
        """SELECT ?id WHERE { ?s a sa:Source ; dcterms:identifier ?id . FILTER NOT EXISTS { ?c dcterms:source ?s } }
           ORDER BY ?id""",
    ),
    "disagreements": (
        "Figures on which sources disagree, and contradicting notes / 来源之间的分歧",
        """SELECT ?item WHERE {
             { ?s sa:measurement ?a , ?b .
               ?a sa:metric ?m ; prov:wasDerivedFrom ?sa . ?b sa:metric ?m ; prov:wasDerivedFrom ?sb .
               FILTER(STR(?a) < STR(?b) && ?sa != ?sb)
               FILTER NOT EXISTS { ?a prov:wasDerivedFrom ?sb } FILTER NOT EXISTS { ?b prov:wasDerivedFrom ?sa }
               OPTIONAL { ?a sa:technology ?ta } OPTIONAL { ?b sa:technology ?tb }
               FILTER(COALESCE(STR(?ta), "") = COALESCE(STR(?tb), ""))
               OPTIONAL { ?a schema:value ?va } OPTIONAL { ?b schema:value ?vb }
               FILTER(COALESCE(STR(?va), "") != COALESCE(STR(?vb), ""))
               BIND(CONCAT(STRAFTER(STR(?a), "stackatlas/"), " ≠ ", STRAFTER(STR(?b), "#")) AS ?item) }
             UNION
             { ?n sa:noteKind "contradicts" . BIND(CONCAT(STRAFTER(STR(?n), "stackatlas/"), " (contradicts)") AS ?item) }
           } ORDER BY ?item""",
    ),
}


def check_items(store: ox.Store, key: str) -> list[str]:
    """The items one check lists, each once, sorted."""
    rows = store.query(CHECKS[key][1], prefixes=PREFIX_IRIS)
    assert isinstance(rows, ox.QuerySolutions)
    name = rows.variables[0].value
    return sorted({row[name].value for row in rows})


def disagreement_items(store: ox.Store) -> list[str]:
    """Pairs of figures sources disagree on, and contradicting notes: the one definition `kg stats` counts too."""
    return check_items(store, "disagreements")


def quality_report(store: ox.Store) -> dict[str, list[str]]:
    return {key: check_items(store, key) for key in CHECKS}


def render_quality(report: dict[str, list[str]], fmt: str, depth: Depth | None = None) -> str:
    """The curator's lists, led by the reference-depth figures when `depth` is given."""
    if fmt == "json":
        return json.dumps({**({"depth": as_json(depth)} if depth else {}), **report}, ensure_ascii=False, indent=2)
    out = [render_depth(depth)] if depth else []
    for key, items in report.items():
        out.append(f"{CHECKS[key][0]}: {len(items)}")
        out.extend(f"  {item}" for item in items[:50])
        if len(items) > 50:
            out.append(f"  … and {len(items) - 50} more (use --format json for all)")
    return "\n".join(out)
