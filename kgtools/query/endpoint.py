"""A read-only SPARQL 1.1 Protocol endpoint over the graph, for `kg serve`, on loopback by default.

Each query runs in a forked child process, so a runaway query can be stopped
at the time limit by killing the child without harming the server or later
queries; the child writes the serialised answer, or an error, to a pipe.
Results are negotiated from the Accept header; more rows than the cap is an
error that tells the client to add a LIMIT.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pyoxigraph as ox

from kgtools.query.engine import PREFIX_IRIS

RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
MAX_QUERY_BYTES = 100_000


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 10.0
    max_results: int = 10_000


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes


def _negotiate(accept: str, offered: dict[str, Any], default: str) -> str | None:
    """The offered media type the client prefers most (q-values honoured), or None."""
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        choices.append((quality, -position, media.lower()))
    for quality, _, media in sorted(choices, reverse=True):
        if quality <= 0:
            continue
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return default
    return default if not accept.strip() else None


def _error(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


def _run(store: ox.Store, query: str, accept: str, limits: Limits) -> Answer:
    """Parse, run and serialise one query (in the child process)."""
    try:
        result = store.query(query, prefixes=PREFIX_IRIS)
    except SyntaxError as error:
        return _error(HTTPStatus.BAD_REQUEST, f"malformed query: {error}")
    if isinstance(result, ox.QueryBoolean):
        media = _negotiate(accept, RESULT_TYPES, "application/sparql-results+json")
        if media is None:
            return _error(HTTPStatus.NOT_ACCEPTABLE, f"cannot answer a boolean as {accept}")
        return Answer(200, media, result.serialize(format=RESULT_TYPES[media]))
    if isinstance(result, ox.QueryTriples):
        media = _negotiate(accept, GRAPH_TYPES, "text/turtle")
        if media is None:
            return _error(HTTPStatus.NOT_ACCEPTABLE, f"cannot answer a graph as {accept}")
        triples = []
        for triple in result:
            triples.append(triple)
            if len(triples) > limits.max_results:
                return _too_many(limits)
        body = ox.serialize(triples, format=GRAPH_TYPES[media], prefixes=PREFIX_IRIS)
        return Answer(200, media, body)
    media = _negotiate(accept, RESULT_TYPES, "application/sparql-results+json")
    if media is None:
        return _error(HTTPStatus.NOT_ACCEPTABLE, f"cannot answer solutions as {accept}")
    variables = result.variables
    rows = []
    for row in result:
        rows.append(row)
        if len(rows) > limits.max_results:
            return _too_many(limits)
    body = _serialise_solutions(variables, rows, RESULT_TYPES[media])
    return Answer(200, media, body)


def _serialise_solutions(variables: list[ox.Variable], rows: list[ox.QuerySolution], fmt: ox.QueryResultsFormat) -> bytes:
    """Re-serialise collected rows through pyoxigraph's own writers via a VALUES query."""
    store = ox.Store()
    if not variables:
        return store.query("SELECT * WHERE {} LIMIT 0").serialize(format=fmt)
    names = " ".join(f"?{v.value}" for v in variables)
    cells = []
    for row in rows:
        cells.append("(" + " ".join(_term_text(row[v]) for v in variables) + ")")
    query = f"SELECT {names} WHERE {{ VALUES ({names}) {{ {' '.join(cells)} }} }}"
    return store.query(query).serialize(format=fmt)


def _term_text(term: object) -> str:
    if term is None:
        return "UNDEF"
    if isinstance(term, ox.BlankNode):
        return f"<urn:blank:{term.value}>"
    return str(term)


def _too_many(limits: Limits) -> Answer:
    return _error(HTTPStatus.UNPROCESSABLE_ENTITY,
                  f"the answer has more than {limits.max_results} results; add a LIMIT or narrow the query")


def _child(store: ox.Store, query: str, accept: str, limits: Limits, conn: Any) -> None:
    try:
        answer = _run(store, query, accept, limits)
    except Exception as error:
        answer = _error(HTTPStatus.INTERNAL_SERVER_ERROR, f"query failed: {error}")
    conn.send((answer.status, answer.content_type, answer.body))
    conn.close()


