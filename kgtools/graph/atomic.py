"""Publishing an output folder all at once, so a failed or killed build never leaves half of one.

`build/graph` and `build/site` are symbolic links to versioned folders under
`build/.versions/`. A new version is written beside the old one and the link
is swapped with a single `rename`, which POSIX guarantees is atomic; readers
see either the old folder or the new one, never a mixture.

>>> import tempfile
>>> out = Path(tempfile.mkdtemp()) / "graph"
>>> first = staging_dir(out); _ = (first / "a.nt").write_text("1")
>>> publish(first, out)
>>> second = staging_dir(out); _ = (second / "a.nt").write_text("2")
>>> publish(second, out)
>>> (out / "a.nt").read_text(), first.exists()
('2', False)
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def staging_dir(target: Path) -> Path:
    """A fresh folder on the same file system as `target`, to be published later."""
    versions = target.parent / ".versions"
    versions.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{target.name}-", dir=versions))
    folder.chmod(0o755)  # mkdtemp makes it private; a published folder is read by web servers and other users
    return folder


def publish(staging: Path, target: Path) -> None:
    """Make `target` point at `staging` atomically, then remove the version it replaced."""
    target.parent.mkdir(parents=True, exist_ok=True)
    previous = target.resolve() if target.is_symlink() else None
    if target.exists() and not target.is_symlink():
        # An older layout (a plain folder): move it aside as a version first.
        legacy = staging_dir(target)
        legacy.rmdir()
        target.rename(legacy)
        previous = legacy
    link = target.parent / f".{target.name}.link-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(os.path.relpath(staging, target.parent))
    os.replace(link, target)
    if previous and previous != staging.resolve():
        shutil.rmtree(previous, ignore_errors=True)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def sweep(target: Path) -> None:
    """Remove versions a killed build left behind (anything the link does not point at)."""
    versions = target.parent / ".versions"
    if not versions.is_dir():
        return
    current = target.resolve() if target.is_symlink() else None
    for folder in versions.glob(f"{target.name}-*"):
        if folder.resolve() != current:
            shutil.rmtree(folder, ignore_errors=True)
