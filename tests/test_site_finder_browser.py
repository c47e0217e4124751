"""The finders and the side-by-side comparison in headless Chromium, checked against SPARQL over the same graph.

Counts beside facet values, the cards two facets leave, the state a linked
URL restores, and the comparison table's cells are each compared with a query
written here, not with the data file the page reads. At 390 px nothing is
wider than the viewport (the comparison table scrolls inside its own box), and
the xss-probe technology's markup stays text.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pytest

from kgtools.site.pages.compare import select
from kgtools.site.pages.numbers import format_figure

from .test_site import XSS_EN, XSS_ZH, SiteBuild, site_build  # noqa: F401  (shared session fixture)
from .test_site_browser import Watched, browser, server, tab  # noqa: F401  (shared fixtures)

pytestmark = pytest.mark.browser

TECH = "https://w3id.org/stackatlas/technology/"

FACET_COUNTS = {
    "category": "SELECT ?v (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a sa:Technology ; sa:category ?v } GROUP BY ?v",
    "license": "SELECT ?v (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a sa:Technology ; schema:license ?v } GROUP BY ?v",
    "written_in": "SELECT ?v (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a sa:Technology ; sa:writtenIn ?v } GROUP BY ?v",
    "implements": "SELECT ?v (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a sa:Technology ; sa:implements ?v } GROUP BY ?v",
}
CASES_PER_TECH = """SELECT ?t (COUNT(DISTINCT ?c) AS ?n) WHERE {
  ?t a sa:Technology . OPTIONAL { ?c a sa:Case ; sa:uses ?t } } GROUP BY ?t"""
CASE_EVIDENCE = """SELECT ?v (COUNT(DISTINCT ?c) AS ?n) WHERE {
  ?c a sa:Case ; sa:usage ?u . ?u sa:evidenceLevel ?v FILTER NOT EXISTS { ?u sa:rank sa:DeprecatedRank } } GROUP BY ?v"""


def _key(value: str) -> str:
    return value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] if value.startswith("https://") else value


def _bucket(n: int) -> str:
    return "0" if n == 0 else "1" if n == 1 else "2–4" if n <= 4 else "5–9" if n <= 9 else "10+"


def _shown_counts(page: Any) -> dict[str, dict[str, int]]:
    return page.evaluate("""() => {
        const out = {};
        document.querySelectorAll('#sa-finder input[data-facet]').forEach(i => {
            const n = i.closest('label').querySelector('.sa-finder__count').textContent;
            (out[i.dataset.facet] = out[i.dataset.facet] || {})[i.dataset.value] = Number(n);
        });
        return out;
    }""")


def _grid(page: Any) -> set[str]:
    return set(page.evaluate("() => [...document.querySelectorAll('#sa-finder-grid .sa-card')].map(c => c.dataset.id)"))


def _open_finder(watched: Watched, url: str) -> None:
    watched.page.goto(url)
    watched.page.wait_for_selector("#sa-finder[data-ready=true]")


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_technology_facet_counts_equal_sparql_counts(tab: Watched, server: str, site_build: SiteBuild,  # noqa: F811
                                                     prefix: str) -> None:
    _open_finder(tab, f"{server}{prefix}technologies/finder.html")
    expected: dict[str, dict[str, int]] = {}
    for facet, query in FACET_COUNTS.items():
        expected[facet] = {_key(str(r["v"])): int(str(r["n"])) for r in select(site_build.store, query)}
    expected["cases"] = {b: 0 for b in ("0", "1", "2–4", "5–9", "10+")}
    for row in select(site_build.store, CASES_PER_TECH):
        expected["cases"][_bucket(int(str(row["n"])))] += 1
    shown = _shown_counts(tab.page)
    assert shown == expected
    assert expected["written_in"] == {"go": 2} and expected["category"]["workflow-engine"] == 3
    assert len(_grid(tab.page)) == len(site_build.model.of_kind("technology"))
    assert not tab.errors, tab.errors


def test_case_facet_counts_equal_sparql_counts(tab: Watched, server: str, site_build: SiteBuild) -> None:  # noqa: F811
    _open_finder(tab, f"{server}en/cases/finder.html")
    shown = _shown_counts(tab.page)
    assert shown["evidence"] == {_key(str(r["v"])): int(str(r["n"])) for r in select(site_build.store, CASE_EVIDENCE)}
    industries = select(site_build.store, "SELECT ?v (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a sa:Case ; sa:industry ?v } "
                                          "GROUP BY ?v")
    assert shown["industry"] == {_key(str(r["v"])): int(str(r["n"])) for r in industries}
    assert _grid(tab.page) == {c.id for c in site_build.model.of_kind("case")}
    assert not tab.errors, tab.errors


def _ids(built: SiteBuild, where: str) -> set[str]:
    rows = select(built.store, f"SELECT DISTINCT ?t WHERE {{ ?t a sa:Technology . {where} }}")
    return {str(r["t"]).rsplit("/", 1)[-1] for r in rows}


def test_two_facets_narrow_the_grid_and_the_url_keeps_them(tab: Watched, server: str,  # noqa: F811
                                                          site_build: SiteBuild) -> None:  # noqa: F811
    _open_finder(tab, f"{server}en/technologies/finder.html")
    tab.page.locator('input[data-facet=category][data-value=workflow-engine]').check()
    workflow = _ids(site_build, "?t sa:category concept:workflow-engine")
    assert _grid(tab.page) == workflow and len(workflow) == 3
    tab.page.locator('input[data-facet=implements][data-value=saga-pattern]').check()
    both = _ids(site_build, "?t sa:category concept:workflow-engine ; sa:implements concept:saga-pattern")
    assert _grid(tab.page) == both == {"temporal"}
    assert tab.page.evaluate("location.search") == "?category=workflow-engine&implements=saga-pattern"
    # Within the narrowed view, each count is what ticking that value would leave.
    assert _shown_counts(tab.page)["written_in"] == {"go": 1}
    assert not tab.errors, tab.errors


def test_a_linked_url_restores_the_state(tab: Watched, server: str, site_build: SiteBuild) -> None:  # noqa: F811
    _open_finder(tab, f"{server}technologies/finder.html?category=workflow-engine&written_in=go&license=MIT")
    checked = tab.page.evaluate("() => [...document.querySelectorAll('#sa-finder input[data-facet]:checked')]"
                                ".map(i => i.dataset.facet + '=' + i.dataset.value).sort()")
    assert checked == ["category=workflow-engine", "license=MIT", "written_in=go"]
    expected = _ids(site_build, f'?t sa:category concept:workflow-engine ; sa:writtenIn <{TECH}go> ; schema:license "MIT"')
    assert _grid(tab.page) == expected == {"temporal", "cadence"}
    assert not tab.errors, tab.errors


def _cells(page: Any) -> dict[str, list[list[str]]]:
    """Row key → per technology column, the texts of the cell's list items."""
    return page.evaluate("""() => {
        const out = {};
        document.querySelectorAll('#sa-compare-table tr[data-row]').forEach(tr => {
            out[tr.dataset.row] = [...tr.querySelectorAll('td')].map(td =>
                [...td.querySelectorAll(':scope ul > li')].map(li => li.querySelector('a, span').textContent));
        });
        return out;
    }""")


