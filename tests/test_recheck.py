"""`Rechecker` (what `kg serve` checks with after each save) finds every problem a full `kg check` finds, reading only what changed.

Each test edits a copy of the fixture corpus and compares the rechecked
problems with a full `check` of the same files, including problems the edit
causes in files it did not touch.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from kgtools.records.check import check
from kgtools.records.project import Project
from kgtools.records.recheck import RACY_NS, Rechecker


def _settled(project: Project) -> None:
    """Date every record file a minute back, so none is read again as 'modified while being read'."""
    past = time.time_ns() - 60 * 1_000_000_000
    for path in project.corpus.rglob("*.yaml"):
        os.utime(path, ns=(past, past))


def _same_as_full(project: Project, rechecker: Rechecker, files: list[Path] | None = None) -> list[str]:
    found = [p.text() for p in rechecker.check(files).problems]
    assert found == [p.text() for p in check(project).problems]
    return found


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_unchanged_corpus_is_not_read_again(mini: Project) -> None:
    _settled(mini)
    rechecker = Rechecker(mini)
    assert _same_as_full(mini, rechecker) == [] and len(rechecker.reread) > 40
    assert _same_as_full(mini, rechecker) == [] and rechecker.reread == []
    record = mini.corpus / "technologies" / "kubernetes.yaml"
    _replace(record, "An orchestration platform", "An orchestration system")
    assert _same_as_full(mini, rechecker) == [] and rechecker.reread == ["corpus/technologies/kubernetes.yaml"]


def test_a_renamed_id_leaves_references_elsewhere_dangling(mini: Project) -> None:
    """Renaming cadence (and its file) breaks temporal's `successor_of` and others: those files' problems count too."""
    _settled(mini)
    rechecker = Rechecker(mini)
    _same_as_full(mini, rechecker)
    old, new = mini.corpus / "technologies" / "cadence.yaml", mini.corpus / "technologies" / "cadence-workflow.yaml"
    _replace(old, "id: cadence\n", "id: cadence-workflow\n")
    old.rename(new)
    found = _same_as_full(mini, rechecker, [new])
    assert any(line.startswith("corpus/technologies/temporal.yaml:") and "cadence" in line for line in found), found
    assert rechecker.reread == ["corpus/technologies/cadence-workflow.yaml"]


def test_a_renamed_section_breaks_citations_in_other_records(mini: Project) -> None:
    _settled(mini)
    rechecker = Rechecker(mini)
    _same_as_full(mini, rechecker)
    source = mini.corpus / "sources" / "doc-stack-plan.yaml"
    _replace(source, "id: s1.4.1", "id: s1.4.9")
    found = _same_as_full(mini, rechecker, [source])
    assert any(line.startswith("corpus/technologies/kubernetes.yaml:") for line in found), found


def test_problems_in_other_files_and_whole_corpus_rules_stay_reported(mini: Project) -> None:
    """A broken file stays reported while another is edited; a duplicate id is the whole corpus's problem."""
    _settled(mini)
    rechecker = Rechecker(mini)
    _same_as_full(mini, rechecker)
    (mini.corpus / "technologies" / "go.yaml").write_text("id: go\nlabel: [unclosed\n", encoding="utf-8")
    assert _same_as_full(mini, rechecker)
    copy = mini.corpus / "technologies" / "kubernetes-copy.yaml"
    copy.write_text((mini.corpus / "technologies" / "kubernetes.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    found = _same_as_full(mini, rechecker, [copy])
    assert any("go.yaml" in line for line in found) and any("duplicate id" in line for line in found), found
    copy.unlink()
    (mini.corpus / "technologies" / "go.yaml").unlink()
    assert _same_as_full(mini, rechecker) != []       # temporal's `written_in: [go]` now dangles


def test_a_rewrite_in_the_same_clock_tick_is_read_again(mini: Project) -> None:
    """Same size, same modification time: a file written just before it was read is read again next time."""
    rechecker = Rechecker(mini)
    record = mini.corpus / "technologies" / "kubernetes.yaml"
    now = time.time_ns()
    os.utime(record, ns=(now, now))
    _same_as_full(mini, rechecker)
    _replace(record, "An orchestration platform", "An orchestration platfor!")   # same length
    os.utime(record, ns=(now, now))
    assert record.stat().st_mtime_ns >= now - RACY_NS
    assert _same_as_full(mini, rechecker) == []
    assert "corpus/technologies/kubernetes.yaml" in rechecker.reread
    assert "platfor!" in next(r for r in rechecker.check().corpus.records if r.id == "kubernetes").text
