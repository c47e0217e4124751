"""The Advisor page: `kg advise` in the browser, over `advisor_data(store)` exported at build time.

The page holds the form (scenario, requirements, one slider per dimension
weight, defaulting to the documents' weights) and
`assets/stackatlas/advisor.js` ranks the candidates with a line-by-line port
of kgtools.advisor's scoring: same candidates, same parts, means,
renormalisation, coverage and order. The data file beside the page is
`advisor_data(store)` unchanged under `advisor`, plus what only a web page
needs: each source's label and page, the anchor of each cited section, and the
page of each technology and concept, all relative to the page.
"""

from __future__ import annotations

from typing import Any

from kgtools.insights.advisor import CONDITIONS, DIMENSIONS, advisor_data
from kgtools.site.pages import urls
from kgtools.site.pages.escape import h, md, script_json, yaml_str
from kgtools.site.pages.i18n import t
from kgtools.site.pages.markup import Doc, Page
from kgtools.site.pages.model import PUBLIC_KINDS

DATA_ASSET = "analysis/advisor-data.json"
UI_KEYS = ("advisor.ranking", "advisor.tree", "advisor.tree.none", "advisor.tree.chosen", "advisor.tree.chosen.title", "advisor.technology",
           "advisor.total", "advisor.coverage", "advisor.evidence", "advisor.no_data", "advisor.none",
           "advisor.part.rating", "advisor.part.latency", "advisor.part.adoption", "advisor.part.cases",
           "advisor.note.latency", "insights.rank", "analysis.load_failed", "advisor.bound.meets", "advisor.bound.breaks",
           "advisor.bound.unknown", "advisor.bound.none", "advisor.bound.nobody")


def _by_id(page: Page, kind: str) -> dict[str, str]:
    return {e.id: e.iri for e in page.model.of_kind(kind)}


def page_data(page: Page, data: dict[str, Any]) -> dict[str, Any]:
    """advisor_data plus links: sources (label, page, public?), section anchors, and entity pages, for this page."""
    model, lang = page.model, page.lang
    sources = _by_id(page, "source")
    cited = {r["source"] for key in ("rules", "ratings", "latencies") for r in data[key]}
    cited |= {source for source, _ in data["weight_citations"]}
    locators = {r["locator"] for key in ("rules", "ratings", "latencies") for r in data[key]}
    locators |= {locator for _, locator in data["weight_citations"]}
    named = _by_id(page, "technology") | _by_id(page, "concept")
    wanted = set(data["labels"]) | set(data["adoption"]) | {r["technology"] for r in data["ratings"]}
    return {
        "advisor": data,
        "sources": {s: {"label": model.label(sources[s], lang), "url": page.href(page.entity_url(sources[s])),
                        "public": model.source_kind.get(sources[s]) in PUBLIC_KINDS}
                    for s in sorted(cited) if s in sources},
        "anchors": {locator: urls.anchor(locator) for locator in sorted(locators)},
        "pages": {i: page.href(page.entity_url(named[i])) for i in sorted(wanted) if i in named},
    }


