"""`kg stats`: what the graph holds, measured by SPARQL over the graph itself."""

from __future__ import annotations

import json

import pyoxigraph as ox

from kgtools.insights.quality import disagreement_items
from kgtools.query.engine import PREFIX_IRIS

KIND_CLASSES = {
    "technology": "sa:Technology", "concept": "skos:Concept", "scheme": "skos:ConceptScheme",
    "case": "sa:Case", "organization": "schema:Organization", "source": "sa:Source",
    "assessment": "sa:Assessment", "guide": "sa:Guide",
    "model": "sa:ExecutableModel",
}

ENTITY_RELATIONS = """
SELECT (COUNT(*) AS ?n) WHERE {
  ?s ?p ?o .
  FILTER(isIRI(?o) && ?p != rdf:type && ?p != prov:wasDerivedFrom && ?p != dcterms:source
         && !CONTAINS(STR(?s), "#") && !CONTAINS(STR(?o), "#")
         && STRSTARTS(STR(?s), "https://w3id.org/stackatlas/") && STRSTARTS(STR(?o), "https://w3id.org/stackatlas/")
         && !STRSTARTS(STR(?o), "https://w3id.org/stackatlas/ontology"))
}"""

# A case claim is a qualified statement about a case: a usage, an applied pattern or a figure.
CASE_CLAIMS = """
SELECT (COUNT(DISTINCT ?claim) AS ?all) (COUNT(DISTINCT ?public) AS ?backed) WHERE {
  ?case a sa:Case ; (sa:usage|sa:application|sa:measurement) ?claim .
  OPTIONAL { ?claim prov:wasDerivedFrom ?src . ?src a ?k .
             FILTER(?k IN (sa:PublicReference, sa:VendorCaseStudy, sa:Paper)) BIND(?claim AS ?public) }
}"""

STATEMENTS_BY = """
SELECT ?value (COUNT(?statement) AS ?n) WHERE { ?statement sa:%s ?value } GROUP BY ?value"""
RANK_NAMES = {"PreferredRank": "preferred", "NormalRank": "normal", "DeprecatedRank": "deprecated"}
EVIDENCE_NAMES = {"DocumentsOnly": "documents only", "PublicReferenceEvidence": "public reference",
                  "VendorCaseStudyEvidence": "vendor case study", "PaperEvidence": "paper"}

def _scalar(store: ox.Store, query: str, name: str = "n") -> int:
    row = next(iter(store.query(query, prefixes=PREFIX_IRIS)))
    value = row[name]
    return int(value.value) if value is not None else 0


def _grouped(store: ox.Store, predicate: str, names: dict[str, str]) -> dict[str, int]:
    """Statements per value of `predicate` (rank or evidence level), every value named even at zero."""
    found = {row["value"].value.rsplit("#", 1)[-1]: int(row["n"].value)
             for row in store.query(STATEMENTS_BY % predicate, prefixes=PREFIX_IRIS)}
    return {name: found.get(local, 0) for local, name in names.items()}


def collect_stats(store: ox.Store) -> dict[str, object]:
    counts = {kind: _scalar(store, f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a {cls} }}")
              for kind, cls in KIND_CLASSES.items()}
    claims = next(iter(store.query(CASE_CLAIMS, prefixes=PREFIX_IRIS)))
    total, backed = int(claims["all"].value), int(claims["backed"].value)
    return {
        "entities": counts,
        "triples": len(store),
        "entity_relations": _scalar(store, ENTITY_RELATIONS),
        "citations": _scalar(store, "SELECT (COUNT(*) AS ?n) WHERE { ?c a sa:Citation }"),
        "measurements": _scalar(store, "SELECT (COUNT(*) AS ?n) WHERE { ?m a sa:Measurement }"),
        "case_claims": total,
        "case_claims_with_public_reference": backed,
        "public_reference_share": round(backed / total, 4) if total else 0.0,
        # the curator's list of disagreements (`kg stats --quality`), counted: one definition, so they cannot differ
        "disagreements": len(disagreement_items(store)),
        "statements_by_rank": _grouped(store, "rank", RANK_NAMES),
        "statements_by_evidence": _grouped(store, "evidenceLevel", EVIDENCE_NAMES),
        "plain_uses": _scalar(store, "SELECT (COUNT(*) AS ?n) WHERE { ?c sa:uses ?t }"),
    }


def run_stats_command(store: ox.Store, fmt: str, quality: bool = False, since: ox.Store | None = None) -> int:
    """Print the counts (or, with `quality`, the curator's list) for the graph in `store`.

    With `since` (an earlier graph), also count and list the case claims whose public-check status changed.
    """
    if quality:
        from kgtools.insights.depth import measure
        from kgtools.insights.quality import quality_report, render_quality

        print(render_quality(quality_report(store), fmt, measure(store)))
        return 0
    stats = collect_stats(store)
    changes = None
    if since is not None:
        from kgtools.insights.checks import changed_claims

        changes = changed_claims(since, store)
        stats["claims_whose_check_changed"] = len(changes)
    if fmt == "json":
        print(json.dumps(stats, indent=2, sort_keys=True))
        return 0
    entities = stats["entities"]
    assert isinstance(entities, dict)
    print("entities:   " + ", ".join(f"{n} {k}" for k, n in entities.items()))
    print(f"triples:    {stats['triples']}")
    print(f"relations between entities: {stats['entity_relations']}")
    print(f"citations:  {stats['citations']}   measurements: {stats['measurements']}")
    print(f"case claims backed by a public reference: {stats['case_claims_with_public_reference']}"
          f" of {stats['case_claims']} ({100 * float(stats['public_reference_share']):.1f}%)")
    print(f"recorded disagreements between sources: {stats['disagreements']}")
    ranks, evidence = stats["statements_by_rank"], stats["statements_by_evidence"]
    assert isinstance(ranks, dict) and isinstance(evidence, dict)
    print("statements by rank: " + ", ".join(f"{n} {name}" for name, n in ranks.items()))
    print("statements by evidence: " + ", ".join(f"{n} {name}" for name, n in evidence.items()))
    print(f"plain sa:uses triples: {stats['plain_uses']}")
    if changes is not None:
        print(f"case claims whose public check changed since the earlier graph: {len(changes)}")
        for claim, before, after in changes:
            print(f"  {claim.rsplit('/', 1)[-1]}: {before.describe() if before else 'new'} → {after.describe()}")
    return 0
