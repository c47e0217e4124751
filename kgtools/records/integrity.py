"""Rules no schema can express, one function per rule, over the whole corpus.

Each rule returns problems; `check_integrity` runs them all. References are
plain ids resolved here against the set of records, with hints from the
nearest ids of the right kind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from kgtools.records.loader import Corpus, Record
from kgtools.records.problems import PLACEHOLDER, Problem, field_name
from kgtools.records.schemas import SchemaSet
from kgtools.records.suggest import did_you_mean
from kgtools.records.walk import walk


class Index:
    """Ids of every record by kind, and each concept's type and scheme."""

    def __init__(self, corpus: Corpus) -> None:
        self.ids: dict[str, set[str]] = defaultdict(set)
        self.concept_type: dict[str, str] = {}
        self.concept_scheme: dict[str, str] = {}
        self.source_kind: dict[str, str] = {}
        self.sections: dict[str, dict[str, str]] = {}   # seed document → section id → title
        for record in corpus.records:
            self.ids[record.kind].add(record.id)
            if record.kind == "source":
                self.source_kind[record.id] = str(record.data.get("kind", ""))
                sections = record.data.get("sections")
                if isinstance(sections, list):
                    self.sections[record.id] = {str(s.get("id")): str(s.get("title", "")) for s in sections
                                                if isinstance(s, dict)}
            if record.kind == "concept":
                self.concept_type[record.id] = str(record.data.get("type", "concept"))
                self.concept_scheme[record.id] = str(record.data.get("scheme", ""))

    def schemes(self) -> set[str]:
        return {cid for cid, kind in self.concept_type.items() if kind == "scheme"}


def _problem(record: Record, pointer: tuple, message: str, hint: str = "") -> Problem:
    return Problem(record.display, record.line_of(pointer), field_name(pointer), message, hint)


def rule_id_matches_file(record: Record, index: Index, schemas: SchemaSet) -> Iterable[Problem]:
    if isinstance(record.data.get("id"), str) and record.data["id"] != record.path.stem:
        yield _problem(record, ("id",), f"id `{record.data['id']}` differs from the file name `{record.path.name}`",
                       f"rename the file to `{record.data['id']}.yaml` or set `id: {record.path.stem}`")


def rule_references(record: Record, index: Index, schemas: SchemaSet) -> Iterable[Problem]:
    """Every reference names an existing record of the kind the schema says."""
    for pointer, spec, value in walk(schemas, schemas.entity_spec(record.kind), record.data):
        target = spec.get("x-ref")
        if target is None or not isinstance(value, str) or value.startswith(PLACEHOLDER):
            continue
        kind = "concept" if target == "scheme" else target
        if value not in index.ids[kind]:
            elsewhere = [k for k, ids in index.ids.items() if value in ids]
            hint = (f"`{value}` is a {elsewhere[0]}, but this field needs a {target}" if elsewhere
                    else did_you_mean(value, index.schemes() if target == "scheme" else index.ids[kind])
                    or f"create corpus/{kind}s/{value}.yaml or fix the spelling".replace("technologys", "technologies"))
            yield _problem(record, pointer, f"no {target} with id `{value}`", hint)
            continue
        if target == "scheme" and index.concept_type.get(value) != "scheme":
            yield _problem(record, pointer, f"`{value}` is a concept, not a concept scheme",
                           did_you_mean(value, index.schemes()))
        wanted_scheme = spec.get("x-scheme")
        if wanted_scheme and index.concept_scheme.get(value) != wanted_scheme:
            candidates = [c for c, s in index.concept_scheme.items() if s == wanted_scheme]
            yield _problem(record, pointer, f"`{value}` is not in the `{wanted_scheme}` scheme",
                           did_you_mean(value, candidates) or f"pick a concept whose scheme is {wanted_scheme}")
        if kind == record.kind and value == record.id and pointer[0] != "id":
            yield _problem(record, pointer, "a record cannot refer to itself", "remove this entry")


def rule_no_placeholders(record: Record, index: Index, schemas: SchemaSet) -> Iterable[Problem]:
    """Scaffolded records carry TODO placeholders until the contributor fills them."""
    for pointer, _spec, value in walk(schemas, schemas.entity_spec(record.kind), record.data):
        if isinstance(value, str) and value.startswith(PLACEHOLDER):
            wanted = value.removeprefix(PLACEHOLDER).strip(" :")
            yield _problem(record, pointer, "still holds the placeholder from `kg new`",
                           f"replace it: {wanted}" if wanted else "replace it with real content")


