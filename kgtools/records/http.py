"""A polite HTTP client for public registry APIs: a timeout, retries with backoff, one request per host at a time.

`kg track` asks registries that serve everyone; a burst of requests or a
retry storm would be rude and would get us blocked. Every request waits until
`min_interval` seconds have passed since the previous one to the same host,
gives up after `timeout` seconds, and is retried `retries` times (waiting
`backoff`, then twice that, …; a `Retry-After` header, capped, is honoured) on
a timeout, a refused connection, 429 or a 5xx answer. What still fails is a
`FetchError` saying why, so the caller reports it and never guesses.

The clock and the sleep are injectable, so tests check the waiting without
taking time.
"""

from __future__ import annotations

import http.client
import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

USER_AGENT = "stackatlas-kg-track (+https://github.com/stackatlas/stackatlas)"
RETRY_STATUS = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 60.0
NAME_NOT_FOUND = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}
MAX_BODY = 32 * 1024 * 1024  # a registry answer larger than this is not an answer we can use


class FetchError(Exception):
    """A request that did not give a usable answer, with the reason in words.

    `status` is the HTTP status of the last answer when there was one; `cause`
    says what kind of failure it was, for callers that judge it (`kg cite-check`
    calls a 404 dead but a timeout only unreachable): `http` (an error status),
    `name-not-found` (the resolver does not know the host), `timeout`,
    `connect` (refused, reset, TLS, a broken answer), `too-large` or `address`.
    """

    def __init__(self, message: str, status: int | None = None, cause: str = "",
                 redirects: tuple[tuple[int, str], ...] = ()) -> None:
        super().__init__(message)
        self.status = status
        self.cause = cause
        self.redirects = redirects


@dataclass
class Response:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    redirects: tuple[tuple[int, str], ...] = ()   # each redirect followed: its status and the address it gave

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError as error:
            raise FetchError(f"{self.url}: answer is not JSON ({error})") from error

    def last_modified(self) -> str | None:
        """The Last-Modified header as an ISO date, or None."""
        value = self.headers.get("last-modified")
        try:
            return parsedate_to_datetime(value).date().isoformat() if value else None
        except (TypeError, ValueError):
            return None


@dataclass
class Client:
    timeout: float = 10.0
    retries: int = 2
    backoff: float = 1.0
    min_interval: float = 1.0
    user_agent: str = USER_AGENT
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    last_request: dict[str, float] = field(default_factory=dict)   # host → when its last request started

    def _wait_for(self, host: str) -> None:
        last = self.last_request.get(host)
        if last is not None:
            remaining = self.min_interval - (self.clock() - last)
            if remaining > 0:
                self.sleep(remaining)
        self.last_request[host] = self.clock()

    def get(self, url: str, method: str = "GET", headers: dict[str, str] | None = None) -> Response:
        """The answer to `url` (2xx), after retries; FetchError for anything else.

        Redirects are followed (as urllib does, at most 10) and recorded in the
        answer. A host name the resolver says does not exist is not asked again:
        a second try a second later would get the same answer.
        """
        if urlsplit(url).scheme not in ("http", "https"):
            raise FetchError(f"{url}: not an http(s) address", cause="address")
        host = urlsplit(url).netloc
        attempts = self.retries + 1
        reason, status, cause = "", None, ""
        hops: tuple[tuple[int, str], ...] = ()
        for attempt in range(attempts):
            self._wait_for(host)
            wait = self.backoff * (2 ** attempt)
            recorder = _Redirects()
            try:
                sent = {"User-Agent": self.user_agent, "Accept": "application/json", **(headers or {})}
                request = urllib.request.Request(url, method=method, headers=sent)  # noqa: S310 (scheme checked above)
                with urllib.request.build_opener(recorder).open(request, timeout=self.timeout) as answer:
                    body = answer.read(MAX_BODY + 1)
                    if len(body) > MAX_BODY:
                        raise FetchError(f"{url}: answer larger than {MAX_BODY} bytes", answer.status, "too-large")
                    return Response(answer.geturl(), answer.status, {k.lower(): v for k, v in answer.headers.items()}, body,
                                    tuple(recorder.hops))
            except urllib.error.HTTPError as error:
                hops = tuple(recorder.hops)
                if error.code not in RETRY_STATUS:
                    raise FetchError(f"{url}: HTTP {error.code} {error.reason}", error.code, "http", hops) from error
                reason, status, cause = f"HTTP {error.code} {error.reason}", error.code, "http"
                wait = max(wait, _retry_after(error.headers.get("Retry-After")))
            except TimeoutError:
                reason, status, cause = f"no answer within {self.timeout:g} s", None, "timeout"
            except urllib.error.URLError as error:
                error_cause = error.reason
                if isinstance(error_cause, socket.gaierror) and error_cause.errno in NAME_NOT_FOUND:
                    raise FetchError(f"{url}: host name not found ({error_cause.strerror})", None, "name-not-found",
                                     tuple(recorder.hops)) from error
                if isinstance(error_cause, TimeoutError):
                    reason, status, cause = f"no answer within {self.timeout:g} s", None, "timeout"
                else:
                    reason, status, cause = f"cannot connect ({error_cause})", None, "connect"
            except (ConnectionError, OSError, http.client.HTTPException) as error:
                reason, status, cause = f"connection failed ({error})", None, "connect"
            if attempt + 1 < attempts:
                self.sleep(wait)
        raise FetchError(f"{url}: {reason} (tried {attempts} times)", status, cause, hops)


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects as urllib does, noting each one's status and the address it gave."""

    def __init__(self) -> None:
        self.hops: list[tuple[int, str]] = []

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> urllib.request.Request | None:
        self.hops.append((code, newurl))
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _retry_after(value: str | None) -> float:
    """Seconds a Retry-After header asks for (only the delta-seconds form), capped."""
    if value and value.strip().isdigit():
        return min(float(value.strip()), MAX_RETRY_AFTER)
    return 0.0
