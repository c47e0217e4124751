"""The latest release of a package, asked of its registry's public HTTP API: one function per registry.

Each function takes the polite client, the API's base address (the public one,
or a loopback server in tests) and the package name as the record writes it,
and returns the version and its release date as the registry states them,
with the address it asked and where in the answer it read them (the locator a
citation needs). An answer without a version is an error, never a guess; a
missing date is None and said so.

| registry | asks | version | date |
|---|---|---|---|
| pypi | `<base>/<name>/json` (PyPI JSON API; pypiserver serves the same path) | `info.version` |
  first `upload_time_iso_8601` of that release, else its file's Last-Modified |
| npm | `<base>/<name>` (registry document) | `dist-tags.latest` | `time[<version>]` |
| crates | `<base>/crates/<name>` | `crate.max_stable_version` | that version's `created_at` |
| maven | `<base>?q=g:"<group>" AND a:"<artifact>"&wt=json` (Central search) | `latestVersion` | `timestamp` (ms) |
| dockerhub | `<base>/repositories/<ns>/<repo>/tags?ordering=last_updated` | newest tag that is a version number | its `last_updated` |
| github | `<base>/repos/<owner>/<repo>/releases/latest` | `tag_name` | `published_at` |
| helm | `<base>/packages/helm/<repo>/<chart>` (Artifact Hub) | `version` | `ts` (s) |
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from kgtools.records.http import Client, FetchError

DEFAULT_BASES = {
    "pypi": "https://pypi.org/pypi",
    "npm": "https://registry.npmjs.org",
    "crates": "https://crates.io/api/v1",
    "maven": "https://search.maven.org/solrsearch/select",
    "dockerhub": "https://hub.docker.com/v2",
    "github": "https://api.github.com",
    "helm": "https://artifacthub.io/api/v1",
}
REGISTRY_NAMES = {"pypi": "PyPI", "npm": "npm", "crates": "crates.io", "maven": "Maven Central",
                  "dockerhub": "Docker Hub", "github": "GitHub Releases", "helm": "Artifact Hub"}
VERSION_TAG = re.compile(r"^v?[0-9]+(\.[0-9]+){1,3}$")


@dataclass(frozen=True)
class Release:
    version: str
    date: str | None     # YYYY-MM-DD as the registry states it (UTC), None when it gives none
    asked: str           # the address whose answer this is
    locator: str         # where in the answer the version and date were read


def _date(value: object) -> str | None:
    """An ISO timestamp (`2026-05-22T10:00:00.123Z`) or a date as YYYY-MM-DD in UTC; None otherwise."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value[:10] if re.match(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}", value) else None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date().isoformat()


def _from_epoch(value: object, scale: float = 1.0) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return datetime.fromtimestamp(value / scale, tz=UTC).date().isoformat()


def _field(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _need(version: object, url: str, what: str) -> str:
    if not isinstance(version, str) or not version.strip():
        raise FetchError(f"{url}: the answer has no {what}")
    return version.strip()


def pypi(client: Client, base: str, name: str) -> Release:
    url = f"{base.rstrip('/')}/{quote(name)}/json"
    data = client.get(url).json()
    version = _need(_field(data, "info", "version"), url, "info.version")
    files = _field(data, "releases", version) or []
    dates = sorted(d for d in (_date(f.get("upload_time_iso_8601")) for f in files if isinstance(f, dict)) if d)
    if dates:
        return Release(version, dates[0], url, f"info.version · releases[{version}].upload_time_iso_8601")
    first = next((f.get("url") for f in files if isinstance(f, dict) and isinstance(f.get("url"), str)), None)
    when = client.get(first, method="HEAD").last_modified() if first else None
    return Release(version, when, url, f"info.version · Last-Modified of the {version} file")


def npm(client: Client, base: str, name: str) -> Release:
    url = f"{base.rstrip('/')}/{quote(name, safe='@')}"
    data = client.get(url).json()
    version = _need(_field(data, "dist-tags", "latest"), url, "dist-tags.latest")
    return Release(version, _date(_field(data, "time", version)), url, f"dist-tags.latest · time[{version}]")


def crates(client: Client, base: str, name: str) -> Release:
    url = f"{base.rstrip('/')}/crates/{quote(name)}"
    data = client.get(url).json()
    version = _need(_field(data, "crate", "max_stable_version") or _field(data, "crate", "newest_version"), url,
                    "crate.max_stable_version")
    created = next((v.get("created_at") for v in data.get("versions") or [] if isinstance(v, dict) and v.get("num") == version),
                   None)
    return Release(version, _date(created), url, f"crate.max_stable_version · versions[{version}].created_at")


def maven(client: Client, base: str, name: str) -> Release:
    group, _, artifact = name.partition(":")
    if not group or not artifact:
        raise FetchError(f"maven name {name!r} is not group:artifact")
    query = f'g:"{group}" AND a:"{artifact}"'
    url = f"{base}?{urlencode({'q': query, 'rows': 1, 'wt': 'json'})}"
    docs = _field(client.get(url).json(), "response", "docs") or []
    doc = docs[0] if docs and isinstance(docs[0], dict) else {}
    version = _need(doc.get("latestVersion"), url, "response.docs[0].latestVersion")
    return Release(version, _from_epoch(doc.get("timestamp"), 1000), url, "response.docs[0].latestVersion · timestamp")


def dockerhub(client: Client, base: str, name: str) -> Release:
    repository = name if "/" in name else f"library/{name}"
    url = f"{base.rstrip('/')}/repositories/{quote(repository)}/tags?page_size=100&ordering=last_updated"
    results = _field(client.get(url).json(), "results") or []
    tag = next((r for r in results if isinstance(r, dict) and VERSION_TAG.match(str(r.get("name", "")))), None)
    if tag is None:
        raise FetchError(f"{url}: no tag that is a version number among the {len(results)} newest")
    return Release(str(tag["name"]), _date(tag.get("last_updated")), url,
                   "results: newest tag that is a version number · last_updated")


def github(client: Client, base: str, name: str) -> Release:
    url = f"{base.rstrip('/')}/repos/{quote(name)}/releases/latest"
    data = client.get(url, headers={"Accept": "application/vnd.github+json"}).json()
    version = _need(data.get("tag_name") if isinstance(data, dict) else None, url, "tag_name")
    return Release(version, _date(data.get("published_at")), url, "tag_name · published_at")


def helm(client: Client, base: str, name: str) -> Release:
    url = f"{base.rstrip('/')}/packages/helm/{quote(name)}"
    data = client.get(url).json()
    version = _need(data.get("version") if isinstance(data, dict) else None, url, "version")
    return Release(version, _from_epoch(data.get("ts")), url, "version · ts")


ASK: dict[str, Callable[[Client, str, str], Release]] = {
    "pypi": pypi, "npm": npm, "crates": crates, "maven": maven, "dockerhub": dockerhub, "github": github, "helm": helm}


def latest(client: Client, registry: str, name: str, bases: dict[str, str] | None = None) -> Release:
    """The latest release of `name` on `registry`, asked at `bases[registry]` (default: the public API)."""
    if registry not in ASK:
        raise FetchError(f"unknown registry {registry!r}")
    base = (bases or {}).get(registry) or DEFAULT_BASES[registry]
    return ASK[registry](client, base, name)
