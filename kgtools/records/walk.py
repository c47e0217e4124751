"""Walk a record's data alongside its schema, so every value comes with its meaning."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kgtools.records.schemas import SchemaSet

Pointer = tuple[str | int, ...]


def walk(schemas: SchemaSet, spec: dict[str, Any], value: Any, pointer: Pointer = ()) -> Iterator[tuple[Pointer, dict[str, Any], Any]]:
    """Yield (pointer, resolved schema, value) for the value and everything inside it."""
    yield pointer, spec, value
    if isinstance(value, dict):
        properties = schemas.properties(spec)
        for key, child in value.items():
            if key in properties:
                yield from walk(schemas, properties[key], child, (*pointer, key))
    elif isinstance(value, list):
        item = schemas.item_spec(spec)
        for index, child in enumerate(value):
            yield from walk(schemas, item, child, (*pointer, index))
