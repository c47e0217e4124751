"""Graph layouts computed at build time, so a page draws its graph at once with the physics off.

A browser that lays out a few hundred nodes with vis-network's physics takes
seconds to settle and piles labels on one another (PERFORMANCE.md). Here every
view gets fixed coordinates instead, in canvas units (1 unit = 1 CSS pixel at
zoom 1), and labels that do not overlap. vis-network scales labels with the
zoom, so labels that do not overlap in canvas units do not overlap at any
zoom; graph.js only has to keep the zoom high enough for the font to stay
legible (`MIN_SCALE`).

Each drawn thing is an `Item`: a dot with its label hanging below it (how
vis-network draws `dot` and `diamond` nodes), or a label alone (`text`
nodes). Label boxes are estimated from the characters and the font size,
generously, so the estimate covers the browser's real text metrics.

Three layouts: `force_layout` (igraph's spring layout from a fixed start, spread until boxes do
not overlap, then labels placed greedily by priority: a label that would
cover another is left off and shown on hover instead), `sector_layout`
(neighbourhoods: one angular sector per relation around the focus) and
`separate` (the overlap-removal pass both use).
"""

from __future__ import annotations

import functools
import math
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import igraph as ig
import numpy as np

FONT = 14                 # label font size in canvas units (graph.js sets the same)
MIN_SCALE = 12 / FONT     # the lowest zoom graph.js opens at: labels are then at least 12 px
GAP = 4.0                 # empty canvas units kept between any two boxes
SEED = 7
LANDSCAPE, PORTRAIT = 1.5, 0.7   # width : height of a neighbourhood's rings, for wide and for upright screens


def char_width(char: str) -> float:
    """Width of one character in ems, a little wider than common sans-serif fonts draw it."""
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.05
    if char == " ":
        return 0.34
    if char in "il.,:;'|!()[]{}ftjrI":
        return 0.42
    if char in "mwMW@%":
        return 0.95
    if char.isupper() or char.isdigit():
        return 0.74
    return 0.64


def text_width(text: str, font: float = FONT) -> float:
    return sum(char_width(c) for c in text) * font + 6


def text_height(font: float = FONT) -> float:
    return font * 1.3 + 4


@dataclass(frozen=True)
class Item:
    """One drawn node: a dot of radius `size` with `label` below it, or (size 0, `centred`) a label alone."""

    label: str
    size: float = 8.0
    centred: bool = False
    font: float = FONT

    def dot_box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the dot relative to the node's position."""
        return (-self.size, -self.size, self.size, self.size)

    def label_box(self) -> tuple[float, float, float, float]:
        w, h = text_width(self.label, self.font), text_height(self.font)
        if self.centred or not self.size:
            return (-w / 2, -h / 2, w / 2, h / 2)
        return (-w / 2, self.size + 1, w / 2, self.size + 1 + h)

    def box(self, labelled: bool = True) -> tuple[float, float, float, float]:
        if not labelled:
            return self.dot_box()
        if self.centred or not self.size:
            return self.label_box()
        d, lb = self.dot_box(), self.label_box()
        return (min(d[0], lb[0]), d[1], max(d[2], lb[2]), lb[3])


def _boxes(items: Sequence[Item], labelled: Sequence[bool]) -> np.ndarray:
    return np.array([item.box(flag) for item, flag in zip(items, labelled, strict=True)], dtype=float).reshape(-1, 4)


