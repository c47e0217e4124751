"""Figures as a reader expects them: value or range, qualifier and unit, written from the graph's own values.

The graph stores numbers as decimals with a separate qualifier ("<", ">", "≈",
"+") and unit; this is the one place that turns them back into text, so every
page prints the same figure the same way and never a retyped copy.
"""

from __future__ import annotations

from decimal import Decimal

from kgtools.site.pages.model import SA, Lit, Statement

SCHEMA = "https://schema.org/"
VALUE, MIN, MAX, UNIT = SCHEMA + "value", SCHEMA + "minValue", SCHEMA + "maxValue", SCHEMA + "unitText"
QUALIFIER, TEXT_VALUE = SA + "qualifier", SA + "textValue"
_TIGHT_UNITS = {"%", "×", "x", "‰"}


def decimal_text(value: Decimal | str) -> str:
    """`847`, `99.99`, `0.5`: no exponent, no trailing zeros."""
    number = value if isinstance(value, Decimal) else Decimal(value)
    text = format(number.normalize(), "f")
    return text if text != "-0" else "0"


def with_unit(number: str, unit: str) -> str:
    if not unit:
        return number
    return f"{number}{unit}" if unit in _TIGHT_UNITS else f"{number} {unit}"


def _literal(statement: Statement, predicate: str) -> str | None:
    value = statement.one(predicate)
    return value.value if isinstance(value, Lit) else None


def figure(statement: Statement, lang: str) -> str:
    """A measurement's value as text: `< 200 ms`, `5000+ requests/s`, `10–20 s`, or its words."""
    value, low, high, unit, qualifier = (_literal(statement, p) for p in (VALUE, MIN, MAX, UNIT, QUALIFIER))
    return format_figure(value, low, high, unit, qualifier, statement.text(TEXT_VALUE, lang))


def format_figure(value: str | None, low: str | None, high: str | None, unit: str | None, qualifier: str | None,
                  words: str = "") -> str:
    """The text of a figure from the graph's own fields (value or min/max, unit, qualifier, or words)."""
    unit = unit or ""
    qualifier = qualifier or "="
    if value is not None:
        number = decimal_text(value)
        if qualifier == "+":
            return with_unit(f"{number}+", unit)
        prefix = "" if qualifier == "=" else f"{qualifier} "
        return prefix + with_unit(number, unit)
    if low is not None and high is not None:
        return with_unit(f"{decimal_text(low)}–{decimal_text(high)}", unit)
    if low is not None:
        return "≥ " + with_unit(decimal_text(low), unit)
    if high is not None:
        return "≤ " + with_unit(decimal_text(high), unit)
    return words


def score(statement: Statement) -> str:
    """A rating as `4/5`."""
    value = _literal(statement, SA + "score")
    scale = _literal(statement, SA + "scaleMax")
    if value is None:
        return ""
    return f"{decimal_text(value)}/{decimal_text(scale)}" if scale else decimal_text(value)


def stars(statement: Statement) -> str:
    """★★★★☆ for whole-number scores on a scale of at most ten; empty otherwise."""
    value, scale = _literal(statement, SA + "score"), _literal(statement, SA + "scaleMax")
    if value is None or scale is None:
        return ""
    number, top = Decimal(value), Decimal(scale)
    if top > 10 or number != number.to_integral_value() or top != top.to_integral_value() or not 0 <= number <= top:
        return ""
    return "★" * int(number) + "☆" * int(top - number)
