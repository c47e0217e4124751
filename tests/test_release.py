"""`kg release`: versioned, compressed, checksummed dumps; a changelog entry from `kg diff`; an Atom feed."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from kgtools.graph.release import ReleaseInfo, changelog_with, version_key
from kgtools.records.project import Project

from .conftest import run_kg

ATOM = "{http://www.w3.org/2005/Atom}"


def release(project: Project, capsys: pytest.CaptureFixture[str], version: str, *more: str) -> tuple[int, str, str]:
    return run_kg(project, capsys, "release", version, *more)


def sums(folder: Path) -> dict[str, str]:
    lines = (folder / "SHA256SUMS").read_text(encoding="ascii").splitlines()
    return {name: sha for sha, name in (line.split("  ", 1) for line in lines)}


def rename_temporal(project: Project) -> None:
    path = project.root / "corpus" / "technologies" / "temporal.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\n  en: Temporal\n" in text
    path.write_text(text.replace("\n  en: Temporal\n", "\n  en: Temporal Server\n"), encoding="utf-8")


def test_release_writes_compressed_dumps_with_matching_checksums(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = release(mini, capsys, "1.0.0", "--date", "2026-01-02")
    assert code == 0, err
    folder = mini.build / "releases" / "1.0.0"
    names = {f"stackatlas-1.0.0.{ext}.gz" for ext in ("nt", "ttl", "jsonld")}
    listed = sums(folder)
    assert set(listed) == names  # a first release has no changes.json
    for name, sha in listed.items():
        data = (folder / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha
        assert sha in out
        assert data[4:8] == b"\0\0\0\0"  # gzip mtime 0
        plain = name.removesuffix(".gz").replace("-1.0.0", "")
        assert gzip.decompress(data) == (mini.build / "graph" / plain).read_bytes()
    info = ReleaseInfo.from_json(json.loads((folder / "release.json").read_text(encoding="utf-8")))
    assert (info.version, info.date, info.previous, info.changes) == ("1.0.0", "2026-01-02", None, None)
    assert info.entities == 54 and {n: s for n, (s, _) in info.files.items()} == listed
    changelog = (mini.root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.startswith("# Changelog\n") and "## 1.0.0 — 2026-01-02" in changelog and "First release." in changelog


def test_same_graph_gives_the_same_bytes(mini: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert release(mini, capsys, "1.0.0", "--date", "2026-01-02")[0] == 0
    assert release(mini, capsys, "1.0.0", "--date", "2026-01-02", "--out", str(tmp_path / "other"))[0] == 0
    first, second = mini.build / "releases" / "1.0.0", tmp_path / "other" / "releases" / "1.0.0"
    assert sorted(p.name for p in first.iterdir()) == sorted(p.name for p in second.iterdir())
    for path in first.iterdir():
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


def test_second_release_lists_the_diff_and_the_feed_has_one_entry_per_release(
        mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert release(mini, capsys, "0.1.0", "--date", "2026-01-02")[0] == 0
    rename_temporal(mini)
    code, out, err = release(mini, capsys, "0.2.0", "--date", "2026-02-03")
    assert code == 0, err
    assert "since 0.1.0: 0 added, 0 removed, 1 changed entities" in out
    folder = mini.build / "releases" / "0.2.0"
    changes = json.loads((folder / "changes.json").read_text(encoding="utf-8"))
    assert changes["summary"] == {"added": 0, "removed": 0, "changed": 1}
    [entity] = changes["entities"]
    assert entity["iri"] == "https://w3id.org/stackatlas/technology/temporal"
    assert any("Temporal Server" in line for line in entity["added"])
    assert "changes.json" in sums(folder)
    changelog = (mini.root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.index("## 0.2.0 — 2026-02-03") < changelog.index("## 0.1.0 — 2026-01-02")  # newest first
    section = changelog.split("## 0.2.0", 1)[1].split("## 0.1.0", 1)[0]
    assert "Since 0.1.0: 0 added, 0 removed, 1 changed entities." in section
    assert "- `technology/temporal` — Temporal Server (+2 / −2 statements)" in section

    feed = ET.fromstring((mini.build / "releases" / "releases.atom").read_bytes())
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Stack Atlas 0.2.0", "Stack Atlas 0.1.0"]
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == 2
    assert feed.findtext(f"{ATOM}updated") == entries[0].findtext(f"{ATOM}updated") == "2026-02-03T00:00:00Z"
    for entry in entries:
        enclosures = [link for link in entry.findall(f"{ATOM}link") if link.get("rel") == "enclosure"]
        assert len(enclosures) >= 3
        for link in enclosures:
            target = mini.build / "releases" / link.get("href", "")
            assert target.is_file() and int(link.get("length", "-1")) == target.stat().st_size

    # Releasing 0.2.0 again replaces its entry rather than adding one.
    assert release(mini, capsys, "0.2.0", "--date", "2026-02-03")[0] == 0
    changelog = (mini.root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.count("## 0.2.0") == 1 and changelog.count("## 0.1.0") == 1
    feed = ET.fromstring((mini.build / "releases" / "releases.atom").read_bytes())
    assert len(feed.findall(f"{ATOM}entry")) == 2


def test_dry_run_prints_the_entry_and_writes_no_release(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert release(mini, capsys, "0.1.0", "--date", "2026-01-02")[0] == 0
    before = (mini.root / "CHANGELOG.md").read_text(encoding="utf-8")
    rename_temporal(mini)
    code, out, err = release(mini, capsys, "0.2.0", "--dry-run", "--date", "2026-02-03")
    assert code == 0, err
    assert out.startswith("## 0.2.0 — 2026-02-03") and "`technology/temporal`" in out
    assert "nothing written" in err
    assert not (mini.build / "releases" / "0.2.0").exists()
    assert (mini.root / "CHANGELOG.md").read_text(encoding="utf-8") == before


@pytest.mark.parametrize("version", ["../evil", "-1", "", "a/b", "1.0 beta"])
def test_a_version_that_is_not_a_name_is_refused(mini: Project, capsys: pytest.CaptureFixture[str], version: str) -> None:
    code, _, _ = release(mini, capsys, version, "--date", "2026-01-02")
    assert code in (1, 2) and not (mini.build / "releases").exists()


def test_labels_in_the_changelog_are_inert_markdown() -> None:
    from kgtools.graph.diff import EntityChange
    from kgtools.graph.release import changelog_entry

    info = ReleaseInfo("2", "2026-01-01", "1", 1, 1, {"added": 1, "removed": 0, "changed": 0}, {})
    change = EntityChange("https://w3id.org/stackatlas/technology/x", "<img src=x onerror=alert(1)> [a](javascript:x)\n## 9",
                          "added")
    entry = changelog_entry(info, [change])
    # Every "<", "[", "]" and "#" from the label is backslash-escaped, and the newline is shown as \\n.
    assert not re.search(r"(?<!\\)[<\[\]]", entry.split(" — ", 2)[2]) and "\n## 9" not in entry


def test_changelog_and_version_order() -> None:
    assert sorted(["0.10.0", "0.9.1", "0.10.0rc1"], key=version_key) == ["0.9.1", "0.10.0rc1", "0.10.0"]
    text = changelog_with("", "0.1.0", "## 0.1.0 — 2026-01-01\n\nFirst release.\n")
    text = changelog_with(text, "0.2.0", "## 0.2.0 — 2026-02-01\n\nSecond.\n")
    assert text.index("## 0.2.0") < text.index("## 0.1.0") and text.endswith("First release.\n")
