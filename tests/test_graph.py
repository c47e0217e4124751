"""From records to graph: nothing lost, shapes hold, dumps deterministic, atomic and parseable."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kgtools.graph.compile import Lit, typed
from kgtools.graph.compiled import CompiledGraph
from kgtools.graph.decompile import Decompiler, entity_ids
from kgtools.graph.dumps import canonical_ntriples
from kgtools.graph.shapes import check_shapes
from kgtools.graph.vocab import SA
from kgtools.insights.enrich import published_graph
from kgtools.pipeline import build_graph
from kgtools.records.loader import Record
from kgtools.records.problems import BuildError
from kgtools.records.project import Project

from .conftest import ROOT


def normalise(value: Any) -> Any:
    """Order-free form: lists of plain values compare as sorted lists, numbers as floats."""
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [normalise(v) for v in value]
        if all(not isinstance(v, (dict, list)) for v in items):
            return sorted(items, key=str)
        return items
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    return value


def with_mirrors(records: list[Record], decompiler: Decompiler) -> dict[tuple[str, str], dict[str, Any]]:
    """Each record's data with every symmetric field (`x-symmetric`) closed over the mirror: a relation
    listed on one record comes back from the graph on both, since the graph holds it both ways."""
    out = {(r.kind, r.id): {**r.data} for r in records}
    for record in records:
        for name, plan in decompiler.plan.entity(record.kind).fields.items():
            if not plan.symmetric:
                continue
            for other in record.data.get(name, []):
                target = out.get((record.kind, other))
                if target is not None and record.id not in target.get(name, []):
                    target[name] = [*target.get(name, []), record.id]
    return out


def test_round_trip_every_record(compiled: CompiledGraph) -> None:
    """Every field of every record can be read back from the graph (symmetric relations from both ends)."""
    decompiler = Decompiler(compiled.checked.schemas, compiled.graph)
    records: list[Record] = compiled.checked.corpus.records
    assert records
    expected = with_mirrors(records, decompiler)
    mismatches = []
    for record in records:
        back = decompiler.record(record.kind, record.id)
        if normalise(back) != normalise(expected[(record.kind, record.id)]):
            mismatches.append(f"{record.display}: {normalise(expected[(record.kind, record.id)])} != {normalise(back)}")
    assert not mismatches, "\n".join(mismatches[:5])
    assert {(r.kind, r.id) for r in records} == set(entity_ids(compiled.graph))


def test_shapes_pass_on_corpus(compiled: CompiledGraph, project: Project) -> None:
    assert check_shapes(compiled.graph, project.ontology / "shapes.ttl", project.ontology / "stackatlas.ttl") == []


def test_shapes_fail_on_broken_graph_naming_node(compiled: CompiledGraph, project: Project) -> None:
    broken = compiled.graph.__class__()
    for triple in compiled.graph:
        broken.add(triple)
    kubernetes = URIRef("https://w3id.org/stackatlas/technology/kubernetes")
    broken.remove((kubernetes, SKOS.prefLabel, Literal("Kubernetes", lang="zh")))
    measurement = URIRef("https://w3id.org/stackatlas/case/coinbase-cross-border-payments#m-1")
    assert (measurement, URIRef("https://schema.org/value"), None) in broken
    broken.remove((measurement, URIRef("https://schema.org/unitText"), None))
    violations = check_shapes(broken, project.ontology / "shapes.ttl", project.ontology / "stackatlas.ttl")
    texts = [v.text() for v in violations]
    assert any(t.startswith("technology/kubernetes:") and "Chinese (zh)" in t for t in texts), texts
    assert any(str(measurement).split("/")[-1] in t and "unit" in t for t in texts), texts


def test_dumps_parse_independently_with_same_triple_count(mini: Project) -> None:
    build_graph(mini, mini.build)
    graph = published_graph(mini).graph
    for name in ("stackatlas.ttl", "stackatlas.nt", "stackatlas.jsonld"):
        path = mini.build / "graph" / name
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
        triples = list(ox.parse(path=str(path), format=fmt))
        assert len(triples) == len(graph), name
    void = list(ox.parse(path=str(mini.build / "graph" / "void.ttl"), format=ox.RdfFormat.TURTLE))
    assert any(t.predicate.value == "http://rdfs.org/ns/void#triples" and t.object.value == str(len(graph))
               for t in void)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_two_builds_are_byte_identical(mini: Project) -> None:
    build_graph(mini, mini.build)
    first = _snapshot(mini.build / "graph")
    build_graph(mini, mini.build)
    assert _snapshot(mini.build / "graph") == first
    assert set(first) == {"stackatlas.ttl", "stackatlas.nt", "stackatlas.jsonld", "void.ttl", "inputs.digest"}


def test_failed_build_leaves_previous_output(mini: Project) -> None:
    build_graph(mini, mini.build)
    before = _snapshot(mini.build / "graph")
    temporal = mini.root / "corpus/technologies/temporal.yaml"
    temporal.write_text(temporal.read_text(encoding="utf-8").replace("categories:", "categoris:"), encoding="utf-8")
    with pytest.raises(BuildError) as failure:
        build_graph(mini, mini.build)
    assert any("unknown field `categoris`" in line for line in failure.value.lines)
    assert _snapshot(mini.build / "graph") == before
    leftovers = [p for p in (mini.build / ".versions").iterdir() if p.resolve() != (mini.build / "graph").resolve()]
    assert leftovers == []


def test_build_failing_midway_leaves_previous_output(mini: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    build_graph(mini, mini.build)
    before = _snapshot(mini.build / "graph")
    import kgtools.graph.folder as build_module

    def explode(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(build_module, "describe", explode)
    with pytest.raises(OSError):
        build_graph(mini, mini.build)
    assert _snapshot(mini.build / "graph") == before


def test_cli_build_writes_four_dumps(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    from kgtools.cli import main

    cwd = os.getcwd()
    os.chdir(mini.root)
    try:
        assert main(["build", "--graph-only"]) == 0
    finally:
        os.chdir(cwd)
    assert "triples" in capsys.readouterr().out
    assert sorted(p.name for p in (mini.build / "graph").iterdir()) == [
        "inputs.digest", "stackatlas.jsonld", "stackatlas.nt", "stackatlas.ttl", "void.ttl"]


def test_real_corpus_root_is_this_checkout(project: Project) -> None:
    assert project.root == ROOT


def test_text_meant_to_break_turtle_or_sparql_survives_the_dumps(mini: Project) -> None:
    """Quotes, escapes and statement-like text in a record stay one literal in every dump, and in SPARQL."""
    hostile = '"""; <urn:x> <urn:y> "z" . # \\" \' } ; DROP GRAPH <urn:g> \\u0022 </script>'
    record = mini.root / "corpus/technologies/kubernetes.yaml"
    text = record.read_text(encoding="utf-8").replace("aliases: [K8s]", "aliases: [K8s, " + json_quote(hostile) + "]")
    record.write_text(text, encoding="utf-8")
    build_graph(mini, mini.build)
    for name in ("stackatlas.ttl", "stackatlas.nt", "stackatlas.jsonld"):
        path = mini.build / "graph" / name
        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.from_extension(path.suffix.lstrip(".")))
        rows = list(store.query("SELECT ?a WHERE { <https://w3id.org/stackatlas/technology/kubernetes> "
                                "<http://www.w3.org/2004/02/skos/core#altLabel> ?a }"))
        assert sorted(r["a"].value for r in rows) == sorted(["K8s", hostile]), name
        assert not bool(store.query("ASK { <urn:x> ?p ?o }")), f"{name}: the text became a triple"


