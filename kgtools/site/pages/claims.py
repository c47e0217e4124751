"""Qualified statements as tables: who uses what, figures, notes, and figures that sources disagree on.

Every row carries its citations (footnote marks coloured by kind of source)
and a badge saying whether the claim rests on the seed documents only or also
on a public reference.
"""

from __future__ import annotations

from collections import defaultdict

from kgtools.site.pages.escape import h
from kgtools.site.pages.i18n import t
from kgtools.site.pages.markup import Page, table
from kgtools.site.pages.model import SA, Statement
from kgtools.site.pages.numbers import figure, figure_html, score, stars
from kgtools.site.pages.staleness import dated

USAGE, APPLICATION, MEASUREMENT = SA + "Usage", SA + "Application", SA + "Measurement"
RATING, COMPONENT, WEIGHT, NOTE, REMARK = SA + "Rating", SA + "Component", SA + "Weight", SA + "Note", SA + "Remark"
ADOPTION, SUITABILITY, COMBINATION, TARGET = SA + "Adoption", SA + "Suitability", SA + "Combination", SA + "Target"
STATUS, ALTERNATIVE, STEP = SA + "TechnologyStatus", SA + "Alternative", SA + "PathStep"
VERSION, AS_OF = "https://schema.org/softwareVersion", SA + "asOf"
ORGANIZATION, SCENARIO, STATED_TYPE = SA + "organization", SA + "scenario", SA + "statedType"
TECH, CONCEPT, METRIC, CONFIG = SA + "technology", SA + "concept", SA + "metric", SA + "configuration"
ROLE, CONDITION, NOTE_KIND = SA + "role", SA + "condition", SA + "noteKind"
RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
SCHEMA_VALUE = "https://schema.org/value"


def evidence(page: Page, statement: Statement) -> str:
    """The claim's badge and citations; a deprecated claim also says so, with the reason and its sources."""
    out = f"{page.badge(statement.citations)} {page.cite(statement.citations)}".strip()
    if not statement.deprecated:
        return out
    reason = statement.reason
    why = ""
    if reason is not None:
        why = (f'<span class="sa-deprecated__why">{h(reason.text(SA + "textValue", page.lang))} '
               f"{page.cite(reason.citations)}</span>")
    return (f'<span class="sa-badge sa-badge--deprecated" title="{h(t("badge.deprecated.title", page.lang))}">'
            f'{h(t("badge.deprecated", page.lang))}</span> {out}{why}')


def technology_cell(page: Page, statement: Statement, skip: str | None = None) -> str:
    """The technology a statement is about (unless it is `skip`, the page's own), with the ones it was paired with."""
    tech = statement.iri_of(TECH)
    text = page.link(tech) if tech and tech != skip else ""
    paired = statement.iris(CONFIG)
    if paired:
        text += f' <span class="sa-with">+ {page.links(paired)}</span>'
    return text


def as_of(page: Page, statement: Statement) -> str:
    """The statement's date (sa:asOf) with its "possibly stale" mark, after a space; "" when undated."""
    text = dated(statement.text(AS_OF, page.lang), page.model.clock, page.lang)
    return f" {text}" if text else ""


def usage_table(page: Page, statements: list[Statement]) -> str:
    rows = [[technology_cell(page, s), h(s.text(ROLE, page.lang)) + as_of(page, s), evidence(page, s)]
            for s in statements]
    return table([h(t(k, page.lang)) for k in ("claim.technology", "claim.role", "claim.evidence")], rows)


def application_table(page: Page, statements: list[Statement]) -> str:
    rows = [[page.link(s.iri_of(CONCEPT) or ""), evidence(page, s)] for s in statements]
    return table([h(t(k, page.lang)) for k in ("claim.concept", "claim.evidence")], rows)


