"""`kg new KIND ID`: a record to start from, written from the schema so it explains every field.

Required fields get `TODO:` placeholders that `kg check` rejects by name until
they are filled; optional fields are shown commented out. Nothing here names a
field: everything comes from the kind's JSON Schema.
"""

from __future__ import annotations

import json
import re
from typing import Any

from kgtools.records.problems import PLACEHOLDER
from kgtools.records.project import KINDS, Project
from kgtools.records.schemas import SchemaSet

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class ScaffoldError(Exception):
    """The record cannot be created; the message says why."""


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _hint(spec: dict[str, Any]) -> str:
    """A short English description of what a field wants, for its placeholder."""
    if "x-ref" in spec:
        scheme = f" from the `{spec['x-scheme']}` scheme" if "x-scheme" in spec else ""
        article = "an" if spec["x-ref"][0] in "aeiou" else "a"
        return f"id of {article} {spec['x-ref']}{scheme}"
    if "enum" in spec:
        return "one of " + ", ".join(str(v) for v in spec["enum"])
    if spec.get("x-datatype") == "iri":
        return "a full https:// URL"
    if spec.get("x-datatype") == "date":
        return "YYYY-MM-DD"
    if spec.get("type") in ("number", "integer") or "minimum" in spec:
        return "a number"
    title = spec.get("title", "")
    return title.split("/")[-1].strip().lower() or "text"


def _comment(spec: dict[str, Any], required: bool) -> str:
    title = spec.get("title", "")
    description = spec.get("description", "")
    status = "必填 required" if required else "可选 optional"
    text = " — ".join(part for part in (title, description) if part)
    return f"# {text} ({status})" if text else f"# ({status})"


class Scaffolder:
    def __init__(self, schemas: SchemaSet) -> None:
        self.schemas = schemas

    def lines(self, spec: dict[str, Any], indent: str, record_id: str | None = None) -> list[str]:
        """YAML lines for an object's fields: required ones as placeholders, optional ones commented."""
        out: list[str] = []
        required = set(spec.get("required", [])) | self._likely_required(spec)
        for key, child in self.schemas.properties(spec).items():
            is_required = key in required
            out.append(indent + _comment(child, is_required))
            value_lines = [f"{key}: {record_id}"] if key == "id" and record_id else self.field(key, child)
            prefix = indent if is_required else indent + "# "
            out.extend(prefix + line for line in value_lines)
        return out

    def _likely_required(self, spec: dict[str, Any]) -> set[str]:
        """Fields an if/then/else makes required for the most likely choice (the enum's first value)."""
        out: set[str] = set()
        properties = self.schemas.properties(spec)
        for rule in spec.get("allOf", []):
            for name, condition in rule.get("if", {}).get("properties", {}).items():
                first = (properties.get(name, {}).get("enum") or [None])[0]
                branch = rule.get("then", {}) if condition.get("const") == first else rule.get("else", {})
                out |= set(branch.get("required", []))
        return out

    def field(self, key: str, spec: dict[str, Any]) -> list[str]:
        if spec.get("x-datatype") == "text":
            return [f"{key}:", f"  zh: {_quote(PLACEHOLDER + ': 用中文写')}", f"  en: {_quote(PLACEHOLDER + ': write in English')}"]
        if spec.get("type") == "array":
            item = self.schemas.item_spec(spec)
            if item.get("type") == "object" or "properties" in item:
                inner = self.lines(item, "    ")
                body = [line for line in inner]
                first = next(i for i, line in enumerate(body) if not line.lstrip().startswith("#"))
                body[first] = "  - " + body[first][4:]
                return [f"{key}:", *body]
            if item.get("x-datatype") == "text":
                return [f"{key}:", f"  - zh: {_quote(PLACEHOLDER + ': 用中文写')}", f"    en: {_quote(PLACEHOLDER + ': write in English')}"]
            return [f"{key}:", f"  - {_quote(f'{PLACEHOLDER}: {_hint(item)}')}"]
        if spec.get("type") == "object" or "properties" in spec:
            return [f"{key}:", *self.lines(spec, "  ")]
        return [f"{key}: {_quote(f'{PLACEHOLDER}: {_hint(spec)}')}"]


def scaffold(project: Project, kind: str, record_id: str) -> str:
    """The text of a new record of `kind` called `record_id`; refuses bad or taken ids."""
    if kind not in KINDS:
        raise ScaffoldError(f"unknown kind `{kind}`; use one of {', '.join(KINDS)}")
    if not SLUG.match(record_id):
        raise ScaffoldError(f"`{record_id}` is not a valid id: use lowercase letters, digits and single hyphens, "
                            "like `apache-flink`")
    existing = [k for k in KINDS if project.record_path(k, record_id).exists()]
    if kind in existing:
        raise ScaffoldError(f"{project.record_path(kind, record_id).relative_to(project.root)} already exists; "
                            "choose another id or edit that file")
    schemas = SchemaSet.load(project.schemas)
    spec = schemas.entity_spec(kind)
    header = [
        f"# yaml-language-server: $schema=../../ontology/schemas/{kind}.schema.json",
        f"# New {kind} record. Replace every {PLACEHOLDER} placeholder, uncomment the optional fields you need,",
        "# then run `kg check` on this file. 每个 TODO 占位都要替换；需要的可选字段去掉注释后填写。",
    ]
    return "\n".join([*header, *Scaffolder(schemas).lines(spec, "", record_id)]) + "\n"


def run_new(project: Project, kind: str, record_id: str) -> int:
    import sys

    try:
        text = scaffold(project, kind, record_id)
    except ScaffoldError as error:
        print(f"kg new: {error}", file=sys.stderr)
        return 1
    path = project.record_path(kind, record_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path.relative_to(project.root)} — fill in the TODO placeholders, then run "
          f"`kg check {path.relative_to(project.root)}`")
    return 0