def separate(xy: np.ndarray, boxes: np.ndarray, fixed: np.ndarray | None = None, iterations: int = 300) -> np.ndarray:
    """Move boxes apart until none overlap (or `iterations` run out); deterministic.

    `boxes` are relative to the positions `xy`. Each overlapping pair is
    pushed apart along the axis where they overlap less, half each (all of it
    onto the one that is free when the other is `fixed`).
    """
    xy = xy.astype(float).copy()
    n = len(xy)
    if n < 2:
        return xy
    fixed = np.zeros(n, dtype=bool) if fixed is None else fixed
    half_w = (boxes[:, 2] - boxes[:, 0]) / 2
    half_h = (boxes[:, 3] - boxes[:, 1]) / 2
    off_x = (boxes[:, 2] + boxes[:, 0]) / 2
    off_y = (boxes[:, 3] + boxes[:, 1]) / 2
    order = np.arange(n)
    tie = np.where(order[:, None] > order[None, :], 1.0, -1.0)   # which way coincident boxes part
    share = np.where(fixed[None, :], 1.0, 0.5) * np.where(fixed[:, None], 0.0, 1.0)
    for _ in range(iterations):
        cx, cy = xy[:, 0] + off_x, xy[:, 1] + off_y
        dx, dy = cx[:, None] - cx[None, :], cy[:, None] - cy[None, :]
        over_x = half_w[:, None] + half_w[None, :] + GAP - np.abs(dx)
        over_y = half_h[:, None] + half_h[None, :] + GAP - np.abs(dy)
        hit = (over_x > 0) & (over_y > 0)
        np.fill_diagonal(hit, False)
        hit &= ~(fixed[:, None] & fixed[None, :])
        if not hit.any():
            break
        along_x = hit & (over_x <= over_y)
        along_y = hit & ~along_x
        sx = np.where(dx != 0, np.sign(dx), tie)
        sy = np.where(dy != 0, np.sign(dy), tie)
        move_x = (np.where(along_x, over_x * sx, 0.0) * share).sum(axis=1)
        move_y = (np.where(along_y, over_y * sy, 0.0) * share).sum(axis=1)
        # Several neighbours pushing the same way would overshoot: move at most one box's overlap per step.
        xy[:, 0] += np.clip(move_x, -2 * half_w - GAP, 2 * half_w + GAP)
        xy[:, 1] += np.clip(move_y, -2 * half_h - GAP, 2 * half_h + GAP)
    return xy


def settle(xy: np.ndarray, boxes: np.ndarray, order: Sequence[int], fixed: np.ndarray | None = None) -> np.ndarray:
    """Finish what `separate` left: in `order`, each box that still overlaps one already settled moves to the
    nearest free place (rings around where it was). Nothing overlaps afterwards; fixed boxes go first, unmoved."""
    xy = xy.copy()
    n = len(xy)
    fixed = np.zeros(n, dtype=bool) if fixed is None else fixed
    ordered = [i for i in range(n) if fixed[i]] + [i for i in order if not fixed[i]]
    settled = np.zeros((0, 4))
    for i in ordered:
        box = boxes[i] + np.array([xy[i][0], xy[i][1], xy[i][0], xy[i][1]])
        if not fixed[i] and _overlaps(box, settled):
            step = max(6.0, (boxes[i][3] - boxes[i][1]) / 2)
            for ring in range(1, 400):
                radius = ring * step
                angles = np.arange(max(8, int(2 * math.pi * radius / step))) * (2 * math.pi) / max(
                    8, int(2 * math.pi * radius / step))
                xs, ys = xy[i][0] + np.cos(angles) * radius, xy[i][1] + np.sin(angles) * radius
                cand = boxes[i][None, :] + np.stack([xs, ys, xs, ys], axis=1)
                hit = ((cand[:, None, 0] < settled[None, :, 2] + GAP) & (settled[None, :, 0] < cand[:, None, 2] + GAP)
                       & (cand[:, None, 1] < settled[None, :, 3] + GAP)
                       & (settled[None, :, 1] < cand[:, None, 3] + GAP)).any(axis=1)
                free = np.flatnonzero(~hit)
                if len(free):
                    xy[i] = (xs[free[0]], ys[free[0]])
                    box = cand[free[0]]
                    break
        settled = np.vstack([settled, box])
    return xy


def _overlaps(box: np.ndarray, others: np.ndarray) -> bool:
    if not len(others):
        return False
    return bool(((box[0] < others[:, 2] + GAP / 2) & (others[:, 0] < box[2] + GAP / 2)
                 & (box[1] < others[:, 3] + GAP / 2) & (others[:, 1] < box[3] + GAP / 2)).any())


def place_labels(xy: np.ndarray, items: Sequence[Item], priority: Sequence[int]) -> list[bool]:
    """Which labels to draw: in `priority` order, each label that covers no drawn label and no other dot."""
    dots = np.array([item.dot_box() for item in items], dtype=float).reshape(-1, 4)
    dots = dots + np.hstack([xy, xy])
    labels = np.array([item.label_box() for item in items], dtype=float).reshape(-1, 4) + np.hstack([xy, xy])
    shown = [False] * len(items)
    drawn: list[np.ndarray] = []
    for i in priority:
        if not items[i].label:
            continue
        others = np.delete(dots, i, axis=0)
        if _overlaps(labels[i], np.array(drawn).reshape(-1, 4)) or _overlaps(labels[i], others):
            continue
        shown[i] = True
        drawn.append(labels[i])
    return shown


