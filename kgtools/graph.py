"""From a checked corpus to the validated graph, the one truth later stages read."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph

from kgtools.check import CheckResult, check
from kgtools.compile import compile_corpus
from kgtools.dumps import canonical_ntriples
from kgtools.errors import BuildError
from kgtools.paths import Project
from kgtools.shacl import Violation, check_shapes

__all__ = ["BuildError", "CompiledGraph", "compile_project"]


@dataclass
class CompiledGraph:
    graph: Graph
    checked: CheckResult
    violations: list[Violation] = field(default_factory=list)
    _ntriples: str | None = field(default=None, repr=False)

    @property
    def ntriples(self) -> str:
        """The graph's canonical N-Triples, serialised once and shared by every output."""
        if self._ntriples is None:
            self._ntriples = canonical_ntriples(self.graph)
        return self._ntriples


def compile_project(project: Project, shacl: bool = True, analytics: bool = True) -> CompiledGraph:
    """Check, compile, (optionally) SHACL-validate and add analytics; raise BuildError with every problem."""
    checked = check(project)
    if checked.problems:
        raise BuildError([p.text() for p in checked.problems])
    graph = compile_corpus(checked.corpus, checked.schemas)
    violations = check_shapes(graph, project.ontology / "shapes.ttl", project.ontology / "stackatlas.ttl") if shacl else []
    if violations:
        raise BuildError([f"SHACL: {v.text()}" for v in violations])
    compiled = CompiledGraph(graph, checked, violations)
    if analytics:
        from kgtools.analytics import add_analytics

        compiled._ntriples = add_analytics(graph, compiled.ntriples)
    return compiled
