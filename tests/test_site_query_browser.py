"""The Query page in headless Chromium, served over HTTP on loopback: saved queries give in the page what
`kg query NAME --format csv` gives on the same graph, the CSV download is that CSV, errors show their message,
result markup stays text, a runaway query can be stopped, and nothing is fetched from another host.

Same browser rules as tests/test_site_browser.py: Debian's chromium at /usr/bin/chromium, skipped when it is
absent unless STACKATLAS_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import csv
import io
import re
import urllib.request
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
import pytest

from kgtools.query.engine import QueryError, execute, format_result, short
from kgtools.site.assets.query_bundle import QUERY_DIR

from .test_site_browser import Watched, browser, serve_folder  # noqa: F401  (shared browser fixture)
from .test_site_query import QuerySite, query_site  # noqa: F401  (shared session fixture)

pytestmark = pytest.mark.browser

# Saved queries with several rows on the test corpus: figures (numbers, ranges, qualifiers), GROUP_CONCAT,
# integer weights, bilingual labels, and IRIs of statement nodes.
SAVED = ["case-figures", "coinbase-stack", "selection-weights", "glossary", "technology-neighbourhood"]
GROUP_CONCAT = re.compile(r'GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*?separator\s*=\s*"([^"]*)"\s*\)\s*AS\s+\?(\w+)', re.I | re.S)


@pytest.fixture(scope="module")
def server(query_site: QuerySite) -> Iterator[str]:  # noqa: F811
    with serve_folder(query_site.site) as url:
        yield url


@pytest.fixture
def tab(browser: Any, server: str) -> Iterator[Watched]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    watched = Watched(page, server)
    try:
        yield watched
    finally:
        context.close()


@pytest.fixture(scope="module")
def store(query_site: QuerySite) -> ox.Store:  # noqa: F811
    """The graph the page loads (the published dump), for `kg query` on the same graph."""
    from kgtools.query.store import load_dump

    return load_dump(query_site.site / "downloads" / "stackatlas.nt")


# -- helpers ---------------------------------------------------------------------------------------


def wait_done(page: Any) -> str:
    """Wait until the running query has finished; return the app's state (done or error)."""
    page.wait_for_selector("#sa-query[data-state=done], #sa-query[data-state=error], #sa-query[data-state=failed]")
    return page.get_attribute("#sa-query", "data-state")


def open_query_page(tab: Watched, url: str) -> None:
    tab.page.goto(url)
    assert wait_done(tab.page) == "done", tab.page.locator("[data-part=status]").inner_text()


def run_typed(page: Any, text: str) -> str:
    """Type a query into the editor as a reader would, run it with Ctrl+Enter, return the final state."""
    page.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)
    page.keyboard.press("Control+Enter")
    return wait_done(page)


def read_table(page: Any) -> tuple[list[str], list[list[dict[str, str | None]]]]:
    """Header and cells of the results table: each cell's text and, for an IRI, the full IRI."""
    return page.evaluate("""() => {
        const table = document.querySelector('[data-part=results] table');
        const head = [...table.tHead.rows[0].cells].map(c => c.textContent);
        const rows = [...table.tBodies[0].rows].map(r => [...r.cells].map(c => {
            const iri = c.querySelector('[data-iri]');
            return {text: c.textContent, iri: iri ? iri.dataset.iri : null};
        }));
        return [head, rows];
    }""")


def concat_columns(text: str) -> dict[str, str]:
    """Variables bound by GROUP_CONCAT and their separators: their parts are compared as sets."""
    return {name: separator for separator, name in GROUP_CONCAT.findall(text)}


def normalise(head: list[str], rows: list[list[str]], concat: dict[str, str]) -> Counter:
    out: Counter = Counter()
    for row in rows:
        cells = tuple(frozenset(v.split(concat[n])) if n in concat and v else v for n, v in zip(head, row, strict=True))
        out[cells] += 1
    return out


def parse_csv(text: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:]


# -- tests -----------------------------------------------------------------------------------------


def test_wasm_is_served_as_application_wasm(server: str) -> None:
    with urllib.request.urlopen(server + QUERY_DIR + "/oxigraph.wasm") as response:
        assert response.headers["Content-Type"] == "application/wasm"
        assert response.read()[:4] == b"\0asm"


@pytest.mark.parametrize("lang", ["", "en/"])
def test_saved_queries_give_what_kg_query_gives(tab: Watched, server: str, query_site: QuerySite,  # noqa: F811
                                                store: ox.Store, lang: str) -> None:
    page = tab.page
    open_query_page(tab, server + lang + "query.html")
    saved = {q.name: q for q in query_site.queries}
    for name in SAVED:
        page.select_option("[data-part=example]", name)          # choosing an example runs it
        assert wait_done(page) == "done", page.locator("[data-part=status]").inner_text()
        head, cells = read_table(page)
        text = saved[name].text
        expected_head, expected_rows = parse_csv(format_result(execute(store, text), "csv"))
        assert len(expected_rows) >= 2, f"{name} should have several rows on the test corpus"
        concat = concat_columns(text)
        # The table holds exactly the CSV's values: full IRIs behind the shortened names, literal values as text.
        assert head == expected_head, name
        values = [[c["iri"] if c["iri"] is not None else c["text"] for c in row] for row in cells]
        assert normalise(head, values, concat) == normalise(head, expected_rows, concat), name
        # And shows them as `kg query`'s table does: prefixed names, literal values.
        result = execute(store, text)
        shown = [[short(row[v]) for v in head] for row in result]
        visible = [[c["text"] for c in row] for row in cells]
        assert normalise(head, visible, concat) == normalise(head, shown, concat), name
        assert page.locator("[data-part=status]").inner_text().startswith(str(len(expected_rows)))
    if lang == "":
        assert "Coinbase 案例使用了哪些技术？" in page.locator("[data-part=example]").inner_text()
    assert not tab.errors, tab.errors
    assert not tab.foreign, tab.foreign


