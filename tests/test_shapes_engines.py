"""pyrudof (the build's SHACL engine) and pyshacl (the second opinion) agree on the real graph and on broken copies of it.

The broken copies are made from the shapes themselves: for every constraint of
every property shape in `ontology/shapes.ttl` (sh:minCount, sh:maxCount,
sh:class, sh:datatype, sh:in, sh:nodeKind, sh:pattern, sh:minLength,
sh:uniqueLang, sh:qualifiedMinCount) one node of a class the shape targets is
copied under a new IRI and broken in just that way; the node-level sh:or, the
alternative path and targets reached through rdfs:subClassOf are broken by
hand. Both engines must report the same violations, and each must report the
one every breakage was made to cause. A constraint the breaker does not know
fails the test, so a new kind of constraint cannot reach the build unchecked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pyrudof
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import PROV, RDF, RDFS, SH, SKOS, XSD
from rdflib.term import Node

from kgtools.graph.compiled import CompiledGraph
from kgtools.graph.shape_engines import ENGINES, Finding, run_engine
from kgtools.graph.shapes import Violation, _named_shape, _path_text, check_shapes, read_turtle, violation
from kgtools.graph.vocab import SA, SCHEMA
from kgtools.records.project import Project

Key = tuple[str, str, str, str]  # focus node, named node shape, path, constraint component
SAS = Namespace("https://w3id.org/stackatlas/shapes#")

COMPONENT = {SH.minCount: "MinCountConstraintComponent", SH.maxCount: "MaxCountConstraintComponent",
             SH["class"]: "ClassConstraintComponent", SH.datatype: "DatatypeConstraintComponent",
             SH["in"]: "InConstraintComponent", SH.nodeKind: "NodeKindConstraintComponent",
             SH.pattern: "PatternConstraintComponent", SH.minLength: "MinLengthConstraintComponent",
             SH.uniqueLang: "UniqueLangConstraintComponent",
             SH.qualifiedMinCount: "QualifiedMinCountConstraintComponent"}
NOT_CONSTRAINTS = {SH.path, SH.message, SH.qualifiedValueShape, RDF.type, RDFS.comment}  # parameters, not constraints
TARGETS = {SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode}


@pytest.fixture(scope="module")
def shapes(project: Project) -> Graph:
    return read_turtle(project.ontology / "shapes.ttl")


@pytest.fixture(scope="module")
def ontology(project: Project) -> Graph:
    return read_turtle(project.ontology / "stackatlas.ttl")


def findings_by_engine(data: Graph | str, shapes: Graph, ontology: Graph) -> dict[str, list[Finding]]:
    return {engine: run_engine(engine, data, shapes, ontology) for engine in ENGINES}


def key(shapes: Graph, finding: Finding) -> Key:
    path = shapes.value(finding.shape, SH.path)
    return (str(finding.focus), str(_named_shape(shapes, finding.shape)),
            _path_text(shapes, path) if path is not None else "", finding.component)


# --- the real graph ---------------------------------------------------------------------------------------------

def test_both_engines_find_no_violation_in_the_real_graph(compiled: CompiledGraph, shapes: Graph, ontology: Graph) -> None:
    found = findings_by_engine(compiled.ntriples, shapes, ontology)
    assert found == {"pyrudof": [], "pyshacl": []}
    assert len(compiled.graph) > 10_000  # the real corpus, not an empty graph that trivially conforms


def test_the_build_reads_ntriples_and_a_graph_alike(compiled: CompiledGraph, project: Project) -> None:
    """`kg build` hands pyrudof the N-Triples text; an rdflib Graph (as the tests and `kg diff` hold) gives the same answer."""
    shapes_file, ontology_file = project.ontology / "shapes.ttl", project.ontology / "stackatlas.ttl"
    broken = compiled.ntriples + f"<{SA.Technology}-typed-node> <{RDF.type}> <{SA.Technology}> .\n"
    as_text = check_shapes(broken, shapes_file, ontology_file)
    assert as_text == check_shapes(Graph().parse(data=broken, format="nt"), shapes_file, ontology_file)
    assert {v.shape for v in as_text} == {"LabelledEntity", "DescribedEntity", "TechnologyShape"}, as_text


# --- breaking every constraint -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Breakage:
    """A copy of a real node under a new IRI, broken so that it violates one constraint."""

    name: str
    focus: URIRef
    triples: tuple[tuple[Node, Node, Node], ...]
    expected: Key
    values: tuple[str, ...] = ()  # when given, the only values the expected violation may name


class Breaker:
    """Makes a broken copy of a real node for each constraint, choosing nodes and values from the real graph.

    A shape whose targets the corpus does not hold yet gets a made-up node instead,
    with just the values its minimum counts ask for.
    """

    def __init__(self, graph: Graph, ontology: Graph, shapes: Graph) -> None:
        self.graph, self.ontology, self.shapes = graph, ontology, shapes
        self.made = Graph()
        self.copies = 0

    def instances(self, cls: Node) -> list[URIRef]:
        found = {*self.graph.subjects(RDF.type, cls), *self.ontology.subjects(RDF.type, cls)}
        return sorted(s for s in found if isinstance(s, URIRef))

    def targets(self, node_shape: Node) -> list[URIRef]:
        nodes = {n for cls in self.shapes.objects(node_shape, SH.targetClass) for n in self.instances(cls)}
        nodes |= {s for p in self.shapes.objects(node_shape, SH.targetSubjectsOf) for s in self.graph.subjects(p, None)}
        nodes |= {o for p in self.shapes.objects(node_shape, SH.targetObjectsOf) for o in self.graph.objects(None, p)}
        nodes |= set(self.shapes.objects(node_shape, SH.targetNode))
        return sorted(n for n in nodes if isinstance(n, URIRef))

    def node_for(self, node_shape: URIRef, path: URIRef) -> URIRef:
        """A real node the shape targets, one with a value for `path` if there is one; else a made-up one."""
        nodes = self.targets(node_shape)
        having = [n for n in nodes if (n, path, None) in self.graph]
        if having or nodes:
            return (having or nodes)[len(having or nodes) // 2]
        made = URIRef(f"{SAS}made-{node_shape.split('#')[-1]}")
        if (made, None, None) not in self.made:
            for cls in sorted(self.shapes.objects(node_shape, SH.targetClass))[:1]:
                self.made.add((made, RDF.type, cls))
            for prop_shape in self.shapes.objects(node_shape, SH.property):
                prop = self.shapes.value(prop_shape, SH.path)
                least = int(self.shapes.value(prop_shape, SH.minCount) or 0)
                if prop in set(self.shapes.objects(node_shape, SH.targetSubjectsOf)):
                    least = max(least, 1)
                for value in self.other_values(prop_shape, prop, [], least):
                    self.made.add((made, prop, value))
            assert (made, None, None) in self.made, f"cannot make a node {node_shape} targets"
        return made

    def copy(self, node: URIRef, drop: Callable[[Node, Node], bool] = lambda p, o: False,
             add: tuple[tuple[Node, Node], ...] = ()) -> tuple[URIRef, tuple[tuple[Node, Node, Node], ...]]:
        """`node`'s triples on a fresh IRI, without those `drop` picks and with `add`ed (predicate, object) pairs."""
        self.copies += 1
        fresh = URIRef(f"{node}-broken-{self.copies}")
        source = self.graph if (node, None, None) in self.graph else self.made
        kept = [(fresh, p, o) for p, o in source.predicate_objects(node) if not drop(p, o)]
        return fresh, (*kept, *((fresh, p, o) for p, o in add))

    def other_values(self, prop_shape: Node, path: Node, have: list[Node], count: int) -> list[Node]:
        """`count` values for `path` that satisfy the property shape's value constraints and are not in `have`."""
        cls = self.shapes.value(prop_shape, SH["class"])
        datatype = self.shapes.value(prop_shape, SH.datatype)
        members = self.shapes.value(prop_shape, SH["in"])
        choices: list[Node]
        if cls is not None:
            choices = self.instances(cls)
        elif members is not None:
            choices = list(Collection(self.shapes, members))
        elif datatype in (XSD.decimal, XSD.integer):
            choices = [Literal(str(i), datatype=datatype) for i in range(count + 2)]
        elif datatype == XSD.date:
            choices = [Literal(f"2024-01-{i + 1:02d}", datatype=datatype) for i in range(count + 2)]
        elif datatype == XSD.boolean:
            choices = [Literal("true", datatype=datatype), Literal("false", datatype=datatype)]
        elif datatype not in (None, XSD.string):
            raise AssertionError(f"no values of {datatype} yet: teach Breaker.other_values")
        elif have and isinstance(have[0], Literal) and have[0].language:
            choices = [Literal(f"{have[0]} ({i})", lang=have[0].language) for i in range(count + 2)]
        else:
            choices = [Literal(f"value-{i}") for i in range(count + 2)]
        fresh = [c for c in choices if c not in have]
        assert len(fresh) >= count, f"not enough values for {path} to break its shape"
        return fresh[:count]

    def bad_value(self, param: Node, value: Node, have: list[Node]) -> Node:
        """A value that breaks `param` (and, as far as it can, nothing else)."""
        if param == SH["class"]:
            wrong = next(c for c in (SA.Technology, SA.Case) if value not in {c, *self.superclasses(c)})
            return self.instances(wrong)[0]
        if param == SH.datatype:
            return Literal("1") if value != XSD.string else Literal("x", lang="en")
        if param == SH["in"]:
            members = list(Collection(self.shapes, value))
            return URIRef(f"{members[0]}-not-in-the-list") if isinstance(members[0], URIRef) else Literal("not-in-the-list")
        if param == SH.nodeKind:
            return Literal(str(have[0]) if have else "https://example.org/")
        if param == SH.pattern:
            return Literal("Not A Pattern Match!")
        if param == SH.minLength:
            return Literal("")
        raise AssertionError(f"no way to break {param} yet: teach Breaker.bad_value")

    def superclasses(self, cls: Node) -> set[Node]:
        return set(self.ontology.transitive_objects(cls, RDFS.subClassOf)) - {cls}

    def breakages(self) -> Iterator[Breakage]:
        """One breakage per constraint of every property shape with a plain path (the rest are broken by hand)."""
        for node_shape in sorted(set(self.shapes.subjects(RDF.type, SH.NodeShape))):
            if not isinstance(node_shape, URIRef) or not set(self.shapes.predicates(node_shape)) & TARGETS:
                continue
            for prop_shape in self.shapes.objects(node_shape, SH.property):
                path = self.shapes.value(prop_shape, SH.path)
                if not isinstance(path, URIRef):
                    continue
                for param, value in sorted(self.shapes.predicate_objects(prop_shape)):
                    if param not in NOT_CONSTRAINTS and not (param == SH.uniqueLang and value != Literal(True)):
                        yield self.breakage(node_shape, prop_shape, path, param, value)

    def breakage(self, node_shape: URIRef, prop_shape: Node, path: URIRef, param: Node, value: Node) -> Breakage:
        assert param in COMPONENT, f"{param} is not a constraint this test can break: teach the Breaker"
        node = self.node_for(node_shape, path)
        have = list((self.graph if (node, None, None) in self.graph else self.made).objects(node, path))
        drop: Callable[[Node, Node], bool] = lambda p, o: False  # noqa: E731
        add: tuple[tuple[Node, Node], ...] = ()
        if param == SH.minCount:
            drop = lambda p, o: p == path  # noqa: E731
        elif param == SH.maxCount:
            add = tuple((path, v) for v in self.other_values(prop_shape, path, have, int(value) + 1 - len(have)))
        elif param == SH.uniqueLang:
            same = next(v for v in have if isinstance(v, Literal) and v.language)
            add = ((path, Literal(f"{same} (again)", lang=same.language)),)
        elif param == SH.qualifiedMinCount:
            languages = {str(x) for x in Collection(self.shapes, self.shapes.value(
                self.shapes.value(prop_shape, SH.qualifiedValueShape), SH.languageIn))}
            drop = lambda p, o: p == path and getattr(o, "language", None) in languages  # noqa: E731
        else:
            drop = lambda p, o: p == path  # noqa: E731
            add = ((path, self.bad_value(param, value, have)),)
        focus, triples = self.copy(node, drop, add)
        name = f"{node_shape.split('#')[-1]}.{_path_text(self.shapes, path)}.{param.split('#')[-1]}"
        return Breakage(name, focus, triples, (str(focus), str(node_shape), _path_text(self.shapes, path), COMPONENT[param]))


