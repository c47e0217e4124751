"""The compiled graph kept record by record, so that after an edit only the edited records are compiled again.

`kg serve` compiles the corpus after every save, and `compile_triples` over
the real corpus takes more than half a second of the refresh a contributor
waits for; one record's triples are a few dozen. Compiling record by record
is exact because every triple the compiler makes belongs to one record: the
triples of its entity and statement nodes (no record writes a triple about
another's), and what `derived_triples`, `statement_triples` and
`unit_triples` make of them, since each reads only the triples of the node it
derives from (a concept's broader link and scheme, a symmetric link, a
figure's unit and numbers, a statement's rank and citations).

One thing crosses records: a statement's evidence level is the class of the
sources it cites, which their own records say. Each record's entry keeps the
classes of the sources it defines, and an edit that changes them (a source's
kind changed, a source added or removed) compiles every record again. Two
records can make the same triple (an `integratesWith` listed at both ends,
one of them mirrored), so each line counts the records that make it and leaves
the graph only when none does.

A record is compiled again when its kind or text differs from what was
compiled: the text decides the data (comparing parsed data would take `1` for
`true` and for `1.0`, which compile to different literals).
`tests/test_incremental.py` holds the result to a full `compile_triples` of
the edited corpus, line for line.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass

from kgtools.graph.compile import (
    SYMMETRIC_KINDS,
    Compiler,
    Strength,
    Term,
    Triple,
    derived_triples,
    gc_paused,
    source_strengths,
    statement_classes,
    statement_triples,
    unit_table,
    unit_triples,
)
from kgtools.graph.dumps import nt_term
from kgtools.records.loader import Corpus, Record
from kgtools.records.project import CITATION_CHECKS
from kgtools.records.schemas import SchemaSet

SPLICE_LIMIT = 5_000   # changed lines up to which the sorted lines are patched in place rather than sorted again


@dataclass(frozen=True)
class Entry:
    """One record as last compiled: what it was compiled from, its distinct N-Triples lines, the sources it defines."""

    kind: str
    text: str
    lines: frozenset[str]
    sources: dict[Term, Strength]


@dataclass(frozen=True)
class Splice:
    """What one update did: the lines that entered and left the graph, how many records it compiled, whether all."""

    added: frozenset[str]
    removed: frozenset[str]
    compiled: int
    full: bool


class RecordGraph:
    """The graph of a corpus as each record's lines, patched by `update` as the corpus changes.

    >>> from kgtools.graph.compile import compile_triples
    >>> from kgtools.graph.dumps import canonical_ntriples
    >>> from kgtools.records.check import check
    >>> from kgtools.records.project import find_project
    >>> checked = check(find_project())
    >>> graph = RecordGraph(checked.schemas)
    >>> graph.update(checked.corpus).full
    True
    >>> graph.ntriples == canonical_ntriples(compile_triples(checked.corpus, checked.schemas))
    True
    >>> graph.update(checked.corpus).compiled     # nothing changed: nothing compiled
    0
    """

    def __init__(self, schemas: SchemaSet) -> None:
        self.compiler = Compiler(schemas)
        self.symmetric = self.compiler.plan.symmetric_predicates(SYMMETRIC_KINDS)
        self.classes = statement_classes(self.compiler.plan)
        self.units = unit_table(schemas)
        self.entries: dict[str, Entry] = {}     # by the record's display path
        self.counts: Counter[str] = Counter()   # line → how many records make it
        self.lines: list[str] = []              # the distinct lines, sorted: the canonical N-Triples
        self.sources: dict[Term, Strength] = {}

    @property
    def ntriples(self) -> str:
        """The graph as canonical N-Triples (what `canonical_ntriples(compile_triples(...))` gives)."""
        return "\n".join(self.lines) + "\n" if self.lines else ""

    def update(self, corpus: Corpus) -> Splice:
        """Compile the records of `corpus` that are new or changed, drop those gone, and say which lines moved."""
        current = {record.display: record for record in corpus.records}
        gone = [key for key in self.entries if key not in current]
        changed = [record for key, record in current.items() if not self._same(self.entries.get(key), record)]
        with gc_paused():
            own = {record.display: self._own(record) for record in changed}
            defined = {key: source_strengths(triples) for key, triples in own.items()}
            full = not self.entries or any(self.entries[key].sources for key in gone) or any(
                found != (self.entries[key].sources if key in self.entries else {}) for key, found in defined.items())
            dropped: set[str] = set()
            if full:   # every record again, with the sources' classes in record order as compile_triples reads them
                ordered = sorted(current.values(), key=lambda r: (r.kind, r.id))
                own = {record.display: own.get(record.display) or self._own(record) for record in ordered}
                defined = {key: source_strengths(triples) for key, triples in own.items()}
                self.sources = {}
                for found in defined.values():
                    self.sources.update(found)
                dropped = set(self.counts)
                self.entries, self.counts, changed = {}, Counter(), [current[key] for key in own]
            for key in [*gone, *(record.display for record in changed)]:
                entry = self.entries.pop(key, None)
                if entry is not None:
                    self._uncount(entry.lines, dropped)
            appeared: set[str] = set()
            counts = self.counts
            for record in changed:
                entry = Entry(record.kind, record.text, frozenset(map(_line, self._finish(own[record.display]))),
                              defined[record.display])
                self.entries[record.display] = entry
                for line in entry.lines:
                    counts[line] += 1
                    if counts[line] == 1:
                        appeared.add(line)
        added, removed = frozenset(appeared - dropped), frozenset(dropped - appeared)
        self._patch(added, removed, rebuild=full)
        return Splice(added, removed, len(changed), full)

    @staticmethod
    def _same(entry: Entry | None, record: Record) -> bool:
        return entry is not None and entry.kind == record.kind and (entry.text is record.text or entry.text == record.text)

    def _own(self, record: Record) -> list[Triple]:
        """The triples the compiler writes for one record, before anything is derived from them."""
        compiler = self.compiler
        if record.kind == CITATION_CHECKS:
            compiler.add_citation_checks(record)
        else:
            compiler.add_record(record)
        triples = compiler.triples[:]
        compiler.triples.clear()
        return triples

    def _finish(self, triples: list[Triple]) -> list[Triple]:
        """One record's triples and all `compile_triples` derives from them, in the order it derives them."""
        out = triples + derived_triples(triples, self.symmetric)
        out += statement_triples(out, self.classes, self.sources)
        out += unit_triples(out, self.units)
        return out

    def _uncount(self, lines: frozenset[str], dropped: set[str]) -> None:
        counts = self.counts
        for line in lines:
            counts[line] -= 1
            if counts[line] == 0:
                del counts[line]
                dropped.add(line)

    def _patch(self, added: frozenset[str], removed: frozenset[str], rebuild: bool) -> None:
        """Keep `lines` sorted: a few lines in or out by bisection, else sort again."""
        if rebuild or len(added) + len(removed) > SPLICE_LIMIT:
            self.lines = sorted(self.counts)
            return
        lines = self.lines
        for line in removed:
            index = bisect.bisect_left(lines, line)
            del lines[index]
        for line in added:
            bisect.insort(lines, line)


def _line(triple: Triple) -> str:
    s, p, o = triple
    return f"{nt_term(s)} {nt_term(p)} {nt_term(o)} ."
