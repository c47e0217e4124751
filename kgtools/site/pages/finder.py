"""The technology and case finders: combinable facets with counts, filtered in the browser from JSON made here.

Each facet is one SPARQL query over the graph returning (entity, value) pairs,
so a count the page shows is the number of distinct entities such a query
finds, never a number kept somewhere else. The data file beside the page
holds every entity's facet values, label, page and first sentence; the
browser (`assets/stackatlas/finder.js`) combines facets (OR within a facet,
AND across facets), counts, and keeps the state in the query string so a view
can be linked. Every string reaches the page through textContent.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from kgtools.graph.vocab import split_entity_iri
from kgtools.site.pages.compare import select
from kgtools.site.pages.escape import h, md, script_json, yaml_str
from kgtools.site.pages.i18n import t
from kgtools.site.pages.markup import Doc, Page

TECH_PAGE, CASE_PAGE = "technologies/finder", "cases/finder"
TECH_DATA, CASE_DATA = "technologies/finder-data.json", "cases/finder-data.json"
SCRIPT = "finder.js"

# facet key → query giving (?e, ?v): an entity and one of its values for that facet.
TECH_FACETS: dict[str, str] = {
    "category": "SELECT DISTINCT ?e ?v WHERE { ?e a sa:Technology ; sa:category ?v }",
    "license": "SELECT DISTINCT ?e ?v WHERE { ?e a sa:Technology ; schema:license ?v }",
    "written_in": "SELECT DISTINCT ?e ?v WHERE { ?e a sa:Technology ; sa:writtenIn ?v }",
    "implements": "SELECT DISTINCT ?e ?v WHERE { ?e a sa:Technology ; sa:implements ?v }",
}
TECH_CASES = """
SELECT ?e (COUNT(DISTINCT ?c) AS ?n) WHERE {
  ?e a sa:Technology .
  OPTIONAL { ?c a sa:Case ; sa:uses ?e }
} GROUP BY ?e
"""
CASE_FACETS: dict[str, str] = {
    "industry": "SELECT DISTINCT ?e ?v WHERE { ?e a sa:Case ; sa:industry ?v }",
    # A case is at level L when one of its usages (not deprecated) is: the best-backed part of its stack.
    "evidence": """SELECT DISTINCT ?e ?v WHERE {
      ?e a sa:Case ; sa:usage ?u . ?u sa:evidenceLevel ?v .
      FILTER NOT EXISTS { ?u sa:rank sa:DeprecatedRank } }""",
    "uses": "SELECT DISTINCT ?e ?v WHERE { ?e a sa:Case ; sa:uses ?v }",
    "applies": "SELECT DISTINCT ?e ?v WHERE { ?e a sa:Case ; sa:applies ?v }",
}
CASE_CHIPS, TECH_CHIPS = "industry", "category"
# "Used in N cases", in disjoint buckets so the counts add up to the number of technologies.
BUCKETS = ((0, 0, "0"), (1, 1, "1"), (2, 4, "2–4"), (5, 9, "5–9"), (10, None, "10+"))

_SENTENCE_END = re.compile(r"(?<=[。！？])|(?<=[.!?])\s+(?=[A-Z0-9\"'(“])")


def first_sentence(text: str) -> str:
    """The description's first sentence (Chinese or English), for a card."""
    text = " ".join(text.split())
    for match in _SENTENCE_END.finditer(text):
        if match.start() > 0:
            return text[:match.start()].strip()
    return text


def bucket(count: int) -> str:
    for low, high, key in BUCKETS:
        if count >= low and (high is None or count <= high):
            return key
    return BUCKETS[-1][2]


def facet_pairs(page: Page, query: str) -> list[tuple[str, str]]:
    """(entity IRI, value) pairs of one facet query, entities limited to those with pages."""
    rows = select(page.model.store, query)
    return [(str(r["e"]), str(r["v"])) for r in rows if r["e"] in page.model.entities and r["v"] is not None]


def value_key(value: str) -> str:
    """An entity value by its id (`workflow-engine`), a vocabulary term by its local name, a literal as it is."""
    parts = split_entity_iri(value)
    if parts:
        return parts[1]
    if value.startswith("https://w3id.org/stackatlas/ontology#"):
        return value.rsplit("#", 1)[1]
    return value


@dataclass
class Facet:
    key: str
    label: str
    values: dict[str, str]                 # value key → label
    links: dict[str, str]                  # value key → page of the value, where it has one
    ordered: bool = False                  # keep the values' own order (buckets), not alphabetical

    def as_json(self) -> dict[str, Any]:
        values = list(self.values.items())
        if not self.ordered:
            values.sort(key=lambda kv: (kv[1].casefold(), kv[0]))
        return {"key": self.key, "label": self.label, "ordered": self.ordered,
                "values": [{"key": k, "label": v, **({"url": self.links[k]} if k in self.links else {})}
                           for k, v in values]}


