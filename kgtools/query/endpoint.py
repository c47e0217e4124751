"""A read-only SPARQL 1.1 Protocol endpoint over the graph, for `kg serve`, on loopback by default.

Anything that can open a connection to the port can use it, and a web page the user
happens to visit is such a thing; so the endpoint reaches nothing and every resource
it spends on a request is bounded:

- no network: queries that may contain SERVICE are refused (`engine.refuse_service`);
  pyoxigraph would otherwise connect wherever the query says, and its error texts
  would tell open ports from closed ones;
- no web pages: requests must name the endpoint by the loopback name or address it is
  bound to (`Host`, against DNS rebinding); cross-origin requests (`Origin`,
  `Sec-Fetch-Site: cross-site`) are refused and no `Access-Control-Allow-Origin` is
  sent, as no page of the site calls the endpoint (the Query page runs in the browser);
- processes: each query runs in a forked child, so a runaway query is killed at the
  time limit without harming the server; at most `Limits.workers` children run, at
  most `Limits.queue` requests wait for one, and the rest get a quick 503 with
  Retry-After; a child's address space is capped too;
- connections: at most `Limits.max_connections` are served at once (the rest get 503
  at once), and a request (line, headers, body) must arrive within
  `Limits.request_timeout_s`, so half-sent requests are dropped, not held;
- bodies: a POST needs a Content-Length no larger than the query cap, checked before
  anything is read; chunked bodies are refused; no more than the cap is ever read;
- answers: more rows than `max_results`, or more bytes than `max_answer_bytes` once
  serialised (counted while writing), is an error telling the client to add a LIMIT.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import math
import multiprocessing
import os
import re
import resource
import signal
import socket
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BufferedReader, RawIOBase
from typing import Any

import pyoxigraph as ox

from kgtools.query.description import query_form, service_description
from kgtools.query.engine import PREFIX_IRIS, QueryError, dataset_options, refuse_service

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
HEAD_BYTES = 2 * 65_536          # request line and headers together, at most
LINGER_S = 1.0                   # after refusing an unread body, how long to discard what still arrives


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 10.0                  # a query's running time; its process is then killed
    max_results: int = 10_000                # rows (or triples) in an answer
    max_answer_bytes: int = 16 * 1024 * 1024  # an answer's size once serialised
    workers: int = 2                         # queries running at once, one process each
    queue: int = 8                           # requests waiting for a worker; beyond, 503 at once
    max_connections: int = 32                # connections being served; beyond, 503 at once
    request_timeout_s: float = 5.0           # to receive a whole request, from the connection on
    send_timeout_s: float = 30.0             # to send a whole answer
    max_query_bytes: int = MAX_QUERY_BYTES   # a query, and a POST body
    worker_memory_mib: int = 1024            # address space a query process may add


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


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


def _error(status: int, message: str, headers: tuple[tuple[str, str], ...] = ()) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"), headers)


class _TooBig(Exception):
    """The serialised answer passed the byte cap."""


class _CappedWriter(RawIOBase):
    """A binary sink for pyoxigraph's writers that stops them at the byte cap."""

    def __init__(self, cap: int) -> None:
        super().__init__()
        self.cap = cap
        self.buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if len(self.buffer) + len(data) > self.cap:
            raise _TooBig
        self.buffer += data
        return len(data)


def _size(term: object) -> int:
    """A lower bound of a term's serialised size: its lexical form appears in every format."""
    value = getattr(term, "value", None)
    return len(value) if isinstance(value, str) else len(str(term))


