"""The corpus itself: counts pinned from below, bilingual text, sources on every case, URLs on public sources."""

from __future__ import annotations

import csv
import io

import pytest

from kgtools.insights.stats import collect_stats
from kgtools.pipeline import open_store
from kgtools.query.engine import PREFIX_IRIS, execute, format_result
from kgtools.query.saved import resolve_query_text
from kgtools.records.project import Project


@pytest.fixture(scope="module")
def store(project: Project):
    return open_store(project)


@pytest.fixture(scope="module")
def stats(store) -> dict:
    return collect_stats(store)


@pytest.mark.parametrize(("kind", "minimum"), [
    ("technology", 120), ("concept", 250), ("case", 35), ("organization", 30), ("source", 30), ("assessment", 30),
])
def test_entity_counts_from_below(stats: dict, kind: str, minimum: int) -> None:
    assert stats["entities"][kind] >= minimum


def test_relations_between_entities_from_below(stats: dict) -> None:
    assert stats["entity_relations"] >= 1000


def test_public_cases_and_coverage(store, stats: dict) -> None:
    public_only = store.query("""SELECT (COUNT(DISTINCT ?case) AS ?n) WHERE {
        ?case a sa:Case . FILTER NOT EXISTS { ?case prov:wasDerivedFrom ?s . ?s a sa:SourceDocument } }""",
                              prefixes=PREFIX_IRIS)
    assert int(next(iter(public_only))["n"].value) >= 10, "at least ten cases from public sources alone"
    assert stats["case_claims_with_public_reference"] > 0
    assert stats["disagreements"] >= 5


def _no_rows(store, query: str) -> list[str]:
    result = store.query(query, prefixes=PREFIX_IRIS)
    return [", ".join(str(row[v.value].value) for v in result.variables) for row in result]


def test_every_entity_has_zh_and_en_label_and_description(store) -> None:
    missing = _no_rows(store, """SELECT ?e WHERE {
        ?e dcterms:identifier ?id .
        FILTER(NOT EXISTS { ?e skos:prefLabel ?zh . FILTER(lang(?zh) = "zh") }
            || NOT EXISTS { ?e skos:prefLabel ?en . FILTER(lang(?en) = "en") }
            || NOT EXISTS { ?e dcterms:description ?dz . FILTER(lang(?dz) = "zh") }
            || NOT EXISTS { ?e dcterms:description ?de . FILTER(lang(?de) = "en") })
        FILTER NOT EXISTS { ?e a sa:Source . FILTER NOT EXISTS { ?e dcterms:description ?d } }
    }""")
    assert missing == []


def test_every_case_cites_a_source_and_every_usage_too(store) -> None:
    assert _no_rows(store, "SELECT ?c WHERE { ?c a sa:Case FILTER NOT EXISTS { ?c prov:wasDerivedFrom ?s } }") == []
    assert _no_rows(store, "SELECT ?u WHERE { ?u a sa:Usage FILTER NOT EXISTS { ?u sa:citation ?c } }") == []


def test_every_public_source_has_a_url(store) -> None:
    """A public page or vendor case study has its URL; a paper has a URL or a DOI."""
    assert _no_rows(store, """SELECT ?s WHERE { ?s a ?k . FILTER(?k IN (sa:PublicReference, sa:VendorCaseStudy))
                               FILTER NOT EXISTS { ?s schema:url ?u } }""") == []
    assert _no_rows(store, """SELECT ?s WHERE { ?s a sa:Paper FILTER NOT EXISTS { ?s schema:url|sa:doi ?u } }""") == []


def test_every_number_has_a_unit_and_a_citation(store) -> None:
    assert _no_rows(store, """SELECT ?m WHERE { ?m a sa:Measurement ; (schema:value|schema:minValue|schema:maxValue) ?v .
                               FILTER NOT EXISTS { ?m schema:unitText ?u } }""") == []
    assert _no_rows(store, "SELECT ?m WHERE { ?m a sa:Measurement FILTER NOT EXISTS { ?m sa:citation ?c } }") == []


def test_workflow_engines_below_200ms_are_the_documents_rows(store, project: Project) -> None:
    """000 §1.1.2: Step Functions 150 ms and Temporal on PostgreSQL 195 ms are under 200; Temporal on Cassandra is 210."""
    text = format_result(execute(store, resolve_query_text(project, "workflow-engines-p99-below-200ms")), "csv")
    rows = [(r["label"], r["with"], r["p99"]) for r in csv.DictReader(io.StringIO(text))]
    assert rows == [("AWS Step Functions", "", "150"), ("Temporal", "PostgreSQL", "195")]


def test_benchmark_cells_are_numbers_with_units(store) -> None:
    """Every numeric cell of 000 §1.1.2 (six engines × throughput and P99) is in the graph as a number."""
    rows = _no_rows(store, """SELECT ?t ?metric ?v ?u WHERE {
        ?a a sa:Benchmark ; sa:measurement ?m ; sa:citation/sa:locator ?loc . FILTER(STRSTARTS(?loc, "1.1.2"))
        ?m sa:technology/dcterms:identifier ?t ; sa:metric/dcterms:identifier ?metric ; schema:value ?v ; schema:unitText ?u .
        FILTER(?metric IN ("throughput", "p99-latency")) }""")
    assert len(rows) >= 12, rows
