"""Build-time graph layouts: the same input always gives the same picture, boxes and labels never overlap, and a
neighbourhood shows at most its cap (kgtools.site.pages.graph_layout, explorer). What the browser draws from them
is checked in test_site_graph_browser.py."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from kgtools.site.pages.explorer import CAP, PER_RELATION, allot
from kgtools.site.pages.graph_layout import PORTRAIT, Item, Sector, force_layout, place_labels, sector_layout, separate, text_width

NAMES = ["Apache Kafka", "Kubernetes", "PostgreSQL", "Temporal", "Saga pattern", "事件溯源", "容器编排",
         "Exactly-once semantics", "Idempotency", "Raft", "etcd", "Cloudflare Workers", "Write-ahead log"]


def _graph(n: int, seed: int) -> tuple[list[Item], list[tuple[int, int, float]]]:
    rng = random.Random(seed)
    items = [Item(f"{rng.choice(NAMES)} {i}", rng.choice([7.0, 9.0, 12.0])) for i in range(n)]
    edges = [(rng.randrange(n), rng.randrange(n), 1.0) for _ in range(n * 2)]
    return items, edges


def _absolute(xy: np.ndarray, items: list[Item], shown: list[bool], labels_only: bool = False) -> list[tuple]:
    boxes = []
    for (x, y), item, flag in zip(xy, items, shown, strict=True):
        if labels_only and not flag:
            continue
        b = item.label_box() if labels_only else item.box(flag)
        boxes.append((b[0] + x, b[1] + y, b[2] + x, b[3] + y))
    return boxes


def _overlapping(boxes: list[tuple]) -> list[tuple[int, int]]:
    return [(i, j) for (i, a), (j, b) in itertools.combinations(enumerate(boxes), 2)
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]


def test_text_width_grows_with_the_text_and_counts_chinese_wider() -> None:
    assert text_width("Kafka") < text_width("Apache Kafka")
    assert text_width("事件溯源") > text_width("abcd")


@pytest.mark.parametrize("n", [1, 2, 12, 80])
def test_force_layout_is_deterministic_and_drawn_labels_never_overlap(n: int) -> None:
    items, edges = _graph(n, seed=n)
    priority = list(range(n))
    first = force_layout(items, edges, priority, boxed=20)
    again = force_layout(items, edges, priority, boxed=20)
    assert np.array_equal(first[0], again[0]) and first[1] == again[1]
    xy, shown = first
    assert shown[0]   # the highest priority always gets its label
    assert not _overlapping(_absolute(xy, items, shown, labels_only=True))


def test_separate_moves_boxes_apart_and_keeps_fixed_ones_still() -> None:
    items = [Item("Apache Kafka"), Item("Apache Flink"), Item("Apache Pulsar"), Item("Redpanda")]
    xy = np.zeros((4, 2))
    boxes = np.array([item.box() for item in items])
    out = separate(xy, boxes, fixed=np.array([True, False, False, False]))
    assert tuple(out[0]) == (0.0, 0.0)
    assert not _overlapping(_absolute(out, items, [True] * 4))


def test_place_labels_leaves_off_a_label_that_would_cover_another() -> None:
    items = [Item("Apache Kafka"), Item("Apache Kafka Streams")]
    xy = np.array([[0.0, 0.0], [10.0, 2.0]])
    assert place_labels(xy, items, [1, 0]) == [False, True]


def test_sector_layout_places_every_item_apart_in_both_shapes() -> None:
    focus = Item("Apache Kafka", 16.0)
    sectors = [Sector(Item(f"relation {r} (n)", 0.0, centred=True), tuple(Item(f"{NAMES[k % len(NAMES)]} {r}", 9.0)
                                                                   for k in range(size)))
               for r, size in enumerate([30, 9, 4, 1])]
    for ellipse in (1.5, PORTRAIT):
        titles, positions = sector_layout(focus, sectors, [8, 5, 4, 1], ellipse)
        boxes = [focus.box()]
        for sector, title, spots in zip(sectors, titles, positions, strict=True):
            t = sector.title.box()
            boxes.append((t[0] + title[0], t[1] + title[1], t[2] + title[0], t[3] + title[1]))
            boxes += [(b[0] + x, b[1] + y, b[2] + x, b[3] + y)
                      for item, (x, y) in zip(sector.items, spots, strict=True) for b in [item.box()]]
        assert len(boxes) == 1 + 4 + 44
        assert not _overlapping(boxes)


@pytest.mark.parametrize("counts", [[58, 15, 12, 9, 6, 5, 5, 2, 2, 2, 2, 1, 1], [19], [3, 2], [40, 40]])
def test_allot_keeps_a_neighbourhood_within_its_cap(counts: list[int]) -> None:
    shown = allot(counts, CAP - 1)
    more = sum(s < c for s, c in zip(shown, counts, strict=True))
    assert 1 + sum(shown) + more <= CAP
    assert all(0 < s <= min(c, PER_RELATION) for s, c in zip(shown, counts, strict=True))
    if sum(counts) <= PER_RELATION:
        assert shown == counts
