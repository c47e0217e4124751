""""Did you mean …?" hints from the nearest known names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def nearest(word: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """The closest candidates, best first (substring matches count too)."""
    pool = list(candidates)
    close = difflib.get_close_matches(word, pool, n=limit, cutoff=0.6)
    if len(close) < limit:
        for candidate in sorted(pool):
            if candidate not in close and (word in candidate or candidate in word) and len(word) > 2:
                close.append(candidate)
            if len(close) >= limit:
                break
    return close


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A hint naming the nearest candidates, or "" when none is near.

    >>> did_you_mean("fintec", ["fintech", "healthcare", "retail"])
    'did you mean `fintech`?'
    >>> did_you_mean("zzz", ["fintech"])
    ''
    """
    found = nearest(word, candidates)
    if not found:
        return ""
    return "did you mean " + " or ".join(f"`{c}`" for c in found) + "?"
