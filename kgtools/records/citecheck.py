"""`kg cite-check`: is each source's page still there, and does it still say what the record quotes?

For every source record with a `url` (public references, vendor case studies,
papers), politely (kgtools.records.http: a timeout, retries with backoff, one
request per host at a time and at most `rate` a second):

1. read the host's `robots.txt` once (RFC 9309: a 4xx answer allows
   everything; a host that does not answer it is unreachable, and its pages are
   not fetched) and skip addresses it does not allow our User-Agent;
2. fetch the page, following redirects and keeping the chain;
3. look for the record's `quote` in the page's visible text
   (kgtools.records.pagetext);
4. for a page that is dead, moved or has lost its quote, ask the Wayback
   Machine for an archived copy (kgtools.records.wayback).

Each source gets one outcome (`OUTCOMES`). A name the resolver does not know
makes a page dead only while the resolver can find the archive's host: on a
machine without DNS to the internet every name is unknown, and that says
nothing about the pages. Hosts are checked side by side, each host's pages one
after the other.

The command (kgtools.records.citerun) prints the report and, unless it is a
dry run, writes the results to `corpus/checks/citations.yaml`
(kgtools.records.citefile).
"""

from __future__ import annotations

import socket
import threading
import urllib.robotparser
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit, urlunsplit

from kgtools.records.http import Client, FetchError
from kgtools.records.pagetext import quote_present, visible_text
from kgtools.records.wayback import DEFAULT_API, Archived, closest_copy

AGENT = "stackatlas-kg-cite-check"
USER_AGENT = f"{AGENT} (+https://github.com/stackatlas/stackatlas)"
# Report order: what needs a maintainer first.
OUTCOMES = ("dead", "quote-missing", "redirected", "unreachable", "robots-disallowed", "unreadable", "no-quote", "ok")
ARCHIVE_FOR = frozenset({"dead", "quote-missing", "redirected"})
DEAD_STATUS = frozenset({404, 410})
PAGE_ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5"
MAX_ROBOTS = 500 * 1024    # RFC 9309: crawlers must read at least 500 KiB; the rest may be ignored


@dataclass(frozen=True)
class Target:
    """One source to check: its id, its address and, when the record has one, its quote and the day it was seen."""

    source: str
    url: str
    quote: str | None = None
    seen: str | None = None


@dataclass
class Result:
    source: str
    url: str
    outcome: str
    status: int | None = None
    final_url: str | None = None
    redirects: tuple[tuple[int, str], ...] = ()
    quote_found: bool | None = None
    detail: str = ""
    archive: Archived | None = None
    seen: str | None = None

    def lines(self) -> list[str]:
        """The report's lines for this source: what was found, then the archived copy when one was asked for."""
        head = f"{self.source}: {self.url}"
        if self.final_url:
            chain = " → ".join(f"{url} ({status})" for status, url in self.redirects) or self.final_url
            head += f" → {chain}"
        out = [f"{head}: {self.detail}" if self.detail else head]
        if self.archive is not None:
            out.append(f"    {self.archive.line()}")
        return out


@dataclass
class Report:
    checked_on: str
    results: list[Result] = field(default_factory=list)

    def by_outcome(self) -> dict[str, list[Result]]:
        groups: dict[str, list[Result]] = {outcome: [] for outcome in OUTCOMES}
        for result in sorted(self.results, key=lambda r: r.source):
            groups[result.outcome].append(result)
        return groups

    def summary(self) -> str:
        """One line of counts, e.g. `3 ok, 1 dead, … (12 sources checked)`."""
        groups = self.by_outcome()
        counts = ", ".join(f"{len(items)} {outcome}" for outcome, items in groups.items() if items) or "nothing"
        return f"{counts} ({len(self.results)} source(s) checked on {self.checked_on})"

    def text(self) -> str:
        """The whole report: one block per outcome that occurred, problems first, then the summary line."""
        out: list[str] = []
        for outcome, items in self.by_outcome().items():
            if not items:
                continue
            out.append(f"{outcome} ({len(items)})")
            if outcome == "ok":
                out.append("  " + ", ".join(r.source for r in items))
            else:
                out.extend(f"  {line}" for result in items for line in result.lines())
            out.append("")
        out.append(f"summary: {self.summary()}")
        return "\n".join(out)