def test_comparison_table_equals_the_graph(tab: Watched, server: str, site_build: SiteBuild) -> None:  # noqa: F811
    tab.page.goto(f"{server}en/technologies/compare.html?t=temporal,cadence")
    tab.page.wait_for_selector("#sa-compare[data-ready=true]")
    heads = tab.page.evaluate("() => [...document.querySelectorAll('#sa-compare-table thead th')].map(t => t.dataset.id)")
    assert heads == ["temporal", "cadence"]
    cells = _cells(tab.page)
    model = site_build.model
    predicates = {"license": "schema:license", "category": "sa:category", "written_in": "sa:writtenIn",
                  "developer": "schema:creator", "integrates_with": "sa:integratesWith", "implements": "sa:implements",
                  "successor_of": "sa:successorOf", "alternative_to": "sa:alternativeTo"}
    for key, predicate in predicates.items():
        expected = []
        for tech in ("temporal", "cadence"):
            rows = select(site_build.store, f"SELECT ?o WHERE {{ <{TECH}{tech}> {predicate} ?o }}")
            values = [str(r["o"]) for r in rows]
            expected.append(sorted(model.label(v, "en") if v.startswith("https://") else v for v in values))
        assert [sorted(c) for c in cells[key]] == expected, key
    status = select(site_build.store, f"SELECT ?v ?d WHERE {{ <{TECH}temporal> sa:status ?s . "
                                      "?s schema:softwareVersion ?v ; sa:asOf ?d }")
    assert cells["latest"] == [[str(status[0]["v"])], []] and cells["as_of"] == [[str(status[0]["d"])], []]
    figures = select(site_build.store, """SELECT ?t ?metric ?value ?min ?max ?unit ?qualifier WHERE {
        ?m a sa:Measurement ; sa:technology ?t ; sa:metric ?metric . ?owner ?via ?m .
        FILTER(STRSTARTS(STR(?m), CONCAT(STR(?owner), "#")))
        FILTER NOT EXISTS { ?m sa:rank sa:DeprecatedRank }
        OPTIONAL { ?m schema:value ?value } OPTIONAL { ?m schema:minValue ?min } OPTIONAL { ?m schema:maxValue ?max }
        OPTIONAL { ?m schema:unitText ?unit } OPTIONAL { ?m sa:qualifier ?qualifier } }""")
    expected_figures: dict[str, list[Counter[str]]] = defaultdict(lambda: [Counter(), Counter()])
    for row in figures:
        tech = str(row["t"]).rsplit("/", 1)[-1]
        if tech in ("temporal", "cadence"):
            text = format_figure(row["value"], row["min"], row["max"], row["unit"], row["qualifier"])
            expected_figures[_key(str(row["metric"]))][("temporal", "cadence").index(tech)][text] += 1
    shown_figures = {k[len("figure:"):]: [Counter(c) for c in v] for k, v in cells.items() if k.startswith("figure:")}
    assert shown_figures == dict(expected_figures)
    assert shown_figures["throughput"][0] == Counter({"847 tasks/s": 2, "50 workflows/s": 1, "812.5 tasks/s": 1})
    # Figures that differ are marked; each keeps its own source.
    assert tab.page.locator("tr[data-row='figure:throughput'] td.sa-compare__differ").count() == 1
    assert tab.page.locator("tr[data-row='figure:throughput'] .sa-compare__source").count() == 4
    assert not tab.errors, tab.errors


