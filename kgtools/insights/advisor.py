"""The selection advisor: the documents' decision tree plus the weighted score S(F) = Σ wᵢ·sᵢ(F).

Every input comes from the graph and is exported as plain data (`advisor_data`),
so `kg advise` and the site's Advisor page compute the same ranking from the
same numbers. Where each dimension's score comes from:

- functional fit: the technology's star rating for the scenario in the fit matrix;
- performance: its performance star rating, and its best P99 latency in the
  benchmark tables relative to the best candidate (min P99 / own P99);
- cost-effectiveness: its cost-effectiveness star rating;
- maintainability: maturity and community-activity star ratings, and adoption
  (cases using it, relative to the most-used candidate);
- scalability: a scalability rating, where one exists, and the benchmark
  tables' scaling and state-size columns (horizontal scaling 1; state of
  petabyte scale or unlimited 1, terabyte 0.75, gigabyte 0.5).

Candidates are the technologies the fit matrix rates for the scenario, those the
decision tree chooses, those the documents' tables say suit the scenario, and
those sharing a category with the scenario's best-rated technology. Weights are
normalised to sum to 1. A latency bound is a constraint, not a note: a candidate
with a cited P99 within the bound ranks above one whose cited P99s cannot show it
(no figure, or only "< X" with X above the bound), which ranks above one whose
cited P99 exceeds the bound; the figure and its source are shown for each.

Each dimension is the mean of the parts that have data. A dimension with no
data is reported as such and left out; the total is then Σ wᵢ·sᵢ over the
dimensions with data divided by the sum of their weights, and the coverage
(that sum) is shown beside it so a thin score is visible.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kgtools.query.engine import select_rows

DIMENSIONS = ["functional-fit", "performance", "cost-effectiveness", "maintainability", "scalability"]
CONDITIONS = {"any", "stateful", "stateless", "millisecond-latency", "second-latency", "terabyte-scale",
              "petabyte-scale", "cost-sensitive", "write-heavy"}


def advisor_data(store: ox.Store) -> dict[str, Any]:
    """Everything the advisor needs, as JSON-ready data with a citation for every input."""
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for row in select_rows(store, """SELECT ?id ?l ?lang WHERE { ?e a ?k ; dcterms:identifier ?id ; skos:prefLabel ?l .
                                 FILTER(?k IN (sa:Technology, skos:Concept)) BIND(lang(?l) AS ?lang) }"""):
        labels[row["id"]][row["lang"]] = row["l"]
    scenarios = sorted(r["id"] for r in select_rows(
        store, "SELECT ?id WHERE { ?c skos:inScheme concept:scenarios ; dcterms:identifier ?id }"))
    rules = select_rows(store, """SELECT ?scenario ?when ?after ?choose ?source ?locator WHERE {
        ?a sa:rule ?r . ?r sa:when ?when ; sa:choose/dcterms:identifier ?choose ;
                           sa:citation [ dcterms:source/dcterms:identifier ?source ; sa:locator ?locator ] .
        OPTIONAL { ?r sa:scenario/dcterms:identifier ?scenario } OPTIONAL { ?r sa:after/dcterms:identifier ?after }
      } ORDER BY ?scenario ?after ?when ?choose""")
    ratings = select_rows(store, """SELECT ?technology ?criterion ?score ?scale ?source ?locator WHERE {
        ?a sa:rating ?r . ?r sa:technology/dcterms:identifier ?technology ; sa:criterion/dcterms:identifier ?criterion ;
                          sa:score ?score ; sa:scaleMax ?scale ;
                          sa:citation [ dcterms:source/dcterms:identifier ?source ; sa:locator ?locator ] .
      } ORDER BY ?technology ?criterion ?source ?locator ?score""")
    latencies = select_rows(store, """SELECT ?technology ?value ?source ?locator WHERE {
        ?a a sa:Benchmark ; sa:measurement ?m .
        ?m sa:technology/dcterms:identifier ?technology ; sa:metric concept:p99-latency ; schema:value ?value ;
           schema:unitText "ms" ; sa:citation [ dcterms:source/dcterms:identifier ?source ; sa:locator ?locator ] .
        FILTER NOT EXISTS { ?m sa:condition ?c }
      } ORDER BY ?technology ?value ?source""")
    bounds = select_rows(store, """SELECT ?technology ?value ?qualifier ?condition ?source ?locator WHERE {
        { ?a a sa:Assessment } UNION { ?a a sa:Case }
        ?a sa:measurement ?m .
        ?m sa:technology/dcterms:identifier ?technology ; sa:metric concept:p99-latency ; schema:value ?value ;
           schema:unitText "ms" ; sa:citation [ dcterms:source/dcterms:identifier ?source ; sa:locator ?locator ] .
        OPTIONAL { ?m sa:qualifier ?qualifier }
        OPTIONAL { ?m sa:condition ?condition . FILTER(lang(?condition) = "en") }
        FILTER NOT EXISTS { ?m sa:rank sa:DeprecatedRank }
      } ORDER BY ?technology ?value ?source ?locator""")
    scaling = select_rows(store, """SELECT ?technology ?metric ?text ?source ?locator WHERE {
        ?a a sa:Benchmark ; sa:measurement ?m .
        ?m sa:technology/dcterms:identifier ?technology ; sa:metric/dcterms:identifier ?metric ; sa:textValue ?text ;
           sa:citation [ dcterms:source/dcterms:identifier ?source ; sa:locator ?locator ] .
        FILTER(?metric IN ("scaling-model", "state-size") && lang(?text) = "en")
      } ORDER BY ?technology ?metric ?text ?source""")
    suited = select_rows(store, """SELECT DISTINCT ?scenario ?technology WHERE {
        ?a sa:suitability ?s . ?s sa:technology/dcterms:identifier ?technology ; sa:scenario/dcterms:identifier ?scenario
      } ORDER BY ?scenario ?technology""")
    categories = select_rows(store, """SELECT ?technology ?category WHERE {
        ?t a sa:Technology ; dcterms:identifier ?technology ; sa:category/dcterms:identifier ?category
      } ORDER BY ?technology ?category""")
    adoption = select_rows(store, """SELECT ?technology (COUNT(DISTINCT ?case) AS ?cases) WHERE {
        ?case a sa:Case ; sa:uses/dcterms:identifier ?technology } GROUP BY ?technology ORDER BY ?technology""")
    weights = select_rows(store, """SELECT ?dimension ?weight ?source ?locator WHERE {
        ?a a sa:SelectionModel ; sa:weight ?w ; sa:citation [ dcterms:source/dcterms:identifier ?source ; sa:locator ?locator ] .
        ?w sa:dimension/dcterms:identifier ?dimension ; schema:value ?weight } ORDER BY ?dimension""")
    return {
        "dimensions": DIMENSIONS,
        "scenarios": scenarios,
        "labels": {k: labels[k] for k in sorted(labels)},
        "rules": rules,
        "ratings": [r | {"score": float(r["score"]), "scale": float(r["scale"])} for r in ratings],
        "latencies": [r | {"value": float(r["value"])} for r in latencies],
        "bounds": [r | {"value": float(r["value"])} for r in bounds],
        "scaling": scaling,
        "suited": suited,
        "categories": _grouped_ids(categories, "technology", "category"),
        "adoption": {r["technology"]: int(r["cases"]) for r in adoption},
        "weights": {r["dimension"]: float(r["weight"]) for r in weights},
        "weight_citations": sorted({(r["source"], r["locator"]) for r in weights}),
    }


def _grouped_ids(rows: list[dict[str, str]], key: str, value: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        out[row[key]].append(row[value])
    return {k: sorted(v) for k, v in sorted(out.items())}


def normalised(weights: dict[str, float]) -> dict[str, float]:
    """Weights scaled to sum to 1 (the selection model's own may not), in dimension order."""
    total = sum(weights.get(d, 0.0) for d in DIMENSIONS)
    return {d: (weights.get(d, 0.0) / total if total else 0.0) for d in DIMENSIONS}


# How the advisor reads the benchmark tables' text columns as a scalability score in [0, 1].
SCALING_SCORES = (("scaling-model", "horizontal", 1.0), ("state-size", "unlimited", 1.0),
                  ("state-size", "petabyte", 1.0), ("state-size", "terabyte", 0.75), ("state-size", "gigabyte", 0.5))
# Qualifiers under which a figure X shows P99 ≤ X, and under which it shows P99 ≥ X.
AT_MOST, AT_LEAST = ("=", "<", "≈", ""), ("=", ">", "≈", "+", "")


@dataclass
class Requirements:
    scenario: str
    latency_ms: float | None = None
    stateful: bool | None = None
    scale: str | None = None  # "tb" or "pb"
    cost_sensitive: bool = False
    write_heavy: bool = False

    def conditions(self) -> set[str]:
        """The decision-tree branch conditions these requirements satisfy."""
        out = {"any"}
        if self.stateful is True:
            out.add("stateful")
        if self.stateful is False:
            out.add("stateless")
        if self.latency_ms is not None:
            out.add("millisecond-latency" if self.latency_ms < 1000 else "second-latency")
        if self.scale in ("tb", "pb"):
            out.add("terabyte-scale" if self.scale == "tb" else "petabyte-scale")
        if self.cost_sensitive:
            out.add("cost-sensitive")
        if self.write_heavy:
            out.add("write-heavy")
        return out


@dataclass
class Part:
    """One input to one dimension: its value in [0, 1], what it is, and where it comes from."""

    value: float
    what: str
    citations: list[tuple[str, str]]


@dataclass
class Scored:
    technology: str
    dimensions: dict[str, list[Part]] = field(default_factory=dict)
    from_tree: bool = False
    notes: list[str] = field(default_factory=list)
    bound: int = 0   # against a latency bound: 0 a cited P99 meets it, 1 no cited P99 shows it, 2 a cited P99 breaks it

    def score(self, dimension: str) -> float | None:
        parts = self.dimensions.get(dimension) or []
        return sum(p.value for p in parts) / len(parts) if parts else None

    def total(self, weights: dict[str, float]) -> tuple[float, float]:
        """(weighted score over dimensions with data, share of total weight those dimensions carry)."""
        covered = {d: w for d, w in weights.items() if self.score(d) is not None}
        if not covered or sum(covered.values()) == 0 or sum(weights.values()) == 0:
            return 0.0, 0.0
        weighted = sum(w * (self.score(d) or 0.0) for d, w in covered.items())
        return weighted / sum(covered.values()), sum(covered.values()) / sum(weights.values())


def walk_tree(data: dict[str, Any], requirements: Requirements) -> list[dict[str, str]]:
    """The decision-tree rules that fire: the scenario's branch, then rules refining those choices."""
    conditions = requirements.conditions()
    fired = [r for r in data["rules"] if r["scenario"] == requirements.scenario and not r["after"] and r["when"] in conditions]
    chosen = {r["choose"] for r in fired}
    fired += [r for r in data["rules"] if r["after"] in chosen and r["when"] in conditions]
    return fired


def _ratings(data: dict[str, Any], technology: str, criterion: str) -> list[dict[str, Any]]:
    return [r for r in data["ratings"] if r["technology"] == technology and r["criterion"] == criterion]


def _rating_part(data: dict[str, Any], technology: str, criterion: str) -> Part | None:
    found = _ratings(data, technology, criterion)
    if not found:
        return None
    value = sum(r["score"] / r["scale"] for r in found) / len(found)
    stars = ", ".join(f"{r['score']:g}/{r['scale']:g}" for r in found)
    return Part(value, f"{criterion} rating {stars}", sorted({(r["source"], r["locator"]) for r in found}))


def candidates_for(data: dict[str, Any], scenario: str, tree_choices: set[str]) -> list[str]:
    """The fit matrix's technologies for the scenario, the tree's choices, those suited to it, and their category peers."""
    fit = [r for r in data["ratings"] if r["criterion"] == scenario]
    best = max((r["score"] / r["scale"] for r in fit), default=None)
    top = {r["technology"] for r in fit if best is not None and r["score"] / r["scale"] == best}
    top_categories = {c for t in top for c in data["categories"].get(t, [])}
    peers = {t for t, cats in data["categories"].items() if top_categories & set(cats)}
    suited = {r["technology"] for r in data["suited"] if r["scenario"] == scenario}
    return sorted({r["technology"] for r in fit} | tree_choices | suited | peers)


def latency_bound(data: dict[str, Any], technology: str, bound: float) -> tuple[int, str, list[tuple[str, str]]]:
    """(0 meets / 1 cannot tell / 2 breaks, what the figures say, their citations) for one candidate and bound."""
    rows = [r for r in data["bounds"] if r["technology"] == technology]
    def shown(r: dict[str, Any]) -> str:
        return f"{r['qualifier'] if r['qualifier'] not in ('', '=') else ''}{r['value']:g} ms" + (
            f" ({r['condition']})" if r["condition"] else "")
    meets = [r for r in rows if r["qualifier"] in AT_MOST and r["value"] <= bound]
    if meets:
        r = min(meets, key=lambda r: r["value"])
        return 0, f"cited P99 {shown(r)} is within the {bound:g} ms bound", [(r["source"], r["locator"])]
    breaks = [r for r in rows if r["qualifier"] in AT_LEAST and r["value"] > bound]
    if breaks:
        r = min(breaks, key=lambda r: r["value"])
        return 2, f"cited P99 {shown(r)} exceeds the {bound:g} ms bound", [(r["source"], r["locator"])]
    if rows:
        r = min(rows, key=lambda r: r["value"])
        return 1, f"no cited P99 shows it within the {bound:g} ms bound (best: {shown(r)})", [(r["source"], r["locator"])]
    return 1, f"no cited P99 to compare with the {bound:g} ms bound", []


def advise(data: dict[str, Any], requirements: Requirements, weights: dict[str, float] | None = None) -> list[Scored]:
    """Candidates for the scenario, each scored per dimension, best first (a latency bound ranks first)."""
    weights = normalised(weights or data["weights"])
    fired = walk_tree(data, requirements)
    tree_choices = {r["choose"] for r in fired if not r["after"]}
    candidates = candidates_for(data, requirements.scenario, tree_choices)
    best_latency = {}
    for row in data["latencies"]:
        if row["technology"] in candidates:
            best_latency[row["technology"]] = min(best_latency.get(row["technology"], row), row, key=lambda r: r["value"])
    fastest = min((r["value"] for r in best_latency.values()), default=None)
    most_used = max((data["adoption"].get(t, 0) for t in candidates), default=0)
    results = []
    for technology in candidates:
        scored = Scored(technology, from_tree=technology in tree_choices)
        add = scored.dimensions.setdefault
        for dimension, criterion in (("functional-fit", requirements.scenario), ("performance", "performance"),
                                     ("cost-effectiveness", "cost-effectiveness"), ("maintainability", "maturity"),
                                     ("maintainability", "community-activity"), ("scalability", "scalability")):
            part = _rating_part(data, technology, criterion)
            if part:
                add(dimension, []).append(part)
        if technology in best_latency and fastest:
            row = best_latency[technology]
            add("performance", []).append(Part(fastest / row["value"], f"P99 {row['value']:g} ms (best candidate {fastest:g} ms)",
                                               [(row["source"], row["locator"])]))
        if requirements.latency_ms is not None:
            scored.bound, note, _cites = latency_bound(data, technology, requirements.latency_ms)
            scored.notes.append(note)
        for metric, word, value in SCALING_SCORES:
            for row in data["scaling"]:
                if row["technology"] == technology and row["metric"] == metric and word in row["text"].lower():
                    add("scalability", []).append(Part(value, f"{metric}: {row['text']}", [(row["source"], row["locator"])]))
        if most_used:
            cases = data["adoption"].get(technology, 0)
            add("maintainability", []).append(Part(cases / most_used, f"used in {cases} case(s) (most: {most_used})", []))
        for dimension in DIMENSIONS:
            scored.dimensions.setdefault(dimension, [])
        results.append(scored)
    results.sort(key=lambda s: (s.bound, -s.from_tree, -round(s.total(weights)[0], 9), s.technology))
    return results


def parse_weights(text: str | None, defaults: dict[str, float]) -> dict[str, float]:
    weights = dict(defaults)
    for item in filter(None, (text or "").split(",")):
        name, _, value = item.partition("=")
        if name.strip() not in DIMENSIONS:
            raise ValueError(f"unknown dimension `{name.strip()}`; use {', '.join(DIMENSIONS)}")
        weights[name.strip()] = float(value)
    return weights


def render(data: dict[str, Any], requirements: Requirements, results: list[Scored], weights: dict[str, float]) -> str:
    def label(tid: str) -> str:
        return data["labels"].get(tid, {}).get("en", tid)

    weights = normalised(weights)
    out = [f"scenario: {requirements.scenario} ({label(requirements.scenario)})",
           "weights (normalised to sum to 1): " + ", ".join(f"{d} {weights.get(d, 0):.3f}" for d in DIMENSIONS)
           + "  [" + "; ".join(f"{s} · {loc}" for s, loc in data["weight_citations"]) + "]"]
    fired = walk_tree(data, requirements)
    if fired:
        out.append("decision tree: " + "; ".join(
            f"{r['after'] + ' → ' if r['after'] else ''}{r['when']} → {r['choose']} [{r['source']} · {r['locator']}]" for r in fired))
    else:
        out.append("decision tree: no branch for this scenario and these requirements; ranking by score only")
    if requirements.latency_ms is not None and results and all(s.bound for s in results):
        out.append(f"latency bound: no candidate has a cited P99 within {requirements.latency_ms:g} ms")
    width = max(len(d) for d in DIMENSIONS) + 2
    header = f"{'rank':<5}{'technology':<26}" + "".join(f"{d:>{width}}" for d in DIMENSIONS) + f"{'score':>9}{'coverage':>10}"
    out += ["", header, "-" * len(header)]
    for rank, scored in enumerate(results, 1):
        total, coverage = scored.total(weights)
        cells = "".join(f"{scored.score(d):>{width}.3f}" if scored.score(d) is not None else f"{'no data':>{width}}"
                        for d in DIMENSIONS)
        mark = (" *" if scored.from_tree else "") + ("" if not requirements.latency_ms else " ✓?✗"[scored.bound + 1])
        out.append(f"{rank:<5}{(scored.technology + mark):<26}{cells}{total:>9.3f}{coverage:>10.0%}")
    out.append("(* chosen by the decision tree; ✓ a cited P99 meets the latency bound, ? none shows it, ✗ one breaks it; "
               "'no data' dimensions are left out and shown in coverage)")
    out.append("\nevidence:")
    for scored in results:
        for dimension in DIMENSIONS:
            for part in scored.dimensions.get(dimension, []):
                cites = "; ".join(f"{s} · {loc}" for s, loc in part.citations) or "graph: case records"
                out.append(f"  {scored.technology} · {dimension}: {part.value:.3f} from {part.what} [{cites}]")
        out.extend(f"  {scored.technology} · note: {note}" for note in scored.notes)
    return "\n".join(out)


def results_json(results: list[Scored], weights: dict[str, float]) -> str:
    weights = normalised(weights)
    return json.dumps([{"technology": s.technology, "from_tree": s.from_tree, "bound": s.bound, "notes": s.notes,
                        "score": round(s.total(weights)[0], 6),
                        "coverage": round(s.total(weights)[1], 6),
                        "dimensions": {d: (round(s.score(d), 6) if s.score(d) is not None else None) for d in DIMENSIONS}}
                       for s in results], indent=2)


def run_advise(store: ox.Store, requirements: Requirements, weights_text: str | None, fmt: str) -> int:
    data = advisor_data(store)
    if requirements.scenario not in data["scenarios"]:
        from kgtools.records.suggest import did_you_mean

        print(f"kg advise: unknown scenario `{requirements.scenario}` "
              f"[{did_you_mean(requirements.scenario, data['scenarios']) or 'scenarios: ' + ', '.join(data['scenarios'])}]",
              file=sys.stderr)
        return 1
    try:
        weights = parse_weights(weights_text, data["weights"])
    except ValueError as error:
        print(f"kg advise: {error}", file=sys.stderr)
        return 1
    results = advise(data, requirements, weights)
    print(results_json(results, weights) if fmt == "json" else render(data, requirements, results, weights))
    return 0
