"""The built site in headless Chromium: pages load cleanly, graphs draw and navigate, search finds entities in
Chinese and English, the language switcher keeps the page, and record markup never runs.

Needs Debian's chromium at /usr/bin/chromium; without it these tests skip,
unless STACKATLAS_REQUIRE_BROWSER=1 (CI), which makes them fail instead.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from .conftest import loopback_http
from .test_site import SiteBuild, kinds_shown_by_default, site_build  # noqa: F401  (shared session fixture)

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("STACKATLAS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM} is required (STACKATLAS_REQUIRE_BROWSER=1)")
    pytest.skip(f"{CHROMIUM} is not installed")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """A built site over HTTP on loopback, as a static host would serve it; yields its base URL."""
    with loopback_http(functools.partial(_Quiet, directory=str(folder.resolve()))) as url:
        yield url + "/"


@pytest.fixture(scope="module")
def server(site_build: SiteBuild) -> Iterator[str]:  # noqa: F811
    with serve_folder(site_build.site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Watched:
    """A page that records console errors, script errors and requests to any other host."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.errors: list[str] = []
        self.foreign: list[str] = []
        host = urlsplit(base).netloc
        page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("dialog", lambda d: (self.errors.append(f"dialog {d.type}: {d.message}"), d.dismiss()))
        page.on("request", lambda r: self.foreign.append(r.url)
                if urlsplit(r.url).scheme in ("http", "https") and urlsplit(r.url).netloc != host else None)


@pytest.fixture
def tab(browser: Any, server: str) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    watched = Watched(page, server)
    try:
        yield watched
    finally:
        context.close()


def wait_for_graph(page: Any) -> None:
    page.wait_for_selector(".sa-graph[data-stable=true]", timeout=30_000)


@pytest.mark.parametrize("path", ["index.html", "technology/temporal.html", "graph/index.html", "en/index.html",
                                  "en/case/coinbase-cross-border-payments.html", "compare/benchmarks.html"])
def test_page_loads_without_errors_or_foreign_requests(tab: Watched, server: str, path: str) -> None:
    tab.page.goto(server + path)
    tab.page.wait_for_load_state("networkidle")
    if tab.page.locator(".sa-graph").count():
        wait_for_graph(tab.page)
    assert not tab.errors, tab.errors
    assert not tab.foreign, tab.foreign


def test_explorer_draws_every_node_of_the_kinds_shown(tab: Watched, server: str, site_build: SiteBuild) -> None:  # noqa: F811
    """Opening every group of the whole-graph view draws every node of the kinds shown, then the concepts too."""
    tab.page.goto(server + "graph/index.html")
    wait_for_graph(tab.page)
    count = "window.stackAtlasGraphs[0].network.body.nodeIndices.filter(id => typeof id === 'number').length"
    tab.page.evaluate("(() => { const g = window.stackAtlasGraphs[0];"
                      " g.data.clusters.forEach(c => g.expand(c.id)); })()")
    drawn = tab.page.evaluate(count)
    assert drawn == sum(kinds_shown_by_default(site_build.model).values())
    tab.page.locator(".sa-graph__kind--concept input").check()
    concepts = len(site_build.model.of_kind("concept"))
    assert tab.page.evaluate(count) == drawn + concepts
    assert not tab.errors, tab.errors


def _node_point(page: Any, node_id: int) -> dict[str, float]:
    """Where a node is drawn, in page coordinates."""
    return page.evaluate("""(id) => {
        const g = window.stackAtlasGraphs[0];
        const dom = g.network.canvasToDOM(g.network.getPositions([id])[id]);
        const box = g.block.querySelector('.sa-graph__canvas').getBoundingClientRect();
        return {x: box.left + dom.x, y: box.top + dom.y, hit: g.network.getNodeAt(dom)};
    }""", node_id)


@pytest.mark.parametrize(("path", "label"), [("graph/index.html", "Kubernetes"), ("technology/temporal.html", "PostgreSQL")])
def test_clicking_a_node_opens_its_page(tab: Watched, server: str, path: str, label: str) -> None:
    page = tab.page
    page.goto(server + path)
    wait_for_graph(page)
    node = page.evaluate("(label) => window.stackAtlasGraphs[0].nodes.get({filter: n => n.name === label})[0]", label)
    if node.get("cluster"):   # the whole graph opens on groups: open the node's group first
        page.evaluate("(id) => window.stackAtlasGraphs[0].expand(id)", node["cluster"])
    page.evaluate("window.stackAtlasGraphs[0].block.scrollIntoView({block: 'center'})")
    page.evaluate("(id) => window.stackAtlasGraphs[0].network.focus(id, {scale: 1.5, animation: false})", node["id"])
    point = _node_point(page, node["id"])
    assert point["hit"] == node["id"]
    with page.expect_navigation():
        page.mouse.click(point["x"], point["y"])
    assert page.url == urljoin(server + path, node["url"])
    assert page.url.endswith("/technology/" + label.lower() + ".html")


