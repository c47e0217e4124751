"""`kg diff`: what a change does to the graph, entity by entity, with labels a reviewer can read.

Both sides are compiled from records (at a git revision, or the work tree),
so the diff shows the meaning of a change, not its YAML formatting. Triples of
statement nodes (`…#uses-2`) are reported under the entity they belong to.

The labels and values shown come from the records of a pull request, and the
Markdown goes into the PR bot's comment, so nothing in them may steer the
reader: revisions reach git after `--end-of-options`, each statement is one
line with control characters escaped, and every code block's fence is longer
than any backtick run inside it.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from kgtools.graph.compiled import compile_project
from kgtools.graph.vocab import PREFIXES, split_entity_iri
from kgtools.records.problems import BuildError
from kgtools.records.project import Project
from kgtools.records.terminal import code_block, html_text, json_printable, printable


class DiffError(Exception):
    """A revision that cannot be read or compiled."""


def graph_at(project: Project, revision: str | None) -> Graph:
    """The compiled graph of the work tree (None) or of a git revision."""
    if revision is None:
        return compile_project(project, shacl=False).graph
    if not revision or revision.startswith("-"):
        # git would read `--output=FILE` as an option and overwrite FILE; no revision starts with `-`.
        raise DiffError(f"`{printable(revision)}` is not a revision (revisions never start with `-`)")
    try:
        archive = subprocess.run(  # noqa: S603 - fixed argv; the revision comes after --end-of-options (git 2.24+)
            ["git", "archive", "--format=tar", "--end-of-options", revision, "corpus", "ontology"],  # noqa: S607
            cwd=project.root, capture_output=True, check=True,
        ).stdout
    except subprocess.CalledProcessError as error:
        raise DiffError(f"cannot read revision `{printable(revision)}`: "
                        f"{printable(error.stderr.decode(errors='replace').strip())}") from error
    with tempfile.TemporaryDirectory(prefix="kg-diff-") as folder:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        try:
            return compile_project(Project(Path(folder)), shacl=False).graph
        except BuildError as error:
            raise DiffError(f"the corpus at `{printable(revision)}` does not check cleanly:\n"
                            + "\n".join(printable(line) for line in error.lines)) from error


@dataclass
class EntityChange:
    iri: str
    label: str
    status: str  # added, removed, changed
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


class Labeller:
    """Human-readable names for IRIs, drawn from both graphs and the ontology."""

    def __init__(self, graphs: list[Graph], ontology: Path) -> None:
        self.labels: dict[str, str] = {}
        vocab = Graph().parse(ontology / "stackatlas.ttl")
        for graph in [vocab, *graphs]:
            for subject, label in graph.subject_objects(SKOS.prefLabel | RDFS.label):
                if isinstance(label, Literal) and label.language in ("en", None):
                    self.labels.setdefault(str(subject), str(label))

    def term(self, term: object) -> str:
        if isinstance(term, Literal):
            text = str(term)
            return f'"{text}"@{term.language}' if term.language else f'"{text}"'
        iri = str(term)
        if "#" in iri and split_entity_iri(iri.split("#")[0]):
            return "#" + iri.split("#", 1)[1]
        if iri in self.labels:
            return self.labels[iri]
        for prefix, namespace in PREFIXES.items():
            if iri.startswith(str(namespace)):
                return f"{prefix}:{iri[len(str(namespace)):]}"
        return f"<{iri}>"

    def statement(self, s: URIRef, p: URIRef, o: object) -> str:
        node = "#" + str(s).split("#", 1)[1] + " " if "#" in str(s) else ""
        return f"{node}{self.term(p)} → {self.term(o)}"


def compare(old: Graph, new: Graph, labeller: Labeller) -> list[EntityChange]:
    """Changes grouped by entity, in a stable order."""
    old_set, new_set = set(old), set(new)
    by_entity: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for triples, slot in ((new_set - old_set, 0), (old_set - new_set, 1)):
        for s, p, o in triples:
            by_entity[str(s).split("#")[0]][slot].append((s, p, o))
    old_entities = {str(s) for s in old.subjects(DCTERMS.identifier, None)}
    new_entities = {str(s) for s in new.subjects(DCTERMS.identifier, None)}
    changes = []
    for iri in sorted(by_entity):
        added, removed = by_entity[iri]
        status = "added" if iri not in old_entities else "removed" if iri not in new_entities else "changed"
        changes.append(EntityChange(
            iri, labeller.term(URIRef(iri)), status,
            sorted(labeller.statement(*t) for t in added), sorted(labeller.statement(*t) for t in removed)))
    return changes


def _name(change: EntityChange) -> str:
    kind_id = split_entity_iri(change.iri)
    return f"{kind_id[0]}/{kind_id[1]}" if kind_id else change.iri


def render_text(changes: list[EntityChange]) -> str:
    """For a terminal: one line per entity and per statement, control characters escaped."""
    if not changes:
        return "no changes to the graph"
    out = []
    for change in changes:
        out.append(printable(f"{change.status.upper():8} {_name(change)} ({change.label})"))
        out.extend(f"  + {printable(line)}" for line in change.added)
        out.extend(f"  - {printable(line)}" for line in change.removed)
    totals = summary(changes)
    out.append(f"{totals['added']} added, {totals['removed']} removed, {totals['changed']} changed entities")
    return "\n".join(out)


def summary(changes: list[EntityChange]) -> dict[str, int]:
    return {status: sum(1 for c in changes if c.status == status) for status in ("added", "removed", "changed")}


def render_markdown(changes: list[EntityChange]) -> str:
    """A PR comment: a summary line, then one collapsible section per entity.

    The summary line is HTML (escaped, one line, so no blank line ends the
    HTML block early); the statements go in a code block whose fence no
    backtick run in them can match.
    """
    if not changes:
        return "### Graph diff\n\nNo changes to the graph."
    totals = summary(changes)
    out = ["### Graph diff", "",
           f"**{totals['added']}** added · **{totals['removed']}** removed · **{totals['changed']}** changed entities", ""]
    for change in changes:
        out.append(f"<details><summary>{change.status}: <code>{html_text(_name(change))}</code> — {html_text(change.label)} "
                   f"(+{len(change.added)} / −{len(change.removed)})</summary>")
        out.append("")
        lines = [f"+ {printable(line)}" for line in change.added] + [f"- {printable(line)}" for line in change.removed]
        out.append(code_block("\n".join(lines), "diff"))
        out.append("")
        out.append("</details>")
    return "\n".join(out)


def render_json(changes: list[EntityChange]) -> str:
    return json_printable(json.dumps({"summary": summary(changes), "entities": [c.__dict__ for c in changes]},
                                     ensure_ascii=False, indent=2))


def run_diff(project: Project, old_rev: str, new_rev: str | None, fmt: str) -> int:
    try:
        old, new = graph_at(project, old_rev), graph_at(project, new_rev)
    except DiffError as error:
        print(f"kg diff: {error}", file=sys.stderr)
        return 1
    except BuildError as error:
        print("kg diff: " + "\n".join(printable(line) for line in error.lines), file=sys.stderr)
        return 1
    changes = compare(old, new, Labeller([new, old], project.ontology))
    renderers = {"text": render_text, "markdown": render_markdown, "json": render_json}
    print(renderers[fmt](changes))
    return 0
