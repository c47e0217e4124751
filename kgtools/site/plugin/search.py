"""What search finds: entities by their names in both languages, aliases and description, read from the graph.

Entity pages are left out of Material's own indexing (parsing a thousand
rendered pages was a third of the build) and get one entry each here instead,
made from the same graph data the page shows.

Nothing is added to the text for Chinese: the search separator in mkdocs.yml
ends in two empty alternatives, before and after every Han character, so
Material's tokenizer (which splits at every match of the separator, empty ones
included) makes each character a token of its own, as the zero-width space the
plugin used to put beside every character did. That space cost three bytes a
character, 0.30 of the 1.01 MB of the Chinese index on the real corpus; the
search worker (assets/stackatlas/search-worker.js) still cuts a Chinese query
into one required term per character, so results and their "missing" marks
are as before (docs/decisions/site-search.md).

An entity's entry holds its names, aliases, kind and the first sentence of its
description (at most SUMMARY_CHARS characters), not the whole description:
every page of the site downloads the index, and with descriptions of several
paragraphs it was 3.5 MB in zh for 1,600 records, most of it text a reader
does not type into a search box; names and what the thing is are what they do
type. Pages that only repeat entity data (the glossary, the recently changed
list) are left out of the index for the same reason (their front matter), and
so are the listing and comparison tables of generated pages (`markup.table`
with `search=False`: index pages, cases by technology, the assessments'
matrices), while those pages keep their titles, headings and prose: at 4,000
records the scenario-fit matrices alone were 0.6 MB of each language's index.
On a comparison page an assessment's section is indexed under its heading
alone, its link and description being the assessment's own entry.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path

from kgtools.site.pages import urls
from kgtools.site.pages.finder import first_sentence
from kgtools.site.pages.i18n import other, t
from kgtools.site.pages.model import SiteModel

SUMMARY_CHARS = {"zh": 60, "en": 160}   # about one sentence in each language


def summary(text: str, lang: str) -> str:
    """The first sentence of `text`, cut at a word (en) or character (zh) boundary to SUMMARY_CHARS with "…"."""
    first = first_sentence(text)   # as the finder's cards show it
    cap = SUMMARY_CHARS.get(lang, SUMMARY_CHARS["en"])
    if len(first) <= cap:
        return first
    cut = first[:cap]
    if lang != "zh" and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:，、；：") + "…"


def _text(value: str) -> str:
    """Material's index holds HTML-escaped text (its results are rendered as markup)."""
    return html.escape(value, quote=False)


def entity_entries(model: SiteModel, lang: str) -> list[dict[str, object]]:
    entries = []
    for entity in model.entities.values():
        label = entity.label(lang)
        alt = entity.labels.get(other(lang), "")
        words = [t(f"kind.{entity.type_key}", lang)]
        words += [alt] if alt and alt != label else []
        words += [*entity.aliases, summary(entity.description(lang), lang)]
        # Material's index ignores field length, so "Kubernetes" and "Edge Kubernetes" tie on the query
        # "Kubernetes"; the better-connected entity (usually the one meant) goes first.
        degree = len(model.outgoing.get(entity.iri, [])) + len(model.incoming.get(entity.iri, []))
        entries.append({
            "location": urls.url(urls.entity_path(entity.kind, entity.id)),
            "title": _text(label),
            "text": _text(" · ".join(w for w in words if w)),
            "boost": round(2 + math.log2(1 + degree) / 2, 2),
        })
    entries.sort(key=lambda e: str(e["location"]))
    return entries


def rewrite_index(path: Path, extra: list[dict[str, object]]) -> int:
    """Add `extra` entries to a Material `search_index.json` and write it back, compact; return the count."""
    data = json.loads(path.read_text(encoding="utf-8"))
    docs = data.setdefault("docs", [])
    docs.extend(extra)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return len(docs)
