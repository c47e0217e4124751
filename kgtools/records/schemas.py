"""The JSON Schemas: the only definition of a record's shape.

Besides validating, the schemas carry `x-` annotations (`x-rdf`, `x-ref`,
`x-node`, …) that tell the compiler and the integrity checks what each field
means, so no field is ever declared a second time in Python.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from kgtools.records.project import KINDS

COMMON = "common.schema.json"


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
    def load(cls, folder: Path) -> SchemaSet:
        documents = {
            path.name: json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(folder.glob("*.schema.json"))
        }
        return cls(folder, documents)

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

    @cached_property
    def validators(self) -> dict[str, Draft202012Validator]:
        """One compiled validator per kind, over the schema with its `$ref`s inlined.

        Following references through the registry on every record costs more
        than half of validation (measured: 1.18 → 0.52 ms per case record).
        """
        return {
            kind: Draft202012Validator(self.inlined(kind), registry=self.registry)
            for kind in KINDS
        }

    @cached_property
    def fast_validators(self) -> dict[str, Any]:
        """The same inlined schemas compiled by jsonschema-rs, which only has to say whether a record is valid.

        Most records are, and it says so ~50× faster than jsonschema; a record it
        rejects is validated again by jsonschema, whose errors carry what our
        messages need. So jsonschema has the last word on every record it rejects;
        where the two regex dialects differ (`$` before a final newline, `\\s`),
        jsonschema-rs is the stricter one once the loader has refused control
        characters.
        """
        return {kind: jsonschema_rs.validator_for(self.inlined(kind)) for kind in KINDS}

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
