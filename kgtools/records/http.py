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

import json
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
MAX_BODY = 32 * 1024 * 1024  # a registry answer larger than this is not an answer we can use


class FetchError(Exception):
    """A request that did not give a usable answer, with the reason in words."""


@dataclass
class Response:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes

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
        """The answer to `url` (2xx), after retries; FetchError for anything else."""
        if urlsplit(url).scheme not in ("http", "https"):
            raise FetchError(f"{url}: not an http(s) address")
        host = urlsplit(url).netloc
        attempts = self.retries + 1
        reason = ""
        for attempt in range(attempts):
            self._wait_for(host)
            wait = self.backoff * (2 ** attempt)
            try:
                sent = {"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})}
                request = urllib.request.Request(url, method=method, headers=sent)  # noqa: S310 (scheme checked above)
                with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                    body = answer.read(MAX_BODY + 1)
                    if len(body) > MAX_BODY:
                        raise FetchError(f"{url}: answer larger than {MAX_BODY} bytes")
                    return Response(answer.geturl(), answer.status, {k.lower(): v for k, v in answer.headers.items()}, body)
            except urllib.error.HTTPError as error:
                if error.code not in RETRY_STATUS:
                    raise FetchError(f"{url}: HTTP {error.code} {error.reason}") from error
                reason = f"HTTP {error.code} {error.reason}"
                wait = max(wait, _retry_after(error.headers.get("Retry-After")))
            except TimeoutError:
                reason = f"no answer within {self.timeout:g} s"
            except urllib.error.URLError as error:
                cause = error.reason
                reason = (f"no answer within {self.timeout:g} s" if isinstance(cause, TimeoutError)
                          else f"cannot connect ({cause})")
            except (ConnectionError, OSError) as error:
                reason = f"connection failed ({error})"
            if attempt + 1 < attempts:
                self.sleep(wait)
        raise FetchError(f"{url}: {reason} (tried {attempts} times)")


def _retry_after(value: str | None) -> float:
    """Seconds a Retry-After header asks for (only the delta-seconds form), capped."""
    if value and value.strip().isdigit():
        return min(float(value.strip()), MAX_RETRY_AFTER)
    return 0.0
