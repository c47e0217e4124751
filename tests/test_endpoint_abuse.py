"""The `kg serve` endpoint and the query paths under abuse: they reach nothing and stay bounded (issue 15).

Real servers on 127.0.0.1 and real sockets; every loop is bounded in count and time,
and nothing is sent anywhere but loopback.
"""

from __future__ import annotations

import random
import select
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from kgtools.pipeline import open_store
from kgtools.query.endpoint import Limits, serve_endpoint
from kgtools.query.engine import QueryError, service_offset
from kgtools.query.loadtest import child_processes
from kgtools.records.project import Project
from tests.conftest import ROOT, run_kg

pytestmark = pytest.mark.server

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
REFUSED = b"SERVICE (federated query) is not allowed here"


def start(store: ox.Store, **limits: float) -> tuple[object, int]:
    """An endpoint on a free loopback port with these limits."""
    server = serve_endpoint(lambda: store, "127.0.0.1", 0, Limits(**limits))  # type: ignore[arg-type]
    return server, server.server_address[1]


@pytest.fixture
def store(mini: Project) -> ox.Store:
    return open_store(mini)


@pytest.fixture
def endpoint(store: ox.Store) -> Iterator[int]:
    server, port = start(store, timeout_s=2.0, max_results=50)
    try:
        yield port
    finally:
        server.shutdown()  # type: ignore[attr-defined]


class Listener:
    """A loopback TCP listener that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> int:
        time.sleep(0.3)             # a connection attempt in flight would land by now
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()
        return self.connections


@pytest.fixture
def listener() -> Iterator[Listener]:
    spy = Listener()
    yield spy
    spy.close()


def http(port: int, head: bytes, body: bytes = b"", *, read_timeout: float = 30.0) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes to the endpoint and read the whole answer (the server closes after it)."""
    with socket.create_connection(("127.0.0.1", port), timeout=read_timeout) as sock:
        sock.sendall(head + body)
        data = b""
        while chunk := sock.recv(65_536):
            data += chunk
    if not data:
        return -1, {}, b""
    head_part, _, payload = data.partition(b"\r\n\r\n")
    lines = head_part.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, payload


def get(port: int, query: str, *, host: str | None = None, extra: str = "") -> tuple[int, dict[str, str], bytes]:
    host_line = f"Host: {host if host is not None else f'127.0.0.1:{port}'}\r\n" if host != "" else ""
    target = "/sparql?" + urllib.parse.urlencode({"query": query})
    return http(port, f"GET {target} HTTP/1.1\r\n{host_line}{extra}Connection: close\r\n\r\n".encode())


def post(port: int, body: bytes, *, content_type: str = "application/sparql-query", extra: str = "") -> tuple[int, dict[str, str], bytes]:
    head = (f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n{extra}Connection: close\r\n\r\n").encode()
    return http(port, head, body)


# --- SERVICE: no query reaches the network ---------------------------------------------------------------

def service_queries(port: int) -> list[str]:
    target = f"http://127.0.0.1:{port}/sparql"
    return [
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"select * where {{ ?x ?y ?z . service silent <{target}> {{ ?s ?p ?o }} }}",
        f"PREFIX : <{target}#> SELECT * {{ SERVICE:x {{ ?s ?p ?o }} }}",                 # no space after the keyword
        f"SELECT * {{ ?a ?b ?c FILTER(?c<'x>')SERVICE<{target}> {{ ?s ?p ?o }} }}",       # `<'x>'` is not an IRI
        f"SELECT * {{ ?a ?b ?c FILTER(?c<?d)SERVICE#>\n<{target}> {{ ?s ?p ?o }} }}",     # nor is `<?d)SERVICE#>`
        f"ASK {{ FILTER NOT EXISTS {{ SERVICE <{target}> {{ ?s ?p ?o }} }} }}",
    ]


def test_service_is_refused_by_the_endpoint_and_nothing_connects(endpoint: int, listener: Listener) -> None:
    for query in service_queries(listener.port):
        status, _, body = get(endpoint, query)
        assert status == 400, (query, body)
        assert REFUSED in body, body
        status, _, body = post(endpoint, query.encode())
        assert status == 400 and REFUSED in body
    assert listener.close() == 0, "the endpoint connected to the SERVICE address"


def test_service_errors_do_not_tell_open_ports_from_closed(endpoint: int, listener: Listener) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]          # bound, never listening: connections are refused
        template = "SELECT * WHERE { SERVICE <http://127.0.0.1:%d/sparql> { ?s ?p ?o } }"
        open_answer = get(endpoint, template % listener.port)
        closed_answer = get(endpoint, template % closed)
    assert open_answer[2] == closed_answer[2]
    assert open_answer[0] == closed_answer[0] == 400
    assert listener.close() == 0


