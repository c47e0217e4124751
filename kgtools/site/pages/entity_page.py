"""One page per entity: names, description, facts, claims with their sources, relations both ways, and its graph.

The page is Markdown whose body is raw HTML blocks (Python-Markdown passes
them through untouched) with Markdown `##` headings for the table of
contents; every record string is escaped on the way in.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import quote

from kgtools.site.pages import calculators, citations, claims, diagrams, model_pages, relations, urls
from kgtools.site.pages.compare import Tables
from kgtools.site.pages.escape import h, yaml_str
from kgtools.site.pages.explorer import graph_block, neighbourhood_data
from kgtools.site.pages.i18n import other, t
from kgtools.site.pages.markup import Doc, Page, heading
from kgtools.site.pages.model import BROADER, IN_SCHEME, SA, SKOS, Entity, Lit, Statement
from kgtools.site.pages.tags import TAG_PREDICATES, tag_anchor

NARROWER = SKOS + "narrower"
IDENTIFIER = "http://purl.org/dc/terms/identifier"
SAME_AS = "https://schema.org/sameAs"
# Classes every entity of a kind has (the kind chip says them); only the rest are listed as "type".
BASE_CLASSES = {SA + "Technology", SA + "Case", SA + "Source", SA + "Assessment", SKOS + "Concept",
                SKOS + "ConceptScheme", "https://schema.org/Organization"}
# Analytics write-backs that mean nothing to a reader of one page.
HIDDEN_FACTS = {IDENTIFIER, SA + "community"}
# Analytics write-backs worth showing, after what the record says (so a phone shows the key facts first).
ANALYTICS_FACTS = {SA + "pageRank"}


def sentence(label: str) -> str:
    """`integrates with` → `Integrates with` (ontology labels are lower-case; row headings are not)."""
    return label[:1].upper() + label[1:]


def front_matter(entity: Entity, lang: str) -> str:
    names = calculators.scripts_for(entity)
    scripts = ["sa_scripts:", *(f"  - {name}" for name in names)] if names else []
    return "\n".join([
        "---",
        f"title: {yaml_str(h(entity.label(lang)))}",
        "sa_graph: true",
        *scripts,
        f"sa_edit: {yaml_str(urls.record_file(entity.kind, entity.id))}",
        "search:",
        "  exclude: true",  # indexed from the graph instead (plugin: search_entries)
        "---",
    ])


def head_block(page: Page, entity: Entity) -> str:
    lang = page.lang
    alt_lang = other(lang)
    tags = [f'<span class="sa-kind sa-kind--{entity.kind}">{h(t(f"kind.{entity.type_key}", lang))}</span>']
    for predicate in TAG_PREDICATES:
        for target in page.model.sorted(page.model.targets(entity.iri, predicate), lang):
            href = page.href("tags/index.html#" + tag_anchor(target.id))
            tags.append(f'<a class="sa-tag" href="{h(href)}">{h(target.label(lang))}</a>')
    names = []
    alt = entity.labels.get(alt_lang, "")
    if alt and alt != entity.label(lang):
        names.append(f'<span class="sa-names__key">{h(t("entity.other_label", lang))}</span> '
                     f'<span lang="{alt_lang}">{h(alt)}</span>')
    if entity.aliases:
        names.append(f'<span class="sa-names__key">{h(t("entity.aliases", lang))}</span> '
                     + " · ".join(f'<span class="sa-alias">{h(a)}</span>' for a in entity.aliases))
    out = ['<div class="sa-head">', f'<h1 id="sa-title">{h(entity.label(lang))}</h1>',
           f'<p class="sa-kicker">{" ".join(tags)}</p>']
    if names:
        out.append(f'<p class="sa-names">{" <br>".join(names)}</p>')
    description = entity.description(lang)
    if description:
        out.append(f'<p class="sa-description">{h(description)}</p>')
    if entity.kind == "technology":  # the side-by-side page, starting from this technology
        compare = page.href("technologies/compare.html") + "?t=" + quote(entity.id)
        out.append(f'<p class="sa-compare-link"><a href="{h(compare)}">{h(t("compare.this", lang))} →</a></p>')
    out.append("</div>")
    return "\n".join(out)


def _fact_value(page: Page, values: list[Lit]) -> str:
    chosen = [v for v in values if v.lang == page.lang] or [v for v in values if not v.lang] or values
    return " · ".join(h(v.value) for v in chosen)


def latest_release_row(page: Page, statements: list[Statement]) -> list[str] | None:
    """The checked latest version and its date, linked to the status section below: the fact a reader looks for
    first, which would otherwise sit beside the documents' own (often years old) version without telling them apart."""
    versioned = [s for s in statements if s.text(claims.VERSION, page.lang)]
    if not versioned:
        return None
    newest = max(versioned, key=lambda s: s.text(claims.AS_OF, page.lang) or "")
    return [h(t("status.version", page.lang)),
            f'<a href="#status">{h(newest.text(claims.VERSION, page.lang))}</a>{claims.as_of(page, newest)}']


