"""The words a reader sees on a web page, and whether a quote copied from it is still among them.

A curator copies a short passage from a page as they saw it; the page's HTML
may set the same words with other quotation marks, dashes, line breaks, a
non-breaking space or a soft hyphen, and a browser shows them alike. So both
sides are compared after the same normalisation: Unicode NFKC, case folded,
curly quotes and guillemets made straight, every dash a hyphen, invisible
characters dropped, runs of white space one space, and no space beside a
CJK character (Chinese text has none, but HTML line breaks put one there).
A quote that elides with `…` or `...` is found when its pieces appear in order;
quotation marks around the quote (or a piece of it) are not looked for.

Visible text is what the HTML parser leaves after dropping `script`, `style`
and `template` (stdlib `html.parser`, entities decoded), with a space at each
block boundary so `<p>a</p><p>b</p>` does not read as "ab".

>>> text = visible_text(b'<p>Airflow\\xc2\\xa0is a <em>platform</em></p><script>var x="gone"</script><p>to author</p>')
>>> text
'Airflow\\xa0is a platform to author'
>>> quote_present("Airflow is a platform to author", text), quote_present("gone", text)
(True, False)
>>> quote_present("“Airflow” … author", '"Airflow" is a platform to author')
True
>>> quote_present("分布式 系统", visible_text("<p>分布式\\n系统</p>"))
True
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

SKIPPED = frozenset({"script", "style", "template"})
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
    "pre", "section", "summary", "table", "td", "th", "title", "tr", "ul",
})
QUOTE_MARKS = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"', "\u2033": '"',
    "\u2039": "'", "\u203a": "'", "\u300c": '"', "\u300d": '"', "\u300e": '"', "\u300f": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
})
CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
SPACE_BY_CJK = re.compile(f"(?<=[{CJK}]) | (?=[{CJK}])")
ELLIPSIS = re.compile(r"\.\.\.+")
CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.skipping += 1
        elif tag in BLOCKS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def decode(body: bytes, content_type: str = "") -> str:
    """The page's bytes as text: the charset the header names, else the one a `<meta>` names, else UTF-8."""
    named = re.search(r"charset=\s*[\"']?([A-Za-z0-9._:-]+)", content_type or "", re.IGNORECASE)
    meta = CHARSET.search(body[:4096])
    for charset in (named.group(1) if named else None, meta.group(1).decode("ascii") if meta else None, "utf-8"):
        if charset:
            try:
                return body.decode(charset, errors="replace")
            except LookupError:
                continue
    return body.decode("utf-8", errors="replace")


def visible_text(body: bytes | str, content_type: str = "text/html") -> str:
    """The text a browser shows of an HTML page (a plain-text page as it is), white space collapsed."""
    text = body if isinstance(body, str) else decode(body, content_type)
    if "html" in content_type or "xml" in content_type or text.lstrip()[:1] == "<":
        parser = _Visible()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    return re.sub(r"[ \t\r\n\f\v]+", " ", text).strip()


def normalise(text: str) -> str:
    """Text as compared: NFKC, case folded, straight quotes, hyphens, no invisibles, one space, none beside CJK.

    >>> normalise("It’s  a — “Test”\\u00ad!")
    'it\\'s a - "test"!'
    """
    text = unicodedata.normalize("NFKC", text).translate(QUOTE_MARKS).casefold()
    text = re.sub(r"\s+", " ", text).strip()
    return SPACE_BY_CJK.sub("", text)


def quote_present(quote: str, page_text: str) -> bool:
    """Whether `quote` is in `page_text` (a page's visible text), compared as `normalise` leaves both."""
    text = normalise(page_text)
    pieces = [p.strip(" \"'") for p in ELLIPSIS.split(normalise(quote))]   # the marks a quote was pasted with
    pieces = [p for p in pieces if p]
    if not pieces:
        return False
    at = 0
    for piece in pieces:
        found = text.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return True
