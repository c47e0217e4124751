"""`kg cost`: rework the graph's cost comparisons for the reader's node counts and prices.

Reads each cost-comparison assessment's monthly-cost and node-count figures per
technology (with their sources and evidence level), derives the price per node
they imply, and computes the monthly cost, the saving and what the saving
assumes with `kgtools.models.cost`. Inputs the reader overrides replace the
graph's; every other input is printed with its source, and inputs that rest on
the seed documents alone are called so.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kgtools.models.cost import Option, saving, what_the_saving_assumes
from kgtools.query.engine import PREFIX_IRIS

FIGURES = """
SELECT ?assessment ?label ?technology ?metric ?value ?source ?locator ?public WHERE {
  ?a a sa:CostComparison ; dcterms:identifier ?assessment ; skos:prefLabel ?label ; sa:measurement ?m .
  FILTER(lang(?label) = "en")
  ?m sa:technology/dcterms:identifier ?technology ; sa:metric/dcterms:identifier ?metric ; schema:value ?value ;
     sa:citation [ dcterms:source ?s ; sa:locator ?locator ] .
  ?s dcterms:identifier ?source .
  BIND(EXISTS { ?s a ?k . FILTER(?k IN (sa:PublicReference, sa:VendorCaseStudy, sa:Paper)) } AS ?public)
  FILTER(?metric IN ("monthly-cost", "node-count", "cost-saving"))
  FILTER NOT EXISTS { ?m sa:rank sa:DeprecatedRank }
} ORDER BY ?assessment ?technology ?metric ?source ?locator"""


@dataclass
class Input:
    value: float
    citations: list[tuple[str, str]] = field(default_factory=list)
    public: bool = False
    given_by_reader: bool = False

    def where(self) -> str:
        if self.given_by_reader:
            return "your input"
        cites = "; ".join(f"{s} § {loc}" for s, loc in dict.fromkeys(self.citations))
        return f"{cites} · {'public reference' if self.public else 'seed documents only'}"


@dataclass
class Comparison:
    assessment: str
    label: str
    monthly: dict[str, Input] = field(default_factory=dict)
    nodes: dict[str, Input] = field(default_factory=dict)
    stated_saving: dict[str, Input] = field(default_factory=dict)

    def technologies(self) -> list[str]:
        return sorted(set(self.monthly) & set(self.nodes))


def comparisons(store: ox.Store) -> dict[str, Comparison]:
    out: dict[str, Comparison] = {}
    for row in store.query(FIGURES, prefixes=PREFIX_IRIS):
        comp = out.setdefault(row["assessment"].value, Comparison(row["assessment"].value, row["label"].value))
        target = {"monthly-cost": comp.monthly, "node-count": comp.nodes, "cost-saving": comp.stated_saving}[row["metric"].value]
        entry = target.setdefault(row["technology"].value, Input(float(row["value"].value)))
        entry.citations.append((row["source"].value, row["locator"].value))
        entry.public = entry.public or row["public"].value == "true"
    return out


def parse_pairs(text: str | None) -> dict[str, float]:
    """`postgresql=10,apache-cassandra=30` → {name: number}."""
    out = {}
    for item in filter(None, (text or "").split(",")):
        name, _, value = item.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError as error:
            raise ValueError(f"`{item}` is not name=number") from error
    return out


def rework(comp: Comparison, nodes: dict[str, float], prices: dict[str, float]) -> dict[str, Any]:
    """Options from the graph's figures, with the reader's node counts and prices in place of the graph's."""
    options, inputs = {}, {}
    for tech in comp.technologies():
        graph_nodes, graph_monthly = comp.nodes[tech], comp.monthly[tech]
        per_node = Input(graph_monthly.value / graph_nodes.value, graph_monthly.citations + graph_nodes.citations,
                         graph_monthly.public and graph_nodes.public)
        node_input = Input(nodes[tech], given_by_reader=True) if tech in nodes else graph_nodes
        price_input = Input(prices[tech], given_by_reader=True) if tech in prices else per_node
        options[tech] = Option(tech, node_input.value, price_input.value)
        inputs[tech] = {"nodes": node_input, "price_per_node": price_input}
    return {"options": options, "inputs": inputs}


def render(comp: Comparison, result: dict[str, Any]) -> str:
    options: dict[str, Option] = result["options"]
    out = [f"comparison: {comp.assessment} ({comp.label})"]
    for tech, option in options.items():
        inputs = result["inputs"][tech]
        out.append(f"  {tech}: {option.nodes:g} nodes × USD {option.price_per_node:,.2f}/node = USD {option.monthly:,.0f}/month")
        out.append(f"    nodes from {inputs['nodes'].where()}")
        out.append(f"    price per node from {inputs['price_per_node'].where()}")
    if len(options) == 2:
        costly, cheap = sorted(options.values(), key=lambda o: -o.monthly)
        parts = what_the_saving_assumes(costly, cheap)
        out.append(f"  {cheap.name} instead of {costly.name} saves {saving(costly, cheap):.1%} a month")
        for tech, stated in comp.stated_saving.items():
            out.append(f"  the documents state a saving of {stated.value:g}% for {tech} [{stated.where()}]")
        out.append(f"  what it assumes: {cheap.name} runs {parts['node_ratio']:.3f}× the nodes at {parts['price_ratio']:.3f}× "
                   f"the price per node; nodes alone would save {parts['saving_from_nodes_alone']:.1%}, "
                   f"price alone {parts['saving_from_price_alone']:.1%}")
    documents_only = sorted({f"{tech} {name.replace('_', ' ')}" for tech, inputs in result["inputs"].items()
                             for name, i in inputs.items()
                             if not i.given_by_reader and not i.public})
    if documents_only:
        out.append("  inputs resting on the seed documents alone (no public source backs them): " + ", ".join(documents_only))
    return "\n".join(out)


def run_cost(store: ox.Store, assessment: str | None, nodes_text: str | None, prices_text: str | None, fmt: str) -> int:
    found = comparisons(store)
    if assessment is not None and assessment not in found:
        print(f"kg cost: no cost comparison `{assessment}` with node counts and monthly costs "
              f"[comparisons: {', '.join(sorted(found)) or 'none'}]", file=sys.stderr)
        return 1
    try:
        nodes, prices = parse_pairs(nodes_text), parse_pairs(prices_text)
    except ValueError as error:
        print(f"kg cost: {error}", file=sys.stderr)
        return 1
    chosen = [found[assessment]] if assessment else [c for c in found.values() if len(c.technologies()) >= 2]
    reports = []
    for comp in chosen:
        result = rework(comp, nodes, prices)
        if fmt == "json":
            reports.append({"assessment": comp.assessment, "options": {
                t: {"nodes": o.nodes, "price_per_node": o.price_per_node, "monthly": o.monthly}
                for t, o in result["options"].items()}})
        else:
            reports.append(render(comp, result))
    print(json.dumps(reports, indent=2) if fmt == "json" else "\n\n".join(reports))
    return 0
