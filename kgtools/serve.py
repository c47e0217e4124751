"""`kg serve` and `kg publish`: the graph over HTTP, locally or in an external store."""

from __future__ import annotations

import sys
import time

from kgtools.endpoint import Limits, ReloadingStore, serve_endpoint
from kgtools.paths import Project
from kgtools.query import QueryError
from kgtools.store import newest_input, open_store

DATASET_GRAPH = "https://w3id.org/stackatlas/graph"


def run_serve(project: Project, host: str, port: int, sparql_port: int, site: bool,
              timeout_s: float, max_results: int) -> int:
    """Serve the SPARQL endpoint, and the site with live reload unless `site` is False."""
    store = ReloadingStore(lambda: open_store(project), lambda: newest_input(project))
    server = serve_endpoint(store, host, sparql_port, Limits(timeout_s, max_results))
    print(f"SPARQL endpoint (read-only): http://{host}:{server.server_address[1]}/sparql", flush=True)
    try:
        if site and (project.root / "mkdocs.yml").is_file():
            from kgtools.site.serve import serve_site

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
    from kgtools.graph import BuildError, compile_project
    from kgtools.remote import put_graph

    try:
        compiled = compile_project(project)
    except BuildError as error:
        print("\n".join(error.lines))
        print("publish refused: the graph does not pass its checks", file=sys.stderr)
        return 1
    try:
        status = put_graph(store_url, graph, compiled.ntriples)
    except QueryError as error:
        print(f"kg publish: {error}", file=sys.stderr)
        return 1
    print(f"published {len(compiled)} triples to <{graph}> at {store_url} (HTTP {status})")
    return 0