def test_csv_download_is_kg_querys_csv(tab: Watched, server: str, query_site: QuerySite,  # noqa: F811
                                       store: ox.Store) -> None:
    page = tab.page
    saved = {q.name: q for q in query_site.queries}
    for name in ("case-figures", "coinbase-stack"):
        open_query_page(tab, f"{server}en/query.html?name={name}")
        assert page.input_value("[data-part=example]") == name
        with page.expect_download() as info:
            page.click("[data-part=download]")
        download = info.value
        assert download.suggested_filename == f"{name}.csv"
        got = download.path().read_bytes().decode("utf-8")
        expected = format_result(execute(store, saved[name].text), "csv")
        assert got.splitlines()[0] == expected.splitlines()[0] and got.endswith("\r\n")
        concat = concat_columns(saved[name].text)
        assert normalise(*parse_csv(got), concat) == normalise(*parse_csv(expected), concat)
    assert not tab.errors, tab.errors
    assert not tab.foreign, tab.foreign


def test_malformed_query_shows_the_parsers_message_at_the_readers_line(tab: Watched, server: str,
                                                                       store: ox.Store) -> None:
    page = tab.page
    open_query_page(tab, server + "query.html")
    assert run_typed(page, "SELECT ?case\nWHERE {\n  ?case a sa:Case ;\n") == "error"
    shown = page.locator("[data-part=error]").inner_text()
    typed = page.evaluate("window.stackAtlasQuery.editor.state.doc.toString()")
    with pytest.raises(QueryError) as error:
        execute(store, typed)
    position = re.search(r"error at (\d+:\d+)", str(error.value))
    assert position and f"error at {position.group(1)}" in shown, (shown, str(error.value))
    assert page.locator("[data-part=results] table").count() == 0
    # An unknown prefix is an error too, with its message; a valid query afterwards runs.
    assert run_typed(page, "SELECT ?x WHERE { ?x a nosuch:Thing }") == "error"
    assert "error at 1:" in page.locator("[data-part=error]").inner_text()
    assert run_typed(page, "SELECT ?x WHERE { ?x a sa:Case }") == "done"
    assert page.locator("[data-part=error]").is_hidden()
    assert not tab.errors, tab.errors


def test_result_markup_is_shown_as_text_and_runs_nothing(tab: Watched, server: str) -> None:
    page = tab.page
    open_query_page(tab, server + "query.html?name=xss-probe")
    probe = "<img src=x onerror=window.__xss=8>"
    assert run_typed(page, f'SELECT ?label ?payload WHERE {{ technology:xss-probe skos:prefLabel ?label '
                           f'BIND("{probe}" AS ?payload) }} ORDER BY ?label') == "done"
    _, cells = read_table(page)
    texts = [c["text"] for row in cells for c in row]
    assert probe in texts
    assert any('<img src=x onerror="window.__xss=2">' in text for text in texts)
    assert page.locator("[data-part=results] img, [data-part=results] script, [data-part=results] b").count() == 0
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__xss") == "undefined"
    options = page.locator("[data-part=example] option").all_inner_texts()
    assert '<img src=x onerror="window.__xss=5">标题' in options
    assert not tab.errors, tab.errors
    assert not tab.foreign, tab.foreign


def test_entity_iris_link_to_their_pages(tab: Watched, server: str) -> None:
    page = tab.page
    open_query_page(tab, server + "en/query.html?name=coinbase-stack")
    link = page.locator("[data-part=results] a[data-iri='https://w3id.org/stackatlas/technology/temporal']")
    assert link.inner_text() == "technology:temporal"
    with page.expect_navigation():
        link.click()
    assert page.url == server + "en/technology/temporal.html"


def test_a_runaway_query_can_be_stopped(tab: Watched, server: str) -> None:
    page = tab.page
    open_query_page(tab, server + "query.html")
    page.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    page.click("[data-part=run]")
    page.wait_for_selector("[data-part=stop]:not([hidden])")
    page.wait_for_timeout(500)
    page.click("[data-part=stop]")
    page.wait_for_selector("#sa-query[data-state=ready]")
    assert run_typed(page, "ASK { ?s a sa:Case }") == "done"
    assert page.locator(".sa-query__boolean").inner_text() == "true"
    assert not tab.errors, tab.errors
    assert not tab.foreign, tab.foreign


def test_address_keeps_the_query_for_bookmarks(tab: Watched, server: str) -> None:
    page = tab.page
    open_query_page(tab, server + "en/query.html")
    text = 'SELECT ?label WHERE { technology:temporal skos:prefLabel ?label FILTER(lang(?label) = "zh") }'
    assert run_typed(page, text) == "done"
    assert "?query=" in page.url
    page.goto(page.url)                                   # a bookmark of the address runs the same query
    assert wait_done(page) == "done"
    assert page.evaluate("window.stackAtlasQuery.editor.state.doc.toString()") == text
    assert [c["text"] for row in read_table(page)[1] for c in row] == ["Temporal"]
    page.select_option("[data-part=example]", "coinbase-stack")
    assert wait_done(page) == "done"
    assert page.url.endswith("en/query.html?name=coinbase-stack")
    assert not tab.errors, tab.errors
