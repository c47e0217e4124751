"""`kg serve`'s live refresh: one record edited, the pages it affects remade without a full MkDocs build.

`benchmarks/run.py` registers two stages: `live-refresh` edits the English
description of the technology in the middle of the sorted list, and
`live-refresh-hub` that of the technology with the most links (the worst
case: every page that shows it is remade). Setup, untimed, copies the project,
builds it with `kg build` and loads the live site as `kg serve` does. Each run
edits the record and refreshes; the stage's time is the whole refresh, and the
report prints when each step was done: the edited record's own pages and its
kind's index (what the contributor is looking at), then its related entities'
pages and graph views, then everything, with the first step's phases: compile
(reading and checking the changed file, compiling the changed record and
splicing it into the graph: `LiveGraph`), model (the store and the site model)
and pages. The watcher's polling (0.2 s) comes on top. The machine's one-minute
load average is taken at each refresh and printed beside the times, since on a
2-core machine shared with other jobs it moves them more than any change here.
"""

from __future__ import annotations

import os
import shutil
import statistics
from pathlib import Path
from typing import Any

import yaml

from kgtools.pipeline import build
from kgtools.records.project import Project
from kgtools.site.plugin.live import LiveSite

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 2_000   # records: the real corpus and the smallest synthetic one (the setup is a full kg build)


def _live_site(ctx: Any) -> tuple[Project, LiveSite]:
    """A built copy of the project and its live site, made once per size and shared by both stages."""
    if "live-site" not in ctx.values:
        copy = ctx.scratch / "live-project"
        shutil.rmtree(copy, ignore_errors=True)
        for folder in ("corpus", "ontology"):
            shutil.copytree(ctx.project.root / folder, copy / folder)
        site = ctx.project.root / "site" if (ctx.project.root / "site").is_dir() else ROOT / "site"
        shutil.copytree(site, copy / "site")
        shutil.copyfile(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
        project = Project(copy)
        assert build(project) == 0
        live = LiveSite(project, (project.build / "site").resolve(), (project.build / "graph").resolve())
        live.refresh()
        ctx.values["live-site"] = (project, live)
    return ctx.values["live-site"]


def _setup(ctx: Any, hub: bool) -> None:
    name = "live-hub" if hub else "live"
    project, live = _live_site(ctx)
    records = ctx.values["corpus"].records
    technologies = sorted((r for r in records if r.kind == "technology"), key=lambda r: r.id)
    if hub:  # the technology with the most links either way in the graph
        model = live.shared.model
        def degree(record: Any) -> int:
            iri = f"https://w3id.org/stackatlas/technology/{record.id}"
            return len(model.outgoing.get(iri, [])) + len(model.incoming.get(iri, []))
        record = max(technologies, key=lambda r: (degree(r), r.id))
    else:
        record = technologies[len(technologies) // 2]
    path = project.root / record.path.relative_to(ctx.project.root)
    ctx.values[name] = {"live": live, "path": path, "record": record.id, "edits": 0, "first": [], "related": [], "whole": [],
                      "pages": []}


def setup_live(ctx: Any) -> None:
    _setup(ctx, hub=False)


def setup_live_hub(ctx: Any) -> None:
    _setup(ctx, hub=True)


def _edit_and_refresh(state: dict[str, Any]) -> None:
    state["edits"] += 1
    path: Path = state["path"]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    description = data.setdefault("description", {})
    description["en"] = f"{str(description.get('en', '')).split(' (edit ')[0]} (edit {state['edits']})"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = state["live"].refresh([path])
    assert result.changed, "the edit changed no entity"
    state["first"].append(result.first.seconds)
    state["related"].append(result.related.seconds or result.first.seconds)
    for name, seconds in result.timings.items():
        state.setdefault("timings", {}).setdefault(name, []).append(seconds)
    state["whole"].append(result.rest.seconds or result.related.seconds or result.first.seconds)
    state["pages"].append(len([p for p in result.paths if p.endswith(".html")]))
    state.setdefault("load", []).append(os.getloadavg()[0])


def stage_live(ctx: Any) -> None:
    _edit_and_refresh(ctx.values["live"])


def stage_live_hub(ctx: Any) -> None:
    _edit_and_refresh(ctx.values["live-hub"])


STAGES = {"live-refresh": stage_live, "live-refresh-hub": stage_live_hub}
SETUP = {"live-refresh": setup_live, "live-refresh-hub": setup_live_hub}
DEPENDS = {"live-refresh": ["load"], "live-refresh-hub": ["load"]}


def summary(ctx: Any) -> dict[str, Any]:
    """What the result file keeps of the runs: per stage, the record edited and the median seconds of each step."""
    out: dict[str, Any] = {}
    for stage, name in (("live-refresh", "live"), ("live-refresh-hub", "live-hub")):
        state = ctx.values.get(name)
        if not state or not state["first"]:
            continue
        out[stage] = {"record": state["record"], "first_s": statistics.median(state["first"]),
                      "related_s": statistics.median(state["related"]),
                      "whole_s": statistics.median(state["whole"]), "pages": statistics.median(state["pages"]),
                      "runs": len(state["first"]),
                      "load": [min(state.get("load", [0.0])), max(state.get("load", [0.0]))],
                      "first_steps_s": {name: statistics.median(runs) for name, runs in state.get("timings", {}).items()}}
    if "live-site" in ctx.values:
        ctx.values.pop("live-site")[1].close()
    return out


def print_live(results: list[dict[str, Any]]) -> None:
    rows = [(r, stage, figures) for r in results for stage, figures in r.get("live", {}).items()]
    if not rows:
        return
    print("\nlive refresh (kg serve, one description edited; median s from the edit's refresh):")
    print(f"{'':27}  size  record                 its pages  + related  everything  pages written  load")
    for r, stage, f in rows:
        steps = ", ".join(f"{name} {seconds:.2f}" for name, seconds in f.get("first_steps_s", {}).items())
        print(f"{'':27}{r['label']:>6}  {f['record'][:22]:<22} {f['first_s']:9.2f} {f['related_s']:10.2f} {f['whole_s']:11.2f}"
              f" {f['pages']:14.0f}  {_load(f)}{'  (most linked)' if stage.endswith('hub') else ''}  [{steps}]")


def _load(figures: dict[str, Any]) -> str:
    low, high = figures.get("load", [0.0, 0.0])
    return f"{low:.1f}" if round(low, 1) == round(high, 1) else f"{low:.1f}–{high:.1f}"