def json_quote(text: str) -> str:
    import json

    return json.dumps(text)


def test_own_ntriples_writer_gives_rdflibs_bytes(compiled: CompiledGraph) -> None:
    """The dump is written from the compiler's tuples; rdflib's serializer on the same graph writes the same text."""
    by_rdflib = compiled.graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    assert compiled.ntriples == "\n".join(sorted({line for line in by_rdflib.splitlines() if line})) + "\n"
    assert len(compiled) == compiled.ntriples.count("\n") == len(compiled.graph)


ESCAPES = ['say "hi"', "back\\slash", "line\nbreak", "carriage\rreturn", "tab\tand ünïcödé 中文 😀", "\\n literal", ""]


@pytest.mark.parametrize("text", ESCAPES)
def test_literal_escapes_match_rdflib_and_parse_back(text: str) -> None:
    from rdflib.namespace import XSD  # imported here: pytest's collector probes module globals, and XSD is closed

    subject, predicate = URIRef("urn:s"), URIRef("urn:p")
    for ours, theirs in [(Lit(text, "en"), Literal(text, lang="en")), (Lit(text), Literal(text)),
                         (typed(text, XSD.date), Literal(text, datatype=XSD.date))]:
        line = canonical_ntriples([(subject, predicate, ours)])
        graph = Graph()
        graph.add((subject, predicate, theirs))
        assert line == graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
        (parsed,) = ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        assert parsed.object.value == text


def test_compiled_triples_are_distinct_and_in_record_order(compiled: CompiledGraph) -> None:
    """No duplicates reach the dumps, and records compile in IRI order (what keeps the dump's sort near-linear)."""
    assert len(set(compiled.triples)) == len(compiled.triples)
    subjects = [str(s).split("#")[0] for s, _, _ in compiled.triples if "/stackatlas/" in str(s)]
    firsts = list(dict.fromkeys(subjects))
    kinds = [s.split("/")[-2] for s in firsts]
    assert kinds == sorted(kinds)


def test_integrates_with_is_symmetric_in_the_graph(compiled: CompiledGraph) -> None:
    """A relation listed on one record only is read the same from both ends."""
    pairs = set(compiled.graph.subject_objects(SA.integratesWith))
    assert pairs
    assert all((o, s) in pairs for s, o in pairs)