class QueryRunner:
    """Runs each query in a forked child with a deadline."""

    def __init__(self, store_factory: Callable[[], ox.Store], limits: Limits) -> None:
        self.store_factory = store_factory
        self.limits = limits
        self._context = multiprocessing.get_context("fork")

    def answer(self, query: str, accept: str) -> Answer:
        store = self.store_factory()
        receiver, sender = self._context.Pipe(duplex=False)
        child = self._context.Process(target=_child, args=(store, query, accept, self.limits, sender), daemon=True)
        child.start()
        sender.close()
        deadline = time.monotonic() + self.limits.timeout_s
        try:
            if receiver.poll(self.limits.timeout_s):
                status, content_type, body = receiver.recv()
                return Answer(status, content_type, body)
            if time.monotonic() >= deadline:
                return _error(HTTPStatus.SERVICE_UNAVAILABLE,
                              f"query stopped at the time limit of {self.limits.timeout_s:g} s")
            return _error(HTTPStatus.INTERNAL_SERVER_ERROR, "query process ended without an answer")
        except EOFError:
            return _error(HTTPStatus.INTERNAL_SERVER_ERROR, "query process ended without an answer")
        finally:
            if child.is_alive():
                child.kill()
            child.join(timeout=1)
            receiver.close()


def make_handler(runner: QueryRunner) -> type[BaseHTTPRequestHandler]:
    class SparqlHandler(BaseHTTPRequestHandler):
        server_version = "StackAtlasSPARQL/1.0"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            parsed = urllib.parse.urlsplit(self.path)
            if parsed.path not in ("/sparql", "/sparql/"):
                self._send(_error(HTTPStatus.NOT_FOUND, "the SPARQL endpoint is at /sparql"))
                return
            params = urllib.parse.parse_qs(parsed.query)
            self._dispatch(params)

        def do_POST(self) -> None:
            parsed = urllib.parse.urlsplit(self.path)
            if parsed.path not in ("/sparql", "/sparql/"):
                self._send(_error(HTTPStatus.NOT_FOUND, "the SPARQL endpoint is at /sparql"))
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_QUERY_BYTES:
                self._send(_error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"queries are limited to {MAX_QUERY_BYTES} bytes"))
                return
            body = self.rfile.read(length).decode("utf-8", "replace")
            content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if content_type == "application/sparql-update":
                self._send(_error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused"))
                return
            if content_type == "application/sparql-query":
                params = urllib.parse.parse_qs(parsed.query)
                params["query"] = [body]
            elif content_type == "application/x-www-form-urlencoded":
                params = urllib.parse.parse_qs(body)
            else:
                self._send(_error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                                  "send application/sparql-query or application/x-www-form-urlencoded"))
                return
            self._dispatch(params)

        def do_PUT(self) -> None:
            self._send(_error(HTTPStatus.METHOD_NOT_ALLOWED, "this endpoint is read-only"))

        do_DELETE = do_PUT

        def _dispatch(self, params: dict[str, list[str]]) -> None:
            if "update" in params:
                self._send(_error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused"))
                return
            queries = params.get("query", [])
            if len(queries) != 1 or not queries[0].strip():
                self._send(_error(HTTPStatus.BAD_REQUEST, "give exactly one `query` parameter"))
                return
            if len(queries[0].encode("utf-8")) > MAX_QUERY_BYTES:
                self._send(_error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"queries are limited to {MAX_QUERY_BYTES} bytes"))
                return
            self._send(runner.answer(queries[0], self.headers.get("Accept", "")))

        def _send(self, answer: Answer) -> None:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(answer.body)

    return SparqlHandler


class ReloadingStore:
    """The current graph, reloaded when a record or the ontology changes (checked at most once a second)."""

    def __init__(self, loader: Callable[[], ox.Store], stamp: Callable[[], object]) -> None:
        self._loader = loader
        self._stamp = stamp
        self._lock = threading.Lock()
        self._store = loader()
        self._seen = stamp()
        self._checked = time.monotonic()

    def __call__(self) -> ox.Store:
        with self._lock:
            if time.monotonic() - self._checked > 1.0:
                self._checked = time.monotonic()
                stamp = self._stamp()
                if stamp != self._seen:
                    # While records are broken, keep serving the last good graph.
                    with contextlib.suppress(Exception):
                        self._store = self._loader()
                        self._seen = stamp
            return self._store


def serve_endpoint(store_factory: Callable[[], ox.Store], host: str = "127.0.0.1", port: int = 7878,
                   limits: Limits | None = None) -> ThreadingHTTPServer:
    """Start the endpoint in a background thread; the caller owns `shutdown()`."""
    server = ThreadingHTTPServer((host, port), make_handler(QueryRunner(store_factory, limits or Limits())))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="sparql-endpoint", daemon=True).start()
    return server


def describe_endpoint(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return json.dumps({"sparql": f"http://{host}:{port}/sparql"})