def by_hand(breaker: Breaker) -> list[Breakage]:
    """The constraints a plain path and one parameter do not cover: sh:or, an alternative path, subclass targets."""
    measurement = next(m for m in breaker.instances(SA.Measurement) if (m, SCHEMA.value, None) in breaker.graph)
    paper = next(p for p in breaker.instances(SA.Paper) if (p, SCHEMA.url, None) in breaker.graph)
    technology, case = breaker.instances(SA.Technology)[0], breaker.instances(SA.Case)[0]
    url_or_doi = f"{SCHEMA.url}|seeAlso"
    out = []
    focus, triples = breaker.copy(measurement, lambda p, o: p == SCHEMA.unitText)
    out.append(Breakage("MeasurementShape.or: a number without a unit", focus, triples,
                        (str(focus), str(SAS.MeasurementShape), "", "OrConstraintComponent")))
    focus, triples = breaker.copy(paper, lambda p, o: p in (SCHEMA.url, RDFS.seeAlso))
    out.append(Breakage("PaperShape.url|seeAlso.minCount", focus, triples,
                        (str(focus), str(SAS.PaperShape), url_or_doi, "MinCountConstraintComponent")))
    focus, triples = breaker.copy(paper, lambda p, o: p in (SCHEMA.url, RDFS.seeAlso),
                                  ((SCHEMA.url, Literal("https://example.org/paper")),))
    out.append(Breakage("PaperShape.url|seeAlso.nodeKind", focus, triples,
                        (str(focus), str(SAS.PaperShape), url_or_doi, "NodeKindConstraintComponent")))
    # A paper typed only sa:Paper is still an sa:Source through rdfs:subClassOf: LabelledEntity targets it ...
    not_source = lambda p, o: p == RDF.type and o == SA.Source  # noqa: E731
    english = lambda p, o: p == SKOS.prefLabel and getattr(o, "language", None) == "en"  # noqa: E731
    focus, triples = breaker.copy(paper, lambda p, o: not_source(p, o) or english(p, o))
    out.append(Breakage("LabelledEntity through rdfs:subClassOf", focus, triples,
                        (str(focus), str(SAS.LabelledEntity), "prefLabel", "QualifiedMinCountConstraintComponent")))
    # ... and a technology may cite such a paper (sh:class sa:Source holds through rdfs:subClassOf), never a case.
    only_paper, paper_triples = breaker.copy(paper, not_source)
    focus, triples = breaker.copy(technology, add=((PROV.wasDerivedFrom, only_paper), (PROV.wasDerivedFrom, case)))
    out.append(Breakage("TechnologyShape.wasDerivedFrom.class through rdfs:subClassOf", focus, (*paper_triples, *triples),
                        (str(focus), str(SAS.TechnologyShape), "wasDerivedFrom", "ClassConstraintComponent"),
                        values=(str(case),)))
    return out


