"""An entity's relations, each shown once, long lists folded so they expand in place.

A symmetric link (`integrates with`, `alternative to`) is stored both ways, so
a page listed the same technologies under "Integrates with" and again under
"Integrated with by"; and every case using a technology appeared both in the
incoming `uses` row and in the claims that mention it, with more detail there.
Here an incoming link is dropped when the same link goes out to the same
entity, or when a claim of that entity listed on the page already mentions
this one. A row of more than `SHOWN` links shows the first ones and folds the
rest into a `<details>` that opens where it is: no "N more not listed".
"""

from __future__ import annotations

from collections import defaultdict

from kgtools.site.pages.escape import h
from kgtools.site.pages.i18n import t
from kgtools.site.pages.markup import Page
from kgtools.site.pages.model import DERIVED, IN_SCHEME, MATERIALISED_INVERSES, SKOS, Entity

HAS_TOP = SKOS + "hasTopConcept"
SHOWN = 12   # links a row shows before the rest fold


def sentence(label: str) -> str:
    """`integrates with` → `Integrates with` (ontology labels are lower-case; row headings are not)."""
    return label[:1].upper() + label[1:]


def fold_links(page: Page, links: list[str], shown: int = SHOWN) -> str:
    """Rendered links joined; past `shown`, the rest inside a <details> that expands in place."""
    sep = "、" if page.lang == "zh" else ", "
    if len(links) <= shown + 2:   # folding two links away saves nothing
        return sep.join(links)
    more = h(t("entity.more", page.lang, n=len(links) - shown))
    return (sep.join(links[:shown]) + f' <details class="sa-more"><summary>{more}</summary>'
            + sep.join(links[shown:]) + "</details>")


def folded(page: Page, iris: list[str], shown: int = SHOWN) -> str:
    """Links to `iris` in the reader's order, folded past `shown`."""
    return fold_links(page, [page.link(e.iri) for e in page.model.sorted(list(iris), page.lang)], shown)


def groups(page: Page, entity: Entity) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Outgoing and incoming links by predicate, each relation once (see the module's docstring)."""
    model = page.model
    out_groups: dict[str, list[str]] = defaultdict(list)
    for predicate, target in model.outgoing.get(entity.iri, []):
        if predicate == DERIVED or (entity.is_scheme and predicate == HAS_TOP):
            continue
        out_groups[predicate].append(target)
    outgoing = {(p, o) for p, targets in out_groups.items() for o in targets}
    mentioned = {s.owner for s in model.mentions.get(entity.iri, [])}
    in_groups: dict[str, list[str]] = defaultdict(list)
    for predicate, subject in model.incoming.get(entity.iri, []):
        if predicate in MATERIALISED_INVERSES or predicate == DERIVED or (entity.is_scheme and predicate == IN_SCHEME):
            continue
        if (predicate, subject) in outgoing or subject in mentioned:
            continue
        in_groups[predicate].append(subject)
    return dict(out_groups), dict(in_groups)


def relations_block(page: Page, entity: Entity) -> str:
    """Links out and in, one row per predicate, each target a link to its page."""
    model, lang = page.model, page.lang
    out_groups, in_groups = groups(page, entity)
    parts = []
    for key, grouped, name in (("outgoing", out_groups, model.label), ("incoming", in_groups, model.inverse_label)):
        if not grouped:
            continue
        rows = [[h(sentence(name(p, lang))), folded(page, targets)]
                for p, targets in sorted(grouped.items(), key=lambda g: name(g[0], lang))]
        body = "\n".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
        parts.append(f'<h3 class="sa-subhead">{h(t(f"entity.{key}", lang))}</h3>\n<table class="sa-relations">\n{body}\n</table>')
    return "\n".join(parts)
