"""The Query page in headless Chromium, served over HTTP on loopback: saved queries give in the page what
`kg query NAME --format csv` gives on the same graph, the CSV download is that CSV, errors show their message,
result markup stays text, a runaway query can be stopped, and nothing is fetched from another host. Result cells
show entities by their label in the page's language (the IRI behind them), the editor completes prefixes,
predicates and entities by label from the build's terms file, and the page loads the compressed data files.

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
    tab.page.wait_for_selector("#sa-query[data-terms=ready]")   # labels and completions have arrived


def expected_label(site: QuerySite, iri: str, lang: str, text: str) -> str:
    """What a result cell holding `iri` shows: an entity's label in `lang` (else its other label), else `text`."""
    entity = site.model.entities.get(iri)
    if entity is None:
        return text
    other = "en" if lang == "zh" else "zh"
    return entity.labels.get(lang) or entity.labels.get(other) or text


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
    page.check("[data-part=iris]")                           # prefixed names, as `kg query` prints them
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
        # And shows them as `kg query`'s table does: prefixed names, literal values. (No QuerySolutions is kept in
        # a local: a Playwright exception cycle can keep this frame alive until the collector runs in the test
        # server's thread, and pyoxigraph's solutions may only be dropped on the thread that made them.)
        shown = [[short(row[v]) for v in head] for row in execute(store, text)]
        visible = [[c["text"] for c in row] for row in cells]
        assert normalise(head, visible, concat) == normalise(head, shown, concat), name
        assert page.locator("[data-part=status]").inner_text().startswith(str(len(expected_rows)))
    if lang == "":
        assert "Coinbase 案例使用了哪些技术？" in page.locator("[data-part=example]").inner_text()
    assert not tab.errors, tab.errors
    assert not tab.foreign, tab.foreign


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_result_cells_show_labels_in_the_pages_language(tab: Watched, server: str, query_site: QuerySite,  # noqa: F811
                                                        lang: str) -> None:
    page = tab.page
    open_query_page(tab, f"{server}{'' if lang == 'zh' else 'en/'}query.html")
    assert run_typed(page, "SELECT ?entity ?class WHERE { ?entity dcterms:identifier ?id ; a ?class } ORDER BY ?entity") \
        == "done"
    before = read_table(page)
    entity_cells = [c for row in before[1] for c in row if c["iri"] in query_site.model.entities]
    assert len(entity_cells) == len(query_site.model.entities) >= 20 or len(entity_cells) >= len(query_site.model.entities)
    temporal = "https://w3id.org/stackatlas/technology/temporal"
    for cell in entity_cells:
        prefixed = short(ox.NamedNode(cell["iri"]))
        assert cell["text"] == expected_label(query_site, cell["iri"], lang, prefixed), cell
        title = page.locator(f"[data-part=results] [data-iri='{cell['iri']}']").first.get_attribute("title")
        assert prefixed in title and cell["iri"] in title
    if lang == "zh":   # a Chinese label where the entity has one different from its English one
        different = [c for c in entity_cells if query_site.model.entities[c["iri"]].labels.get("zh")
                     != query_site.model.entities[c["iri"]].labels.get("en")]
        assert different, "the test corpus has entities whose zh and en labels differ"
        # Classes show the ontology's labels too (sa:Case is 案例 in ontology/stackatlas.ttl).
        case = page.locator("[data-part=results] [data-iri='https://w3id.org/stackatlas/ontology#Case']").first
        assert case.inner_text() == "案例"
        # and reused classes of record kinds the names the site gives those kinds.
        concept = page.locator("[data-part=results] [data-iri='http://www.w3.org/2004/02/skos/core#Concept']").first
        assert concept.inner_text() == "概念"
    link = page.locator(f"[data-part=results] a[data-iri='{temporal}']")
    assert link.count() and link.first.get_attribute("href").endswith("technology/temporal.html")
    # The reader can switch to IRIs (as `kg query` prints them) and back.
    page.check("[data-part=iris]")
    after = read_table(page)
    assert [[c["iri"] for c in row] for row in after[1]] == [[c["iri"] for c in row] for row in before[1]]
    for cell in (c for row in after[1] for c in row if c["iri"]):
        assert cell["text"] == short(ox.NamedNode(cell["iri"]))
    page.uncheck("[data-part=iris]")
    assert read_table(page) == before
    assert not tab.errors, tab.errors


