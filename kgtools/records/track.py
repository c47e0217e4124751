"""`kg track`: ask each technology's registries for the latest release and bring its `status` up to date.

For every technology record with `packages`, each coordinate is asked in the
order listed (kgtools.records.registries); the first that answers with a
version sets the status: `version`, `as_of` (the release date the registry
states; the check date when it states none) and, first among the citations,
the source record of the registry page that was asked. That source record
(`sources/<registry>-<name>.yaml`, kind public-reference) is written or
updated with the address and today's date as `accessed`. The status's note
and its other citations stay as the curator wrote them.

A registry that does not answer is reported with the reason and changes
nothing. With `dry_run` nothing is written; the report is the same.

Records are edited as text, only the `status:` block and the source's `url:`
and `accessed:` lines, so comments and the layout of the rest stay as written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from kgtools.records.http import Client, FetchError
from kgtools.records.project import Project
from kgtools.records.registries import REGISTRY_NAMES, Release, latest

SOURCE_HEADER = "# yaml-language-server: $schema=../../ontology/schemas/source.schema.json\n"
TOP_KEY = re.compile(r"^[a-z_]+:")


@dataclass
class Outcome:
    technology: str
    registry: str
    name: str
    release: Release | None = None
    error: str = ""
    before: tuple[str, str] = ("", "")   # (version, as_of) recorded before
    changed: bool = False
    used: bool = False                   # this answer set the status

    def line(self) -> str:
        where = f"{self.technology}: {self.registry} {self.name}"
        if self.error:
            return f"{where}: no answer: {self.error}"
        assert self.release is not None
        now = f"{self.release.version} ({self.release.date or 'no date given'})"
        if not self.used:
            return f"{where}: {now} (not used: an earlier package set the status)"
        if not self.changed:
            return f"{where}: unchanged {now}"
        was = f"{self.before[0] or '—'} ({self.before[1] or '—'})" if any(self.before) else "no status"
        return f"{where}: {was} → {now}"


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.error]


def source_id(registry: str, name: str) -> str:
    """`maven`, `org.apache.kafka:kafka-clients` → `maven-org-apache-kafka-kafka-clients`."""
    slug = re.sub(r"[^a-z0-9]+", "-", f"{registry}-{name}".lower()).strip("-")
    return slug[:80].rstrip("-")


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def status_block(version: str, as_of: str, note: dict[str, str] | None, citations: list[dict[str, Any]]) -> str:
    lines = ["status:", f"  version: {_q(version)}", f"  as_of: {_q(as_of)}"]
    if note:
        lines += ["  note:", *(f"    {lang}: {_q(note[lang])}" for lang in ("zh", "en") if lang in note)]
    lines.append("  citations:")
    for citation in citations:
        keys = [k for k in ("source", "locator", "section") if k in citation]
        lines.append(f"  - {keys[0]}: {_q(str(citation[keys[0]]))}")
        lines += [f"    {k}: {_q(str(citation[k]))}" for k in keys[1:]]
    return "\n".join(lines) + "\n"


def replace_status(text: str, block: str) -> str:
    """The record text with its top-level `status:` block replaced by `block` (or added before `citations:`)."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith("status:")), None)
    if start is None:
        at = next((i for i, line in enumerate(lines) if line.startswith("citations:")), len(lines))
        return "".join(lines[:at]) + block + "".join(lines[at:])
    end = next((i for i in range(start + 1, len(lines)) if TOP_KEY.match(lines[i])), len(lines))
    return "".join(lines[:start]) + block + "".join(lines[end:])


def source_record(sid: str, registry: str, name: str, release: Release, today: str) -> str:
    where = REGISTRY_NAMES[registry]
    title_zh, title_en = f"{where} 上的 {name}：最新发布", f"{name} on {where}: latest release"
    about_zh = f"{where} 公开 API 对 {name} 的应答，给出最新发布的版本与日期；由 kg track 读取并记下核对日期。"
    about_en = (f"The answer of the {where} public API about {name}, giving the latest release and its date; "
                "read by kg track, which records the day it checked.")
    return SOURCE_HEADER + "\n".join([
        f"id: {sid}",
        "kind: public-reference",
        "title:",
        f"  zh: {_q(title_zh)}",
        f"  en: {_q(title_en)}",
        "description:",
        f"  zh: {_q(about_zh)}",
        f"  en: {_q(about_en)}",
        f"url: {_q(release.asked)}",
        "language: en",
        f"accessed: {today}",
    ]) + "\n"