GROUPS: dict[str, Callable[[Breakage], bool]] = {
    "missing values": lambda b: b.expected[3] in ("MinCountConstraintComponent", "QualifiedMinCountConstraintComponent"),
    "too many values": lambda b: b.expected[3] in ("MaxCountConstraintComponent", "UniqueLangConstraintComponent"),
    "wrong values": lambda b: b.expected[3] not in ("MinCountConstraintComponent", "QualifiedMinCountConstraintComponent",
                                                    "MaxCountConstraintComponent", "UniqueLangConstraintComponent"),
}


@pytest.fixture(scope="module")
def breakages(compiled: CompiledGraph, ontology: Graph, shapes: Graph) -> list[Breakage]:
    breaker = Breaker(compiled.graph, ontology, shapes)
    return [*breaker.breakages(), *by_hand(breaker)]


@pytest.fixture(scope="module")
def broken_results(compiled: CompiledGraph, shapes: Graph, ontology: Graph,
                   breakages: list[Breakage]) -> dict[str, tuple[list[Breakage], dict[str, list[Finding]]]]:
    """Each group of breakages applied to one copy of the real graph, and what each engine found in it."""
    out = {}
    for group, member in GROUPS.items():
        chosen = [b for b in breakages if member(b)]
        copies = Graph()
        for b in chosen:
            for triple in b.triples:
                copies.add(triple)
        broken = compiled.ntriples + copies.serialize(format="nt")  # the real graph, and the broken copies beside it
        out[group] = (chosen, findings_by_engine(broken, shapes, ontology))
    return out


