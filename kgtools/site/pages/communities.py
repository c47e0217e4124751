"""Communities as the site shows them: one colour each, the same on every page, named after their leading member.

`kg build` writes every entity's Louvain community (`sa:community`, numbered
by size, largest first) and PageRank (`sa:pageRank`) into the graph
(kgtools.analytics). The Insights page lists the communities and every graph
view can colour its nodes by them; both read the numbers from the graph
through the site model and take colours from here, so community 3 is the same
colour wherever it appears. Only the largest communities get a colour of
their own; the long tail (mostly single entities with no relation) shares a
neutral grey.
"""

from __future__ import annotations

from dataclasses import dataclass

from kgtools.site.pages.model import SA, Entity, SiteModel

PAGE_RANK = SA + "pageRank"
COMMUNITY = SA + "community"
# Qualitative colours, distinguishable from one another on light and dark backgrounds.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#edc948",
           "#76b7b2", "#ff9da7", "#9c755f", "#17becf", "#bcbd22", "#6b6ecf")
OTHER_COLOUR = "#b0bec5"


@dataclass(frozen=True)
class Community:
    number: int
    members: tuple[str, ...]   # entity IRIs, highest PageRank first

    @property
    def colour(self) -> str:
        return colour(self.number)

    @property
    def leader(self) -> str:
        return self.members[0]


def colour(number: int | None) -> str:
    return PALETTE[number - 1] if number is not None and 1 <= number <= len(PALETTE) else OTHER_COLOUR


def _number(entity: Entity, predicate: str) -> float | None:
    for name, value in entity.facts:
        if name == predicate:
            try:
                return float(value.value)
            except ValueError:
                return None
    return None


def page_rank(entity: Entity) -> float:
    return _number(entity, PAGE_RANK) or 0.0


def community_of(entity: Entity) -> int | None:
    number = _number(entity, COMMUNITY)
    return int(number) if number is not None else None


_last: tuple[SiteModel, dict[int, Community]] | None = None


def communities(model: SiteModel) -> dict[int, Community]:
    """Every community in the graph by number (computed once per model: graph views ask for it on every page)."""
    global _last
    if _last is not None and _last[0] is model:
        return _last[1]
    members: dict[int, list[Entity]] = {}
    for entity in model.entities.values():
        number = community_of(entity)
        if number is not None:
            members.setdefault(number, []).append(entity)
    found = {number: Community(number, tuple(e.iri for e in sorted(items, key=lambda e: (-page_rank(e), e.iri))))
             for number, items in sorted(members.items())}
    _last = (model, found)
    return found


def name(model: SiteModel, community: Community, lang: str) -> str:
    """`#3 Apache Kafka`: the number the graph holds and the label of its highest-ranked member."""
    return f"#{community.number} {model.label(community.leader, lang)}"


def view_legend(model: SiteModel, iris: list[str], lang: str, other_name: str) -> dict[str, object]:
    """What a graph view needs to colour its nodes by community: colours by number, and legend entries.

    Communities with a colour of their own are listed by number; the rest are
    one "other" entry (number null) in grey. graph.js counts the nodes of each
    entry among those shown.
    """
    present = {n for iri in iris if (n := community_of(model.entities[iri])) is not None}
    found = communities(model)
    coloured = sorted(n for n in present if colour(n) != OTHER_COLOUR and n in found)
    legend: list[list[object]] = [[n, name(model, found[n], lang), colour(n)] for n in coloured]
    if present - set(coloured):
        legend.append([None, other_name, OTHER_COLOUR])
    return {"colours": {str(n): colour(n) for n in coloured}, "other": OTHER_COLOUR, "legend": legend}
