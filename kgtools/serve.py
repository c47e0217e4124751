"""`kg serve` and `kg publish`: the graph over HTTP, locally or in an external store.

They sit above the pipeline because both need the current graph, which `kgtools.pipeline` decides.
"""

from __future__ import annotations

import sys
import time

import pyoxigraph as ox

from kgtools.graph.freshness import inputs_signature
from kgtools.pipeline import current_graph
from kgtools.query.endpoint import Limits, ReloadingStore, serve_endpoint
from kgtools.query.engine import QueryError
from kgtools.records.project import Project


def run_serve(project: Project, host: str, port: int, sparql_port: int, site: bool,
              timeout_s: float, max_results: int) -> int:
    """Serve the SPARQL endpoint, and the site with live reload unless `site` is False."""
    def load() -> ox.Store:
        graph = current_graph(project)
        print(f"kg serve: {graph.origin}", flush=True)
        return graph.store()

    store = ReloadingStore(load, lambda: inputs_signature(project))
    limits = Limits(timeout_s=timeout_s, max_results=max_results)
    server = serve_endpoint(store, host, sparql_port, limits)
    print(f"SPARQL endpoint (read-only): http://{host}:{server.server_address[1]}/sparql", flush=True)
    print(f"  {limits.workers} queries at once ({limits.queue} more waiting), {limits.timeout_s:g} s each; "
          "SERVICE, other host names and web pages refused", flush=True)
    try:
        if site and (project.root / "mkdocs.yml").is_file():
            from kgtools.site.plugin.serve import serve_site

            print(f"site with live reload: http://{host}:{port}/", flush=True)
            serve_site(project, host, port)
        else:
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


def run_publish(project: Project, store_url: str, graph: str) -> int:
    """Replace the dataset's named graph in an external store (Graph Store HTTP Protocol)."""
    from kgtools.insights.enrich import published_graph
    from kgtools.query.remote import put_graph, redact
    from kgtools.records.problems import BuildError
    from kgtools.records.terminal import printable

    try:
        compiled = published_graph(project)
    except BuildError as error:
        print("\n".join(error.lines))
        print("publish refused: the graph does not pass its checks", file=sys.stderr)
        return 1
    try:
        status = put_graph(store_url, graph, compiled.ntriples)
    except QueryError as error:
        print(f"kg publish: {error}", file=sys.stderr)
        return 1
    # The URL may hold a password or a ?token=…: print it redacted, never as given.
    print(f"published {len(compiled)} triples to <{printable(graph)}> at {redact(store_url)} (HTTP {status})")
    return 0
