"""Search and glossary in headless Chromium, as a reader uses them: a word from the middle of a title, typed key by
key (Chinese through an input method's compositions), finds its page first and marks no term "missing".

Same browser, server and skip rules as tests/test_site_browser.py (Debian's chromium; STACKATLAS_REQUIRE_BROWSER=1
turns a skip into a failure).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from kgtools.site.pages.glossary import initial

from .test_site import SiteBuild, site_build  # noqa: F401  (shared session fixture)
from .test_site_browser import Watched, browser, server, tab  # noqa: F401  (shared fixtures)

pytestmark = pytest.mark.browser

# (syllable typed, character chosen) for each character, the way a pinyin input method composes them.
PINYIN_TYPING = {"周期业务": [("zhou", "周"), ("qi", "期"), ("ye", "业"), ("wu", "务")],
                 "加密": [("jia", "加"), ("mi", "密")], "编程": [("bian", "编"), ("cheng", "程")],
                 "事件历史": [("shi", "事"), ("jian", "件"), ("li", "历"), ("shi", "史")]}


def _type_with_ime(page: Any, word: str) -> None:
    """Compose each character from its pinyin, then commit it, sending the key events Chromium sends for an IME:
    keydown "Process" (229) for every key while composing, a keyup after it, and the committed text."""
    cdp = page.context.new_cdp_session(page)
    for syllable, character in PINYIN_TYPING[word]:
        for n, letter in enumerate(syllable, 1):
            cdp.send("Input.dispatchKeyEvent", {"type": "rawKeyDown", "key": "Process", "windowsVirtualKeyCode": 229})
            cdp.send("Input.imeSetComposition", {"text": syllable[:n], "selectionStart": n, "selectionEnd": n})
            cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": letter, "code": f"Key{letter.upper()}",
                                                "windowsVirtualKeyCode": ord(letter.upper())})
        cdp.send("Input.dispatchKeyEvent", {"type": "rawKeyDown", "key": "Process", "windowsVirtualKeyCode": 229})
        cdp.send("Input.insertText", {"text": character})
        cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": " ", "code": "Space", "windowsVirtualKeyCode": 32})
    cdp.detach()


def _results_after_typing(page: Any, word: str) -> list[dict[str, Any]]:
    """Type `word` into Material's search box as a reader would; return every result shown, in order."""
    box = page.locator("input.md-search__input")
    box.click()
    if word in PINYIN_TYPING:
        _type_with_ime(page, word)
    else:
        box.press_sequentially(word, delay=20)
    assert box.input_value() == word
    page.wait_for_function("""(word) => {
        const meta = document.querySelector('.md-search-result__meta');
        return document.querySelector('.md-search-result__item a') && meta && !/^\\s*$/.test(meta.textContent)
            && document.querySelector('.md-search-result__item a').href.includes('h=');
    }""", arg=word, timeout=15_000)
    page.wait_for_timeout(300)  # the last keystroke's results replace earlier ones
    return page.eval_on_selector_all(".md-search-result__item > a", """links => links.map(a => ({
        href: a.href.split('?')[0].split('#')[0],
        missing: [...a.querySelectorAll('del')].map(d => d.textContent),
    }))""")


@pytest.mark.parametrize(("start", "word", "title", "expected"), [
    ("index.html", "周期业务", "长周期业务流程", "concept/long-running-business-process.html"),
    ("index.html", "加密", "Coinbase 跨境加密支付", "case/coinbase-cross-border-payments.html"),
    ("en/index.html", "crypto", "Coinbase cross-border crypto payments", "en/case/coinbase-cross-border-payments.html"),
    ("en/index.html", "running", "Long-running business process", "en/concept/long-running-business-process.html"),
    ("en/index.html", "加密", "Coinbase 跨境加密支付", "en/case/coinbase-cross-border-payments.html"),
])
def test_a_word_from_the_middle_of_a_title_finds_its_page_first_with_nothing_missing(
        tab: Watched, server: str, start: str, word: str, title: str, expected: str) -> None:  # noqa: F811
    assert word in title and not title.startswith(word)
    tab.page.goto(server + start)
    results = _results_after_typing(tab.page, word)
    assert results[0]["href"] == server + expected, [r["href"] for r in results[:5]]
    missing = [r for r in results if r["missing"]]
    assert not missing, missing
    assert not tab.errors, tab.errors


