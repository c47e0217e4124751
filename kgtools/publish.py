"""`kg publish`: the checked graph into an external SPARQL store.

It sits above the stages because it needs the graph `kg build` publishes
(kgtools.insights.enrich, analytics included) and the per-store strategies
of kgtools.query.publish; the query layer itself never reaches up to insights.
"""

from __future__ import annotations

import sys

from kgtools.insights.enrich import published_graph
from kgtools.query.engine import QueryError
from kgtools.query.publish import HOW, env_credentials, publish_ntriples
from kgtools.query.remote import redact
from kgtools.records.problems import BuildError
from kgtools.records.project import Project
from kgtools.records.terminal import printable


def run_publish(project: Project, store_url: str, graph: str, store: str = "auto", timeout: float = 600.0) -> int:
    """`kg publish`: check and compile the graph, then replace its named graph in the store."""

    try:
        compiled = published_graph(project)
    except BuildError as error:
        print("\n".join(error.lines))
        print("publish refused: the graph does not pass its checks", file=sys.stderr)
        return 1
    try:
        done = publish_ntriples(store_url, graph, compiled.ntriples, store, timeout, env_credentials())
    except QueryError as error:
        print(f"kg publish: {error}", file=sys.stderr)
        return 1
    # The URL may hold a password or a ?token=…: print it redacted, never as given.
    print(f"published {len(compiled)} triples to <{printable(graph)}> in {done.seconds:.1f} s ({HOW[done.store]}) "
          f"at {redact(store_url)} (HTTP {done.status})")
    return 0
