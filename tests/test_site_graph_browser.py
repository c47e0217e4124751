"""Graph views in headless Chromium: what a view draws at load, labels that never overlap, groups and "more" that
open in place, and the moment a view is ready.

Label boxes are read from what vis-network drew (each node's label module
records the box it painted, in canvas units, from the canvas's own text
metrics), not from the estimates kgtools.site.pages.graph_layout makes at
build time, so an estimate that is too small fails here.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from kgtools.site.pages.explorer import CAP
from kgtools.site.pages.graph_layout import FONT

from .test_site import SiteBuild, site_build  # noqa: F401  (shared session fixture)
from .test_site_browser import Watched, browser, server, tab, wait_for_graph  # noqa: F401  (shared fixtures)

pytestmark = pytest.mark.browser

# Every drawn node's label box in canvas units, the zoom, and what kind of node each is. vis-network only
# measures the labels it paints, and it paints only what is on screen and big enough: the boxes are read with
# the whole view fitted and every label painted, then the view goes back to where it was (overlap in canvas
# units does not depend on the zoom).
DRAWN = """async () => {
    const g = window.stackAtlasGraphs[0], net = g.network, body = net.body;
    const frames = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    await frames();
    const scale = net.getScale(), at = net.getViewPosition();
    net.setOptions({nodes: {scaling: {label: {drawThreshold: 0}}}});
    net.fit({animation: false});
    net.redraw();
    await frames();
    const nodes = body.nodeIndices.map(id => {
        const node = body.nodes[id], label = node.labelModule, data = g.nodes.get(id);
        const box = label.elementOptions.label ? label.size : null;
        return {id: id, cluster_of: data.cluster_of || null, more: !!data.more, text: data.shape === 'text',
                font: label.fontOptions.size,
                box: box && {left: box.left, top: box.top, width: box.width, height: box.height}};
    });
    net.setOptions({nodes: {scaling: {label: {drawThreshold: 5}}}});
    net.moveTo({scale: scale, position: at, animation: false});
    return {scale: scale, ready: g.readyAt, first: window.saGraphReady, nodes: nodes};
}"""


def drawn(page: Any) -> dict[str, Any]:
    return page.evaluate(DRAWN)


def overlaps(nodes: list[dict[str, Any]]) -> list[tuple[Any, Any]]:
    """Pairs of drawn labels whose boxes overlap (by more than half a canvas unit)."""
    boxes = [(n["id"], n["box"]) for n in nodes if n["box"]]
    assert all(b["width"] > 0 and b["height"] > 0 for _, b in boxes), "a label was not measured"
    out = []
    for i, (a, p) in enumerate(boxes):
        for b, q in boxes[i + 1:]:
            if (p["left"] < q["left"] + q["width"] - 0.5 and q["left"] < p["left"] + p["width"] - 0.5
                    and p["top"] < q["top"] + q["height"] - 0.5 and q["top"] < p["top"] + p["height"] - 0.5):
                out.append((a, b))
    return out


def view_data(site_build: SiteBuild, path: str) -> dict[str, Any]:  # noqa: F811
    html = site_build.page(path)
    found = re.search(r'<script type="application/json" id="sa-graph-[0-9a-f]+">(.*?)</script>', html, re.S)
    assert found, path
    return json.loads(found.group(1))


def open_view(tab: Watched, server: str, path: str) -> dict[str, Any]:  # noqa: F811
    tab.page.goto(server + path)
    wait_for_graph(tab.page)
    return drawn(tab.page)


def click_node(page: Any, node_id: Any) -> None:
    """A real mouse click on a node where it is drawn."""
    point = page.evaluate("""(id) => {
        const g = window.stackAtlasGraphs[0];
        g.block.scrollIntoView({block: 'center'});
        const dom = g.network.canvasToDOM(g.network.getPositions([id])[id]);
        const box = g.block.querySelector('.sa-graph__canvas').getBoundingClientRect();
        return {x: box.left + dom.x, y: box.top + dom.y, hit: g.network.getNodeAt(dom)};
    }""", node_id)
    assert point["hit"] == node_id, point
    page.mouse.click(point["x"], point["y"])


VIEWS = ["graph/index.html", "en/graph/index.html", "technology/temporal.html", "en/technology/temporal.html",
         "source/doc-stack-plan.html", "graph/category/workflow-engine.html", "case/coinbase-cross-border-payments.html"]


@pytest.mark.parametrize("path", VIEWS)
def test_labels_do_not_overlap_and_are_legible_at_load(tab: Watched, server: str, path: str) -> None:  # noqa: F811
    shown = open_view(tab, server, path)
    labelled = [n for n in shown["nodes"] if n["box"]]
    assert labelled, "no label drawn"
    assert not overlaps(shown["nodes"]), overlaps(shown["nodes"])
    assert all(n["font"] == FONT for n in labelled)
    assert shown["scale"] * FONT >= 12 - 1e-6, shown["scale"]   # labels at least 12 px on screen
    assert shown["ready"] is not None and 0 < shown["first"] <= shown["ready"]   # time from navigation to drawn
    assert not tab.errors, tab.errors


@pytest.mark.parametrize("path", ["graph/index.html", "en/graph/index.html"])
def test_explorer_opens_on_one_node_per_group(tab: Watched, server: str, site_build: SiteBuild, path: str) -> None:  # noqa: F811
    data = view_data(site_build, path)
    groups = [c for c in data["clusters"] if c["shownDefault"]]
    shown = open_view(tab, server, path)
    assert len(shown["nodes"]) == len(groups) < len(site_build.model.entities)
    assert sorted(n["cluster_of"] for n in shown["nodes"]) == sorted(c["id"] for c in groups)
    assert all(n["box"] for n in shown["nodes"])   # every group is labelled


def test_clicking_a_group_opens_it_in_place_and_again_closes_it(tab: Watched, server: str,  # noqa: F811
                                                                 site_build: SiteBuild) -> None:  # noqa: F811
    data = view_data(site_build, "graph/index.html")
    hidden = set(data["hidden"])
    before = open_view(tab, server, "graph/index.html")
    for group in sorted((c for c in data["clusters"] if c["shownDefault"]), key=lambda c: -c["shownDefault"])[:2]:
        members = {n["id"] for n in data["nodes"] if n["cluster"] == group["id"] and n["group"] not in hidden}
        click_node(tab.page, group["id"])
        after = drawn(tab.page)
        ids = {n["id"] for n in after["nodes"]}
        assert members <= ids and group["id"] in ids   # the members, around the group's node
        assert not overlaps(after["nodes"]), overlaps(after["nodes"])
        assert after["scale"] * FONT >= 12 - 1e-6
    assert tab.page.locator(".sa-graph__collapse").is_visible()
    opened = drawn(tab.page)
    click_node(tab.page, group["id"])   # the last one opened closes again
    assert len(drawn(tab.page)["nodes"]) == len(opened["nodes"]) - len(members)
    tab.page.locator(".sa-graph__collapse").click()
    assert sorted(map(str, (n["id"] for n in drawn(tab.page)["nodes"]))) == sorted(map(str, (n["id"] for n in before["nodes"])))
    assert not tab.errors, tab.errors


def test_neighbourhood_shows_at_most_the_cap_and_more_opens_in_place(tab: Watched, server: str,  # noqa: F811
                                                                      site_build: SiteBuild) -> None:  # noqa: F811
    data = view_data(site_build, "source/doc-stack-plan.html")
    extra = [n for n in data["nodes"] if n.get("extra")]
    more = [n for n in data["nodes"] if n.get("more")]
    assert extra and more
    shown = open_view(tab, server, "source/doc-stack-plan.html")
    nodes = [n for n in shown["nodes"] if not n["text"]]   # sector titles are labels, not nodes
    assert len(nodes) <= CAP
    assert len(nodes) == len([n for n in data["nodes"] if n.get("shape") != "text" and not n.get("extra")])
    assert sum(n["text"] for n in shown["nodes"]) == len({n["sector"] for n in data["nodes"] if "sector" in n})
    click_node(tab.page, more[0]["id"])
    after = drawn(tab.page)
    ids = {n["id"] for n in after["nodes"]}
    assert {n["id"] for n in extra if n["sector"] == more[0]["sector"]} <= ids and more[0]["id"] not in ids
    assert not overlaps(after["nodes"]), overlaps(after["nodes"])
    assert not tab.errors, tab.errors


def test_finding_a_node_in_a_closed_group_opens_the_group(tab: Watched, server: str) -> None:  # noqa: F811
    page = tab.page
    page.goto(server + "graph/index.html")
    wait_for_graph(page)
    page.locator(".sa-graph__find input").fill("k8s")
    page.wait_for_function("window.stackAtlasGraphs[0].network.getSelectedNodes().length === 1")
    chosen = page.evaluate("""() => { const g = window.stackAtlasGraphs[0];
        const id = g.network.getSelectedNodes()[0], n = g.nodes.get(id);
        return {name: n.name, drawn: g.network.body.nodeIndices.includes(id), open: !!g.expanded[n.cluster]}; }""")
    assert chosen == {"name": "Kubernetes", "drawn": True, "open": True}


@pytest.mark.parametrize("path", ["en/graph/index.html", "en/technology/temporal.html", "source/doc-stack-plan.html"])
def test_labels_do_not_overlap_on_a_phone_held_upright(browser: Any, server: str, path: str) -> None:  # noqa: F811
    """Upright screens get the upright neighbourhood layout and the overview turned a quarter: still no overlap."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    watched = Watched(page, server)
    try:
        page.goto(server + path)
        wait_for_graph(page)
        shown = drawn(page)
        assert [n for n in shown["nodes"] if n["box"]]
        assert not overlaps(shown["nodes"]), overlaps(shown["nodes"])
        assert shown["scale"] * FONT >= 12 - 1e-6
        assert not watched.errors, watched.errors
    finally:
        context.close()
