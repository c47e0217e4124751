"""Where each page lives, and relative links between pages.

Pages use plain `.html` URLs (`use_directory_urls: false`) so the built folder
can be opened from disk as well as from any static host. Generated pages write
raw HTML links, which MkDocs does not rewrite, so every href is computed here
relative to the page that holds it.
"""

from __future__ import annotations

import hashlib
import posixpath

from kgtools.records.project import KIND_DIRS

INDEX_PAGES = {
    "technology": "technologies/index",
    "concept": "concepts/index",
    "case": "cases/index",
    "organization": "organizations/index",
    "source": "sources/index",
    "assessment": "assessments/index",
    "guide": "guides/index",
    "model": "models/index",
}


def entity_path(kind: str, record_id: str) -> str:
    """Page path without extension: `technology/temporal`."""
    return f"{kind}/{record_id}"


def src(path: str) -> str:
    return f"{path}.md"


def url(path: str) -> str:
    return f"{path}.html"


def rel(from_url: str, to_url: str) -> str:
    """`to_url` (site-relative) as seen from the page at `from_url` (site-relative)."""
    base = posixpath.dirname(from_url) or "."
    fragment = ""
    if "#" in to_url:
        to_url, fragment = to_url.split("#", 1)
        fragment = "#" + fragment
    if not to_url:
        return fragment or "#"
    return posixpath.relpath(to_url, base) + fragment


def record_file(kind: str, record_id: str) -> str:
    """The YAML record a generated entity page comes from, relative to the repository root."""
    return f"corpus/{KIND_DIRS[kind]}/{record_id}.yaml"


def anchor(text: str, prefix: str = "sec") -> str:
    """A stable HTML id for arbitrary text (a locator, a tag name)."""
    return f"{prefix}-{hashlib.blake2s(text.encode('utf-8'), digest_size=5).hexdigest()}"
