"""The comparison pages: every assessment's tables gathered by kind, plus the consolidated scenario fit matrix."""

from __future__ import annotations

from kgtools.site.pages.compare import PAGE_TITLES, PAGES, Tables, rating_table
from kgtools.site.pages.escape import h, md
from kgtools.site.pages.i18n import t
from kgtools.site.pages.markup import Doc, Page, entity_list


def compare_path(name: str) -> str:
    return f"compare/{name}"


def compare_page(page: Page, tables: Tables, name: str) -> Doc:
    """All tables of one kind, each under its assessment's name and description, footnotes at the end."""
    lang, model = page.lang, page.model
    doc = Doc().md(f"# {md(t(PAGE_TITLES[name], lang))}")
    doc.html(f'<p class="sa-intro">{h(t("compare.intro", lang))}</p>')
    shown = 0
    if name == "fit" and tables.scenario_ratings():
        shown += 1
        doc.md(f"## {md(t('compare.consolidated', lang))} {{ #consolidated }}")
        doc.html(f'<p class="sa-intro">{h(t("compare.consolidated.intro", lang))}</p>',
                 rating_table(page, None, tables.scenario_ratings()))
    folded = shown > 0   # under the consolidated matrix, each assessment's own tables open in place
    assessments = [a for a in tables.assessments_on(name) if a in model.entities]
    for assessment in model.sorted(assessments, lang):
        blocks = tables.blocks(page, assessment.iri, only=name)
        if not blocks:
            continue
        shown += 1
        # In the search index under its heading alone: its name, description and tables are the assessment's own
        # entry's (kgtools.site.plugin.search), and a second copy per comparison page was 0.1 MB at 4,000 records.
        doc.md(f"## {md(assessment.label(lang))} {{ #{assessment.id} }}")
        link = (f'<p class="sa-assessment-link" data-search-exclude>'
                f'{page.link(assessment.iri, "↗ " + assessment.label(lang))}</p>')
        body = "\n".join([f'<p class="sa-description" data-search-exclude>{h(assessment.description(lang))}</p>',
                          *blocks])
        if folded:
            body = (f'<details class="sa-fold" data-search-exclude><summary>{h(t("compare.show_table", lang))}'
                    f"</summary>\n{body}\n</details>")
        doc.html(link, body)
    if not shown:
        doc.html(f'<p class="sa-empty">{h(t("compare.none", lang))}</p>')
    page.add_references(doc)
    return doc


def compare_index(page: Page, tables: Tables) -> Doc:
    lang, model = page.lang, page.model
    doc = Doc().md(f"# {md(t('compare', lang))}")
    doc.html(f'<p class="sa-intro">{h(t("compare.intro", lang))}</p>')
    for name in PAGES:
        members = [model.entities[a] for a in tables.assessments_on(name) if a in model.entities]
        href = page.href(f"{compare_path(name)}.html")
        # The list names assessments, each with a search entry of its own: only the heading is indexed.
        doc.html(f'<h2 id="{name}"><a href="{h(href)}">{h(t(PAGE_TITLES[name], lang))}</a></h2>\n'
                 f'<div data-search-exclude>{entity_list(page, members)}</div>')
    return doc
