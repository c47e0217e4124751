"""How old a dated fact is at build time, and the "possibly stale" mark on figures, usages and versions.

A fact's `as_of` (sa:asOf) is the date its source states or the date someone
checked it. A page shows that date beside the fact and marks the fact as
possibly stale when it is older than `stale_after_years` (the `stackatlas`
plugin option in mkdocs.yml, 2 by default).

"Older" is measured against the build's date, never the wall clock, so the same
corpus always builds the same pages: the date of `SOURCE_DATE_EPOCH` when it is
set (the reproducible-builds convention), else the newest date any record
gives (a source's date or access date, a fact's as_of). A partial date counts
from its last day when a fact is judged (`2023` is stale only once all of 2023
is too old) and from its first day when it sets the build's date, so neither
choice ever makes a fact look older than it may be.

>>> clock = Clock(today=date(2026, 6, 1), years=2)
>>> clock.is_stale("2024-05-31"), clock.is_stale("2024-06"), clock.is_stale("2024")
(True, False, False)
"""

from __future__ import annotations

import calendar
import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pyoxigraph as ox

from kgtools.site.pages.escape import h
from kgtools.site.pages.i18n import t

DEFAULT_YEARS = 2
_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
XSD = "http://www.w3.org/2001/XMLSchema#"
DATE_TYPES = (XSD + "date", XSD + "gYearMonth", XSD + "gYear")


def parse(text: str, last: bool) -> date | None:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` as a date: the period's last day when `last`, else its first."""
    match = _DATE.match(text.strip())
    if not match:
        return None
    year, month, day = int(match[1]), match[2], match[3]
    try:
        if day:
            return date(year, int(month), int(day))
        if month:
            m = int(month)
            return date(year, m, calendar.monthrange(year, m)[1] if last else 1)
        return date(year, 12, 31) if last else date(year, 1, 1)
    except ValueError:
        return None


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Clock:
    """The build's date and the age past which a dated fact is possibly stale."""

    today: date | None
    years: int = DEFAULT_YEARS

    def is_stale(self, as_of: str) -> bool:
        when = parse(as_of, last=True)
        if when is None or self.today is None or self.years <= 0:
            return False
        return _years_later(when, self.years) < self.today


def newest_record_date(store: ox.Store) -> date | None:
    """The latest date any record gives (partial dates from their first day), or None for an undated corpus."""
    values = ", ".join(f"<{d}>" for d in DATE_TYPES)
    query = f"SELECT DISTINCT ?d WHERE {{ ?s ?p ?d . FILTER(isLiteral(?d) && datatype(?d) IN ({values})) }}"
    found = [parse(row["d"].value, last=False) for row in store.query(query)]
    dates = [d for d in found if d is not None]
    return max(dates) if dates else None


def build_date(store: ox.Store, environ: dict[str, str] | None = None) -> date | None:
    """SOURCE_DATE_EPOCH's date (UTC) when set and valid, else the newest record date."""
    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return newest_record_date(store)


def dated(as_of: str, clock: Clock, lang: str) -> str:
    """The fact's date as `<time>`, followed by the "possibly stale" mark when it is too old; "" when undated."""
    if not as_of:
        return ""
    out = f'<time class="sa-asof" datetime="{h(as_of)}">{h(t("claim.as_of", lang, date=as_of))}</time>'
    if clock.is_stale(as_of):
        title = t("stale.title", lang, years=clock.years, date=clock.today.isoformat() if clock.today else "")
        out += f' <span class="sa-stale" title="{h(title)}">{h(t("stale.mark", lang))}</span>'
    return out