def _form(page: Page, data: dict[str, Any]) -> str:
    lang = page.lang

    def label(record_id: str) -> str:
        names = data["labels"].get(record_id, {})
        return names.get(lang) or names.get("en") or record_id

    scenarios = sorted(data["scenarios"], key=lambda s: (label(s).casefold(), s))
    options = "".join(f'<option value="{h(s)}">{h(label(s))}</option>' for s in scenarios)
    top = max([1.0, *data["weights"].values()])
    sliders = []
    for dimension in DIMENSIONS:
        weight = data["weights"].get(dimension, 0.0)
        sliders.append(f'<label class="sa-weight"><span class="sa-weight__name">{h(label(dimension))}</span>'
                       f'<input type="range" name="w-{h(dimension)}" min="0" max="{top:g}" step="any" value="{weight!r}" '
                       f'data-default="{weight!r}" aria-label="{h(label(dimension))}">'
                       f'<output class="sa-weight__value">{weight:.2f}</output></label>')
    sources = _by_id(page, "source")
    cited = "; ".join(page.citation_line(sources[s], loc) if s in sources else h(f"{s} § {loc}")
                      for s, loc in data["weight_citations"])

    def select(name: str, choices: list[tuple[str, str]]) -> str:
        return f'<select name="{name}">' + "".join(f'<option value="{v}">{h(text)}</option>' for v, text in choices) + \
            "</select>"

    return (
        f'<form class="sa-tool sa-advisor" id="sa-advisor" data-src="{h(page.href(DATA_ASSET))}" autocomplete="off">'
        f'<fieldset class="sa-advisor__scenario"><legend>{h(t("advisor.scenario", lang))}</legend>'
        f'<select name="scenario" aria-label="{h(t("advisor.scenario", lang))}">{options}</select></fieldset>'
        f'<fieldset class="sa-advisor__needs"><legend>{h(t("advisor.requirements", lang))}</legend>'
        f'<label>{h(t("advisor.latency", lang))} <input type="number" name="latency" min="0" step="any" '
        'inputmode="decimal" placeholder="—"></label>'
        f'<label>{h(t("advisor.state", lang))} '
        + select("state", [("", t("advisor.any", lang)), ("stateful", t("advisor.stateful", lang)),
                           ("stateless", t("advisor.stateless", lang))]) + "</label>"
        f'<label>{h(t("advisor.scale", lang))} '
        + select("scale", [("", t("advisor.any", lang)), ("tb", t("advisor.scale.tb", lang)),
                           ("pb", t("advisor.scale.pb", lang))]) + "</label>"
        f'<label class="sa-check"><input type="checkbox" name="cost"> {h(t("advisor.cost", lang))}</label>'
        f'<label class="sa-check"><input type="checkbox" name="write"> {h(t("advisor.write", lang))}</label>'
        "</fieldset>"
        f'<fieldset class="sa-advisor__weights"><legend>{h(t("advisor.weights", lang))}</legend>'
        + "".join(sliders)
        + f'<p class="sa-legend">{h(t("advisor.weights.from", lang))}{cited} '
        f'<button type="button" class="md-button sa-advisor__reset">{h(t("advisor.reset", lang))}</button></p>'
        "</fieldset></form>"
    )


def advisor_page(page: Page) -> tuple[Doc, dict[str, bytes]]:
    """The page, and the data file to publish beside it."""
    lang = page.lang
    data = advisor_data(page.model.store)
    title = t("analysis.advisor", lang)
    # No table of contents: the page has no sections, and the ranking table needs the width.
    doc = Doc(["---", f"title: {yaml_str(h(title))}", "hide:", "  - toc", "sa_scripts:", "  - advisor.js", "---"])
    doc.md(f"# {md(title)}")
    text: dict[str, object] = {key: t(key, lang) for key in UI_KEYS}
    text["when"] = {c: t(f"advisor.when.{c}", lang) for c in sorted(CONDITIONS)}
    text["dimensions"] = {d: (data["labels"].get(d, {}).get(lang) or d) for d in DIMENSIONS}
    doc.html(f'<p class="sa-intro">{h(t("advisor.intro", lang))}</p>', _form(page, data),
             f'<noscript><p class="sa-empty">{h(t("analysis.noscript", lang))}</p></noscript>'
             '<div class="sa-advisor__tree" id="sa-advisor-tree" aria-live="polite"></div>'
             '<div class="sa-advisor__result" id="sa-advisor-result"></div>'
             f'<details class="sa-advisor__how"><summary>{h(t("advisor.how.title", lang))}</summary>'
             f'<p>{h(t("advisor.how", lang))}</p></details>'
             f'<script type="application/json" id="sa-advisor-text">{script_json(text)}</script>')
    return doc, {DATA_ASSET: script_json(page_data(page, data)).encode("utf-8")}
