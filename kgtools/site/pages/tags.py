"""Tags: the concepts that classify entities (categories, industries, scenarios, schemes), and the page listing them.

A tag is not a separate vocabulary: it is the concept an entity points to
through one of `TAG_PREDICATES`, so tags come from the graph like everything else.
"""

from __future__ import annotations

from collections import defaultdict

from kgtools.site.pages.escape import h, md
from kgtools.site.pages.i18n import t
from kgtools.site.pages.markup import Doc, Page, entity_list
from kgtools.site.pages.model import IN_SCHEME, SA

TAG_PREDICATES = (SA + "category", SA + "industry", SA + "scenario", IN_SCHEME)


def tag_anchor(concept_id: str) -> str:
    return f"tag-{concept_id}"


def tags_page(page: Page) -> Doc:
    model, lang = page.model, page.lang
    tagged: dict[str, set[str]] = defaultdict(set)
    for subject, links in model.outgoing.items():
        for predicate, target in links:
            if predicate in TAG_PREDICATES:
                tagged[target].add(subject)
    tags = model.sorted(list(tagged), lang)
    doc = Doc().md(f"# {md(t('tags', lang))}")
    doc.html(f'<p class="sa-intro">{h(t("tags.intro", lang))}</p>')
    cloud = [f'<a class="sa-tag" href="#{tag_anchor(c.id)}">{h(c.label(lang))} <span class="sa-count">{len(tagged[c.iri])}</span></a>'
             for c in tags]
    doc.html(f'<p class="sa-cloud">{" ".join(cloud)}</p>')
    for concept in tags:
        doc.md(f"## {md(concept.label(lang))} {{ #{tag_anchor(concept.id)} data-search-exclude }}")
        doc.html(f'<p class="sa-tag-head">{page.link(concept.iri, "↗ " + concept.label(lang))}</p>\n'
                 + entity_list(page, [model.entities[s] for s in tagged[concept.iri]]))
    return doc
