"""When each record last changed, read from git history once per build.

Entity pages say when their record last changed and link to its changes, and
the site lists the recently changed records. One `git log` over `corpus/`
gives both, so the cost grows with the history once, not with every page.
Outside a git checkout (a tarball, a shallow copy without the commits) there
is simply no history: pages leave the row out rather than guess a date.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

# A separator no commit subject contains: git writes it verbatim (%x1f is the ASCII unit separator).
_FIELD = "\x1f"
_COMMIT = "\x1e"
_FORMAT = _COMMIT + _FIELD.join(("%H", "%cs", "%s"))


@dataclass(frozen=True)
class Change:
    """One commit as a reader sees it: which, when, and what it said."""

    commit: str
    date: str      # committer date, YYYY-MM-DD
    subject: str


@dataclass
class History:
    """Per record file, its commits newest first; and the commits touching records, newest first."""

    by_file: dict[str, list[Change]] = field(default_factory=dict)
    commits: list[tuple[Change, list[str]]] = field(default_factory=list)

    def last(self, path: str) -> Change | None:
        changes = self.by_file.get(path)
        return changes[0] if changes else None

    def count(self, path: str) -> int:
        return len(self.by_file.get(path, ()))

    def recent(self, limit: int) -> list[tuple[Change, list[str]]]:
        return self.commits[:limit]


def parse_log(text: str) -> History:
    """Parse `git log --name-only --format=<_FORMAT>` output (a pure function, so tests need no repository)."""
    history = History()
    for block in text.split(_COMMIT):
        if not block.strip():
            continue
        header, _, names = block.partition("\n")
        parts = header.split(_FIELD)
        if len(parts) != 3:
            continue
        change = Change(parts[0], parts[1], parts[2])
        files = sorted({line.strip() for line in names.splitlines() if line.strip()})
        history.commits.append((change, files))
        for path in files:
            history.by_file.setdefault(path, []).append(change)
    return history


def read_history(root: Path, pathspec: str = "corpus") -> History:
    """The record history of the checkout at `root`, or an empty one where git or its history is missing."""
    try:
        result = subprocess.run(  # noqa: S603 - fixed argv; the path comes after "--"
            ["git", "-C", str(root), "log", "--no-renames", "--name-only", f"--format={_FORMAT}",  # noqa: S607
             "--", pathspec],
            capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return History()
    if result.returncode != 0:
        return History()
    return parse_log(result.stdout)
