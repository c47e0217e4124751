"""Tables and a picture from benchmark results: per-record cost, growth ratios, engine ratios, targets.

The numbers and the targets come from `kgtools.bench`, which the site's Performance page reads too.
"""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import Any

from kgtools.bench import check_targets, query_summaries, stage_rows


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
    print("\ntargets:")
    for check in check_targets(results):
        if check.measured is None:
            print(f"  [skip] {check.en}: not measured in this run")
            continue
        state = {"met": "met", "missed": "MISSED"}[check.state]
        slowest = f" (slowest: {check.detail})" if check.detail else ""
        bound = "≤ " if check.unit == "x" else ""
        print(f"  [{state}] {check.en}: {check.amount(check.measured)}{slowest} (target {bound}{check.amount(check.limit, -1)})")


def write_svg(results: list[dict[str, Any]], path: Path) -> None:
    """A log-log chart of seconds against records for each stage, as a self-contained SVG."""
    synthetic = [r for r in results if r["label"] != "real"]
    if len(synthetic) < 2:
        path.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8")
        return
    stages = [s for s in synthetic[0]["stages"] if all(s in r["stages"] for r in synthetic)]
    xs = [r["records"] for r in synthetic]
    ys = [max(r["stages"][s], 1e-4) for r in synthetic for s in stages]
    width, height, pad = 720, 420, 60
    lx0, lx1 = math.log10(min(xs)), math.log10(max(xs))
    ly0, ly1 = math.log10(min(ys)), math.log10(max(ys))

    def px(x: float) -> float:
        return pad + (math.log10(x) - lx0) / max(lx1 - lx0, 1e-9) * (width - 2 * pad)

    def py(y: float) -> float:
        return height - pad - (math.log10(max(y, 1e-4)) - ly0) / max(ly1 - ly0, 1e-9) * (height - 2 * pad)

    colours = ["#3949ab", "#e53935", "#43a047", "#fb8c00", "#8e24aa", "#00897b", "#6d4c41", "#546e7a", "#c0ca33"]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="black"/>',
             f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" stroke="black"/>',
             f'<text x="{width / 2}" y="{height - 15}" text-anchor="middle">records (log scale)</text>',
             f'<text x="15" y="{height / 2}" transform="rotate(-90 15 {height / 2})" text-anchor="middle">seconds (log scale)</text>']
    for x in xs:
        parts.append(f'<text x="{px(x)}" y="{height - pad + 16}" text-anchor="middle">{x}</text>')
    for index, stage in enumerate(stages):
        colour = colours[index % len(colours)]
        points = " ".join(f"{px(r['records']):.1f},{py(r['stages'][stage]):.1f}" for r in synthetic)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts.append(f'<text x="{width - pad + 4}" y="{pad + 14 * index}" fill="{colour}">{html.escape(stage)}</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts), encoding="utf-8")
