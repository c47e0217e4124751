"""Technologies side by side: facts, relations and figures of two to four technologies, from JSON made here.

Three SPARQL queries over the graph give every technology's facts and
relations, its checked status (latest version and its date) and the figures
measured for it; each technology's share is one small JSON file, so the page
fetches only the two to four the reader picks (`?t=a,b,c`, read and written
by `assets/stackatlas/compare.js`). Each figure keeps its own source: two
sources giving different values are two lines in the cell, marked as
differing, never merged.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from kgtools.query.engine import PREFIX_IRIS
from kgtools.site.pages.compare import select
from kgtools.site.pages.escape import h, md, script_json, yaml_str
from kgtools.site.pages.i18n import t
from kgtools.site.pages.markup import Doc, Page
from kgtools.site.pages.model import SA
from kgtools.site.pages.numbers import format_figure

PAGE = "technologies/compare"
DATA_DIR = "technologies/compare-data"
SCRIPT = "compare.js"
SCHEMA = PREFIX_IRIS["schema"]
MAX_PICKED = 4

# Row key → predicate, in the order the table shows them.
FACTS = {"license": SCHEMA + "license", "version": SCHEMA + "softwareVersion", "category": SA + "category",
         "written_in": SA + "writtenIn", "developer": SCHEMA + "creator"}
RELATIONS = {"depends_on": SA + "dependsOn", "integrates_with": SA + "integratesWith", "implements": SA + "implements",
             "alternative_to": SA + "alternativeTo", "successor_of": SA + "successorOf", "part_of": SA + "partOf",
             "fork_of": SA + "forkOf", "compatible_with": SA + "compatibleWith"}

_WANTED = " ".join(f"<{p}>" for p in (*FACTS.values(), *RELATIONS.values()))
Q_LINKS = f"""
SELECT ?t ?p ?o WHERE {{
  ?t a sa:Technology ; ?p ?o .
  VALUES ?p {{ {_WANTED} }}
}}"""

Q_STATUS = """
SELECT ?t ?version ?as_of WHERE {
  ?t a sa:Technology ; sa:status ?s .
  OPTIONAL { ?s schema:softwareVersion ?version }
  OPTIONAL { ?s sa:asOf ?as_of }
}"""

Q_USED_IN = "SELECT ?t ?c WHERE { ?t a sa:Technology . ?c a sa:Case ; sa:uses ?t }"

Q_FIGURES = """
SELECT ?t ?m ?owner ?metric ?value ?min ?max ?unit ?qualifier WHERE {
  ?m a sa:Measurement ; sa:technology ?t ; sa:metric ?metric .
  ?t a sa:Technology .
  ?owner ?via ?m .
  FILTER(STRSTARTS(STR(?m), CONCAT(STR(?owner), "#")))  # the record it belongs to, not one citing it
  FILTER NOT EXISTS { ?m sa:rank sa:DeprecatedRank }
  OPTIONAL { ?m schema:value ?value }
  OPTIONAL { ?m schema:minValue ?min }
  OPTIONAL { ?m schema:maxValue ?max }
  OPTIONAL { ?m schema:unitText ?unit }
  OPTIONAL { ?m sa:qualifier ?qualifier }
}"""


def _ref(page: Page, iri: str) -> dict[str, str]:
    """An entity as the table shows it: its label, and its page where it has one."""
    out = {"label": page.model.label(iri, page.lang)}
    if iri in page.model.entities:
        out["url"] = page.href(page.entity_url(iri))
    return out


def _figure(page: Page, row: Any) -> dict[str, Any]:
    model, lang = page.model, page.lang
    statement = model.statement_by_iri.get(str(row["m"]))
    words = statement.text(SA + "textValue", lang) if statement else ""
    text = format_figure(row["value"], row["min"], row["max"], row["unit"], row["qualifier"], words, lang, model.units)
    sources = []
    for citation in statement.citations if statement else []:
        sources.append({**_ref(page, citation.source), "locator": citation.locator})
    with_ = statement.iris(SA + "configuration") if statement else []
    return {"metric": str(row["metric"]).rsplit("/", 1)[-1], "metric_ref": _ref(page, str(row["metric"])),
            "text": text, "from": _ref(page, str(row["owner"])), "sources": sources,
            "with": [_ref(page, w) for w in with_], "order": str(row["m"])}


def technology_share(page: Page) -> dict[str, dict[str, Any]]:
    """Every technology's facts, relations and figures, by id, for this page's language."""
    model, lang = page.model, page.lang
    techs = {e.iri: e for e in model.of_kind("technology")}
    share: dict[str, dict[str, Any]] = {}
    for iri, entity in techs.items():
        share[iri] = {"id": entity.id, "label": entity.label(lang), "url": page.href(page.entity_url(iri)),
                      "rows": defaultdict(list), "figures": []}
    by_predicate = {p: k for k, p in (*FACTS.items(), *RELATIONS.items())}
    for row in sorted(select(model.store, Q_LINKS), key=lambda r: (str(r["t"]), str(r["p"]), str(r["o"]))):
        tech, key, value = str(row["t"]), by_predicate[str(row["p"])], str(row["o"])
        if tech not in share:
            continue
        cell = _ref(page, value) if value.startswith(("http://", "https://")) else {"label": value}
        share[tech]["rows"][key].append(cell)
    for row in select(model.store, Q_STATUS):
        tech = str(row["t"])
        if tech in share:
            if row["version"]:
                share[tech]["rows"]["latest"].append({"label": str(row["version"])})
            if row["as_of"]:
                share[tech]["rows"]["as_of"].append({"label": str(row["as_of"])})
    for row in select(model.store, Q_USED_IN):
        if str(row["t"]) in share:
            share[str(row["t"])]["rows"]["used_in"].append(_ref(page, str(row["c"])))
    for row in select(model.store, Q_FIGURES):
        if str(row["t"]) in share and str(row["owner"]) in model.entities:
            share[str(row["t"])]["figures"].append(_figure(page, row))
    for data in share.values():
        data["rows"] = {k: sorted(v, key=lambda c: (c["label"].casefold(), c.get("url", "")))
                        for k, v in data["rows"].items()}
        data["figures"].sort(key=lambda f: (f["metric"], f["from"]["label"].casefold(), f["order"]))
        for figure in data["figures"]:
            del figure["order"]
    return {techs[iri].id: data for iri, data in share.items()}


ROW_KEYS = ("license", "latest", "as_of", "version", "category", "written_in", "developer", *RELATIONS, "used_in")
UI_KEYS = ("compare.pick", "compare.add", "compare.remove", "compare.limit", "compare.empty", "compare.facts",
           "compare.relations", "compare.figures", "compare.differ", "compare.share", "compare.from",
           "compare.with", "entity.more", "analysis.load_failed")


def row_labels(page: Page) -> dict[str, str]:
    model, lang = page.model, page.lang
    labels = {k: t(f"compare.row.{k}", lang) for k in ("latest", "as_of", "used_in")}
    for key, predicate in (*FACTS.items(), *RELATIONS.items()):
        label = model.label(predicate, lang)
        labels[key] = label[:1].upper() + label[1:]
    labels["version"] = t("compare.row.version", lang)
    return {k: labels[k] for k in ROW_KEYS}


def compare_page(page: Page) -> tuple[Doc, dict[str, bytes]]:
    """The comparison page and one data file per technology."""
    lang, model = page.lang, page.model
    share = technology_share(page)
    title = t("compare.technologies", lang)
    doc = Doc(["---", f"title: {yaml_str(h(title))}", "hide:", "  - toc", "  - navigation", "sa_scripts:",
               f"  - {SCRIPT}", "---"])
    doc.md(f"# {md(title)}")
    text: dict[str, object] = {key: t(key, lang) for key in UI_KEYS}
    text["rows"] = row_labels(page)
    text["max"] = MAX_PICKED
    choices = [{"id": e.id, "label": e.label(lang)} for e in model.sorted(model.of_kind("technology"), lang)]
    doc.html(f'<p class="sa-intro">{h(t("compare.technologies.intro", lang))}</p>',
             f'<div class="sa-compare" id="sa-compare" data-src="{h(page.href(DATA_DIR) + "/")}">'
             f'<form class="sa-compare__pick" id="sa-compare-pick" autocomplete="off">'
             f'<label for="sa-compare-input">{h(t("compare.pick", lang))}</label> '
             '<input id="sa-compare-input" list="sa-compare-choices" name="pick">'
             '<datalist id="sa-compare-choices"></datalist> '
             f'<button type="submit" class="md-button">{h(t("compare.add", lang))}</button></form>'
             '<ul class="sa-compare__chosen" id="sa-compare-chosen"></ul>'
             '<p class="sa-compare__note" id="sa-compare-note" aria-live="polite"></p>'
             '<div class="sa-compare__table" id="sa-compare-table"></div></div>'
             f'<noscript><p class="sa-empty">{h(t("analysis.noscript", lang))}</p></noscript>'
             f'<script type="application/json" id="sa-compare-text">{script_json(text)}</script>'
             f'<script type="application/json" id="sa-compare-choices-data">{script_json(choices)}</script>')
    files = {f"{DATA_DIR}/{tech_id}.json": script_json(data).encode("utf-8") for tech_id, data in share.items()}
    return doc, files
