"""The order a reader looks names up in: pinyin for Chinese, the alphabet for English, decided at build time.

A Chinese glossary sorted by code point or by its English names is no use to
someone looking for "事件溯源" under S. Each Han character becomes its pinyin
syllable (pypinyin, with its phrase dictionary for polyphones), compared letters
first and tone second, as a Chinese dictionary does; Latin text in a label
("NoSQL 数据库") sorts among the syllables by its letters, so a label sits under
the letter a reader would look in. pypinyin reads a polyphone outside a known
phrase by its most common reading; `_PHRASES` gives the reading for the terms of
our field it gets wrong (长 cháng, 重 chóng at the start of a term).

>>> sorted(["事件溯源", "NoSQL 数据库", "可用性", "编程语言"], key=lambda s: sort_key(s, "zh"))
['编程语言', '可用性', 'NoSQL 数据库', '事件溯源']
"""

from __future__ import annotations

import functools
import re

_PHRASES = {
    "长周期": [["cháng"], ["zhōu"], ["qī"]],
    "长连接": [["cháng"], ["lián"], ["jiē"]],
    "长尾": [["cháng"], ["wěi"]],
    "长事务": [["cháng"], ["shì"], ["wù"]],
    "重试": [["chóng"], ["shì"]],
    "重放": [["chóng"], ["fàng"]],
    "重构": [["chóng"], ["gòu"]],
    "重平衡": [["chóng"], ["píng"], ["héng"]],
    "重分区": [["chóng"], ["fēn"], ["qū"]],
}
_SYLLABLE = re.compile(r"([a-zü]+)([1-5])")


@functools.cache
def _pinyin() -> object:
    """pypinyin with our phrases loaded: done once, when a page first needs it, never at import."""
    import pypinyin

    pypinyin.load_phrases_dict(_PHRASES)
    return pypinyin


def _zh_key(text: str) -> tuple[tuple[str, int], ...]:
    pypinyin = _pinyin()
    parts = pypinyin.lazy_pinyin(text, style=pypinyin.Style.TONE3, neutral_tone_with_five=True)  # type: ignore[attr-defined]
    key: list[tuple[str, int]] = []
    for part in parts:
        match = _SYLLABLE.fullmatch(part)
        if match:
            key.append((match.group(1).replace("ü", "v"), int(match.group(2))))
        else:
            key.extend((word, 0) for word in re.findall(r"\w+", part.casefold()))
    return tuple(key)


def sort_key(text: str, lang: str) -> tuple[tuple[str, int], ...]:
    """A key that sorts `text` in `lang`'s reading order (pinyin for "zh", letters for any other)."""
    if lang == "zh":
        return _zh_key(text)
    return tuple((word, 0) for word in re.findall(r"\w+", text.casefold()))