def completions(page: Any, typed: str) -> list[tuple[str, str]]:
    """Type `typed` at the end of the editor as a reader would; the completions offered: (name, label)."""
    page.locator(".cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(typed, delay=20)
    page.wait_for_selector(".cm-tooltip-autocomplete li")
    return [(name, label) for name, label in page.evaluate("""() =>
        [...document.querySelectorAll('.cm-tooltip-autocomplete li')].map(li => [
            li.querySelector('.cm-completionLabel').textContent,
            (li.querySelector('.cm-completionDetail') || {textContent: ''}).textContent])""")]


def test_completion_offers_predicates_and_entities_by_label(tab: Watched, server: str,
                                                            query_site: QuerySite) -> None:  # noqa: F811
    page = tab.page
    open_query_page(tab, server + "en/query.html")
    page.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text("SELECT ?case ?tech WHERE {\n  ?case ")
    # After "sa:us" the ontology's predicates starting so, with their English labels from ontology/stackatlas.ttl.
    offered = completions(page, "sa:us")
    ontology = ox.Store()
    ontology.bulk_load(path=str(query_site.project.ontology / "stackatlas.ttl"), format=ox.RdfFormat.TURTLE)
    wanted = {short(r["p"]): r["l"].value for r in ontology.query(
        'SELECT ?p ?l WHERE { ?p a ?t ; rdfs:label ?l FILTER(?t IN (owl:ObjectProperty, owl:DatatypeProperty) '
        '&& STRSTARTS(STR(?p), "https://w3id.org/stackatlas/ontology#us") && lang(?l) = "en") }',
        prefixes={"owl": "http://www.w3.org/2002/07/owl#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"})}
    assert "sa:usage" in wanted
    assert {name: label for name, label in offered if name in wanted} == wanted, offered
    starting = [name for name, _ in offered if name.lower().startswith("sa:us")]   # names first, then labels
    assert [name for name, _ in offered[:len(starting)]] == starting, offered
    assert all(name.startswith("sa:") for name, _ in offered), offered
    page.wait_for_timeout(200)                                # CodeMirror ignores Enter just after the list changes
    page.keyboard.press("Enter")                              # the first one is taken
    assert page.evaluate("window.stackAtlasQuery.editor.state.doc.toString()").endswith(f"?case {offered[0][0]}")
    # An entity by its label, not its name: "cassandra" offers technology:apache-cassandra.
    page.keyboard.type(" ?tech .\n  ?tech sa:successorOf ")
    page.keyboard.press("Escape")
    offered = completions(page, "cassandra")
    assert ("technology:apache-cassandra", "Apache Cassandra") in offered, offered
    # And by its Chinese label on the English page.
    zh = query_site.model.entities["https://w3id.org/stackatlas/concept/event-sourcing"].labels["zh"]
    page.keyboard.press("Escape")
    page.keyboard.type(" ")
    offered = completions(page, zh[:2])
    assert "concept:event-sourcing" in [name for name, _ in offered], offered
    page.keyboard.press("Escape")
    # No completion inside a variable name.
    page.keyboard.type(" ?sa")
    page.wait_for_timeout(400)
    assert page.locator(".cm-tooltip-autocomplete").count() == 0
    assert not tab.errors, tab.errors
    assert not tab.foreign, tab.foreign


def test_page_loads_the_compressed_data_and_reads_the_published_graph(tab: Watched, server: str,
                                                                      store: ox.Store) -> None:
    page = tab.page
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    open_query_page(tab, server + "query.html")
    names = {url.split("?")[0].rsplit("/", 1)[-1] for url in fetched}
    assert {"oxigraph.wasm.gz", "stackatlas.nt.gz", "terms.json.gz"} <= names, names
    assert not {"oxigraph.wasm", "stackatlas.nt", "terms.json"} & names, names
    assert page.evaluate("window.stackAtlasQuery.triples") == len(store)   # ready: the whole dump is in the store
    # FROM the published graph reads it; FROM another graph reads nothing, as in `kg query`; no FROM reads it too.
    for text in ("SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/stackatlas/graph> WHERE { ?s ?p ?o }",
                 "SELECT (COUNT(*) AS ?n) FROM <https://example.org/elsewhere> WHERE { ?s ?p ?o }",
                 "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }  # FROM <https://example.org/elsewhere>"):
        assert run_typed(page, text) == "done"
        expected = [row["n"].value for row in execute(store, text)]
        assert [c["text"] for row in read_table(page)[1] for c in row] == expected, text
    assert not tab.errors, tab.errors


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
    assert link.inner_text() == "Temporal"                   # its label; the prefixed name and IRI in its title
    assert link.get_attribute("title") == "technology:temporal\nhttps://w3id.org/stackatlas/technology/temporal"
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
