"""What search finds: entities by their names in both languages, aliases and description, read from the graph.

Entity pages are left out of Material's own indexing (parsing a thousand
rendered pages was a third of the build) and get one entry each here instead,
made from the same graph data the page shows. The whole index is then
segmented for Chinese (see `segment`).
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path

from kgtools.site.pages import urls
from kgtools.site.pages.i18n import other, t
from kgtools.site.pages.model import SiteModel
from kgtools.site.plugin.segment import segment


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
        words += [*entity.aliases, entity.description(lang)]
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
    """Add `extra` entries to a Material `search_index.json`, segment Chinese, write it back; return the count."""
    data = json.loads(path.read_text(encoding="utf-8"))
    docs = data.setdefault("docs", [])
    docs.extend(extra)
    for doc in docs:
        for key in ("title", "text"):
            if isinstance(doc.get(key), str):
                doc[key] = segment(doc[key])
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return len(docs)