def facts_block(page: Page, entity: Entity, record_url: str, last_changed: str = "",
                status: list[Statement] | None = None) -> str:
    lang, model = page.lang, page.model
    rows: list[list[str]] = []   # what the record says first (key facts lead on a phone), identifiers and files after
    latest = latest_release_row(page, status or [])
    if latest:
        rows.append(latest)
    kinds = sorted(entity.classes - BASE_CLASSES)
    if kinds:
        rows.append([h(model.label("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", lang)),
                     " · ".join(h(model.label(k, lang)) for k in kinds)])
    grouped: dict[str, list[Lit]] = defaultdict(list)
    for predicate, value in entity.facts:
        if predicate not in HIDDEN_FACTS:
            grouped[predicate].append(value)
    for predicate, values in grouped.items():
        if predicate not in ANALYTICS_FACTS:
            # An entity's own schema:softwareVersion is the version the documents mention (the schema's `version`);
            # the checked one is a status statement's.
            label = t("compare.row.version", lang) if predicate == claims.VERSION else sentence(model.label(predicate, lang))
            rows.append([h(label), _fact_value(page, values)])
    for predicate, address in entity.external:
        text = f"Wikidata {address.rsplit('/', 1)[-1]}" if predicate == SAME_AS else address
        rows.append([h(sentence(model.label(predicate, lang))), page.external(address, text)])
    path = broader_path(page, entity)
    if path:
        rows.append([h(t("entity.path", lang)), path])
    rows.append([h(t("entity.id", lang)), f"<code>{h(entity.id)}</code>"])
    rows.append([h(t("entity.iri", lang)), f'<a class="sa-iri" href="{h(entity.iri)}">{h(entity.iri)}</a>'])
    for predicate in ANALYTICS_FACTS & grouped.keys():   # measured on the graph, not said by the record
        rows.append([h(sentence(model.label(predicate, lang))), _fact_value(page, grouped[predicate])])
    data = (f'<a href="{h(page.root_href(urls.entity_path(entity.kind, entity.id) + ".ttl"))}" type="text/turtle">Turtle</a>'
            f' · <a href="{h(page.root_href(urls.entity_path(entity.kind, entity.id) + ".jsonld"))}" '
            f'type="application/ld+json">JSON-LD</a>')
    rows.append([h(t("entity.data", lang)), data])
    rows.append([h(t("entity.record", lang)),
                 page.external(record_url, urls.record_file(entity.kind, entity.id))])
    if last_changed:  # from git history at build time (kgtools.records.history)
        rows.append([h(t("history.last_changed", lang)), last_changed])
    body = "\n".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<table class="sa-facts">\n{body}\n</table>'


def broader_path(page: Page, entity: Entity) -> str:
    """Scheme › … › parent for a concept, following the first broader link up (cycles stop it)."""
    if entity.kind != "concept" or entity.is_scheme:
        return ""
    chain: list[str] = []
    current = entity.iri
    while True:
        parents = sorted(page.model.targets(current, BROADER))
        if not parents or parents[0] in chain or parents[0] == entity.iri:
            break
        chain.insert(0, parents[0])
        current = parents[0]
    schemes = sorted(page.model.targets(chain[0] if chain else entity.iri, IN_SCHEME))
    parts = [page.link(s) for s in schemes[:1]] + [page.link(c) for c in chain]
    return " › ".join(parts)


