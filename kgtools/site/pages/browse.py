"""Index pages that list entities: technologies by category, concepts by scheme, cases by industry and by
technology, organizations, sources by kind, assessments by type.

These are the pages in the navigation; entity pages are reached from them (and
from each other), which keeps every page's navigation small.
"""

from __future__ import annotations

from collections import defaultdict

from kgtools.site.pages import counts
from kgtools.site.pages.claims import step_list
from kgtools.site.pages.entity_page import concept_tree
from kgtools.site.pages.escape import h, md
from kgtools.site.pages.i18n import t
from kgtools.site.pages.markup import Doc, Page, entity_list, table
from kgtools.site.pages.model import IN_SCHEME, SA, SOURCE_KINDS, Entity, SiteModel

CATEGORY, INDUSTRY, USES, ORGANIZATION = SA + "category", SA + "industry", SA + "uses", SA + "organization"
PUBLISHER = "http://purl.org/dc/terms/publisher"
DATE = "http://purl.org/dc/terms/date"
YEAR = SA + "year"


def _title(key: str, lang: str, count: int | None = None) -> Doc:
    doc = Doc().md(f"# {md(t(key, lang))}")
    if count is not None:
        name = key.split(".", 1)[1] if key.startswith("kinds.") else key
        text = h(t("browse.count", lang, n="\x00")).replace("\x00", counts.count_span(count, lang, name))
        doc.html(f'<p class="sa-intro">{text}</p>')
    return doc


def _group(doc: Doc, page: Page, title: str, anchor: str, body: str, iri: str | None = None,
           count: int | None = None) -> None:
    """A `##` group (so it is in the table of contents) with its size and a link to the concept behind it."""
    extra = f' <span class="sa-count">{count}</span>' if count is not None else ""
    if iri:
        extra += f" {page.link(iri, '↗')}"
    doc.md(f"## {md(title)}{extra} {{ #{anchor} data-search-exclude }}")
    doc.html(body)


def _grouped(model: SiteModel, entities: list[Entity], predicate: str) -> tuple[dict[str, list[Entity]], list[Entity]]:
    """Entities by each target of `predicate` (an entity may sit in several groups), and those with none."""
    groups: dict[str, list[Entity]] = defaultdict(list)
    rest = []
    for entity in entities:
        targets = model.targets(entity.iri, predicate)
        for target in targets:
            groups[target].append(entity)
        if not targets:
            rest.append(entity)
    return groups, rest


def technologies_page(page: Page) -> Doc:
    model, lang = page.model, page.lang
    techs = model.of_kind("technology")
    by_category, uncategorised = _grouped(model, techs, CATEGORY)
    doc = _title("kinds.technology", lang, len(techs))
    doc.html(f'<p><a href="{h(page.href("technologies/finder.html"))}">{h(t("finder.technology", lang))} →</a> · '
             f'<a href="{h(page.href("technologies/compare.html"))}">{h(t("compare.technologies", lang))} →</a></p>')
    for category in model.sorted(list(by_category), lang):
        _group(doc, page, category.label(lang), f"cat-{category.id}", entity_list(page, by_category[category.iri]),
               category.iri, len(by_category[category.iri]))
    if uncategorised:
        _group(doc, page, t("browse.uncategorised", lang), "uncategorised", entity_list(page, uncategorised),
               count=len(uncategorised))
    return doc


def concepts_page(page: Page) -> Doc:
    model, lang = page.model, page.lang
    concepts, schemes = counts.members(model, "concept"), counts.members(model, "scheme")
    doc = _title("kinds.concept", lang, len(concepts))
    for scheme in model.sorted(schemes, lang):
        members = model.scheme_members(scheme.iri)
        tree = concept_tree(page, scheme)
        _group(doc, page, scheme.label(lang), f"scheme-{scheme.id}", tree or entity_list(page, []), scheme.iri,
               len(members))
    loose = [c for c in concepts if not model.targets(c.iri, IN_SCHEME)]
    if loose:
        _group(doc, page, t("browse.no_scheme", lang), "no-scheme", entity_list(page, loose), count=len(loose))
    return doc


def _case_extra(page: Page, case: Entity) -> str:
    bits = [page.link(o) for o in page.model.targets(case.iri, ORGANIZATION)]
    bits += [h(v.value) for p, v in case.facts if p == YEAR]
    return f' <span class="sa-meta">{" · ".join(bits)}</span>' if bits else ""


def cases_page(page: Page) -> Doc:
    model, lang = page.model, page.lang
    cases = model.of_kind("case")
    by_industry, other = _grouped(model, cases, INDUSTRY)
    extra = {c.iri: _case_extra(page, c) for c in cases}
    doc = _title("kinds.case", lang, len(cases))
    by_tech = page.href("cases/by-technology.html")
    doc.html(f'<p><a href="{h(by_tech)}">{h(t("browse.by_technology", lang))} →</a> · '
             f'<a href="{h(page.href("cases/finder.html"))}">{h(t("finder.case", lang))} →</a></p>')
    for industry in model.sorted(list(by_industry), lang):
        _group(doc, page, industry.label(lang), f"ind-{industry.id}", entity_list(page, by_industry[industry.iri], extra),
               industry.iri, len(by_industry[industry.iri]))
    if other:
        _group(doc, page, t("browse.no_industry", lang), "no-industry", entity_list(page, other, extra), count=len(other))
    return doc


