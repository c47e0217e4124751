"""`kg release VERSION`: a citable, checkable snapshot of the built graph in `build/releases/VERSION/`.

A release is the graph folder's three dumps, gzip-compressed under versioned
names (`stackatlas-VERSION.nt.gz`, `.ttl.gz`, `.jsonld.gz`), a `SHA256SUMS`
file that `sha256sum -c` reads, the graph diff against the previous release
(`changes.json`, `kg diff`'s JSON) and `release.json`, which the Atom feed
and the Downloads page are written from. The same graph always gives the same
bytes: gzip stores no name and mtime 0, and the dumps are deterministic.

The changelog entry comes from `kg diff`'s comparison of the previous
release's N-Triples with this one's, entity by entity; labels in it come from
records, so they are escaped for Markdown and stripped of control characters.

>>> sorted(["1.10", "1.9", "1.10rc1", "0.2"], key=version_key)
['0.2', '1.9', '1.10rc1', '1.10']
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import DCTERMS

from kgtools.graph.diff import EntityChange, Labeller, compare, render_json, summary
from kgtools.graph.dumps import DUMP_NAME, FORMATS
from kgtools.graph.feed import FEED_NAME, atom_feed
from kgtools.graph.vocab import split_entity_iri
from kgtools.records.terminal import printable

RELEASES = "releases"
SUMS = "SHA256SUMS"
INFO = "release.json"
CHANGES = "changes.json"
CHANGELOG = "CHANGELOG.md"
CHANGELOG_HEAD = ("# Changelog\n\nReleases of the Stack Atlas dataset, newest first. `kg release VERSION` writes each entry from\n"
                  "`kg diff` against the previous release's graph; the dumps and their SHA-256 sums are in\n"
                  "`build/releases/VERSION/` and on the site's Downloads page (feed: `downloads/releases/releases.atom`).\n")
VERSION_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}")
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")


class ReleaseError(Exception):
    """A release that cannot be made: a bad version or date, or a previous release without its dump."""


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order: numbers as numbers; a suffix after a number (`rc1`) sorts before the bare number's successor."""
    parts = re.findall(r"\d+|[A-Za-z]+", version)
    # A bare release sorts after its pre-releases: (1, 10) + end marker beats (1, 10, "rc", 1).
    return (*((0, int(p)) if p.isdigit() else (-1, p) for p in parts), (1, 0))


@dataclass(frozen=True)
class ReleaseInfo:
    """What `release.json` says about one release."""

    version: str
    date: str                                  # YYYY-MM-DD
    previous: str | None
    triples: int
    entities: int
    changes: dict[str, int] | None             # added / removed / changed entities since `previous`
    files: dict[str, tuple[str, int]]          # file name → (SHA-256, size in bytes)

    def sort_key(self) -> tuple[tuple[int, int | str], ...]:
        return version_key(self.version)

    def summary_line(self) -> str:
        line = f"{self.triples:,} triples, {self.entities:,} entities"
        if self.previous is None or self.changes is None:
            return line + "; first release."
        c = self.changes
        return line + f"; since {self.previous}: {c['added']} added, {c['removed']} removed, {c['changed']} changed entities."

    def to_json(self) -> bytes:
        data = asdict(self)
        data["files"] = {name: {"sha256": sha, "bytes": size} for name, (sha, size) in sorted(self.files.items())}
        return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, data: dict) -> ReleaseInfo:
        files = {name: (f["sha256"], int(f["bytes"])) for name, f in data["files"].items()}
        return cls(data["version"], data["date"], data.get("previous"), int(data["triples"]), int(data["entities"]),
                   data.get("changes"), files)


@dataclass
class ReleasePlan:
    """Everything a release writes, computed in memory first (so `--dry-run` writes nothing)."""

    info: ReleaseInfo
    files: dict[str, bytes]
    entry: str
    changes: list[EntityChange] | None


