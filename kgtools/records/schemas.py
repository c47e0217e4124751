r"""The JSON Schemas: the only definition of a record's shape.

Besides validating, the schemas carry `x-` annotations (`x-rdf`, `x-ref`,
`x-node`, …) that tell the compiler and the integrity checks what each field
means, so no field is ever declared a second time in Python.

A record the schemas accept must be a record the build can publish, so the
validators do not read the schemas quite literally:

- every `pattern` is anchored at the true end of the text. `jsonschema` runs
  patterns with Python's `re.search`, where `$` also matches before a final
  line feed (`"https://temporal.io/\n"` passed), while jsonschema-rs's `$`
  does not; `$` becomes `(?![\s\S])`, which means "the end" to Python, Rust
  and ECMA-262 alike, so the two validators agree;
- `x-datatype` is checked: an `iri` value must parse as an IRI with the
  parser the dumps are read with (pyoxigraph), a full `date` must be a day of
  the calendar. A value that already fails the field's pattern is left to the
  pattern, so one mistake gives one problem. (The check runs as a keyword,
  `x-value-check`, added to just those nodes.)

Schema files are read through `CheckoutReader` like every other input.
"""

from __future__ import annotations

import datetime
import functools
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import jsonschema_rs
import pyoxigraph as ox
from jsonschema import Draft202012Validator, ValidationError, validators
from referencing import Registry, Resource

from kgtools.records.problems import BuildError, Problem, display_path
from kgtools.records.project import CHECK_FILES, KINDS, MAX_INPUT_BYTES, CheckoutReader, RefusedFile

COMMON = "common.schema.json"
VALIDATED = (*KINDS, *sorted(set(CHECK_FILES.values())))   # record kinds, then the kinds of the machine-written check files
SUFFIX = ".schema.json"
TRUE_END = r"(?![\s\S])"


def anchored(pattern: str) -> str:
    r"""`pattern` with each `$` outside a character class replaced by `TRUE_END`.

    >>> print(anchored(r"^[a-z$]+(-[a-z]+)*$"))
    ^[a-z$]+(-[a-z]+)*(?![\s\S])
    """
    out: list[str] = []
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index: index + 2])
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            out.append(char)
            index += 1
            for literal in "^]":  # `[^]…]` and `[]…]`: a first `]` is part of the class
                if pattern[index: index + 1] == literal:
                    out.append(literal)
                    index += 1
            continue
        elif char == "$":
            out.append(TRUE_END)
            index += 1
            continue
        out.append(char)
        index += 1
    return "".join(out)


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(anchored(pattern))


def _iri_problem(value: str) -> str | None:
    try:
        ox.NamedNode(value)
    except ValueError as error:
        return f"`{value}` is not an IRI the graph can hold ({str(error)[:1].lower()}{str(error)[1:]})"
    return None


def _date_problem(value: str) -> str | None:
    if len(value) != 10:
        return None  # a year or a year and month: the pattern says all there is to say
    try:
        datetime.date.fromisoformat(value)
    except ValueError as error:
        return f"`{value}` is not a day of the calendar ({error})"
    return None


DATATYPE_CHECKS = {"iri": _iri_problem, "date": _date_problem}
"""`x-datatype` → what is wrong with a value of it, beyond the field's pattern (None when nothing)."""


def datatype_problem(datatype: Any, node: dict[str, Any], instance: Any) -> str | None:
    """Why `instance` cannot be published as `datatype`, or None; values failing the node's pattern are the pattern's."""
    check = DATATYPE_CHECKS.get(datatype) if isinstance(datatype, str) else None
    if check is None or not isinstance(instance, str):
        return None
    pattern = node.get("pattern")
    if isinstance(pattern, str) and not _compiled(pattern).search(instance):
        return None
    return check(instance)