def _spring(n: int, weights: dict[tuple[int, int], float], pinned: dict[int, tuple[float, float]]) -> np.ndarray:
    """igraph's Fruchterman-Reingold from a fixed start (a circle) with its own seeded random numbers, so the
    same graph always gets the same layout; `pinned` items are held where they are."""
    graph = ig.Graph(n=n, edges=list(weights))
    start = [[math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n)] for i in range(n)]
    far = 1e9
    bounds = {"minx": [-far] * n, "maxx": [far] * n, "miny": [-far] * n, "maxy": [far] * n}
    for i, (x, y) in pinned.items():
        start[i] = [x, y]
        bounds["minx"][i] = bounds["maxx"][i] = x
        bounds["miny"][i] = bounds["maxy"][i] = y
    ig.set_random_number_generator(random.Random(SEED))  # noqa: S311  (a layout, not a secret)
    try:
        layout = graph.layout_fruchterman_reingold(weights=list(weights.values()) or None, niter=300, seed=start,
                                                   grid="nogrid", **(bounds if pinned else {}))
    finally:
        ig.set_random_number_generator(random)
    return np.array(layout.coords, dtype=float).reshape(n, 2)


def force_layout(items: Sequence[Item], edges: Sequence[tuple[int, int, float]], priority: Sequence[int],
                 boxed: int = 60, fixed: dict[int, tuple[float, float]] | None = None) -> tuple[np.ndarray, list[bool]]:
    """Positions and label flags for a general graph.

    A seeded spring layout gives the shape; it is scaled to the area the
    boxes need and spread until no two overlap. The `boxed` highest-priority
    items are spread with their labels, the rest as bare dots (a large view
    would otherwise grow far beyond the screen); then every label that fits
    is drawn, highest priority first. `fixed` pins items (a group's hub).

    The layout depends on its arguments alone, so it is remembered for them:
    `kg serve` makes the whole graph's ~60 layouts again after every edit
    (2 s on the real corpus), and an edit that moves no node nor label asks
    for the same ones. Callers get their own copies.
    """
    key = (tuple(items), tuple(edges), tuple(priority), boxed, tuple((fixed or {}).items()))
    xy, shown = _remembered_layout(key)
    return xy.copy(), list(shown)


LayoutKey = tuple[tuple[Item, ...], tuple[tuple[int, int, float], ...], tuple[int, ...], int,
                  tuple[tuple[int, tuple[float, float]], ...]]


@functools.lru_cache(maxsize=1024)
def _remembered_layout(key: LayoutKey) -> tuple[np.ndarray, tuple[bool, ...]]:
    items, edges, priority, boxed, fixed = key
    xy, shown = _force_layout(items, edges, priority, boxed, dict(fixed))
    xy.setflags(write=False)
    return xy, tuple(shown)


def _force_layout(items: Sequence[Item], edges: Sequence[tuple[int, int, float]], priority: Sequence[int],
                  boxed: int, fixed: dict[int, tuple[float, float]]) -> tuple[np.ndarray, list[bool]]:
    n = len(items)
    if n == 0:
        return np.zeros((0, 2)), []
    weights: dict[tuple[int, int], float] = {}
    for a, b, weight in edges:
        if a != b:
            key = (min(a, b), max(a, b))
            weights[key] = weights.get(key, 0.0) + weight
    top = set(priority[:boxed])
    labelled = [i in top for i in range(n)]
    boxes = _boxes(items, labelled)
    area = float(((boxes[:, 2] - boxes[:, 0] + GAP) * (boxes[:, 3] - boxes[:, 1] + GAP)).sum())
    reach = math.sqrt(area * 1.6) / 2   # half the side of a square 1.6 times the boxes' area
    if n == 1:
        xy = np.zeros((1, 2))
    else:
        # The spring layout works in units of `reach`. Several pinned items keep their places in it (the rest
        # settle around them); a single one (a group's hub) is simply put in place afterwards.
        held = fixed if len(fixed) > 1 else {}
        xy = _spring(n, weights, {i: (x / reach, y / reach) for i, (x, y) in held.items()})
        free = np.array([i not in held for i in range(n)])
        if not held:
            xy -= xy.mean(axis=0)
            xy /= float(np.abs(xy).max()) or 1.0
        else:   # keep the free items within the span of the pinned ones, however far the springs threw them
            span = max(float(np.abs(xy[~free]).max()), 0.5) * 1.5
            far = float(np.abs(xy[free]).max()) if free.any() else 0.0
            if far > span:
                xy[free] *= span / far
        xy *= reach
    for i, (x, y) in fixed.items():
        xy[i] = (x, y)
    pinned = np.array([i in fixed for i in range(n)])
    xy = settle(separate(xy, boxes, pinned, iterations=60), boxes, priority, pinned)
    shown = place_labels(xy, items, priority)
    return np.round(xy, 1), shown