@pytest.mark.parametrize(("start", "word", "lang", "expected"), [
    ("index.html", "事件历史", "zh", "technology/temporal.html"),
    ("en/index.html", "history", "en", "en/technology/temporal.html"),
])
def test_a_word_only_in_an_entitys_summary_finds_it(tab: Watched, server: str, site_build: SiteBuild,  # noqa: F811
                                                   start: str, word: str, lang: str, expected: str) -> None:
    """The index holds an entity's first sentence, not its whole description: a word of that sentence, in neither
    name nor alias, still finds the entity, with nothing marked missing."""
    from kgtools.site.plugin.search import summary

    entity = next(e for e in site_build.model.entities.values() if e.kind == "technology" and e.id == "temporal")
    names = " ".join([*entity.labels.values(), *entity.aliases]).casefold()
    assert word in summary(entity.description(lang), lang) and word not in names
    tab.page.goto(server + start)
    results = _results_after_typing(tab.page, word)
    assert server + expected in [r["href"] for r in results[:3]], [r["href"] for r in results[:5]]
    assert not [r for r in results if r["missing"]]
    assert not tab.errors, tab.errors


def test_a_chinese_query_searches_every_character_typed(tab: Watched, server: str, site_build: SiteBuild) -> None:  # noqa: F811
    """Material alone searches a Chinese query without its last character: "编程" found every page holding "编"."""
    docs = json.loads((site_build.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    only_first = {d["location"].split("#")[0] for d in docs if "编" in d["title"] + d["text"]} - {
        d["location"].split("#")[0] for d in docs if "程" in d["title"] + d["text"]}
    assert "concept/container-orchestration.html" in only_first  # 容器编排
    tab.page.goto(server + "index.html")
    results = _results_after_typing(tab.page, "编程")
    assert results[0]["href"] == server + "concept/programming-language.html"
    assert not {server + page for page in only_first} & {r["href"] for r in results}
    assert not [r for r in results if r["missing"]]
    assert not tab.errors, tab.errors


# -- glossary ----------------------------------------------------------------------------------------


def _glossary_names(page: Any) -> list[str]:
    return page.eval_on_selector_all(".sa-glossary__entry:not([hidden]) .sa-glossary__term > a",
                                     "links => links.map(a => a.textContent)")


def _concepts(site_build: SiteBuild) -> list[Any]:  # noqa: F811
    return [c for c in site_build.model.of_kind("concept") if not c.is_scheme]


def test_glossary_zh_is_in_pinyin_order_and_en_in_alphabetical_order(tab: Watched, server: str,  # noqa: F811
                                                                     site_build: SiteBuild) -> None:  # noqa: F811
    tab.page.goto(server + "glossary.html")
    names = _glossary_names(tab.page)
    assert sorted(names) == sorted(c.label("zh") for c in _concepts(site_build))
    # Read aloud: bian, chang, gong, guan, jin, ke, rong, shi, tun, yan.
    by_pinyin = ["编程语言", "长周期业务流程", "功能匹配度", "关系型数据库", "金融科技", "可用性", "容器编排", "事件溯源",
                 "吞吐量", "延迟"]
    assert [n for n in names if n in by_pinyin] == by_pinyin
    tab.page.goto(server + "en/glossary.html")
    names = _glossary_names(tab.page)
    # Word by word, as an index is: "Cost saving" before "Cost-effectiveness" would be letter by letter.
    assert names == sorted(names, key=lambda n: re.findall(r"\w+", n.casefold())) and len(names) == len(_concepts(site_build))
    assert not tab.errors, tab.errors


def test_glossary_filters_by_scheme_and_by_text(tab: Watched, server: str, site_build: SiteBuild) -> None:  # noqa: F811
    model = site_build.model
    page = tab.page
    page.goto(server + "glossary.html")
    scheme = next(s for s in model.of_kind("concept") if s.id == "architecture-patterns")
    members = {model.entities[i].label("zh") for i in model.scheme_members(scheme.iri) if i in model.entities}
    page.select_option("#sa-glossary-scheme", scheme.id)
    assert set(_glossary_names(page)) == members and len(members) >= 2
    assert page.locator("#sa-glossary-count").text_content() == f"显示 {len(members)} / {len(_concepts(site_build))} 条"
    assert "scheme=architecture-patterns" in page.url
    # Text narrows within the scheme; a word of the English name finds the entry on the Chinese site too.
    page.locator("#sa-glossary-text").press_sequentially("saga", delay=20)
    assert _glossary_names(page) == ["Saga 模式"]
    page.select_option("#sa-glossary-scheme", "")
    page.locator("#sa-glossary-text").fill("")
    page.locator("#sa-glossary-text").press_sequentially("溯源")
    assert _glossary_names(page) == [c.label("zh") for c in _concepts(site_build)
                                     if "溯源" in c.label("zh") + c.description("zh") + c.label("en")]
    page.locator("#sa-glossary-text").fill("没有这个词")
    assert _glossary_names(page) == [] and page.locator("#sa-glossary-none").is_visible()
    # The view is linkable: the same URL opens the same filter.
    page.goto(server + "en/glossary.html?scheme=architecture-patterns")
    assert set(_glossary_names(page)) == {model.entities[i].label("en") for i in model.scheme_members(scheme.iri)
                                          if i in model.entities}
    assert not tab.errors, tab.errors


def test_glossary_fits_a_phone(browser: Any, server: str, site_build: SiteBuild) -> None:  # noqa: F811
    """At 390 px the groups start folded (the real glossary was some 240,000 px tall there), a letter of the bar
    opens its group, a filter opens the groups holding a match and hides the rest, and nothing is wider than the
    screen."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(server + "glossary.html")
        groups = page.eval_on_selector_all(".sa-glossary__group", "gs => gs.map(g => [g.id, g.open])")
        letters = page.eval_on_selector_all("#sa-glossary-jump a", "as => as.map(a => a.textContent)")
        initials = sorted({initial(c.label("zh"), "zh") for c in _concepts(site_build)}, key=lambda k: (k != "#", k))
        assert letters == initials and len(groups) == len(initials) >= 5
        assert not [g for g in groups if g[1]], groups          # every group folded
        folded = page.evaluate("document.documentElement.scrollHeight")
        page.evaluate("() => document.querySelectorAll('.sa-glossary__group').forEach(g => { g.open = true; })")
        unfolded = page.evaluate("document.documentElement.scrollHeight")
        assert folded < 1500 + 60 * len(groups) and unfolded > 2 * folded, (folded, unfolded)
        page.reload()
        # A letter opens its group (and only it); its entries run the width of the content.
        page.locator("#sa-glossary-jump a", has_text="S").click()
        assert page.evaluate("location.hash") == "#sa-glossary-s"
        opened = page.eval_on_selector_all(".sa-glossary__group[open]", "gs => gs.map(g => g.id)")
        assert opened == ["sa-glossary-s"]
        names = page.eval_on_selector_all("#sa-glossary-s .sa-glossary__term > a", "as => as.map(a => a.textContent)")
        assert "事件溯源" in names and all(initial(n, "zh") == "S" for n in names)
        assert page.locator("#sa-glossary-s .sa-glossary__entry").first.is_visible()
        widest = page.evaluate("""() => Math.max(...[...document.querySelectorAll('.md-content *')]
            .map(e => e.getBoundingClientRect().right))""")
        assert widest <= 390
        # No narrow column: descriptions run the width of the content, and each scheme's name stays on one line.
        texts = page.eval_on_selector_all("#sa-glossary-s .sa-glossary__text",
                                          "ps => ps.map(p => p.getBoundingClientRect().width)")
        assert texts and min(texts) > 300, texts
        tags = page.eval_on_selector_all("#sa-glossary-s .sa-glossary__scheme", """ts => ts.map(t => [t.textContent,
            t.getBoundingClientRect().height / parseFloat(getComputedStyle(t).lineHeight)])""")
        assert tags and all(0.5 < lines < 1.5 for _, lines in tags), tags
        # A filter opens every group holding a match and hides the others, letters included.
        page.locator("#sa-glossary-text").press_sequentially("模式")
        matching = set(page.eval_on_selector_all(".sa-glossary__entry", """es => es
            .filter(e => e.dataset.text.includes('模式'))
            .map(e => e.closest('.sa-glossary__group').querySelector('.sa-glossary__initial').textContent)"""))
        assert 1 <= len(matching) < len(initials), matching
        shown = page.eval_on_selector_all(".sa-glossary__group:not([hidden])",
                                          "gs => gs.map(g => [g.querySelector('.sa-glossary__initial').textContent, g.open])")
        assert {k for k, _ in shown} == matching and all(is_open for _, is_open in shown), shown
        visible = """els => els.filter(e => e.getBoundingClientRect().height > 0).map(e => e.textContent)"""
        assert page.eval_on_selector_all("#sa-glossary-jump a", visible) == [k for k in initials if k in matching]
        assert page.eval_on_selector_all(".sa-glossary__group .sa-glossary__initial", visible) == [
            k for k in initials if k in matching]
        # Cleared, the groups fold again; the one the address names stays open.
        page.locator("#sa-glossary-text").fill("")
        assert page.eval_on_selector_all(".sa-glossary__group[open]", "gs => gs.map(g => g.id)") == ["sa-glossary-s"]
        assert page.locator(".sa-glossary__group[hidden]").count() == 0
    finally:
        context.close()


def test_glossary_groups_are_open_on_a_wide_screen(tab: Watched, server: str, site_build: SiteBuild) -> None:  # noqa: F811
    tab.page.goto(server + "en/glossary.html")
    groups = tab.page.eval_on_selector_all(".sa-glossary__group", "gs => gs.map(g => g.open)")
    assert groups and all(groups)
    names = tab.page.eval_on_selector_all(".sa-glossary__group", """gs => gs.map(g => [
        g.querySelector('.sa-glossary__initial').textContent,
        [...g.querySelectorAll('.sa-glossary__term > a')].map(a => a.textContent)])""")
    assert all(initial(n, "en") == k for k, group in names for n in group), names
    assert sum(len(group) for _, group in names) == len(_concepts(site_build))
    assert not tab.errors, tab.errors
