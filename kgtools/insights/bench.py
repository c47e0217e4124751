"""Reading benchmark results: per-record cost, growth ratios, engine timings and the targets they are held to.

`benchmarks/report.py` prints these and the site's Performance page shows them;
both take them from here, so the terminal and the site never disagree about
whether a target was met. The results are what `benchmarks/run.py` writes: one
entry per corpus size (`real` is the project's own corpus), each with the
median seconds of every stage and, where the store was built, the median
milliseconds of every saved query per query engine.
"""

from __future__ import annotations

import json
import math
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Results = list[dict[str, Any]]

RESULTS_DIR = "benchmarks/results"      # committed by `benchmarks/run.py --save`
RESULTS_FILE = "latest.json"
PLOT_FILE = "cost.svg"
SAVE_COMMAND = "python benchmarks/run.py --save"


@dataclass(frozen=True)
class Target:
    """A limit on the summed median seconds of some stages at one corpus size (a 2-core machine)."""

    en: str
    zh: str
    size: str
    stages: tuple[str, ...]
    limit: float


TARGETS = (
    Target("kg check of one changed record (real corpus)", "kg check 检查一条改动的记录（真实语料）", "real",
           ("check-one",), 0.5),
    Target("check + graph + dumps (real corpus)", "检查 + 建图 + 转储（真实语料）", "real",
           ("load", "validate", "integrity", "compile", "dumps"), 2.0),
    Target("check + graph + dumps (40,000 records)", "检查 + 建图 + 转储（40,000 条记录）", "40000",
           ("load", "validate", "integrity", "compile", "dumps"), 60.0),
    Target("full bilingual site through MkDocs (real corpus)", "经 MkDocs 构建完整双语站点（真实语料）", "real",
           ("mkdocs",), 30.0),
)
PAGE_KB_LIMIT = 60.0  # median HTML page of the real corpus's site
# Every page of a language downloads its search index, and over ~1 MB the first search visibly stalls
# (PERFORMANCE.md): held at the synthetic size the site is built at, in the larger language.
SEARCH_INDEX_KB_LIMIT, SEARCH_INDEX_SIZE = 1024.0, "4000"
LINEAR_STAGES = ("load", "validate", "integrity", "compile", "dumps")
LINEAR_LIMIT = 1.5
QUERY_LIMITS_MS = {"real": 10.0, "40000": 1000.0}


@dataclass(frozen=True)
class StageRow:
    stage: str
    label: str
    records: int
    seconds: float
    ms_per_record: float
    ratio: float | None  # per-record cost relative to the smallest synthetic size; None for it and for `real`


@dataclass(frozen=True)
class Check:
    """One target against one run: `measured` is None when the run did not measure it."""

    en: str
    zh: str
    measured: float | None
    limit: float
    unit: str            # "s", "ms", "KB" or "x"
    detail: str = ""     # the slowest query, for the query targets

    def amount(self, value: float, digits: int = 2) -> str:
        """`0.31 s`, `253.40 ms`, `41.20 KB`, `1.40x`."""
        number = f"{value:.{digits}f}" if digits >= 0 else f"{value:g}"
        return f"{number}x" if self.unit == "x" else f"{number} {self.unit}"

    @property
    def state(self) -> str:
        if self.measured is None:
            return "skip"
        return "met" if self.measured <= self.limit else "missed"


def load_results(folder: Path) -> Results | None:
    """The saved results in `folder`, or None when there are none."""
    path = folder / RESULTS_FILE
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, list) else None


def synthetic(results: Results) -> Results:
    return [r for r in results if r["label"] != "real"]


def _run(result: dict[str, Any]) -> str:
    """Which run measured `result`: its `measured` stamp (entries saved before stamps count as one run)."""
    return json.dumps(result.get("measured"), sort_keys=True)


def same_run(results: Results, result: dict[str, Any]) -> Results:
    """The synthetic sizes measured in the run that measured `result`.

    Why: `--save` keeps sizes a later run did not measure, and a ratio between
    two runs (another day, another machine load) says nothing about growth.
    """
    return [r for r in synthetic(results) if _run(r) == _run(result)]


