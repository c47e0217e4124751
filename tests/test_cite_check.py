"""`kg cite-check` against real HTTP servers on loopback: a page that passes, one that moved (301), one that
vanished (404), one whose text changed (quote gone), a path robots.txt disallows, a PDF, a host that only
answers 503, a host too slow to answer, a host name that does not exist, and a fake Wayback availability API.

The sources live in a copy of the mini fixture; after a run the written checks file must pass `kg check`,
compile into `sa:CitationCheck` nodes, and show on the source pages and the Data quality page.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest
import yaml

from kgtools.graph.vocab import BASE
from kgtools.insights.enrich import published_graph
from kgtools.query.engine import PREFIX_IRIS, execute, format_result
from kgtools.query.store import store_from_ntriples
from kgtools.records.check import check
from kgtools.records.citecheck import AGENT, Checker, Report, Target
from kgtools.records.citefile import render
from kgtools.records.citerun import run_cite_check
from kgtools.records.http import Client
from kgtools.records.project import Project
from kgtools.site.pages import citations
from kgtools.site.pages.markup import Page
from kgtools.site.pages.model import load_model
from kgtools.site.pages.quality_page import quality_page

from .conftest import ROOT, QuietHandler, loopback_http, run_kg
from .test_site import SiteBuild, site_build  # noqa: F401 (the session's built site)

pytestmark = pytest.mark.server
QUOTE = "Airflow is a platform to programmatically author, schedule and monitor workflows."
PAGE = ("<!doctype html><html><head><title>Airflow</title><style>p {{ color: red }}</style></head><body>"
        "<nav>Home</nav><main><h1>Airflow</h1><p>{body}</p><script>var hidden = 'not visible';</script></main></body></html>")


class _Site(QuietHandler):
    """The sources' web site: each path one kind of page; counts requests per path."""

    changed_text: ClassVar[str] = "Airflow is now a different product altogether."
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        path = urlsplit(self.path).path
        if path == "/robots.txt":
            return self._send(200, "User-agent: *\nDisallow: /private/\n", "text/plain")
        if path == "/pass":   # the quote with curly quotes, a non-breaking space and a line break: still found
            return self._send(200, PAGE.format(body="Airflow\u00a0is a platform to programmatically author,\n"
                                                    "schedule and monitor <em>workflows</em>."))
        if path == "/old":
            return self.reply(301, headers={"Location": "/new"})
        if path == "/new":
            return self._send(200, PAGE.format(body=QUOTE))
        if path == "/changed":
            return self._send(200, PAGE.format(body=self.changed_text))
        if path == "/private/page":
            return self._send(200, PAGE.format(body=QUOTE))
        if path == "/plain":
            return self._send(200, PAGE.format(body="A page for a source without a quote."))
        if path == "/slides.pdf":
            return self._send(200, "%PDF-1.4 not text", "application/pdf")
        return self._send(404, "<p>Not found</p>")

    def _send(self, status: int, text: str, kind: str = "text/html; charset=utf-8") -> None:
        self.reply(status, text.encode("utf-8"), kind)


class _Failing(QuietHandler):
    """A host that answers everything, robots.txt too, with 503."""

    def do_GET(self) -> None:
        self.reply(503)


class _Slow(QuietHandler):
    """A host that takes longer to answer than the check waits."""

    def do_GET(self) -> None:
        time.sleep(1.5)
        try:
            self.reply(200)
        except OSError:
            pass


class _Wayback(QuietHandler):
    """The availability API: a copy of the vanished page, none of the changed one, an error for the moved one."""

    asked: ClassVar[list[dict[str, list[str]]]] = []

    def do_GET(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        self.asked.append(query)
        url = query.get("url", [""])[0]
        if url.endswith("/old"):
            return self.reply(500)
        snapshots = {}
        if url.endswith("/gone"):
            snapshots = {"closest": {"available": True, "status": "200", "timestamp": "20251003120000",
                                     "url": f"http://web.archive.org/web/20251003120000/{url}"}}
        self.reply(200, json.dumps({"url": url, "archived_snapshots": snapshots}).encode(), "application/json")


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, str]]:
    with loopback_http(_Site) as site, loopback_http(_Failing) as failing, loopback_http(_Slow) as slow, \
            loopback_http(_Wayback) as wayback:
        yield {"site": site, "failing": failing, "slow": slow, "wayback": f"{wayback}/wayback/available"}


