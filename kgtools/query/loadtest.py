"""A bounded load test of the SPARQL endpoint on loopback: N clients for T seconds.

Reports throughput, latency percentiles, failures beyond the deliberate limits,
and the server process's memory before and after, so a leak would show.
"""

from __future__ import annotations

import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

# A realistic mix: a lookup, a join, an aggregate, a malformed query (400) and an over-cap answer (422).
MIX = [
    ("SELECT ?t ?l WHERE { ?t a sa:Technology ; skos:prefLabel ?l } LIMIT 50", 200),
    ("SELECT ?c ?t WHERE { ?c sa:uses ?t . ?t sa:category ?k } LIMIT 200", 200),
    ("SELECT ?k (COUNT(?t) AS ?n) WHERE { ?t sa:category ?k } GROUP BY ?k", 200),
    ("SELECT * WHERE { ?s ?p }", 400),
    ("SELECT * WHERE { ?s ?p ?o }", 422),
]


def rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


@dataclass
class LoadResult:
    requests: int = 0
    unexpected: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0
    rss_before_kib: int = 0
    rss_after_kib: int = 0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0.0

    def summary(self) -> str:
        return (f"{self.requests} requests in {self.seconds:.1f} s = {self.requests / self.seconds:.0f} req/s; "
                f"latency p50 {self.percentile(50):.1f} ms, p95 {self.percentile(95):.1f} ms, p99 {self.percentile(99):.1f} ms, "
                f"mean {statistics.fmean(self.latencies_ms):.1f} ms; unexpected responses: {len(self.unexpected)}; "
                f"server RSS {self.rss_before_kib / 1024:.0f} → {self.rss_after_kib / 1024:.0f} MiB")


def run_load(url: str, clients: int = 8, seconds: float = 30.0, max_requests: int = 200_000) -> LoadResult:
    result = LoadResult(rss_before_kib=rss_kib())
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        turn = index
        while time.monotonic() < deadline:
            with lock:
                if result.requests >= max_requests:
                    return
                result.requests += 1
            query, expected = MIX[turn % len(MIX)]
            turn += 1
            body = urllib.parse.urlencode({"query": query}).encode()
            request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310
                "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback test URL
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                error.read()
                status = error.code
            except OSError as error:
                status = -1
                with lock:
                    result.unexpected.append(f"{query[:30]}: {error}")
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                result.latencies_ms.append(elapsed)
                if status != expected and status != -1:
                    result.unexpected.append(f"{query[:30]}: HTTP {status}, expected {expected}")

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    result.rss_after_kib = rss_kib()
    return result
