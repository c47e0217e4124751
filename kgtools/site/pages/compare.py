"""Comparison tables queried from the graph: benchmarks, fit matrices, comparisons, recommended stacks, weights.

Each table is the result of one SPARQL query below, laid out as rows and
columns; the figures in the cells are the values those queries return, so a
page can never hold a number the graph does not. Citations come from the
statement nodes the rows name.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from kgtools.query.engine import PREFIX_IRIS
from kgtools.site.pages.claims import evidence
from kgtools.site.pages.escape import h
from kgtools.site.pages.i18n import t
from kgtools.site.pages.markup import Page, table
from kgtools.site.pages.model import SA, Statement
from kgtools.site.pages.numbers import decimal_text, format_figure_html

MEASUREMENT_CELLS = """
SELECT ?assessment ?m ?technology ?metric ?value ?min ?max ?unit ?qualifier ?text_zh ?text_en
       (GROUP_CONCAT(STR(?with); separator=" ") AS ?config)
WHERE {
  ?assessment a sa:Assessment ; sa:measurement ?m .
  ?m sa:metric ?metric .
  OPTIONAL { ?m sa:technology ?technology }
  OPTIONAL { ?m sa:configuration ?with }
  OPTIONAL { ?m schema:value ?value }
  OPTIONAL { ?m schema:minValue ?min }
  OPTIONAL { ?m schema:maxValue ?max }
  OPTIONAL { ?m schema:unitText ?unit }
  OPTIONAL { ?m sa:qualifier ?qualifier }
  OPTIONAL { ?m sa:textValue ?text_zh FILTER(LANG(?text_zh) = "zh") }
  OPTIONAL { ?m sa:textValue ?text_en FILTER(LANG(?text_en) = "en") }
}
GROUP BY ?assessment ?m ?technology ?metric ?value ?min ?max ?unit ?qualifier ?text_zh ?text_en
"""

RATING_CELLS = """
SELECT ?assessment ?r ?technology ?criterion ?score ?scale ?scenario WHERE {
  ?assessment a sa:Assessment ; sa:rating ?r .
  ?r sa:technology ?technology ; sa:criterion ?criterion ; sa:score ?score .
  OPTIONAL { ?r sa:scaleMax ?scale }
  BIND(EXISTS { ?criterion skos:inScheme concept:scenarios } AS ?scenario)
}
"""

STACK_COMPONENTS = """
SELECT ?assessment ?c ?technology ?role_zh ?role_en WHERE {
  ?assessment a sa:Assessment ; sa:component ?c .
  ?c sa:technology ?technology .
  OPTIONAL { ?c sa:role ?role_zh FILTER(LANG(?role_zh) = "zh") }
  OPTIONAL { ?c sa:role ?role_en FILTER(LANG(?role_en) = "en") }
}
"""

DIMENSION_WEIGHTS = """
SELECT ?assessment ?w ?dimension ?weight WHERE {
  ?assessment a sa:Assessment ; sa:weight ?w .
  ?w sa:dimension ?dimension ; schema:value ?weight .
}
"""

ASSESSMENT_TYPES = """
SELECT ?assessment ?type WHERE {
  ?assessment a sa:Assessment .
  OPTIONAL { ?assessment a ?type FILTER(?type != sa:Assessment) }
}
"""

# Which comparison page shows the measurement tables of each type of assessment.
PAGES = ("benchmarks", "fit", "comparisons", "stacks", "selection")
PAGE_TITLES = {"benchmarks": "compare.benchmarks", "fit": "compare.ratings", "comparisons": "compare.comparisons",
               "stacks": "compare.stacks", "selection": "compare.selection"}
TABLE_PAGE = {SA + "Benchmark": "benchmarks", SA + "Comparison": "comparisons", SA + "CostComparison": "comparisons",
              SA + "FitMatrix": "fit", SA + "RecommendedStack": "stacks", SA + "SelectionModel": "selection"}


@dataclass
class Row:
    """One query solution: variable name → IRI or literal text (None where unbound)."""

    values: dict[str, str | None]

    def __getitem__(self, name: str) -> str | None:
        return self.values.get(name)


def select(store: ox.Store, query: str) -> list[Row]:
    result = store.query(query, prefixes=PREFIX_IRIS)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [Row({n: (row[n].value if row[n] is not None else None) for n in names}) for row in result]


def _by_assessment(rows: list[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[str(row["assessment"])].append(row)
    return grouped


def _position(iri: str | None) -> tuple[int, str]:
    tail = (iri or "").rsplit("-", 1)[-1]
    return (int(tail) if tail.isdigit() else 0, iri or "")


def _statement(page: Page, owner: str, iri: str | None) -> Statement | None:
    for statement in page.model.statements.get(owner, []):
        if statement.iri == iri:
            return statement
    return None


def _tech_key(row: Row) -> tuple[str, tuple[str, ...]]:
    config = tuple(sorted((row["config"] or "").split()))
    return (str(row["technology"] or ""), config)


def _tech_label(page: Page, key: tuple[str, tuple[str, ...]]) -> str:
    tech, config = key
    text = page.link(tech) if tech else "—"
    if config:
        text += f' <span class="sa-with">+ {page.links(config)}</span>'
    return text


def measurement_table(page: Page, assessment: str, rows: list[Row]) -> str:
    """Technologies (with their pairing) down, metrics across, figures in the cells."""
    rows = sorted(rows, key=lambda r: _position(r["m"]))
    techs: list[tuple[str, tuple[str, ...]]] = []
    metrics: list[str] = []
    cells: dict[tuple[tuple[str, tuple[str, ...]], str], list[str]] = defaultdict(list)
    for row in rows:
        key, metric = _tech_key(row), str(row["metric"])
        if key not in techs:
            techs.append(key)
        if metric not in metrics:
            metrics.append(metric)
        words = row["text_zh"] if page.lang == "zh" else row["text_en"]
        text = format_figure_html(row["value"], row["min"], row["max"], row["unit"], row["qualifier"],
                                  words or row["text_en"] or row["text_zh"] or "", page.lang, page.model.units)
        statement = _statement(page, assessment, row["m"])
        cite = page.cite(statement.citations) if statement else ""
        cells[(key, metric)].append(f'{text}{cite}')
    head = [h(t("claim.technology", page.lang))] + [page.link(m) for m in metrics]
    body = [[_tech_label(page, key)] + ["<br>".join(cells.get((key, m), [])) for m in metrics] for key in techs]
    return table(head, body, "sa-matrix", search=False)


def rating_table(page: Page, assessment: str | None, rows: list[Row]) -> str:
    """Technologies down, criteria (scenarios or dimensions) across, scores with stars in the cells.

    With `assessment` None the rows come from several assessments: each score links to
    its assessment, by name where a cell holds more than one.
    """
    techs: list[str] = []
    criteria: list[str] = []
    cells: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (str(r["assessment"]), _position(r["r"]))):
        tech, criterion = str(row["technology"]), str(row["criterion"])
        if tech not in techs:
            techs.append(tech)
        if criterion not in criteria:
            criteria.append(criterion)
        value = decimal_text(str(row["score"]))
        scale = decimal_text(str(row["scale"])) if row["scale"] else ""
        owner = str(row["assessment"])
        statement = _statement(page, owner, row["r"])
        stars = _stars(value, scale)
        text = f'<span class="sa-figure">{h(value + ("/" + scale if scale else ""))}</span>'
        if stars:
            text = f'<span class="sa-stars" aria-hidden="true">{stars}</span> ' + text
        cells[(tech, criterion)].append((owner, text + (page.cite(statement.citations) if statement else "")))

    def cell(entries: list[tuple[str, str]]) -> str:
        if not entries:
            return "—"
        if assessment is not None:
            return "<br>".join(text for _, text in entries)
        if len(entries) == 1:
            owner, text = entries[0]
            return text + f' <span class="sa-from">{page.link(owner, "↗")}</span>'
        return "<br>".join(f'{text} <span class="sa-from">{page.link(owner)}</span>' for owner, text in entries)

    head = [h(t("claim.technology", page.lang))] + [page.link(c) for c in criteria]
    body = [[page.link(tech)] + [cell(cells.get((tech, c), [])) for c in criteria] for tech in techs]
    return table(head, body, "sa-matrix", search=False)


def _stars(value: str, scale: str) -> str:
    try:
        number, top = int(value), int(scale)
    except ValueError:
        return ""
    return "★" * number + "☆" * (top - number) if 0 <= number <= top <= 10 else ""


def component_table(page: Page, assessment: str, rows: list[Row]) -> str:
    body = []
    for row in sorted(rows, key=lambda r: _position(r["c"])):
        role = (row["role_zh"] if page.lang == "zh" else row["role_en"]) or row["role_en"] or row["role_zh"] or ""
        statement = _statement(page, assessment, row["c"])
        body.append([page.link(str(row["technology"])), h(role), evidence(page, statement) if statement else ""])
    return table([h(t(k, page.lang)) for k in ("claim.technology", "claim.role", "claim.evidence")], body,
                 search=False)


def weight_table(page: Page, assessment: str, rows: list[Row]) -> str:
    body = [[page.link(str(row["dimension"])), f'<span class="sa-figure">{h(decimal_text(str(row["weight"])))}</span>']
            for row in sorted(rows, key=lambda r: _position(r["w"]))]
    return table([h(t("claim.dimension", page.lang)), h(t("claim.weight", page.lang))], body, search=False)


@dataclass
class Tables:
    """Every comparison table of the graph, queried once per build."""

    types: dict[str, set[str]]
    measurements: dict[str, list[Row]]
    ratings: dict[str, list[Row]]
    components: dict[str, list[Row]]
    weights: dict[str, list[Row]]

    def page_of(self, assessment: str) -> str:
        for cls in sorted(self.types.get(assessment, set())):
            if cls in TABLE_PAGE:
                return TABLE_PAGE[cls]
        return "comparisons"

    def assessments_on(self, name: str) -> list[str]:
        if name == "fit":
            return sorted(set(self.ratings) | {a for a in self.types if self.page_of(a) == "fit"})
        return sorted(a for a in self.types if self.page_of(a) == name)

    def blocks(self, page: Page, assessment: str, only: str | None = None) -> list[str]:
        """The tables of one assessment: all of them (its own page) or those a comparison page `only` shows."""
        out = []
        if only != "fit":
            if assessment in self.measurements:
                out.append(measurement_table(page, assessment, self.measurements[assessment]))
            if assessment in self.components:
                out.append(component_table(page, assessment, self.components[assessment]))
            if assessment in self.weights:
                out.append(weight_table(page, assessment, self.weights[assessment]))
        if only in (None, "fit") and assessment in self.ratings:
            out.append(rating_table(page, assessment, self.ratings[assessment]))
        return out

    def scenario_ratings(self) -> list[Row]:
        return [row for rows in self.ratings.values() for row in rows if row["scenario"] == "true"]


def query_tables(store: ox.Store) -> Tables:
    types: dict[str, set[str]] = defaultdict(set)
    for row in select(store, ASSESSMENT_TYPES):
        types[str(row["assessment"])].update({row["type"]} if row["type"] else set())
    return Tables(
        types=dict(types),
        measurements=_by_assessment(select(store, MEASUREMENT_CELLS)),
        ratings=_by_assessment(select(store, RATING_CELLS)),
        components=_by_assessment(select(store, STACK_COMPONENTS)),
        weights=_by_assessment(select(store, DIMENSION_WEIGHTS)),
    )
