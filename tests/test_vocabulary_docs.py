"""The researcher's guide and the ontology name every term the dump uses; ranks keep contradicted claims out of plain triples."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kgtools.insights.enrich import published_graph
from kgtools.query.engine import PREFIX_IRIS, short
from kgtools.query.store import store_from_ntriples
from kgtools.records.project import Project

from .conftest import ROOT

GUIDES = {lang: ROOT / "site" / lang / "researchers.md" for lang in ("en", "zh")}


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return store_from_ntriples(published_graph(Project(ROOT), shacl=False).ntriples)


def used_terms(store: ox.Store) -> set[str]:
    """Every predicate and class of the dump, as the guide writes them (prefixed names)."""
    predicates = {short(r[0]) for r in store.query("SELECT DISTINCT ?p WHERE { ?s ?p ?o }")}
    classes = {short(r[0]) for r in store.query("SELECT DISTINCT ?c WHERE { ?s a ?c }")}
    return predicates | classes


def undocumented(terms: set[str], guide: str) -> list[str]:
    """Terms the guide never names in code (`sa:rank`, or inside a longer code span)."""
    return sorted(t for t in terms if not re.search(r"`[^`\n]*" + re.escape(t) + r"(?![\w-])", guide))


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_the_guide_names_every_term_the_dump_uses(store: ox.Store, lang: str) -> None:
    assert undocumented(used_terms(store), GUIDES[lang].read_text(encoding="utf-8")) == []


def test_the_check_would_see_an_undocumented_term() -> None:
    assert undocumented({"sa:rank", "sa:neverDocumented"}, "the `sa:rank` of a statement") == ["sa:neverDocumented"]


def test_the_ontology_labels_every_sa_term_in_zh_and_en(store: ox.Store) -> None:
    ontology = Graph().parse(ROOT / "ontology" / "stackatlas.ttl", format="turtle")
    base = PREFIX_IRIS["sa"]
    missing = []
    for term in sorted(t for t in used_terms(store) if t.startswith("sa:")):
        labels = {v.language for v in ontology.objects(URIRef(base + term[3:]), RDFS.label) if isinstance(v, Literal)}
        if not {"zh", "en"} <= labels:
            missing.append(f"{term}: labels in {sorted(filter(None, labels))}")
    assert missing == []


def test_no_plain_triple_for_a_deprecated_statement(store: ox.Store) -> None:
    leaks = list(store.query("""SELECT ?subject ?about WHERE {
        ?subject sa:usage|sa:application ?statement .
        ?statement sa:rank sa:DeprecatedRank ; sa:technology|sa:concept ?about .
        ?subject sa:uses|sa:applies ?about }""", prefixes=PREFIX_IRIS))
    assert leaks == []


def test_every_statement_has_one_rank_and_public_backing_implies_not_deprecated(store: ox.Store) -> None:
    unranked = list(store.query("SELECT ?s WHERE { ?s a/rdfs:subClassOf* sa:Statement . FILTER NOT EXISTS { ?s sa:rank ?r } }",
                                prefixes={**PREFIX_IRIS, "rdfs": str(RDFS)}))
    assert unranked == []
    twice = list(store.query("SELECT ?s WHERE { ?s sa:rank ?a , ?b FILTER(?a != ?b) }", prefixes=PREFIX_IRIS))
    assert twice == []
    assert not bool(store.query("ASK { ?s sa:publiclyBacked true ; sa:rank sa:DeprecatedRank }", prefixes=PREFIX_IRIS))


def test_a_deprecated_usage_keeps_its_node_and_loses_its_plain_triple(mini: Project) -> None:
    """On the fixture corpus: deprecating one usage removes exactly its `sa:uses` triple and nothing else."""
    case = next((mini.root / "corpus" / "cases").glob("*.yaml"))
    text = case.read_text(encoding="utf-8")
    before = store_from_ntriples(published_graph(mini, shacl=False).ntriples)
    first = re.search(r"^( *)- technology: (postgresql)\n", text, re.M)
    assert first, "the fixture case uses postgresql"
    pad = first.group(1) + "  "
    source = next(p.stem for p in sorted((mini.root / "corpus" / "sources").glob("*.yaml")) if not p.stem.startswith("doc-"))
    reason = (f"{pad}rank: deprecated\n{pad}rank_reason:\n{pad}  kind: contradicts\n"
              f"{pad}  text: {{zh: 公开资料与此矛盾。, en: A public source says otherwise.}}\n"
              f"{pad}  citations:\n{pad}  - {{source: {source}, locator: test}}\n")
    case.write_text(text.replace(first.group(0), first.group(0) + reason, 1), encoding="utf-8")
    after = store_from_ntriples(published_graph(mini, shacl=False).ntriples)
    query = "SELECT ?c ?t WHERE { ?c sa:uses ?t }"
    rows = lambda s: {(r[0].value, r[1].value) for r in s.query(query, prefixes=PREFIX_IRIS)}  # noqa: E731
    lost = rows(before) - rows(after)
    assert len(lost) == 1 and next(iter(lost))[1].endswith("/postgresql"), lost
    assert bool(after.query("ASK { ?u sa:rank sa:DeprecatedRank ; sa:rankReason ?n . ?n a sa:Note }", prefixes=PREFIX_IRIS))
