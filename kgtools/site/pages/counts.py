"""Every count the site prints, from one place: the home page, the index pages and the glossary read these.

Two pages used to count the same thing two ways (concepts with and without
their schemes; two SPARQL definitions of a disagreement), so they disagreed.
Here each count has one definition: entities are the ones the index page of
their kind lists (from the site model), graph-wide figures are `kg stats`'s
(`collect_stats`, SPARQL over the graph, computed once per build). Each count
carries `data-count="<name>"` in the HTML, so a test can compare pages.
"""

from __future__ import annotations

from kgtools.site.pages.model import Entity, SiteModel
from kgtools.site.pages.numbers import count_html

# Graph-wide figures of the home page's line, in order: (name in `kg stats`, i18n key of its label).
GRAPH_FIGURES = (
    ("triples", "counts.triples"),
    ("entity_relations", "counts.relations"),
    ("citations", "counts.citations"),
    ("measurements", "counts.measurements"),
    ("schemes", "counts.schemes"),
    ("public_reference_share", "counts.public_share"),
    ("disagreements", "counts.disagreements"),
)


def members(model: SiteModel, kind: str) -> list[Entity]:
    """The entities a kind's index page lists: concepts without their schemes, schemes on their own."""
    if kind == "concept":
        return [c for c in model.of_kind("concept") if not c.is_scheme]
    if kind == "scheme":
        return [c for c in model.of_kind("concept") if c.is_scheme]
    return model.of_kind(kind)


def kind_count(model: SiteModel, kind: str) -> int:
    return len(members(model, kind))


def graph_figure(model: SiteModel, name: str) -> int | float:
    """One of `kg stats`'s figures (schemes counted as the concepts index groups them)."""
    if name == "schemes":
        return kind_count(model, "scheme")
    value = model.stats.get(name, 0)
    return value if isinstance(value, int | float) else 0


def count_span(value: int, lang: str, name: str, cls: str = "") -> str:
    """A count as HTML in the reader's form (万 in zh, 1,234 in en), marked with the thing it counts."""
    inner = count_html(value, lang)
    klass = f' class="{cls}"' if cls else ""
    return f'<span{klass} data-count="{name}" data-value="{value}">{inner}</span>'
