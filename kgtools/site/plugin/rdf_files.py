"""Each entity's own Turtle and JSON-LD, written beside its page so a reader (or a crawler) can take just that.

An entity's description is every triple whose subject is the entity or one of
its statement nodes (`…/case/x#uses-1`, `…#uses-1-cite-1`): the same triples
the record compiled to, cut from the published N-Triples in one pass.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from kgtools.graph.vocab import split_entity_iri
from kgtools.query.engine import PREFIX_IRIS
from kgtools.site.pages import urls


def write_entity_rdf(ntriples: Path, site_dir: Path) -> int:
    """Write `<kind>/<id>.ttl` and `.jsonld` for every entity; return how many entities."""
    by_owner: dict[str, list[ox.Triple]] = defaultdict(list)
    for triple in ox.parse(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES):
        subject = triple.subject
        if isinstance(subject, ox.NamedNode):
            by_owner[subject.value.split("#", 1)[0]].append(triple)
    written = 0
    for owner, triples in sorted(by_owner.items()):
        parts = split_entity_iri(owner)
        if not parts:
            continue
        base = site_dir / urls.entity_path(*parts)
        base.parent.mkdir(parents=True, exist_ok=True)
        ox.serialize(triples, str(base) + ".ttl", ox.RdfFormat.TURTLE, prefixes=PREFIX_IRIS)
        ox.serialize(triples, str(base) + ".jsonld", ox.RdfFormat.JSON_LD, prefixes=PREFIX_IRIS)
        written += 1
    return written