def extent(xy: np.ndarray, items: Sequence[Item], shown: Sequence[bool]) -> float:
    """Half the side of the smallest square around (0, 0) holding every box: how far a group reaches."""
    if not len(items):
        return 0.0
    boxes = _boxes(items, shown) + np.hstack([xy, xy])
    return float(np.abs(boxes).max())


@dataclass(frozen=True)
class Sector:
    """One relation around a focus: its title and the items in it, most important first."""

    title: Item
    items: tuple[Item, ...]


def sector_layout(focus: Item, sectors: Sequence[Sector], shown: Sequence[int], ellipse: float = LANDSCAPE
                  ) -> tuple[list[tuple[float, float]], list[list[tuple[float, float]]]]:
    """A neighbourhood: the focus at (0, 0), one angular sector per relation, items on rings outward.

    Each sector's angle is shared out by how many of its items show at first
    (`shown[i]`; the rest appear when "more" is opened, in the same sector
    further out). The first items of every sector are placed, then the
    sector titles just beyond them, then the rest; each at the first free
    place along the rings, so no two boxes overlap whatever is opened.
    Rings are `ellipse` times wider than tall (labels are wide and short:
    wide rings suit landscape screens, narrower ones phones held upright).
    Returns each sector title's position and each sector's item positions.
    """
    placed = [np.array(focus.box())]
    weights = [max(1, k) + 0.6 for k in shown]
    total = sum(weights) or 1.0
    start = -math.pi / 2 - math.pi * weights[0] / total if sectors else 0.0
    spans = []
    for weight in weights:
        spans.append((start, start + 2 * math.pi * weight / total))
        start += 2 * math.pi * weight / total
    base = 110.0
    positions: list[list[tuple[float, float]]] = [[] for _ in sectors]
    rings = [base] * len(sectors)
    for index, sector in enumerate(sectors):
        for item in sector.items[: shown[index]]:
            x, y, rings[index] = _free_spot(item, *spans[index], rings[index], placed, ellipse)
            positions[index].append((x, y))
    titles = []
    for index, sector in enumerate(sectors):
        lo, hi = spans[index]
        mid = (lo + hi) / 2
        x, y, _ = _free_spot(sector.title, mid, mid, rings[index] + 30, placed, ellipse, step=10.0)
        titles.append((x, y))
    for index, sector in enumerate(sectors):
        for item in sector.items[shown[index]:]:
            x, y, rings[index] = _free_spot(item, *spans[index], rings[index], placed, ellipse)
            positions[index].append((x, y))
    return titles, positions


def _free_spot(item: Item, lo: float, hi: float, ring: float, placed: list[np.ndarray], ellipse: float,
               step: float = 26.0) -> tuple[float, float, float]:
    """The first position, ring by ring outward and along each ring from `lo` to `hi`, where `item` fits.

    Returns x, y and the ring it is on (the next item of the sector starts there).
    """
    box = np.array(item.box())
    others = np.array(placed)
    radius = ring
    for _ in range(200):
        count = max(1, int((hi - lo) * radius / 8.0))
        angles = lo + (hi - lo) * (np.arange(count) + 0.5) / count
        xs, ys = np.cos(angles) * radius * ellipse, np.sin(angles) * radius
        cand = box[None, :] + np.stack([xs, ys, xs, ys], axis=1)
        hit = ((cand[:, None, 0] < others[None, :, 2] + GAP / 2) & (others[None, :, 0] < cand[:, None, 2] + GAP / 2)
               & (cand[:, None, 1] < others[None, :, 3] + GAP / 2)
               & (others[None, :, 1] < cand[:, None, 3] + GAP / 2)).any(axis=1)
        free = np.flatnonzero(~hit)
        if len(free):
            k = int(free[0])
            placed.append(cand[k])
            return round(float(xs[k]), 1), round(float(ys[k]), 1), radius
        radius += step
    x, y = math.cos(lo) * radius * ellipse, math.sin(lo) * radius
    placed.append(box + np.array([x, y, x, y]))
    return round(x, 1), round(y, 1), radius
