"""Talking to an external SPARQL 1.1 server: the Protocol for queries, the Graph Store Protocol for loads."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from kgtools.query.engine import QueryError, render_table

ACCEPT = {
    "json": "application/sparql-results+json",
    "csv": "text/csv",
    "table": "application/sparql-results+json",
}


def _http_only(url: str) -> None:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise QueryError(f"`{url}` is not an http:// or https:// URL")


def _request(request: urllib.request.Request, timeout: float) -> tuple[str, bytes]:
    _http_only(request.full_url)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace")[:500]
        raise QueryError(f"endpoint answered {error.code}: {body}") from error
    except urllib.error.URLError as error:
        raise QueryError(f"cannot reach endpoint: {error.reason}") from error


def remote_query(endpoint: str, text: str, fmt: str, timeout: float = 60.0) -> str:
    """POST a query (application/sparql-query) and render the answer like a local one."""
    request = urllib.request.Request(  # noqa: S310
        endpoint, data=text.encode("utf-8"), method="POST",
        headers={"Content-Type": "application/sparql-query",
                 "Accept": f"{ACCEPT[fmt]}, text/turtle;q=0.9"},
    )
    content_type, body = _request(request, timeout)
    if fmt != "table" or "json" not in content_type:
        return body.decode("utf-8")
    data = json.loads(body)
    if "boolean" in data:
        return str(data["boolean"]).lower()
    names = data["head"]["vars"]
    rows = [[_short(binding.get(n)) for n in names] for binding in data["results"]["bindings"]]
    return render_table(names, rows)


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


def put_graph(store_url: str, graph_iri: str, ntriples: str, timeout: float = 300.0) -> int:
    """Replace one named graph on a Graph Store Protocol endpoint; return the HTTP status."""
    separator = "&" if "?" in store_url else "?"
    url = f"{store_url}{separator}graph={urllib.parse.quote(graph_iri, safe='')}"
    request = urllib.request.Request(  # noqa: S310
        url, data=ntriples.encode("utf-8"), method="PUT",
        headers={"Content-Type": "application/n-triples"},
    )
    _http_only(url)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        raise QueryError(f"store answered {error.code}: {error.read().decode('utf-8', 'replace')[:500]}") from error
    except urllib.error.URLError as error:
        raise QueryError(f"cannot reach store: {error.reason}") from error
