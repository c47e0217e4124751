"""Where the project's inputs and outputs live, found from the working directory, and the one way inputs are read.

Every command works from any folder inside a checkout, so paths are resolved
against the nearest parent holding both `corpus/` and `ontology/`.

Everything under `corpus/`, `site/` and `ontology/` comes from strangers' pull
requests and much of it is published, so it is read only through
`CheckoutReader`: a regular file inside the checkout, reached through real
folders, no larger than a limit checked before reading. Symbolic links are
refused wherever they point, even inside the checkout: Git stores a link as a
one-line path a reviewer rarely notices, and following it would publish
whatever it names (`.git/config`, a file outside the checkout, `/dev/zero`).
Devices, FIFOs, sockets and folders are refused too, so nothing read can hang
or never end.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

KINDS = ("technology", "concept", "case", "organization", "source", "assessment", "guide", "model")
KIND_DIRS = {
    "technology": "technologies",
    "concept": "concepts",
    "case": "cases",
    "organization": "organizations",
    "source": "sources",
    "assessment": "assessments",
    "guide": "guides",
    "model": "models",
}
DIR_KINDS = {folder: kind for kind, folder in KIND_DIRS.items()}
# Machine-written files beside the records (`kg cite-check`): not entities, but read, validated and compiled like them.
CHECKS_DIR = "checks"
CHECK_FILES = {"citations.yaml": "citation-checks"}   # file name → its kind (schema `<kind>.schema.json`)
CITATION_CHECKS = "citation-checks"


@dataclass(frozen=True)
class Project:
    """The folders of one Stack Atlas checkout."""

    root: Path

    @property
    def corpus(self) -> Path:
        return self.root / "corpus"

    @property
    def ontology(self) -> Path:
        return self.root / "ontology"

    @property
    def schemas(self) -> Path:
        return self.ontology / "schemas"

    @property
    def queries(self) -> Path:
        return self.corpus / "queries"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def graph_dir(self) -> Path:
        return self.build / "graph"

    @property
    def citation_checks(self) -> Path:
        """`corpus/checks/citations.yaml`, the dated checks `kg cite-check` writes."""
        return self.corpus / CHECKS_DIR / "citations.yaml"

    def kind_dir(self, kind: str) -> Path:
        return self.corpus / KIND_DIRS[kind]

    def record_path(self, kind: str, record_id: str) -> Path:
        return self.kind_dir(kind) / f"{record_id}.yaml"


def find_project(start: Path | None = None) -> Project:
    """The checkout containing `start` (default: the working directory)."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "corpus").is_dir() and (candidate / "ontology").is_dir():
            return Project(candidate)
    raise FileNotFoundError(
        f"no Stack Atlas checkout (a folder with corpus/ and ontology/) at or above {here}"
    )


MAX_INPUT_BYTES = 8 * 1024 * 1024
"""Largest file read from `site/` or `ontology/` (records have their own, smaller limit)."""

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
_DIR_FLAGS = _OPEN_FLAGS | getattr(os, "O_DIRECTORY", 0)
_FILE_FLAGS = _OPEN_FLAGS | getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in after the check cannot block the open
_LINK_HINT = "put the file itself here; links are never followed"


