"""Building blocks every generated page shares: links, badges, citation footnotes, headings and tables.

All record text passes through `escape.h` or `escape.md` here, so page modules
compose escaped fragments and never format raw strings into HTML themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kgtools.site.pages import urls
from kgtools.site.pages.escape import h, md
from kgtools.site.pages.i18n import t
from kgtools.site.pages.model import PUBLIC_KINDS, SA, Citation, Entity, SiteModel

SCHEMA_URL = "https://schema.org/url"
KIND_CHIP = {
    SA + "SourceDocument": ("文档", "doc", "doc"),
    SA + "PublicReference": ("公开", "public", "public"),
    SA + "VendorCaseStudy": ("厂商", "vendor", "public"),
    SA + "Paper": ("论文", "paper", "public"),
}


@dataclass
class References:
    """Citation footnotes of one page: each (source, locator) gets one number, used wherever it backs a claim."""

    keys: list[tuple[str, str]] = field(default_factory=list)
    numbers: dict[tuple[str, str], int] = field(default_factory=dict)
    sections: dict[tuple[str, str], str] = field(default_factory=dict)   # (source, locator) → section IRI

    def number(self, citation: Citation) -> int:
        key = (citation.source, citation.locator)
        if key not in self.numbers:
            self.keys.append(key)
            self.numbers[key] = len(self.keys)
            if citation.section:
                self.sections[key] = citation.section
        return self.numbers[key]


@dataclass
class Page:
    """One page being written: its language, where it lives, and its footnotes."""

    model: SiteModel
    lang: str
    url: str
    root: str = ""  # from this language's root to the site root ("" for zh, "../" for en)
    refs: References = field(default_factory=References)

    # -- links -------------------------------------------------------------------

    def href(self, target_url: str) -> str:
        return urls.rel(self.url, target_url)

    def root_href(self, path: str) -> str:
        """A file published once at the site root (downloads, vendor scripts, per-entity RDF)."""
        return urls.rel(self.url, self.root + path)

    def entity_url(self, iri: str) -> str:
        entity = self.model.entities[iri]
        return urls.url(urls.entity_path(entity.kind, entity.id))

    def link(self, iri: str, text: str | None = None) -> str:
        """A link to an entity's page (or plain escaped text for anything without a page)."""
        entity = self.model.entities.get(iri)
        if entity is None:
            return h(text or self.model.label(iri, self.lang))
        label = text if text is not None else entity.label(self.lang)
        return (f'<a class="sa-link sa-link--{entity.kind}" href="{h(self.href(self.entity_url(iri)))}">'
                f"{h(label)}</a>")

    def links(self, iris: Iterable[str], sep: str = "、") -> str:
        ordered = self.model.sorted(list(iris), self.lang)
        return (sep if self.lang == "zh" else ", ").join(self.link(e.iri) for e in ordered)

    def external(self, address: str, text: str | None = None) -> str:
        """A link off the site; `sa-url` when its text is the address (which may then break anywhere)."""
        css = "sa-ext" if text and text != address else "sa-ext sa-url"
        return f'<a class="{css}" href="{h(address)}" rel="noopener">{h(text or address)}</a>'

    # -- provenance --------------------------------------------------------------

    def cite(self, citations: list[Citation]) -> str:
        """Superscript footnote numbers, coloured by the kind of source behind each."""
        if not citations:
            return ""
        marks = []
        for number, citation in sorted({self.refs.number(c): c for c in citations}.items()):
            kind = KIND_CHIP.get(self.model.source_kind.get(citation.source, ""), ("", "doc", "doc"))[2]
            title = h(f"{self.model.label(citation.source, self.lang)} § {citation.locator}")
            marks.append(f'<a class="sa-ref sa-ref--{kind}" href="#ref-{number}" title="{title}">{number}</a>')
        return '<sup class="sa-refs">' + "".join(marks) + "</sup>"

    def badge(self, citations: list[Citation]) -> str:
        """Whether a claim rests on the seed documents only or also on a public reference."""
        if not citations:
            return ""
        key = "public" if self.model.is_public(citations) else "documents"
        return (f'<span class="sa-badge sa-badge--{key}" title="{h(t(f"badge.{key}.title", self.lang))}">'
                f"{h(t(f'badge.{key}', self.lang))}</span>")

    def source_chip(self, source: str) -> str:
        kind = self.model.source_kind.get(source, "")
        zh, en, css = KIND_CHIP.get(kind, ("来源", "source", "doc"))
        title = self.model.label(kind, self.lang) if kind else ""
        return f'<span class="sa-chip sa-chip--{css}" title="{h(title)}">{h(zh if self.lang == "zh" else en)}</span>'

    def citation_line(self, source: str, locator: str, section: str = "") -> str:
        """Kind chip, source link to the cited section, the section itself, and the public address if any.

        A seed document's section is shown by its number and title as the document writes them, and
        linked by its stable id; what the locator adds below that heading follows it.
        """
        parts = [self.source_chip(source)]
        known = self.model.sections.get(section)
        if known:
            tail = locator.split(" · ", 1)[1] if " · " in locator else ""
            locator = known[1] + (f" · {tail}" if tail else "")
        if source in self.model.entities:
            anchor = section.rsplit("#", 1)[1] if known else urls.anchor(locator)
            target = self.entity_url(source) + "#" + anchor
            label = self.model.entities[source].label(self.lang)
            parts.append(f'<a class="sa-link sa-link--source" href="{h(self.href(target))}">{h(label)}</a>')
            for predicate, address in self.model.entities[source].external:
                if predicate == SCHEMA_URL:
                    parts.append(self.external(address, "↗"))
        else:
            parts.append(h(source))
        if locator:
            parts.append(f'<span class="sa-locator">§ {h(locator)}</span>')
        return " ".join(parts)

    def add_references(self, doc: Doc) -> None:
        """The legend and the numbered list the superscripts point to; nothing when nothing was cited."""
        if not self.refs.keys:
            return
        items = [f'<li id="ref-{n}">{self.citation_line(source, locator, self.refs.sections.get((source, locator), ""))}</li>'
                 for n, (source, locator) in enumerate(self.refs.keys, start=1)]
        doc.html(self.legend())
        doc.md(heading(2, t("entity.references", self.lang), "references"))
        doc.html('<ol class="sa-references">\n' + "\n".join(items) + "\n</ol>")

    def legend(self) -> str:
        """What the badges and coloured superscripts mean."""
        lang = self.lang
        return ('<p class="sa-legend">'
                f'<span class="sa-badge sa-badge--documents">{h(t("badge.documents", lang))}</span> '
                f'{h(t("badge.documents.title", lang))}<br>'
                f'<span class="sa-badge sa-badge--public">{h(t("badge.public", lang))}</span> '
                f'{h(t("badge.public.title", lang))}</p>')