def test_saved_query_with_service_is_refused_by_kg_query(mini: Project, listener: Listener,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from kgtools.query.saved import saved_queries, saved_query_csv

    (mini.queries / "x.rq").write_text(
        f"# title-en: Federated\nSELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}\n",
        encoding="utf-8")
    code, out, err = run_kg(mini, capsys, "query", "x")
    assert code == 1 and out == ""
    assert "SERVICE (federated query) is not allowed here" in err
    saved = next(q for q in saved_queries(mini) if q.name == "x")
    with pytest.raises(QueryError, match="SERVICE"):
        saved_query_csv(open_store(mini), saved)          # the path the test suite's saved-query checks take
    assert listener.close() == 0, "kg query connected to the SERVICE address"


def _oxigraph_calls_service(store: ox.Store, query: str) -> bool:
    """Whether pyoxigraph gets as far as calling the service (port 1, which it refuses before connecting)."""
    try:
        result = store.query(query, prefixes={"e": "urn:", "": "http://127.0.0.1:1/"})
        if not isinstance(result, ox.QueryBoolean):
            list(result)
    except SyntaxError:
        return False
    except Exception as error:
        return "port 1" in str(error)
    return False


def test_service_gate_agrees_with_oxigraph() -> None:
    """Every query in which pyoxigraph would call a service is refused; no saved query is."""
    store = ox.Store()
    for obj in (ox.Literal(1), ox.Literal("x"), ox.Literal(True), ox.NamedNode("urn:o")):
        store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), obj))
    soup = ["<", ">", "'", "'x>'", "#", "\n", "(", ")", "{", "}", "?c", "?d", " ", "FILTER", "SERVICE", "service",
            ":x", "<http://127.0.0.1:1/>", "<?d", "1", ".", "true", "e:o", '"s"', "'''", "BIND", "AS", "||", "=",
            "EXISTS", "NOT", "OPTIONAL", ",", ";", "a", "'a'@en", "SILENT", "<urn:o#x>", "<urn:(x)>", "[", "]", "^^"]
    tails = ["SERVICE:x{}", "SERVICE<http://127.0.0.1:1/>{}", " SERVICE :x {}", "service silent :x { ?s ?p ?o }"]
    frames = ["SELECT * { ?a ?b ?c %s }", "SELECT * {%s}", "ASK { ?a ?b ?c FILTER(%s) }", "SELECT * { ?a ?b ?c FILTER(?c<%s }"]
    rng = random.Random(15)
    reached, deadline = 0, time.monotonic() + 20
    for _ in range(30_000):
        if time.monotonic() > deadline:
            break
        body = "".join(rng.choice(soup) for _ in range(rng.randint(0, 5))) + rng.choice(tails)
        query = rng.choice(frames) % body
        if _oxigraph_calls_service(store, query):
            reached += 1
            assert service_offset(query) is not None, query
    assert reached > 200
    for path in sorted((ROOT / "corpus" / "queries").glob("*.rq")):
        assert service_offset(path.read_text(encoding="utf-8")) is None, path.name


# --- who may use the endpoint ------------------------------------------------------------------------------

ASK = "ASK { ?s ?p ?o }"


