"""Talking to an external SPARQL 1.1 server: the Protocol for queries, the Graph Store Protocol for loads.

Store URLs often carry secrets: `http://user:pass@host/…` or `…?token=…`.
urllib would hand `user:pass@host` to the DNS resolver as a host name and
the caller would print the URL, so credentials are taken out of the URL and
sent as an `Authorization: Basic` header, and every URL that is printed goes
through `redact` first. Basic is what Fuseki, GraphDB and Oxigraph behind a
proxy accept; Virtuoso's `/sparql-graph-crud-auth` wants Digest, for which a
request asks `digest=True` and the credentials go to urllib's
`HTTPDigestAuthHandler` instead of a header (the password itself never
travels). Credentials may also come from the caller (`kg publish` reads them
from the environment); they are never part of an error message.

A redirect is followed only to the same scheme, host and port: an endpoint
must not be able to send the query, the graph or the credentials elsewhere,
nor downgrade https to http.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from email.message import Message
from typing import IO

from kgtools.query.engine import QueryError, render_table
from kgtools.records.terminal import printable

ACCEPT = {
    "json": "application/sparql-results+json",
    "csv": "text/csv",
    "table": "application/sparql-results+json",
}

_SECRET_KEY = re.compile(r"token|key|pass|pwd|secret|auth|sig|credential|session", re.IGNORECASE)
"""Query-string keys whose values are redacted when a URL is printed (`api_key`, `access_token`, `X-Amz-Signature`, …)."""


def redact(url: str) -> str:
    """`url` fit to print: credentials replaced by `***`, values of secret-looking query keys too.

    >>> redact("https://alice:s3cret@db.example/store?graph=g&token=abc&apiKey=x")
    'https://***@db.example/store?graph=g&token=***&apiKey=***'
    >>> redact("http://localhost:7878/store")
    'http://localhost:7878/store'
    """
    parts = urllib.parse.urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = "***@" + netloc.rpartition("@")[2]
    query = "&".join(
        f"{key}=***" if _SECRET_KEY.search(urllib.parse.unquote_plus(key)) and sep else f"{key}{sep}{value}"
        for key, sep, value in (pair.partition("=") for pair in parts.query.split("&"))
    ) if parts.query else ""
    return printable(urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, "")))


@dataclass(frozen=True)
class Credentials:
    """A user name and password for a store; `repr` never shows the password."""

    user: str
    password: str = field(repr=False)

    def basic(self) -> dict[str, str]:
        """The `Authorization: Basic` header that carries them."""
        pair = f"{self.user}:{self.password}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}


def url_credentials(url: str) -> tuple[str, Credentials | None]:
    """The URL without its `user:password@` part, and those credentials (None when it has none).

    >>> url_credentials("http://alice:p%40ss@127.0.0.1:8080/store?x=1")
    ('http://127.0.0.1:8080/store?x=1', Credentials(user='alice'))
    >>> url_credentials("https://[::1]/q")
    ('https://[::1]/q', None)
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise QueryError(f"`{redact(url)}` is not an http:// or https:// URL")
    if "@" not in parts.netloc:
        return url, None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    bare = urllib.parse.urlunsplit((parts.scheme, hostport, parts.path, parts.query, parts.fragment))
    return bare, Credentials(urllib.parse.unquote(user), urllib.parse.unquote(password))


