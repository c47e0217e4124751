"""`kg build`'s site step: MkDocs (with our plugin) over the graph just built, published atomically.

The site is built strictly into a fresh version folder; any MkDocs warning or
error fails the build and leaves the previously published site in place.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from kgtools import atomic
from kgtools.graph import BuildError
from kgtools.paths import Project
from kgtools.site.plugin import StackAtlasPlugin, page_count

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


def build_site(project: Project, out: Path) -> int:
    """Build the site from `out/graph` into `out/site`, atomically; return the number of pages."""
    target = out / "site"
    atomic.sweep(target)
    staging = atomic.staging_dir(target)
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        graph_dir = out / "graph"
        run_mkdocs(project, staging, graph_dir if graph_dir.is_dir() else None)
        pages = page_count(staging)
        atomic.publish(staging, target)
        return pages
    except (MkDocsException, OSError) as error:
        atomic.discard(staging)
        raise BuildError(collect.lines or [f"site: {error}"]) from error
    except BaseException:
        atomic.discard(staging)
        raise
    finally:
        logger.removeHandler(collect)