def _run(store: ox.Store, query: str, accept: str, limits: Limits) -> Answer:
    """Parse, run and serialise one query (in the child process)."""
    try:
        refuse_service(query)
    except QueryError as error:
        return _error(HTTPStatus.BAD_REQUEST, str(error))
    try:
        result = store.query(query, prefixes=PREFIX_IRIS, **dataset_options(query))
    except SyntaxError as error:
        return _error(HTTPStatus.BAD_REQUEST, f"malformed query: {error}")
    sink = _CappedWriter(limits.max_answer_bytes)
    try:
        if isinstance(result, ox.QueryBoolean):
            media = _negotiate(accept, RESULT_TYPES, "application/sparql-results+json")
            if media is None:
                return _error(HTTPStatus.NOT_ACCEPTABLE, f"cannot answer a boolean as {accept}")
            result.serialize(sink, format=RESULT_TYPES[media])
            return Answer(200, media, bytes(sink.buffer))
        if isinstance(result, ox.QueryTriples):
            media = _negotiate(accept, GRAPH_TYPES, "text/turtle")
            if media is None:
                return _error(HTTPStatus.NOT_ACCEPTABLE, f"cannot answer a graph as {accept}")
            triples, size = [], 0
            for triple in result:
                triples.append(triple)
                size += _size(triple.subject) + _size(triple.predicate) + _size(triple.object)
                if len(triples) > limits.max_results:
                    return _too_many(limits)
                if size > limits.max_answer_bytes:
                    return _too_big(limits)
            ox.serialize(triples, sink, format=GRAPH_TYPES[media], prefixes=PREFIX_IRIS)
            return Answer(200, media, bytes(sink.buffer))
        media = _negotiate(accept, RESULT_TYPES, "application/sparql-results+json")
        if media is None:
            return _error(HTTPStatus.NOT_ACCEPTABLE, f"cannot answer solutions as {accept}")
        variables = result.variables
        rows, size = [], 0
        for row in result:
            rows.append(row)
            size += sum(_size(row[v]) for v in variables if row[v] is not None)
            if len(rows) > limits.max_results:
                return _too_many(limits)
            if size > limits.max_answer_bytes:
                return _too_big(limits)
        _serialise_solutions(variables, rows, RESULT_TYPES[media], sink)
        return Answer(200, media, bytes(sink.buffer))
    except _TooBig:
        return _too_big(limits)


def _serialise_solutions(variables: list[ox.Variable], rows: list[ox.QuerySolution], fmt: ox.QueryResultsFormat,
                         sink: _CappedWriter) -> None:
    """Re-serialise collected rows through pyoxigraph's own writers via a VALUES query."""
    store = ox.Store()
    if not variables:
        store.query("SELECT * WHERE {} LIMIT 0").serialize(sink, format=fmt)
        return
    names = " ".join(f"?{v.value}" for v in variables)
    cells = []
    for row in rows:
        cells.append("(" + " ".join(_term_text(row[v]) for v in variables) + ")")
    query = f"SELECT {names} WHERE {{ VALUES ({names}) {{ {' '.join(cells)} }} }}"
    store.query(query).serialize(sink, format=fmt)


def _term_text(term: object) -> str:
    if term is None:
        return "UNDEF"
    if isinstance(term, ox.BlankNode):
        return f"<urn:blank:{term.value}>"
    return str(term)


def _too_many(limits: Limits) -> Answer:
    return _error(HTTPStatus.UNPROCESSABLE_ENTITY,
                  f"the answer has more than {limits.max_results} results; add a LIMIT or narrow the query")


def _too_big(limits: Limits) -> Answer:
    return _error(HTTPStatus.UNPROCESSABLE_ENTITY,
                  f"the answer is larger than {limits.max_answer_bytes} bytes; add a LIMIT, "
                  "or select fewer or shorter values")


def _vm_bytes() -> int | None:
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return None


def _child(store: ox.Store, query: str, accept: str, limits: Limits, conn: Any) -> None:
    # Quiet (an allocation failure makes the engine print a backtrace) and capped in memory.
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
    now = _vm_bytes()
    if now is not None:
        cap = now + limits.worker_memory_mib * 1024 * 1024
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    try:
        answer = _run(store, query, accept, limits)
    except MemoryError:
        answer = _too_much_memory(limits)
    except Exception as error:
        answer = _error(HTTPStatus.INTERNAL_SERVER_ERROR, f"query failed: {error}")
    conn.send((answer.status, answer.content_type, answer.body))
    conn.close()


def _too_much_memory(limits: Limits) -> Answer:
    return _error(HTTPStatus.UNPROCESSABLE_ENTITY,
                  f"the query needed more than {limits.worker_memory_mib} MiB of memory; add a LIMIT or narrow the query")