def test_foreign_host_is_refused(endpoint: int) -> None:
    assert get(endpoint, ASK)[0] == 200
    assert get(endpoint, ASK, host=f"localhost:{endpoint}")[0] == 200
    for host in (f"evil.example:{endpoint}", "evil.example", f"127.0.0.1:{endpoint + 1}", f"127.0.0.1.evil.example:{endpoint}",
                 f"[::1]:{endpoint}", ""):
        status, _, body = get(endpoint, ASK, host=host)
        assert status == 403, (host, status)
        assert b"answers only requests addressed to" in body


def test_no_wildcard_cors_and_cross_origin_requests_refused(endpoint: int) -> None:
    status, headers, _ = get(endpoint, ASK)
    assert status == 200
    assert "access-control-allow-origin" not in headers
    for extra in ("Origin: http://evil.example\r\n", "Origin: null\r\n", f"Origin: http://localhost:{endpoint + 1}\r\n",
                  "Sec-Fetch-Site: cross-site\r\n"):
        status, headers, body = get(endpoint, ASK, extra=extra)
        assert status == 403 and b"cross-" in body, extra
        assert "access-control-allow-origin" not in headers
    status, headers, _ = http(endpoint, f"OPTIONS /sparql HTTP/1.1\r\nHost: 127.0.0.1:{endpoint}\r\nOrigin: http://evil.example\r\n"
                                        "Access-Control-Request-Method: POST\r\n\r\n".encode())
    assert status >= 400 and "access-control-allow-origin" not in headers
    assert get(endpoint, ASK, extra=f"Origin: http://127.0.0.1:{endpoint}\r\n")[0] == 200


# --- bounded resources -------------------------------------------------------------------------------------

def test_slow_queries_run_on_a_fixed_number_of_workers_and_extras_get_503_fast(store: ox.Store) -> None:
    server, port = start(store, timeout_s=3.0, workers=2, queue=2)
    baseline = child_processes()
    peak, stop = [0], threading.Event()

    def watch() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], child_processes() - baseline)
            time.sleep(0.02)

    results: list[tuple[int, float, dict[str, str]]] = []
    lock = threading.Lock()

    def one() -> None:
        started = time.monotonic()
        status, headers, _ = get(port, SLOW)
        with lock:
            results.append((status, time.monotonic() - started, headers))

    watcher = threading.Thread(target=watch)
    watcher.start()
    clients = [threading.Thread(target=one) for _ in range(12)]
    try:
        for client in clients:
            client.start()
        for client in clients:
            client.join(timeout=30)
        assert get(port, "SELECT ?t WHERE { ?t a sa:Technology } LIMIT 1")[0] == 200   # and the endpoint still answers
    finally:
        stop.set()
        watcher.join()
        server.shutdown()  # type: ignore[attr-defined]
    assert len(results) == 12
    assert 1 <= peak[0] <= 2, f"{peak[0]} query processes at once"
    busy = [(elapsed, headers) for status, elapsed, headers in results if status == 503 and elapsed < 1.0]
    assert len(busy) >= 12 - 2 - 2, sorted((s, round(e, 2)) for s, e, _ in results)
    assert all(headers.get("retry-after", "").isdigit() for _, headers in busy)


def _still_held(socks: list[socket.socket]) -> int:
    """Sockets the server has neither answered nor closed."""
    return sum(1 for sock in socks if not select.select([sock], [], [], 0)[0])


def test_half_sent_requests_are_dropped_after_the_request_timeout(store: ox.Store) -> None:
    server, port = start(store, request_timeout_s=1.0, max_connections=16)
    socks: list[socket.socket] = []
    try:
        for _ in range(50):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Le".encode())
            socks.append(sock)
        trickle = socket.create_connection(("127.0.0.1", port), timeout=5)
        started = time.monotonic()
        for char in b"GET /sparql?query=ASK HTTP/1.1\r\n":     # one byte every 0.2 s: no single read waits long
            if time.monotonic() - started > 4:
                break
            try:
                trickle.send(bytes([char]))
            except OSError:
                break
            time.sleep(0.2)
        time.sleep(1.0)                                   # timeout 1 s, and a margin
        held = _still_held([*socks, trickle])
        threads = threading.active_count()
        answered = get(port, ASK)[0]
    finally:
        for sock in socks:
            sock.close()
        trickle.close()
        server.shutdown()  # type: ignore[attr-defined]
    assert held == 0, f"{held} of 51 half-sent requests still held after the timeout"
    assert threads < 16 + 10
    assert answered == 200