def _facets(page: Page, queries: dict[str, str], labels: dict[str, str]) -> tuple[list[Facet], dict[str, dict[str, list[str]]]]:
    """The facets and, per entity IRI, its value keys per facet."""
    model, lang = page.model, page.lang
    facets = []
    members: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for key, query in queries.items():
        facet = Facet(key, labels[key], {}, {})
        for entity, value in facet_pairs(page, query):
            k = value_key(value)
            members[entity][key].append(k)
            facet.values[k] = model.label(value, lang) if value.startswith(("http://", "https://")) else value
            if value in model.entities:
                facet.links[k] = page.href(page.entity_url(value))
        facets.append(facet)
    return facets, members


def _item(page: Page, iri: str, values: dict[str, list[str]], chips: list[str]) -> dict[str, Any]:
    entity = page.model.entities[iri]
    return {"id": entity.id, "label": entity.label(page.lang), "url": page.href(page.entity_url(iri)),
            "summary": first_sentence(entity.description(page.lang)), "chips": chips,
            "f": {k: sorted(set(v)) for k, v in sorted(values.items())}}


def technology_data(page: Page) -> dict[str, Any]:
    model, lang = page.model, page.lang
    labels = {k: t(f"finder.facet.{k}", lang) for k in (*TECH_FACETS, "cases")}
    facets, members = _facets(page, TECH_FACETS, labels)
    cases = {str(r["e"]): int(r["n"] or 0) for r in select(model.store, TECH_CASES)}
    facets.append(Facet("cases", labels["cases"], {key: key for _, _, key in BUCKETS}, {}, ordered=True))
    items = []
    for entity in model.sorted(model.of_kind("technology"), lang):
        values = members.get(entity.iri, {})
        values = {**values, "cases": [bucket(cases.get(entity.iri, 0))]}
        chips = [model.label(c, lang) for c in sorted(model.targets(entity.iri, "https://w3id.org/stackatlas/ontology#category"))]
        item = _item(page, entity.iri, values, sorted(chips, key=str.casefold))
        item["cases"] = cases.get(entity.iri, 0)
        items.append(item)
    return {"kind": "technology", "facets": [f.as_json() for f in facets], "items": items}


def case_data(page: Page) -> dict[str, Any]:
    model, lang = page.model, page.lang
    labels = {k: t(f"finder.facet.{k}", lang) for k in CASE_FACETS}
    facets, members = _facets(page, CASE_FACETS, labels)
    industry = next(f for f in facets if f.key == CASE_CHIPS)
    items = []
    for entity in model.sorted(model.of_kind("case"), lang):
        values = members.get(entity.iri, {})
        chips = sorted((industry.values[k] for k in set(values.get(CASE_CHIPS, []))), key=str.casefold)
        items.append(_item(page, entity.iri, values, chips))
    return {"kind": "case", "facets": [f.as_json() for f in facets], "items": items}


UI_KEYS = ("finder.filters", "finder.shown", "finder.clear", "finder.more", "finder.more_cards", "finder.none",
           "finder.compare", "finder.compare.go", "finder.compare.limit", "analysis.load_failed")


def finder_page(page: Page, kind: str) -> tuple[Doc, dict[str, bytes]]:
    """The finder page of `kind` ("technology" or "case") and its data file."""
    lang = page.lang
    data_path, data = (TECH_DATA, technology_data(page)) if kind == "technology" else (CASE_DATA, case_data(page))
    title = t(f"finder.{kind}", lang)
    doc = Doc(["---", f"title: {yaml_str(h(title))}", "hide:", "  - toc", "  - navigation", "sa_scripts:",
               f"  - {SCRIPT}", "---"])
    doc.md(f"# {md(title)}")
    text: dict[str, object] = {key: t(key, lang) for key in UI_KEYS}
    compare = page.href("technologies/compare.html") if kind == "technology" else ""
    doc.html(f'<p class="sa-intro">{h(t(f"finder.{kind}.intro", lang))}</p>',
             f'<div class="sa-finder" id="sa-finder" data-src="{h(page.href(data_path))}" data-kind="{h(kind)}"'
             f' data-compare="{h(compare)}">'
             '<aside class="sa-finder__facets" id="sa-finder-facets"></aside>'
             '<section class="sa-finder__main"><div class="sa-finder__bar" id="sa-finder-bar" aria-live="polite"></div>'
             '<ul class="sa-finder__grid" id="sa-finder-grid"></ul></section></div>'
             f'<noscript><p class="sa-empty">{h(t("analysis.noscript", lang))}</p></noscript>'
             f'<script type="application/json" id="sa-finder-text">{script_json(text)}</script>')
    return doc, {data_path: script_json(data).encode("utf-8")}
