"""Tags: the concepts that classify entities (categories, industries, scenarios, schemes), and the page listing them.

A tag is not a separate vocabulary: it is the concept an entity points to
through one of `TAG_PREDICATES`, so tags come from the graph like everything else.
"""

from __future__ import annotations

from collections import defaultdict

from kgtools.site.escape import h
from kgtools.site.i18n import t
from kgtools.site.markup import Page, entity_list
from kgtools.site.model import IN_SCHEME, SA
from kgtools.site.escape import md

TAG_PREDICATES = (SA + "category", SA + "industry", SA + "scenario", IN_SCHEME)


def tag_anchor(concept_id: str) -> str:
    return f"tag-{concept_id}"


def tags_page(page: Page) -> str:
    model, lang = page.model, page.lang
    tagged: dict[str, set[str]] = defaultdict(set)
    for predicate in TAG_PREDICATES:
        for subject, links in model.outgoing.items():
            for p, target in links:
                if p == predicate:
                    tagged[target].add(subject)
    parts = [f"# {md(t('tags', lang))}", "", f'<p class="sa-intro">{h(t("tags.intro", lang))}</p>', ""]
    cloud = []
    for concept in model.sorted(list(tagged), lang):
        href = "#" + tag_anchor(concept.id)
        cloud.append(f'<a class="sa-tag" href="{h(href)}">{h(concept.label(lang))} <span class="sa-count">{len(tagged[concept.iri])}</span></a>')
    parts += [f'<p class="sa-cloud">{" ".join(cloud)}</p>', ""]
    for concept in model.sorted(list(tagged), lang):
        parts += [f"## {md(concept.label(lang))} {{ #{tag_anchor(concept.id)} data-search-exclude }}", "",
                  f'<p class="sa-tag-head">{page.link(concept.iri)}</p>',
                  entity_list(page, [model.entities[s] for s in tagged[concept.iri]]), ""]
    return "\n".join(parts) + "\n"
