"""Search and glossary in headless Chromium, as a reader uses them: a word from the middle of a title, typed key by
key (Chinese through an input method's compositions), finds its page first and marks no term "missing".

Same browser, server and skip rules as tests/test_site_browser.py (Debian's chromium; STACKATLAS_REQUIRE_BROWSER=1
turns a skip into a failure).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from .test_site import SiteBuild, site_build  # noqa: F401  (shared session fixture)
from .test_site_browser import Watched, browser, server, tab  # noqa: F401  (shared fixtures)

pytestmark = pytest.mark.browser

# (syllable typed, character chosen) for each character, the way a pinyin input method composes them.
PINYIN_TYPING = {"周期业务": [("zhou", "周"), ("qi", "期"), ("ye", "业"), ("wu", "务")],
                 "加密": [("jia", "加"), ("mi", "密")], "编程": [("bian", "编"), ("cheng", "程")]}


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
