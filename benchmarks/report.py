"""Tables and a picture from benchmark results: per-record cost, growth ratios, engine ratios, targets.

The numbers and the targets come from `kgtools.bench`, which the site's Performance page reads too.
"""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import Any

from browser import print_browser
from live_refresh import print_live
from publish import print_publish
from shacl import print_engines

from kgtools.insights.bench import check_targets, query_summaries, stage_names, stage_rows, synthetic
from kgtools.site.pages.i18n import LANGS


def print_report(results: list[dict[str, Any]]) -> None:
    print("\nstage        size       records   median s   ms/record   ratio to smallest")
    for row in stage_rows(results):
        ratio = f"{row.ratio:6.2f}x" if row.ratio is not None else ""
        print(f"{row.stage:<12} {row.label:>7} {row.records:>10} {row.seconds:10.3f} {row.ms_per_record:11.3f}   {ratio}")
    print("\nsaved queries (median ms): size  oxigraph-max  oxigraph-median  rdflib-median  rdflib/oxigraph")
    for q in query_summaries(results):
        rd = f"{q.rdflib_median:14.2f}" if q.rdflib_median is not None else f"{'—':>14}"  # rdflib skipped at this size
        ratio = f"{q.ratio:16.1f}x" if q.ratio is not None else f"{'—':>17}"
        print(f"{'':27}{q.label:>6} {q.oxigraph_max:12.2f} {q.oxigraph_median:16.2f} {rd} {ratio}")
    print_site(results)
    print_engines(results)
    print_live(results)
    print_publish(results)
    print_browser(results)
    print("\ntargets:")
    for check in check_targets(results):
        if check.measured is None:
            print(f"  [skip] {check.en}: not measured in this run")
            continue
        state = {"met": "met", "missed": "MISSED"}[check.state]
        slowest = f" (slowest: {check.detail})" if check.detail else ""
        bound = "≤ " if check.unit == "x" else ""
        print(f"  [{state}] {check.en}: {check.amount(check.measured)}{slowest} (target {bound}{check.amount(check.limit, -1)})")


def print_site(results: list[dict[str, Any]]) -> None:
    """The built site per size: what a reader downloads (median pages, search index per language)."""
    sites = [r for r in results if r.get("site")]
    if not sites:
        return
    langs = [lang for lang in LANGS if any(lang in r["site"].get("search_index_kb", {}) for r in sites)]
    head = "".join(f"  search {lang} KB" for lang in langs)
    print(f"\nsite (mkdocs): size     pages  median page KB  median entity page KB{head}")
    for r in sites:
        site = r["site"]
        entity = site.get("median_entity_page_kb")
        cells = f"{entity:22.1f}" if entity is not None else f"{'—':>22}"
        for lang in langs:
            kb = site.get("search_index_kb", {}).get(lang)
            cells += f"{kb:{len(lang) + 12}.0f}" if kb is not None else f"{'—':>{len(lang) + 12}}"
        print(f"{'':14}{r['label']:>6} {site['pages']:>9} {site['median_page_kb']:15.1f} {cells}")


def write_svg(results: list[dict[str, Any]], path: Path) -> None:
    """A log-log chart of seconds against records for each stage, as a self-contained SVG.

    Decades are marked on both axes, and a dashed line of slope 1 shows what
    linear growth looks like: a stage whose line runs parallel to it is linear.
    """
    synth = synthetic(results)
    if len(synth) < 2:
        path.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8")
        return
    series = {s: [(r["records"], max(r["stages"][s], 1e-4)) for r in synth if s in r["stages"]]
              for s in stage_names(synth)}
    series = {s: points for s, points in series.items() if len(points) >= 2}
    xs = [r["records"] for r in synth]
    ys = [y for points in series.values() for _, y in points]
    width, height, left, right, top, bottom = 760, 440, 70, 130, 20, 60
    lx0, lx1 = math.log10(min(xs)), math.log10(max(xs))
    ly0, ly1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))

    def px(x: float) -> float:
        return left + (math.log10(x) - lx0) / max(lx1 - lx0, 1e-9) * (width - left - right)

    def py(y: float) -> float:
        return height - bottom - (math.log10(y) - ly0) / max(ly1 - ly0, 1e-9) * (height - top - bottom)

    colours = ["#3949ab", "#e53935", "#43a047", "#fb8c00", "#8e24aa", "#00897b", "#6d4c41", "#546e7a", "#c0ca33",
               "#d81b60", "#039be5"]
    x0, x1, y_axis = px(min(xs)), px(max(xs)), height - bottom
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>']
    for decade in range(ly0, ly1 + 1):
        y = py(10.0 ** decade)
        parts.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x1}" y2="{y:.1f}" stroke="#e0e0e0"/>')
        parts.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end">{10.0 ** decade:g} s</text>')
    parts += [f'<line x1="{x0}" y1="{y_axis}" x2="{x1}" y2="{y_axis}" stroke="black"/>',
              f'<line x1="{x0}" y1="{top}" x2="{x0}" y2="{y_axis}" stroke="black"/>',
              f'<text x="{(x0 + x1) / 2}" y="{height - 15}" text-anchor="middle">records (log scale)</text>',
              f'<text x="15" y="{height / 2}" transform="rotate(-90 15 {height / 2})" text-anchor="middle">'
              "seconds (log scale)</text>"]
    for x in xs:
        parts.append(f'<text x="{px(x):.1f}" y="{y_axis + 16}" text-anchor="middle">{x:,}</text>')
    # Slope 1 through the lowest decade line at the smallest size: linear growth.
    base = 10.0 ** ly0
    end = min(base * max(xs) / min(xs), 10.0 ** ly1)
    parts.append(f'<line x1="{x0}" y1="{py(base):.1f}" x2="{px(min(xs) * end / base):.1f}" y2="{py(end):.1f}" '
                 'stroke="#9e9e9e" stroke-dasharray="6 4"/>')
    for index, (stage, points) in enumerate(series.items()):
        colour = colours[index % len(colours)]
        line = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in points)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>' for x, y in points]
        parts.append(f'<text x="{x1 + 12}" y="{top + 10 + 16 * index}" fill="{colour}">{html.escape(stage)}</text>')
    legend_y = top + 10 + 16 * len(series)
    parts.append(f'<line x1="{x1 + 12}" y1="{legend_y - 4}" x2="{x1 + 36}" y2="{legend_y - 4}" stroke="#9e9e9e" '
                 'stroke-dasharray="6 4"/>')
    parts.append(f'<text x="{x1 + 40}" y="{legend_y}" fill="#616161">linear</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts), encoding="utf-8")