def gzip_bytes(data: bytes) -> bytes:
    """gzip without a file name and with mtime 0: the same input gives the same bytes."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def dump_name(version: str, extension: str) -> str:
    return f"{DUMP_NAME}-{version}.{extension}.gz"


def list_releases(releases_dir: Path) -> list[ReleaseInfo]:
    """Every release under `releases_dir` (folders with a `release.json`), oldest version first."""
    if not releases_dir.is_dir():
        return []
    out = []
    for info in sorted(releases_dir.glob(f"*/{INFO}")):
        out.append(ReleaseInfo.from_json(json.loads(info.read_text(encoding="utf-8"))))
    return sorted(out, key=ReleaseInfo.sort_key)


def previous_release(releases: list[ReleaseInfo], version: str) -> ReleaseInfo | None:
    """The latest release before `version` in version order (re-releasing a version replaces it)."""
    earlier = [r for r in releases if version_key(r.version) < version_key(version)]
    return earlier[-1] if earlier else None


def _read_graph(ntriples: bytes) -> Graph:
    return Graph().parse(data=ntriples.decode("utf-8"), format="nt")


def plan_release(graph_dir: Path, releases_dir: Path, version: str, date: str, ontology: Path) -> ReleasePlan:
    """The release of the graph in `graph_dir` as `version`, compared with the release before it."""
    if not VERSION_PATTERN.fullmatch(version):
        raise ReleaseError(f"`{printable(version)}` is not a version: use letters, digits and . + _ - (e.g. 0.2.0)")
    if not DATE_PATTERN.fullmatch(date):
        raise ReleaseError(f"`{printable(date)}` is not a date: use YYYY-MM-DD")
    missing = [f"{DUMP_NAME}.{ext}" for ext in FORMATS if not (graph_dir / f"{DUMP_NAME}.{ext}").is_file()]
    if missing:
        raise ReleaseError(f"{graph_dir} lacks {', '.join(missing)}; run `kg build --graph-only` first")
    files = {dump_name(version, ext): gzip_bytes((graph_dir / f"{DUMP_NAME}.{ext}").read_bytes()) for ext in FORMATS}
    new = _read_graph((graph_dir / f"{DUMP_NAME}.nt").read_bytes())
    previous = previous_release(list_releases(releases_dir), version)
    changes = None
    if previous is not None:
        old_dump = releases_dir / previous.version / dump_name(previous.version, "nt")
        if not old_dump.is_file():
            raise ReleaseError(f"release {previous.version} lacks {old_dump.name}; cannot compare with it")
        old = _read_graph(gzip.decompress(old_dump.read_bytes()))
        changes = compare(old, new, Labeller([new, old], ontology))
        files[CHANGES] = (render_json(changes) + "\n").encode("utf-8")
    digests = {name: (hashlib.sha256(data).hexdigest(), len(data)) for name, data in sorted(files.items())}
    files[SUMS] = "".join(f"{sha}  {name}\n" for name, (sha, _) in digests.items()).encode("ascii")
    entities = {str(s) for s in new.subjects(DCTERMS.identifier, None) if split_entity_iri(str(s))}
    info = ReleaseInfo(version, date, previous.version if previous else None, len(new), len(entities),
                       summary(changes) if changes is not None else None, digests)
    files[INFO] = info.to_json()
    return ReleasePlan(info, files, changelog_entry(info, changes), changes)


def _md(text: str) -> str:
    """Record text as inert Markdown: one line, no control characters, no markup or HTML."""
    return re.sub(r"([\\`*_\[\]<>#|!~&])", r"\\\1", printable(text))


def changelog_entry(info: ReleaseInfo, changes: list[EntityChange] | None) -> str:
    """The release's section of CHANGELOG.md: totals, then the entities `kg diff` found added, removed or changed."""
    names = ", ".join(f"`{name}`" for name in sorted(info.files) if name.endswith(".gz"))
    out = [f"## {info.version} — {info.date}", "",
           f"{info.triples:,} triples, {info.entities:,} entities. Dumps {names}; SHA-256 sums in `{SUMS}`.", ""]
    if changes is None:
        out += ["First release.", ""]
        return "\n".join(out)
    totals = summary(changes)
    out += [f"Since {info.previous}: {totals['added']} added, {totals['removed']} removed, "
            f"{totals['changed']} changed entities.", ""]
    for status, heading in (("added", "Added"), ("removed", "Removed"), ("changed", "Changed")):
        rows = [c for c in changes if c.status == status]
        if not rows:
            continue
        out += [f"### {heading}", ""]
        for change in rows:
            kind_id = split_entity_iri(change.iri)
            name = f"{kind_id[0]}/{kind_id[1]}" if kind_id else change.iri
            counts = f" (+{len(change.added)} / −{len(change.removed)} statements)" if status == "changed" else ""
            out.append(f"- `{printable(name).replace('`', '')}` — {_md(change.label)}{counts}")
        out.append("")
    return "\n".join(out)


def changelog_with(text: str, version: str, entry: str) -> str:
    """`text` (CHANGELOG.md, maybe empty) with `entry` as its newest section, replacing an older one for `version`."""
    sections: list[list[str]] = []
    head: list[str] = []
    for line in text.splitlines():
        if line.startswith("## "):
            sections.append([line])
        elif sections:
            sections[-1].append(line)
        else:
            head.append(line)
    kept = [s for s in sections if s[0].split(" ")[1] != version]
    top = "\n".join(head).strip() or CHANGELOG_HEAD.strip()
    body = [entry.strip()] + ["\n".join(s).strip() for s in kept]
    return top + "\n\n" + "\n\n".join(body) + "\n"


def write_release(plan: ReleasePlan, releases_dir: Path, changelog: Path) -> Path:
    """Write the release folder (replacing one of the same version), then the feed and the changelog."""
    releases_dir.mkdir(parents=True, exist_ok=True)
    folder = releases_dir / plan.info.version
    staging = releases_dir / f".{plan.info.version}.staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    for name, data in plan.files.items():
        (staging / name).write_bytes(data)
    if folder.exists():
        shutil.rmtree(folder)
    staging.rename(folder)
    (releases_dir / FEED_NAME).write_bytes(atom_feed(list_releases(releases_dir)))
    old = changelog.read_text(encoding="utf-8") if changelog.is_file() else ""
    changelog.write_text(changelog_with(old, plan.info.version, plan.entry), encoding="utf-8")
    return folder
