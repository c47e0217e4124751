"""The analysis pages built from the fixture corpus: Insights, Advisor, Data quality and Performance, in both
languages, holding what the graph says, with their exported data escaped and equal to the Python side's.

Uses the session build of tests/test_site.py (the mini fixture plus a technology whose names carry markup).
"""

from __future__ import annotations

import json
import re
from html import escape as html_escape
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from kgtools.insights.advisor import DIMENSIONS, advisor_data
from kgtools.insights.analytics import bridges, entity_graph
from kgtools.insights.bench import check_targets, stage_rows
from kgtools.insights.quality import quality_report
from kgtools.query.engine import PREFIX_IRIS
from kgtools.site.pages import urls
from kgtools.site.pages.communities import OTHER_COLOUR, colour
from kgtools.site.pages.markup import Page, fill
from kgtools.site.pages.performance_page import PLOT_ASSET, performance_page

from .test_site import RAW_PAYLOADS, XSS_ZH, SiteBuild, site_build  # noqa: F401  (shared session fixture)

PAGES = ("insights", "advisor", "quality", "performance")
DATA_FILES = ("analysis/insights-paths.json", "analysis/advisor-data.json")
ID_KINDS = {"entities-without-source": None, "concepts-without-relation": "concept",
            "technologies-in-no-case": "technology", "sources-never-cited": "source"}


def _list(html: str, check: str) -> str:
    """The HTML of one quality check's list (or its empty note)."""
    match = re.search(rf'<(ul|p) class="sa-(?:quality|empty)" data-check="{check}" data-count="(\d+)">(.*?)</\1>', html,
                      re.S)
    assert match, check
    return match.group(0)


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("prefix", ["", "en/"])
def test_each_page_exists_in_both_languages_and_is_in_the_navigation(site_build: SiteBuild, prefix: str,  # noqa: F811
                                                                     name: str) -> None:
    html = site_build.page(f"{prefix}analysis/{name}.html")
    title = {"": {"insights": "图谱洞察", "advisor": "选型顾问", "quality": "数据质量", "performance": "性能"},
             "en/": {"insights": "Insights", "advisor": "Selection advisor", "quality": "Data quality",
                     "performance": "Performance"}}[prefix][name]
    assert f"<title>{title} - Stack Atlas</title>" in html
    assert re.search(rf'href="[^"]*analysis/{name}\.html"', site_build.page(f"{prefix}index.html"))


# -- data quality ----------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_quality_page_lists_what_kg_stats_quality_reports(site_build: SiteBuild, prefix: str) -> None:  # noqa: F811
    html = site_build.page(f"{prefix}analysis/quality.html")
    report = quality_report(site_build.store)
    assert report["concepts-without-relation"] == ["cqrs"]
    cqrs = _list(html, "concepts-without-relation")
    assert 'data-count="1"' in cqrs and 'href="../concept/cqrs.html"' in cqrs
    for check, items in report.items():
        block = _list(html, check)
        assert f'data-count="{len(items)}"' in block, check
        if check in ID_KINDS:
            for item in items:
                kinds = [ID_KINDS[check]] if ID_KINDS[check] else [e.kind for e in site_build.model.entities.values()
                                                                    if e.id == item]
                assert any(f'href="../{kind}/{item}.html"' in block for kind in kinds), (check, item)
    claims = _list(html, "claims-backed-only-by-documents")
    assert 'href="../case/coinbase-cross-border-payments.html#stack"' in claims
    assert "uses-1" in claims and ">uses-4<" not in claims  # Cadence's usage has a vendor page behind it
    disagreements = _list(html, "disagreements")
    assert disagreements.count("<li>") == len(report["disagreements"]) == 3
    assert 'href="../case/coinbase-cross-border-payments.html#disagreements"' in disagreements
    assert 'href="../case/coinbase-cross-border-payments.html#notes"' in disagreements


def test_quality_page_shows_markup_in_labels_as_text(site_build: SiteBuild) -> None:  # noqa: F811
    block = _list(site_build.page("analysis/quality.html"), "technologies-in-no-case")
    assert "xss-probe" in quality_report(site_build.store)["technologies-in-no-case"]
    assert html_escape(XSS_ZH) in block


