"""An archived copy of a page, asked of the Wayback Machine's availability API.

`kg cite-check` suggests one for a page that is dead, moved or has lost its
quote. The API (`https://archive.org/wayback/available?url=…&timestamp=…`)
answers with the snapshot closest to the timestamp, which is the day the
quote was seen when the record says so: the copy most likely to still hold
the words. When the API gives no copy, or does not answer, the suggestion is
the Wayback Machine's search page for the address, labelled as a search:
it lists whatever copies exist, and may list none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from kgtools.records.http import Client, FetchError

DEFAULT_API = "https://archive.org/wayback/available"
SEARCH = "https://web.archive.org/web/*/"


@dataclass(frozen=True)
class Archived:
    copy: str | None          # the archived copy's address, when the API gave one
    on: str | None            # the copy's date, YYYY-MM-DD
    search: str               # the Wayback Machine's search page for the address (a search, not a copy)
    note: str                 # what the API said, in words

    def line(self) -> str:
        if self.copy:
            return f"archived copy: {self.copy}" + (f" (Wayback Machine, {self.on})" if self.on else "")
        return f"archived copy: {self.note}; search (not a copy): {self.search}"


def search_link(url: str) -> str:
    """The Wayback Machine's list of captures of `url`.

    >>> search_link("https://example.org/a?b=1")
    'https://web.archive.org/web/*/https://example.org/a?b=1'
    """
    return SEARCH + url


def closest_copy(client: Client, url: str, near: str | None = None, api: str = DEFAULT_API) -> Archived:
    """The archived copy of `url` closest to the day `near` (YYYY-MM-DD), as the availability API gives it."""
    asked = f"{api}?url={quote(url, safe='')}"
    if near and re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", near):
        asked += f"&timestamp={near.replace('-', '')}"
    try:
        data = client.get(asked).json()
    except FetchError as error:
        said = str(error).removeprefix(f"{asked}: ")
        return Archived(None, None, search_link(url), f"the Wayback availability API did not answer ({said})")
    closest = (data.get("archived_snapshots") or {}).get("closest") if isinstance(data, dict) else None
    if not isinstance(closest, dict) or not closest.get("available") or not isinstance(closest.get("url"), str):
        return Archived(None, None, search_link(url), "the Wayback Machine knows no copy")
    stamp = str(closest.get("timestamp", ""))
    on = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}" if re.fullmatch(r"[0-9]{8,14}", stamp) else None
    return Archived(closest["url"], on, search_link(url), "the Wayback Machine's closest copy")
