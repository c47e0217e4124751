"""Pages that fit, in headless Chromium (issue 19, point 4): at 390 px nothing is wider than the viewport except
inside a box that scrolls, no body text is set to break mid-word, Chinese pages write large numbers with 万/亿 and
their units in Chinese, counts of the same thing read the same on every page, empty left navigation gives its room
to the content at 1280 px while phones keep the drawer, and folded lists open in place.

Uses the session-wide fixture build and the browser fixtures of tests/test_site_browser.py.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from .test_site import SiteBuild, site_build  # noqa: F401  (shared session fixture)
from .test_site_browser import Watched, browser, server, tab  # noqa: F401  (shared fixtures)

pytestmark = pytest.mark.browser

# One page of each family, both languages where the layout differs by language.
FAMILIES = ["index.html", "en/index.html", "technology/temporal.html", "en/technology/temporal.html",
            "case/coinbase-cross-border-payments.html", "compare/benchmarks.html", "compare/fit.html",
            "technologies/finder.html", "technologies/compare.html?t=temporal,cadence", "glossary.html",
            "en/glossary.html", "analysis/quality.html", "concepts/index.html", "assessment/fixture-cost.html"]

# Elements wider than the viewport that do not count: inside a box that scrolls (or clips) on its own, and Material's
# off-screen drawer and search, which slide in over the page.
WIDE = """() => {
  const w = document.documentElement.clientWidth;
  const boxed = e => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if ((o === 'auto' || o === 'scroll' || o === 'hidden') && p.getBoundingClientRect().right <= w + 1) return true;
    }
    return false;
  };
  return [...document.querySelectorAll('.md-content *, .md-header *, .md-tabs *')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > w + 1 && !boxed(e);
  }).map(e => e.tagName + '.' + (typeof e.className === 'string' ? e.className : '') + ' ' + Math.round(e.getBoundingClientRect().right));
}"""

# Text-bearing elements whose computed style lets a word break between any two letters. Addresses (IRIs, URLs shown
# as their own text) and code may; words may not.
MID_WORD = """() => {
  const out = new Set();
  for (const e of document.querySelectorAll('.md-content *')) {
    if (e.closest('code, pre, .sa-iri, .sa-url, svg, .sa-graph')) continue;
    if (![...e.childNodes].some(n => n.nodeType === 3 && /[A-Za-z]{4,}/.test(n.textContent))) continue;
    const s = getComputedStyle(e);
    if (s.wordBreak === 'break-all' || s.wordBreak === 'break-word' || s.overflowWrap === 'anywhere')
      out.add(e.tagName + '.' + e.className + ' ' + s.wordBreak + '/' + s.overflowWrap);
  }
  return [...out];
}"""


def _open(browser: Any, server: str, path: str, width: int) -> tuple[Any, Watched]:  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.set_default_timeout(20_000)
    watched = Watched(page, server)
    page.goto(server + path, wait_until="networkidle")
    if "finder" in path or "compare.html" in path:
        page.wait_for_selector("[data-ready=true]")
    return context, watched


@pytest.mark.parametrize("path", FAMILIES)
def test_nothing_is_wider_than_a_phone_and_no_word_breaks_mid_word(browser: Any, server: str, path: str) -> None:  # noqa: F811
    context, watched = _open(browser, server, path, 390)
    try:
        page = watched.page
        wide = page.evaluate(WIDE)
        assert not wide, wide
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        breaking = page.evaluate(MID_WORD)
        assert not breaking, breaking
        page.hover(".md-header .md-select")   # the language list, open, ends at the screen's edge too
        page.wait_for_timeout(600)
        wide = page.evaluate(WIDE)
        assert not wide, wide
        assert not watched.errors, watched.errors
    finally:
        context.close()


def test_a_page_with_no_left_navigation_gives_its_room_to_the_content(browser: Any, server: str) -> None:  # noqa: F811
    widths = {}
    for path in ("technology/temporal.html", "compare/benchmarks.html"):
        context, watched = _open(browser, server, path, 1280)
        try:
            page = watched.page
            widths[path] = page.evaluate("document.querySelector('.md-content').getBoundingClientRect().width")
            widths[path + " nav"] = page.evaluate(
                "(() => { const s = document.querySelector('.md-sidebar--primary');"
                " return s ? s.getBoundingClientRect().width : 0; })()")
        finally:
            context.close()
    assert widths["technology/temporal.html nav"] == 0      # an entity page sits in no section of the navigation
    assert widths["compare/benchmarks.html nav"] > 0        # a page of the Compare section keeps its section's list
    assert widths["technology/temporal.html"] > widths["compare/benchmarks.html"] + 150
    # On a phone the same page still opens the drawer with the whole navigation in it.
    context, watched = _open(browser, server, "technology/temporal.html", 390)
    try:
        page = watched.page
        page.locator("label.md-header__button[for=__drawer]").click()
        page.wait_for_timeout(400)
        visible = page.evaluate("""() => [...document.querySelectorAll('.md-sidebar--primary .md-nav__link')]
            .filter(a => { const r = a.getBoundingClientRect(); return r.width > 0 && r.left >= 0 && r.right <= 390; })
            .length""")
        assert visible >= 5, visible
    finally:
        context.close()


def test_chinese_pages_write_wan_and_chinese_units_english_pages_group_digits(browser: Any, server: str) -> None:  # noqa: F811
    context, watched = _open(browser, server, "assessment/fixture-cost.html", 390)
    try:
        figure = watched.page.locator(".sa-figure", has_text="万").first
        assert figure.inner_text() == "3.33万 美元/月"
        assert figure.get_attribute("title") == "33,251 美元/月"
        watched.page.goto(server + "compare/benchmarks.html")
        text = watched.page.locator(".md-content").inner_text()
        assert "847 个任务/秒" in text and "< 200 毫秒" in text and "tasks/s" not in text
        watched.page.goto(server + "en/assessment/fixture-cost.html")
        assert "33,251 USD/month" in watched.page.locator(".md-content").inner_text()
    finally:
        context.close()


def test_counts_read_the_same_on_every_page(tab: Watched, server: str) -> None:  # noqa: F811
    def counts(path: str) -> dict[str, list[tuple[str, str]]]:
        tab.page.goto(server + path)
        found: dict[str, list[tuple[str, str]]] = {}
        for name, value, text in tab.page.evaluate(
                "() => [...document.querySelectorAll('[data-count][data-value]')]"
                ".map(e => [e.dataset.count, e.dataset.value, e.textContent])"):
            found.setdefault(name, []).append((value, text))
        return found

    for prefix in ("", "en/"):
        home = counts(prefix + "index.html")
        for kind, folder in (("technology", "technologies"), ("concept", "concepts"), ("case", "cases"),
                             ("source", "sources"), ("assessment", "assessments")):
            listed = counts(f"{prefix}{folder}/index.html")[kind]
            assert listed[0][0] == home[kind][0][0] and listed[0][0] in listed[0][1], (kind, listed, home[kind])
        glossary = counts(prefix + "glossary.html")["concept"]
        assert glossary[0][0] == home["concept"][0][0]
        assert re.search(rf"\b{home['concept'][0][0]}\b", glossary[0][1])
        tab.page.goto(server + prefix + "analysis/quality.html")
        heading = tab.page.locator("h2#disagreements").inner_text()
        assert f"({home['disagreements'][0][0]})" in heading, heading


def test_a_folded_table_opens_in_place(tab: Watched, server: str) -> None:  # noqa: F811
    """Under the fit page's consolidated matrix each assessment's own table is folded; its summary opens it there."""
    tab.page.goto(server + "en/compare/fit.html")
    fold = tab.page.locator("details.sa-fold").first
    cell = fold.locator("td").first
    assert fold.evaluate("d => d.open") is False and not cell.is_visible()
    url = tab.page.url
    fold.locator("summary").click()
    assert fold.evaluate("d => d.open") is True and cell.is_visible() and tab.page.url == url
    assert "★" in fold.inner_text()
    assert not tab.errors, tab.errors


def test_the_comparison_reads_repeated_t_parameters_too(tab: Watched, server: str) -> None:  # noqa: F811
    tab.page.goto(f"{server}technologies/compare.html?t=temporal&t=cadence")
    tab.page.wait_for_selector("#sa-compare[data-ready=true]")
    heads = tab.page.evaluate("() => [...document.querySelectorAll('#sa-compare-table thead th')].map(t => t.dataset.id)")
    assert heads == ["temporal", "cadence"]
    assert not tab.errors, tab.errors
