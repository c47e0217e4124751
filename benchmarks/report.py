"""Tables and a picture from benchmark results: per-record cost, growth ratios, engine ratios, targets."""

from __future__ import annotations

import html
import math
import statistics
from pathlib import Path
from typing import Any

# Targets from the benchmark issue, on a 2-core machine: (label, size filter, stages summed, limit in seconds)
TARGETS = [
    ("kg check of one changed record (real corpus)", "real", ["check-one"], 0.5),
    ("check + graph + dumps (real corpus)", "real", ["load", "validate", "integrity", "compile", "dumps"], 2.0),
    ("check + graph + dumps (40,000 records)", "40000", ["load", "validate", "integrity", "compile", "dumps"], 60.0),
]
LINEAR_STAGES = ["load", "validate", "integrity", "compile", "dumps"]


def print_report(results: list[dict[str, Any]]) -> None:
    synthetic = [r for r in results if r["label"] != "real"]
    base = synthetic[0] if synthetic else None
    print("\nstage        size       records   median s   ms/record   ratio to smallest")
    for result in results:
        for stage, seconds in result["stages"].items():
            per = seconds / result["records"] * 1000
            ratio = ""
            if base and result is not base and result["label"] != "real" and stage in base["stages"]:
                base_per = base["stages"][stage] / base["records"] * 1000
                ratio = f"{per / base_per:6.2f}x" if base_per else ""
            print(f"{stage:<12} {result['label']:>7} {result['records']:>10} {seconds:10.3f} {per:11.3f}   {ratio}")
    print("\nsaved queries (median ms): size  oxigraph-max  oxigraph-median  rdflib-median  rdflib/oxigraph")
    for result in results:
        timings = result.get("queries_ms")
        if not timings:
            continue
        ox = [t["oxigraph"] for t in timings.values() if "oxigraph" in t]
        rd = [t["rdflib"] for t in timings.values() if "rdflib" in t]
        ratio = statistics.median(r / max(o, 1e-6) for r, o in
                                  ((t["rdflib"], t["oxigraph"]) for t in timings.values() if "rdflib" in t)) if rd else math.nan
        print(f"{'':27}{result['label']:>6} {max(ox):12.2f} {statistics.median(ox):16.2f} "
              f"{statistics.median(rd) if rd else math.nan:14.2f} {ratio:16.1f}x")
    for result in results:
        if "site" in result:
            site = result["site"]
            print(f"site ({result['label']}): {site['pages']} pages, median page {site['median_page_kb']:.1f} KB, "
                  f"total {site['total_mb']:.1f} MB")
    print("\ntargets:")
    for label, size, stages, limit in TARGETS:
        result = next((r for r in results if r["label"] == size), None)
        if result is None or not all(s in result["stages"] for s in stages):
            print(f"  [skip] {label}: not measured in this run")
            continue
        total = sum(result["stages"][s] for s in stages)
        print(f"  [{'met' if total <= limit else 'MISSED'}] {label}: {total:.2f} s (target {limit:g} s)")
    real = next((r for r in results if r["label"] == "real"), None)
    if real and "mkdocs" in real["stages"]:
        seconds, median = real["stages"]["mkdocs"], real.get("site", {}).get("median_page_kb", 0)
        print(f"  [{'met' if seconds <= 30 else 'MISSED'}] full bilingual site (real corpus): {seconds:.1f} s (target 30 s)")
        print(f"  [{'met' if median <= 60 else 'MISSED'}] median page HTML (real corpus): {median:.1f} KB (target 60 KB)")
    for result in results:
        timings = result.get("queries_ms")
        if timings:
            worst = max(timings.items(), key=lambda kv: kv[1].get("oxigraph", 0))
            limit = 10.0 if result["label"] == "real" else 1000.0
            if result["label"] in ("real", "40000"):
                state = "met" if worst[1]["oxigraph"] <= limit else "MISSED"
                print(f"  [{state}] every saved query under {limit:g} ms ({result['label']}): "
                      f"slowest {worst[0]} {worst[1]['oxigraph']:.2f} ms")
    if len(synthetic) >= 2:
        last = synthetic[-1]
        for stage in LINEAR_STAGES:
            if stage in last["stages"] and stage in synthetic[0]["stages"]:
                per_last = last["stages"][stage] / last["records"]
                per_first = synthetic[0]["stages"][stage] / synthetic[0]["records"]
                ratio = per_last / per_first
                print(f"  [{'met' if ratio <= 1.5 else 'MISSED'}] linear {stage}: per-record cost at "
                      f"{last['label']} is {ratio:.2f}x that at {synthetic[0]['label']} (target ≤ 1.5x)")


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