def figure_table(page: Page, statements: list[Statement]) -> str:
    rows = []
    for s in statements:
        metric = s.iri_of(METRIC)
        rows.append([page.link(metric) if metric else "", technology_cell(page, s),
                     f'{figure_html(s, page.lang, page.model.units)}{as_of(page, s)}',
                     h(s.text(CONDITION, page.lang)), evidence(page, s)])
    head = ("claim.metric", "claim.technology", "claim.value", "claim.condition", "claim.evidence")
    return table(*without_empty_columns([h(t(k, page.lang)) for k in head], rows, keep={0, 2}), "sa-figures")


def without_empty_columns(head: list[str], rows: list[list[str]], keep: set[int]) -> tuple[list[str], list[list[str]]]:
    """The table without the columns (other than `keep`) that are empty in every row: on a phone a column of
    nothing still took its share of 390 px and squeezed its heading to a character a line."""
    shown = [i for i in range(len(head)) if i in keep or any(row[i].strip() for row in rows)]
    return [head[i] for i in shown], [[row[i] for i in shown] for row in rows]


def component_table(page: Page, statements: list[Statement]) -> str:
    rows = [[technology_cell(page, s), h(s.text(ROLE, page.lang)), evidence(page, s)] for s in statements]
    return table([h(t(k, page.lang)) for k in ("claim.technology", "claim.role", "claim.evidence")], rows)


def weight_table(page: Page, statements: list[Statement]) -> str:
    rows = []
    for s in statements:
        dimension = s.iri_of(SA + "dimension")
        value = s.one(SCHEMA_VALUE)
        rows.append([page.link(dimension) if dimension else "", h(getattr(value, "value", "")), evidence(page, s)])
    return table([h(t(k, page.lang)) for k in ("claim.dimension", "claim.weight", "claim.evidence")], rows)


def remark_list(page: Page, statements: list[Statement]) -> str:
    items = [f"<li>{h(s.text(RDF_VALUE, page.lang))} {evidence(page, s)}</li>" for s in statements]
    return '<ul class="sa-remarks">\n' + "\n".join(items) + "\n</ul>" if items else ""


def _led_items(page: Page, entries: list[tuple[str | None, Statement, str]], tag: str, css: str) -> str:
    """A list whose items are the linked entity they are about (when there is one), an em dash and the text."""
    items = [f"<li>{f'<strong>{page.link(lead)}</strong> — ' if lead else ''}{h(s.text(RDF_VALUE, page.lang))}{tail}</li>"
             for lead, s, tail in entries]
    return f'<{tag} class="{css}">\n' + "\n".join(items) + f"\n</{tag}>" if items else ""


def alternative_list(page: Page, statements: list[Statement]) -> str:
    """Options the organization considered and did not choose: the technology (when it is one) and why not."""
    return _led_items(page, [(s.iri_of(TECH), s, f" {evidence(page, s)}") for s in statements], "ul", "sa-remarks")


def status_block(page: Page, statements: list[Statement]) -> str:
    """The checked current status: latest version and the date it holds, what changed, and where it was seen."""
    rows = []
    for s in statements:
        version = s.text(VERSION, page.lang)
        when = s.text(AS_OF, page.lang)
        rows.append([h(version) if version else "—", dated(when, page.model.clock, page.lang) if when else "—",
                     h(s.text(SA + "textValue", page.lang)), evidence(page, s)])
    heads = [h(t(k, page.lang)) for k in ("status.version", "status.as_of", "status.note", "claim.evidence")]
    return table(heads, rows) if rows else ""


def step_list(page: Page, statements: list[Statement]) -> str:
    """A learning path's steps in order, each the entity it teaches (linked) and why it comes there."""
    return _led_items(page, [(s.iri_of(SA + "concept") or s.iri_of(SA + "technology"), s, "") for s in statements],
                      "ol", "sa-steps")


