"""Mermaid diagrams drawn from the graph: a case's architecture and a pattern in its context.

Why generated rather than drawn by hand: the structure is already in the data
(a case's stack with roles, the dependencies and integrations between those
technologies; a pattern's parents, variants, implementations and the cases
that apply it), so a diagram can never disagree with the page beside it.
Left-to-right layouts keep the width to three columns, which stays readable
on a 390 px phone screen. Labels are contributor text: they are stripped of
everything Mermaid would read as syntax, then HTML-escaped on the page;
Mermaid runs at its default `strict` security level, which renders no HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kgtools.site.assets.query_bundle import MERMAID
from kgtools.site.pages.escape import h
from kgtools.site.pages.i18n import t
from kgtools.site.pages.markup import Page
from kgtools.site.pages.model import BROADER, IN_SCHEME, SA, Entity, Statement

PATTERN_SCHEMES = ("architecture-patterns", "workflow-patterns")
NARROWER = "http://www.w3.org/2004/02/skos/core#narrower"
RELATED = "http://www.w3.org/2004/02/skos/core#related"
TECH_LINKS = ((SA + "dependsOn", "diagram.depends_on", "-.->"), (SA + "partOf", "diagram.part_of", "-.->"),
              (SA + "integratesWith", "diagram.integrates_with", "---"))
MAX_PER_GROUP = 6
LABEL_MAX = 32
_UNSAFE = re.compile(r'["`<>{}\[\]|\\#;]')


def label(text: str, limit: int = LABEL_MAX) -> str:
    """Contributor text as a quoted Mermaid label: one line, no Mermaid syntax, at most `limit` characters.

    >>> label('Kafka "fast" <b>|x|</b> # 1; 2')
    '"Kafka fast b x /b 1 2"'
    """
    clean = " ".join(_UNSAFE.sub(" ", text).split())
    if len(clean) > limit:
        clean = clean[:limit - 1].rstrip() + "…"
    return f'"{clean}"'


class Drawing:
    """Nodes and edges of one flowchart, each entity one node however often it appears."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.ids: dict[str, str] = {}
        self.lines: list[str] = ["flowchart LR"]
        self.kinds: dict[str, list[str]] = {}

    def node(self, iri: str) -> str:
        if iri not in self.ids:
            node_id = f"n{len(self.ids)}"
            self.ids[iri] = node_id
            entity = self.page.model.entities.get(iri)
            text = entity.label(self.page.lang) if entity else iri.rsplit("/", 1)[-1]
            self.lines.append(f"  {node_id}[{label(text)}]")
            self.kinds.setdefault(entity.kind if entity else "other", []).append(node_id)
        return self.ids[iri]

    def edge(self, source: str, target: str, text: str = "", arrow: str = "-->") -> None:
        middle = f"|{label(text, 24)}|" if text else ""
        self.lines.append(f"  {self.node(source)} {arrow}{middle} {self.node(target)}")

    def source(self, focus: str) -> str:
        styles = ["  classDef technology fill:#e3f2fd,stroke:#1565c0,color:#0d47a1",
                  "  classDef concept fill:#f3e5f5,stroke:#6a1b9a,color:#4a148c",
                  "  classDef case fill:#fff3e0,stroke:#e65100,color:#bf360c",
                  "  classDef focus stroke-width:3px"]
        styles += [f"  class {','.join(ids)} {kind}" for kind, ids in sorted(self.kinds.items())
                   if kind in ("technology", "concept", "case")]
        styles.append(f"  class {self.ids[focus]} focus")
        return "\n".join(self.lines + styles)


def _block(page: Page, drawing: Drawing, focus: str, caption_key: str) -> str:
    """The diagram as Material expects it (`pre.mermaid`), with Mermaid loaded from the site itself."""
    return (f'<figure class="sa-diagram"><pre class="mermaid"><code>{h(drawing.source(focus))}</code></pre>'
            f"<figcaption>{h(t(caption_key, page.lang))}</figcaption></figure>\n"
            f'<script src="{h(page.root_href(MERMAID))}"></script>')


def case_diagram(page: Page, case: Entity, usages: list[Statement]) -> str:
    """The case's stack: the case, each technology it uses with its role, and the links between them."""
    techs = [(u.iri_of(SA + "technology"), u.text(SA + "role", page.lang)) for u in usages]
    techs = [(iri, role) for iri, role in techs if iri and not _deprecated(page, iri, usages)]
    if not techs:
        return ""
    drawing = Drawing(page)
    drawing.node(case.iri)
    stack = {iri for iri, _ in techs}
    for iri, role in techs:
        drawing.edge(case.iri, iri, role)
    model = page.model
    for iri in sorted(stack):
        for predicate, key, arrow in TECH_LINKS:
            for other in sorted(model.targets(iri, predicate)):
                if other in stack and (predicate != SA + "integratesWith" or iri < other):
                    drawing.edge(iri, other, t(key, page.lang), arrow)
    return _block(page, drawing, case.iri, "diagram.case")


def _deprecated(page: Page, iri: str, usages: list[Statement]) -> bool:
    """Whether every usage of this technology in the case is deprecated (then it is not drawn as used)."""
    own = [u for u in usages if u.iri_of(SA + "technology") == iri]
    return bool(own) and all(u.deprecated for u in own)


def is_pattern(page: Page, entity: Entity) -> bool:
    if entity.kind != "concept" or entity.is_scheme:
        return False
    schemes = {s.rsplit("/", 1)[-1] for s in page.model.targets(entity.iri, IN_SCHEME)}
    return bool(schemes & set(PATTERN_SCHEMES))


def _first(page: Page, iris: Iterable[str]) -> list[str]:
    return [e.iri for e in page.model.sorted(sorted(set(iris)), page.lang)][:MAX_PER_GROUP]


def pattern_diagram(page: Page, pattern: Entity) -> str:
    """The pattern between its broader concepts and what specialises, implements and applies it."""
    model, lang = page.model, page.lang
    drawing = Drawing(page)
    drawing.node(pattern.iri)
    for parent in _first(page, model.targets(pattern.iri, BROADER)):
        drawing.edge(parent, pattern.iri, t("diagram.variant", lang))
    for child in _first(page, model.targets(pattern.iri, NARROWER)):
        drawing.edge(pattern.iri, child, t("diagram.variant", lang))
    related = set(model.targets(pattern.iri, RELATED)) | set(model.sources_of(pattern.iri, RELATED))
    for other in _first(page, related):
        drawing.edge(pattern.iri, other, t("diagram.related", lang), "-.-")
    for tech in _first(page, model.sources_of(pattern.iri, SA + "implements")):
        drawing.edge(pattern.iri, tech, t("diagram.implemented_by", lang))
    appliers = {s.owner for s in model.mentions.get(pattern.iri, [])
                if s.cls == SA + "Application" and s.iri_of(SA + "concept") == pattern.iri}
    for case in _first(page, appliers):
        drawing.edge(pattern.iri, case, t("diagram.applied_in", lang))
    return _block(page, drawing, pattern.iri, "diagram.pattern")
