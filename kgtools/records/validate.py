"""Schema validation of records, each error turned into a plain-words problem.

One compiled validator per kind is reused for every record (`iter_errors`
gives all errors, not just the first); errors are read from their structured
fields, never by parsing message strings.
"""

from __future__ import annotations

from typing import Any

from jsonschema import ValidationError

from kgtools.records.loader import Record
from kgtools.records.problems import PLACEHOLDER, Problem, field_name
from kgtools.records.schemas import SchemaSet
from kgtools.records.suggest import did_you_mean

_TYPE_NAMES = {
    "string": "text", "object": "a mapping of fields", "array": "a list",
    "integer": "a whole number", "number": "a number", "boolean": "true or false", "null": "nothing",
}


def _kind_of_value(value: Any) -> str:
    for name, kind in ((str, "text"), (bool, "true/false"), (int, "a number"), (float, "a number"),
                       (list, "a list"), (dict, "a mapping")):
        if isinstance(value, name):
            return kind
    return "nothing" if value is None else type(value).__name__


def _is_placeholder(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(PLACEHOLDER)


def validate_record(record: Record, schemas: SchemaSet) -> list[Problem]:
    """Every schema violation in one record."""
    if schemas.surely_valid(record.kind, record.data):
        return []
    validator = schemas.validators[record.kind]
    problems: list[Problem] = []
    for error in validator.iter_errors(record.data):
        if _is_placeholder(error.instance):
            continue  # reported by name by the placeholder rule
        problems.extend(_explain(record, error, schemas))
    return problems


def _explain(record: Record, error: ValidationError, schemas: SchemaSet) -> list[Problem]:
    path = tuple(error.absolute_path)
    spec = schemas.field_spec(record.kind, path)
    title = spec.get("title", "")

    def at(pointer: tuple[str | int, ...], message: str, hint: str = "", key: bool = False) -> Problem:
        return Problem(record.display, record.line_of(pointer, key=key), field_name(pointer), message, hint)

    validator = error.validator
    if validator == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        out = []
        for name in missing:
            child = schemas.field_spec(record.kind, (*path, name))
            what = child.get("description") or child.get("title") or ""
            out.append(at((*path, name), f"required field `{name}` is missing",
                          f"add `{name}:`" + (f" — {what}" if what else "")))
        return out
    if validator == "additionalProperties":
        allowed = sorted(schemas.properties(spec).keys())
        return [
            at((*path, extra), f"unknown field `{extra}`",
               did_you_mean(str(extra), allowed) or f"allowed fields: {', '.join(allowed)}", key=True)
            for extra in error.instance if extra not in allowed
        ]
    if validator == "type":
        wanted = error.validator_value
        wanted_names = " or ".join(_TYPE_NAMES.get(w, w) for w in (wanted if isinstance(wanted, list) else [wanted]))
        hint = "write it as {zh: …, en: …}" if spec.get("x-datatype") == "text" else f"see {title or 'the schema'}"
        return [at(path, f"expected {wanted_names}, found {_kind_of_value(error.instance)}", hint)]
    if validator == "enum":
        options = [str(o) for o in error.validator_value]
        return [at(path, f"`{error.instance}` is not one of: {', '.join(options)}",
                   did_you_mean(str(error.instance), options))]
    if validator == "pattern":
        hint = spec.get("description", "")
        if spec.get("x-datatype") == "iri" or "url" in str(path[-1:]):
            hint = "use a full http:// or https:// address with no spaces or angle brackets"
        return [at(path, f"`{error.instance}` has the wrong form", hint)]
    if validator in ("minItems", "minLength"):
        return [at(path, "must not be empty" if validator == "minLength" else
                   f"needs at least {error.validator_value} item(s)", spec.get("description", ""))]
    if validator == "maxLength":
        return [at(path, f"longer than {error.validator_value} characters", "shorten it")]
    if validator == "uniqueItems":
        return [at(path, "lists the same item twice", "remove the repeat")]
    if validator == "dependentRequired":
        return [at(path, f"`{key}` needs `{need}`", f"add `{need}:` beside `{key}`")
                for key, needs in error.validator_value.items() if key in error.instance
                for need in needs if need not in error.instance]
    if validator == "anyOf" and "metric" in getattr(error, "instance", {}):
        return [at(path, "a figure needs `value`, `min`, `max` or `text`",
                   "give the number (with `unit`) or describe it in `text`")]
    if validator == "not" and isinstance(error.instance, dict) and "value" in error.instance:
        return [at(path, "give either `value` or a `min`/`max` range, not both", "drop one of them")]
    if validator is None or validator == "const":
        return [at(path, "not allowed here", "remove this field")]
    if validator in ("minimum", "maximum"):
        return [at(path, error.message, spec.get("description", ""))]
    return [at(path, error.message, spec.get("description", ""))]
