"""From a checked corpus to the validated graph, the one truth later stages read.

The graph layer stops at what the records say; the analytics that `kg build`
adds to the published graph (PageRank, communities) come from
`kgtools.insights.enrich`, one layer up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import Graph

from kgtools.graph.compile import Triple, compile_triples, rdflib_term, to_graph
from kgtools.graph.dumps import canonical_ntriples, ntriples_lines
from kgtools.graph.shapes import Violation, check_shapes
from kgtools.records.check import CheckResult, check
from kgtools.records.problems import BuildError
from kgtools.records.project import Project

__all__ = ["BuildError", "CompiledGraph", "Step", "compile_project"]

Step = Callable[[str, str], None]  # a step's name and a few words on what it made


@dataclass
class CompiledGraph:
    """The compiled triples, with their canonical N-Triples and, only when a stage asks, an rdflib Graph."""

    triples: list[Triple]
    checked: CheckResult
    violations: list[Violation] = field(default_factory=list)
    _ntriples: str | None = field(default=None, repr=False)
    _graph: Graph | None = field(default=None, repr=False)

    @property
    def ntriples(self) -> str:
        """The graph's canonical N-Triples, serialised once and shared by every output."""
        if self._ntriples is None:
            self._ntriples = canonical_ntriples(self.triples)
        return self._ntriples

    @property
    def graph(self) -> Graph:
        """The triples as an rdflib Graph, built on first use (SHACL, diff, the round trip)."""
        if self._graph is None:
            self._graph = to_graph(self.triples)
        return self._graph

    def __len__(self) -> int:
        return len(self.triples)

    def add(self, extra: list[Triple]) -> None:
        """Add triples not in the graph yet (analytics), keeping the N-Triples sorted without re-serialising."""
        import heapq

        merged = heapq.merge(ntriples_lines(self.ntriples), ntriples_lines(canonical_ntriples(extra)))
        self._ntriples = "\n".join(merged) + "\n"
        self.triples.extend(extra)
        if self._graph is not None:
            self._graph.addN((s, p, rdflib_term(o), self._graph) for s, p, o in extra)


def compile_project(project: Project, shacl: bool = True, step: Step | None = None) -> CompiledGraph:
    """Check, compile and (optionally) SHACL-validate; raise BuildError with every problem.

    `step(name, detail)` is told as each step ends (`kg build` shows them as progress).
    """
    checked = check(project)
    if checked.problems:
        raise BuildError([p.text() for p in checked.problems])
    if step:
        step("records", f"{len(checked.corpus.records)} records checked")
    compiled = CompiledGraph(compile_triples(checked.corpus, checked.schemas), checked)
    if step:
        step("compile", f"{len(compiled)} triples")
    if shacl:
        # pyrudof reads the N-Triples the dumps are written from, so the build never needs an rdflib Graph for SHACL
        violations = check_shapes(compiled.ntriples, project.ontology / "shapes.ttl", project.ontology / "stackatlas.ttl")
        if violations:
            raise BuildError([f"SHACL: {v.text()}" for v in violations])
        if step:
            step("shapes", "no violations")
    return compiled
