"""Figures as a reader expects them: value or range, qualifier and unit, written from the graph's own values.

The graph stores numbers as decimals with a separate qualifier ("<", ">", "≈",
"+") and unit; this is the one place that turns them back into text, so every
page prints the same figure the same way and never a retyped copy.

Numbers are written for the page's language: thousands separators on the
English site (`10,000,000`), 万 and 亿 on the Chinese one (`1000万`, `1.5亿`),
where the exact value goes in a title attribute. Units keep their stored text
on the English site and take the Chinese name the shared unit table gives
(`x-units` of common.schema.json, key `zh`) on the Chinese one.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from kgtools.query.engine import PREFIX_IRIS
from kgtools.site.pages.escape import h
from kgtools.site.pages.model import Statement
from kgtools.site.pages.units import Units

SA = PREFIX_IRIS["sa"]

SCHEMA = "https://schema.org/"
VALUE, MIN, MAX, UNIT = SCHEMA + "value", SCHEMA + "minValue", SCHEMA + "maxValue", SCHEMA + "unitText"
QUALIFIER, TEXT_VALUE = SA + "qualifier", SA + "textValue"
_TIGHT_UNITS = {"%", "×", "x", "‰", "倍"}


WAN, YI, WAN_YI = Decimal(10) ** 4, Decimal(10) ** 8, Decimal(10) ** 12
GROUP_FROM = Decimal(1000)   # English groups digits from four-digit numbers on


def decimal_text(value: Decimal | str) -> str:
    """`847`, `99.99`, `0.5`: no exponent, no trailing zeros, no grouping (for data, inputs and scores)."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    text = format(number.normalize(), "f")
    return text if text != "-0" else "0"


def grouped(value: Decimal | str | int) -> str:
    """`10,000,000`, `1,234.5`: every digit, thousands separated (English pages, and exact values in titles)."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    text = decimal_text(number)
    if abs(number) < GROUP_FROM:
        return text
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = f"{int(whole.lstrip('-')):,}"
    return sign + digits + (f".{fraction}" if fraction else "")


def _myriads(number: Decimal) -> str:
    """`1000万`, `1.5亿`, `1.1万亿`: at most two decimals of the 万/亿 it is counted in."""
    size = abs(number)
    for step, name in ((WAN_YI, "万亿"), (YI, "亿"), (WAN, "万")):
        if size >= step:
            scaled = (number / step).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
            return decimal_text(scaled) + name
    return decimal_text(number)


def number_text(value: Decimal | str | int, lang: str) -> str:
    """A number for a reader: `10,000,000` in English, `1000万` in Chinese; small numbers as they are."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if lang == "zh":
        return _myriads(number) if abs(number) >= WAN else decimal_text(number)
    return grouped(number)


def is_rounded(value: Decimal | str | int, lang: str) -> bool:
    """Whether `number_text` drops digits (so the exact value belongs in a title)."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return lang == "zh" and abs(number) >= WAN


def count_html(value: int, lang: str, cls: str = "") -> str:
    """A count as HTML: the reader's form, with the exact number in a title when the form rounds it."""
    text = number_text(value, lang)
    title = f' title="{h(grouped(value))}"' if is_rounded(value, lang) else ""
    klass = f' class="{h(cls)}"' if cls else ""
    return f"<span{klass}{title}>{h(text)}</span>" if (title or klass) else h(text)


def with_unit(number: str, unit: str) -> str:
    if not unit:
        return number
    return f"{number}{unit}" if unit in _TIGHT_UNITS else f"{number} {unit}"


def _literal(statement: Statement, predicate: str) -> str | None:
    value = statement.one(predicate)
    return getattr(value, "value", None) if value is not None and not isinstance(value, str) else None


def _fields(statement: Statement) -> tuple[str | None, ...]:
    return tuple(_literal(statement, p) for p in (VALUE, MIN, MAX, UNIT, QUALIFIER))


def figure(statement: Statement, lang: str, units: Units | None = None) -> str:
    """A measurement's value as text: `< 200 ms`, `5,000+ requests/s`, `10–20 s`, `1000万 事件/秒`, or its words."""
    value, low, high, unit, qualifier = _fields(statement)
    return format_figure(value, low, high, unit, qualifier, statement.text(TEXT_VALUE, lang), lang, units)


def figure_html(statement: Statement, lang: str, units: Units | None = None) -> str:
    """The figure in its `sa-figure` span, with the exact value as the title when 万/亿 rounded it."""
    value, low, high, unit, qualifier = _fields(statement)
    return format_figure_html(value, low, high, unit, qualifier, statement.text(TEXT_VALUE, lang), lang, units)


def format_figure_html(value: str | None, low: str | None, high: str | None, unit: str | None, qualifier: str | None,
                       words: str, lang: str, units: Units | None = None) -> str:
    """`format_figure` in a `sa-figure` span, titled with every digit when the reader's form rounds them."""
    text = format_figure(value, low, high, unit, qualifier, words, lang, units)
    exact = format_figure(value, low, high, unit, qualifier, words, "exact", units, unit_lang=lang)
    title = f' title="{h(exact)}"' if exact != text and lang == "zh" else ""
    return f'<span class="sa-figure"{title}>{h(text)}</span>'


def format_figure(value: str | None, low: str | None, high: str | None, unit: str | None, qualifier: str | None,
                  words: str = "", lang: str = "en", units: Units | None = None, unit_lang: str | None = None) -> str:
    """The text of a figure from the graph's own fields (value or min/max, unit, qualifier, or words).

    `lang` "exact" writes every digit, grouped (for titles), with units in `unit_lang`.
    """
    unit = (units or Units()).name(unit or "", unit_lang or lang)

    def num(v: str) -> str:
        return grouped(v) if lang == "exact" else number_text(v, lang)

    qualifier = qualifier or "="
    if value is not None:
        number = num(value)
        if qualifier == "+":
            return with_unit(f"{number}+", unit)
        prefix = "" if qualifier == "=" else f"{qualifier} "
        return prefix + with_unit(number, unit)
    if low is not None and high is not None:
        return with_unit(f"{num(low)}–{num(high)}", unit)
    if low is not None:
        return "≥ " + with_unit(num(low), unit)
    if high is not None:
        return "≤ " + with_unit(num(high), unit)
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
