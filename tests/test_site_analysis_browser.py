"""The analysis pages in headless Chromium: the Advisor ranks exactly as kgtools.advisor does, the path finder's
hops are triples of the graph, the Insights page loads cleanly, graph views colour nodes by community, and
record markup stays text.

Same browser rules as tests/test_site_browser.py: Debian's chromium at /usr/bin/chromium, skipped when it is
absent unless STACKATLAS_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from kgtools.insights.advisor import DIMENSIONS, Requirements, advise, advisor_data, walk_tree
from kgtools.insights.analytics import entity_graph, resolve_entity
from kgtools.pipeline import open_store
from kgtools.records.project import Project
from kgtools.site.pages.communities import OTHER_COLOUR, colour
from kgtools.site.pages.explorer import KIND_COLOURS

from .test_site import XSS_ZH, SiteBuild, site_build  # noqa: F401  (shared session fixture)
from .test_site_browser import Watched, browser, server, tab, wait_for_graph  # noqa: F401  (shared fixtures)

pytestmark = pytest.mark.browser

NO_DATA = {"": "无数据", "en/": "no data"}


def _open_advisor(tab: Watched, server: str, prefix: str = "") -> Any:  # noqa: F811
    page = tab.page
    page.goto(server + prefix + "analysis/advisor.html")
    page.wait_for_selector("#sa-advisor-result[data-ready=true]")
    return page


def _set_inputs(page: Any, requirements: Requirements, weights: dict[str, float]) -> None:
    """Fill the form the way a reader would: choose, type, tick, and drag each slider (an input event)."""
    page.select_option("select[name=scenario]", requirements.scenario)
    page.fill("input[name=latency]", "" if requirements.latency_ms is None else f"{requirements.latency_ms:g}")
    state = {True: "stateful", False: "stateless", None: ""}[requirements.stateful]
    page.select_option("select[name=state]", state)
    page.select_option("select[name=scale]", requirements.scale or "")
    page.locator("input[name=cost]").set_checked(requirements.cost_sensitive)
    page.locator("input[name=write]").set_checked(requirements.write_heavy)
    for dimension, weight in weights.items():
        page.eval_on_selector(f"input[name=w-{dimension}]", """(input, value) => {
            input.value = value; input.dispatchEvent(new Event('input', {bubbles: true})); }""", str(weight))


def _shown(page: Any) -> list[dict[str, Any]]:
    return page.eval_on_selector_all("#sa-advisor-result tr.sa-advisor__row", """rows => rows.map(r => ({
        technology: r.dataset.technology,
        dimensions: [...r.querySelectorAll('td[data-dimension]')].map(c => c.textContent),
        total: r.querySelector('.sa-advisor__total').textContent,
        coverage: Number(r.dataset.coverage),
        tree: r.classList.contains('sa-advisor__row--tree')}))""")


CHANGED = {"functional-fit": 1.0, "cost-effectiveness": 0.05, "performance": 0.05}
INPUTS = [
    (Requirements("long-running-business-process"), {}),
    (Requirements("long-running-business-process"), CHANGED),
    (Requirements("long-running-business-process", stateful=True, cost_sensitive=True), {}),
    (Requirements("long-running-business-process", latency_ms=100, stateful=False, scale="pb", write_heavy=True),
     {"maintainability": 0.6, "scalability": 0.0}),
    (Requirements("long-running-business-process", latency_ms=200), CHANGED | {"cost-effectiveness": 1.0, "functional-fit": 0.05}),
]


@pytest.mark.parametrize("prefix", ["", "en/"])
@pytest.mark.parametrize(("requirements", "changes"), INPUTS, ids=["defaults", "changed-weights", "decision-tree",
                                                                    "latency-bound", "bound-beats-weights"])
def test_advisor_page_ranks_as_kg_advise(tab: Watched, server: str, site_build: SiteBuild,  # noqa: F811
                                         requirements: Requirements, changes: dict[str, float], prefix: str) -> None:
    data = advisor_data(site_build.store)
    weights = data["weights"] | changes
    page = _open_advisor(tab, server, prefix)
    _set_inputs(page, requirements, weights)
    expected = advise(data, requirements, weights)
    shown = _shown(page)
    assert [r["technology"] for r in shown] == [s.technology for s in expected]
    for row, scored in zip(shown, expected, strict=True):
        total, coverage = scored.total(weights)
        assert row["total"] == f"{total:.3f}"
        assert row["coverage"] == pytest.approx(coverage, abs=1e-12)
        assert row["tree"] == scored.from_tree
        assert row["dimensions"] == [f"{scored.score(d):.3f}" if scored.score(d) is not None else NO_DATA[prefix]
                                     for d in DIMENSIONS]
    fired = page.eval_on_selector_all(".sa-advisor__rule", "items => items.map(i => i.dataset.choose)")
    assert fired == [r["choose"] for r in walk_tree(data, requirements)]
    assert not tab.errors, tab.errors


def test_changed_weights_and_the_tree_move_the_ranking(tab: Watched, server: str, site_build: SiteBuild) -> None:  # noqa: F811
    """The cases above are not all the same ranking, and the reset button restores the documents' weights."""
    data = advisor_data(site_build.store)
    page = _open_advisor(tab, server)
    default = [r["technology"] for r in _shown(page)]
    cost_first = data["weights"] | {"cost-effectiveness": 1.0, "functional-fit": 0.05, "performance": 0.05}
    _set_inputs(page, Requirements("long-running-business-process"), cost_first)
    changed = [r["technology"] for r in _shown(page)]
    assert changed != default and sorted(changed) == sorted(default)
    expected = [s.technology for s in advise(data, Requirements("long-running-business-process"), cost_first)]
    assert changed == expected
    page.click(".sa-advisor__reset")
    assert [r["technology"] for r in _shown(page)] == default
    _set_inputs(page, Requirements("long-running-business-process", stateful=True), data["weights"])
    first = _shown(page)[0]
    assert first["tree"] and first["technology"] == "temporal"


