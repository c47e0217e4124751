"""CSV per kind and the static JSON API, published with the site, say what the graph says; releases reach the site."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter
from xml.etree import ElementTree as ET

import pytest

from kgtools.graph.exports import data_exports
from kgtools.graph.vocab import BASE
from kgtools.query.engine import execute
from kgtools.records.project import KINDS, Project
from kgtools.site.pages.extras import downloads_page
from kgtools.site.pages.markup import Page
from kgtools.site.pages.model import load_model
from kgtools.site.plugin.inputs import from_graph_dir
from kgtools.site.plugin.mkdocs_plugin import publish_data_files

from .conftest import run_kg
from .test_site import SiteBuild, site_build  # noqa: F401  (shared session fixture)

ATOM = "{http://www.w3.org/2005/Atom}"
ENTITIES = """SELECT ?e ?id WHERE { ?e dcterms:identifier ?id . FILTER(STRSTARTS(STR(?e), "%s")) }"""


def sparql(built: SiteBuild, query: str) -> list[dict[str, str]]:
    result = execute(built.store, query)
    names = [v.value for v in result.variables]  # type: ignore[union-attr]
    return [{name: solution[name].value for name in names if solution[name] is not None} for solution in result]  # type: ignore[union-attr]


def entity_ids(built: SiteBuild, kind: str) -> set[str]:
    return {r["id"] for r in sparql(built, ENTITIES % f"{BASE}{kind}/")}


def test_csv_rows_equal_sparql_counts(site_build: SiteBuild) -> None:  # noqa: F811
    for kind in KINDS:
        path = site_build.site / "downloads" / "csv" / f"{kind}.csv"
        table = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        ids = entity_ids(site_build, kind)
        assert len(table) == len(ids), kind
        assert {row["id"] for row in table} == ids
        assert all(row["iri"] == f"{BASE}{kind}/{row['id']}" for row in table)
    technologies = sparql(site_build, "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a sa:Technology }")
    table = list(csv.DictReader(io.StringIO((site_build.site / "downloads/csv/technology.csv").read_text(encoding="utf-8"))))
    assert len(table) == int(technologies[0]["n"]) > 0
    temporal = next(row for row in table if row["id"] == "temporal")
    assert temporal["label@en"] == "Temporal" and "technology/cadence" in temporal["sa:successorOf"].split(" | ")


def test_json_api_files_parse_and_match_the_graph(site_build: SiteBuild) -> None:  # noqa: F811
    api = site_build.site / "api"
    index = json.loads((api / "index.json").read_text(encoding="utf-8"))
    own = Counter({r["s"]: int(r["n"]) for r in sparql(site_build, "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s")})
    for kind in KINDS:
        ids = entity_ids(site_build, kind)
        listed = json.loads((api / kind / "index.json").read_text(encoding="utf-8"))
        assert index["kinds"][kind]["count"] == len(ids) == len(listed)
        assert {item["id"] for item in listed} == ids
        for item in listed:
            entity = json.loads((site_build.site / item["api"]).read_text(encoding="utf-8"))
            iri = entity["iri"]
            assert iri == f"{BASE}{kind}/{item['id']}" and entity["label"] == item["label"]
            assert sum(len(v) for v in entity["properties"].values()) == own[iri], iri
            nodes = {s: n for s, n in own.items() if s.startswith(iri + "#")}
            assert {iri + node for node in entity["statements"]} == set(nodes)
            for node, values in entity["statements"].items():
                assert sum(len(v) for v in values.values()) == nodes[iri + node]
            assert (site_build.site / entity["links"]["page"]).is_file()
    categories = json.loads((api / "category" / "index.json").read_text(encoding="utf-8"))
    assert categories and index["categories"]["count"] == len(categories)
    for category in categories:
        query = f"SELECT ?id WHERE {{ ?t sa:category <{category['iri']}> ; dcterms:identifier ?id }}"
        members = {r["id"] for r in sparql(site_build, query)}
        listed = json.loads((site_build.site / category["api"]).read_text(encoding="utf-8"))
        assert {t["id"] for t in listed["technologies"]} == members and category["count"] == len(members)


def test_exports_are_deterministic(site_build: SiteBuild) -> None:  # noqa: F811
    dump = site_build.out / "graph" / "stackatlas.nt"
    assert data_exports(dump).files == data_exports(dump).files


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_downloads_page_documents_the_csv_and_the_api(site_build: SiteBuild, prefix: str) -> None:  # noqa: F811
    html = site_build.page(f"{prefix}downloads.html")
    assert 'id="csv"' in html and 'id="api"' in html and 'id="releases"' in html
    up = "../" if prefix else ""
    assert f'href="{up}api/index.json"' in html and "<code>api/&lt;kind&gt;/&lt;id&gt;.json</code>" in html
    for kind in KINDS:
        assert f'href="{up}downloads/csv/{kind}.csv"' in html
    assert ("静态 JSON API" if not prefix else "Static JSON API") in html


def test_releases_are_published_with_the_site(mini: Project, capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    assert run_kg(mini, capsys, "release", "0.1.0", "--date", "2026-01-02")[0] == 0
    graph = from_graph_dir(mini, mini.build / "graph")
    site = tmp_path / "site"
    publish_data_files(graph, site)
    folder = site / "downloads" / "releases"
    feed = ET.fromstring((folder / "releases.atom").read_bytes())
    [entry] = feed.findall(f"{ATOM}entry")
    for link in entry.findall(f"{ATOM}link"):
        assert (folder / link.get("href", "")).is_file()
    for line in (folder / "0.1.0" / "SHA256SUMS").read_text(encoding="ascii").splitlines():
        sha, name = line.split("  ", 1)
        assert hashlib.sha256((folder / "0.1.0" / name).read_bytes()).hexdigest() == sha
    model = load_model(graph.store, mini.ontology / "stackatlas.ttl")
    doc = downloads_page(Page(model, "en", "downloads.html", "../"), graph.files, graph.schemas, graph.exports, graph.releases)
    html = doc.markdown() + "".join(doc.slots)
    assert 'href="../downloads/releases/releases.atom"' in html
    assert 'href="../downloads/releases/0.1.0/stackatlas-0.1.0.nt.gz"' in html and "first release" in html
    graph.close()
