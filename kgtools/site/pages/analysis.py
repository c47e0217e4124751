"""The analysis pages of one language: Insights, Advisor, Data quality and Performance, with the files they publish.

Insights and Advisor compute in the browser from data exported here as JSON
files beside the page (kept out of the HTML so the pages stay small); the
Performance page publishes the saved benchmark plot. All of it is made from
the graph the site is built from, except the benchmark results, which are
measured outside the build (see performance_page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kgtools.insights.analytics import entity_graph
from kgtools.site.pages.advisor_page import advisor_page
from kgtools.site.pages.insights_page import insights_page
from kgtools.site.pages.markup import Doc, Page
from kgtools.site.pages.model import SiteModel
from kgtools.site.pages.performance_page import performance_page
from kgtools.site.pages.quality_page import quality_page

PAGES = ("analysis/insights", "analysis/advisor", "analysis/quality", "analysis/performance")


@dataclass
class Analysis:
    pages: list[tuple[str, Doc]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)   # path under the language root → content


def analysis_pages(model: SiteModel, page: Callable[[str], Page], project_root: Path | None) -> Analysis:
    out = Analysis()
    insights, advisor, quality, performance = PAGES
    doc, files = insights_page(page(insights), entity_graph(model.store))
    out.pages.append((insights, doc))
    out.files.update(files)
    doc, files = advisor_page(page(advisor))
    out.pages.append((advisor, doc))
    out.files.update(files)
    out.pages.append((quality, quality_page(page(quality))))
    doc, files = performance_page(page(performance), project_root)
    out.pages.append((performance, doc))
    out.files.update(files)
    return out
