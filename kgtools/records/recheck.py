"""`kg check` again after an edit, reading and checking only what the edit can have changed.

`kg serve` checks the corpus after every save. A full `check` reads every
file (from the record cache, still a tenth of a second and more on the real
corpus) and runs every integrity rule on every record (two tenths); one save
changes one file. `Rechecker.check()` gives what `check(project)` would give,
every problem of every file, while doing only the work whose answer can differ:

* a file is read again when its size, modification time or inode changed, when
  the caller names it, or when it was modified so shortly before it was last
  read that a second write in the same clock tick could have gone unseen
  (git's "racily clean" rule); every other file keeps its record and its
  reading problems;
* a record is validated against its schema when it was read again (the
  schema's answer depends on the record alone), all of them when a schema
  file changed;
* the integrity rules that look at one record (`RECORD_RULES`) see that record
  and the `Index` of the corpus (ids by kind, sources' kinds, sections and
  tasks, categories, figure counts, concepts' types and schemes), nothing
  else. So they run for the records read again, and for every record when the
  edit changed the index: an id added, removed or renamed, a section renamed,
  a concept moved to another scheme. A reference that a rename left dangling
  in another file is reported as `kg check` reports it;
* the rules over the whole corpus (unique ids, no broader cycle) always run.

`tests/test_recheck.py` compares the problems with a full `check` after each
kind of edit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from kgtools.records.cache import RecordCache
from kgtools.records.check import CheckResult
from kgtools.records.integrity import CORPUS_RULES, RECORD_RULES, Index
from kgtools.records.loader import Corpus, Record, read_record, record_files
from kgtools.records.problems import Problem, display_path
from kgtools.records.project import CheckoutReader, Project
from kgtools.records.schemas import SchemaSet
from kgtools.records.validate import validate_record

RACY_NS = 2_000_000_000   # a file modified this close to its reading is read again next time (coarse file clocks)

Signature = tuple[int, int, int]   # size, modification time (ns), inode


@dataclass
class _File:
    """One record file as last read and checked."""

    signature: Signature | None
    read_at: int                                   # time.time_ns() when its reading began
    record: Record | None
    read: list[Problem]                            # problems met reading it
    schema: list[Problem] | None = None            # its schema problems, None until validated
    rules: list[Problem] | None = field(default=None)  # its record rules' problems under the current index


def _signature(path: Path) -> Signature | None:
    try:
        info = path.lstat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, info.st_ino


class Rechecker:
    """The checked state of one checkout's corpus, brought up to date by `check()`."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.files: dict[str, _File] = {}
        self.schemas: SchemaSet | None = None
        self.index: dict[str, object] | None = None
        self.reread: list[str] = []   # the files the last `check()` read again

    def check(self, files: list[Path] | None = None) -> CheckResult:
        """Every problem of the corpus as it is now, as `check(project)` reports them; `files` are read again in any case."""
        project = self.project
        schemas = SchemaSet.load(project.schemas)
        if self.schemas is None or schemas.documents != self.schemas.documents:
            for known in self.files.values():
                known.schema = known.rules = None
        self.schemas = schemas
        named = {display_path(f, project.root) for f in files or []}
        # The first reading takes the record cache (a thousand files); later ones read a file or two.
        cache = RecordCache.for_project(project) if not self.files else None
        now: dict[str, _File] = {}
        self.reread = []
        with CheckoutReader(project.root) as reader:
            for path in record_files(project):
                shown = display_path(path, project.root)
                signature, known = _signature(path), self.files.get(shown)
                if known is None or signature is None or known.signature != signature or shown in named \
                        or signature[1] >= known.read_at - RACY_NS:
                    started = time.time_ns()
                    record, problems = read_record(path, project, cache, reader)
                    known = _File(signature, started, record, problems)
                    self.reread.append(shown)
                now[shown] = known
        if cache is not None:
            cache.save(whole_corpus=True)
        self.files = now
        corpus = Corpus(project, [f.record for f in now.values() if f.record is not None],
                        [p for f in now.values() for p in f.read])
        rules_index = Index(corpus)
        # Compared as it is before any rule runs: rules may add empty entries to its defaultdicts.
        index = {name: dict(value) if isinstance(value, dict) else value for name, value in vars(rules_index).items()}
        if index != self.index:
            for known in now.values():
                known.rules = None
        self.index = index
        problems = list(corpus.problems)
        for known in now.values():
            if known.record is None:
                continue
            if known.schema is None:
                known.schema = validate_record(known.record, schemas)
            if known.rules is None:
                known.rules = [p for rule in RECORD_RULES for p in rule(known.record, rules_index, schemas)]
            problems += known.schema + known.rules
        for corpus_rule in CORPUS_RULES:
            problems.extend(corpus_rule(corpus))
        return CheckResult(corpus, schemas, sorted(set(problems)))
