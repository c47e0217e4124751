"""How deep and how well-founded the atlas is as a reference: the figures `kg stats --quality` leads with.

Every figure is read from the graph by SPARQL, so the report measures what a
researcher can query, not what the YAML happens to say. The floors a test pins
(`tests/test_depth.py`) are checked against these same figures.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox

from kgtools.query.engine import select_rows
from kgtools.records.integrity import DOCUMENTS_VOICE

BASE = "https://w3id.org/stackatlas/"
THEORY_SCHEME = BASE + "concept/distributed-systems-theory"
# Technologies a practitioner expects the atlas to have (issue 18's list).
EXPECTED_TECHNOLOGIES = (
    "apache-zookeeper", "envoy", "cockroachdb", "tidb", "tikv", "google-spanner", "foundationdb", "scylladb",
    "debezium", "kafka-connect", "apache-iceberg", "delta-lake", "apache-parquet", "apache-arrow", "trino",
    "hadoop-yarn", "dagster", "netflix-conductor", "zipkin", "fluent-bit", "keda", "hashicorp-vault", "valkey",
    "c", "cpp", "java", "scala", "erlang",
)
LINK_EXCLUDED = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/2004/02/skos/core#inScheme",
                 "http://www.w3.org/2004/02/skos/core#topConceptOf", "http://www.w3.org/2004/02/skos/core#hasTopConcept",
                 "http://www.w3.org/2004/02/skos/core#narrower", "http://www.w3.org/ns/prov#wasDerivedFrom",
                 "http://purl.org/dc/terms/source", "http://purl.org/dc/terms/publisher")


@dataclass
class Depth:
    """The figures, each named as the issue that asks for it names it."""

    description_median_zh: float = 0.0
    description_median_en: float = 0.0
    most_linked_checked: int = 0
    most_linked_under_80_zh: list[str] = field(default_factory=list)
    documents_voice: list[str] = field(default_factory=list)
    cases: int = 0
    stack_usages: int = 0
    stack_usages_public: int = 0
    technologies: int = 0
    technologies_with_status: int = 0
    technologies_with_wikidata: int = 0
    expected_technologies_missing: list[str] = field(default_factory=list)
    cases_without_year: list[str] = field(default_factory=list)
    cases_without_outcomes: list[str] = field(default_factory=list)
    cases_without_applied_concept: list[str] = field(default_factory=list)
    theory_concepts: int = 0
    theory_concepts_with_broader: int = 0
    theory_concepts_with_paper: int = 0
    concepts_without_broader: int = 0
    scheme_depths: dict[str, int] = field(default_factory=dict)
    scheme_sizes: dict[str, int] = field(default_factory=dict)
    relation_counts: dict[str, int] = field(default_factory=dict)

    @property
    def stack_public_share(self) -> float:
        return self.stack_usages_public / self.stack_usages if self.stack_usages else 0.0


def _ids(store: ox.Store, query: str) -> list[str]:
    return sorted(r["id"] for r in select_rows(store, query))


def link_counts(store: ox.Store) -> Counter[str]:
    """Links per entity: triples to or from another entity, directly or through one of its statement nodes."""
    entities = {r["e"] for r in select_rows(store, "SELECT ?e WHERE { ?e dcterms:identifier ?id }")}
    counts: Counter[str] = Counter()
    excluded = ", ".join(f"<{p}>" for p in LINK_EXCLUDED)
    for row in select_rows(store, f"SELECT ?s ?o WHERE {{ ?s ?p ?o . FILTER(isIRI(?o) && ?p NOT IN ({excluded})) }}"):
        owner, target = row["s"].split("#", 1)[0], row["o"]
        if target in entities and owner in entities and owner != target:
            counts[owner] += 1
            counts[target] += 1
    return counts


def _descriptions(store: ox.Store, classes: tuple[str, ...] = ("sa:Technology", "skos:Concept")) -> dict[str, dict[str, str]]:
    """Descriptions by entity and language, for entities of `classes` (the length figures measure the default two)."""
    out: dict[str, dict[str, str]] = {}
    kinds = " UNION ".join(f"{{ ?e a {c} }}" for c in classes)
    for row in select_rows(store, f"""SELECT ?e ?d ?lang WHERE {{
            {kinds}
            OPTIONAL {{ ?e dcterms:description ?d BIND(lang(?d) AS ?lang) }} }}"""):
        texts = out.setdefault(row["e"], {})
        if row["lang"]:
            texts[row["lang"]] = row["d"]
    return out


def _scheme_shape(store: ox.Store) -> tuple[dict[str, int], dict[str, int]]:
    """Concepts per scheme and the longest broader chain inside each."""
    member = {r["c"]: r["s"] for r in select_rows(store, "SELECT ?c ?s WHERE { ?c a skos:Concept ; skos:inScheme ?s }")}
    parent: dict[str, list[str]] = {}
    for r in select_rows(store, "SELECT ?c ?p WHERE { ?c skos:broader ?p }"):
        parent.setdefault(r["c"], []).append(r["p"])
    memo: dict[str, int] = {}

    def depth(concept: str, seen: frozenset[str]) -> int:
        if concept in memo:
            return memo[concept]
        ups = [p for p in parent.get(concept, []) if p not in seen and member.get(p) == member.get(concept)]
        memo[concept] = 1 + max((depth(p, seen | {concept}) for p in ups), default=0)
        return memo[concept]

    sizes: Counter[str] = Counter(member.values())
    depths: dict[str, int] = {}
    for concept, scheme in member.items():
        depths[scheme] = max(depths.get(scheme, 0), depth(concept, frozenset()))
    short = {s.rsplit("/", 1)[-1]: n for s, n in sorted(sizes.items())}
    return short, {s.rsplit("/", 1)[-1]: d for s, d in sorted(depths.items())}


def measure(store: ox.Store, most_linked: int = 200) -> Depth:
    """Every figure of the report, from the graph in `store`."""
    d = Depth()
    texts = _descriptions(store)
    zh = [len(t.get("zh", "")) for t in texts.values()]
    en = [len(t.get("en", "")) for t in texts.values()]
    d.description_median_zh = statistics.median(zh) if zh else 0.0
    d.description_median_en = statistics.median(en) if en else 0.0
    ranked = [e for e, _n in sorted(link_counts(store).items(), key=lambda kv: (-kv[1], kv[0])) if e in texts]
    top = ranked[:most_linked]
    d.most_linked_checked = len(top)
    d.most_linked_under_80_zh = sorted(e.removeprefix(BASE) for e in top if len(texts[e].get("zh", "")) < 80)
    # Cases count here too (their description is their summary), but not in the length figures above.
    voiced = texts | _descriptions(store, ("sa:Case",))
    d.documents_voice = sorted(e.removeprefix(BASE) for e, t in voiced.items()
                               if any(DOCUMENTS_VOICE.search(v) for v in t.values()))
    d.cases = len(_ids(store, "SELECT ?id WHERE { ?c a sa:Case ; dcterms:identifier ?id }"))
    usage = select_rows(store, """SELECT (COUNT(DISTINCT ?u) AS ?all) (COUNT(DISTINCT ?p) AS ?public) WHERE {
        ?c a sa:Case ; sa:usage ?u .
        OPTIONAL { ?u prov:wasDerivedFrom ?s . ?s a ?k .
                   FILTER(?k IN (sa:PublicReference, sa:VendorCaseStudy, sa:Paper)) BIND(?u AS ?p) } }""")[0]
    d.stack_usages, d.stack_usages_public = int(usage["all"]), int(usage["public"])
    techs = _ids(store, "SELECT ?id WHERE { ?t a sa:Technology ; dcterms:identifier ?id }")
    d.technologies = len(techs)
    d.technologies_with_status = len(_ids(store, """SELECT DISTINCT ?id WHERE {
        ?t a sa:Technology ; dcterms:identifier ?id ; sa:status ?s . ?s sa:asOf ?date }"""))
    d.technologies_with_wikidata = len(_ids(store, """SELECT DISTINCT ?id WHERE {
        ?t a sa:Technology ; dcterms:identifier ?id ; schema:sameAs ?q .
        FILTER(STRSTARTS(STR(?q), "http://www.wikidata.org/entity/")) }"""))
    d.expected_technologies_missing = sorted(set(EXPECTED_TECHNOLOGIES) - set(techs))
    d.cases_without_year = _ids(store, "SELECT ?id WHERE { ?c a sa:Case ; dcterms:identifier ?id . "
                                       "FILTER NOT EXISTS { ?c sa:year ?y } }")
    d.cases_without_outcomes = _ids(store, "SELECT ?id WHERE { ?c a sa:Case ; dcterms:identifier ?id . "
                                           "FILTER NOT EXISTS { ?c sa:outcome ?o } }")
    d.cases_without_applied_concept = _ids(store, "SELECT ?id WHERE { ?c a sa:Case ; dcterms:identifier ?id . "
                                                  "FILTER NOT EXISTS { ?c sa:applies ?x } }")
    theory = select_rows(store, f"""SELECT (COUNT(DISTINCT ?c) AS ?all) (COUNT(DISTINCT ?b) AS ?broader)
        (COUNT(DISTINCT ?p) AS ?paper) WHERE {{
        ?c a skos:Concept ; skos:inScheme <{THEORY_SCHEME}> .
        OPTIONAL {{ ?c skos:broader ?up . BIND(?c AS ?b) }}
        OPTIONAL {{ ?c prov:wasDerivedFrom ?s . ?s a sa:Paper . BIND(?c AS ?p) }} }}""")[0]
    d.theory_concepts, d.theory_concepts_with_broader = int(theory["all"]), int(theory["broader"])
    d.theory_concepts_with_paper = int(theory["paper"])
    d.concepts_without_broader = len(_ids(store, """SELECT ?id WHERE { ?c a skos:Concept ; dcterms:identifier ?id .
        FILTER NOT EXISTS { ?c a skos:ConceptScheme } FILTER NOT EXISTS { ?c skos:broader ?b } }"""))
    d.scheme_sizes, d.scheme_depths = _scheme_shape(store)
    for name in ("integratesWith", "dependsOn", "partOf", "forkOf", "compatibleWith", "successorOf", "implements"):
        d.relation_counts[name] = int(select_rows(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s sa:{name} ?o }}")[0]["n"])
    return d


def as_json(depth: Depth) -> dict[str, object]:
    return {**asdict(depth), "stack_public_share": round(depth.stack_public_share, 4)}


def render_depth(d: Depth) -> str:
    """The report as text, each line a figure and, where it falls short, what is short."""
    def pct(part: int, whole: int) -> str:
        return f"{part} of {whole} ({100 * part / whole:.1f}%)" if whole else "0 of 0"

    lines = [
        "Reference depth / 参考深度",
        f"  description median (concepts and technologies): zh {d.description_median_zh:.0f} chars, "
        f"en {d.description_median_en:.0f} chars",
        f"  most linked {d.most_linked_checked} entities with a zh description under 80 chars: "
        f"{len(d.most_linked_under_80_zh)}",
        *[f"    {e}" for e in d.most_linked_under_80_zh[:20]],
        f"  descriptions in the documents' voice (technologies, concepts, cases): {len(d.documents_voice)}",
        *[f"    {e}" for e in d.documents_voice[:20]],
        f"  cases: {d.cases}; without year {len(d.cases_without_year)}, without outcomes "
        f"{len(d.cases_without_outcomes)}, without applied concept {len(d.cases_without_applied_concept)}",
        f"  stack usages backed by a public reference or vendor case study: "
        f"{pct(d.stack_usages_public, d.stack_usages)}",
        f"  technologies: {d.technologies}; with a dated status {pct(d.technologies_with_status, d.technologies)}; "
        f"with a Wikidata QID {pct(d.technologies_with_wikidata, d.technologies)}",
        f"  expected technologies missing: {', '.join(d.expected_technologies_missing) or 'none'}",
        f"  theory concepts: {d.theory_concepts}; with broader {d.theory_concepts_with_broader}; "
        f"citing a paper {d.theory_concepts_with_paper}",
        f"  concepts without broader (schemes' top concepts): {d.concepts_without_broader}",
        "  schemes (size/depth): " + ", ".join(f"{s} {n}/{d.scheme_depths.get(s, 0)}"
                                               for s, n in d.scheme_sizes.items()),
        "  relations: " + ", ".join(f"{k} {v}" for k, v in d.relation_counts.items()),
    ]
    return "\n".join(lines)
