"""The search index's Chinese segmentation: every Han character is a token of its own, whatever touches it, so the
search worker's one-term-per-character queries (assets/stackatlas/search-worker.js) find it.

Nothing in the index marks the characters any more: the separator in mkdocs.yml ends in two empty alternatives,
before and after each Han character, and Material's tokenizer splits a text at every match of the separator, an
empty match included (it then moves on one character). `tokens` splits that way; the node test runs the same split
in a JavaScript engine, whose regular expressions are the ones the browser uses.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from kgtools.site.assets.node import find_node

ROOT = Path(__file__).resolve().parents[1]
CASES = [
    ("容器编排 Kubernetes", ["容", "器", "编", "排", "Kubernetes"]),
    ("K8s集群", ["K8s", "集", "群"]),                                   # Latin glued to Chinese
    ("&lt;/script&gt;危险&lt;img", ["&lt", "script&gt", "危", "险", "&lt", "img"]),  # escaped markup in a label
    ("（测试）。", ["测", "试"]),
    ("Kafka 与 K8s。", ["Kafka", "与", "K8s"]),
    ("长周期业务流程", ["长", "周", "期", "业", "务", "流", "程"]),    # a word from the middle of a title stands alone
    ("p99 < 200ms, v1.2", ["p99", "<", "200ms", "v1.2"]),            # nothing changes for text without Chinese
]


def separator() -> str:
    """The search separator exactly as mkdocs.yml gives it to Material (tags such as !ENV read as plain values)."""
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config: dict[str, Any] = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    search = next(p["search"] for p in config["plugins"] if isinstance(p, dict) and "search" in p)
    return str(search["separator"])


def tokens(text: str, pattern: str) -> list[str]:
    """Split as Material's tokenizer does: a token between every two matches, an empty match moving one character on.
    The `\\uXXXX` escapes of the JavaScript pattern mean the same in Python's `re`."""
    out, start, at = [], 0, 0
    regex = re.compile(pattern)
    while at <= len(text):
        match = regex.search(text, at)
        end = match.start() if match else len(text)
        if start < end:
            out.append(text[start:end])
        if not match:
            break
        start = match.end()
        at = match.end() + (1 if match.end() == match.start() else 0)
    return out


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_every_han_character_stands_alone(text: str, expected: list[str]) -> None:
    assert tokens(text, separator()) == expected


def test_the_index_needs_no_character_added_for_chinese() -> None:
    """The two empty alternatives split where the zero-width spaces used to go, so the index holds the text as is."""
    pattern = separator()
    assert "\u200b" not in "".join(t for text, _ in CASES for t in tokens(text, pattern))
    assert tokens("事件溯源", pattern) == tokens("事\u200b件\u200b溯\u200b源", pattern)


JS_SPLIT = """
const [pattern, texts] = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = texts.map(text => {
  const re = new RegExp(pattern, "g"), found = [];
  let start = 0, match;
  do {
    match = re.exec(text);
    const end = match ? match.index : text.length;
    if (start < end) found.push(text.slice(start, end));
    if (match) { start = match.index + match[0].length; if (match[0].length === 0) re.lastIndex = match.index + 1; }
  } while (match);
  return found;
});
process.stdout.write(JSON.stringify(out));
"""


def test_a_javascript_engine_splits_the_same_way() -> None:
    node, reasons = find_node()
    if node is None:
        pytest.skip("no node: " + "; ".join(reasons))
    run = subprocess.run([*node.node, "-e", JS_SPLIT], input=json.dumps([separator(), [t for t, _ in CASES]]),
                         capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(run.stdout) == [expected for _, expected in CASES]
