"""Which claims changed their public-check status between two graphs: `kg stats --since DUMP`.

A claim here is a usage, applied concept or figure of a case. Its status is
whether it is deprecated and whether a public source backs it. The status is
read the same way from both graphs: the rank where one is recorded (normal
otherwise) and the kinds of the sources it is derived from, so a dump made
before ranks existed compares fairly with one made after.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kgtools.query.engine import PREFIX_IRIS

CLAIM_STATUS = """
SELECT ?claim (SAMPLE(?r) AS ?rank) (MAX(?public) AS ?backed) WHERE {
  ?case a sa:Case ; sa:usage|sa:application|sa:measurement ?claim .
  OPTIONAL { ?claim sa:rank ?r }
  OPTIONAL { ?claim prov:wasDerivedFrom ?src . ?src a ?kind .
             BIND(IF(?kind IN (sa:PublicReference, sa:VendorCaseStudy, sa:Paper), 1, 0) AS ?public) }
} GROUP BY ?claim"""


@dataclass(frozen=True)
class Status:
    deprecated: bool
    publicly_backed: bool

    def describe(self) -> str:
        return "deprecated" if self.deprecated else "public" if self.publicly_backed else "documents only"


def claim_status(store: ox.Store) -> dict[str, Status]:
    """Every case claim's status, by statement IRI."""
    out = {}
    for row in store.query(CLAIM_STATUS, prefixes=PREFIX_IRIS):
        rank, backed = row["rank"], row["backed"]
        deprecated = rank is not None and rank.value.endswith("#DeprecatedRank")
        out[row["claim"].value] = Status(deprecated, not deprecated and backed is not None and int(backed.value) == 1)
    return out


def changed_claims(before: ox.Store, after: ox.Store) -> list[tuple[str, Status | None, Status]]:
    """(claim, status before or None if new, status now) for every claim whose status is not what it was."""
    old, new = claim_status(before), claim_status(after)
    return sorted((claim, old.get(claim), status) for claim, status in new.items() if old.get(claim) != status)