# source id → (path or full URL, quote or None); the expected outcome follows from the path.
SOURCES = {
    "page-passes": ("/pass", "“Airflow is a platform to programmatically author, schedule and monitor workflows.”"),
    "page-moved": ("/old", QUOTE),
    "page-vanished": ("/gone", QUOTE),
    "page-changed": ("/changed", QUOTE),
    "page-private": ("/private/page", QUOTE),
    "page-no-quote": ("/plain", None),
    "page-pdf": ("/slides.pdf", QUOTE),
    "host-failing": ("failing:/page", QUOTE),
    "host-slow": ("slow:/page", QUOTE),
    "host-unknown": ("http://no-such-host.invalid/page", QUOTE),
}
EXPECTED = {
    "page-passes": "ok", "page-moved": "redirected", "page-vanished": "dead", "page-changed": "quote-missing",
    "page-private": "robots-disallowed", "page-no-quote": "no-quote", "page-pdf": "unreadable",
    "host-failing": "unreachable", "host-slow": "unreachable", "host-unknown": "dead",
}


def _url(servers: dict[str, str], where: str) -> str:
    if where.startswith("http"):
        return where
    host, _, path = where.rpartition(":")
    return servers[host or "site"] + path


def _source(sid: str, url: str, quote: str | None) -> str:
    lines = ["# yaml-language-server: $schema=../../ontology/schemas/source.schema.json", f"id: {sid}",
             "kind: public-reference", "title:", f"  zh: 测试页面 {sid}", f"  en: Test page {sid}", f"url: {url}",
             "language: en", "accessed: 2026-11-20"]
    if quote is not None:
        lines += ["quote:", f"  text: {json.dumps(quote, ensure_ascii=False)}", "  seen: 2026-11-20"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def atlas(mini: Project, servers: dict[str, str]) -> Project:
    for sid, (where, quote) in SOURCES.items():
        (mini.corpus / "sources" / f"{sid}.yaml").write_text(_source(sid, _url(servers, where), quote), encoding="utf-8")
    fixture_source = mini.corpus / "sources" / "temporal-coinbase-case-study.yaml"   # the fixture's own: kept off the internet
    text = fixture_source.read_text(encoding="utf-8")
    fixture_source.write_text(text.replace("url: https://temporal.io/in-use/coinbase", f"url: {servers['site']}/plain"),
                              encoding="utf-8")
    _Site.changed_text = "Airflow is now a different product altogether."
    return mini


def _run(project: Project, servers: dict[str, str], day: str, *only: str) -> int:
    return run_cite_check(project, list(only), False, servers["wayback"], timeout=0.5, rate=200.0, retries=1, jobs=4,
                          checked_on=day)


def _checks(project: Project) -> dict[str, dict]:
    data = yaml.safe_load(project.citation_checks.read_text(encoding="utf-8"))
    return {c["source"]: c for c in data["checks"]}


# -- the checker --------------------------------------------------------------------------------------


def test_each_kind_of_page_gets_its_outcome(atlas: Project, servers: dict[str, str],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    _Site.seen.clear()
    assert _run(atlas, servers, "2026-12-01") == 0
    out = capsys.readouterr().out
    checks = _checks(atlas)
    mine = {sid: c["outcome"] for sid, c in checks.items() if sid in SOURCES}
    assert mine == EXPECTED
    assert "/private/page" not in _Site.seen and _Site.seen.count("/robots.txt") == 1   # robots read once, obeyed
    moved = checks["page-moved"]
    assert moved["final_url"] == servers["site"] + "/new" and moved["status"] == 200 and moved["quote_found"] is True
    assert moved["redirects"] == [{"status": 301, "url": servers["site"] + "/new"}]
    vanished = checks["page-vanished"]
    assert vanished["status"] == 404
    assert vanished["archived"] == f"http://web.archive.org/web/20251003120000/{servers['site']}/gone"
    assert vanished["archived_on"] == "2025-10-03"
    assert checks["page-changed"]["quote_found"] is False and "archived" not in checks["page-changed"]
    assert checks["page-passes"]["quote_found"] is True and "final_url" not in checks["page-passes"]
    assert "not judged dead" in checks["host-failing"]["detail"] and checks["host-failing"]["status"] == 503
    assert "no answer within 0.5 s" in checks["host-slow"]["detail"]
    assert "host name not found" in checks["host-unknown"]["detail"]
    assert "quote_found" not in checks["page-pdf"] and "application/pdf" in checks["page-pdf"]["detail"]
    # the Wayback API was asked for the dead, moved and changed pages only, near the day the quote was seen
    asked = sorted({q["url"][0].rsplit("/", 1)[-1] for q in _Wayback.asked})
    assert asked == ["changed", "gone", "old", "page"]           # `page`: the unknown host's
    assert all(q.get("timestamp") == ["20261120"] for q in _Wayback.asked)
    # the report: grouped by outcome, problems first, archive suggestions, one summary line
    assert out.index("dead (2)") < out.index("quote-missing (1)") < out.index("redirected (1)") < out.index("ok (")
    assert f"search (not a copy): https://web.archive.org/web/*/{servers['site']}/changed" in out
    assert "the Wayback availability API did not answer (HTTP 500" in out      # asked for the moved page
    summary = [line for line in out.splitlines() if line.startswith("summary: ")]
    assert summary == [next(line for line in out.splitlines() if line.startswith("summary: "))]
    assert "2 dead, 1 quote-missing, 1 redirected, 2 unreachable, 1 robots-disallowed, 1 unreadable" in summary[0]
    assert "(11 source(s) checked on 2026-12-01)" in summary[0]   # the fixture's own vendor case study too


def test_a_name_that_does_not_resolve_is_dead_only_while_names_resolve(servers: dict[str, str]) -> None:
    target = Target("x", "http://no-such-host.invalid/page", QUOTE)
    client = Client(timeout=0.5, retries=0, min_interval=0.0)
    assert Checker(client, servers["wayback"], resolver_works=lambda: True).check(target).outcome == "dead"
    blind = Checker(client, servers["wayback"], resolver_works=lambda: False).check(target)
    assert blind.outcome == "unreachable" and "no name resolves here" in blind.detail
    # with no resolver check given, the archive's host is asked: a loopback address always resolves
    assert Checker(client, servers["wayback"]).check(target).outcome == "dead"
    assert Checker(client, "http://archive.invalid/wayback/available").check(target).outcome == "unreachable"


def test_the_user_agent_is_ours_and_robots_rules_name_it(servers: dict[str, str]) -> None:
    seen: list[str] = []

    class Strict(QuietHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("User-Agent", ""))
            body = f"User-agent: {AGENT}\nDisallow: /\n\nUser-agent: *\nAllow: /\n".encode()
            self.reply(200 if self.path == "/robots.txt" else 404, body)

    with loopback_http(Strict) as base:
        result = Checker(Client(timeout=1, retries=0, min_interval=0.0, user_agent=f"{AGENT} (+test)"),
                         servers["wayback"]).check(Target("x", f"{base}/page"))
    assert result.outcome == "robots-disallowed" and seen == [f"{AGENT} (+test)"]


# -- the checks file, kg check, the graph, the pages --------------------------------------------------


def test_a_second_run_keeps_the_outcome_before_and_the_file_is_deterministic(atlas: Project, servers: dict[str, str],
                                                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(atlas, servers, "2026-12-01") == 0
    first = atlas.citation_checks.read_bytes()
    assert first.startswith(b"# yaml-language-server: $schema=../../ontology/schemas/citation-checks.schema.json\n")
    assert [c["source"] for c in yaml.safe_load(first)["checks"]] == sorted(_checks(atlas))
    _Site.changed_text = QUOTE                                    # the page says it again
    assert _run(atlas, servers, "2026-12-02", "page-changed", "page-passes") == 0
    checks = _checks(atlas)
    assert checks["page-changed"]["outcome"] == "ok" and checks["page-changed"]["checked"] == "2026-12-02"
    assert (checks["page-changed"]["previous_outcome"], checks["page-changed"]["previous_checked"]) == \
        ("quote-missing", "2026-12-01")
    assert checks["page-vanished"]["checked"] == "2026-12-01"     # not checked again: kept as it was
    assert _run(atlas, servers, "2026-12-02", "page-changed") == 0   # again the same day: the check before stays
    assert _checks(atlas)["page-changed"]["previous_outcome"] == "quote-missing"
    text = atlas.citation_checks.read_text(encoding="utf-8")
    assert render(list(yaml.safe_load(text)["checks"])) == text   # what it writes is what its renderer gives
    (atlas.corpus / "sources" / "page-pdf.yaml").unlink()           # a source removed: its check goes next time
    assert _run(atlas, servers, "2026-12-03", "page-passes") == 0
    assert "page-pdf" not in _checks(atlas)
    capsys.readouterr()


def test_kg_check_accepts_the_written_file_and_reports_a_broken_one(atlas: Project, servers: dict[str, str],
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(atlas, servers, "2026-12-01") == 0
    problems = check(atlas).problems
    assert problems == [], [p.text() for p in problems]
    code, out, _err = run_kg(atlas, capsys, "check")
    assert code == 0 and ", 1 check file): no problems" in out
    text = atlas.citation_checks.read_text(encoding="utf-8")
    broken = text.replace('outcome: "dead"', 'outcome: "gone"', 1).replace('source: "page-passes"', 'source: "page-pased"')
    atlas.citation_checks.write_text(broken, encoding="utf-8")
    lines = [p.text() for p in check(atlas).problems]
    assert any("corpus/checks/citations.yaml" in line and "outcome" in line for line in lines), lines
    assert any("no source with id `page-pased`" in line and "page-passes" in line for line in lines), lines


def test_the_checks_compile_into_the_graph_and_show_on_the_pages(atlas: Project, servers: dict[str, str],
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(atlas, servers, "2026-12-01") == 0
    capsys.readouterr()
    store = store_from_ntriples(published_graph(atlas).ntriples)    # SHACL included
    rows = {str(r["source"].value).rsplit("/", 1)[-1]: r for r in store.query("""
        SELECT ?source ?outcome ?status ?final ?archived WHERE {
          ?check a sa:CitationCheck ; sa:checkOf ?source ; sa:checkOutcome ?outcome ; sa:checkedOn "2026-12-01"^^xsd:date .
          OPTIONAL { ?check sa:httpStatus ?status } OPTIONAL { ?check sa:finalUrl ?final }
          OPTIONAL { ?check sa:archivedCopy ?archived } }""", prefixes=PREFIX_IRIS)}
    assert {sid: str(r["outcome"].value).rsplit("#", 1)[-1] for sid, r in rows.items() if sid in SOURCES} == {
        sid: citations.OUTCOMES[outcome].rsplit("#", 1)[-1] for sid, outcome in EXPECTED.items()}
    assert rows["page-moved"]["final"] == ox.NamedNode(servers["site"] + "/new")
    assert rows["page-vanished"]["status"].value == "404" and rows["page-vanished"]["archived"] is not None
    saved = (ROOT / "corpus" / "queries" / "citation-checks.rq").read_text(encoding="utf-8")
    lines = format_result(execute(store, saved), "csv").splitlines()
    assert lines[0].split(",") == ["source", "checked", "outcome", "status", "finalUrl", "quoteFound", "archived", "previous"]
    first = [line.split(",")[0] for line in lines[1:5]]       # dead, quote missing, redirected come first
    assert first == ["host-unknown", "page-vanished", "page-changed", "page-moved"]
    assert len(lines) == 12 and lines[-1].split(",")[2] == "NoQuote"

    model = load_model(store, atlas.ontology / "stackatlas.ttl")
    source = model.entities[BASE + "source/page-changed"]
    html = citations.source_block(Page(model, "en", "source/page-changed.html", "../"), source)
    assert f"<blockquote class=\"sa-quote\"><p>{QUOTE}</p>" in html and "seen on 2026-11-20" in html
    assert 'data-outcome="quote-missing"' in html and ">quote missing<" in html and "2026-12-01" in html
    assert f'href="https://web.archive.org/web/*/{servers["site"]}/changed"' in html and "a search, not a copy" in html
    gone = citations.source_block(Page(model, "zh", "source/page-vanished.html"), model.entities[BASE + "source/page-vanished"])
    assert "web.archive.org/web/20251003120000/" in gone and "存档副本" in gone and "(2025-10-03)" in gone
    doc = quality_page(Page(model, "en", "analysis/quality.html", "../"))
    page = doc.markdown() + "".join(doc.slots)
    assert re.search(r"^## Citation checks (\(|&#40;)8(\)|&#41;) \{ #citation-checks", page, re.M)   # problems: dead ×2, quote-missing,
    assert 'data-check="citation-problems" data-count="8"' in page    # redirected, unreachable ×2, robots, unreadable
    assert 'data-check="sources-without-quote" data-count="2"' in page   # the fixture's case study and page-no-quote


def test_quotes_and_checks_are_escaped_on_the_page(atlas: Project, servers: dict[str, str],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    evil = '<script>alert("x")</script> & more'
    path = atlas.corpus / "sources" / "page-passes.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(json.dumps(SOURCES["page-passes"][1], ensure_ascii=False),
                                                             json.dumps(evil)), encoding="utf-8")
    assert _run(atlas, servers, "2026-12-01", "page-passes") == 0
    capsys.readouterr()
    model = load_model(store_from_ntriples(published_graph(atlas, shacl=False).ntriples), atlas.ontology / "stackatlas.ttl")
    html = citations.source_block(Page(model, "en", "source/page-passes.html", "../"), model.entities[BASE + "source/page-passes"])
    assert "<script>" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in html


def test_cli_usage_errors_and_dry_run(atlas: Project, servers: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_kg(atlas, capsys, "cite-check", "--dry-run", "--only", "page-passes", "--only", "page-moved",
                            "--archive-api", servers["wayback"], "--timeout", "2", "--rate", "100", "--retries", "0")
    assert code == 0 and not atlas.citation_checks.exists()
    assert "redirected (1)" in out and "ok (1)\n  page-passes" in out and "dry run: nothing written" in out
    assert "summary: 1 redirected, 1 ok (2 source(s) checked on " in out
    assert "checking 2 source address(es) on 1 host(s)" in err
    assert run_kg(atlas, capsys, "cite-check", "--only", "no-such-source")[0] == 1
    assert run_kg(atlas, capsys, "cite-check", "--only", "doc-final-report")[2].endswith("has no url to check\n")
    assert run_kg(atlas, capsys, "cite-check", "--rate", "0")[0] == 1
    assert run_kg(atlas, capsys, "cite-check", "--archive-api", "ftp://x")[0] == 1


def test_report_text_groups_and_counts() -> None:
    report = Report("2026-12-01")
    assert report.text() == "summary: nothing (0 source(s) checked on 2026-12-01)"


def test_the_built_site_shows_the_section_before_any_check(site_build: SiteBuild) -> None:  # noqa: F811
    """The whole site, built by MkDocs from the fixture (no checks file yet): both languages carry the section."""
    for prefix, never in (("", "此网址尚未检查"), ("en/", "This address has not been checked yet")):
        html = site_build.page(f"{prefix}analysis/quality.html")
        assert 'id="citation-checks"' in html and 'data-check="citation-checks" data-count="0"' in html
        assert 'data-check="sources-without-quote" data-count="1"' in html      # the fixture's vendor case study
        assert never in site_build.page(f"{prefix}source/temporal-coinbase-case-study.html")
