"""Exceptions shared by several stages, kept free of heavy imports so the CLI starts fast."""

from __future__ import annotations


class BuildError(Exception):
    """The corpus or graph is not fit to publish; `lines` say why, one problem each."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines
