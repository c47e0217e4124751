"""`kg serve`'s site half: MkDocs' live-reload server over the generated site.

The plugin tells the server to watch `corpus/` and `ontology/` as well as the
hand-written pages, so saving a record recompiles the graph and rebuilds both
languages; the browser reloads when the build is done.
"""

from __future__ import annotations

import logging

from kgtools.records.project import Project
from kgtools.site.plugin.build import CONFIG_NAME


def serve_site(project: Project, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> None:
    """Serve the site on http://host:port/ until interrupted (Ctrl-C)."""
    from mkdocs.commands.serve import serve

    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    serve(config_file=str(project.root / CONFIG_NAME), livereload=True, open_in_browser=open_browser,
          dev_addr=f"{host}:{port}")