@pytest.mark.parametrize("group", list(GROUPS))
def test_engines_agree_on_broken_graphs(group: str, broken_results, shapes: Graph) -> None:
    """Same (focus node, shape, path, component, value) findings, so the same lines in `kg build`'s output."""
    chosen, found = broken_results[group]
    assert chosen
    keys = {engine: sorted({(*key(shapes, f), f.value or "") for f in found[engine]}) for engine in ENGINES}
    only_rudof = sorted(set(keys["pyrudof"]) - set(keys["pyshacl"]))
    only_pyshacl = sorted(set(keys["pyshacl"]) - set(keys["pyrudof"]))
    assert not only_rudof and not only_pyshacl, f"pyrudof only: {only_rudof}\npyshacl only: {only_pyshacl}"
    lines = {engine: sorted({violation(shapes, f) for f in found[engine]}) for engine in ENGINES}
    assert lines["pyrudof"] == lines["pyshacl"]


@pytest.mark.parametrize("group", list(GROUPS))
def test_every_breakage_is_reported_by_both_engines(group: str, broken_results, shapes: Graph) -> None:
    chosen, found = broken_results[group]
    for engine in ENGINES:
        keys = {key(shapes, f) for f in found[engine]}
        missed = [f"{b.name} on {b.focus}: expected {b.expected}" for b in chosen if b.expected not in keys]
        assert not missed, f"{engine} missed:\n" + "\n".join(missed)
        for b in (b for b in chosen if b.values):
            named = sorted(f.value or "" for f in found[engine] if key(shapes, f) == b.expected)
            assert named == list(b.values), f"{engine}, {b.name}: {named}"
        unexplained = sorted(k for k in keys if k[0] not in {str(b.focus) for b in chosen})
        assert not unexplained, f"{engine} found violations on nodes nobody broke: {unexplained[:5]}"


