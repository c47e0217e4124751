"""Problems found in records, as values that every checker returns and every reporter prints.

A problem names the file, line and field so a contributor can jump straight to
it; the hint says what to do next. Nothing here raises; `BuildError` carries
problems to the command line when a later stage must stop.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

PLACEHOLDER = "TODO"
"""What `kg new` writes where a contributor still has to fill in a value; `kg check` rejects it."""


class BuildError(Exception):
    """The corpus or graph is not fit to publish; `lines` say why, one problem each."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def field_name(path: tuple[str | int, ...]) -> str:
    """A JSON pointer as contributors write the field.

    >>> field_name(("uses", 2, "technology"))
    'uses[2].technology'
    >>> field_name(())
    '(record)'
    """
    if not path:
        return "(record)"
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one record."""

    path: str
    line: int
    field: str
    message: str
    hint: str = ""
    severity: str = "error"

    def text(self) -> str:
        hint = f" [{self.hint}]" if self.hint else ""
        return f"{self.path}:{self.line}: {self.field}: {self.message}{hint}"

    def github(self) -> str:
        """A GitHub Actions workflow command that annotates the line in a PR diff."""
        body = self.message + (f" — {self.hint}" if self.hint else "")
        return (
            f"::{self.severity} file={_escape_property(self.path)},line={self.line},"
            f"title={_escape_property(self.field)}::{_escape_data(body)}"
        )


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def display_path(path: Path, root: Path) -> str:
    """Path relative to the checkout when possible, as contributors see it in git."""
    if path.is_absolute() and path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def render(problems: list[Problem], fmt: str) -> str:
    """All problems in one of the formats `kg check --format` offers."""
    ordered = sorted(problems)
    if fmt == "json":
        return json.dumps([asdict(p) for p in ordered], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(p.github() for p in ordered)
    return "\n".join(p.text() for p in ordered)
