"""The Query, Saved queries and Researcher's guide pages, read as files: every saved query is offered and listed in
both languages, the page carries exactly `kg query`'s prefixes, the bundle is published once, the guide's prefixes
and examples are true of the real graph.

`query_site` (session scope) is the test corpus of tests/test_site.py plus every real saved query and one whose
title and result carry markup; tests/test_site_query_browser.py runs the same site in Chromium.
"""

from __future__ import annotations

import json
import re
import shutil
from html import escape, unescape
from pathlib import Path

import pytest

from kgtools.pipeline import build, open_store
from kgtools.query.engine import PREFIX_IRIS, execute
from kgtools.query.saved import SavedQuery, saved_queries
from kgtools.records.project import Project
from kgtools.site.assets import node, query_bundle
from kgtools.site.pages.query_page import body, description, title

from .conftest import ROOT
from .test_site import SiteBuild, make_project

LANG_PREFIX = {"zh": "", "en": "en/"}
XSS_TITLE = '<img src=x onerror="window.__xss=5">标题'
XSS_QUERY = f"""# title-zh: {XSS_TITLE}
# title-en: </option><script>window.__xss=6</script>title
# description-zh: <b onmouseover=window.__xss=7>说明</b>
# description-en: <b onmouseover=window.__xss=7>description</b>
SELECT ?label WHERE {{ technology:xss-probe skos:prefLabel ?label }} ORDER BY ?label
"""


class QuerySite(SiteBuild):
    """A built site whose corpus holds every real saved query (plus `xss-probe`)."""

    def __init__(self, project: Project) -> None:
        super().__init__(project)
        self.queries: list[SavedQuery] = saved_queries(project)

    def config(self, lang: str) -> dict:
        html = self.page(f"{LANG_PREFIX[lang]}query.html")
        block = re.search(r'<script type="application/json" id="sa-query-config">(.*?)</script>', html, re.S)
        assert block, "the query page carries its configuration"
        return json.loads(block.group(1))


_BUILT: list[QuerySite] = []


@pytest.fixture(scope="session")
def query_site(tmp_path_factory: pytest.TempPathFactory) -> QuerySite:
    if not _BUILT:
        project = make_project(tmp_path_factory.mktemp("query-site") / "atlas")
        for path in sorted((ROOT / "corpus" / "queries").glob("*.rq")):
            shutil.copy(path, project.queries / path.name)
        (project.queries / "xss-probe.rq").write_text(XSS_QUERY, encoding="utf-8")
        assert build(project) == 0
        _BUILT.append(QuerySite(project))
    return _BUILT[0]


# -- the saved queries page ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_saved_queries_page_lists_every_saved_query(query_site: QuerySite, lang: str) -> None:
    html = query_site.page(f"{LANG_PREFIX[lang]}saved-queries.html")
    assert len(query_site.queries) >= 30
    missing = []
    for saved in query_site.queries:
        block = re.search(rf'<div class="sa-queries" id="query-{re.escape(saved.name)}" data-query="{re.escape(saved.name)}">'
                          r"(.*?)</div>", html, re.S)
        if block is None:
            missing.append(f"{saved.name}: no block")
            continue
        wanted = [f'href="query.html?name={saved.name}"', escape(description(saved, lang)), escape(body(saved)),
                  f"kg query {saved.name}"]
        missing += [f"{saved.name}: {w[:60]}" for w in wanted if w not in block.group(1)]
        heading = re.search(rf'<h2 id="{re.escape(saved.name)}"[^>]*>(.*?)<', html)
        if heading is None or unescape(heading.group(1)).strip() != title(saved, lang):
            missing.append(f"{saved.name}: heading {heading.group(1) if heading else None!r}")
    assert not missing, "\n".join(missing)


def test_saved_query_titles_are_in_the_pages_language(query_site: QuerySite) -> None:
    zh = query_site.page("saved-queries.html")
    en = query_site.page("en/saved-queries.html")
    assert "Coinbase 案例使用了哪些技术？" in zh and "Which technologies does the Coinbase case use?" in en
    assert "Which technologies does the Coinbase case use?" not in zh


def test_saved_query_markup_is_escaped(query_site: QuerySite) -> None:
    for path in ("saved-queries.html", "en/saved-queries.html", "query.html", "en/query.html"):
        html = query_site.page(path)
        assert "<img src=x onerror" not in html and "<b onmouseover" not in html and "<script>window.__xss" not in html
    assert "&lt;img src=x onerror=&quot;window.__xss=5&quot;&gt;标题</option>" in query_site.page("query.html")


