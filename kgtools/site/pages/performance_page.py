"""The Performance page: the latest saved benchmark run, as tables and its cost plot.

Benchmarks are measured by `benchmarks/run.py`, never during a build (a build
must be deterministic); `--save` copies the results to `benchmarks/results/`,
which is committed, and this page shows that copy. The figures and the
met/missed verdicts come from kgtools.bench, the same code that prints the
report in the terminal. The plot is published as an image file and shown with
`<img>`, so nothing in it can act on the page.
"""

from __future__ import annotations

import math
from pathlib import Path

from kgtools.insights.bench import (
    PLOT_FILE,
    RESULTS_DIR,
    SAVE_COMMAND,
    Results,
    check_targets,
    load_results,
    query_summaries,
    stage_names,
    stage_rows,
)
from kgtools.site.pages.escape import h, md, yaml_str
from kgtools.site.pages.i18n import UI, t
from kgtools.site.pages.markup import Doc, Page, heading, table

PLOT_ASSET = "analysis/cost.svg"


def _size(label: str, lang: str) -> str:
    return t("perf.real", lang) if label == "real" else f"{int(label):,}" if label.isdigit() else label


def _num(value: float | None, digits: int) -> str:
    if value is None or math.isnan(value):
        return "—"
    return f'<span class="sa-figure">{value:,.{digits}f}</span>'


def _stages(page: Page, results: Results) -> str:
    lang = page.lang
    rows = [[f"<code>{h(r.stage)}</code>", h(_size(r.label, lang)), f"{r.records:,}", _num(r.seconds, 3),
             _num(r.ms_per_record, 3), _num(r.ratio, 2) + ("×" if r.ratio is not None else "")]
            for r in sorted(stage_rows(results), key=lambda r: list(results[0]["stages"]).index(r.stage)
                            if r.stage in results[0]["stages"] else 99)]
    head = [h(t(k, lang)) for k in ("perf.stage", "perf.size", "perf.records", "perf.median", "perf.per_record",
                                    "perf.ratio")]
    return table(head, rows, "sa-perf sa-perf--stages") + _stage_glossary(page, results)


def _measured(page: Page, results: Results) -> str:
    """When each size was measured: `--save` keeps saved sizes a later run did not measure, so they can differ."""
    stamps = []
    for result in results:
        stamp = result.get("measured") or {}
        if stamp.get("date"):
            zh = page.lang == "zh"
            commit = (f"（{stamp['commit']}）" if zh else f" ({stamp['commit']})") if stamp.get("commit") else ""
            stamps.append(f"{_size(result['label'], page.lang)}{'：' if zh else ': '}{stamp['date']}{commit}")
    if not stamps:
        return ""
    joined = ("；" if page.lang == "zh" else "; ").join(stamps)
    return " " + h(t("perf.measured_on", page.lang)) + h(joined) + h(t("perf.measured_on.end", page.lang))


def _stage_glossary(page: Page, results: Results) -> str:
    """What each measured stage covers, so a reader knows what a figure is the time of."""
    keys = {stage: f"perf.stage.{stage}" for stage in stage_names(results)}
    items = "".join(f"<dt><code>{h(stage)}</code></dt><dd>{h(t(key, page.lang))}</dd>"
                    for stage, key in keys.items() if key in UI)
    return f'<dl class="sa-perf-glossary">{items}</dl>'


