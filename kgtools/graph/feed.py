"""The Atom feed of releases (RFC 4287): one entry per `build/releases/VERSION/`, newest first.

Written from the releases' own `release.json` files every time, so it can
never list a release that is not there. Links are relative to the feed,
which sits beside the release folders, so the feed works wherever the
folder is published (the site copies it to `downloads/releases/`).

>>> from kgtools.graph.release import ReleaseInfo
>>> info = ReleaseInfo("1.0", "2026-05-01", None, 10, 2, None, {"stackatlas-1.0.nt.gz": ("ab", 5)})
>>> b"<id>https://w3id.org/stackatlas/releases/1.0</id>" in atom_feed([info])
True
"""

from __future__ import annotations

from typing import Protocol
from xml.etree import ElementTree as ET

from kgtools.graph.vocab import BASE

ATOM = "http://www.w3.org/2005/Atom"
FEED_NAME = "releases.atom"
FEED_ID = BASE + "releases"
MEDIA = {".gz": "application/gzip", ".json": "application/json"}


class Release(Protocol):
    """What the feed reads of a release (`kgtools.graph.release.ReleaseInfo`)."""

    version: str
    date: str
    files: dict[str, tuple[str, int]]

    def sort_key(self) -> tuple[tuple[int, int | str], ...]: ...

    def summary_line(self) -> str: ...


def _timestamp(date: str) -> str:
    return f"{date}T00:00:00Z"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def atom_feed(releases: list[Release]) -> bytes:
    """The feed's bytes; the same releases always give the same bytes."""
    ET.register_namespace("", ATOM)
    ordered = sorted(releases, key=lambda r: (r.date, r.sort_key()), reverse=True)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", FEED_ID)
    _add(feed, "title", "Stack Atlas releases")
    _add(feed, "subtitle", "Versioned dumps of the Stack Atlas knowledge graph, with SHA-256 checksums.")
    _add(feed, "updated", _timestamp(ordered[0].date) if ordered else "1970-01-01T00:00:00Z")
    _add(_add(feed, "author"), "name", "Stack Atlas contributors")
    _add(feed, "link", rel="self", href=FEED_NAME, type="application/atom+xml")
    _add(feed, "rights", "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)")
    for release in ordered:
        entry = _add(feed, "entry")
        _add(entry, "id", f"{FEED_ID}/{release.version}")
        _add(entry, "title", f"Stack Atlas {release.version}")
        _add(entry, "updated", _timestamp(release.date))
        _add(entry, "summary", release.summary_line())
        _add(entry, "link", rel="alternate", type="text/plain", href=f"{release.version}/SHA256SUMS")
        for name, (_, size) in sorted(release.files.items()):
            media = next((m for suffix, m in MEDIA.items() if name.endswith(suffix)), "application/octet-stream")
            _add(entry, "link", rel="enclosure", type=media, length=str(size), href=f"{release.version}/{name}", title=name)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
