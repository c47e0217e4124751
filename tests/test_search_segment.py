"""The search index's Chinese segmentation: every Han character is a token of its own, whatever touches it, so the
search worker's one-term-per-character queries (assets/stackatlas/search-worker.js) find it."""

from __future__ import annotations

import pytest

from kgtools.site.plugin.segment import ZWSP, segment


@pytest.mark.parametrize(("text", "expected"), [
    ("容器编排 Kubernetes", "容|器|编|排 Kubernetes"),
    ("K8s集群", "K8s|集|群"),                                   # Latin glued to Chinese
    ("&lt;/script&gt;危险&lt;img", "&lt;/script&gt;|危|险|&lt;img"),  # escaped markup in a record's label
    ("（测试）。", "（|测|试|）。"),
    ("Kafka 与 K8s。", "Kafka 与 K8s。"),                        # nothing to split
])
def test_every_han_character_stands_alone(text: str, expected: str) -> None:
    assert segment(text) == expected.replace("|", ZWSP)