def _queries(page: Page, results: Results) -> str:
    """Every saved query's median milliseconds, a column per corpus size and engine."""
    lang = page.lang
    sized = [r for r in results if r.get("queries_ms")]
    # Engines each size was measured with (rdflib is skipped at the largest sizes, so it gets no empty column).
    engines = {r["label"]: [e for e in ("oxigraph", "rdflib") if any(e in q for q in r["queries_ms"].values())]
               for r in sized}
    names = sorted({name for r in sized for name in r["queries_ms"]})
    top = "".join(f'<th colspan="{len(engines[r["label"]])}">{h(_size(r["label"], lang))}</th>' for r in sized)
    sub = "".join(f"<th>{h(e)}</th>" for r in sized for e in engines[r["label"]])
    body = []
    for name in names:
        cells = "".join(f"<td>{_num(r['queries_ms'].get(name, {}).get(e), 2)}</td>"
                        for r in sized for e in engines[r["label"]])
        body.append(f'<tr><td class="sa-perf__query"><code>{h(name)}</code></td>{cells}</tr>')
    return ('<div class="sa-scroll"><table class="sa-table sa-perf sa-perf--queries">'
            f'<thead><tr><th rowspan="2">{h(t("perf.query", lang))}</th>{top}</tr><tr>{sub}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


def _query_summary(page: Page, results: Results) -> str:
    lang = page.lang
    rows = [[h(_size(q.label, lang)), _num(q.oxigraph_max, 2), _num(q.oxigraph_median, 2), _num(q.rdflib_median, 2),
             _num(q.ratio, 1) + ("×" if q.ratio is not None else "")] for q in query_summaries(results)]
    head = [h(t(k, lang)) + (" (ms)" if k != "perf.engine_ratio" and k != "perf.size" else "")
            for k in ("perf.size", "perf.max", "perf.median_ms", "perf.rdflib_median", "perf.engine_ratio")]
    return table(head, rows, "sa-perf sa-perf--summary")


def _targets(page: Page, results: Results) -> str:
    lang = page.lang
    rows = []
    for check in check_targets(results):
        what = h(check.zh if lang == "zh" else check.en)
        if check.detail:
            what += f' <span class="sa-meta">{h(t("perf.slowest", lang, name=check.detail))}</span>'
        measured = h(check.amount(check.measured)) if check.measured is not None else "—"
        limit = ("≤ " if check.unit == "x" else "") + check.amount(check.limit, -1)
        state = f'<span class="sa-target sa-target--{check.state}">{h(t(f"perf.{check.state}", lang))}</span>'
        rows.append([what, measured, h(limit), state])
    head = [h(t(k, lang)) for k in ("perf.target", "perf.measured", "perf.limit", "perf.state")]
    return table(head, rows, "sa-perf sa-perf--targets")


def performance_page(page: Page, project_root: Path | None) -> tuple[Doc, dict[str, bytes]]:
    """The page, and the plot to publish beside it (nothing when no results were saved)."""
    lang = page.lang
    title = t("analysis.performance", lang)
    # Wide tables (a column per corpus size and engine): the width matters more than a table of contents.
    doc = Doc(["---", f"title: {yaml_str(h(title))}", "hide:", "  - toc", "---"]).md(f"# {md(title)}")
    doc.html(f'<p class="sa-intro">{h(t("perf.intro", lang))}</p>')
    folder = project_root / RESULTS_DIR if project_root else None
    results = load_results(folder) if folder else None
    if not results:
        doc.html(f'<div class="sa-perf-empty"><p>{h(t("perf.empty", lang))}</p>'
                 f"<pre><code>{h(SAVE_COMMAND)}</code></pre></div>")
        return doc, {}
    files: dict[str, bytes] = {}
    doc.md(heading(2, t("perf.targets", lang), "targets")).html(_targets(page, results))
    doc.md(heading(2, t("perf.stages", lang), "stages"))
    doc.html(f'<p class="sa-intro">{h(t("perf.stages.intro", lang))}{_measured(page, results)}</p>',
             _stages(page, results))
    plot = folder / PLOT_FILE if folder else None
    if plot and plot.is_file():
        files[PLOT_ASSET] = plot.read_bytes()
        src = page.href(PLOT_ASSET)
        doc.md(heading(2, t("perf.plot", lang), "plot"))
        doc.html(f'<p><img class="sa-perf-plot" src="{h(src)}" alt="{h(t("perf.plot.alt", lang))}" width="720" '
                 'height="420"></p>')
    doc.md(heading(2, t("perf.queries", lang), "queries"))
    doc.html(f'<p class="sa-intro">{h(t("perf.queries.intro", lang))}</p>', _query_summary(page, results),
             _queries(page, results))
    return doc, files
