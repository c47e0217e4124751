"""Parsed records kept between runs, so `kg check` after editing one file parses only that file.

Integrity checks need every record, and parsing ~1,000 YAML files is most of
what `kg check FILE` costs. Each entry is keyed by the BLAKE2b digest of the
file's bytes, and the whole cache by the loader's own source and the PyYAML
and Python versions, so an edited record, or a change to the rules that read
records, is parsed afresh. Only records that were read without a problem are
kept: every problem is found again on every run.

The cache lives in the user's cache folder, never in the checkout, so nothing
a pull request commits can feed it. `STACKATLAS_CACHE` names another folder;
`STACKATLAS_CACHE=off` turns it off.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from kgtools.records.project import Project

CACHE_ENV = "STACKATLAS_CACHE"
_OFF = {"off", "0", "no", "false"}


def file_digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


@functools.cache
def _reader_key() -> str:
    """Everything besides a file's bytes that decides what reading it gives (read once per process)."""
    loader_source = (Path(__file__).parent / "loader.py").read_bytes()
    parts = [file_digest(loader_source).hex(), yaml.__version__, str(getattr(yaml, "__with_libyaml__", False)),
             f"{sys.version_info.major}.{sys.version_info.minor}", str(marshal.version)]
    return "/".join(parts)


def cache_folder() -> Path | None:
    """Where caches go, or None when turned off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in _OFF or not chosen.strip() else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "stackatlas"


class RecordCache:
    """Parsed record data by display path and file digest, for one checkout."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.key = _reader_key()
        self._entries: dict[str, tuple[bytes, dict[str, Any]]] = {}
        self._seen: set[str] = set()
        self._changed = False
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            key, entries = marshal.loads(path.read_bytes())  # noqa: S302 - written only by our own runs, outside the checkout
            if key == self.key and isinstance(entries, dict):
                self._entries = entries

    @classmethod
    def for_project(cls, project: Project) -> RecordCache | None:
        folder = cache_folder()
        if folder is None:
            return None
        checkout = hashlib.blake2b(str(project.root.resolve()).encode("utf-8"), digest_size=8).hexdigest()
        return cls(folder / f"records-{checkout}.marshal")

    def get(self, shown: str, digest: bytes) -> dict[str, Any] | None:
        """The data last parsed from these exact bytes at this path, or None."""
        self._seen.add(shown)
        entry = self._entries.get(shown)
        if entry is None or entry[0] != digest:
            return None
        return entry[1]

    def put(self, shown: str, digest: bytes, data: dict[str, Any]) -> None:
        self._seen.add(shown)
        self._entries[shown] = (digest, data)
        self._changed = True

    def save(self, whole_corpus: bool) -> None:
        """Write the cache if anything changed; after reading the whole corpus, drop files that are gone.

        Written to a temporary file and renamed, so a run cut short never leaves
        a torn cache; a folder that cannot be written just means no cache.
        """
        if whole_corpus:
            gone = self._entries.keys() - self._seen
            for shown in gone:
                del self._entries[shown]
            self._changed |= bool(gone)
        if not self._changed:
            return
        with contextlib.suppress(OSError, ValueError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".records-", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(marshal.dumps((self.key, self._entries)))
                os.replace(temporary, self.path)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temporary)
        self._changed = False