def rule_citations_name_known_sections(record: Record, index: Index, schemas: SchemaSet) -> Iterable[Problem]:
    """A citation of a seed document names one of its sections; other sources have no section ids."""
    for pointer, spec, value in walk(schemas, schemas.entity_spec(record.kind), record.data):
        if spec.get("x-derived-from") != "source" or not isinstance(value, dict):
            continue
        source, section = value.get("source"), value.get("section")
        if not isinstance(source, str) or source.startswith(PLACEHOLDER) or source not in index.source_kind:
            continue  # an unknown source is reported by the reference rule
        known = index.sections.get(source)
        if index.source_kind[source] != "source-document":
            if section is not None:
                yield _problem(record, (*pointer, "section"), f"`{source}` is not a seed document and has no sections",
                               "give the heading or anchor in `locator` and remove `section`")
            continue
        if section is None:
            yield _problem(record, pointer, f"a citation of `{source}` needs `section`",
                           _section_hint(str(value.get("locator", "")), known or {}))
        elif known is not None and section not in known:
            yield _problem(record, (*pointer, "section"), f"`{source}` has no section `{section}`",
                           did_you_mean(str(section), known) or _section_hint(str(value.get("locator", "")), known))


def _section_hint(locator: str, known: dict[str, str]) -> str:
    """The section a locator's leading number or title points at, as a hint."""
    number = locator.split(" ", 1)[0]
    if f"s{number}" in known:
        return f"did you mean `section: s{number}` ({known[f's{number}']})?"
    title = locator.split("·", 1)[0].strip()
    for sid, heading in known.items():
        if title and title in heading:
            return f"did you mean `section: {sid}` ({heading})?"
    return "pick the id of the section from the source record's `sections`"


def rule_sections_form_a_tree(record: Record, index: Index, schemas: SchemaSet) -> Iterable[Problem]:
    """Section ids are unique within their document, and every parent is a section of the same document."""
    sections = record.data.get("sections") if record.kind == "source" else None
    if not isinstance(sections, list):
        return
    seen: set[str] = set()
    ids = {s.get("id") for s in sections if isinstance(s, dict)}
    for i, section in enumerate(sections):
        if not isinstance(section, dict):
            continue
        if section.get("id") in seen:
            yield _problem(record, ("sections", i, "id"), f"section id `{section.get('id')}` is used twice", "give each section its own id")
        seen.add(section.get("id"))
        parent = section.get("parent")
        if parent is not None and parent not in ids:
            yield _problem(record, ("sections", i, "parent"), f"no section `{parent}` in this document",
                           did_you_mean(str(parent), [str(x) for x in ids]))


def rule_no_spelled_out_defaults(record: Record, index: Index, schemas: SchemaSet) -> Iterable[Problem]:
    """A field holding its schema default (`rank: normal`) says nothing; the graph implies it, so leave it out."""
    for pointer, spec, value in walk(schemas, schemas.entity_spec(record.kind), record.data):
        if pointer and "default" in spec and value == spec["default"]:
            yield _problem(record, pointer, f"`{value}` is the default", f"remove `{pointer[-1]}:`; it is implied")


RECORD_RULES: list[Callable[[Record, Index, SchemaSet], Iterable[Problem]]] = [
    rule_id_matches_file,
    rule_references,
    rule_no_placeholders,
    rule_no_spelled_out_defaults,
    rule_citations_name_known_sections,
    rule_sections_form_a_tree,
]


def rule_unique_ids(corpus: Corpus) -> Iterable[Problem]:
    seen: dict[tuple[str, str], Record] = {}
    for record in corpus.records:
        key = (record.kind, record.id)
        if key in seen:
            first = seen[key]
            yield _problem(record, ("id",), f"duplicate id `{record.id}`",
                           f"also used by {first.display}:{first.line_of(('id',))}; pick another id")
        else:
            seen[key] = record


def rule_broader_acyclic(corpus: Corpus) -> Iterable[Problem]:
    """skos:broader must form a hierarchy: report each cycle once, at its smallest member."""
    broader = {r.id: [b for b in r.data.get("broader", []) if isinstance(b, str)]
               for r in corpus.by_kind("concept") if isinstance(r.data.get("broader", []), list)}
    records = {r.id: r for r in corpus.by_kind("concept")}
    reported: set[frozenset[str]] = set()
    for start in sorted(broader):
        stack = [(start, [start])]
        visited: set[str] = set()
        while stack:
            node, trail = stack.pop()
            for parent in broader.get(node, []):
                if parent == start:
                    cycle = frozenset(trail)
                    if cycle not in reported and min(cycle) == start:
                        reported.add(cycle)
                        loop = " → ".join([*trail, start])
                        yield _problem(records[start], ("broader",), f"broader forms a cycle: {loop}",
                                       "a concept cannot be (indirectly) broader than itself; remove one link")
                elif parent not in visited:
                    visited.add(parent)
                    stack.append((parent, [*trail, parent]))


CORPUS_RULES: list[Callable[[Corpus], Iterable[Problem]]] = [rule_unique_ids, rule_broader_acyclic]


def check_integrity(corpus: Corpus, schemas: SchemaSet, only: set[str] | None = None) -> list[Problem]:
    """All integrity problems; with `only`, just those in the named files."""
    index = Index(corpus)
    problems: list[Problem] = []
    for record in corpus.records:
        if only is None or record.display in only:
            for rule in RECORD_RULES:
                problems.extend(rule(record, index, schemas))
    for corpus_rule in CORPUS_RULES:
        problems.extend(p for p in corpus_rule(corpus) if only is None or p.path in only)
    return problems