class QueryRunner:
    """Runs each query in a forked child with a deadline; at most `workers` at once, `queue` more waiting."""

    def __init__(self, store_factory: Callable[[], ox.Store], limits: Limits) -> None:
        self.store_factory = store_factory
        self.limits = limits
        self._context = multiprocessing.get_context("fork")
        self._slots = threading.BoundedSemaphore(limits.workers)
        self._lock = threading.Lock()
        self.running = 0
        self.waiting = 0

    def _busy(self) -> Answer:
        retry = max(1, math.ceil(self.limits.timeout_s))
        return _error(HTTPStatus.SERVICE_UNAVAILABLE,
                      f"the endpoint is busy ({self.limits.workers} queries running, {self.limits.queue} waiting); "
                      f"try again in {retry} s",
                      (("Retry-After", str(retry)),))

    def answer(self, query: str, accept: str) -> Answer:
        if not self._slots.acquire(blocking=False):
            with self._lock:
                if self.waiting >= self.limits.queue:
                    return self._busy()
                self.waiting += 1
            try:
                acquired = self._slots.acquire(timeout=self.limits.timeout_s)
            finally:
                with self._lock:
                    self.waiting -= 1
            if not acquired:
                return self._busy()
        with self._lock:
            self.running += 1
        try:
            return self._answer(query, accept)
        finally:
            with self._lock:
                self.running -= 1
            self._slots.release()

    def _answer(self, query: str, accept: str) -> Answer:
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
            return self._ended(child)
        except EOFError:
            return self._ended(child)
        finally:
            if child.is_alive():
                child.kill()
            child.join(timeout=5)
            receiver.close()

    def _ended(self, child: Any) -> Answer:
        child.join(timeout=5)
        if child.exitcode == -signal.SIGABRT:       # the engine aborts when an allocation fails
            return _too_much_memory(self.limits)
        return _error(HTTPStatus.INTERNAL_SERVER_ERROR, "query process ended without an answer")


class _RequestTooLarge(OSError):
    """The client sent more than a request may hold."""


class _BoundedReader(RawIOBase):
    """A connection's input with a deadline for the whole request and a byte budget."""

    def __init__(self, sock: socket.socket, deadline: float, budget: int) -> None:
        super().__init__()
        self.sock = sock
        self.deadline = deadline
        self.budget = budget

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the request did not arrive in time")
        if self.budget <= 0:
            raise _RequestTooLarge("the request is larger than any query may be")
        self.sock.settimeout(remaining)
        view = memoryview(buffer)[: self.budget]
        count = self.sock.recv_into(view)
        self.budget -= count
        return count


def _as_host(address: str) -> str:
    return f"[{address}]" if ":" in address else address.lower()


def _host_names(bound: str, address: str) -> tuple[frozenset[str], bool]:
    """Host names (as in a Host header) the endpoint answers to, and whether any IP literal will do.

    >>> sorted(_host_names("127.0.0.1", "127.0.0.1")[0])
    ['127.0.0.1', 'localhost']
    >>> sorted(_host_names("::1", "::1")[0])
    ['[::1]', 'localhost']
    """
    if bound in ("", "0.0.0.0", "::"):  # noqa: S104 - recognising it; every interface, as asked; names still refused
        return frozenset({"localhost"}), True
    names = {"localhost", _as_host(bound), _as_host(address)}
    if bound.lower() == "localhost":
        names |= {"127.0.0.1", "[::1]"}
    return frozenset(names), False


