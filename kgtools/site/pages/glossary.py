"""The glossary: every concept in both languages, in the reader's order, narrowed by scheme and by text in place.

The order is fixed at build time (`collate`: pinyin on the Chinese site, the
alphabet on the English one), so the page needs no collation in the browser.
Each entry carries its schemes' ids and a lower-cased search text as data
attributes; `assets/stackatlas/glossary.js` only hides and shows entries and
writes the count, through textContent. Entries are a list, not a table: at
390 px a four-column table left the scheme column two characters wide.

Entries are grouped under their initial (the pinyin initial on the Chinese
site, the first letter on the English one; digits and symbols under "#"), as a
printed glossary is, with a bar of the initials to jump to. Each group is a
`<details>` element: open on a wide screen, folded on a phone, where seven
hundred entries with their descriptions made a page some 240,000 px tall. A
reader narrowing the list by text or scheme sees every group that holds a
match opened, and the others hidden.
"""

from __future__ import annotations

from kgtools.site.pages.collate import sort_key
from kgtools.site.pages.counts import members
from kgtools.site.pages.escape import h, md, yaml_str
from kgtools.site.pages.i18n import other, t
from kgtools.site.pages.markup import Doc, Page
from kgtools.site.pages.model import IN_SCHEME, Entity

SCRIPT = "glossary.js"


def glossary_order(concepts: list[Entity], lang: str) -> list[Entity]:
    """Concepts in the order a reader of `lang` looks names up: by their name in that language."""
    return sorted(concepts, key=lambda c: (sort_key(c.label(lang), lang), c.label(lang), c.id))


def initial(name: str, lang: str) -> str:
    """The letter `name` is filed under: `事件溯源` → `S`, `Kafka` → `K`, `5 Why 分析` → `#`."""
    key = sort_key(name, lang)
    first = key[0][0][:1].upper() if key else ""
    return first if "A" <= first <= "Z" else "#"


def _entry(page: Page, concept: Entity) -> str:
    lang, model = page.lang, page.model
    alt_lang = other(lang)
    schemes = model.sorted(model.targets(concept.iri, IN_SCHEME), lang)
    name, alt, description = concept.label(lang), concept.labels.get(alt_lang, ""), concept.description(lang)
    words = " ".join([name, alt, *concept.aliases, description, *(s.label(lang) for s in schemes)]).casefold()
    tags = "".join(f'<span class="sa-glossary__scheme">{h(s.label(lang))}</span>' for s in schemes)
    alt_html = f' <span class="sa-glossary__alt" lang="{alt_lang}">{h(alt)}</span>' if alt and alt != name else ""
    return (f'<li class="sa-glossary__entry" data-schemes="{h(" ".join(s.id for s in schemes))}"'
            f' data-text="{h(words)}"><div class="sa-glossary__term">{page.link(concept.iri)}{alt_html}'
            f'<span class="sa-glossary__schemes">{tags}</span></div>'
            f'<p class="sa-glossary__text">{h(description)}</p></li>')


def _controls(page: Page, schemes: list[Entity], counts: dict[str, int], total: int) -> str:
    lang = page.lang
    options = [f'<option value="">{h(t("glossary.all_schemes", lang))} ({total})</option>']
    options += [f'<option value="{h(s.id)}">{h(s.label(lang))} ({counts[s.iri]})</option>' for s in schemes]
    count = t("glossary.count", lang)
    return ('<form class="sa-glossary__filter" id="sa-glossary-filter" role="search" data-search-exclude>'
            f'<label>{h(t("glossary.scheme", lang))} <select id="sa-glossary-scheme">{"".join(options)}</select></label>'
            f'<label>{h(t("glossary.find", lang))} <input id="sa-glossary-text" type="search" autocomplete="off"'
            f' placeholder="{h(t("glossary.find.placeholder", lang))}"></label>'
            f'<output id="sa-glossary-count" data-template="{h(count)}" data-count="concept" data-value="{total}"'
            ' aria-live="polite">'
            f'{h(t("glossary.count", lang, shown=total, total=total))}</output></form>')


def glossary_page(page: Page) -> Doc:
    model, lang = page.model, page.lang
    concepts = glossary_order(members(model, "concept"), lang)
    counts: dict[str, int] = {}
    for concept in concepts:
        for scheme in model.targets(concept.iri, IN_SCHEME):
            counts[scheme] = counts.get(scheme, 0) + 1
    schemes = glossary_order(model.sorted(list(counts), lang), lang)
    title = t("glossary", lang)
    # Not in the search index: every concept has an entry of its own there (kgtools.site.plugin.search), and
    # this page's text, the same names and summaries again, was a third of the index.
    doc = Doc(["---", f"title: {yaml_str(h(title))}", "hide:", "  - toc", "search:", "  exclude: true",
               "sa_scripts:", f"  - {SCRIPT}", "---"])
    groups: dict[str, list[Entity]] = {}
    for concept in concepts:  # in glossary order, so each group is too
        groups.setdefault(initial(concept.label(lang), lang), []).append(concept)
    groups = dict(sorted(groups.items(), key=lambda kv: (kv[0] != "#", kv[0])))  # digits and symbols first
    return doc.md(f"# {md(title)}").html(
        f'<p class="sa-intro">{h(t("glossary.intro", lang))}</p>',
        _controls(page, schemes, counts, len(concepts)),
        _jump_bar(groups, lang),
        '<div class="sa-glossary" id="sa-glossary">' + "".join(_group(page, k, g) for k, g in groups.items()) + "</div>"
        f'<p class="sa-glossary__none" id="sa-glossary-none" hidden>{h(t("glossary.none", lang))}</p>')


def _group_id(key: str) -> str:
    return "sa-glossary-" + ("num" if key == "#" else key.lower())


def _jump_bar(groups: dict[str, list[Entity]], lang: str) -> str:
    links = "".join(f'<a href="#{_group_id(k)}" data-group="{h(_group_id(k))}">{h(k)}</a>' for k in groups)
    return f'<nav class="sa-glossary__jump" id="sa-glossary-jump" aria-label="{h(t("glossary.jump", lang))}">{links}</nav>'


def _group(page: Page, key: str, concepts: list[Entity]) -> str:
    entries = "".join(_entry(page, c) for c in concepts)
    return (f'<details class="sa-glossary__group" id="{_group_id(key)}" open><summary>'
            f'<span class="sa-glossary__initial">{h(key)}</span>'
            f' <span class="sa-glossary__size">{len(concepts)}</span></summary>'
            f'<ul class="sa-glossary__list">{entries}</ul></details>')
