"""A bounded load test of the SPARQL endpoint on loopback: N clients for T seconds, with abuse alongside.

The endpoint must stay correct under ordinary load and bounded under abuse, so the
run mixes both: realistic queries, and the requests issue 15 names (SERVICE, a
foreign Host, a cross-origin page, lying or chunked bodies, a tiny query with a
huge answer) with the answers they must get; half-sent requests held open the
whole time; and at the end a burst of slow queries, larger than the workers and
the queue together. It reports throughput, latency percentiles, answers other
than the expected ones, and what the server spent: worker processes, threads,
memory and sockets held. The endpoint runs in this process (as in the tests),
so its children, threads and memory are this process's.
"""

from __future__ import annotations

import os
import select
import socket
import statistics
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

# A realistic mix: a lookup, a join, an aggregate, a malformed query (400) and an over-cap answer (422).
MIX = [
    ("SELECT ?t ?l WHERE { ?t a sa:Technology ; skos:prefLabel ?l } LIMIT 50", 200),
    ("SELECT ?c ?t WHERE { ?c sa:uses ?t . ?t sa:category ?k } LIMIT 200", 200),
    ("SELECT ?k (COUNT(?t) AS ?n) WHERE { ?t sa:category ?k } GROUP BY ?k", 200),
    ("SELECT * WHERE { ?s ?p }", 400),
    ("SELECT * WHERE { ?s ?p ?o }", 422),
]
# A tiny query whose one row is 4 MiB (a string doubled 18 times): over any sensible byte cap.
HUGE_ROW = ('SELECT ?s18 WHERE { BIND("0123456789abcdef" AS ?s0) '
            + " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(18)) + " }")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"


def rss_kib() -> int:
    return _status("VmRSS")


def _status(key: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def child_processes() -> int:
    """Processes whose parent is this one: the endpoint's query workers."""
    me, count = os.getpid(), 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == me:
                        count += 1
            except (OSError, ValueError, IndexError):
                pass
    return count


def held_sockets(port: int) -> int:
    """Established TCP connections on the server's side of `port` (IPv4 and IPv6)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table, encoding="ascii") as lines:
                next(lines)
                for line in lines:
                    parts = line.split()
                    if parts[3] == "01" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                        count += 1
        except OSError:
            pass
    return count


def raw_request(port: int, head: str, body: bytes = b"", timeout: float = 30.0) -> int:
    """Send one request as bytes and return the status of the answer (-1: closed without one)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head.encode("latin-1") + body)
        data = b""
        while len(data) < 64 and (chunk := sock.recv(65_536)):
            data += chunk
        while sock.recv(65_536):
            pass
    return int(data.split()[1]) if data.startswith(b"HTTP/") else -1


def query_request(port: int, query: str, host: str | None = None, extra: str = "") -> int:
    body = urllib.parse.urlencode({"query": query}).encode()
    return raw_request(port, f"POST /sparql HTTP/1.1\r\nHost: {host or f'127.0.0.1:{port}'}\r\n"
                             "Content-Type: application/x-www-form-urlencoded\r\nAccept: application/sparql-results+json\r\n"
                             f"Content-Length: {len(body)}\r\n{extra}Connection: close\r\n\r\n", body)


def _abuse(port: int) -> list[tuple[str, Callable[[], int], int]]:
    """Requests an endpoint must refuse, each with the status it must refuse them with."""
    local = f"127.0.0.1:{port}"
    return [
        ("SERVICE", lambda: query_request(port, f"SELECT * {{ SERVICE <http://{local}/sparql> {{ ?s ?p ?o }} }}"), 400),
        ("foreign Host", lambda: query_request(port, "ASK {}", host=f"rebound.example:{port}"), 403),
        ("cross origin", lambda: query_request(port, "ASK {}", extra="Origin: http://page.example\r\n"), 403),
        ("lying length", lambda: raw_request(port, f"POST /sparql HTTP/1.1\r\nHost: {local}\r\nContent-Type: application/sparql-query"
                                                   "\r\nContent-Length: 1000000000\r\n\r\n", b"ASK {"), 413),
        ("chunked", lambda: raw_request(port, f"POST /sparql HTTP/1.1\r\nHost: {local}\r\nContent-Type: application/sparql-query"
                                              "\r\nTransfer-Encoding: chunked\r\n\r\n", b"5\r\nASK {\r\n"), 411),
        ("huge row", lambda: query_request(port, HUGE_ROW), 422),
    ]