def test_every_constraint_of_every_shape_is_broken(shapes: Graph, breakages: list[Breakage]) -> None:
    """No shape is lost: every constraint of shapes.ttl has a breakage, so both engines are held to all of them."""
    broken = {(b.expected[1], b.expected[2], b.expected[3]) for b in breakages}
    wanted = set()
    for node_shape in {s for s in shapes.subjects(RDF.type, SH.NodeShape) if set(shapes.predicates(s)) & TARGETS}:
        for prop_shape in shapes.objects(node_shape, SH.property):
            path = _path_text(shapes, shapes.value(prop_shape, SH.path))
            for param in set(shapes.predicates(prop_shape)) - NOT_CONSTRAINTS:
                assert param in COMPONENT, f"{node_shape} uses {param}: add a breakage for it"
                wanted.add((str(node_shape), path, COMPONENT[param]))
        for param in set(shapes.predicates(node_shape)) - TARGETS - {SH.property, SH.message, RDF.type, RDFS.comment}:
            assert param == SH["or"], f"{node_shape} uses {param} on the node shape: add a breakage for it"
            wanted.add((str(node_shape), "", "OrConstraintComponent"))
    assert len(wanted) > 100
    assert wanted <= broken, sorted(wanted - broken)


# --- pyrudof reads every shape ------------------------------------------------------------------------------------

def signature(graph: Graph, node: Node) -> tuple:
    """A shape as a value: its constraints, each list as a set (pyrudof writes lists back as repeated values), shapes by content."""
    out = []
    for predicate in sorted(set(graph.predicates(node)) - {SH.message, RDFS.comment}):
        values = []
        for value in graph.objects(node, predicate):
            if predicate == RDF.type and value in (SH.PropertyShape, SH.NodeShape):
                continue  # pyrudof states what sh:path or the shape's place already implies
            if isinstance(value, BNode) and (value, RDF.first, None) in graph:
                values.extend(signature(graph, item) if isinstance(item, BNode) else str(item)
                              for item in Collection(graph, value))
            elif isinstance(value, BNode):
                values.append(signature(graph, value))
            else:
                values.append(str(value))
        if values:
            out.append((str(predicate), tuple(sorted(values, key=repr))))
    return tuple(out)


def test_pyrudof_reads_every_shape_and_constraint(shapes: Graph) -> None:
    """pyrudof's own model of the shapes, written back as Turtle, holds every target and constraint of the file."""
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_shacl(shapes.serialize(format="nt"), format=pyrudof.ShaclFormat.NTriples, reader_mode=pyrudof.ReaderMode.Strict)
    model = Graph().parse(data=rudof.serialize_shacl(format=pyrudof.ShaclFormat.Turtle), format="turtle")
    named = sorted(s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef))
    assert len(named) >= 20
    for shape in named:
        assert signature(model, shape) == signature(shapes, shape), shape


def test_a_violation_names_record_field_and_message(compiled: CompiledGraph, project: Project) -> None:
    """The build's line: the focus as its record, the path as the field, the shape's sh:message, the named shape."""
    kubernetes = URIRef("https://w3id.org/stackatlas/technology/kubernetes")
    broken = Graph()
    broken += compiled.graph
    broken.remove((kubernetes, SKOS.prefLabel, Literal("Kubernetes", lang="zh")))
    broken.add((kubernetes, SA.status, Literal("stable")))
    shapes_file, ontology_file = project.ontology / "shapes.ttl", project.ontology / "stackatlas.ttl"
    found = check_shapes(broken, shapes_file, ontology_file)
    assert found == check_shapes(broken, shapes_file, ontology_file, engine="pyshacl")
    assert Violation("technology/kubernetes", "LabelledEntity", "prefLabel",
                     "entity needs a Chinese (zh) preferred label") in found, found
    assert Violation("technology/kubernetes", "TechnologyShape", "status", '"stable" is not a TechnologyStatus') in found
    assert any(v.text() == 'technology/kubernetes: status: "stable" is not a TechnologyStatus (shape TechnologyShape)'
               for v in found)