def test_long_cell_lists_fold_in_place_and_columns_share_the_width(tab: Watched, server: str) -> None:  # noqa: F811
    """A technology with many integrations: eight show, the rest open in place (every one still on the page), and
    its column is no wider than the other's."""
    import json

    def many(route: Any) -> None:
        data = json.loads(route.fetch().text())
        data["rows"]["integrates_with"] = [{"label": f"Tool {i:02d}", "url": ""} for i in range(20)]
        route.fulfill(status=200, content_type="application/json", body=json.dumps(data))

    tab.page.route("**/compare-data/temporal.json", many)
    tab.page.goto(f"{server}en/technologies/compare.html?t=temporal,cadence")
    tab.page.wait_for_selector("#sa-compare[data-ready=true]")
    cell = tab.page.locator("tr[data-row=integrates_with] td").first
    assert _cells(tab.page)["integrates_with"][0] == [f"Tool {i:02d}" for i in range(20)]   # none lost
    assert cell.locator(":scope > div > ul > li").count() == 8
    assert cell.locator("details > summary").inner_text() == "Show 12 more"
    assert not cell.locator("details ul > li").first.is_visible()
    cell.locator("details > summary").click()
    assert cell.locator("details ul > li").first.is_visible()
    widths = tab.page.evaluate("() => [...document.querySelectorAll('#sa-compare-table thead th')]"
                               ".map(th => th.getBoundingClientRect().width)")
    assert len(widths) == 2 and abs(widths[0] - widths[1]) <= 1, widths
    assert not tab.errors, tab.errors


def test_pick_from_the_finder_and_from_a_technology_page(tab: Watched, server: str) -> None:  # noqa: F811
    _open_finder(tab, f"{server}en/technologies/finder.html")
    for tech in ("temporal", "postgresql"):
        tab.page.locator(f".sa-card[data-id={tech}] .sa-card__compare input").check()
    tab.page.locator(".sa-finder__compare").click()
    tab.page.wait_for_selector("#sa-compare[data-ready=true]")
    assert tab.page.evaluate("location.search") == "?t=temporal,postgresql"
    tab.page.goto(f"{server}technology/cadence.html")
    tab.page.locator(".sa-compare-link a").click()
    tab.page.wait_for_selector("#sa-compare[data-ready=true]")
    tab.page.locator("#sa-compare-input").fill("Temporal")
    tab.page.locator("#sa-compare-pick button").click()
    tab.page.wait_for_function("location.search === '?t=cadence,temporal'")
    tab.page.wait_for_selector("#sa-compare[data-ready=true]")
    assert tab.page.locator("#sa-compare-table thead th").count() == 2
    assert not tab.errors, tab.errors


