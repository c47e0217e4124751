"""The comparison pages: every assessment's tables gathered by kind, plus the consolidated scenario fit matrix."""

from __future__ import annotations

from kgtools.site.compare import PAGE_TITLES, PAGES, Tables, rating_table
from kgtools.site.escape import h, md
from kgtools.site.i18n import t
from kgtools.site.markup import Page, entity_list

SCENARIO_SCHEME_NOTE = "concept:scenarios"


def compare_path(name: str) -> str:
    return f"compare/{name}"


def compare_page(page: Page, tables: Tables, name: str) -> str:
    """All tables of one kind, each under its assessment's name and description, footnotes at the end."""
    lang, model = page.lang, page.model
    parts = [f"# {md(t(PAGE_TITLES[name], lang))}", "", f'<p class="sa-intro">{h(t("compare.intro", lang))}</p>', ""]
    if name == "fit":
        scenario_rows = tables.scenario_ratings()
        if scenario_rows:
            parts += [f"## {md(t('compare.consolidated', lang))} {{ #consolidated }}", "",
                      f'<p class="sa-intro">{h(t("compare.consolidated.intro", lang))}</p>', "",
                      rating_table(page, None, scenario_rows), ""]
    assessments = [a for a in tables.assessments_on(name) if a in model.entities]
    shown = 0
    for assessment in model.sorted(assessments, lang):
        blocks = tables.blocks(page, assessment.iri, only=name)
        if not blocks:
            continue
        shown += 1
        parts += [f"## {md(assessment.label(lang))} {{ #{assessment.id} }}", "",
                  f'<p class="sa-assessment-link">{page.link(assessment.iri)}</p>',
                  f'<p class="sa-description">{h(assessment.description(lang))}</p>', ""]
        parts += ["\n\n".join(blocks), ""]
    if not shown and not (name == "fit" and tables.scenario_ratings()):
        parts += [f'<p class="sa-empty">{h(t("compare.none", lang))}</p>', ""]
    if page.refs.keys:
        parts += [page.legend(), "", page.references_block()]
    return "\n".join(parts) + "\n"


def compare_index(page: Page, tables: Tables) -> str:
    lang, model = page.lang, page.model
    parts = [f"# {md(t('compare', lang))}", "", f'<p class="sa-intro">{h(t("compare.intro", lang))}</p>', ""]
    for name in PAGES:
        members = [model.entities[a] for a in tables.assessments_on(name) if a in model.entities]
        href = page.href(f"{compare_path(name)}.html")
        parts += [f'<h2 id="{name}"><a href="{h(href)}">{h(t(PAGE_TITLES[name], lang))}</a></h2>', "",
                  entity_list(page, members), ""]
    return "\n".join(parts) + "\n"
