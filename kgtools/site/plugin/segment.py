"""Chinese in the search index: every Han character becomes its own token (see docs/decisions/site-search.md).

Material's search splits text only at its separator, and segments Chinese only
when the unmaintained `jieba` is installed. Instead, after the search plugin
has written `search/search_index.json`, a zero-width space (which the
configured separator splits on) goes between consecutive Han characters, so
the index holds single characters. In the browser Material cuts a Chinese
query against the index's own terms, i.e. into the same characters, and every
document containing the query's characters matches; titles weigh most, so an
entity whose name is the query comes first. No dictionary, no dependency, and
the same result for every word of every description.
"""

from __future__ import annotations

import re

ZWSP = "\u200b"
# CJK Unified Ideographs (+ Extension A) and Compatibility Ideographs.
_HAN_PAIR = re.compile(r"(?<=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])(?=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")


def segment(text: str) -> str:
    """`容器编排 Kubernetes` → `容\u200b器\u200b编\u200b排 Kubernetes`."""
    return _HAN_PAIR.sub(ZWSP, text)