@dataclass
class LoadResult:
    requests: int = 0
    unexpected: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0
    rss_before_kib: int = 0
    rss_after_kib: int = 0
    rss_peak_kib: int = 0
    peak_children: int = 0
    peak_threads: int = 0
    peak_held_sockets: int = 0
    held_after: int = 0
    half_sent: int = 0                 # half-sent requests opened
    longest_hold_s: float = 0.0        # the longest the server kept one
    burst: int = 0                     # slow queries sent at once
    burst_busy_fast: int = 0           # of them, 503s answered within a second
    burst_statuses: dict[int, int] = field(default_factory=dict)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0.0

    def summary(self) -> str:
        text = (f"{self.requests} requests in {self.seconds:.1f} s = {self.requests / self.seconds:.0f} req/s; "
                f"latency p50 {self.percentile(50):.1f} ms, p95 {self.percentile(95):.1f} ms, p99 {self.percentile(99):.1f} ms, "
                f"mean {statistics.fmean(self.latencies_ms or [0.0]):.1f} ms; unexpected responses: {len(self.unexpected)}; "
                f"server RSS {self.rss_before_kib / 1024:.0f} → {self.rss_after_kib / 1024:.0f} MiB "
                f"(peak {self.rss_peak_kib / 1024:.0f} MiB); peak worker processes {self.peak_children}, "
                f"peak threads {self.peak_threads}, peak sockets held {self.peak_held_sockets}, held at the end {self.held_after}")
        if self.half_sent:
            text += f"; {self.half_sent} half-sent requests, the longest held {self.longest_hold_s:.1f} s"
        if self.burst:
            statuses = ", ".join(f"{n}×{s}" for s, n in sorted(self.burst_statuses.items()))
            text += f"; burst of {self.burst} slow queries: {statuses}, {self.burst_busy_fast} refused 503 within 1 s"
        return text


def run_load(url: str, clients: int = 8, seconds: float = 30.0, max_requests: int = 200_000,
             half_sent: int = 0, burst: int = 0) -> LoadResult:
    """`clients` clients for `seconds`, each cycling through MIX and the abuse requests.

    Meanwhile `half_sent` half-sent requests are kept open (each reopened when the server
    drops it), and afterwards `burst` slow queries are sent at once.
    """
    port = urllib.parse.urlsplit(url).port or 80
    result = LoadResult(rss_before_kib=rss_kib())
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    stop = threading.Event()
    mix: list[tuple[str, Callable[[], int], int]] = [(q[:30], (lambda q=q: query_request(port, q)), e) for q, e in MIX]
    mix += _abuse(port)

    def sample() -> None:
        while not stop.is_set():
            with lock:
                result.peak_children = max(result.peak_children, child_processes())
                result.peak_threads = max(result.peak_threads, _status("Threads"))
                result.rss_peak_kib = max(result.rss_peak_kib, rss_kib())
                result.peak_held_sockets = max(result.peak_held_sockets, held_sockets(port))
            stop.wait(0.05)

    def client(index: int) -> None:
        turn = index
        while time.monotonic() < deadline:
            with lock:
                if result.requests >= max_requests:
                    return
                result.requests += 1
            label, send, expected = mix[turn % len(mix)]
            turn += 1
            started = time.perf_counter()
            try:
                status = send()
            except OSError as error:
                status = -1
                with lock:
                    result.unexpected.append(f"{label}: {error}")
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                result.latencies_ms.append(elapsed)
                if status != expected and status != -1:
                    result.unexpected.append(f"{label}: HTTP {status}, expected {expected}")

    def hold() -> None:
        """Keep `half_sent` requests half-sent; note how long the server keeps each."""
        opened: dict[socket.socket, float] = {}
        try:
            while time.monotonic() < deadline:
                while len(opened) < half_sent:
                    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
                    sock.sendall(f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Le".encode())
                    opened[sock] = time.monotonic()
                    with lock:
                        result.half_sent += 1
                ready, _, _ = select.select(list(opened), [], [], 0.1)
                for sock in ready:
                    held_s = time.monotonic() - opened.pop(sock)
                    sock.close()
                    with lock:
                        result.longest_hold_s = max(result.longest_hold_s, held_s)
        finally:
            for sock, since in opened.items():
                with lock:
                    result.longest_hold_s = max(result.longest_hold_s, time.monotonic() - since)
                sock.close()

    sampler = threading.Thread(target=sample, name="load-sampler", daemon=True)
    sampler.start()
    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    if half_sent:
        threads.append(threading.Thread(target=hold))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    if burst:
        _burst(port, burst, result, lock)
    stop.set()
    sampler.join()
    time.sleep(0.2)
    result.held_after = held_sockets(port)
    result.rss_after_kib = rss_kib()
    return result


def _burst(port: int, count: int, result: LoadResult, lock: threading.Lock) -> None:
    """`count` slow queries at once; each answer's status, and how many were refused fast."""
    result.burst = count

    def one() -> None:
        started = time.monotonic()
        try:
            status = query_request(port, SLOW)
        except OSError:
            status = -1
        with lock:
            result.burst_statuses[status] = result.burst_statuses.get(status, 0) + 1
            if status == 503 and time.monotonic() - started < 1.0:
                result.burst_busy_fast += 1

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
