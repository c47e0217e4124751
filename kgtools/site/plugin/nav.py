"""The navigation of each language: index pages only, never entity pages (see PERFORMANCE.md).

Every page carries the whole navigation, so listing ~600 entities in it would
make the site grow with the square of the corpus; entity pages are reached
from the index pages instead.
"""

from __future__ import annotations

from typing import Any

from kgtools.site.pages.i18n import t

NavItem = dict[str, "str | list[NavItem]"]


def navigation(lang: str, handwritten: list[str]) -> list[NavItem]:
    """Home, browse, compare, graph, glossary, downloads, then the other hand-written pages."""
    def item(key: str, path: str) -> NavItem:
        return {t(key, lang): path}

    nav: list[NavItem] = []
    if "index.md" in handwritten:
        nav.append(item("home", "index.md"))
    nav.append({t("browse", lang): [
        item("kinds.technology", "technologies/index.md"),
        item("finder.technology", "technologies/finder.md"),
        item("kinds.concept", "concepts/index.md"),
        item("kinds.case", "cases/index.md"),
        item("finder.case", "cases/finder.md"),
        item("browse.by_technology", "cases/by-technology.md"),
        item("kinds.organization", "organizations/index.md"),
        item("kinds.source", "sources/index.md"),
        item("kinds.assessment", "assessments/index.md"),
        item("kinds.guide", "guides/index.md"),
        item("kinds.model", "models/index.md"),
        item("tags", "tags/index.md"),
    ]})
    nav.append({t("compare", lang): [
        item("compare.technologies", "technologies/compare.md"),
        item("compare.overview", "compare/index.md"),
        item("compare.benchmarks", "compare/benchmarks.md"),
        item("compare.ratings", "compare/fit.md"),
        item("compare.comparisons", "compare/comparisons.md"),
        item("compare.stacks", "compare/stacks.md"),
        item("compare.selection", "compare/selection.md"),
    ]})
    nav.append({t("graph", lang): [
        item("graph.whole", "graph/index.md"),
        item("graph.schemes", "graph/schemes.md"),
        item("graph.categories", "graph/categories.md"),
    ]})
    nav.append({t("analysis", lang): [
        item("analysis.insights", "analysis/insights.md"),
        item("analysis.advisor", "analysis/advisor.md"),
        item("analysis.quality", "analysis/quality.md"),
        item("analysis.performance", "analysis/performance.md"),
    ]})
    nav.append(item("glossary", "glossary.md"))
    nav.append(item("downloads", "downloads.md"))
    nav.append(item("history.recent", "recent.md"))
    nav.append({t("research", lang): [
        item("query", "query.md"),
        item("query.saved", "saved-queries.md"),
        *([item("researchers", "researchers.md")] if "researchers.md" in handwritten else []),
    ]})
    others = [p for p in sorted(handwritten) if p not in ("index.md", "researchers.md")]
    if others:
        nav.append({t("about", lang): others})
    return nav


def hide_empty_navigation(page: Any) -> None:
    """Hide the left navigation of a page that sits in no section of it (an entity page, the home page, a top-level
    page): with navigation tabs Material shows only the current tab's section there, so for such a page the column
    stays empty at desktop widths and the content gets the room instead. Phones keep the drawer (site.css)."""
    if page.parent is not None:
        return
    hide = page.meta.get("hide") or []
    if "navigation" not in hide:
        page.meta["hide"] = [*hide, "navigation"]