def split_credentials(url: str) -> tuple[str, dict[str, str]]:
    """The URL without its `user:password@` part, and the header that carries them instead.

    >>> split_credentials("http://alice:p%40ss@127.0.0.1:8080/store?x=1")
    ('http://127.0.0.1:8080/store?x=1', {'Authorization': 'Basic YWxpY2U6cEBzcw=='})
    >>> split_credentials("https://[::1]/q")
    ('https://[::1]/q', {})
    """
    bare, credentials = url_credentials(url)
    return bare, credentials.basic() if credentials else {}


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        port = -1
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects within one scheme, host and port; refuse the rest with a `QueryError`.

    A 307/308 keeps the method and body (RFC 9110), so a POSTed query or a PUT
    graph arrives intact; urllib alone would drop them or give up.
    """

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: Message, newurl: str) -> urllib.request.Request | None:
        target = urllib.parse.urlsplit(newurl)
        if _origin(newurl) != _origin(req.full_url) or "@" in target.netloc:
            fp.close()
            raise QueryError(f"{redact(req.full_url)} redirected ({code}) to {redact(newurl)}; "
                             "only redirects to the same scheme, host and port are followed")
        if code in (307, 308):
            fp.close()
            return urllib.request.Request(newurl, data=req.data, headers=dict(req.header_items()),  # noqa: S310 - http(s), same origin
                                          origin_req_host=req.origin_req_host, unverifiable=True, method=req.get_method())
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_SameOriginRedirects())


def _digest_handler(bare: str, credentials: Credentials) -> urllib.request.HTTPDigestAuthHandler:
    """urllib's Digest handler, holding the credentials for this origin only."""
    scheme, host, port = _origin(bare)
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, f"{scheme}://{host}:{port}/", credentials.user, credentials.password)
    return urllib.request.HTTPDigestAuthHandler(passwords)


def _challenge(bare: str, headers: dict[str, str], timeout: float) -> tuple[int, str]:
    """A bare HEAD's status and its Digest challenge ("" for none); (0, "") when the store cannot be reached."""
    probe = urllib.request.Request(bare, method="HEAD", headers=headers)  # noqa: S310 - http(s) only
    try:
        with _OPENER.open(probe, timeout=timeout) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        scheme, _, challenge = (error.headers.get("WWW-Authenticate", "") if error.headers else "").partition(" ")
        return error.code, challenge if scheme.lower() == "digest" else ""
    except (urllib.error.URLError, OSError):
        return 0, ""   # the request itself will say why the store cannot be reached


def _digest_authorization(url: str, bare: str, method: str, credentials: Credentials | None,
                          timeout: float) -> dict[str, str]:
    """The `Authorization: Digest` header for `method bare`, answered to a challenge fetched by a bare HEAD.

    urllib answers a Digest challenge only after a 401, by sending the request again; but
    Virtuoso sends its 401 and closes the connection while a large body is still being
    sent (a reset, not a 401, reaches urllib). So the challenge is fetched first with a
    HEAD that carries nothing, the answer urllib's handler computes is tried on a second
    HEAD, and only then does the body go, once, already authorised. Without credentials,
    or with ones the store refuses, the 401 is reported before any body is sent.
    """
    status, challenge = _challenge(bare, {}, timeout)
    if status != 401 or not challenge:
        return {}
    if credentials is None:
        raise QueryError(f"store {redact(url)} answered 401: it asks for Digest authentication and no user was given")
    handler = _digest_handler(bare, credentials)
    fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(challenge))

    def answer(for_method: str) -> dict[str, str]:
        value = handler.get_authorization(urllib.request.Request(bare, method=for_method), fields)  # noqa: S310
        return {"Authorization": f"Digest {value}"} if value else {}

    if _challenge(bare, answer("HEAD"), timeout)[0] == 401:
        raise QueryError(f"store {redact(url)} answered 401: the user name or password was not accepted")
    return answer(method)


