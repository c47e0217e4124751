"""The schemas are valid, every record satisfies its schema, and vocabulary terms line up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from rdflib import Graph
from rdflib.namespace import RDF

from kgtools.graph.vocab import SA, expand
from kgtools.records.loader import read_record
from kgtools.records.project import KINDS, Project
from kgtools.records.schemas import SchemaSet
from kgtools.records.validate import validate_record

from .conftest import ROOT

SCHEMA_FILES = sorted((ROOT / "ontology" / "schemas").glob("*.schema.json"))


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=[p.name for p in SCHEMA_FILES])
def test_schema_is_valid_json_schema(path: Path) -> None:
    Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


def test_every_kind_has_a_schema() -> None:
    names = {p.name for p in SCHEMA_FILES}
    assert {f"{k}.schema.json" for k in KINDS} <= names


def test_record_matches_its_schema(record_path: Path, project: Project) -> None:
    record, problems = read_record(record_path, project)
    assert not problems, [p.text() for p in problems]
    assert record is not None
    assert record.text.startswith("# yaml-language-server: $schema=")
    schemas = SchemaSet.load(project.schemas)
    errors = validate_record(record, schemas)
    assert not errors, "\n".join(p.text() for p in errors)


def _annotation_curies(node: object) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "x-rdf":
                found.update([value] if isinstance(value, str) else value)
            elif key == "x-enum-rdf":
                found.update(value.values())
            elif key in ("x-class",):
                found.update(value)
            elif key == "x-node":
                found.add(value["class"])
            elif key == "x-truthy":
                found.add(value["predicate"])
            else:
                found |= _annotation_curies(value)
    elif isinstance(node, list):
        for value in node:
            found |= _annotation_curies(value)
    return found


def test_schema_annotations_name_real_terms() -> None:
    """Every predicate or class a schema names exists (sa: terms must be in the ontology)."""
    curies = set()
    for path in SCHEMA_FILES:
        curies |= _annotation_curies(json.loads(path.read_text(encoding="utf-8")))
    assert curies
    for curie in sorted(curies):
        expand(curie)  # raises AttributeError for an sa: term missing from SA


def test_namespace_matches_ontology_file() -> None:
    """The Python namespace and stackatlas.ttl list exactly the same sa: terms."""
    graph = Graph().parse(ROOT / "ontology" / "stackatlas.ttl")
    in_file = {str(s) for s in graph.subjects(RDF.type, None) if str(s).startswith(str(SA._NS))}
    in_python = {str(SA._NS[name]) for name in SA.__annotations__}
    assert in_file == in_python


def test_ontology_terms_have_bilingual_labels_and_comments() -> None:
    from rdflib.namespace import RDFS

    graph = Graph().parse(ROOT / "ontology" / "stackatlas.ttl")
    for name in SA.__annotations__:
        term = SA._NS[name]
        langs = {lit.language for lit in graph.objects(term, RDFS.label)}
        assert {"zh", "en"} <= langs, name
        assert {lit.language for lit in graph.objects(term, RDFS.comment)} >= {"zh", "en"}, name
