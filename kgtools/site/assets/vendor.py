"""vis-network, served once from the site itself: copied at build time from the installed pyvis package.

Nothing third-party is committed; the copy comes from whichever pyvis is
installed, newest bundled vis-network version first.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

VIS_DIR = "assets/vendor/vis-network"
VIS_SCRIPT = f"{VIS_DIR}/vis-network.min.js"


def _version(folder: Path) -> tuple[int, ...]:
    digits = folder.name.removeprefix("vis-").split(".")
    return tuple(int(d) for d in digits if d.isdigit())


def bundled_vis_network() -> Path:
    lib = Path(str(resources.files("pyvis") / "lib"))
    candidates = sorted((p for p in lib.glob("vis-*") if (p / "vis-network.min.js").is_file()), key=_version)
    if not candidates:
        raise FileNotFoundError(f"no vis-network.min.js bundled with pyvis under {lib}")
    return candidates[-1] / "vis-network.min.js"


def copy_vis_network(site_dir: Path) -> Path:
    target = site_dir / VIS_SCRIPT
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bundled_vis_network(), target)
    return target
