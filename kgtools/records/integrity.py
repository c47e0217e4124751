"""Rules no schema can express, one function per rule, over the whole corpus.

Each rule returns problems; `check_integrity` runs them all. References are
plain ids resolved here against the set of records, with hints from the
nearest ids of the right kind.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable

from kgtools.models import CODE_ROOT
from kgtools.records.loader import Corpus, Record
from kgtools.records.problems import PLACEHOLDER, Problem, field_name
from kgtools.records.project import CITATION_CHECKS
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
        self.tasks: dict[str, set[str]] = {}             # source → ids of the tasks it lists
        self.tech_categories: dict[str, set[str]] = {}   # technology → its category concepts
        self.figure_counts: dict[str, int] = {}          # "case/<id>" or "assessment/<id>" → how many figures
        for record in corpus.records:
            self.ids[record.kind].add(record.id)
            if record.kind == "source":
                self.source_kind[record.id] = str(record.data.get("kind", ""))
                sections = record.data.get("sections")
                if isinstance(sections, list):
                    self.sections[record.id] = {str(s.get("id")): str(s.get("title", "")) for s in sections
                                                if isinstance(s, dict)}
                tasks = record.data.get("tasks")
                if isinstance(tasks, list):
                    self.tasks[record.id] = {str(t.get("id")) for t in tasks if isinstance(t, dict)}
            figures = record.data.get("figures" if record.kind == "case" else "measurements")
            if record.kind in ("case", "assessment") and isinstance(figures, list):
                self.figure_counts[f"{record.kind}/{record.id}"] = len(figures)
            if record.kind == "technology" and isinstance(record.data.get("categories"), list):
                self.tech_categories[record.id] = {str(c) for c in record.data["categories"]}
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
        # A document's claims about itself (its tasks, its figures) cite the document: not a loop.
        if kind == record.kind and value == record.id and pointer[0] != "id" and not (
                kind == "source" and "citations" in pointer):
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


def rule_tasks_name_known_tasks(record: Record, index: Index, schemas: SchemaSet) -> Iterable[Problem]:
    """Task ids are unique within their document, and a report's entry names tasks its plan lists."""
    tasks = record.data.get("tasks") if record.kind == "source" else None
    if not isinstance(tasks, list):
        return
    seen: set[str] = set()
    for i, task in enumerate(tasks):
        if not isinstance(task, dict):
            continue
        if task.get("id") in seen:
            yield _problem(record, ("tasks", i, "id"), f"task id `{task.get('id')}` is used twice", "give each task its own id")
        seen.add(str(task.get("id")))
        plan, targets = task.get("plan"), task.get("reports_on")
        if not isinstance(plan, str) or not isinstance(targets, list) or plan not in index.source_kind:
            continue  # a missing or unknown plan is reported by the schema or the reference rule
        known = index.tasks.get(plan, set())
        for j, target in enumerate(targets):
            if target not in known:
                yield _problem(record, ("tasks", i, "reports_on", j), f"`{plan}` lists no task `{target}`",
                               did_you_mean(str(target), sorted(known)) or f"pick an id from the `tasks` of `{plan}`")


def rule_no_spelled_out_defaults(record: Record, index: Index, schemas: SchemaSet) -> Iterable[Problem]:
    """A field holding its schema default (`rank: normal`) says nothing; the graph implies it, so leave it out."""
    for pointer, spec, value in walk(schemas, schemas.entity_spec(record.kind), record.data):
        if pointer and "default" in spec and value == spec["default"]:
            yield _problem(record, pointer, f"`{value}` is the default", f"remove `{pointer[-1]}:`; it is implied")


def _listed(value: object) -> list[object]:
    """A field's entries when it is a list; anything else is the schema's to report, not a crash here."""
    return value if isinstance(value, list) else []


# Schemes whose concepts are kinds, settings or measures, not mechanisms a technology can implement.
NOT_MECHANISMS = frozenset({"technology-categories", "scenarios", "industries", "metrics", "assessment-criteria",
                            "selection-dimensions"})
LANGUAGE_CATEGORY = "programming-language"
# The seed documents' voice inside a description (it belongs in documents_view): "文档把它列为…", "the documents list…".
DOCUMENTS_VOICE = re.compile(
    r"文档(把|将|称|认为|列|提到|推荐|给出|说|指出|强调|中的|里的|所述)|主文档|种子文档|"
    r"\bthe (seed |main )?documents? (list|lists|call|calls|say|says|see|sees|recommend|recommends|name|names|give|gives|"
    r"mention|mentions|file|files|treat|treats|describe|describes|consider|considers)\b", re.IGNORECASE)


def rule_relations_mean_something(record: Record, index: Index, schemas: SchemaSet) -> Iterable[Problem]:
    """`implements` names mechanisms and patterns; `integrates_with` names real integrations, not languages."""
    if record.kind != "technology":
        return
    for i, concept in enumerate(_listed(record.data.get("implements"))):
        scheme = index.concept_scheme.get(str(concept))
        if scheme in NOT_MECHANISMS:
            yield _problem(record, ("implements", i), f"`{concept}` is a concept of `{scheme}`, not a mechanism or pattern",
                           "name it in `categories` (a kind) or leave it out; `implements` is for mechanisms and patterns")
    for i, other in enumerate(_listed(record.data.get("integrates_with"))):
        if LANGUAGE_CATEGORY in index.tech_categories.get(str(other), set()):
            yield _problem(record, ("integrates_with", i), f"`{other}` is a programming language",
                           "use `written_in` for the implementation language; SDKs and clients are their own records")