def make_handler(runner: QueryRunner, host_names: frozenset[str], any_ip: bool, port: int) -> type[BaseHTTPRequestHandler]:
    limits = runner.limits
    shown = " or ".join(f"http://{name}:{port}" for name in sorted(host_names))

    def host_allowed(header: str | None) -> bool:
        if header is None:
            return False
        match = re.fullmatch(r"(\[[0-9A-Fa-f:.]+\]|[^:\[\]]+)(?::([0-9]{1,5}))?", header.strip())
        if not match:
            return False
        name, given = match.group(1).lower(), match.group(2)
        if (int(given) if given else 80) != port:
            return False
        if name in host_names:
            return True
        if any_ip:
            with contextlib.suppress(ValueError):
                ipaddress.ip_address(name.strip("[]"))
                return True
        return False

    class SparqlHandler(BaseHTTPRequestHandler):
        server_version = "StackAtlasSPARQL/1.0"

        def setup(self) -> None:
            super().setup()
            self.rfile.close()
            deadline = time.monotonic() + limits.request_timeout_s
            self.rfile = BufferedReader(_BoundedReader(self.connection, deadline, HEAD_BYTES + limits.max_query_bytes))
            self.unread_body = False

        def finish(self) -> None:
            super().finish()
            if self.unread_body:
                self._linger()

        def _linger(self) -> None:
            """Discard a refused body for a moment, so the client reads the refusal instead of a reset."""
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_WR)
                end = time.monotonic() + LINGER_S
                budget = limits.max_query_bytes
                while budget > 0 and (left := end - time.monotonic()) > 0:
                    self.connection.settimeout(left)
                    chunk = self.connection.recv(min(65_536, budget))
                    if not chunk:
                        break
                    budget -= len(chunk)

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _refused(self) -> Answer | None:
            """Why a request must not be served here, or None."""
            header = self.headers.get("Host")
            if len(self.headers.get_all("Host") or []) > 1 or (
                    not (header is None and self.request_version == "HTTP/1.0") and not host_allowed(header)):
                return _error(HTTPStatus.FORBIDDEN,
                              f"this endpoint answers only requests addressed to {shown} (Host: {header!r}); "
                              "other names are refused")
            origin = self.headers.get("Origin")
            if origin is not None and not (origin.startswith("http://") and host_allowed(origin[len("http://"):])):
                return _error(HTTPStatus.FORBIDDEN, f"cross-origin requests are refused (Origin: {origin!r}): "
                                                    "the endpoint answers local tools, not web pages")
            if (self.headers.get("Sec-Fetch-Site") or "").lower() == "cross-site":
                return _error(HTTPStatus.FORBIDDEN, "cross-site requests are refused: "
                                                    "the endpoint answers local tools, not web pages")
            return None

        def _route(self) -> urllib.parse.SplitResult | None:
            refusal = self._refused()
            if refusal is not None:
                self.unread_body = self.command == "POST"
                self._send(refusal)
                return None
            parsed = urllib.parse.urlsplit(self.path)
            if parsed.path not in ("/sparql", "/sparql/"):
                self.unread_body = self.command == "POST"
                self._send(_error(HTTPStatus.NOT_FOUND, "the SPARQL endpoint is at /sparql"))
                return None
            return parsed

        def do_GET(self) -> None:
            parsed = self._route()
            if parsed is not None:
                self._dispatch(urllib.parse.parse_qs(parsed.query))

        def _body(self) -> bytes | Answer:
            """The POST body, read only when its declared size is within the cap."""
            self.unread_body = True
            if self.headers.get("Transfer-Encoding") is not None:
                return _error(HTTPStatus.LENGTH_REQUIRED,
                              "send the query with a Content-Length; chunked and other transfer codings are refused")
            lengths = self.headers.get_all("Content-Length") or []
            if not lengths:
                return _error(HTTPStatus.LENGTH_REQUIRED, "a POST needs a Content-Length")
            if len(set(lengths)) != 1 or not re.fullmatch(r"[0-9]{1,15}", lengths[0].strip()):
                return _error(HTTPStatus.BAD_REQUEST, f"the Content-Length is not one number: {', '.join(lengths)!r}")
            length = int(lengths[0])
            if length > limits.max_query_bytes:
                return _error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"queries are limited to {limits.max_query_bytes} bytes")
            body = self.rfile.read(length)
            if len(body) < length:
                return _error(HTTPStatus.BAD_REQUEST, "the request body ended before its Content-Length")
            self.unread_body = False
            return body

        def do_POST(self) -> None:
            parsed = self._route()
            if parsed is None:
                return
            content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if content_type == "application/sparql-update":
                self.unread_body = True
                self._send(_error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused"))
                return
            if content_type not in ("application/sparql-query", "application/x-www-form-urlencoded"):
                self.unread_body = True
                self._send(_error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                                  "send application/sparql-query or application/x-www-form-urlencoded"))
                return
            raw = self._body()
            if isinstance(raw, Answer):
                self._send(raw)
                return
            body = raw.decode("utf-8", "replace")
            if content_type == "application/sparql-query":
                params = urllib.parse.parse_qs(parsed.query)
                params["query"] = [body]
            else:
                params = urllib.parse.parse_qs(body)
            self._dispatch(params)

        def do_PUT(self) -> None:
            if self._route() is not None:
                self.unread_body = True
                self._send(_error(HTTPStatus.METHOD_NOT_ALLOWED, "this endpoint is read-only"))

        do_DELETE = do_PUT

        def _dispatch(self, params: dict[str, list[str]]) -> None:
            if "update" in params:
                self._send(_error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused"))
                return
            queries = params.get("query", [])
            if not queries and self.command == "GET":
                self._send(self._about())
                return
            if len(queries) != 1 or not queries[0].strip():
                self._send(_error(HTTPStatus.BAD_REQUEST, "give exactly one `query` parameter"))
                return
            if len(queries[0].encode("utf-8")) > limits.max_query_bytes:
                self._send(_error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"queries are limited to {limits.max_query_bytes} bytes"))
                return
            try:
                refuse_service(queries[0])
            except QueryError as error:
                self._send(_error(HTTPStatus.BAD_REQUEST, str(error)))
                return
            self._send(runner.answer(queries[0], self.headers.get("Accept", "")))

        def _about(self) -> Answer:
            """A GET without a query: the service description, or for a browser a small query form."""
            chosen = _negotiate(self.headers.get("Accept", ""), {"text/turtle": 1, "text/html": 1}, "text/turtle")
            if chosen == "text/html":
                return Answer(HTTPStatus.OK, "text/html; charset=utf-8", query_form().encode("utf-8"),
                              (("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"),))
            host = self.headers.get("Host") or f"127.0.0.1:{port}"   # already checked by _refused
            return Answer(HTTPStatus.OK, "text/turtle; charset=utf-8", service_description(f"http://{host}/sparql").encode("utf-8"))

        def _send(self, answer: Answer) -> None:
            self.connection.settimeout(limits.send_timeout_s)
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Cache-Control", "no-store")
            for name, value in answer.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(answer.body)

    return SparqlHandler


