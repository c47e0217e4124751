"""The contributor guide's field reference, written from the JSON Schemas so it cannot drift from them.

CONTRIBUTING.md keeps the output between `cog` markers; `cog --check` in the
test suite fails when a schema changes and the guide was not regenerated
(`cog -r CONTRIBUTING.md`).

>>> from kgtools.records.project import find_project
>>> rows = field_rows(SchemaSet.load(find_project().schemas), "organization")
>>> rows[0][0], rows[0][1]
('id', 'yes')
"""

from __future__ import annotations

from typing import Any

from kgtools.records.project import KINDS
from kgtools.records.schemas import SchemaSet


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def field_rows(schemas: SchemaSet, kind: str) -> list[tuple[str, str, str]]:
    """(field path, required, explanation) for every field of a kind, nested fields as `parent[].child`."""
    rows: list[tuple[str, str, str]] = []

    def visit(spec: dict[str, Any], prefix: str, seen: frozenset[int]) -> None:
        required = set(spec.get("required", []))
        for name, child in schemas.properties(spec).items():
            path = f"{prefix}{name}"
            explanation = child.get("description") or child.get("title") or ""
            if child.get("x-datatype") == "text":
                rows.append((path, "yes" if name in required else "", _cell(explanation) + " `{zh: …, en: …}`"))
                continue
            rows.append((path, "yes" if name in required else "", _cell(explanation)))
            inner = schemas.item_spec(child) if child.get("type") == "array" else child
            if schemas.properties(inner) and id(inner) not in seen:
                visit(inner, f"{path}[]." if child.get("type") == "array" else f"{path}.", seen | {id(inner)})

    visit(schemas.entity_spec(kind), "", frozenset())
    return rows


def field_reference(schemas: SchemaSet) -> str:
    """Markdown: one table per record kind."""
    out: list[str] = []
    for kind in KINDS:
        out += ["", f"#### `{kind}`", "", "| field | required | what it holds |", "|---|---|---|"]
        out += [f"| `{path}` | {required} | {text} |" for path, required, text in field_rows(schemas, kind)]
    return "\n".join(out).lstrip("\n") + "\n"