# -- insights --------------------------------------------------------------------------------------


def test_insights_ranking_is_the_graphs_pagerank(site_build: SiteBuild) -> None:  # noqa: F811
    rows = site_build.store.query("SELECT ?e ?r WHERE { ?e sa:pageRank ?r } ORDER BY DESC(?r) ?e LIMIT 10",
                                  prefixes=PREFIX_IRIS)
    expected = [row["e"].value.split("stackatlas/", 1)[1] for row in rows]
    html = site_build.page("analysis/insights.html")
    table = html[html.index("sa-insights--ranking"):]
    table = table[:table.index("</table>")]
    shown = re.findall(r'<tr><td>\d+</td><td><a class="sa-link sa-link--\w+" href="\.\./([\w-]+/[\w-]+)\.html"', table)
    assert shown[:10] == expected


def test_insights_communities_and_bridges_come_from_the_graph(site_build: SiteBuild) -> None:  # noqa: F811
    html = site_build.page("en/analysis/insights.html")
    rows = site_build.store.query("SELECT ?c (COUNT(?e) AS ?n) WHERE { ?e sa:community ?c } GROUP BY ?c",
                                  prefixes=PREFIX_IRIS)
    sizes = {int(r["c"].value): int(r["n"].value) for r in rows}
    for number, size in sizes.items():
        if size > 1:
            block = html[html.index(f'id="community-{number}"'):]
            assert f"</span></td><td>{size}</td>" in block[:block.index("</tr>")], number
            assert f'background:{colour(number)}' in block[:400]
        else:
            assert f'id="community-{number}"' not in html
    entities = entity_graph(site_build.store)
    table = html[html.index("sa-insights--bridges"):]
    for iri, schemes in bridges(entities):
        kind_id = iri.split("stackatlas/", 1)[1]
        assert f'href="../{kind_id}.html"' in table, kind_id  # relative to en/analysis/
        assert len(schemes) >= 2


@pytest.mark.parametrize(("prefix", "label"), [("", "Saga 模式"), ("en/", "Saga pattern")])
def test_path_data_is_the_entity_graph_in_the_pages_language(site_build: SiteBuild, prefix: str, label: str) -> None:  # noqa: F811
    data = json.loads((site_build.site / prefix / "analysis/insights-paths.json").read_text(encoding="utf-8"))
    names = {node[0]: node[1] for node in data["nodes"]}
    assert names["concept/saga-pattern"] == label
    entities = entity_graph(site_build.store)
    assert len(data["nodes"]) == entities.graph.number_of_nodes()
    pairs = {(a, b) for a, b in entities.graph.edges() if a != b}
    assert len(data["edges"]) == len(pairs)
    for a, b, p in data["edges"]:
        subject, obj = data["base"] + data["nodes"][a][0], data["base"] + data["nodes"][b][0]
        predicate = data["predicates"][p][0]
        assert predicate == min(entities.graph[subject][obj]), (subject, obj)  # the one explain_path names
        assert site_build.store.query(f"ASK {{ <{subject}> <{predicate}> <{obj}> }}")
    page = site_build.site / prefix / "analysis/insights.html"
    for node in data["nodes"]:
        assert (page.parent / node[2]).resolve().is_file(), node


# -- advisor ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_advisor_data_is_advisor_data_with_working_links(site_build: SiteBuild, prefix: str) -> None:  # noqa: F811
    page = site_build.site / prefix / "analysis/advisor.html"
    bundle = json.loads((page.parent / "advisor-data.json").read_text(encoding="utf-8"))
    assert bundle["advisor"] == json.loads(json.dumps(advisor_data(site_build.store)))
    for source in bundle["sources"].values():
        assert (page.parent / source["url"]).resolve().is_file()
    cited = {(r["source"], r["locator"]) for key in ("rules", "ratings", "latencies") for r in bundle["advisor"][key]}
    for source, locator in cited:
        target = (page.parent / bundle["sources"][source]["url"]).resolve()
        assert f'id="{bundle["anchors"][locator]}"' in target.read_text(encoding="utf-8"), (source, locator)
    for record_id, url in bundle["pages"].items():
        assert (page.parent / url).resolve().is_file(), record_id


