"""jsonschema-rs only shortcuts records it accepts: `kg check` says exactly what jsonschema alone would."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from kgtools.records.loader import Record, load_corpus, read_record
from kgtools.records.project import KINDS, Project
from kgtools.records.schemas import SchemaSet
from kgtools.records.validate import validate_record


def first_text_field(data: dict[str, Any]) -> str | None:
    return next((k for k, v in data.items() if isinstance(v, dict) and set(v) >= {"zh", "en"}), None)


def first_list_field(data: dict[str, Any]) -> str | None:
    return next((k for k, v in data.items() if isinstance(v, list) and v), None)


def set_text(value: str) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        field = first_text_field(data)
        if field:
            data[field]["en"] = value
    return mutate


def mutate_list_item(item: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        field = first_list_field(data)
        if field:
            data[field][0] = item
    return mutate


MUTATIONS: dict[str, Callable[[dict[str, Any]], None]] = {
    "no-id": lambda d: d.pop("id", None),
    "id-trailing-newline": lambda d: d.__setitem__("id", f"{d.get('id')}\n"),
    "id-upper": lambda d: d.__setitem__("id", "Upper-Case"),
    "id-number": lambda d: d.__setitem__("id", 42),
    "unknown-field": lambda d: d.__setitem__("colour", "blue"),
    "non-string-key": lambda d: d.__setitem__(7, "seven"),
    "label-missing-en": lambda d: d.get("label", {}).pop("en", None),
    "label-list": lambda d: d.__setitem__("label", ["a", "b"]),
    "text-with-nel": set_text("before\x85after"),
    "text-huge": set_text("x" * 100_000),
    "text-empty": set_text(""),
    "list-item-null": mutate_list_item(None),
    "list-item-number": mutate_list_item(3.5),
    "list-item-mapping": mutate_list_item({"unexpected": True}),
    "bool-for-number": lambda d: d.__setitem__("founded", True),
    "homepage-with-space": lambda d: d.__setitem__("homepage", "https://exa mple.org/\u3000"),
    "homepage-with-nel": lambda d: d.__setitem__("homepage", "https://example.org/\x85"),
    "homepage-final-newline": lambda d: d.__setitem__("homepage", "https://example.org/\n"),
}


@pytest.fixture(scope="module")
def sample(project: Project) -> list[Record]:
    """Up to twelve records of each kind from the real corpus."""
    corpus = load_corpus(project)
    return [r for kind in KINDS for r in corpus.by_kind(kind)[:12]]


@pytest.fixture(scope="module")
def schemas(project: Project) -> SchemaSet:
    return SchemaSet.load(project.schemas)


def jsonschema_only(record: Record, schemas: SchemaSet, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    with monkeypatch.context() as patch:
        patch.setattr(SchemaSet, "surely_valid", lambda self, kind, data: False)
        return validate_record(record, schemas)


def test_the_fast_validator_accepts_every_real_record(project: Project, schemas: SchemaSet) -> None:
    records = load_corpus(project).records
    assert records
    assert all(schemas.surely_valid(r.kind, r.data) for r in records)


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_problems_are_those_jsonschema_alone_finds(name: str, sample: list[Record], schemas: SchemaSet,
                                                   monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each mutated record goes through the loader as a file would; what it lets through is validated both ways."""
    arena = Project(tmp_path)
    mutated_any = False
    for record in sample:
        data = copy.deepcopy(record.data)
        MUTATIONS[name](data)
        if data == record.data:
            continue
        mutated_any = True
        path = arena.kind_dir(record.kind) / record.path.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        changed, refused = read_record(path, arena)
        if changed is None:
            assert refused, "the loader names why it refused the file"
            continue
        assert validate_record(changed, schemas) == jsonschema_only(changed, schemas, monkeypatch), record.display
    assert mutated_any