def rule_concepts_link_concepts(record: Record, index: Index, schemas: SchemaSet) -> Iterable[Problem]:
    """`broader` and `related` name concepts, never a scheme (which the graph types skos:ConceptScheme)."""
    if record.kind != "concept":
        return
    for field in ("broader", "related"):
        for i, target in enumerate(record.data.get(field) or []):
            if index.concept_type.get(str(target)) == "scheme":
                yield _problem(record, (field, i), f"`{target}` is a concept scheme, not a concept",
                               f"point `{field}` at a concept of the scheme; membership is said by `scheme:`")


def rule_models_point_at_real_things(record: Record, index: Index, schemas: SchemaSet) -> Iterable[Problem]:
    """A model's code file exists in the checkout, and every figure it uses is a figure of an existing record."""
    if record.kind != "model":
        return
    code = record.data.get("code")
    if isinstance(code, str) and not (CODE_ROOT / code).is_file():
        yield _problem(record, ("code",), f"no file `{code}` in the checkout",
                       "give the path from the repository root, e.g. kgtools/models/promela/saga-compensation.pml")
    for i, figure in enumerate(_listed(record.data.get("figures"))):
        owner, _, key = str(figure).partition("#m-")
        count = index.figure_counts.get(owner)
        if count is None:
            yield _problem(record, ("figures", i), f"no case or assessment `{owner}` with figures",
                           "write <kind>/<id>#m-<n>, e.g. assessment/workflow-orchestration-performance-benchmark#m-1")
        elif not key.isdigit() or not 1 <= int(key) <= count:
            yield _problem(record, ("figures", i), f"`{owner}` has figures m-1 to m-{count}, not m-{key}",
                           "count the record's figures (or measurements) from 1 in the order they are written")


# Where the documents' voice goes instead, per kind. A case's description is its summary on cards, in search and in
# SPARQL; how well each claim is backed has structured homes there. Assessments are left out: their subject is the
# documents' own tables, so naming the documents is what their descriptions are for.
VOICE_HOMES = {
    "technology": "say what it is in the description and move the documents' view to `documents_view`",
    "concept": "say what it is in the description and move the documents' view to `documents_view`",
    "case": "say what the case is in the description; how well a claim is backed goes in `notes`, "
            "the stack entry's `rank_reason` or a figure's citations",
}


def rule_description_in_own_voice(record: Record, index: Index, schemas: SchemaSet) -> Iterable[Problem]:
    """A description says what a thing is; what the seed documents say about it, or how well it is backed, goes elsewhere."""
    hint = VOICE_HOMES.get(record.kind)
    description = record.data.get("description")
    if hint is None or not isinstance(description, dict):
        return
    for lang in ("zh", "en"):
        match = DOCUMENTS_VOICE.search(str(description.get(lang, "")))
        if match:
            yield _problem(record, ("description", lang), f"the description speaks for the documents (“{match.group(0)}”)",
                           hint)


def rule_one_check_per_source(record: Record, index: Index, schemas: SchemaSet) -> Iterable[Problem]:
    """The citation checks file holds the newest check of each source once (`kg cite-check` writes it so)."""
    checks = record.data.get("checks") if record.kind == CITATION_CHECKS else None
    seen: set[str] = set()
    for position, entry in enumerate(checks if isinstance(checks, list) else []):
        source = entry.get("source") if isinstance(entry, dict) else None
        if isinstance(source, str) and source in seen:
            yield _problem(record, ("checks", position, "source"), f"a second check of `{source}`",
                           "keep the newest one; `kg cite-check` rewrites the file with one check per source")
        if isinstance(source, str):
            seen.add(source)


RECORD_RULES: list[Callable[[Record, Index, SchemaSet], Iterable[Problem]]] = [
    rule_id_matches_file,
    rule_references,
    rule_one_check_per_source,
    rule_no_placeholders,
    rule_no_spelled_out_defaults,
    rule_relations_mean_something,
    rule_description_in_own_voice,
    rule_models_point_at_real_things,
    rule_concepts_link_concepts,
    rule_citations_name_known_sections,
    rule_sections_form_a_tree,
    rule_tasks_name_known_tasks,
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
    """skos:broader must form a hierarchy: report each knot of cycles once, at its smallest member.

    Strongly connected components (Tarjan's algorithm, iterative) find every
    knot in time linear in concepts and links; within a knot, the shortest way
    from its smallest member back to itself is the cycle shown.
    """
    records = {r.id: r for r in corpus.by_kind("concept")}
    broader = {cid: [b for b in r.data.get("broader", []) if isinstance(b, str) and b in records]
               for cid, r in records.items() if isinstance(r.data.get("broader", []), list)}
    for knot in _strongly_connected(broader):
        start = min(knot)
        if len(knot) == 1 and start not in broader.get(start, []):
            continue
        loop = " → ".join([*_shortest_cycle(broader, start, knot), start])
        yield _problem(records[start], ("broader",), f"broader forms a cycle: {loop}",
                       "a concept cannot be (indirectly) broader than itself; remove one link")


def _strongly_connected(graph: dict[str, list[str]]) -> list[set[str]]:
    """Tarjan's strongly connected components, without recursion (deep hierarchies must not overflow the stack)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[set[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(graph.get(root, [])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, []))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                knot: set[str] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    knot.add(member)
                    if member == node:
                        break
                out.append(knot)
    return out


def _shortest_cycle(graph: dict[str, list[str]], start: str, knot: set[str]) -> list[str]:
    """The nodes of the shortest path from `start` back to itself inside `knot` (breadth first)."""
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for parent in sorted(graph.get(node, [])):
                if parent == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return list(reversed(path))
                if parent in knot and parent not in previous and parent != start:
                    previous[parent] = node
                    following.append(parent)
        frontier = following
    return [start]


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
