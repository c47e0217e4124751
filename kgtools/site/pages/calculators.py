"""Calculators beside the concepts they explain: the M/M/c queue on the queueing concept pages.

The page carries a form that `assets/stackatlas/queueing.js` computes in the
browser (a port of `kgtools.models.queueing`), and a worked example that
Python computes at build time from the figures the queueing model record
names (`sa:usesFigure`), each input cited: the documents' Temporal benchmark
gives a throughput and a P99, and the example asks how many workers a queue
needs to serve that throughput within that P99.
The service time is the reader's assumption and is labelled as one.
"""

from __future__ import annotations

from kgtools.models import queueing
from kgtools.site.pages.escape import h, script_json
from kgtools.site.pages.i18n import t
from kgtools.site.pages.markup import Page
from kgtools.site.pages.model import SA, Entity, Statement

QUEUEING_CONCEPTS = frozenset({"mmc-queue", "mm1-queue", "queueing-theory", "queueing-network", "littles-law"})
SCRIPT = "queueing.js"
COST_SCRIPT = "cost.js"
COST_COMPARISON = SA + "CostComparison"
EXAMPLE_SERVICE_MS = 20.0     # the assumed mean work per task in the worked example (P99 of service alone ≈ 92 ms)
UTILISATION_CAP = 0.7         # the documents' CPU < 70% rule (000 §4)
METRIC, VALUE, UNIT = SA + "metric", "https://schema.org/value", "https://schema.org/unitText"


def wants_calculator(entity: Entity) -> bool:
    return entity.kind == "concept" and entity.id in QUEUEING_CONCEPTS


def scripts_for(entity: Entity) -> list[str]:
    """The calculator scripts an entity's page loads."""
    if wants_calculator(entity):
        return [SCRIPT]
    if entity.kind == "assessment" and COST_COMPARISON in entity.classes:
        return [COST_SCRIPT]
    return []


def cost_calculator(page: Page, entity: Entity) -> str:
    """Node counts and price per node for each technology of a cost comparison, defaults from its figures."""
    lang = page.lang
    monthly: dict[str, Statement] = {}
    nodes: dict[str, Statement] = {}
    for s in page.model.statements.get(entity.iri, []):
        tech, metric = s.iri_of(SA + "technology"), s.iri_of(METRIC) or ""
        if s.cls != SA + "Measurement" or not tech or s.deprecated or not s.text(VALUE, lang):
            continue
        if metric.endswith("/monthly-cost"):
            monthly.setdefault(tech, s)
        elif metric.endswith("/node-count"):
            nodes.setdefault(tech, s)
    techs = sorted(set(monthly) & set(nodes))
    if len(techs) < 2:
        return ""
    rows, data = [], []
    for tech in techs:
        count, cost = float(nodes[tech].text(VALUE, lang)), float(monthly[tech].text(VALUE, lang))
        ident = tech.rsplit("/", 1)[-1]
        label = page.model.label(tech, lang)
        data.append({"id": ident, "label": label})
        rows.append(f'<fieldset><legend>{page.link(tech)} {page.badge(nodes[tech].citations + monthly[tech].citations)}'
                    f"{page.cite(nodes[tech].citations + monthly[tech].citations)}</legend>"
                    f'<label>{h(t("cost.nodes", lang))} <input name="n-{h(ident)}" type="number" min="0" step="1" '
                    f'value="{count:g}" inputmode="decimal"></label>'
                    f'<label>{h(t("cost.price", lang))} <input name="p-{h(ident)}" type="number" min="0" step="0.01" '
                    f'value="{cost / count:.2f}" inputmode="decimal"></label></fieldset>')
    text = {"technologies": data, "invalid": t("calc.invalid", lang), "perMonth": t("cost.per_month", lang),
            "saving": t("cost.saving", lang)}
    return (f'<div class="sa-tool sa-calc"><form id="sa-cost" autocomplete="off">{"".join(rows)}</form>'
            f'<div id="sa-cost-result" aria-live="polite"></div>'
            f'<p class="sa-calc__note">{h(t("cost.note", lang))}</p></div>'
            f'<script type="application/json" id="sa-cost-text">{script_json(text)}</script>')


