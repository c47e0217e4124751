"""The Data quality page: `kg stats --quality`'s lists, each item linked to the page where it shows and can be fixed.

The lists are kgtools.quality's SPARQL queries run on the graph the site is
built from, so the page and the command line always agree. The queries return
identifiers; here each becomes a link to its entity page (and, for a claim,
to the section of the page that holds it), with what the claim says.
"""

from __future__ import annotations

from collections import defaultdict

from kgtools.graph.vocab import BASE
from kgtools.insights.quality import quality_report
from kgtools.site.pages import citations, claims
from kgtools.site.pages.escape import h, md, yaml_str
from kgtools.site.pages.i18n import t
from kgtools.site.pages.markup import Doc, Page, heading, table
from kgtools.site.pages.model import Statement

# Which kinds of entity each list's identifiers name (the queries return bare ids).
ID_KINDS = {
    "entities-without-source": ("technology", "case", "assessment", "organization", "concept"),
    "concepts-without-relation": ("concept",),
    "technologies-in-no-case": ("technology",),
    "sources-never-cited": ("source",),
}
# The section of a case page that shows each kind of claim.
CLAIM_SECTIONS = {claims.USAGE: "stack", claims.APPLICATION: "applies", claims.MEASUREMENT: "figures"}


def _by_id(page: Page, kinds: tuple[str, ...]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for entity in page.model.entities.values():
        if entity.kind in kinds:
            found[entity.id].append(entity.iri)
    return found


def _entity_items(page: Page, key: str, ids: list[str]) -> list[str]:
    known = _by_id(page, ID_KINDS[key])
    items = []
    for record_id in ids:
        iris = known.get(record_id)
        if not iris:
            items.append(f"<li><code>{h(record_id)}</code></li>")
            continue
        for iri in iris:
            entity = page.model.entities[iri]
            kind = h(t(f"kind.{entity.type_key}", page.lang))
            items.append(f'<li>{page.link(iri)} <span class="sa-meta">{kind} · <code>{h(entity.id)}</code></span></li>')
    return items


def _statement(page: Page, iri: str) -> Statement | None:
    return page.model.statement_by_iri.get(iri)


def _section_link(page: Page, owner: str, anchor: str, text: str) -> str:
    if owner not in page.model.entities:
        return h(text)
    href = page.href(page.entity_url(owner) + (f"#{anchor}" if anchor else ""))
    return f'<a href="{h(href)}"><code>{h(text)}</code></a>'


def _natural(item: str) -> tuple[str, int, str]:
    """`case#m-2` before `case#m-10`."""
    head, _, tail = item.rpartition("-")
    return (head, int(tail), item) if tail.isdigit() else (item, 0, item)


def _claim_items(page: Page, items: list[str]) -> list[str]:
    """`case-id#uses-1` → the case, then each of its claims with a link to the section that shows it."""
    by_case: dict[str, list[str]] = defaultdict(list)
    for item in items:
        by_case[BASE + "case/" + item.split("#", 1)[0]].append(item)
    out = []
    for owner in sorted(by_case, key=lambda iri: (page.model.label(iri, page.lang).casefold(), iri)):
        lines = []
        for item in sorted(by_case[owner], key=_natural):
            statement = _statement(page, BASE + "case/" + item)
            anchor = CLAIM_SECTIONS.get(statement.cls, "") if statement else ""
            text = claims.summary(page, statement) if statement else ""
            lines.append(f"<li>{_section_link(page, owner, anchor, item.split('#', 1)[1])} {text}</li>")
        out.append(f"<li>{page.link(owner)}<ul>{''.join(lines)}</ul></li>")
    return out


def _disagreement_items(page: Page, items: list[str]) -> list[str]:
    """`case/x#m-1 ≠ m-2` and `case/x#note-1 (contradicts)` → the entity, its section, and both sides."""
    out = []
    for item in items:
        first, _, rest = item.partition(" ≠ ")
        first = first.removesuffix(" (contradicts)")
        owner = BASE + first.split("#", 1)[0]
        nodes = [BASE + first] + ([owner + "#" + rest] if rest else [])
        statements = [s for s in (_statement(page, n) for n in nodes) if s is not None]
        anchor = "notes" if not rest else ("disagreements" if claims.disagreements(
            page.model.statements.get(owner, []), page.lang) else "figures")
        sides = " ≠ ".join(claims.summary(page, s) for s in statements)
        out.append(f"<li>{page.link(owner)} {_section_link(page, owner, anchor, item.split('/', 1)[-1])} {sides}</li>")
    return out


def quality_page(page: Page) -> Doc:
    lang = page.lang
    report = quality_report(page.model.store)
    title = t("analysis.quality", lang)
    doc = Doc(["---", f"title: {yaml_str(h(title))}", "---"]).md(f"# {md(title)}")
    rows = [[f'<a href="#{h(key)}">{h(t(f"quality.{key}", lang))}</a>', f'<span class="sa-figure">{len(items)}</span>']
            for key, items in report.items()]
    problems, checks = citations.quality_block(page)
    rows.append([f'<a href="#citation-checks">{h(t("quality.citation-checks", lang))}</a>',
                 f'<span class="sa-figure">{problems}</span>'])
    doc.html(f'<p class="sa-intro">{h(t("quality.intro", lang))}</p>',
             table([h(t("quality.check", lang)), h(t("quality.count", lang))], rows, "sa-quality-summary"))
    for key, items in report.items():
        doc.md(heading(2, f"{t(f'quality.{key}', lang)} ({len(items)})", key))
        hint = f'<p class="sa-intro">{h(t(f"quality.{key}.hint", lang))}</p>'
        if key in ID_KINDS:
            entries = _entity_items(page, key, items)
        elif key == "claims-backed-only-by-documents":
            entries = _claim_items(page, items)
        elif key == "disagreements":
            entries = _disagreement_items(page, items)
        else:
            entries = [f"<li><code>{h(item)}</code></li>" for item in items]
        body = (f'<ul class="sa-quality" data-check="{h(key)}" data-count="{len(items)}">\n' + "\n".join(entries) + "\n</ul>"
                if entries else f'<p class="sa-empty" data-check="{h(key)}" data-count="0">{h(t("quality.none", lang))}</p>')
        doc.html(hint + "\n" + body)
    doc.md(heading(2, f"{t('quality.citation-checks', lang)} ({problems})", "citation-checks"))
    doc.html(checks)
    return doc