def test_advisor_port_gives_the_hand_checked_numbers(tab: Watched, server: str, mini: Project) -> None:  # noqa: F811
    """The page's scoring run on tests/fixtures/mini's data (the one tests/test_advisor.py checks by hand)."""
    data = advisor_data(open_store(mini))
    page = _open_advisor(tab, server)
    weights = list(data["weights"].items())
    ranked = page.evaluate("""([data, weights]) => {
        const api = window.stackAtlasAdvisor;
        const req = {scenario: 'long-running-business-process', latencyMs: null, stateful: null, scale: null,
                     costSensitive: false, writeHeavy: false};
        return api.advise(data, req, weights).map(s => [s.technology, s.total(weights),
            Object.fromEntries(data.dimensions.map(d => [d, s.score(d)]))]);
    }""", [data, weights])
    assert [r[0] for r in ranked] == ["temporal", "cadence"]
    temporal, cadence = ranked[0], ranked[1]
    assert temporal[1][0] == pytest.approx((0.3 + 0.25 + 0.2 * 0.4 + 0.15 * 0.9) / 0.9)
    assert temporal[1][1] == pytest.approx(0.9)
    assert temporal[2]["scalability"] is None and temporal[2]["maintainability"] == pytest.approx(0.9)
    assert cadence[1][0] == pytest.approx((0.3 * 0.6 + 0.25 * 0.5 + 0.2 * 1.0 + 0.15 * 0.7) / 0.9)


def test_advisor_evidence_links_to_cited_sections(tab: Watched, server: str) -> None:  # noqa: F811
    page = _open_advisor(tab, server, "en/")
    page.locator(".sa-advisor__toggle").first.click()
    evidence = page.locator(".sa-advisor__more:not([hidden])").first
    assert "rating" in evidence.inner_text()
    link = evidence.locator("a.sa-cite").first
    href = link.get_attribute("href")
    assert href.startswith("../source/") and "#sec-" in href
    with page.expect_navigation():
        link.click()
    assert page.locator(f"#{href.split('#')[1]}").count() == 1
    assert not tab.errors, tab.errors


# -- insights --------------------------------------------------------------------------------------


def _find_path(page: Any, start: str, end: str) -> list[dict[str, str]]:
    page.fill("#sa-paths input[name=from]", start)
    page.fill("#sa-paths input[name=to]", end)
    page.click("#sa-paths button[type=submit]")
    page.wait_for_selector("#sa-paths-result[data-state]")
    return page.eval_on_selector_all(".sa-path__hop", "hops => hops.map(h => ({...h.dataset, text: h.textContent}))")


