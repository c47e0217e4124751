"""`kg check`: read, validate and cross-check records, collecting every problem."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kgtools.records.cache import RecordCache
from kgtools.records.integrity import check_integrity
from kgtools.records.loader import Corpus, load_corpus
from kgtools.records.problems import Problem, display_path
from kgtools.records.project import KINDS, Project
from kgtools.records.schemas import SchemaSet
from kgtools.records.validate import validate_record


@dataclass
class CheckResult:
    corpus: Corpus
    schemas: SchemaSet
    problems: list[Problem]
    checked_files: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        counts = {kind: len(self.corpus.by_kind(kind)) for kind in
                  KINDS}
        shown = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        check_files = sum(1 for r in self.corpus.records if r.kind not in KINDS)   # corpus/checks/*.yaml
        if check_files:
            shown += f", {check_files} check file{'s' if check_files > 1 else ''}"
        if self.checked_files is not None:
            return (f"checked {self.checked_files} file(s) against the whole corpus of {len(self.corpus.records)} records "
                    f"({shown}): no problems")
        return f"checked {len(self.corpus.records)} records ({shown}): no problems"


def check(project: Project, files: list[Path] | None = None) -> CheckResult:
    """Check the corpus; with `files`, report only problems in those (against the whole corpus).

    >>> from kgtools.records.project import find_project
    >>> result = check(find_project())
    >>> result.ok, len(result.corpus.by_kind("case")) > 30
    (True, True)

    Records parsed by an earlier run are taken from the record cache when their
    bytes are unchanged, so checking one edited file parses one file.
    """
    schemas = SchemaSet.load(project.schemas)
    corpus = load_corpus(project, cache=RecordCache.for_project(project))
    only = {display_path(f, project.root) for f in files} if files else None
    problems = [p for p in corpus.problems if only is None or p.path in only]
    if only is not None:
        known = {r.display for r in corpus.records} | {p.path for p in corpus.problems}
        problems += [Problem(f, 1, "(file)", "no such record file", "give a path under corpus/")
                     for f in sorted(only - known)]
    for record in corpus.records:
        if only is None or record.display in only:
            problems.extend(validate_record(record, schemas))
    problems.extend(check_integrity(corpus, schemas, only))
    return CheckResult(corpus, schemas, sorted(set(problems)), len(only) if only is not None else None)