def concept_tree(page: Page, scheme: Entity) -> str:
    """The scheme's concepts as nested lists, top concepts first, following skos:narrower."""
    model = page.model
    members = set(model.scheme_members(scheme.iri))
    tops = [c for c in members if not set(model.targets(c, BROADER)) & members]

    def branch(iris: list[str], seen: frozenset[str]) -> str:
        items = []
        for child in model.sorted(iris, page.lang):
            kids = [k for k in model.targets(child.iri, NARROWER) if k in members and k not in seen]
            inner = branch(kids, seen | {child.iri}) if kids else ""
            items.append(f"<li>{page.link(child.iri)}{inner}</li>")
        return "<ul>" + "".join(items) + "</ul>" if items else ""

    return f'<div class="sa-tree">{branch(tops, frozenset())}</div>' if tops else ""


def cited_sections(page: Page, entity: Entity) -> str:
    """For a source: each section cited, with the claims that cite it (the targets of citation links).

    Citations that name a section of a seed document are grouped under that section, in the
    document's order, with its number and title; others under their locator text.
    """
    model = page.model
    groups: dict[tuple[int, str, str], list[tuple[str, str]]] = defaultdict(list)   # (order, label, anchor) → claims
    locators: dict[tuple[int, str, str], set[str]] = defaultdict(set)   # older links point at a locator's anchor
    for owner, citation in model.citations_of_source.get(entity.iri, []):
        statement = model.claim_of(citation)
        text = claims.summary(page, statement) if statement else h(t("entity.record", page.lang))
        known = model.sections.get(citation.section)
        key = ((known[0], known[1], citation.section.rsplit("#", 1)[1]) if known
               else (1 << 30, citation.locator, urls.anchor(citation.locator)))
        entry = (owner, text)
        locators[key].add(urls.anchor(citation.locator))
        if entry not in groups[key]:
            groups[key].append(entry)
    blocks = []
    for key in sorted(groups):
        _order, label, anchor = key
        rows = "".join(f"<li>{page.link(owner)}：{text}</li>" if page.lang == "zh" else f"<li>{page.link(owner)}: {text}</li>"
                       for owner, text in groups[key])
        extra = "".join(f'<span id="{h(a)}"></span>' for a in sorted(locators[key] - {anchor}))
        blocks.append(f'<div class="sa-cited" id="{h(anchor)}">{extra}<p class="sa-locator">§ {h(label)}</p>'
                      f"<ul>{rows}</ul></div>")
    return "\n".join(blocks)


def case_tables(page: Page, case: Entity) -> str:
    """The comparison tables the documents give under this case, stored once as assessments (sa:fromCase)."""
    blocks = []
    for assessment in page.model.sorted(page.model.sources_of(case.iri, SA + "fromCase"), page.lang):
        figures = [s for s in page.model.statements.get(assessment.iri, []) if s.cls == claims.MEASUREMENT]
        intro = t("entity.case_table_from", page.lang)
        blocks.append(f'<p class="sa-case-table">{h(intro)} {page.link(assessment.iri)}</p>'
                      + claims.figure_table(page, figures))
    return "\n".join(blocks)


def section(doc: Doc, key: str, anchor: str, body: str, lang: str) -> None:
    """A `##` section, only when it has something to show."""
    if body:
        doc.md(heading(2, t(key, lang), anchor))
        doc.html(body)


