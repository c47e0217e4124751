"""Total cost of ownership, reworked: monthly cost from node counts and unit prices, and what a saving claim assumes.

Why a model and not just the documents' figure: the documents say PostgreSQL
instead of Cassandra under Temporal "saves 90%" (30 Cassandra nodes at USD
33,251 a month against 3 PostgreSQL nodes at USD 3,325). Divided out, both
clusters cost the same per node (about USD 1,108), so the whole saving is the
assumption that the load fits on a tenth of the nodes. A reader with other node
counts or prices can rework the comparison, and see which inputs are the
documents' unsupported claims (`kg cost`, and the calculator on the comparison's page).

>>> a, b = Option("cassandra", 30, 33251 / 30), Option("postgresql", 3, 3325 / 3)
>>> round(saving(a, b), 4)
0.9
>>> round(a.price_per_node, 2), round(b.price_per_node, 2)
(1108.37, 1108.33)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Option:
    """One side of a comparison: a technology on some nodes at a monthly price per node (plus fixed monthly costs)."""

    name: str
    nodes: float
    price_per_node: float
    fixed: float = 0.0

    def __post_init__(self) -> None:
        if self.nodes < 0 or self.price_per_node < 0 or self.fixed < 0:
            raise ValueError("node counts, prices and fixed costs cannot be negative")

    @property
    def monthly(self) -> float:
        return self.nodes * self.price_per_node + self.fixed

    def yearly(self, months: int = 12) -> float:
        return self.monthly * months


def saving(baseline: Option, alternative: Option) -> float:
    """The share of the baseline's monthly cost the alternative saves (negative when it costs more)."""
    if baseline.monthly == 0:
        raise ValueError("the baseline costs nothing: a saving is undefined")
    return 1 - alternative.monthly / baseline.monthly


def what_the_saving_assumes(baseline: Option, alternative: Option) -> dict[str, float]:
    """Split a saving into its two causes: fewer nodes and a lower price per node.

    cost ratio = node ratio × price ratio, so the saving is explained by how much each
    ratio departs from 1. Returns the ratios and the saving each would give on its own.

    >>> parts = what_the_saving_assumes(Option("c", 30, 1108.37), Option("p", 3, 1108.33))
    >>> round(parts["node_ratio"], 3), round(parts["price_ratio"], 3)
    (0.1, 1.0)
    """
    node_ratio = alternative.nodes / baseline.nodes if baseline.nodes else float("inf")
    price_ratio = alternative.price_per_node / baseline.price_per_node if baseline.price_per_node else float("inf")
    return {"node_ratio": node_ratio, "price_ratio": price_ratio,
            "saving_from_nodes_alone": 1 - node_ratio, "saving_from_price_alone": 1 - price_ratio,
            "saving": saving(baseline, alternative)}


def break_even_nodes(baseline: Option, alternative: Option) -> float:
    """How many alternative nodes cost as much as the baseline (the node count at which the saving is zero)."""
    if alternative.price_per_node == 0:
        raise ValueError("the alternative's nodes are free: there is no break-even")
    return (baseline.monthly - alternative.fixed) / alternative.price_per_node