@pytest.mark.parametrize(("prefix", "start", "end"), [
    ("", "Kubernetes", "Saga 模式"),
    ("en/", "Kubernetes", "Saga pattern"),
    ("en/", "technology/postgresql", "Coinbase"),
])
def test_path_finder_hops_are_triples_of_the_graph(tab: Watched, server: str, site_build: SiteBuild,  # noqa: F811
                                                   prefix: str, start: str, end: str) -> None:
    page = tab.page
    page.goto(server + prefix + "analysis/insights.html")
    page.wait_for_function("window.stackAtlasPaths && window.stackAtlasPaths.ready")
    hops = _find_path(page, start, end)
    entities = entity_graph(site_build.store)
    shortest = nx.shortest_path_length(entities.undirected(), resolve_entity(entities, start), resolve_entity(entities, end))
    assert len(hops) == shortest > 0
    for hop in hops:
        ask = f"ASK {{ <{hop['subject']}> <{hop['predicate']}> <{hop['object']}> }}"
        assert site_build.store.query(ask), ask
    # The chain is connected: each hop starts where the previous one ended (whichever way it points).
    nodes = page.eval_on_selector_all(".sa-path__node a", "links => links.map(a => a.getAttribute('href'))")
    assert len(nodes) == len(hops) + 1
    labels = [site_build.model.label(p, prefix.strip("/") or "zh") for p in {h["predicate"] for h in hops}]
    assert all(any(label in h["text"] for h in hops) for label in labels)
    assert not tab.errors, tab.errors


def test_insights_page_loads_without_errors_or_foreign_requests(tab: Watched, server: str) -> None:  # noqa: F811
    page = tab.page
    page.goto(server + "analysis/insights.html")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("#sa-paths-result[data-state]")
    assert page.locator("#sa-paths-names option").count() > 30
    assert not tab.errors, tab.errors
    assert not tab.foreign, tab.foreign


def test_path_finder_shows_markup_in_labels_as_text(tab: Watched, server: str) -> None:  # noqa: F811
    page = tab.page
    page.goto(server + "analysis/insights.html")
    page.wait_for_function("window.stackAtlasPaths && window.stackAtlasPaths.ready")
    hops = _find_path(page, XSS_ZH, "Temporal")
    assert len(hops) == 1
    assert XSS_ZH in page.locator(".sa-path").inner_text()
    assert page.evaluate("typeof window.__xss") == "undefined"
    unknown = _find_path(page, "<img src=x onerror=window.__xss=5>", "Temporal")
    assert unknown == [] and "<img src=x" in page.locator("#sa-paths-result").inner_text()
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert not tab.errors, tab.errors


# -- graph explorer --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["graph/index.html", "en/technology/temporal.html"])
def test_graph_views_colour_nodes_by_community(tab: Watched, server: str, path: str) -> None:  # noqa: F811
    page = tab.page
    page.goto(server + path)
    wait_for_graph(page)
    assert page.locator(".sa-graph__legend").is_hidden()
    page.locator(".sa-graph__mode input[value=community]").check()
    entities = "window.stackAtlasGraphs[0].nodes.get({filter: n => !!n.group})"   # not groups, titles or "more"
    painted = page.evaluate(f"{entities}.map(n => [n.community, n.color.background, n.group])")
    assert painted and all(c == colour(n) for n, c, _ in painted)
    assert len({c for _, c, _ in painted} - {OTHER_COLOUR}) >= 2, "several communities, several colours"
    legend = page.locator(".sa-graph__legend")
    assert legend.is_visible() and legend.locator(".sa-graph__community:visible").count() >= 2
    shown = page.evaluate("""(() => { const g = window.stackAtlasGraphs[0], hidden = new Set(g.data.hidden);
        return (g.data.mode === 'overview' ? g.nodes : g.view).get({filter: n => !!n.group && !hidden.has(n.group)}).length;
    })()""")   # the overview counts the members of the kinds shown, in open groups or closed
    counts = legend.locator(".sa-graph__community:visible .sa-count").all_inner_texts()
    assert sum(int(c.strip("()")) for c in counts) == shown
    page.locator(".sa-graph__mode input[value=kind]").check()
    painted = page.evaluate(f"{entities}.map(n => [n.community, n.color.background, n.group])")
    assert all(c == KIND_COLOURS[group] for _, c, group in painted)
    assert legend.is_hidden()
    assert not tab.errors, tab.errors


def test_advisor_page_says_when_no_candidate_meets_the_bound(tab: Watched, server: str, site_build: SiteBuild) -> None:  # noqa: F811
    data = advisor_data(site_build.store)
    page = _open_advisor(tab, server, "en/")
    _set_inputs(page, Requirements("long-running-business-process", latency_ms=10), data["weights"])
    assert "No candidate has a cited P99 within 10 ms." in page.locator(".sa-advisor__nobody").inner_text()
    assert not tab.errors, tab.errors