def _model_figures(page: Page) -> list[Statement]:
    """The figures the queueing models of the graph use (`sa:usesFigure`), in their records' order."""
    figures = []
    for entity in page.model.of_kind("model"):
        if SA + "QueueingModel" in entity.classes:
            # another record's figure among the model's statements is one it uses (sa:usesFigure)
            figures += [s for s in page.model.statements.get(entity.iri, [])
                        if s.cls == SA + "Measurement" and not s.iri.startswith(entity.iri + "#")]
    return figures


def _figure(figures: list[Statement], metric: str, unit: str, lang: str) -> Statement | None:
    """The first figure for `metric` in `unit` that is not deprecated."""
    return next((s for s in figures if (s.iri_of(METRIC) or "").endswith("/" + metric)
                 and s.text(UNIT, lang) == unit and s.text(VALUE, lang) and not s.deprecated), None)


def worked_example(page: Page) -> str:
    """How many workers the documents' Temporal throughput and P99 imply, under a stated service-time assumption."""
    figures = _model_figures(page)
    rate = _figure(figures, "throughput", "tasks/s", page.lang)
    p99 = _figure(figures, "p99-latency", "ms", page.lang)
    if rate is None or p99 is None:
        return ""
    arrival, bound_ms = float(rate.text(VALUE, page.lang)), float(p99.text(VALUE, page.lang))
    service = EXAMPLE_SERVICE_MS / 1000
    try:
        servers = queueing.servers_for_percentile(arrival, service, 0.99, bound_ms / 1000, UTILISATION_CAP)
    except queueing.Unstable:
        return ""
    queue = queueing.mmc(arrival, service, servers)
    values = {
        "rate": f"{arrival:g}", "bound": f"{bound_ms:g}", "service": f"{EXAMPLE_SERVICE_MS:g}",
        "cap": f"{UTILISATION_CAP:.0%}", "servers": str(servers), "util": f"{queue.utilisation:.1%}",
        "p99": f"{queue.response_percentile(0.99) * 1000:.1f}", "wait": f"{queue.wait_probability:.1%}",
    }
    sentence = h(t("calc.example", page.lang, **values))
    cites = (f'{page.link(rate.owner)} {page.badge(rate.citations)} {page.cite(rate.citations)}'
             f'{page.cite(p99.citations)}')
    return f'<p class="sa-calc__example">{sentence}</p><p class="sa-calc__inputs">{h(t("calc.inputs", page.lang))} {cites}</p>'


def queueing_calculator(page: Page) -> str:
    lang = page.lang
    text = {key: t(f"calc.{key}", lang) for key in (
        "utilisation", "waitProbability", "meanWait", "meanResponse", "inSystem", "needed", "unstable", "invalid",
        "chart", "axisLoad", "axisP99", "none")}
    fields = [("arrival", "calc.arrival", "100", "0.1"), ("service", "calc.service", "50", "0.1"),
              ("servers", "calc.servers", "8", "1"), ("bound", "calc.bound", "200", "1")]
    inputs = "".join(
        f'<label>{h(t(label, lang))} <input name="{name}" type="number" min="0" step="{step}" value="{default}" '
        f'inputmode="decimal"></label>' for name, label, default, step in fields)
    return (f'<div class="sa-tool sa-calc">'
            f'<form id="sa-queueing" autocomplete="off">{inputs}</form>'
            f'<div id="sa-queueing-result" aria-live="polite"></div>'
            f'<div id="sa-queueing-chart" class="sa-calc__chart"></div>'
            f'<p class="sa-calc__note">{h(t("calc.note", lang))}</p>'
            f"{worked_example(page)}</div>"
            f'<script type="application/json" id="sa-queueing-text">{script_json(text)}</script>')