@pytest.mark.parametrize("path", ["technologies/finder.html", "en/technologies/finder.html", "cases/finder.html",
                                  "technologies/compare.html?t=temporal,cadence,xss-probe,postgresql",
                                  "en/technologies/compare.html?t=temporal,cadence,xss-probe,postgresql"])
def test_nothing_wider_than_a_phone_and_no_markup_runs(browser: Any, server: str, path: str) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    watched = Watched(page, server)
    try:
        page.goto(server + path)
        page.wait_for_selector("[data-ready=true]")
        wide = page.evaluate("""() => {
            const w = document.documentElement.clientWidth;
            return [...document.querySelectorAll('.md-content *')].filter(e => {
                if (e.closest('.sa-compare__table') && e !== document.querySelector('.sa-compare__table')) return false;
                const r = e.getBoundingClientRect();
                return r.width > 0 && r.right > w + 1;
            }).map(e => e.tagName + '.' + e.className);
        }""")
        assert not wide, wide
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        if "xss-probe" in path or ("finder" in path and "cases" not in path):
            label = XSS_EN if path.startswith("en/") else XSS_ZH
            assert page.get_by_text(label, exact=True).count() >= 1  # shown as text
        assert page.evaluate("window.__xss") is None
        assert not watched.errors, watched.errors
    finally:
        context.close()


def _many(count: int) -> Any:
    """A route handler adding `count` technologies to the finder's data, each a copy of the first one."""
    import json

    def handle(route: Any) -> None:
        data = json.loads(route.fetch().text())
        first = data["items"][0]
        data["items"] += [{**first, "id": f"many-{i:02d}", "label": f"Many {i:02d}"} for i in range(count)]
        route.fulfill(status=200, content_type="application/json", body=json.dumps(data))
    return handle


@pytest.mark.parametrize(("width", "page_size", "filters_open"), [(390, 12, False), (1280, 30, True)])
def test_cards_come_a_page_at_a_time_and_every_one_is_reachable(browser: Any, server: str, site_build: SiteBuild,  # noqa: F811
                                                                width: int, page_size: int, filters_open: bool) -> None:
    """Two hundred cards made the phone's finder some 43,000 px tall: cards come a page at a time, a button after
    the last adds the next page in place and says how many are left, and a facet starts again from the first page.
    On a phone the facets fold away under one control."""
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    watched = Watched(page, server)
    try:
        page.route("**/technologies/finder-data.json", _many(40))
        page.goto(server + "en/technologies/finder.html")
        page.wait_for_selector("#sa-finder[data-ready=true]")
        assert page.evaluate("document.querySelector('.sa-finder__filters').open") is filters_open
        total = len(site_build.model.of_kind("technology")) + 40
        assert page.locator(".sa-finder__shown").inner_text() == f"{total} of {total} match"
        listed = page_size
        while True:
            assert page.locator("#sa-finder-grid .sa-card").count() == listed
            left = total - listed
            if left <= 0:
                break
            button = page.locator("#sa-finder-grid .sa-finder__more-cards")
            assert button.inner_text() == f"Show {min(page_size, left)} more ({left} left)"
            if listed == page_size and width < 600:   # a phone's first page: a few screens, not fifty
                assert page.evaluate("document.documentElement.scrollHeight") < 1500 + 400 * page_size
            button.click()
            listed = min(total, listed + page_size)
            assert page.evaluate("document.activeElement.closest('.sa-card').dataset.id") == \
                page.evaluate(f"document.querySelectorAll('#sa-finder-grid .sa-card')[{listed - min(page_size, left)}]"
                              ".dataset.id")
        assert page.locator("#sa-finder-grid .sa-finder__more-cards").count() == 0
        assert len(_grid(page)) == total and {f"many-{i:02d}" for i in range(40)} <= _grid(page)
        # A facet starts again from the first page of what it leaves.
        if not filters_open:
            page.locator(".sa-finder__filters > summary").click()
        first = page.locator("#sa-finder input[data-facet=cases]").first
        first.check()
        n = int(page.locator(".sa-finder__shown").inner_text().split()[0])
        assert page.locator("#sa-finder-grid .sa-card").count() == min(n, page_size)
        assert not watched.errors, watched.errors
    finally:
        context.close()
