"""Problems found in records, as values that every checker returns and every reporter prints.

A problem names the file, line and field so a contributor can jump straight to
it; the hint says what to do next. Nothing here raises; `BuildError` carries
problems to the command line when a later stage must stop.

Every format is safe for its reader: the path, field and message come from a
contributor's files, so control and bidi characters are shown as escapes
(`kgtools.records.terminal`), text stays one line per problem, and the GitHub
format percent-encodes what the runner would otherwise read as a new command.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from kgtools.records.terminal import json_printable, printable

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
        """One terminal line: `path:line: field: message [hint]`, with control characters escaped."""
        hint = f" [{self.hint}]" if self.hint else ""
        return printable(f"{self.path}:{self.line}: {self.field}: {self.message}{hint}")

    def github(self) -> str:
        """A GitHub Actions workflow command that annotates the line in a PR diff.

        The runner reads one command per line and splits properties at `,` and
        `:`, so those are percent-encoded as in `@actions/core`; other control
        characters are shown as escapes, as in the terminal.

        >>> print(Problem("a,b::c.yaml", 3, "x\\n::warning::", "m\\n::error::fake\\x1b[2K").github())
        ::error file=a%2Cb%3A%3Ac.yaml,line=3,title=x%0A%3A%3Awarning%3A%3A::m%0A::error::fake\\x1b[2K
        """
        body = self.message + (f" — {self.hint}" if self.hint else "")
        return (
            f"::{_escape_property(self.severity)} file={_escape_property(self.path)},line={self.line},"
            f"title={_escape_property(self.field)}::{_escape_data(body)}"
        )


def _escape_data(value: str) -> str:
    return printable(value, keep_newlines=True).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


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
        return json_printable(json.dumps([asdict(p) for p in ordered], ensure_ascii=False, indent=2))
    if fmt == "github":
        return "\n".join(p.github() for p in ordered)
    return "\n".join(p.text() for p in ordered)