def test_advisor_form_defaults_to_the_documents_weights(site_build: SiteBuild) -> None:  # noqa: F811
    html = site_build.page("en/analysis/advisor.html")
    weights = advisor_data(site_build.store)["weights"]
    for dimension in DIMENSIONS:
        value = re.search(rf'name="w-{dimension}"[^>]* value="([^"]+)"', html)
        assert value and float(value.group(1)) == weights[dimension], dimension
    assert '<option value="long-running-business-process">Long-running business process</option>' in html
    assert "长周期业务流程</option>" in site_build.page("analysis/advisor.html")
    assert 'src="../assets/stackatlas/advisor.js"' in html
    # The shared helpers load first: advisor.js takes `el` and `fmt` from dom.js as it starts.
    assert html.index('src="../assets/stackatlas/dom.js"') < html.index('src="../assets/stackatlas/advisor.js"')


@pytest.mark.parametrize("name", DATA_FILES)
def test_exported_data_is_escaped_and_keeps_labels_exactly(site_build: SiteBuild, name: str) -> None:  # noqa: F811
    for prefix in ("", "en/"):
        text = (site_build.site / prefix / name).read_text(encoding="utf-8")
        assert not any(p in text for p in RAW_PAYLOADS) and "<" not in text and ">" not in text
        data = json.loads(text)
        labels = ({n[1] for n in data["nodes"]} if "nodes" in data
                  else {v for names in data["advisor"]["labels"].values() for v in names.values()})
        assert XSS_ZH in labels or prefix == "en/", name  # the zh label, byte for byte, once decoded


# -- graph explorer --------------------------------------------------------------------------------


def test_graph_views_carry_communities(site_build: SiteBuild) -> None:  # noqa: F811
    html = site_build.page("graph/index.html")
    data = json.loads(re.search(r'<script type="application/json" id="sa-graph-[0-9a-f]+">(.*?)</script>', html, re.S).group(1))
    numbers = {n["community"] for n in data["nodes"]}
    assert numbers and all(isinstance(n, int) for n in numbers)
    assert data["communities"]["other"] == OTHER_COLOUR
    for number, value in data["communities"]["colours"].items():
        assert value == colour(int(number))
    assert {entry[2] for entry in data["communities"]["legend"]} <= {*data["communities"]["colours"].values(),
                                                                       OTHER_COLOUR}


# -- performance -----------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_performance_page_without_results_says_how_to_make_them(site_build: SiteBuild, prefix: str) -> None:  # noqa: F811
    html = site_build.page(f"{prefix}analysis/performance.html")
    assert "python benchmarks/run.py --save" in html
    assert not (site_build.site / prefix / PLOT_ASSET).exists()


RESULTS = [
    {"label": "real", "records": 900, "measured": {"date": "2026-12-02", "commit": "abc1234"},
     "stages": {"load": 0.2, "check-one": 0.3, "validate": 0.4, "integrity": 0.05,
                                                 "compile": 0.5, "dumps": 0.4, "mkdocs": 31.0},
     "site": {"pages": 2000, "median_page_kb": 41.5, "total_mb": 90.0},
     "queries_ms": {"alternatives": {"oxigraph": 4.5, "rdflib": 77.0}, "glossary": {"oxigraph": 12.0, "rdflib": 200.0}}},
    {"label": "400", "records": 400, "stages": {"load": 0.1, "compile": 0.2, "dumps": 0.1},
     "site": {"pages": 900, "median_page_kb": 30.0, "total_mb": 30.0}},
    {"label": "4000", "records": 4000, "stages": {"load": 1.2, "compile": 2.0, "dumps": 3.0},
     "site": {"pages": 9000, "median_page_kb": 31.5, "total_mb": 300.0}},
]


