"""Which pages one edit changes: the rule `kg serve` refreshes by, from the graph's own relations.

An edit changes some entities' triples. An entity *owns* the triples whose
subject is its IRI or one of its statement nodes (`…/case/x#uses-1`), exactly
the triples its record compiled to (plus the inverse links the compiler
derives onto it). The entities whose owned triples differ between the graph
before and after the edit are the *changed* entities; PageRank and community
figures are left out of that comparison, because one new link moves them a
little on almost every entity, which would make every edit a full rebuild.

The entity pages refreshed are then the changed entities' own pages and, unless
all that changed of an entity is its description (which no other entity page
shows), the pages of every entity related to one of them, before or after the
edit:

* linked either way (`outgoing`, `incoming`: relations, scheme membership,
  provenance), so labels, relation lists and the neighbourhood graph follow;
* mentioned by one of its statements, or owning a statement that mentions it
  (a case's usage of a technology shows on the technology's page);
* a source it cites, or an entity citing it when it is a source;
* below it in the concept hierarchy (every concept page shows its broader
  path up to the top).

A scheme's or category's graph view draws its members and everything one
step from them, so the views refreshed are those of every scheme or category
that an affected entity is, or is a member of.

All other pages (index, browse, comparison, glossary, analysis, downloads…)
are few and are generated again in full; of those, only the ones whose
Markdown changed are rendered. See CONTRIBUTING.md, "Preview".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kgtools.site.pages import graph_pages
from kgtools.site.pages.model import BROADER, IN_SCHEME, SiteModel

ANALYTICS_PREDICATES = ("<https://w3id.org/stackatlas/ontology#pageRank>", "<https://w3id.org/stackatlas/ontology#community>")


DESCRIPTION = "<http://purl.org/dc/terms/description>"


def owners(lines: Iterable[str]) -> dict[str, set[str]]:
    """N-Triples lines (those that differ between two graphs) grouped by the entity owning them: the subject IRI up to `#`.

    >>> found = owners(['<urn:a> <urn:p> "x" .', '<urn:a#n-1> <urn:p> "y" .', '<urn:b> <urn:p> <urn:a> .'])
    >>> sorted(found), len(found["urn:a"])
    (['urn:a', 'urn:b'], 2)
    """
    groups: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        if line.startswith("<"):
            groups[line[1:line.index(">")].split("#", 1)[0]].add(line)
    return dict(groups)


def only_described(changed: Iterable[str]) -> bool:
    """Whether the lines that changed of an entity are all its own description (shown on its page and index pages only).

    >>> only_described(['<urn:x> <http://purl.org/dc/terms/description> "old"@en .',
    ...                 '<urn:x> <http://purl.org/dc/terms/description> "new"@en .'])
    True
    >>> only_described(['<urn:x> <http://purl.org/dc/terms/description> "new"@en .', '<urn:x> <urn:p> <urn:z> .'])
    False
    """
    changed = list(changed)
    return bool(changed) and all(line.split(" ", 2)[1] == DESCRIPTION and "#" not in line.split(" ", 1)[0]
                                 for line in changed)


def related(model: SiteModel, iri: str) -> set[str]:
    """Entities whose page shows something of `iri` (or whose data `iri`'s page shows), in one model."""
    out: set[str] = set()
    out.update(target for _, target in model.outgoing.get(iri, []))
    out.update(subject for _, subject in model.incoming.get(iri, []))
    out.update(statement.owner for statement in model.mentions.get(iri, []))
    for statement in model.statements.get(iri, []):
        out.update(v for values in statement.props.values() for v in values if isinstance(v, str) and v in model.entities)
        out.update(citation.source for citation in statement.citations)
    out.update(citation.source for citation in model.entity_citations.get(iri, []))
    out.update(owner for owner, _ in model.citations_of_source.get(iri, []))
    out.update(_below(model, iri))
    return {e for e in out if e in model.entities}


def _below(model: SiteModel, iri: str) -> set[str]:
    """Every concept whose broader path passes through `iri`."""
    seen: set[str] = set()
    todo = [iri]
    while todo:
        for predicate, subject in model.incoming.get(todo.pop(), []):
            if predicate == BROADER and subject not in seen:
                seen.add(subject)
                todo.append(subject)
    return seen


def affected_entities(changed: Iterable[str], models: Iterable[SiteModel]) -> set[str]:
    """The changed entities and every entity related to one of them in any of `models` (before and after)."""
    models = list(models)
    out = set(changed)
    for iri in list(out):
        for model in models:
            if iri in model.entities:
                out |= related(model, iri)
    return out


def views(affected: Iterable[str], models: Iterable[SiteModel]) -> set[str]:
    """Paths of the scheme and category graph views that draw one of `affected` (in any of `models`)."""
    out: set[str] = set()
    affected = set(affected)
    for model in models:
        owners = {"scheme": set(graph_pages.schemes(model)), "category": set(graph_pages.categories(model))}
        for iri in affected:
            if iri not in model.entities:
                continue
            near = {iri} | {target for predicate, target in model.outgoing.get(iri, [])
                            if predicate in (IN_SCHEME, graph_pages.CATEGORY)}
            for view, iris in owners.items():
                out.update(f"graph/{view}/{model.entities[v].id}" for v in near & iris)
    return out