def _request(url: str, data: bytes | None, method: str, headers: dict[str, str], timeout: float, what: str,
             credentials: Credentials | None = None, digest: bool = False) -> tuple[int, str, bytes]:
    """Send one request with credentials moved from the URL to a header (or to Digest); errors name the URL redacted.

    Credentials in the URL win over `credentials`.
    """
    bare, given = url_credentials(url)
    credentials = given or credentials
    opener, auth = _OPENER, credentials.basic() if credentials and not digest else {}
    if digest:
        auth = _digest_authorization(url, bare, method, credentials, min(timeout, 30.0))
        if credentials:
            opener = urllib.request.build_opener(_SameOriginRedirects(), _digest_handler(bare, credentials))
    request = urllib.request.Request(bare, data=data, method=method, headers={**headers, **auth})  # noqa: S310 - http(s) only
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace")[:500]
        raise QueryError(f"{what} {redact(url)} answered {error.code}: {printable(body)}") from error
    except urllib.error.URLError as error:
        raise QueryError(f"cannot reach {what} {redact(url)}: {printable(str(error.reason))}") from error
    except OSError as error:  # a connection reset or timeout while reading the answer
        raise QueryError(f"cannot reach {what} {redact(url)}: {printable(str(error))}") from error


def remote_query(endpoint: str, text: str, fmt: str, timeout: float = 60.0) -> str:
    """POST a query and render the answer like a local one.

    The query goes URL-encoded (`query=…`, application/x-www-form-urlencoded), the
    Protocol's POST form every store takes: Debian's Virtuoso 7.2 never answers a
    POST whose body is the bare query (application/sparql-query), it waits until
    the client gives up.
    """
    _, content_type, body = _request(
        endpoint, urllib.parse.urlencode({"query": text}).encode("ascii"), "POST",
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": f"{ACCEPT[fmt]}, text/turtle;q=0.9"},
        timeout, "endpoint")
    if fmt != "table" or "json" not in content_type:
        return body.decode("utf-8")
    data = json.loads(body)
    if "boolean" in data:
        return str(data["boolean"]).lower()
    names = data["head"]["vars"]
    rows = [[printable(_short(binding.get(n))) for n in names] for binding in data["results"]["bindings"]]
    return render_table([printable(n) for n in names], rows)


def _short(cell: dict | None) -> str:
    from kgtools.query.engine import PREFIX_IRIS

    if not cell:
        return ""
    value = cell["value"]
    if cell["type"] == "uri":
        for prefix, iri in PREFIX_IRIS.items():
            if value.startswith(iri) and value != iri:
                return f"{prefix}:{value[len(iri):]}"
    return value


def graph_url(store_url: str, graph_iri: str, *flags: str) -> str:
    """The Graph Store Protocol URL of one named graph (`?graph=…`), with extra bare query flags.

    >>> graph_url("http://127.0.0.1:7878/store", "https://w3id.org/stackatlas/graph", "no_transaction")
    'http://127.0.0.1:7878/store?graph=https%3A%2F%2Fw3id.org%2Fstackatlas%2Fgraph&no_transaction'
    """
    separator = "&" if "?" in store_url else "?"
    return f"{store_url}{separator}graph={urllib.parse.quote(graph_iri, safe='')}" + "".join(f"&{f}" for f in flags)


def put_graph(store_url: str, graph_iri: str, ntriples: str, timeout: float = 300.0, flags: tuple[str, ...] = (),
              credentials: Credentials | None = None, digest: bool = False) -> int:
    """Replace one named graph on a Graph Store Protocol endpoint; return the HTTP status."""
    status, _, _ = _request(graph_url(store_url, graph_iri, *flags), ntriples.encode("utf-8"), "PUT",
                            {"Content-Type": "application/n-triples"}, timeout, "store", credentials, digest)
    return status


def server_header(url: str, timeout: float = 10.0) -> str:
    """The `Server` header a store answers a bare HEAD with (no credentials sent), or "" when it names none.

    Any status will do (a 401 or 405 still names the server); only an unreachable store is an error.
    """
    bare, _ = url_credentials(url)
    request = urllib.request.Request(bare, method="HEAD")  # noqa: S310 - http(s) only
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return printable(response.headers.get("Server", ""))
    except urllib.error.HTTPError as error:
        return printable(error.headers.get("Server", "") if error.headers else "")
    except (urllib.error.URLError, OSError) as error:
        reason = error.reason if isinstance(error, urllib.error.URLError) else error
        raise QueryError(f"cannot reach store {redact(url)}: {printable(str(reason))}") from error