class RefusedFile(Exception):
    """An input that is not a regular file of the checkout; `message` and `hint` say why, as in a problem line."""

    def __init__(self, path: Path, message: str, hint: str, reason: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
        self.hint = hint
        self.reason = reason  # outside | link | folder | special | size | unreadable


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def refusal(path: Path, mode: int, size: int, limit: int, shown: str = "") -> RefusedFile | None:
    """Why the entry with this `lstat` mode and size may not be read, or None when it may."""
    if stat.S_ISLNK(mode):
        return RefusedFile(path, "is a symbolic link, not a file of the checkout", _LINK_HINT, "link")
    if stat.S_ISDIR(mode):
        return RefusedFile(path, "is a folder, not a file", f"rename the folder{f' `{shown}`' if shown else ''} "
                           "so its name does not look like a file's", "folder")
    if not stat.S_ISREG(mode):
        return RefusedFile(path, f"is {_kind_of(mode)}, not a regular file", "remove it; only regular files are read",
                           "special")
    if size > limit:
        return RefusedFile(path, f"file is {size:,} bytes, over the {limit:,}-byte limit", "shorten or split it", "size")
    return None


def _bases(root: Path) -> tuple[str, ...]:
    """The checkout's folder as written and as resolved, normalised, for prefix tests on plain strings."""
    written = os.path.normpath(os.path.abspath(root))
    resolved = os.path.normpath(os.path.realpath(root))
    return (written,) if written == resolved else (written, resolved)


def relative_parts(root: Path, path: Path, bases: tuple[str, ...] | None = None) -> tuple[str, ...] | None:
    """`path` as names below `root`, normalised without following links; None when it is not below `root`."""
    absolute = os.path.normpath(os.path.abspath(path))
    for base in bases or _bases(root):
        prefix = base.rstrip(os.sep) + os.sep
        if absolute.startswith(prefix):
            return tuple(absolute[len(prefix):].split(os.sep))
    return None


class CheckoutReader:
    """Reads files of one checkout, refusing everything that is not a regular file reached through real folders.

    Folders are opened one name at a time with `O_NOFOLLOW` (kept open for the
    next file in the same folder), the file is `lstat`ed, its size compared
    with the limit before any byte is read, opened with `O_NOFOLLOW |
    O_NONBLOCK`, checked again on the open descriptor, and read to at most
    `limit + 1` bytes. Use as a context manager, or call `close()`.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._bases = _bases(root)
        self._folders: dict[tuple[str, ...], int] = {}

    def __enter__(self) -> CheckoutReader:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        for fd in self._folders.values():
            os.close(fd)
        self._folders.clear()

    def _folder(self, parts: tuple[str, ...], path: Path) -> int:
        """A descriptor of the folder `root/parts`, every step a real folder."""
        fd = self._folders.get(parts)
        if fd is not None:
            return fd
        if not parts:
            fd = os.open(self.root, _DIR_FLAGS & ~getattr(os, "O_NOFOLLOW", 0))  # the checkout itself may be reached by a link
        else:
            parent = self._folder(parts[:-1], path)
            shown = "/".join(parts)
            try:
                info = os.stat(parts[-1], dir_fd=parent, follow_symlinks=False)
            except FileNotFoundError:
                raise
            except OSError as error:
                raise RefusedFile(path, f"`{shown}` cannot be read: {error.strerror}", "check its permissions",
                                  "unreadable") from error
            if stat.S_ISLNK(info.st_mode):
                raise RefusedFile(path, f"`{shown}` is a symbolic link, not a folder of the checkout",
                                  "put the folder itself here; links are never followed", "link")
            if not stat.S_ISDIR(info.st_mode):
                raise RefusedFile(path, f"`{shown}` is {_kind_of(info.st_mode)}, not a folder", "remove it", "special")
            fd = os.open(parts[-1], _DIR_FLAGS, dir_fd=parent)
        self._folders[parts] = fd
        return fd

    def read(self, path: Path, limit: int) -> bytes:
        """The bytes of `path`, or `RefusedFile` saying why not (FileNotFoundError when it is gone)."""
        parts = relative_parts(self.root, path, self._bases)
        if not parts:
            raise RefusedFile(path, "is outside the checkout", "only files inside the checkout are read", "outside")
        try:
            folder = self._folder(parts[:-1], path)
            info = os.stat(parts[-1], dir_fd=folder, follow_symlinks=False)
            refused = refusal(path, info.st_mode, info.st_size, limit, parts[-1])
            if refused is not None:
                raise refused
            fd = os.open(parts[-1], _FILE_FLAGS, dir_fd=folder)
        except OSError as error:
            if isinstance(error, FileNotFoundError):
                raise
            if error.errno == errno.ELOOP:
                raise RefusedFile(path, "is a symbolic link, not a file of the checkout", _LINK_HINT, "link") from error
            raise RefusedFile(path, f"cannot be read: {error.strerror}", "check the file's permissions",
                              "unreadable") from error
        try:
            opened = os.fstat(fd)
            if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino) or not stat.S_ISREG(opened.st_mode):
                raise RefusedFile(path, "changed while it was being read", "run the command again", "unreadable")
            chunks: list[bytes] = []
            left = limit + 1
            while left > 0:
                chunk = os.read(fd, min(left, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
        except OSError as error:
            raise RefusedFile(path, f"cannot be read: {error.strerror}", "check the file's permissions",
                              "unreadable") from error
        finally:
            os.close(fd)
        data = b"".join(chunks)
        if len(data) > limit:
            raise RefusedFile(path, f"file grew over the {limit:,}-byte limit while it was being read",
                              "shorten or split it", "size")
        return data


def read_input(root: Path, path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """One file of the checkout at `root`, read as `CheckoutReader` reads (raises `RefusedFile`)."""
    with CheckoutReader(root) as reader:
        return reader.read(path, limit)


def refused_entries(root: Path, folder: Path, limit: int = MAX_INPUT_BYTES) -> list[RefusedFile]:
    """Everything under `folder` (inside `root`) that `CheckoutReader` would refuse, walked without following links.

    For folders whose files another program reads (MkDocs reads `site/`), so
    the whole folder is checked before that program opens anything.
    """
    refused: list[RefusedFile] = []
    parts = relative_parts(root, folder)
    if not parts:
        return [RefusedFile(folder, "is outside the checkout", "keep it inside the checkout", "outside")]
    here = root
    for part in parts:
        here = here / part
        try:
            info = here.lstat()
        except OSError:
            return refused
        if not stat.S_ISDIR(info.st_mode):
            return [refusal(here, info.st_mode, 0, limit) or RefusedFile(here, "is not a folder", "", "special")]
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda entry: entry.name)
        except OSError as error:
            refused.append(RefusedFile(current, f"cannot be read: {error.strerror}", "check its permissions",
                                       "unreadable"))
            continue
        for entry in entries:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISDIR(info.st_mode):
                pending.append(Path(entry.path))
                continue
            problem = refusal(Path(entry.path), info.st_mode, info.st_size, limit)
            if problem is not None:
                refused.append(problem)
    return sorted(refused, key=lambda r: str(r.path))