def update_source(text: str, release: Release, today: str) -> str:
    """An existing registry source with its address and access date brought up to date."""
    out = re.sub(r"(?m)^url: .*$", lambda _m: f"url: {_q(release.asked)}", text)
    if re.search(r"(?m)^accessed: ", out):
        return re.sub(r"(?m)^accessed: .*$", f"accessed: {today}", out)
    return out.rstrip("\n") + f"\naccessed: {today}\n"


def track(project: Project, client: Client, bases: dict[str, str] | None = None, dry_run: bool = False,
          only: set[str] | None = None, today: date | None = None) -> Report:
    """Ask, compare, and (unless `dry_run`) write; the report says what changed and what did not answer."""
    checked = (today or date.today()).isoformat()
    report = Report()
    folder = project.corpus / "technologies"
    for path in sorted(folder.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text) or {}
        packages = data.get("packages") or []
        if not packages or (only and data.get("id") not in only):
            continue
        status = data.get("status") or {}
        before = (str(status.get("version", "")), str(status.get("as_of", "")))
        chosen: Outcome | None = None
        for package in packages:
            outcome = Outcome(data["id"], package["registry"], package["name"], before=before)
            report.outcomes.append(outcome)
            try:
                outcome.release = latest(client, package["registry"], package["name"], bases)
            except FetchError as error:
                outcome.error = str(error)
                continue
            if chosen is None:
                chosen, outcome.used = outcome, True
        if chosen is None or chosen.release is None:
            continue
        release = chosen.release
        sid = source_id(chosen.registry, chosen.name)
        as_of = release.date or checked
        others = [c for c in status.get("citations") or [] if c.get("source") != sid]
        citation = {"source": sid, "locator": release.locator}
        chosen.changed = (before != (release.version, as_of)
                          or (status.get("citations") or [{}])[0] != citation)
        if dry_run:
            continue
        source = project.corpus / "sources" / f"{sid}.yaml"
        new_source = (update_source(source.read_text(encoding="utf-8"), release, checked) if source.is_file()
                      else source_record(sid, chosen.registry, chosen.name, release, checked))
        if not source.is_file() or source.read_text(encoding="utf-8") != new_source:
            source.write_text(new_source, encoding="utf-8")
            report.written.append(source)
        if chosen.changed:
            block = status_block(release.version, as_of, status.get("note"), [citation, *others])
            path.write_text(replace_status(text, block), encoding="utf-8")
            report.written.append(path)
    return report


def parse_bases(items: list[str]) -> dict[str, str]:
    """`["pypi=http://127.0.0.1:8080"]` → {"pypi": "http://127.0.0.1:8080"}; ValueError for a bad item."""
    bases = {}
    for item in items:
        registry, sep, url = item.partition("=")
        if not sep or registry not in REGISTRY_NAMES or not url.startswith(("http://", "https://")):
            raise ValueError(f"--registry {item!r}: give NAME=URL, NAME one of {', '.join(REGISTRY_NAMES)}")
        bases[registry] = url
    return bases


def run_track(project: Project, dry_run: bool, only: list[str], registries: list[str], timeout: float, retries: int,
              interval: float) -> int:
    """Print one line per package asked, then what was written; exit 1 when any registry did not answer."""
    import sys

    try:
        bases = parse_bases(registries)
    except ValueError as error:
        print(f"kg track: {error}", file=sys.stderr)
        return 2
    client = Client(timeout=timeout, retries=retries, min_interval=interval)
    report = track(project, client, bases, dry_run=dry_run, only=set(only) or None)
    for outcome in report.outcomes:
        print(outcome.line())
    changed = sum(1 for o in report.outcomes if o.changed)
    if dry_run:
        print(f"dry run: {changed} status(es) would change; nothing written")
    else:
        for path in report.written:
            print(f"wrote {path.relative_to(project.root)}")
        print(f"{changed} status(es) changed")
    if report.failed:
        print(f"{len(report.failed)} of {len(report.outcomes)} package(s) got no answer (reported above, nothing guessed)")
        return 1
    return 0
