"""The site built from a small corpus into a temporary folder: every entity paged in both languages, links whole,
nothing from another host, record HTML escaped everywhere, comparison figures exactly the graph's.

The corpus is the mini fixture plus three records made here: a technology whose
names and description carry markup, a benchmark and a recommended stack.
`site_build` (session scope) is shared with tests/test_site_browser.py.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import statistics
import subprocess
import sys
from collections import defaultdict
from html import escape as html_escape
from html import unescape as html_unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import pytest
import yaml

from kgtools.pipeline import build
from kgtools.query.store import load_dump
from kgtools.records.project import Project
from kgtools.site.pages.compare import MEASUREMENT_CELLS, select
from kgtools.site.pages.escape import md, script_json
from kgtools.site.pages.model import SiteModel, load_model
from kgtools.site.pages.numbers import format_figure

from .conftest import FIXTURE, ROOT

# A label that would run code if any page inserted it as markup.
XSS_ZH = '<script>window.__xss=1</script>危险<img src=x onerror="window.__xss=2">'
XSS_EN = "</title><script>window.__xss=3</script>{: onclick=alert(1)} *bold* [x](javascript:alert(1))"
XSS_ALIAS = "<b onmouseover=window.__xss=4>alias</b>"
RAW_PAYLOADS = ("<script>window.__xss", "<img src=x onerror", "</title><script>", "<b onmouseover")

def cite_131() -> list[dict[str, str]]:
    """A fresh citation list each time (yaml.safe_dump would write a shared one as an anchor, which kg check refuses)."""
    return [{"source": "doc-stack-plan", "locator": "1.3.1", "section": "s1.3.1"}]


EXTRA_RECORDS = {
    "assessments/fixture-latency.yaml": {
        "id": "fixture-latency",
        "type": "benchmark",
        "label": {"zh": "延迟基准（测试）", "en": "Latency benchmark (test)"},
        "description": {"zh": "排队算例用的 P99。", "en": "The P99 the queueing worked example uses."},
        "measurements": [
            {"technology": "temporal", "metric": "p99-latency", "value": 195, "unit": "ms",
             "citations": [{"source": "doc-stack-plan", "locator": "1.1.2", "section": "s1.1.2"}]},
        ],
        "citations": [{"source": "doc-stack-plan", "locator": "1.1.2", "section": "s1.1.2"}],
    },
    "assessments/fixture-cost.yaml": {
        "id": "fixture-cost",
        "type": "cost-comparison",
        "label": {"zh": "成本比较（测试）", "en": "Cost comparison (test)"},
        "description": {"zh": "成本计算器用的数字。", "en": "The figures the cost calculator uses."},
        "measurements": [
            {"technology": "apache-cassandra", "metric": "monthly-cost", "value": 33251, "unit": "USD/month",
             "citations": cite_131()},
            {"technology": "postgresql", "metric": "monthly-cost", "value": 3325, "unit": "USD/month",
             "citations": cite_131()},
            {"technology": "apache-cassandra", "metric": "node-count", "value": 30, "unit": "nodes",
             "citations": cite_131()},
            {"technology": "postgresql", "metric": "node-count", "value": 3, "unit": "nodes", "citations": cite_131()},
        ],
        "citations": cite_131(),
    },
    "models/fixture-mmc-model.yaml": {
        "id": "fixture-mmc-model",
        "type": "queueing-model",
        "label": {"zh": "测试用排队模型", "en": "Fixture queueing model"},
        "description": {"zh": "排队算例所用的模型。", "en": "The model the queueing worked example uses."},
        "code": "kgtools/models/queueing.py",
        "concepts": ["mmc-queue"],
        "figures": ["case/coinbase-cross-border-payments#m-1", "assessment/fixture-latency#m-1"],
    },
    "technologies/xss-probe.yaml": {
        "id": "xss-probe",
        "label": {"zh": XSS_ZH, "en": XSS_EN},
        "aliases": [XSS_ALIAS],
        "description": {"zh": "用于检查转义的记录 <i>斜体</i> & 符号。", "en": "A record to check escaping <i>italic</i> & ampersand."},
        "categories": ["workflow-engine"],
        "integrates_with": ["temporal"],
        "citations": [{"source": "doc-stack-plan", "locator": "<script>locator</script>", "section": "s1.1.1"}],
    },
    "assessments/fixture-benchmark.yaml": {
        "id": "fixture-benchmark",
        "type": "benchmark",
        "label": {"zh": "工作流引擎基准（测试）", "en": "Workflow engine benchmark (test)"},
        "description": {"zh": "测试用的基准表。", "en": "A benchmark table for the tests."},
        "scenarios": ["long-running-business-process"],
        "measurements": [
            {"technology": "temporal", "with": ["postgresql"], "metric": "throughput", "value": 847, "unit": "tasks/s",
             "citations": [{"source": "doc-stack-plan", "locator": "1.1.2 性能指标对比（2024-2025基准测试）", "section": "s1.1.2"}]},
            {"technology": "temporal", "with": ["apache-cassandra"], "metric": "throughput", "value": 812.5,
             "unit": "tasks/s",
             "citations": [{"source": "doc-stack-plan", "locator": "1.1.2 性能指标对比（2024-2025基准测试）", "section": "s1.1.2"}]},
            {"technology": "cadence", "metric": "p99-latency", "value": 200, "qualifier": "<", "unit": "ms",
             "citations": [{"source": "temporal-coinbase-case-study", "locator": "NOTE at the top of the page"}]},
            {"technology": "cadence", "metric": "peak-qps", "min": 10, "max": 20, "unit": "requests/s",
             "citations": [{"source": "doc-stack-plan", "locator": "1.1.2", "section": "s1.1.2"}]},
            {"technology": "xss-probe", "metric": "latency", "text": {"zh": "<u>未知</u>", "en": "<u>unknown</u>"},
             "citations": [{"source": "doc-stack-plan", "locator": "1.1.2", "section": "s1.1.2"}]},
        ],
        "ratings": [
            {"technology": "temporal", "criterion": "long-running-business-process", "score": 5, "scale_max": 5,
             "citations": [{"source": "doc-stack-plan", "locator": "2.1 场景矩阵", "section": "s2.1"}]},
            {"technology": "cadence", "criterion": "long-running-business-process", "score": 3, "scale_max": 5,
             "citations": [{"source": "doc-stack-plan", "locator": "2.1 场景矩阵", "section": "s2.1"}]},
        ],
        "citations": [{"source": "doc-stack-plan", "locator": "1.1.2 性能指标对比（2024-2025基准测试）", "section": "s1.1.2"}],
    },
    "assessments/fixture-stack.yaml": {
        "id": "fixture-stack",
        "type": "recommended-stack",
        "label": {"zh": "推荐组合（测试）", "en": "Recommended stack (test)"},
        "description": {"zh": "测试用的推荐组合。", "en": "A recommended stack for the tests."},
        "components": [
            {"technology": "temporal", "role": {"zh": "编排", "en": "orchestration"}},
            {"technology": "postgresql", "role": {"zh": "持久化", "en": "persistence"}},
        ],
        "citations": [{"source": "doc-stack-plan", "locator": "3.2 推荐组合", "section": "s3.2"}],
    },
}


def make_project(root: Path) -> Project:
    """The fixture corpus with the real ontology, mkdocs.yml and hand-written pages, plus EXTRA_RECORDS."""
    shutil.copytree(FIXTURE, root)
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "site", root / "site")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    for path, record in EXTRA_RECORDS.items():
        target = root / "corpus" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return Project(root)


class SiteBuild:
    """A built site and the graph it was built from."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.out = project.build
        self.site = self.out / "site"
        self.store = load_dump(self.out / "graph" / "stackatlas.nt")
        self.model: SiteModel = load_model(self.store, project.ontology / "stackatlas.ttl")

    def html_files(self) -> list[Path]:
        return sorted(self.site.rglob("*.html"))

    def page(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")


_BUILT: list[SiteBuild] = []


@pytest.fixture(scope="session")
def site_build(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    """Built once per test run, even though test_site_browser.py imports this fixture too."""
    if not _BUILT:
        project = make_project(tmp_path_factory.mktemp("site") / "atlas")
        assert build(project) == 0
        _BUILT.append(SiteBuild(project))
    return _BUILT[0]


# -- every entity, both languages ------------------------------------------------------------------


def test_every_entity_has_a_page_and_data_in_both_languages(site_build: SiteBuild) -> None:
    missing = []
    for entity in site_build.model.entities.values():
        for prefix in ("", "en/"):
            page = site_build.site / f"{prefix}{entity.kind}/{entity.id}.html"
            if not page.is_file():
                missing.append(str(page.relative_to(site_build.site)))
        for suffix in (".ttl", ".jsonld"):
            if not (site_build.site / f"{entity.kind}/{entity.id}{suffix}").is_file():
                missing.append(f"{entity.kind}/{entity.id}{suffix}")
    assert len(site_build.model.entities) > 35
    assert not missing, missing


def test_entity_page_links_its_iri_data_and_record(site_build: SiteBuild) -> None:
    html = site_build.page("technology/temporal.html")
    assert 'href="https://w3id.org/stackatlas/technology/temporal"' in html
    assert 'href="temporal.ttl"' in html and 'href="temporal.jsonld"' in html
    assert re.search(r'href="https://github\.com/[^"]+/edit/main/corpus/technologies/temporal\.yaml"', html)
    english = site_build.page("en/technology/temporal.html")
    assert 'href="../../technology/temporal.ttl"' in english
    assert re.search(r'href="https://github\.com/[^"]+/edit/main/corpus/technologies/temporal\.yaml"', english)
    home = site_build.page("index.html")
    assert re.search(r'href="https://github\.com/[^"]+/edit/main/site/zh/index\.md"', home)


def test_entity_turtle_holds_exactly_its_triples(site_build: SiteBuild) -> None:
    base = "https://w3id.org/stackatlas/case/coinbase-cross-border-payments"
    own = {t for t in site_build.store.quads_for_pattern(None, None, None)
           if isinstance(t.subject, ox.NamedNode) and t.subject.value.split("#")[0] == base}
    for suffix, fmt in ((".ttl", ox.RdfFormat.TURTLE), (".jsonld", ox.RdfFormat.JSON_LD)):
        path = site_build.site / f"case/coinbase-cross-border-payments{suffix}"
        parsed = set(ox.parse(path=str(path), format=fmt))
        assert {ox.Quad(t.subject, t.predicate, t.object) for t in parsed} == own


def test_hand_written_pages_exist_in_both_languages() -> None:
    zh = {p.relative_to(ROOT / "site" / "zh").as_posix() for p in (ROOT / "site" / "zh").rglob("*.md")}
    en = {p.relative_to(ROOT / "site" / "en").as_posix() for p in (ROOT / "site" / "en").rglob("*.md")}
    assert zh and zh == en


def test_language_switcher_points_to_the_same_page(site_build: SiteBuild) -> None:
    zh = site_build.page("technology/temporal.html")
    assert re.search(r'href="\.\./en/technology/temporal\.html" hreflang="en"', zh)
    en = site_build.page("en/technology/temporal.html")
    assert re.search(r'href="\.\./\.\./technology/temporal\.html" hreflang="zh"', en)


def test_page_titles_are_in_their_language(site_build: SiteBuild) -> None:
    assert "<title>Saga 模式 - Stack Atlas</title>" in site_build.page("concept/saga-pattern.html")
    assert "<title>Saga pattern - Stack Atlas</title>" in site_build.page("en/concept/saga-pattern.html")


# -- links and hosts -------------------------------------------------------------------------------


class _Links(HTMLParser):
    """The ids a page defines and the references it makes (tag, attribute, value)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str, str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("name"):
            self.ids.add(str(values["name"]))
        for name in ("href", "src"):
            if values.get(name) is not None:
                self.refs.append((tag, name, str(values[name]), values))


@pytest.fixture(scope="session")
def parsed_pages(site_build: SiteBuild) -> dict[Path, _Links]:
    pages = {}
    for path in site_build.html_files():
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        pages[path.resolve()] = parser
    return pages


def test_no_broken_internal_links_or_anchors(site_build: SiteBuild, parsed_pages: dict[Path, _Links]) -> None:
    broken = []
    for path, links in parsed_pages.items():
        for tag, _, value, _ in links.refs:
            parts = urlsplit(value)
            if parts.scheme or parts.netloc or value.startswith(("mailto:", "data:", "javascript:")):
                continue
            if parts.path.startswith("/"):  # 404 pages link from the site root (MkDocs does this without site_url)
                target = (site_build.site / unquote(parts.path).lstrip("/")).resolve()
            else:
                target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            where = f"{path.relative_to(site_build.site.resolve())} <{tag}> {value}"
            if not target.exists():
                broken.append(f"{where}: no such file")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed_pages[target].ids if target in parsed_pages else set()
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{where}: no anchor")
    assert not broken, "\n".join(broken[:20])


def test_nothing_is_loaded_from_another_host(site_build: SiteBuild, parsed_pages: dict[Path, _Links]) -> None:
    remote = []
    for path, links in parsed_pages.items():
        for tag, name, value, attrs in links.refs:
            loads = name == "src" or (tag == "link" and attrs.get("rel") not in ("alternate", "canonical"))
            if loads and (value.startswith(("http:", "https:", "//"))):
                remote.append(f"{path.name}: <{tag} {name}={value}>")
    for path in site_build.site.rglob("*.css"):
        text = path.read_text(encoding="utf-8", errors="replace")
        remote += [f"{path.name}: {m}" for m in re.findall(r"(?:@import|url\()\s*['\"]?(?:https?:)?//[^)'\"]+", text)]
    assert not remote, "\n".join(remote[:20])
    assert (site_build.site / "assets/vendor/vis-network/vis-network.min.js").is_file()
    assert not (site_build.site / "en/assets/vendor").exists(), "vis-network is served once, at the site root"


# -- escaping --------------------------------------------------------------------------------------


def test_record_html_never_reaches_a_page_as_markup(site_build: SiteBuild) -> None:
    leaks = []
    for path in site_build.html_files():
        text = path.read_text(encoding="utf-8")
        leaks += [f"{path.relative_to(site_build.site)}: {p}" for p in RAW_PAYLOADS if p in text]
    assert not leaks, "\n".join(leaks[:20])


@pytest.mark.parametrize("path", [
    "technology/xss-probe.html",         # its own page
    "technology/temporal.html",          # links to it (incoming integratesWith)
    "technologies/index.html",           # lists it under its category
    "concept/workflow-engine.html",      # lists it as a technology of the category
    "compare/benchmarks.html",           # a benchmark row
    "tags/index.html",
])
def test_html_label_is_shown_escaped(site_build: SiteBuild, path: str) -> None:
    html = site_build.page(path)
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;危险" in html


def test_html_label_in_title_and_english_page(site_build: SiteBuild) -> None:
    en = site_build.page("en/technology/xss-probe.html")
    assert "<title>&lt;/title&gt;&lt;script&gt;window.__xss=3" in en
    assert "&lt;b onmouseover=window.__xss=4&gt;alias&lt;/b&gt;" in en
    assert "{: onclick" in en and "onclick=alert" not in en.replace("{: onclick=alert(1)}", "")


@pytest.mark.parametrize("path", ["graph/index.html", "graph/category/workflow-engine.html", "technology/temporal.html"])
def test_html_label_in_graph_views_is_inert_json(site_build: SiteBuild, path: str) -> None:
    html = site_build.page(path)
    assert "\\u003cscript\\u003ewindow.__xss=1\\u003c/script\\u003e危险" in html


def test_search_index_escapes_and_adds_nothing_for_chinese(site_build: SiteBuild) -> None:
    """Markup stays text; Chinese is split by the separator (tests/test_search_segment.py), not by added characters."""
    text = (site_build.site / "search/search_index.json").read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;window.__xss=1&lt;/script&gt;危险&lt;img" in text
    assert "容器编排" in text and "\u200b" not in text


ENTITY_ROWS = ("technology", "organization", "case")


@pytest.mark.parametrize(("path", "kinds"), [
    ("compare/benchmarks.html", ENTITY_ROWS), ("compare/fit.html", ENTITY_ROWS), ("cases/by-technology.html", ENTITY_ROWS),
    ("organizations/index.html", ENTITY_ROWS), ("compare/index.html", ("assessment",)),
])
def test_listing_and_comparison_tables_are_not_indexed_but_their_pages_are(site_build: SiteBuild, path: str,
                                                                           kinds: tuple[str, ...]) -> None:
    """The tables and lists name entities (and their figures), each of which has an entry of its own; the page stays
    findable by its title, headings and prose. On a comparison page an assessment's section is indexed under its
    heading alone: its link and description are the assessment's own entry."""
    import json

    docs = json.loads((site_build.site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    entries = [d for d in docs if d["location"].split("#")[0] == path]
    html = site_build.page(path)
    names = {e.label("zh") for e in site_build.model.entities.values()
             if e.kind in kinds and f">{e.label('zh')}</a>" in html}
    assert entries and names, (entries, names)
    indexed = " ".join(html_unescape(d["text"]) for d in entries)
    assert not {n for n in names if n in indexed}, names
    for entry in entries:
        assessment = next((a for a in site_build.model.of_kind("assessment") if entry["location"].endswith(f"#{a.id}")),
                          None)
        if assessment is not None:
            assert html_unescape(entry["title"]) == assessment.label("zh")
            assert assessment.description("zh") not in html_unescape(entry["text"])


def test_search_index_holds_entity_summaries_not_pages_that_repeat_them(site_build: SiteBuild) -> None:
    """Entities are found by name, alias and first sentence; the glossary and the recently changed list, which
    repeat entity names and summaries, are not indexed a second time."""
    import json

    from kgtools.site.plugin.search import SUMMARY_CHARS, summary

    for lang, prefix in (("zh", ""), ("en", "en/")):
        docs = json.loads((site_build.site / prefix / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
        locations = {d["location"].split("#")[0] for d in docs}
        assert not locations & {"glossary.html", "recent.html"}, lang
        by_location = {d["location"]: d for d in docs}
        for entity in site_build.model.entities.values():
            description = entity.description(lang)
            text = html_unescape(by_location[f"{entity.kind}/{entity.id}.html"]["text"])
            if description:
                assert summary(description, lang).replace(" ", "") in text.replace(" ", ""), entity.id
            assert len(summary(description, lang)) <= SUMMARY_CHARS[lang] + 1
    assert summary("第一句。第二句很长。", "zh") == "第一句。"
    assert summary("One sentence. Two.", "en") == "One sentence."
    assert summary("word " * 60, "en").endswith("word…") and len(summary("word " * 60, "en")) <= 161


# -- figures ---------------------------------------------------------------------------------------


def test_comparison_figures_are_the_graphs_values(site_build: SiteBuild) -> None:
    html = site_build.page("compare/benchmarks.html")
    rows = [r for r in select(site_build.store, MEASUREMENT_CELLS) if r["assessment"].endswith("fixture-benchmark")]
    assert len(rows) == 5
    for row in rows:
        shown = format_figure(row["value"], row["min"], row["max"], row["unit"], row["qualifier"], row["text_zh"] or "",
                              "zh", site_build.model.units)
        assert f'<span class="sa-figure">{html_escape(shown)}</span>' in html, shown
    for literal in ("847 个任务/秒", "812.5 个任务/秒", "&lt; 200 毫秒", "10–20 次请求/秒", "&lt;u&gt;未知&lt;/u&gt;"):
        assert literal in html
    english = site_build.page("en/compare/benchmarks.html")
    for literal in ("847 tasks/s", "812.5 tasks/s", "&lt; 200 ms", "10–20 requests/s", "&lt;u&gt;unknown&lt;/u&gt;"):
        assert literal in english
    fit = site_build.page("compare/fit.html")
    assert "5/5" in fit and "3/5" in fit and "★★★☆☆" in fit
    stacks = site_build.page("en/compare/stacks.html")
    assert "orchestration" in stacks and "persistence" in stacks


def test_case_page_shows_disagreeing_sources_side_by_side(site_build: SiteBuild) -> None:
    html = site_build.page("case/coinbase-cross-border-payments.html")
    block = html[html.index('id="disagreements"'):]
    assert block.count('class="sa-disagree"') == 2
    assert "847 个任务/秒" in block and "50 个工作流/秒" in block and "195 毫秒" in block and "&lt; 200 毫秒" in block


def test_claims_show_which_kind_of_source_backs_them(site_build: SiteBuild) -> None:
    html = site_build.page("case/coinbase-cross-border-payments.html")
    stack = html[html.index('id="stack"'):html.index('id="applies"')]
    assert stack.count("sa-badge--documents") == 3 and stack.count("sa-badge--public") == 1
    assert 'class="sa-ref sa-ref--public"' in stack
    refs = html[html.index('class="sa-references"'):]
    assert "§ NOTE at the top of the page" in refs and 'href="https://temporal.io/in-use/coinbase"' in refs
    source = site_build.page("source/temporal-coinbase-case-study.html")
    anchors = re.findall(r'href="\.\./source/temporal-coinbase-case-study\.html#(sec-[0-9a-f]+)"', html)
    assert anchors and all(f'id="{a}"' in source for a in anchors)


def test_home_counts_come_from_the_graph(site_build: SiteBuild) -> None:
    html = site_build.page("index.html")
    technologies = len(site_build.model.of_kind("technology"))
    assert f'<span class="sa-card__n" data-count="technology" data-value="{technologies}">{technologies}</span>' in html
    assert "stackatlas:counts" not in html


def test_browse_pages_list_every_entity(site_build: SiteBuild) -> None:
    index = {"technology": "technologies", "concept": "concepts", "case": "cases", "organization": "organizations",
             "source": "sources", "assessment": "assessments", "guide": "guides", "model": "models"}
    missing = []
    for entity in site_build.model.entities.values():
        listing = site_build.page(f"{index[entity.kind]}/index.html")
        if f'href="../{entity.kind}/{entity.id}.html"' not in listing:
            missing.append(entity.iri)
    assert not missing, missing


def test_glossary_pairs_chinese_and_english(site_build: SiteBuild) -> None:
    html = site_build.page("glossary.html")
    assert "Saga pattern" in html and "Saga 模式" in html


def test_downloads_are_published(site_build: SiteBuild) -> None:
    for name in ("stackatlas.ttl", "stackatlas.nt", "stackatlas.jsonld", "void.ttl", "stackatlas-ontology.ttl",
                 "shapes.ttl", "schemas/case.schema.json"):
        assert (site_build.site / "downloads" / name).is_file(), name
    assert 'href="../downloads/void.ttl"' in site_build.page("en/downloads.html")


def test_median_page_stays_small(site_build: SiteBuild) -> None:
    sizes = [p.stat().st_size for p in site_build.html_files()]
    assert statistics.median(sizes) < 60_000


# -- failure and plain MkDocs ----------------------------------------------------------------------


def test_failed_site_build_keeps_the_published_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "atlas")
    assert build(project) == 0
    published = (project.build / "site").resolve()
    (project.root / "site" / "zh" / "about.md").write_text("# 关于\n\n[坏链接](nowhere.md)\n", encoding="utf-8")
    assert build(project) == 1
    assert (project.build / "site").resolve() == published
    assert (published / "technology" / "temporal.html").is_file()
    assert not [p for p in (project.build / ".versions").iterdir() if p.name.startswith("site-") and p != published]


def test_plain_mkdocs_build_strict_passes(tmp_path: Path) -> None:
    project = make_project(tmp_path / "atlas")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STACKATLAS_")}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "out")],
                            cwd=project.root, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "out/en/technology/temporal.html").is_file()


# -- small parts -----------------------------------------------------------------------------------


def test_markdown_escape_leaves_no_markup() -> None:
    assert md("a {: #x onclick=y} *b* [c](d) <e> &f") == (
        "a &#123;&#58; &#35;x onclick&#61;y&#125; &#42;b&#42; &#91;c&#93;&#40;d&#41; &#60;e&#62; &#38;f")


def test_script_json_cannot_close_its_element() -> None:
    text = script_json({"label": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text


@pytest.mark.parametrize(("fields", "expected"), [
    (("847", None, None, "tasks/s", None), "847 tasks/s"),
    (("200", None, None, "ms", "<"), "< 200 ms"),
    (("5000", None, None, "requests/s", "+"), "5,000+ requests/s"),
    (("10000000", None, None, "events/s", None), "10,000,000 events/s"),
    (("99.990", None, None, "%", None), "99.99%"),
    ((None, "10", "20", "s", None), "10–20 s"),
    ((None, None, None, None, None), "words"),
])
def test_figures_are_written_from_their_fields(fields: tuple[str | None, ...], expected: str) -> None:
    assert format_figure(*fields, words="words") == expected


def kinds_shown_by_default(model: SiteModel) -> dict[str, int]:
    """How many nodes of each kind the whole-graph view shows before any filter is touched."""
    counts: dict[str, int] = defaultdict(int)
    for entity in model.entities.values():
        if entity.kind not in ("concept", "source"):
            counts[entity.kind] += 1
    return dict(counts)


# -- learning paths and FAQ -------------------------------------------------------------------------


def test_learning_path_lists_its_steps_in_order_and_escapes_them(site_build: SiteBuild) -> None:
    for prefix, raw, escaped in (("", "<b>。", "&lt;b&gt;。"), ("en/", "<script>x</script>", "&lt;script&gt;x&lt;/script&gt;")):
        page = site_build.page(f"{prefix}guide/fixture-path.html")
        steps = page[page.index('<ol class="sa-steps">'):]
        steps = steps[:steps.index("</ol>")]
        positions = [steps.index(f"/{target}.html") for target in
                     ("concept/event-sourcing", "concept/saga-pattern", "technology/temporal")]
        assert positions == sorted(positions)
        assert raw not in page and escaped in page


def test_guides_page_shows_paths_with_steps_and_faq_with_what_answers_rest_on(site_build: SiteBuild) -> None:
    page = site_build.page("en/guides/index.html")
    assert "From events to compensation" in page and 'class="sa-steps"' in page
    faq = page[page.index('id="fixture-faq"'):]
    faq = faq[:faq.index("</details>")]
    assert "How does a saga differ from two-phase commit?" in faq
    assert "/concept/saga-pattern.html" in faq and "/technology/temporal.html" in faq


def test_queueing_worked_example_uses_the_graphs_figures_and_the_python_model(site_build: SiteBuild) -> None:
    from kgtools.models.queueing import mmc, servers_for_percentile

    page = site_build.page("en/concept/mmc-queue.html")
    example = page[page.index('class="sa-calc__example"'):]
    example = example[:example.index("</p>")]
    servers = servers_for_percentile(847.0, 0.02, 0.99, 0.195, 0.7)
    assert "847 tasks/s" in example and "195 ms" in example and "20 ms" in example
    assert f"at least {servers} workers" in example
    assert f"{mmc(847.0, 0.02, servers).utilisation:.1%}" in example
    inputs = page[page.index('class="sa-calc__inputs"'):]
    assert 'class="sa-badge' in inputs[:inputs.index("</p>")]


def test_model_page_offers_its_file_and_shows_each_verdict_with_the_counterexample(site_build: SiteBuild) -> None:
    page = site_build.page("en/model/fixture-saga-model.html")
    assert 'href="../../models/fixture-saga-model/saga-compensation.pml" download' in page
    served = site_build.site / "models" / "fixture-saga-model" / "saga-compensation.pml"
    assert served.read_bytes() == (ROOT / "kgtools/models/promela/saga-compensation.pml").read_bytes()
    assert "sa-verdict--holds" in page and "sa-verdict--fails" in page
    assert "-DSKIP_FIRST_COMPENSATION" in page and 'class="sa-trail"' in page and "compensated" in page
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    models = site_build.page("en/models/index.html")
    assert "/model/fixture-saga-model.html" in models
    concept = site_build.page("en/concept/saga-pattern.html")
    assert "/model/fixture-saga-model.html" in concept      # the concept links back to the model that illustrates it


# -- pages that fit: numbers and units for the reader, relations once, no dead ends, one source of counts -----------

FIGURE_SPAN = re.compile(r'<span class="sa-figure"(?: title="([^"]*)")?>([^<]*)</span>')


@pytest.mark.parametrize(("value", "lang", "expected"), [
    ("10000000", "zh", "1000万"), ("150000000", "zh", "1.5亿"), ("1100000000000", "zh", "1.1万亿"),
    ("16235208", "zh", "1623.52万"), ("9999", "zh", "9999"), ("12.5", "zh", "12.5"),
    ("10000000", "en", "10,000,000"), ("1234.5", "en", "1,234.5"), ("999", "en", "999"), ("-20000", "en", "-20,000"),
])
def test_numbers_are_written_for_the_readers_language(value: str, lang: str, expected: str) -> None:
    from kgtools.site.pages.numbers import number_text

    assert number_text(value, lang) == expected


def test_every_unit_has_a_chinese_name_in_the_unit_table(site_build: SiteBuild) -> None:
    units = site_build.model.units
    table = yaml.safe_load((ROOT / "ontology" / "schemas" / "common.schema.json").read_text(encoding="utf-8"))
    for unit in table["$defs"]["unit"]["x-units"]:
        name = units.name(unit, "zh")
        assert name == unit or re.search(r"[\u4e00-\u9fff]", name), unit
        assert units.name(unit, "en") == unit
    assert units.name("tasks/s", "zh") == "个任务/秒" and units.name("ms", "zh") == "毫秒"


def test_large_figures_read_as_wan_in_chinese_with_the_exact_value_as_title(site_build: SiteBuild) -> None:
    zh, en = site_build.page("assessment/fixture-cost.html"), site_build.page("en/assessment/fixture-cost.html")
    assert '<span class="sa-figure" title="33,251 美元/月">3.33万 美元/月</span>' in zh
    assert '<span class="sa-figure">33,251 USD/month</span>' in en and "33251" not in FIGURE_SPAN.sub("", en)


def test_no_page_prints_a_raw_large_figure_or_an_english_unit_on_the_chinese_site(site_build: SiteBuild) -> None:
    english_units = set(site_build.model.units.names) - {"%", "PB", "TB", "x"}
    raw, untranslated = [], []
    for path in site_build.html_files():
        rel = path.relative_to(site_build.site).as_posix()
        for _title, text in FIGURE_SPAN.findall(path.read_text(encoding="utf-8")):
            if re.search(r"(?<![\d.,])\d{5,}", text):
                raw.append(f"{rel}: {text}")
            if not rel.startswith("en/") and any(re.search(rf"\d\+? {re.escape(u)}$", text) for u in english_units):
                untranslated.append(f"{rel}: {text}")
    assert not raw, raw[:10]
    assert not untranslated, untranslated[:10]


def _entity_of(href: str, folder: str) -> str:
    """`cadence.html` or `../case/x.html` seen from `folder` → `technology/cadence`."""
    return posixpath.normpath(posixpath.join(folder, href)).removesuffix(".html")


def _relation_rows(html: str, folder: str) -> dict[str, set[str]]:
    block = html[html.index('id="relations"'):]
    block = block[:block.find("<h2", 10)] if "<h2" in block[10:] else block
    return {head: {_entity_of(href, folder) for href in re.findall(r'href="([^"]+)"', cell)}
            for head, cell in re.findall(r"<tr><th>(.*?)</th><td>(.*?)</td></tr>", block, re.S)}


def test_entity_pages_show_each_relation_once(site_build: SiteBuild) -> None:
    model = site_build.model
    integrates = "https://w3id.org/stackatlas/ontology#integratesWith"
    out_head = html_escape(model.label(integrates, "en")[:1].upper() + model.label(integrates, "en")[1:])
    in_head = html_escape(model.inverse_label(integrates, "en")[:1].upper() + model.inverse_label(integrates, "en")[1:])
    checked = 0
    for entity in model.of_kind("technology"):
        html = site_build.page(f"en/technology/{entity.id}.html")
        if 'id="relations"' not in html:
            continue
        rows = _relation_rows(html, "technology")
        both = rows.get(out_head, set()) & rows.get(in_head, set())
        assert not both, (entity.id, both)   # a symmetric link, stored both ways, listed once
        mentions = html[html.index('id="mentions"'):] if 'id="mentions"' in html else ""
        owners = {_entity_of(href, "technology")
                  for href in re.findall(r'<tr><td><a class="sa-link[^"]*" href="([^"]+)"', mentions)}
        linked_out = {f"{model.entities[o].kind}/{model.entities[o].id}"
                      for _p, o in model.outgoing.get(entity.iri, []) if o in model.entities}
        shown = set().union(*rows.values()) if rows else set()
        assert not (shown - linked_out) & owners, entity.id   # an incoming link whose claims are listed below
        checked += 1
    assert checked >= 5
    temporal = _relation_rows(site_build.page("en/technology/temporal.html"), "technology")
    assert "technology/xss-probe" in set().union(*temporal.values())  # xss-probe integrates with temporal: shown once


def test_no_page_ends_a_list_with_n_more_not_listed(site_build: SiteBuild) -> None:
    dead = [p.relative_to(site_build.site).as_posix() for p in site_build.html_files()
            if re.search(r"条未列出|more not listed", p.read_text(encoding="utf-8"))]
    assert not dead, dead


def test_long_lists_fold_into_details_that_keep_every_item(site_build: SiteBuild) -> None:
    from kgtools.site.pages.markup import Page
    from kgtools.site.pages.relations import folded

    model = site_build.model
    page = Page(model, "en", "technology/temporal.html", "")
    iris = [e.iri for e in model.sorted(list(model.entities), "en")][:30]
    html = folded(page, iris, shown=12)
    assert html.count('class="sa-link') == 30          # every item is on the page
    assert html.index("<details") > html.index(model.entities[model.sorted(iris, "en")[11].iri].label("en"))
    assert "<summary>Show 18 more</summary>" in html
    assert "<details" not in folded(page, iris[:14], shown=12)   # folding two away saves nothing


def test_facts_lead_with_what_the_record_says_and_identifiers_follow(site_build: SiteBuild) -> None:
    html = site_build.page("en/technology/temporal.html")
    facts = html[html.index('class="sa-facts"'):]
    facts = facts[:facts.index("</table>")]
    heads = re.findall(r"<tr><th>(.*?)</th>", facts)
    from kgtools.site.pages.i18n import t

    trailing = [html_escape(t(k, "en")) for k in ("entity.id", "entity.iri")] + ["PageRank"] + \
        [html_escape(t(k, "en")) for k in ("entity.data", "entity.record")]
    record_facts = [k for k in heads if k not in trailing and k != html_escape(t("history.last_changed", "en"))]
    assert len(record_facts) >= 3 and heads[:len(record_facts)] == record_facts, heads   # the record's facts lead
    assert heads[len(record_facts):len(record_facts) + 5] == trailing, heads           # identifiers and files after


def test_facts_lead_with_the_checked_latest_version_and_name_the_documents_version(site_build: SiteBuild) -> None:
    """The status statement's version (what a reader looks for first) heads the facts, linked to the status section;
    the record's own version is the one the documents mention, and is labelled so."""
    from kgtools.site.pages.i18n import t

    store = site_build.store
    tech = next(store.query(
        "PREFIX sa: <https://w3id.org/stackatlas/ontology#> PREFIX schema: <https://schema.org/> "
        "SELECT ?t ?v ?own WHERE { ?t sa:status ?s . ?s schema:softwareVersion ?v . "
        "?t schema:softwareVersion ?own } ORDER BY ?t LIMIT 1"))
    slug = tech["t"].value.rsplit("/", 1)[-1]
    for lang, prefix in (("zh", ""), ("en", "en/")):
        facts = site_build.page(f"{prefix}technology/{slug}.html")
        facts = facts[facts.index('class="sa-facts"'):]
        facts = facts[:facts.index("</table>")]
        rows = re.findall(r"<tr><th>(.*?)</th><td>(.*?)</td></tr>", facts, re.S)
        assert rows[0][0] == html_escape(t("status.version", lang)), rows[0]
        assert f'<a href="#status">{html_escape(tech["v"].value)}</a>' in rows[0][1], rows[0]
        documents = dict(rows)[html_escape(t("compare.row.version", lang))]
        assert html_escape(tech["own"].value) in documents


def _counts(html: str) -> dict[str, int]:
    return {name: int(value) for name, value in re.findall(r'data-count="([\w-]+)" data-value="(\d+)"', html)}


def test_every_count_of_the_same_thing_agrees_across_pages(site_build: SiteBuild) -> None:
    from kgtools.insights.quality import quality_report
    from kgtools.insights.stats import collect_stats

    index = {"technology": "technologies", "concept": "concepts", "case": "cases", "organization": "organizations",
             "source": "sources", "assessment": "assessments", "guide": "guides", "model": "models"}
    stats = collect_stats(site_build.store)
    report = quality_report(site_build.store)
    for prefix in ("", "en/"):
        home = _counts(site_build.page(f"{prefix}index.html"))
        assert set(index) <= set(home), home
        for kind, folder in index.items():
            assert _counts(site_build.page(f"{prefix}{folder}/index.html")).get(kind) == home[kind], kind
        assert _counts(site_build.page(f"{prefix}glossary.html"))["concept"] == home["concept"]
        downloads = _counts(site_build.page(f"{prefix}downloads.html"))   # concept.csv: concepts + schemes, said so
        assert downloads["concept"] == home["concept"] and downloads["scheme"] == home["schemes"]
        assert home["disagreements"] == stats["disagreements"] == len(report["disagreements"])
        quality = site_build.page(f"{prefix}analysis/quality.html")
        shown = re.search(r'id="disagreements"[^>]*>[^<]*?(?:\(|&#40;)(\d+)', quality)
        assert shown and int(shown.group(1)) == home["disagreements"]
        assert home["triples"] == stats["triples"] and home["citations"] == stats["citations"]


def test_a_figure_table_drops_columns_empty_in_every_row() -> None:
    from kgtools.site.pages.claims import without_empty_columns

    head, rows = without_empty_columns(["metric", "tech", "value", "condition", "evidence"],
                                       [["m", "", "1", " ", "e"], ["n", "", "", "c", "f"]], keep={0, 2})
    assert head == ["metric", "value", "condition", "evidence"]
    assert rows == [["m", "1", " ", "e"], ["n", "", "c", "f"]]