def test_bodies_are_bounded_whatever_the_headers_say(store: ox.Store) -> None:
    server, port = start(store, request_timeout_s=2.0, max_query_bytes=10_000)

    def head(extra: str) -> bytes:
        return f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/sparql-query\r\n{extra}\r\n".encode()

    def answer_before_body(extra: str) -> tuple[int, bytes, float]:
        """Send the head and 5 bytes only: the answer (or the close, -1) must come without the rest; -2: still open."""
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", port), timeout=8) as sock:
            sock.sendall(head(extra) + b"ASK {")
            data = b""
            try:
                while chunk := sock.recv(65_536):
                    data += chunk
            except TimeoutError:
                return -2, data, time.monotonic() - started
        return int(data.split()[1]) if data else -1, data, time.monotonic() - started

    try:
        # A Content-Length within the cap but a body that never comes: dropped at the request timeout.
        status, data, elapsed = answer_before_body("Content-Length: 9000\r\n")
        assert status == -1 and elapsed < 2.0 + 1.5, f"held {elapsed:.1f} s (status {status})"
        # A negative length must not mean "read until the client stops".
        status, data, elapsed = answer_before_body("Content-Length: -1\r\n")
        assert status == 400 and elapsed < 1.5, f"status {status} after {elapsed:.1f} s"
        status, data, elapsed = answer_before_body("Content-Length: 1000000000\r\n")
        assert status == 413 and b"limited to" in data and elapsed < 1.5
        status, data, elapsed = answer_before_body("Transfer-Encoding: chunked\r\n")
        assert status == 411 and elapsed < 1.5
        status, data, elapsed = answer_before_body("Content-Length: 5\r\nContent-Length: 500\r\n")
        assert status == 400 and elapsed < 1.5
        status, data, elapsed = answer_before_body("")
        assert status == 411 and elapsed < 1.5
        # An honest body over the cap: refused on its Content-Length.
        status = post(port, b"# " + b"x" * 20_000 + b"\nASK {}")[0]
        assert status == 413
        assert post(port, b"ASK { ?s ?p ?o }")[0] == 200
    finally:
        server.shutdown()  # type: ignore[attr-defined]


def test_a_tiny_query_with_a_huge_row_is_cut_by_the_byte_cap(store: ox.Store) -> None:
    server, port = start(store, max_answer_bytes=1_000_000)
    doubling = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(22))
    select = f'SELECT ?s22 WHERE {{ BIND("0123456789abcdef" AS ?s0) {doubling} }}'
    construct = f'CONSTRUCT {{ <urn:a> <urn:b> ?s22 }} WHERE {{ BIND("0123456789abcdef" AS ?s0) {doubling} }}'
    try:
        assert len(select) < 1_000
        for query, accept in ((select, "application/sparql-results+json"), (select, "text/csv"), (construct, "text/turtle")):
            status, _, body = get(port, query, extra=f"Accept: {accept}\r\n")
            assert status == 422, (accept, status, len(body))
            assert b"larger than 1000000 bytes" in body and len(body) < 1_000
        many = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 40"
        status, _, body = get(port, many)
        assert status == 200 and len(body) < 1_000_000
    finally:
        server.shutdown()  # type: ignore[attr-defined]


def test_too_many_connections_get_503_at_once(store: ox.Store) -> None:
    server, port = start(store, request_timeout_s=3.0, max_connections=4)
    socks = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(4)]
    try:
        time.sleep(0.2)
        started = time.monotonic()
        status, headers, body = get(port, ASK)
        elapsed = time.monotonic() - started
    finally:
        for sock in socks:
            sock.close()
        server.shutdown()  # type: ignore[attr-defined]
    assert status == 503 and elapsed < 1.0 and "retry-after" in headers
    assert b"connections" in body