def cases_by_technology_page(page: Page) -> Doc:
    model, lang = page.model, page.lang
    used: dict[str, list[str]] = defaultdict(list)
    for case in model.of_kind("case"):
        for tech in model.targets(case.iri, USES):
            used[tech].append(case.iri)
    rows = [[page.link(tech.iri), str(len(used[tech.iri])), page.links(used[tech.iri])]
            for tech in model.sorted(list(used), lang)]
    doc = _title("browse.by_technology", lang)
    head = [h(t("kind.technology", lang)), h(t("browse.cases_of", lang)), h(t("kinds.case", lang))]
    doc.html(table(head, rows, search=False) or f'<p class="sa-empty">{h(t("entity.none", lang))}</p>')
    return doc


def organizations_page(page: Page) -> Doc:
    model, lang = page.model, page.lang
    orgs = model.sorted(model.of_kind("organization"), lang)
    rows = []
    for org in orgs:
        cases = model.sources_of(org.iri, ORGANIZATION)
        rows.append([page.link(org.iri), page.links(model.targets(org.iri, INDUSTRY)), page.links(cases)])
    head = [h(t("kind.organization", lang)), h(model.label(INDUSTRY, lang)), h(t("kinds.case", lang))]
    return _title("kinds.organization", lang, len(orgs)).html(table(head, rows, search=False))


def sources_page(page: Page) -> Doc:
    model, lang = page.model, page.lang
    sources = model.of_kind("source")
    doc = _title("kinds.source", lang, len(sources))
    doc.html(page.legend())
    for kind in SOURCE_KINDS:
        members = [s for s in sources if model.source_kind.get(s.iri) == kind]
        if not members:
            continue
        rows = []
        for source in model.sorted(members, lang):
            cited = len(model.citations_of_source.get(source.iri, []))
            dates = " · ".join(h(v.value) for p, v in source.facts if p == DATE)
            rows.append([page.link(source.iri), page.links(model.targets(source.iri, PUBLISHER)), dates, str(cited)])
        head = [h(t("kind.source", lang)), h(model.label(PUBLISHER, lang)), h(model.label(DATE, lang)),
                h(t("browse.citing", lang))]
        _group(doc, page, model.label(kind, lang), f"kind-{kind.rsplit('#', 1)[-1]}", table(head, rows, search=False),
               count=len(members))
    return doc


LEVEL, ABOUT = SA + "level", (SA + "aboutConcept", SA + "aboutTechnology", SA + "aboutCase")


def guides_page(page: Page) -> Doc:
    """Learning paths (each with its ordered steps) and the FAQ (each answer with the entities it rests on)."""
    model, lang = page.model, page.lang
    guides = model.of_kind("guide")
    paths = [g for g in guides if SA + "LearningPath" in g.classes]
    faq = [g for g in guides if SA + "FaqEntry" in g.classes]
    doc = _title("kinds.guide", lang, len(guides))
    order = {"basics": 0, "intermediate": 1, "advanced": 2}
    body = []
    for path in sorted(paths, key=lambda g: (order.get(_level(g), 9), g.label(lang))):
        level = _level(path)
        chip = f' <span class="sa-tag">{h(t("guide.level." + level, lang))}</span>' if level in order else ""
        body.append(f'<h3 id="{h(path.id)}">{page.link(path.iri)}{chip}</h3>'
                    f'<p>{h(path.description(lang))}</p>'
                    f'{step_list(page, [s for s in model.statements.get(path.iri, []) if s.cls == SA + "PathStep"])}')
    _group(doc, page, t("guide.paths", lang), "paths", "\n".join(body), count=len(paths))
    body = []
    for entry in sorted(faq, key=lambda g: g.label(lang)):
        rests = sorted({iri for p in ABOUT for iri in model.targets(entry.iri, p)})
        body.append(f'<details class="sa-faq" id="{h(entry.id)}"><summary>{h(entry.label(lang))}</summary>'
                    f'<p>{h(entry.description(lang))}</p>'
                    f'<p class="sa-rests-on">{h(t("guide.rests_on", lang))}: {page.links(rests)} · '
                    f'{page.link(entry.iri, "↗")}</p></details>')
    _group(doc, page, t("guide.faq", lang), "faq", "\n".join(body), count=len(faq))
    return doc


MODEL_TYPES = ("QueueingModel", "AvailabilityModel", "Simulation", "ModelCheck", "CostModel", "WorkflowNetModel")


def models_page(page: Page) -> Doc:
    """The models that run, by type, each with what it illustrates."""
    model, lang = page.model, page.lang
    models = model.of_kind("model")
    doc = _title("kinds.model", lang, len(models))
    for local in MODEL_TYPES:
        members = [m for m in models if SA + local in m.classes]
        if members:
            _group(doc, page, model.label(SA + local, lang), f"type-{local}", entity_list(page, members),
                   count=len(members))
    return doc


def _level(guide: Entity) -> str:
    return next((v.value for p, v in guide.facts if p == LEVEL), "")


def assessments_page(page: Page) -> Doc:
    model, lang = page.model, page.lang
    assessments = model.of_kind("assessment")
    by_type: dict[str, list[Entity]] = defaultdict(list)
    for assessment in assessments:
        types = sorted(assessment.classes - {SA + "Assessment"}) or [SA + "Assessment"]
        by_type[types[0]].append(assessment)
    doc = _title("kinds.assessment", lang, len(assessments))
    for cls in sorted(by_type, key=lambda c: model.label(c, lang)):
        _group(doc, page, model.label(cls, lang), f"type-{cls.rsplit('#', 1)[-1]}", entity_list(page, by_type[cls]),
               count=len(by_type[cls]))
    return doc