def test_graph_search_selects_a_node(tab: Watched, server: str) -> None:
    page = tab.page
    page.goto(server + "graph/index.html")
    wait_for_graph(page)
    page.locator(".sa-graph__find input").fill("k8s")
    page.wait_for_function("window.stackAtlasGraphs[0].network.getSelectedNodes().length > 0")
    selected = page.evaluate("window.stackAtlasGraphs[0].network.getSelectedNodes()")
    label = page.evaluate("(id) => window.stackAtlasGraphs[0].nodes.get(id).name", selected[0])
    assert label == "Kubernetes"


def _search(page: Any, query: str) -> list[str]:
    """Type into Material's search box and return the result links."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")  # Material reads the query on key events, which typing Chinese text does not send
    page.wait_for_selector(".md-search-result__item a", timeout=15_000)
    links = page.eval_on_selector_all(".md-search-result__item > a", "links => links.map(a => a.href)")
    return [link.split("?")[0].split("#")[0] for link in links]


@pytest.mark.parametrize(("start", "query", "expected"), [
    ("index.html", "容器编排", "concept/container-orchestration.html"),        # a Chinese name
    ("index.html", "事件历史", "technology/temporal.html"),                    # words of a Chinese description
    ("index.html", "Kubernetes", "technology/kubernetes.html"),              # an English name
    ("index.html", "K8s", "technology/kubernetes.html"),                     # an alias
    ("en/index.html", "durable execution", "en/technology/temporal.html"),   # English description words
    ("en/index.html", "跨境加密支付", "en/case/coinbase-cross-border-payments.html"),  # Chinese on the English site
])
def test_search_finds_the_entity(tab: Watched, server: str, start: str, query: str, expected: str) -> None:
    tab.page.goto(server + start)
    results = _search(tab.page, query)
    assert server + expected in results[:3], results[:5]
    assert not tab.errors, tab.errors


def test_language_switcher_keeps_the_page(tab: Watched, server: str) -> None:
    page = tab.page
    page.goto(server + "technology/temporal.html")
    page.locator(".md-header__option .md-select button").hover()
    with page.expect_navigation():
        page.locator("a.md-select__link[hreflang=en]").click()
    assert page.url == server + "en/technology/temporal.html"
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator(".md-header__option .md-select button").hover()
    with page.expect_navigation():
        page.locator("a.md-select__link[hreflang=zh]").click()
    assert page.url == server + "technology/temporal.html"


@pytest.mark.parametrize("path", ["technology/xss-probe.html", "en/technology/xss-probe.html", "technology/temporal.html",
                                  "graph/category/workflow-engine.html"])
def test_record_markup_shows_as_text_and_runs_nothing(tab: Watched, server: str, path: str) -> None:
    page = tab.page
    page.goto(server + path)
    if page.locator(".sa-graph").count():
        wait_for_graph(page)
        page.locator(".sa-graph__find input").fill("危险")   # select the probe: its tooltip/label stay text
    assert page.evaluate("typeof window.__xss") == "undefined"
    if path.endswith("xss-probe.html"):
        heading = page.locator("#sa-title").inner_text()
        assert "<script>" in heading or "</title><script>" in heading
        assert "<b onmouseover=window.__xss=4>alias</b>" in page.locator(".sa-names").inner_text()
    assert not tab.errors, tab.errors


def test_search_shows_markup_in_results_as_text(tab: Watched, server: str) -> None:
    tab.page.goto(server + "index.html")
    results = _search(tab.page, "危险")
    assert server + "technology/xss-probe.html" in results
    assert tab.page.evaluate("typeof window.__xss") == "undefined"


@pytest.mark.parametrize("path", ["case/coinbase-cross-border-payments.html", "en/concept/saga-pattern.html"])
def test_diagrams_render_from_the_site_itself_and_fit_a_phone(browser: Any, server: str, path: str) -> None:
    """Mermaid (served by the site, never a CDN) draws the architecture or pattern diagram as SVG, within 390 px."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    watched = Watched(page, server)
    try:
        page.goto(server + path)
        # Material replaces `pre.mermaid` by a `div.mermaid` holding the SVG in a closed shadow root
        page.wait_for_selector(".sa-diagram div.mermaid", timeout=30_000)
        assert page.locator(".sa-diagram pre.mermaid").count() == 0
        box = page.locator(".sa-diagram div.mermaid").first.bounding_box()
        assert box is not None and 0 < box["width"] <= 390 and box["height"] > 60, box
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert not watched.errors, watched.errors
        assert not watched.foreign, watched.foreign
    finally:
        context.close()