def test_performance_page_shows_saved_results_and_embeds_the_plot_as_an_image(site_build: SiteBuild,  # noqa: F811
                                                                             tmp_path: Path) -> None:
    folder = tmp_path / "benchmarks" / "results"
    folder.mkdir(parents=True)
    (folder / "latest.json").write_text(json.dumps(RESULTS), encoding="utf-8")
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>window.__xss=9</script></svg>'
    (folder / "cost.svg").write_text(svg, encoding="utf-8")
    page = Page(site_build.model, "en", urls.url("analysis/performance"), "../")
    doc, files = performance_page(page, tmp_path)
    html = fill(doc.markdown(), doc.slots)
    assert files == {PLOT_ASSET: svg.encode("utf-8")}
    assert '<img class="sa-perf-plot" src="cost.svg"' in html and "<svg" not in html and "__xss" not in html
    # per stage and size: median seconds, ms per record, and the ratio to the smallest synthetic size
    load_4000 = re.search(r"<tr><td><code>load</code></td><td>4,000</td><td>4,000</td>(.*?)</tr>", html).group(1)
    assert ">1.200<" in load_4000 and ">0.300<" in load_4000 and ">1.20<" in load_4000  # 0.3 ms vs 0.25 ms
    assert "<code>glossary</code></td><td><span class=\"sa-figure\">12.00</span></td><td><span class=\"sa-figure\">200.00" \
           in html
    glossary = re.findall(r"<dt><code>([a-z-]+)</code></dt><dd>([^<]+)</dd>", html)
    assert [stage for stage, _ in glossary] == list(RESULTS[0]["stages"])  # every measured stage is explained
    assert dict(glossary)["check-one"].startswith("kg check of one record edited after an earlier check")
    verdicts = re.findall(r'sa-target--(met|missed|skip)', html)
    assert verdicts == [c.state for c in check_targets(RESULTS)]
    # 0.3 s, 1.55 s, 40,000 not run, site 31 s > 30 s, 12 ms > 10 ms, 41.5 KB, pages 1.05x as big at 4,000
    assert verdicts[:7] == ["met", "met", "skip", "missed", "missed", "met", "met"]
    assert "41.50 KB" in html and "1.05x" in html
    # when each size was measured, as saved (sizes saved without a stamp are not named)
    assert "Measured on (commit): real corpus: 2026-12-02 (abc1234)." in html


def test_growth_is_compared_within_one_run_only() -> None:
    """A size kept from an older saved run is never divided by a size measured in a newer one."""
    today, older = {"date": "2026-12-02", "commit": "abc1234"}, {"date": "2026-12-01", "commit": None}
    results = [
        {"label": "400", "records": 400, "measured": today, "stages": {"load": 0.1},
         "site": {"pages": 900, "median_page_kb": 30.0}},
        {"label": "4000", "records": 4000, "measured": today, "stages": {"load": 1.2},
         "site": {"pages": 9000, "median_page_kb": 33.0}},
        {"label": "40000", "records": 40000, "measured": older, "stages": {"load": 90.0}},   # 9x per record
    ]
    checks = {c.en: c.measured for c in check_targets(results)}
    assert checks["linear load: per-record cost at 4000 against 400"] == pytest.approx(1.2)
    assert not any("40000 against" in name for name in checks), checks
    assert checks["page size: median page at 4000 against 400"] == pytest.approx(1.1)
    ratios = {(r.stage, r.label): r.ratio for r in stage_rows(results)}
    assert ratios[("load", "4000")] == pytest.approx(1.2)
    assert ratios[("load", "40000")] is None and ratios[("load", "400")] is None


def test_analysis_links_resolve(site_build: SiteBuild) -> None:  # noqa: F811
    """Links inside the analysis pages (also checked site-wide by test_site) point at files that exist."""
    for prefix in ("", "en/"):
        for name in PAGES:
            path = site_build.site / prefix / f"analysis/{name}.html"
            for href in re.findall(r'(?:href|src|data-src)="([^"#?]+)', path.read_text(encoding="utf-8")):
                if urlsplit(href).scheme or href.startswith("/"):
                    continue
                assert (path.parent / unquote(href)).resolve().exists(), (path.name, href)
