"""`corpus/checks/citations.yaml`: what `kg cite-check` found, as dated check records, and the sources it checks.

One machine-written file (schema `ontology/schemas/citation-checks.schema.json`),
read, validated and compiled like the records: the newest check of each
source, sorted by source id, each with the outcome and day of the check
before it, so a change (ok → dead) shows in the file's diff and in the graph.
Checking again on the same day replaces that day's check and keeps the one
before. Sources not checked in a run (`--only`) keep their entry; entries of
sources that are gone or lost their address are dropped.

The file is written by hand-rolled, fixed-order YAML (strings as JSON, which
YAML reads), so the same results give the same bytes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kgtools.records.citecheck import Result, Target
from kgtools.records.loader import Corpus, read_record
from kgtools.records.project import CITATION_CHECKS, Project

HEADER = ("# yaml-language-server: $schema=../../ontology/schemas/citation-checks.schema.json\n"
          "# Written by `kg cite-check`: the newest check of each source's address. Do not edit; run it again.\n")
FIELDS = ("source", "checked", "url", "outcome", "status", "final_url", "redirects", "quote_found", "detail",
          "archived", "archived_on", "previous_outcome", "previous_checked")
URL_PATTERN = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f<>\"{}|\\^`]")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
MAX_DETAIL = 600


def targets(corpus: Corpus) -> list[Target]:
    """Every source record with an address, with its quote when it has one, sorted by id."""
    found = []
    for record in corpus.by_kind("source"):
        url = record.data.get("url")
        if not isinstance(url, str) or not URL_PATTERN.match(url):
            continue
        quote = record.data.get("quote") if isinstance(record.data.get("quote"), dict) else {}
        text = quote.get("text") if isinstance(quote.get("text"), str) else None
        seen = quote.get("seen") if isinstance(quote.get("seen"), str) else None
        found.append(Target(record.id, url, text, seen or _text(record.data.get("accessed"))))
    return sorted(found, key=lambda t: t.source)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def existing(project: Project) -> dict[str, dict[str, Any]]:
    """The checks the file holds now, by source (nothing when there is no file, or it cannot be read)."""
    if not project.citation_checks.is_file():
        return {}
    record, _problems = read_record(project.citation_checks, project)
    checks = record.data.get("checks") if record is not None else None
    return {c["source"]: c for c in checks or [] if isinstance(c, dict) and isinstance(c.get("source"), str)}


def safe_url(url: str | None) -> str | None:
    """`url` as the schema and the graph accept it (unsafe characters percent-encoded), or None when it cannot be.

    >>> safe_url('https://example.org/a b"c')
    'https://example.org/a%20b%22c'
    >>> safe_url("ftp://example.org/") is None
    True
    """
    if not url:
        return None
    fixed = UNSAFE_IN_URL.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), url)
    if len(fixed) > 2000 or not URL_PATTERN.match(fixed):
        return None
    try:
        ox.NamedNode(fixed)
    except ValueError:
        return None
    return fixed


def entry(result: Result, checked: str, before: dict[str, Any] | None) -> dict[str, Any]:
    """One check as the file holds it; `before` is the source's entry so far."""
    out: dict[str, Any] = {"source": result.source, "checked": checked, "url": result.url, "outcome": result.outcome}
    if result.status is not None and 100 <= result.status <= 599:
        out["status"] = result.status
    final = safe_url(result.final_url)
    if final and final != result.url:
        out["final_url"] = final
        hops = [{"status": s, "url": u} for s, u in ((s, safe_url(u)) for s, u in result.redirects) if u and 300 <= s <= 399]
        if hops:
            out["redirects"] = hops[:20]
    if result.quote_found is not None:
        out["quote_found"] = result.quote_found
    detail = CONTROL.sub("?", result.detail).strip()
    if detail:
        out["detail"] = detail if len(detail) <= MAX_DETAIL else detail[: MAX_DETAIL - 1] + "…"
    archived = safe_url(result.archive.copy) if result.archive is not None else None
    if archived:
        out["archived"] = archived
        if result.archive is not None and result.archive.on:
            out["archived_on"] = result.archive.on
    if before:
        if before.get("checked") == checked:      # checked again today: the check before stays the one before
            previous = (before.get("previous_outcome"), before.get("previous_checked"))
        else:
            previous = (before.get("outcome"), before.get("checked"))
        if isinstance(previous[0], str) and isinstance(previous[1], str):
            out["previous_outcome"], out["previous_checked"] = previous
    return out


def merged(old: dict[str, dict[str, Any]], results: list[Result], checked: str, known: set[str]) -> list[dict[str, Any]]:
    """The file's checks after a run: this run's results, the untouched entries of other known sources, by source."""
    out = {source: entry_ for source, entry_ in old.items() if source in known}
    for result in results:
        out[result.source] = entry(result, checked, old.get(result.source))
    return [out[source] for source in sorted(out)]


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def render(checks: list[dict[str, Any]]) -> str:
    """The file's text: fixed field order, strings JSON-quoted, nothing that depends on the run but its content."""
    lines = [HEADER.rstrip("\n"), "checks:" if checks else "checks: []"]
    for check in checks:
        first = True
        for key in FIELDS:
            if key not in check:
                continue
            lead = "- " if first else "  "
            first = False
            value = check[key]
            if key == "redirects":
                lines.append(f"{lead}redirects:")
                lines.extend(f"  - {{status: {hop['status']}, url: {_scalar(hop['url'])}}}" for hop in value)
            else:
                lines.append(f"{lead}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def write(project: Project, checks: list[dict[str, Any]]) -> Path:
    """Write the checks file (only when its text changes); its path."""
    path = project.citation_checks
    text = render(checks)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return path


__all__ = ["CITATION_CHECKS", "entry", "existing", "merged", "render", "safe_url", "targets", "write"]