QUEUE_GRID = [(2.0, 0.2, 1), (8.0, 0.2, 2), (30.0, 0.1, 4), (847.0, 0.02, 25), (4500.0, 0.2, 1000)]


def test_queueing_calculator_computes_what_the_python_model_computes(tab: Watched, server: str) -> None:
    from kgtools.models.queueing import mmc, servers_for_percentile

    page = tab.page
    page.goto(server + "en/concept/mmc-queue.html")
    page.wait_for_selector("#sa-queueing[data-ready=true]")
    for arrival, service, servers in QUEUE_GRID:
        js = page.evaluate("([a, s, c]) => { const q = window.stackAtlasQueueing.mmc(a, s, c);"
                           " return [q.utilisation, q.waitProbability, q.meanWait, q.meanResponse,"
                           " [0.5, 0.95, 0.99].map(p => window.stackAtlasQueueing.responsePercentile(q, p))]; }",
                           [arrival, service, servers])
        py = mmc(arrival, service, servers)
        assert js[:4] == pytest.approx([py.utilisation, py.wait_probability, py.mean_wait, py.mean_response], rel=1e-12)
        assert js[4] == pytest.approx([py.response_percentile(p) for p in (0.5, 0.95, 0.99)], rel=1e-9)
    assert page.evaluate("window.stackAtlasQueueing.serversForPercentile(847, 0.02, 0.99, 0.195, 0.7)") \
        == servers_for_percentile(847.0, 0.02, 0.99, 0.195, 0.7)
    # the form shows the same P99, and a load beyond capacity says so instead of printing numbers
    page.fill("#sa-queueing input[name=arrival]", "30")
    page.fill("#sa-queueing input[name=service]", "100")
    page.fill("#sa-queueing input[name=servers]", "4")
    shown = page.locator("#sa-queueing-result").inner_text()
    assert f"{mmc(30.0, 0.1, 4).response_percentile(0.99) * 1000:.1f} ms" in shown
    assert page.locator("#sa-queueing-chart svg polyline").count() == 1
    page.fill("#sa-queueing input[name=servers]", "2")
    assert "150.0%" in page.locator("#sa-queueing-result").inner_text()
    assert not tab.errors, tab.errors


def test_cost_calculator_computes_what_the_python_model_computes(tab: Watched, server: str) -> None:
    from kgtools.models.cost import Option, saving, what_the_saving_assumes

    page = tab.page
    page.goto(server + "en/assessment/fixture-cost.html")
    page.wait_for_selector("#sa-cost[data-ready=true]")
    assert "saves 90.0% a month" in page.locator("#sa-cost-result").inner_text()   # the defaults: the graph's figures
    for a, b in [((30, 1108.37), (3, 1108.33)), ((12, 900.0), (10, 1500.0)), ((5, 100.0), (7, 80.0))]:
        js = page.evaluate("([a, b]) => { const c = window.stackAtlasCost; const x = {nodes: a[0], pricePerNode: a[1]},"
                           " y = {nodes: b[0], pricePerNode: b[1]}; const p = c.assumes(x, y);"
                           " return [c.monthly(x), c.monthly(y), c.saving(x, y), p.nodeRatio, p.priceRatio]; }", [a, b])
        x, y = Option("a", *a), Option("b", *b)
        parts = what_the_saving_assumes(x, y)
        assert js == pytest.approx([x.monthly, y.monthly, saving(x, y), parts["node_ratio"], parts["price_ratio"]], rel=1e-12)
    page.fill("#sa-cost input[name=n-postgresql]", "10")
    shown = page.locator("#sa-cost-result").inner_text()
    assert f"{saving(Option('c', 30, 33251 / 30), Option('p', 10, 3325 / 3)):.1%}" in shown
    assert not tab.errors, tab.errors