def _busy_reply(limits: Limits) -> bytes:
    body = (f"the endpoint is serving {limits.max_connections} connections already; try again shortly\n").encode()
    return (b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 1\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)


class EndpointServer(ThreadingHTTPServer):
    """A threading HTTP server that serves at most `max_connections` connections at once."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], runner: QueryRunner) -> None:
        super().__init__(address, BaseHTTPRequestHandler)
        self.runner = runner
        # The handler checks Host against the bound address and port, known only now (port 0 = any free one).
        names, any_ip = _host_names(address[0], str(self.server_address[0]))
        self.RequestHandlerClass = make_handler(runner, names, any_ip, int(self.server_address[1]))
        self._connections = threading.BoundedSemaphore(runner.limits.max_connections)
        self.refused_connections = 0

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._connections.acquire(blocking=False):
            self.refused_connections += 1
            self._refuse(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._connections.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._connections.release()

    def _refuse(self, request: socket.socket) -> None:
        """Answer 503 on the accepting thread: a few bytes that fit in the socket buffer, then close."""
        with contextlib.suppress(OSError):
            request.settimeout(0.2)
            request.sendall(_busy_reply(self.runner.limits))
            with contextlib.suppress(BlockingIOError):
                request.recv(65_536, socket.MSG_DONTWAIT)   # what already came, so closing sends FIN, not RST
        self.shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, OSError):      # clients that go away, time out or send too much
            return
        print(f"SPARQL endpoint: {type(error).__name__}: {error}", file=sys.stderr)


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
                   limits: Limits | None = None) -> EndpointServer:
    """Start the endpoint in a background thread; the caller owns `shutdown()`."""
    server = EndpointServer((host, port), QueryRunner(store_factory, limits or Limits()))
    threading.Thread(target=server.serve_forever, name="sparql-endpoint", daemon=True).start()
    return server


def describe_endpoint(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return json.dumps({"sparql": f"http://{host}:{port}/sparql"})
