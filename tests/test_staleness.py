"""Dated facts: `as_of` on figures, usages and status reaches the page, and old ones are marked "possibly stale".

The build's date is SOURCE_DATE_EPOCH's or the newest date any record gives,
never the wall clock; the mini fixture dates one figure 2019 (stale), one
2025-11-28 and a usage 2026-11 (fresh, against its newest date 2026-11-22).
"""

from __future__ import annotations

import os
import re
from datetime import date

import pyoxigraph as ox
from mkdocs.config import load_config

from kgtools.site.pages import claims
from kgtools.site.pages.markup import Page
from kgtools.site.pages.model import Lit, Statement
from kgtools.site.pages.staleness import Clock, build_date, dated, newest_record_date, parse
from kgtools.site.plugin.mkdocs_plugin import StackAtlasPlugin

from .test_site import SiteBuild, site_build  # noqa: F401  (the shared session fixture)

XSD = "http://www.w3.org/2001/XMLSchema#"


def _row(html: str, needle: str) -> str:
    """The table row (or list item) of `html` that contains `needle`."""
    for match in re.finditer(r"<tr>.*?</tr>|<li>.*?</li>", html, re.S):
        if needle in match.group(0):
            return match.group(0)
    raise AssertionError(f"no row contains {needle!r}")


def test_partial_dates_are_judged_by_their_last_day() -> None:
    clock = Clock(date(2026, 1, 15), years=2)
    assert parse("2024", last=True) == date(2024, 12, 31) and parse("2024", last=False) == date(2024, 1, 1)
    assert parse("2024-02", last=True) == date(2024, 2, 29)
    assert clock.is_stale("2024-01-14") and not clock.is_stale("2024-01-15")
    assert not clock.is_stale("2024-01") and not clock.is_stale("2024") and clock.is_stale("2023")
    assert not Clock(None).is_stale("1990") and not Clock(date(2026, 1, 1), years=0).is_stale("1990")
    assert not clock.is_stale("not a date")


def test_build_date_is_source_date_epoch_else_the_newest_record_date() -> None:
    store = ox.Store()
    s, p = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p")
    for value, kind in (("2024-03-01", "date"), ("2025-07", "gYearMonth"), ("2025", "gYear"), ("2030", "string")):
        store.add(ox.Quad(s, p, ox.Literal(value, datatype=ox.NamedNode(XSD + kind))))
    assert newest_record_date(store) == date(2025, 7, 1)  # a plain string is not a date; 2025 counts from 1 January
    assert build_date(store, {}) == date(2025, 7, 1)
    assert build_date(store, {"SOURCE_DATE_EPOCH": "1700000000"}) == date(2023, 11, 14)
    assert build_date(store, {"SOURCE_DATE_EPOCH": "soon"}) == date(2025, 7, 1)
    assert build_date(ox.Store(), {}) is None


def test_date_and_mark_are_escaped() -> None:
    clock = Clock(date(2026, 1, 1))
    out = dated('1999"><script>alert(1)</script>', clock, "en")
    assert "<script>" not in out and "&lt;script&gt;" in out and 'datetime="1999&quot;&gt;' in out
    assert "possibly stale" not in out  # not a date, so never judged
    assert "可能已过时" in dated("2001", clock, "zh") and dated("", clock, "zh") == ""


def test_case_page_shows_dates_and_marks_only_the_old_figure(site_build: SiteBuild) -> None:  # noqa: F811
    clock = site_build.model.clock
    if "SOURCE_DATE_EPOCH" not in os.environ:
        assert clock.today == date(2026, 11, 22) and clock.years == 2
    zh = site_build.page("case/coinbase-cross-border-payments.html")
    en = site_build.page("en/case/coinbase-cross-border-payments.html")
    figures = en[en.index('id="figures"'):]
    old = _row(figures, "99.99")
    assert '<time class="sa-asof" datetime="2019">as of 2019</time>' in old
    assert ('class="sa-stale"' in old) == clock.is_stale("2019") and "possibly stale" in old
    fresh = _row(figures, "requests/s")
    assert 'datetime="2025-11-28"' in fresh and 'class="sa-stale"' not in fresh
    assert 'class="sa-asof"' not in _row(figures, "847")  # undated figures carry no date
    stack = en[en.index('id="stack"'):en.index('id="applies"')]
    usage = _row(stack, "workflow state store")
    assert 'datetime="2026-11"' in usage and 'class="sa-stale"' not in usage
    assert "可能已过时" in _row(zh[zh.index('id="figures"'):], "99.99")
    assert zh.count('class="sa-stale"') == 1 and en.count('class="sa-stale"') == 1


def test_status_version_older_than_the_limit_is_marked(site_build: SiteBuild) -> None:  # noqa: F811
    model = site_build.model
    page = Page(model, "en", "technology/temporal.html")
    status = Statement("https://w3id.org/stackatlas/technology/temporal#status", "", "", claims.STATUS, {
        claims.VERSION: [Lit("<b>1.0</b>")], claims.AS_OF: [Lit("2020-01-01", datatype=XSD + "date")]})
    html = claims.status_block(page, [status])
    assert "&lt;b&gt;1.0&lt;/b&gt;" in html and "possibly stale" in html
    status.props[claims.AS_OF] = [Lit(model.clock.today.isoformat() if model.clock.today else "2026-11-22")]
    assert "possibly stale" not in claims.status_block(page, [status])


def test_limit_comes_from_the_plugin_option(site_build: SiteBuild) -> None:  # noqa: F811
    """`stale_after_years` under the stackatlas plugin in mkdocs.yml sets the limit the pages use."""
    config_file = site_build.project.root / "mkdocs.yml"
    text = config_file.read_text(encoding="utf-8")
    assert "stale_after_years: 2" in text
    changed = site_build.project.root / "mkdocs-stale-test.yml"
    changed.write_text(text.replace("stale_after_years: 2", "stale_after_years: 7"), encoding="utf-8")
    config = load_config(str(changed))
    plugin = next(p for p in config.plugins.values() if isinstance(p, StackAtlasPlugin))
    assert plugin.config.stale_after_years == 7
    plugin.config.graph_dir = str(site_build.out / "graph")
    shared = plugin._load(config)
    try:
        assert shared.model.clock.years == 7 and shared.model.clock.today == site_build.model.clock.today
    finally:
        shared.graph.close()
        changed.unlink()
