"""Chinese in the search index: every Han character becomes its own token (see docs/decisions/site-search.md).

Material's search splits text only at its separator, and segments Chinese only
when the unmaintained `jieba` is installed. Instead, after the search plugin
has written `search/search_index.json`, a zero-width space (which the
configured separator splits on) goes on each side of every Han character that
touches anything but a space, so the index holds single characters, never a
character glued to a neighbour (`险&lt`, `K8s集`). In the browser our search
worker (assets/stackatlas/search-worker.js) cuts a Chinese query into the same
characters, each one required, so every document containing all the query's
characters matches; titles weigh most, so an entity whose name holds the query
comes first. No dictionary, no dependency, and the same result for every word
of every description.
"""

from __future__ import annotations

import re

ZWSP = "\u200b"
# CJK Unified Ideographs (+ Extension A) and Compatibility Ideographs.
_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_HAN_EDGE = re.compile(rf"(?<={_HAN})(?=[^\s{ZWSP}])|(?<=[^\s{ZWSP}])(?={_HAN})")


def segment(text: str) -> str:
    """`容器编排 Kubernetes` → `容\u200b器\u200b编\u200b排 Kubernetes`; `K8s集群` → `K8s\u200b集\u200b群`."""
    return _HAN_EDGE.sub(ZWSP, text)