def note_list(page: Page, statements: list[Statement]) -> str:
    items = []
    for s in statements:
        kind = s.text(NOTE_KIND, page.lang) or "context"
        label = t(f"note.{kind}", page.lang) if kind in ("confirms", "contradicts", "context") else kind
        items.append(f'<li class="sa-note sa-note--{h(kind)}"><span class="sa-note__kind">{h(label)}</span> '
                     f"{h(s.text(SA + 'textValue', page.lang))} {evidence(page, s)}</li>")
    return '<ul class="sa-notes">\n' + "\n".join(items) + "\n</ul>" if items else ""


def adoption_table(page: Page, statements: list[Statement]) -> str:
    """Which organization the table says adopted which technology."""
    rows = [[technology_cell(page, s), page.link(s.iri_of(ORGANIZATION) or ""), evidence(page, s)] for s in statements]
    return table([h(t(k, page.lang)) for k in ("claim.technology", "claim.organization", "claim.evidence")], rows)


def suitability_table(page: Page, statements: list[Statement]) -> str:
    """A technology, the type the table gives it, and what it is suited to."""
    rows = [[technology_cell(page, s), page.links(s.iris(STATED_TYPE)), page.links(s.iris(SCENARIO)), evidence(page, s)]
            for s in statements]
    return table([h(t(k, page.lang)) for k in ("claim.technology", "claim.type", "claim.suited", "claim.evidence")], rows)


def combination_table(page: Page, statements: list[Statement]) -> str:
    """Each scenario and the combination of technologies recommended for it."""
    rows = [[page.link(s.iri_of(SCENARIO) or ""), page.links(s.iris(TECH)), evidence(page, s)] for s in statements]
    return table([h(t(k, page.lang)) for k in ("claim.scenario", "claim.combination", "claim.evidence")], rows)


def target_table(page: Page, statements: list[Statement]) -> str:
    """Goals and deadlines the documents set (not measured figures)."""
    rows = [[page.link(s.iri_of(METRIC) or ""), figure_html(s, page.lang, page.model.units),
             page.link(s.iri_of(CONCEPT) or ""), h(s.text(CONDITION, page.lang)), evidence(page, s)] for s in statements]
    head = ("claim.metric", "claim.target", "claim.applies_to", "claim.condition", "claim.evidence")
    return table([h(t(k, page.lang)) for k in head], rows)


def summary(page: Page, statement: Statement, skip: str | None = None) -> str:
    """One line saying what a statement claims, for lists of claims that mention an entity (`skip`)."""
    lang, cls = page.lang, statement.cls
    colon = "：" if lang == "zh" else ": "
    if cls in (USAGE, COMPONENT):
        role = statement.text(ROLE, lang)
        tech = technology_cell(page, statement, skip)
        if not tech:
            return f'{h(t("claim.role", lang))}{colon}{h(role)}{as_of(page, statement)}' if role else ""
        return tech + (f"{colon}{h(role)}" if role else "") + as_of(page, statement)
    if cls == APPLICATION:
        return page.link(statement.iri_of(CONCEPT) or "")
    if cls == ADOPTION:
        organization = statement.iri_of(ORGANIZATION)
        return f"{technology_cell(page, statement, skip)} ← {page.link(organization) if organization and organization != skip else ''}"
    if cls == SUITABILITY:
        return f"{technology_cell(page, statement, skip)}{colon}{page.links(statement.iris(SCENARIO))}"
    if cls == COMBINATION:
        scenario = statement.iri_of(SCENARIO)
        return f"{page.link(scenario) if scenario else ''}{colon}{page.links(statement.iris(TECH))}"
    if cls in (MEASUREMENT, TARGET):
        metric = statement.iri_of(METRIC)
        tech = technology_cell(page, statement, skip)
        condition = statement.text(CONDITION, lang)
        text = (page.link(metric) if metric else "") + colon + figure_html(statement, lang, page.model.units)
        text += f" ({tech})" if tech else ""
        text += as_of(page, statement)
        return text + (f' <span class="sa-condition">{h(condition)}</span>' if condition else "")
    if cls == RATING:
        criterion = statement.iri_of(SA + "criterion")
        tech = technology_cell(page, statement, skip)
        return (f"{tech + ' · ' if tech else ''}{page.link(criterion) if criterion else ''}{colon}"
                f'<span class="sa-figure">{h(score(statement))}</span> <span class="sa-stars">{h(stars(statement))}</span>')
    if cls == WEIGHT:
        dimension = statement.iri_of(SA + "dimension")
        value = statement.one(SCHEMA_VALUE)
        return (page.link(dimension) if dimension else "") + f"{colon}{h(getattr(value, 'value', ''))}"
    if cls == NOTE:
        return h(statement.text(SA + "textValue", lang))
    return h(statement.text(RDF_VALUE, lang))


