"""The saved benchmark results (benchmarks/results/latest.json) that the site's Performance page shows."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def measured_stamp() -> dict[str, str | None]:
    """When and at which commit a run was made, so saved runs of different days can be told apart."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,  # noqa: S607
                                check=True).stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {"date": time.strftime("%Y-%m-%d", time.gmtime()), "commit": commit}


def merge_saved(results: list[dict[str, Any]], path: Path) -> list[dict[str, Any]]:
    """This run's sizes, and the saved runs of sizes it did not measure (a 40,000-record run takes an hour).

    Why: `--save` used to replace the file, so saving a run at 400 and 4,000
    records dropped the saved 40,000-record figures. Each entry carries its own
    `measured` stamp, which the performance page prints.
    """
    old = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
    labels = {r["label"] for r in results}
    merged = results + [r for r in old if isinstance(r, dict) and r.get("label") not in labels]
    return sorted(merged, key=lambda r: (r["label"] != "real", int(r["label"]) if r["label"].isdigit() else 0))