class Checker:
    """Checks targets with one polite client, remembering each host's robots rules for the run."""

    def __init__(self, client: Client, archive_api: str = DEFAULT_API,
                 resolver_works: Callable[[], bool] | None = None) -> None:
        self.client = client
        self.archive_api = archive_api
        self._robots: dict[str, urllib.robotparser.RobotFileParser | FetchError] = {}
        self._resolver_works = resolver_works or _resolves(urlsplit(archive_api).hostname or "archive.org")

    # -- one target -----------------------------------------------------------------------------

    def check(self, target: Target) -> Result:
        """The outcome for one target (never raises for anything the network does)."""
        asked = request_url(target.url)
        rules = self._rules(asked)
        if isinstance(rules, FetchError):
            result = self._failed(target, rules, _robots_url(asked))
            result.detail = f"robots.txt: {result.detail}; page not fetched"
            return result
        if not rules.can_fetch(AGENT, asked):
            return Result(target.source, target.url, "robots-disallowed", seen=target.seen,
                          detail=f"the site's robots.txt does not allow {AGENT} here; not fetched")
        try:
            answer = self.client.get(asked, headers={"Accept": PAGE_ACCEPT})
        except FetchError as error:
            return self._failed(target, error, asked)
        result = Result(target.source, target.url, "ok", answer.status, seen=target.seen)
        if answer.url != asked:
            result.final_url, result.redirects = answer.url, answer.redirects
        kind = answer.headers.get("content-type", "").split(";")[0].strip().lower()
        readable = kind.startswith("text/") or kind.endswith(("+xml", "/xml")) or (not kind and answer.body.lstrip()[:1] == b"<")
        text = ""
        if target.quote is not None and readable:
            try:
                text = visible_text(answer.body, answer.headers.get("content-type", ""))
            except (ValueError, AssertionError) as error:   # html.parser gives up on very broken markup
                readable, kind = False, f"{kind} that cannot be parsed ({error})"
        if target.quote is None:
            result.outcome = "redirected" if result.final_url else "no-quote"
            result.detail = f"HTTP {answer.status}; the record has no quote to check"
        elif not readable:
            result.outcome = "redirected" if result.final_url else "unreadable"
            result.detail = f"HTTP {answer.status}, {kind or 'no content type'}: not text that can be read here; check the quote by eye"
        else:
            result.quote_found = quote_present(target.quote, text)
            if result.final_url:
                result.outcome = "redirected"
                result.detail = "moved; the quote is " + ("on the new page" if result.quote_found else "not on the new page")
            elif result.quote_found:
                result.detail = f"HTTP {answer.status}; quote found"
            else:
                result.outcome = "quote-missing"
                result.detail = f"HTTP {answer.status}; the page no longer has “{_short(target.quote)}”"
        return result

    def _failed(self, target: Target, error: FetchError, asked: str = "") -> Result:
        """A fetch that gave no page: dead for 404, 410 or an unknown host name (while names resolve), else unreachable."""
        result = Result(target.source, target.url, "unreachable", error.status, seen=target.seen,
                        detail=_reason(error, asked or target.url))
        if error.cause == "http" and error.status in DEAD_STATUS:
            result.outcome = "dead"
        elif error.cause == "name-not-found":
            if self._resolver_works():
                result.outcome = "dead"
            else:
                result.detail += "; no name resolves here (not even the archive's host): not judged dead"
        elif error.cause == "http" and error.status is not None and error.status < 500:
            result.detail += "; the site refused us: not judged dead"
        else:
            result.detail += "; not judged dead"
        return result

    def _rules(self, url: str) -> urllib.robotparser.RobotFileParser | FetchError:
        where = _robots_url(url)
        if where not in self._robots:
            self._robots[where] = self._read_robots(where)
        return self._robots[where]

    def _read_robots(self, where: str) -> urllib.robotparser.RobotFileParser | FetchError:
        rules = urllib.robotparser.RobotFileParser(where)
        try:
            answer = self.client.get(where, headers={"Accept": "text/plain"})
            rules.parse(answer.body[:MAX_ROBOTS].decode("utf-8", errors="replace").splitlines())
        except FetchError as error:
            if error.cause == "http" and error.status is not None and 400 <= error.status < 500 and error.status != 429:
                rules.parse([])          # RFC 9309 §2.3.1.3: robots.txt unavailable (4xx) → everything allowed
            else:
                return error
        return rules

    # -- many targets ---------------------------------------------------------------------------

    def check_all(self, targets: list[Target], jobs: int = 8) -> list[Result]:
        """Every target's result: hosts side by side (`jobs` at once), each host's pages in turn; then the archive."""
        by_host: dict[str, list[Target]] = defaultdict(list)
        for target in targets:
            by_host[urlsplit(target.url).netloc.lower()].append(target)
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            groups = list(pool.map(lambda items: [self.check(t) for t in items], by_host.values()))
        results = sorted((r for group in groups for r in group), key=lambda r: r.source)
        for result in results:       # one host, one at a time: the archive's rate limit holds
            if result.outcome in ARCHIVE_FOR:
                result.archive = closest_copy(self.client, result.url, result.seen, self.archive_api)
        return results


def _resolves(host: str) -> Callable[[], bool]:
    """Whether the resolver can find `host` at all, asked once."""
    answer: list[bool] = []
    lock = threading.Lock()

    def works() -> bool:
        with lock:
            if not answer:
                try:
                    socket.getaddrinfo(host, 443)
                    answer.append(True)
                except OSError:
                    answer.append(False)
            return answer[0]

    return works


def request_url(url: str) -> str:
    """`url` as an HTTP request can carry it: a non-ASCII host in IDNA, other non-ASCII characters percent-encoded.

    >>> request_url("https://例子.测试/路径?q=é")
    'https://xn--fsqu00a.xn--0zwm56d/%E8%B7%AF%E5%BE%84?q=%C3%A9'
    >>> request_url("https://example.org/a%20b?c=d#e")
    'https://example.org/a%20b?c=d#e'
    """
    if url.isascii():
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        host = quote(host, safe="")
    netloc = host + (f":{parts.port}" if parts.port else "")
    if "@" in parts.netloc:
        netloc = quote(parts.netloc.rsplit("@", 1)[0], safe=":%") + "@" + netloc
    keep = "/?#[]@!$&'()*+,;=%:~-._"
    return urlunsplit((parts.scheme, netloc, quote(parts.path, safe=keep), quote(parts.query, safe=keep),
                       quote(parts.fragment, safe=keep)))


def _robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def _reason(error: FetchError, url: str) -> str:
    """The error's words without the address the report already shows."""
    text = str(error)
    return text.removeprefix(f"{url}: ") or text


def _short(quote: str, limit: int = 80) -> str:
    return quote if len(quote) <= limit else quote[: limit - 1].rstrip() + "…"


def today() -> str:
    return datetime.now(UTC).date().isoformat()