SLOT = "<!--sa:slot:{}-->"


@dataclass
class Doc:
    """A generated page: a little Markdown (front matter, headings) with HTML blocks held aside.

    Python-Markdown would run every raw HTML block through its HTML parser, which
    dominated build time; instead each block becomes a comment placeholder that
    Markdown passes through, and the plugin puts the block back into the
    rendered page (`fill`). Headings stay Markdown, so the table of contents works.
    """

    lines: list[str] = field(default_factory=list)
    slots: list[str] = field(default_factory=list)

    def md(self, *lines: str) -> Doc:
        self.lines.extend([*lines, ""])
        return self

    def html(self, *blocks: str) -> Doc:
        for block in blocks:
            if block:
                self.lines.extend([SLOT.format(len(self.slots)), ""])
                self.slots.append(block)
        return self

    def markdown(self) -> str:
        return "\n".join(self.lines) + "\n"


def fill(rendered: str, slots: list[str]) -> str:
    """Put the HTML blocks back where their placeholders are in the rendered page."""
    if not slots:
        return rendered
    return _SLOT_RE.sub(lambda m: slots[int(m.group(1))], rendered)


_SLOT_RE = re.compile(r"<!--sa:slot:(\d+)-->")


def heading(level: int, text: str, anchor: str, searchable: bool = False) -> str:
    """A Markdown heading (so it reaches the table of contents) with escaped text and a fixed id."""
    attrs = f"#{anchor}" + ("" if searchable else " data-search-exclude")
    return f"{'#' * level} {md(text)} {{ {attrs} }}"


def table(head: list[str], rows: list[list[str]], css: str = "", search: bool = True) -> str:
    """An HTML table from already-escaped cells; with `search=False`, left out of the search index.

    Listing and comparison tables name entities and their figures, and every
    entity has a search entry of its own (kgtools.site.plugin.search): indexed
    again, such tables were most of the index at 4,000 records (the scenario-fit
    matrices alone 0.6 MB a language) and made any entity name match the page.
    """
    if not rows:
        return ""
    out = [f'<table class="{h(f"sa-table {css}".strip())}">']
    out.append("<thead><tr>" + "".join(f"<th>{c}</th>" for c in head) + "</tr></thead>")
    out.append("<tbody>")
    out.extend("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    out.append("</tbody></table>")
    exclude = "" if search else " data-search-exclude"
    return f'<div class="sa-scroll"{exclude}>' + "\n".join(out) + "</div>"


def entity_list(page: Page, entities: Iterable[Entity], extra: dict[str, str] | None = None) -> str:
    """A bulleted list of links, each with its other-language name for readers of either language."""
    other = "en" if page.lang == "zh" else "zh"
    items = []
    for entity in page.model.sorted(list(entities), page.lang):
        alt = entity.labels.get(other, "")
        alt_html = f' <span class="sa-alt" lang="{other}">{h(alt)}</span>' if alt and alt != entity.label(page.lang) else ""
        more = (extra or {}).get(entity.iri, "")
        items.append(f"<li>{page.link(entity.iri)}{alt_html}{more}</li>")
    if not items:
        return f'<p class="sa-empty">{h(t("entity.none", page.lang))}</p>'
    return '<ul class="sa-list">\n' + "\n".join(items) + "\n</ul>"


def is_public_kind(kind: str) -> bool:
    return kind in PUBLIC_KINDS