def mention_table(page: Page, statements: list[Statement], skip: str | None = None, limit: int = 15) -> str:
    """Claims of other entities that mention this one; past `limit` rows the rest fold into a <details>
    that expands in place (a page used to say "N more not listed" and stop there)."""
    ordered = sorted(statements, key=lambda s: (page.model.label(s.owner, page.lang).casefold(), s.iri))
    rows = [[page.link(s.owner), summary(page, s, skip), evidence(page, s)] for s in ordered]
    head = [h(t(k, page.lang)) for k in ("claim.subject", "claim.claim", "claim.evidence")]
    if len(rows) <= limit + 2:
        return table(head, rows)
    more = h(t("entity.more", page.lang, n=len(rows) - limit))
    return (table(head, rows[:limit]) + f'\n<details class="sa-more sa-more--rows"><summary>{more}</summary>\n'
            + table(head, rows[limit:]) + "\n</details>")


def disagreements(statements: list[Statement], lang: str) -> list[list[Statement]]:
    """Groups of figures about the same measure of the same thing that differ and come from different sources."""
    groups: dict[tuple[str, str, tuple[str, ...]], list[Statement]] = defaultdict(list)
    for s in statements:
        if s.cls == MEASUREMENT and s.iri_of(METRIC):
            groups[(s.iri_of(METRIC) or "", s.iri_of(TECH) or "", tuple(s.iris(CONFIG)))].append(s)
    found = []
    for items in groups.values():
        figures = {figure(s, lang) for s in items}
        sources = {frozenset(c.source for c in s.citations) for s in items}
        if len(items) > 1 and len(figures) > 1 and len(sources) > 1:
            found.append(items)
    return found


def disagreement_block(page: Page, groups: list[list[Statement]]) -> str:
    """Each disagreement as cards side by side: the figure, its condition, and the sources behind it."""
    out = [f'<p class="sa-intro">{h(t("disagree.intro", page.lang))}</p>']
    for items in groups:
        first = items[0]
        metric = first.iri_of(METRIC) or ""
        tech = technology_cell(page, first)
        title = page.link(metric) + (f" · {tech}" if tech else "")
        cards = []
        for s in items:
            condition = s.text(CONDITION, page.lang)
            sources = "<br>".join(page.citation_line(c.source, c.locator, c.section) for c in s.citations)
            cards.append(
                '<div class="sa-disagree__side">'
                f'<div class="sa-disagree__figure">{figure_html(s, page.lang, page.model.units)}</div>'
                + (f'<div class="sa-disagree__date">{as_of(page, s).strip()}</div>' if s.text(AS_OF, page.lang) else "")
                + (f'<div class="sa-condition">{h(condition)}</div>' if condition else "")
                + f'<div class="sa-disagree__badge">{evidence(page, s)}</div>'
                f'<div class="sa-disagree__sources">{sources}</div></div>')
        out.append(f'<div class="sa-disagree"><div class="sa-disagree__title">{title}</div>'
                   f'<div class="sa-disagree__sides">{"".join(cards)}</div></div>')
    return "\n".join(out)
