"""What `kg build` shows while it works: each stage as it runs, then a table of stages and times.

Only on a terminal. When stdout is a pipe or a file (CI, tests, `| tee`), the
build prints exactly the lines it always printed ("graph: N records → M
triples → …", "site: N pages → …"), which tools parse, and nothing else.
Uses rich, which pip, pytest and MkDocs' own ecosystem already use for this.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Any, TextIO


@dataclass
class Stage:
    name: str
    detail: str = ""
    seconds: float = 0.0


@dataclass
class Progress:
    """Stages timed one after another; drawn with rich when `stream` is a terminal, silent otherwise."""

    stream: TextIO = field(default_factory=lambda: sys.stdout)
    stages: list[Stage] = field(default_factory=list)
    _live: Any = None
    _bar: Any = None
    _task: Any = None
    _pages: dict[str, int] = field(default_factory=dict)
    _since: float = field(default_factory=time.perf_counter)
    _started: float = field(default_factory=time.perf_counter)

    @property
    def shown(self) -> bool:
        return self.stream.isatty()

    def __enter__(self) -> Progress:
        if self.shown:
            from rich.console import Console
            from rich.progress import Progress as Bar
            from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

            self._bar = Bar(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                            console=Console(file=self.stream), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("checking records")
        self._since = self._started = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def _say(self, text: str) -> None:
        if self._bar is not None:
            self._bar.update(self._task, description=text)

    def step(self, name: str, detail: str) -> None:
        """A stage ended: record its time, print its line, and say what runs next."""
        now = time.perf_counter()
        self.stages.append(Stage(name, detail, now - self._since))
        self._since = now
        if self._bar is not None:
            self._bar.console.print(f"[green]✓[/green] {name}: {detail} [dim]({self.stages[-1].seconds:.1f} s)[/dim]")
        following = {"records": "compiling the graph", "compile": "checking shapes (SHACL)", "shapes": "computing analytics",
                     "analytics": "writing dumps", "dumps": "building the site", "site": "publishing", "publish": "done"}
        self._say(following.get(name, "working"))

    def page(self, folder: str) -> None:
        """MkDocs wrote a page of the language in `folder` ("" for the first language, at the root)."""
        self._pages[folder] = self._pages.get(folder, 0) + 1
        if self._bar is not None:
            parts = ", ".join(f"{count} in {folder or ''}/" for folder, count in self._pages.items())
            self._say(f"site pages: {parts}")

    def summary(self) -> None:
        """The table of stages and their times (terminal only)."""
        if not self.shown:
            return
        from rich.console import Console
        from rich.table import Table

        table = Table(title="kg build", title_justify="left")
        table.add_column("stage")
        table.add_column("result")
        table.add_column("seconds", justify="right")
        for stage in self.stages:
            table.add_row(stage.name, stage.detail, f"{stage.seconds:.1f}")
        table.add_row("total", "", f"{time.perf_counter() - self._started:.1f}", style="bold")
        Console(file=self.stream).print(table)
