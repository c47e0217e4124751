"""Escaping every piece of record text on its way into a page, because records come from strangers.

Three contexts, three functions: HTML text and attributes (`h`), text inside a
Markdown line that Python-Markdown and its extensions would otherwise
interpret (`md`), and JSON embedded in a `<script type="application/json">`
block (`script_json`). YAML front matter values go through `yaml_str`.
"""

from __future__ import annotations

import html
import json
from typing import Any

# Characters Markdown (and attr_list, tables, entities) give meaning to. Written as
# numeric references they reach the page as the same characters, but as text.
_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>&\"'~^:=$%@/;")


def h(text: object) -> str:
    """Text safe inside HTML element content and double- or single-quoted attributes."""
    return html.escape(str(text), quote=True)


def md(text: object) -> str:
    """Text safe inside a Markdown heading or paragraph line: no markup, no attributes, no raw HTML."""
    out = []
    for char in str(text).replace("\r", " ").replace("\n", " "):
        out.append(f"&#{ord(char)};" if char in _MD_SPECIAL else char)
    return "".join(out)


def script_json(data: Any) -> str:
    """JSON that cannot end its `<script>` element or open a comment, whatever strings it holds."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def yaml_str(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)
