"""Parsed records kept between runs, so `kg check` after editing one file parses only that file.

Integrity checks need every record, and parsing ~1,000 YAML files is most of
what `kg check FILE` costs. Each entry is keyed by the BLAKE2b digest of the
file's bytes, and the whole cache by the loader's own source and the PyYAML
and Python versions, so an edited record, or a change to the rules that read
records, is parsed afresh. Only records that were read without a problem are
kept: every problem is found again on every run.

The cache cannot lie about a record. The file is one block behind a BLAKE2b
checksum: a cache with any byte changed (a torn write, a bad disk, an edit by
hand) is never unmarshalled, and every record is read from its file again.
Inside, each entry's data is kept as the bytes it was serialised to, under a
BLAKE2b checksum keyed by the digest of the record file, so data is only ever
taken for the file bytes it was parsed from. And the loader passes whatever an
entry holds through the same value gate as a fresh parse; data it refuses is
parsed again from the file.

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


_MAGIC = b"stackatlas-records-2\n"
_SUM_BYTES = 32
_PERSON = b"sa-record-entry"


def _entry_sum(digest: bytes, blob: bytes) -> bytes:
    """The checksum of one entry's serialised data, keyed by the digest of the file it was parsed from."""
    return hashlib.blake2b(blob, key=digest, person=_PERSON, digest_size=16).digest()


def _sealed(body: bytes) -> bytes:
    return _MAGIC + hashlib.blake2b(body, digest_size=_SUM_BYTES).digest() + body


def _unsealed(raw: bytes) -> bytes | None:
    """The body of a cache file whose checksum holds, else None."""
    if not raw.startswith(_MAGIC):
        return None
    stored, body = raw[len(_MAGIC): len(_MAGIC) + _SUM_BYTES], raw[len(_MAGIC) + _SUM_BYTES:]
    return body if hashlib.blake2b(body, digest_size=_SUM_BYTES).digest() == stored else None


@functools.cache
def _reader_key() -> str:
    """Everything besides a file's bytes that decides what reading it gives (read once per process)."""
    here = Path(__file__).parent
    sources = (here / "loader.py").read_bytes() + b"\0" + (here / "cache.py").read_bytes()
    parts = [file_digest(sources).hex(), yaml.__version__, str(getattr(yaml, "__with_libyaml__", False)),
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
        self._entries: dict[str, tuple[bytes, bytes, bytes]] = {}
        self._seen: set[str] = set()
        self._changed = False
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            body = _unsealed(path.read_bytes())
            if body is not None:
                key, entries = marshal.loads(body)  # noqa: S302 - checksummed bytes written by our own runs, outside the checkout
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
        """The data last parsed from these exact bytes at this path, or None (also when the entry does not add up)."""
        self._seen.add(shown)
        entry = self._entries.get(shown)
        if not (isinstance(entry, tuple) and len(entry) == 3 and all(isinstance(part, bytes) for part in entry)):
            return None
        stored_digest, blob, checksum = entry
        if stored_digest != digest or _entry_sum(digest, blob) != checksum:
            return None
        try:
            data = marshal.loads(blob)  # noqa: S302 - checksummed above
        except (ValueError, EOFError, TypeError):
            return None
        return data if isinstance(data, dict) else None

    def put(self, shown: str, digest: bytes, data: dict[str, Any]) -> None:
        self._seen.add(shown)
        blob = marshal.dumps(data)
        self._entries[shown] = (digest, blob, _entry_sum(digest, blob))
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
                    out.write(_sealed(marshal.dumps((self.key, self._entries))))
                os.replace(temporary, self.path)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temporary)
        self._changed = False