def render_entity(page: Page, entity: Entity, tables: Tables, record_url: str, last_changed: str = "") -> Doc:
    """The whole page of an entity."""
    model, lang = page.model, page.lang
    statements = model.statements.get(entity.iri, [])

    def of(cls: str, via: str | None = None) -> list[Statement]:
        return [s for s in statements if s.cls == cls and (via is None or s.via == via)]

    doc = Doc([front_matter(entity, lang)])
    doc.html(head_block(page, entity))
    section(doc, "entity.facts", "facts", facts_block(page, entity, record_url, last_changed, of(claims.STATUS)), lang)
    if entity.kind == "case":
        section(doc, "entity.architecture", "architecture", diagrams.case_diagram(page, entity, of(claims.USAGE)), lang)
    elif diagrams.is_pattern(page, entity):
        section(doc, "entity.diagram", "diagram", diagrams.pattern_diagram(page, entity), lang)
    if calculators.wants_calculator(entity):
        section(doc, "entity.calculator", "calculator", calculators.queueing_calculator(page), lang)
    if calculators.COST_SCRIPT in calculators.scripts_for(entity):
        section(doc, "entity.cost_calculator", "cost-calculator", calculators.cost_calculator(page, entity), lang)
    if entity.kind == "assessment":
        section(doc, "entity.claims", "claims", "\n".join(tables.blocks(page, entity.iri)), lang)
    section(doc, "entity.steps", "steps", claims.step_list(page, of(claims.STEP)), lang)
    if entity.kind == "model":
        section(doc, "entity.model", "model", model_pages.code_block(page, entity), lang)
        section(doc, "model.claims", "claims", model_pages.claims_block(page, entity, of(SA + "ModelClaim")), lang)
    section(doc, "entity.status", "status", claims.status_block(page, of(claims.STATUS)), lang)
    section(doc, "entity.stack", "stack", claims.usage_table(page, of(claims.USAGE)), lang)
    section(doc, "entity.adopters", "adopters", claims.adoption_table(page, of(claims.ADOPTION)), lang)
    section(doc, "entity.suited", "suited-to", claims.suitability_table(page, of(claims.SUITABILITY)), lang)
    section(doc, "entity.combinations", "combinations", claims.combination_table(page, of(claims.COMBINATION)), lang)
    section(doc, "entity.targets", "targets", claims.target_table(page, of(claims.TARGET)), lang)
    section(doc, "entity.applies", "applies", claims.application_table(page, of(claims.APPLICATION)), lang)
    if entity.kind != "assessment":
        section(doc, "entity.figures", "figures", claims.figure_table(page, of(claims.MEASUREMENT)), lang)
    if entity.kind == "case":
        section(doc, "entity.case_tables", "comparison-tables", case_tables(page, entity), lang)
        section(doc, "compare.stacks", "components", claims.component_table(page, of(claims.COMPONENT)), lang)
    section(doc, "entity.challenges", "challenges", claims.remark_list(page, of(claims.REMARK, SA + "challenge")), lang)
    section(doc, "entity.outcomes", "outcomes", claims.remark_list(page, of(claims.REMARK, SA + "outcome")), lang)
    section(doc, "entity.alternatives", "alternatives", claims.alternative_list(page, of(claims.ALTERNATIVE)), lang)
    section(doc, "entity.lessons", "lessons", claims.remark_list(page, of(claims.REMARK, SA + "lesson")), lang)
    disagreeing = claims.disagreements(statements, lang)
    if disagreeing:
        section(doc, "entity.disagreements", "disagreements", claims.disagreement_block(page, disagreeing), lang)
    section(doc, "entity.notes", "notes", claims.note_list(page, of(claims.NOTE)), lang)
    if entity.is_scheme:
        section(doc, "entity.tree", "tree", concept_tree(page, entity), lang)
    if entity.kind == "source":
        section(doc, "entity.quote_check", "quote-check", citations.source_block(page, entity), lang)
        section(doc, "entity.cited_sections", "cited-sections", cited_sections(page, entity), lang)
    section(doc, "entity.relations", "relations", relations.relations_block(page, entity), lang)
    mentions = model.mentions.get(entity.iri, [])
    if mentions:
        section(doc, "entity.mentions", "mentions", claims.mention_table(page, mentions, skip=entity.iri), lang)
    cites = model.entity_citations.get(entity.iri, [])
    if cites:
        lines = "\n".join(f"<li>{page.citation_line(c.source, c.locator, c.section)}</li>" for c in cites)
        section(doc, "entity.citations", "citations",
                f'<p>{page.badge(cites)}</p>\n<ul class="sa-citations">\n{lines}\n</ul>', lang)
    graph = neighbourhood_data(page, entity.iri)
    section(doc, "entity.graph", "graph", graph_block(graph, height=600), lang)
    page.add_references(doc)
    return doc