# -- the query page --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_query_page_offers_every_saved_query_with_kg_querys_prefixes(query_site: QuerySite, lang: str) -> None:
    config = query_site.config(lang)
    assert [q["name"] for q in config["queries"]] == [q.name for q in query_site.queries]
    for offered, saved in zip(config["queries"], query_site.queries, strict=True):
        assert offered["title"] == title(saved, lang)
        assert offered["description"] == description(saved, lang)
        assert offered["text"] == body(saved)
    assert config["prefixes"] == [[prefix, iri] for prefix, iri in PREFIX_IRIS.items()]
    html = query_site.page(f"{LANG_PREFIX[lang]}query.html")
    for saved in query_site.queries:
        assert f'<option value="{saved.name}">{escape(title(saved, lang))}</option>' in html


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_query_page_loads_only_files_of_this_site(query_site: QuerySite, lang: str) -> None:
    page = query_site.site / f"{LANG_PREFIX[lang]}query.html"
    config = query_site.config(lang)
    for key in ("data", "wasm", "worker"):
        assert not re.match(r"(?:[a-z]+:)?//", config[key]), config[key]
        assert (page.parent / config[key].split("?")[0]).resolve().is_file(), config[key]
    assert (page.parent / config["data"]).resolve() == (query_site.site / "downloads/stackatlas.nt").resolve()
    html = page.read_text(encoding="utf-8")
    for asset in re.findall(r'(?:src|href)="([^"]*assets/vendor/query/[^"]*)"', html):
        assert (page.parent / asset.split("?")[0]).resolve().is_file(), asset


def test_query_bundle_is_published_once_at_the_root(query_site: QuerySite) -> None:
    folder = query_site.site / query_bundle.QUERY_DIR
    assert sorted(p.name for p in folder.iterdir()) == sorted(query_bundle.FILES)
    assert (folder / "oxigraph.wasm").read_bytes()[:4] == b"\0asm"
    assert not (query_site.site / "en" / query_bundle.QUERY_DIR).exists()
    licences = (folder / "THIRD-PARTY-LICENSES.txt").read_text(encoding="utf-8")
    assert "oxigraph" in licences and "@codemirror/view" in licences


def copy_app_sources(app: Path) -> Path:
    """The query app's sources (no node_modules, no dist) in a folder of their own."""
    app.mkdir(parents=True)
    for name in query_bundle.INPUTS:
        shutil.copy(query_bundle.APP_DIR / name, app / name)
    shutil.copytree(query_bundle.APP_DIR / "src", app / "src")
    return app


def test_bundle_fingerprint_follows_every_source(tmp_path: Path) -> None:
    app = copy_app_sources(tmp_path / "queryapp")
    first = query_bundle.fingerprint(app)
    assert query_bundle.fingerprint(app) == first
    main = app / "src" / "main.js"
    main.write_text(main.read_text(encoding="utf-8") + "\n// changed\n", encoding="utf-8")
    assert query_bundle.fingerprint(app) != first


def test_build_without_npm_stops_with_a_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.exceptions import PluginError

    app = copy_app_sources(tmp_path / "queryapp")
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setattr(node, "wheel_root", lambda: None)   # nor the Node that pip installs (tests/test_node_toolchain.py)
    with pytest.raises(PluginError, match=r"needs Node\.js 18\+ with npm.*`kg build --graph-only` writes the graph"):
        query_bundle.ensure_bundle(app)
    assert not (app / "dist").exists() or not any((app / "dist").iterdir())


# -- the researcher's guide -------------------------------------------------------------------------


GUIDES = {lang: ROOT / "site" / lang / "researchers.md" for lang in ("zh", "en")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_guide_names_every_predeclared_prefix(lang: str) -> None:
    text = GUIDES[lang].read_text(encoding="utf-8")
    missing = [p for p, iri in PREFIX_IRIS.items() if f"| `{p}:` | `{iri}` |" not in text]
    assert not missing, missing


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_guide_examples_run_on_the_real_graph(project: Project, lang: str) -> None:
    text = GUIDES[lang].read_text(encoding="utf-8")
    examples = re.findall(r"```sparql\n(.*?)```", text, re.S)
    assert len(examples) >= 3
    store = open_store(project)
    for example in examples:
        rows = list(execute(store, example))
        assert rows, f"the guide's example returns nothing:\n{example}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_guide_links_name_saved_queries(project: Project, lang: str) -> None:
    names = {q.name for q in saved_queries(project)}
    linked = re.findall(r"\(query\.md\?name=([a-z0-9-]+)\)", GUIDES[lang].read_text(encoding="utf-8"))
    assert linked and set(linked) <= names, set(linked) - names


def test_guide_is_in_the_navigation(query_site: QuerySite) -> None:
    for prefix in ("", "en/"):
        html = query_site.page(f"{prefix}researchers.html")
        nav = html[html.index('class="md-nav md-nav--primary'):]
        assert 'href="query.html"' in nav and 'href="saved-queries.html"' in nav