def _growth_pair(results: Results, with_key: str | None = None) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The smallest and largest synthetic size of one run: the run holding the largest size that has two."""
    for last in reversed(synthetic(results)):
        if with_key and not last.get(with_key):
            continue
        run = [r for r in same_run(results, last) if not with_key or r.get(with_key)]
        if len(run) >= 2:
            return run[0], run[-1]
    return None


def stage_names(results: Results) -> list[str]:
    """Every stage measured in any run, in the order the runs list them."""
    return list(dict.fromkeys(stage for result in results for stage in result["stages"]))


def stage_rows(results: Results) -> list[StageRow]:
    """Every stage at every size, with its cost per record and its growth against the smallest synthetic size."""
    rows = []
    for result in results:
        run = same_run(results, result)
        base = run[0] if run else None
        for stage, seconds in result["stages"].items():
            per = seconds / result["records"] * 1000
            ratio = None
            if base and result is not base and result["label"] != "real" and stage in base["stages"]:
                base_per = base["stages"][stage] / base["records"] * 1000
                ratio = per / base_per if base_per else None
            rows.append(StageRow(stage, result["label"], result["records"], seconds, per, ratio))
    return rows


@dataclass(frozen=True)
class QuerySummary:
    label: str
    oxigraph_max: float
    oxigraph_median: float
    rdflib_median: float | None
    ratio: float | None  # median of rdflib/oxigraph over the queries both engines ran


def query_summaries(results: Results) -> list[QuerySummary]:
    out = []
    for result in results:
        timings = result.get("queries_ms")
        if not timings:
            continue
        ox = [t["oxigraph"] for t in timings.values() if "oxigraph" in t]
        both = [(t["rdflib"], t["oxigraph"]) for t in timings.values() if "rdflib" in t and "oxigraph" in t]
        rd = [t["rdflib"] for t in timings.values() if "rdflib" in t]
        out.append(QuerySummary(result["label"], max(ox, default=math.nan), statistics.median(ox) if ox else math.nan,
                                statistics.median(rd) if rd else None,
                                statistics.median(r / max(o, 1e-6) for r, o in both) if both else None))
    return out


def check_targets(results: Results) -> list[Check]:
    """Every target, met, missed or not measured in this run."""
    checks = []
    by_label = {r["label"]: r for r in results}
    for target in TARGETS:
        result = by_label.get(target.size)
        measured, detail = None, ""
        if result is not None and all(s in result["stages"] for s in target.stages):
            measured = sum(result["stages"][s] for s in target.stages)
            # Where the time goes: the stages that cost most, so a miss says why.
            costly = sorted(target.stages, key=lambda s: -result["stages"][s])[:3]
            detail = " · ".join(f"{s} {result['stages'][s]:.2f} s" for s in costly) if len(target.stages) > 1 else ""
        checks.append(Check(target.en, target.zh, measured, target.limit, "s", detail))
    for result in results:
        timings = result.get("queries_ms")
        limit = QUERY_LIMITS_MS.get(result["label"])
        if timings and limit is not None:
            name, worst = max(timings.items(), key=lambda kv: kv[1].get("oxigraph", 0))
            checks.append(Check(f"every saved query under {limit:g} ms ({result['label']})",
                                f"每个保存的查询都在 {limit:g} ms 以内（{result['label']}）",
                                worst.get("oxigraph"), limit, "ms", name))
    real_site = by_label.get("real", {}).get("site")
    checks.append(Check("median page HTML (real corpus)", "页面 HTML 中位数（真实语料）",
                        real_site["median_page_kb"] if real_site else None, PAGE_KB_LIMIT, "KB"))
    if sites := _growth_pair(results, "site"):  # pages must not grow with the number of entities (pruned navigation)
        first, last = sites
        checks.append(Check(f"page size: median page at {last['label']} against {first['label']}",
                            f"页面大小：{last['label']} 与 {first['label']} 的页面中位数之比",
                            last["site"]["median_page_kb"] / first["site"]["median_page_kb"], LINEAR_LIMIT, "x"))
    if pair := _growth_pair(results):   # growth within one run, never between saved runs of different days
        first, last = pair
        for stage in LINEAR_STAGES:
            if stage in last["stages"] and stage in first["stages"]:
                ratio = (last["stages"][stage] / last["records"]) / (first["stages"][stage] / first["records"])
                checks.append(Check(f"linear {stage}: per-record cost at {last['label']} against {first['label']}",
                                    f"{stage} 线性增长：{last['label']} 与 {first['label']} 的单条记录成本之比",
                                    ratio, LINEAR_LIMIT, "x"))
    index_kb = by_label.get(SEARCH_INDEX_SIZE, {}).get("site", {}).get("search_index_kb") or {}
    checks.append(Check(f"search index, larger language ({SEARCH_INDEX_SIZE} records)",
                        f"搜索索引，较大的语言（{SEARCH_INDEX_SIZE} 条记录）", max(index_kb.values(), default=None),
                        SEARCH_INDEX_KB_LIMIT, "KB"))  # each language's figure is in the site table
    return checks