def _datatype_keyword(validator: Any, datatype: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    problem = datatype_problem(datatype, schema, instance)
    if problem is not None:
        yield ValidationError(problem)


VALUE_CHECK = "x-value-check"
_Validator = validators.extend(Draft202012Validator, {VALUE_CHECK: _datatype_keyword})


class _FastDatatype:
    """The same keyword for jsonschema-rs: the same check, raising when a value fails it."""

    def __init__(self, parent_schema: dict[str, Any], value: Any, schema_path: Any) -> None:
        self.node, self.datatype = parent_schema, value

    def validate(self, instance: Any) -> None:
        problem = datatype_problem(self.datatype, self.node, instance)
        if problem is not None:
            raise ValueError(problem)


def hardened(node: Any) -> Any:
    """A copy of a schema as the validators read it: every `pattern` anchored at the true end of the text, and
    `x-value-check` beside each `x-datatype` that has a check (see the module docstring)."""
    if isinstance(node, list):
        return [hardened(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: hardened(value) for key, value in node.items()}
    if isinstance(node.get("pattern"), str):
        out["pattern"] = anchored(node["pattern"])
    if node.get("x-datatype") in DATATYPE_CHECKS:
        out[VALUE_CHECK] = node["x-datatype"]
    return out


def _read_documents(folder: Path, root: Path) -> dict[str, dict[str, Any]]:
    """Every `*.schema.json` in `folder`, read safely; anything unreadable stops with its problem lines."""
    problems: list[Problem] = []
    documents: dict[str, dict[str, Any]] = {}
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if entry.name.endswith(SUFFIX))
    except OSError:
        return documents
    with CheckoutReader(root) as reader:
        for name in names:
            path = folder / name
            shown = display_path(path, root)
            try:
                documents[name] = json.loads(reader.read(path, MAX_INPUT_BYTES).decode("utf-8"))
            except RefusedFile as refused:
                problems.append(Problem(shown, 1, "(file)", refused.message, refused.hint))
            except UnicodeDecodeError as error:
                problems.append(Problem(shown, 1, "(file)", f"not valid UTF-8 ({error.reason})", "save the file as UTF-8"))
            except json.JSONDecodeError as error:
                problems.append(Problem(shown, error.lineno, "(json)", f"not valid JSON: {error.msg}",
                                        "fix the JSON syntax on this line"))
            except FileNotFoundError:
                continue
    if problems:
        raise BuildError([problem.text() for problem in problems])
    return documents


@dataclass
class SchemaSet:
    """All record schemas of a checkout, compiled once and reused."""

    folder: Path
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Resolution is pure, and schema nodes are never mutated: cache by node identity.
    _resolved: dict[tuple[int, str], dict[str, Any]] = field(default_factory=dict, repr=False)
    _properties: dict[int, dict[str, dict[str, Any]]] = field(default_factory=dict, repr=False)
    _items: dict[int, dict[str, Any]] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, folder: Path, root: Path | None = None) -> SchemaSet:
        """The schemas in `folder`, `ontology/schemas` of the checkout at `root` (by default two folders up)."""
        return cls(folder, _read_documents(folder, root or folder.absolute().parents[1]))

    @cached_property
    def registry(self) -> Registry:
        resources = []
        for name, doc in self.documents.items():
            resource = Resource.from_contents(doc)
            resources.append((name, resource))
            resources.append((doc["$id"], resource))
        return Registry().with_resources(resources)

    def schema(self, kind: str) -> dict[str, Any]:
        return self.documents[f"{kind}.schema.json"]

    def _kinds(self) -> list[str]:
        """Every record kind, and each check file's kind whose schema is present (a checkout may predate it)."""
        return [kind for kind in VALIDATED if kind in KINDS or f"{kind}{SUFFIX}" in self.documents]

    @cached_property
    def validators(self) -> dict[str, Draft202012Validator]:
        """One compiled validator per kind, over the schema with its `$ref`s inlined.

        Following references through the registry on every record costs more
        than half of validation (measured: 1.18 → 0.52 ms per case record).
        """
        return {kind: _Validator(hardened(self.inlined(kind)), registry=self.registry) for kind in self._kinds()}

    @cached_property
    def fast_validators(self) -> dict[str, Any]:
        """The same inlined schemas compiled by jsonschema-rs, which only has to say whether a record is valid.

        Most records are, and it says so ~50× faster than jsonschema; a record it
        rejects is validated again by jsonschema, whose errors carry what our
        messages need. So jsonschema has the last word on every record it rejects.
        Both compile the same hardened schemas, and the loader has refused the
        control characters on which Python's and Rust's `\\s` differ, so they agree.
        """
        return {kind: jsonschema_rs.validator_for(hardened(self.inlined(kind)), keywords={VALUE_CHECK: _FastDatatype})
                for kind in self._kinds()}

    def surely_valid(self, kind: str, data: Any) -> bool:
        """True when the fast validator accepts `data`; False means "ask jsonschema"."""
        try:
            return bool(self.fast_validators[kind].is_valid(data))
        except (ValueError, TypeError, OverflowError):  # e.g. a non-string key, which jsonschema reports properly
            return False

    def inlined(self, kind: str) -> dict[str, Any]:
        """The kind's schema with every `$ref` replaced by its target (siblings merged, `required` united)."""
        return self._inline(self.schema(kind), f"{kind}.schema.json")

    def _follow(self, ref: str, doc: str) -> tuple[Any, str]:
        """The schema node a `$ref` names, and the document it lives in."""
        target_doc, _, pointer = ref.partition("#")
        target_doc = target_doc or doc
        target: Any = self.documents[target_doc]
        for part in pointer.strip("/").split("/"):
            if part:
                target = target[part]
        return target, target_doc

    def _inline(self, node: Any, doc: str) -> Any:
        if isinstance(node, list):
            return [self._inline(item, doc) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" not in node:
            return {k: self._inline(v, doc) for k, v in node.items() if k != "$defs"}
        target, target_doc = self._follow(node["$ref"], doc)
        merged = self._inline(target, target_doc)
        siblings = {k: self._inline(v, doc) for k, v in node.items() if k != "$ref"}
        if "required" in siblings and "required" in merged:
            siblings["required"] = sorted(set(siblings["required"]) | set(merged["required"]))
        return {**merged, **siblings}

    def resolve(self, node: Any, base: str) -> dict[str, Any]:
        """A schema node with its `$ref` chain merged in (the node's own keys win).

        The result remembers, under `__base__`, which document its own relative
        `$ref`s point into, so nested definitions resolve correctly.
        """
        if not isinstance(node, dict):
            return {}
        key = (id(node), base)
        cached = self._resolved.get(key)
        if cached is None:
            cached = self._resolved[key] = self._resolve(node, base)
            self._resolved[(id(cached), base)] = cached
        return cached

    def _resolve(self, node: dict[str, Any], base: str) -> dict[str, Any]:
        base = node.get("__base__", base)
        ref = node.get("$ref")
        if ref is None:
            return {**node, "__base__": base}
        target, doc_name = self._follow(ref, base)
        resolved_target = self.resolve(target, doc_name)
        merged = {**resolved_target, **{k: v for k, v in node.items() if k != "$ref"}}
        # Record schemas refer to common definitions by absolute name, so the
        # target's document is the right base for everything merged here.
        merged["__base__"] = resolved_target["__base__"]
        return merged

    def properties(self, node: dict[str, Any], base: str = COMMON) -> dict[str, dict[str, Any]]:
        """Each property of an object schema, resolved."""
        resolved = self.resolve(node, base)
        cached = self._properties.get(id(resolved))
        if cached is None:
            own_base = resolved["__base__"]
            cached = self._properties[id(resolved)] = {
                name: self.resolve(spec, own_base)
                for name, spec in resolved.get("properties", {}).items()
                if isinstance(spec, dict)
            }
        return cached

    def item_spec(self, spec: dict[str, Any], base: str = COMMON) -> dict[str, Any]:
        resolved = self.resolve(spec, base)
        cached = self._items.get(id(resolved))
        if cached is None:
            cached = self._items[id(resolved)] = self.resolve(resolved.get("items", {}), resolved["__base__"])
        return cached

    def entity_spec(self, kind: str) -> dict[str, Any]:
        return self.resolve(self.schema(kind), f"{kind}.schema.json")

    def field_spec(self, kind: str, pointer: tuple[str | int, ...]) -> dict[str, Any]:
        """The resolved schema of the field at `pointer` in a record of `kind`."""
        spec = self.entity_spec(kind)
        for part in pointer:
            if isinstance(part, int):
                spec = self.item_spec(spec)
            else:
                spec = self.properties(spec).get(part, {})
        return spec
