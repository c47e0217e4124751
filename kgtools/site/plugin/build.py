"""`kg build`'s site step: MkDocs (with our plugin) over the graph just built, published atomically.

The site is built strictly into a folder the pipeline gives; any MkDocs warning
or error fails the build, and the pipeline then publishes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from kgtools.records.problems import BuildError
from kgtools.records.project import Project
from kgtools.site.plugin.mkdocs_plugin import StackAtlasPlugin, page_count

CONFIG_NAME = "mkdocs.yml"


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings and errors so a failed build can report all of them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"site: {record.levelname.lower()}: {record.getMessage()}")


def run_mkdocs(project: Project, site_dir: Path, graph_dir: Path | None) -> None:
    """Build the bilingual site into `site_dir` from the graph in `graph_dir` (or a fresh compile)."""
    config = load_config(str(project.root / CONFIG_NAME), site_dir=str(site_dir), strict=True)
    plugin = next((p for p in config.plugins.values() if isinstance(p, StackAtlasPlugin)), None)
    if plugin is None:
        raise BuildError([f"{CONFIG_NAME}: the `stackatlas` plugin is not enabled"])
    if graph_dir is not None:
        plugin.config.graph_dir = str(graph_dir)
    mkdocs_build(config)


class _Pages(logging.Handler):
    """Calls `on_page(folder)` for each page MkDocs writes ("" for the first language's root, "en" for en/).

    MkDocs says "Building page …" at debug level for every page and names the
    folder at the start of each language's build: that is all progress needs.
    """

    def __init__(self, staging: Path, on_page: Callable[[str], None]) -> None:
        super().__init__(logging.DEBUG)
        self.staging, self.on_page, self.folder = staging, on_page, ""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("Building documentation to directory: "):
            target = Path(message.split(": ", 1)[1])
            self.folder = target.name if target != self.staging else ""
        elif message.startswith("Building page "):
            self.on_page(self.folder)


def build_site_into(project: Project, staging: Path, graph_dir: Path, on_page: Callable[[str], None] | None = None) -> int:
    """Build the site from the graph folder `graph_dir` into `staging`; return the number of pages.

    Publishing is the caller's job (`kgtools.pipeline` publishes graph and site together).
    """
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    pages = logging.getLogger("mkdocs.commands.build")
    level = pages.level
    counter = _Pages(staging, on_page) if on_page else None
    if counter:
        pages.addHandler(counter)
        pages.setLevel(logging.DEBUG)
    try:
        run_mkdocs(project, staging, graph_dir)
        return page_count(staging)
    except (MkDocsException, OSError) as error:
        raise BuildError(collect.lines or [f"site: {error}"]) from error
    finally:
        logger.removeHandler(collect)
        if counter:
            pages.removeHandler(counter)
            pages.setLevel(level)
