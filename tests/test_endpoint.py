"""The read-only SPARQL endpoint `kg serve` runs, on loopback.

Publishing to real stores and comparing their answers with the in-process ones is
tests/test_stores.py's job (Oxigraph and Virtuoso).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

from kgtools.pipeline import open_store
from kgtools.query.endpoint import Limits, serve_endpoint
from kgtools.records.project import Project

pytestmark = pytest.mark.server


@pytest.fixture
def endpoint(mini: Project) -> Iterator[str]:
    store = open_store(mini)
    server = serve_endpoint(lambda: store, "127.0.0.1", 0, Limits(timeout_s=2.0, max_results=50))
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}/sparql"
    finally:
        server.shutdown()


def request(url: str, query: str | None = None, *, accept: str = "", method: str = "GET",
            body: bytes | None = None, content_type: str = "") -> tuple[int, str, bytes]:
    if method == "GET" and query is not None:
        url = f"{url}?{urllib.parse.urlencode({'query': query})}"
    headers = {"Accept": accept} if accept else {}
    if content_type:
        headers["Content-Type"] = content_type
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


TECH_QUERY = "SELECT ?t WHERE { ?t a sa:Technology } ORDER BY ?t"


def test_get_with_json_results(endpoint: str) -> None:
    status, ctype, body = request(endpoint, TECH_QUERY, accept="application/sparql-results+json")
    assert status == 200 and ctype == "application/sparql-results+json"
    names = [b["t"]["value"].rsplit("/", 1)[1] for b in json.loads(body)["results"]["bindings"]]
    assert names == ["apache-cassandra", "cadence", "go", "kubernetes", "postgresql", "temporal"]


@pytest.mark.parametrize(("accept", "expected_type", "marker"), [
    ("text/csv", "text/csv", b"t\r\n"),
    ("text/tab-separated-values", "text/tab-separated-values", b"?t\n"),
    ("application/sparql-results+xml", "application/sparql-results+xml", b"<sparql"),
    ("text/html;q=0.5, text/csv;q=0.9", "text/csv", b"t\r\n"),
])
def test_content_negotiation_for_solutions(endpoint: str, accept: str, expected_type: str, marker: bytes) -> None:
    status, ctype, body = request(endpoint, TECH_QUERY, accept=accept)
    assert status == 200 and ctype == expected_type
    assert marker in body[:200]


def test_post_forms_and_construct_as_turtle(endpoint: str) -> None:
    status, ctype, body = request(endpoint, method="POST", accept="text/turtle",
                                  body=b"DESCRIBE technology:kubernetes", content_type="application/sparql-query")
    assert status == 200 and ctype == "text/turtle"
    assert b"K8s" in body
    form = urllib.parse.urlencode({"query": "ASK { technology:temporal sa:successorOf technology:cadence }"}).encode()
    status, _, body = request(endpoint, method="POST", body=form, content_type="application/x-www-form-urlencoded",
                              accept="application/sparql-results+json")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_malformed_query_is_400_with_parser_message(endpoint: str) -> None:
    status, _, body = request(endpoint, "SELECT * WHERE { ?s ?p }")
    assert status == 400
    assert b"malformed query: error at 1:" in body


@pytest.mark.parametrize(("method", "body", "ctype", "query"), [
    ("POST", b"INSERT DATA { <urn:a> <urn:b> <urn:c> }", "application/sparql-update", None),
    ("POST", b"update=INSERT+DATA+%7B%7D", "application/x-www-form-urlencoded", None),
    ("GET", None, "", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"),
])
def test_updates_are_refused(endpoint: str, method: str, body: bytes | None, ctype: str, query: str | None) -> None:
    status, _, _ = request(endpoint, query, method=method, body=body, content_type=ctype)
    assert status in (400, 403)
    status, _, body = request(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { <urn:a> ?p ?o }", accept="text/csv")
    assert body.split() == [b"n", b"0"]


def test_result_cap(endpoint: str) -> None:
    status, _, body = request(endpoint, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 422 and b"more than 50 results" in body


def test_slow_query_stopped_at_limit_without_harming_later_queries(endpoint: str) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    status, _, body = request(endpoint, slow)
    assert status == 503 and b"time limit" in body
    assert time.monotonic() - started < 10
    status, _, _ = request(endpoint, TECH_QUERY)
    assert status == 200


def test_sparqlwrapper_client(endpoint: str) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setQuery("PREFIX sa: <https://w3id.org/stackatlas/ontology#> SELECT (COUNT(?t) AS ?n) WHERE { ?t a sa:Technology }")
    client.setReturnFormat(JSON)
    result = client.query().convert()
    assert result["results"]["bindings"][0]["n"]["value"] == "6"


def test_get_without_a_query_describes_the_service(endpoint: str) -> None:
    """SPARQL 1.1 Service Description: a GET on the endpoint with no query returns an sd:Service."""
    from rdflib import Graph, Namespace, URIRef

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    for accept in ("text/turtle", ""):
        status, ctype, body = request(endpoint, accept=accept)
        assert status == 200 and ctype.startswith("text/turtle")
        graph = Graph().parse(data=body.decode("utf-8"), format="turtle")
        service = URIRef(endpoint)
        assert (service, sd.endpoint, service) in graph
        assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph
        assert len(list(graph.objects(service, sd.resultFormat))) >= 4


def test_a_browser_gets_a_query_form_that_runs_nothing(endpoint: str) -> None:
    status, ctype, body = request(endpoint + "?x=<script>alert(1)</script>",
                                  accept="text/html,application/xhtml+xml,*/*;q=0.8")
    assert status == 200 and ctype.startswith("text/html")
    page = body.decode("utf-8")
    assert '<form method="get" action="/sparql">' in page and 'name="query"' in page
    assert "<script" not in page
    status, _, body = request(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?t a sa:Technology }", accept="text/csv")
    assert status == 200 and body.splitlines()[1] == b"6"
