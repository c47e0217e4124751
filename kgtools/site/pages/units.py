"""Units as a reader of each language names them, from the shared unit table (one place for every page).

The table is `x-units` of the `unit` definition in ontology/schemas/common.schema.json
(QUDT unit, quantity, factor, counted thing); each entry may carry a `zh` name
(`tasks/s` → 个任务/秒). The site model loads it once; numbers.py writes figures with it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Units:
    """Display names of units per language, from the shared unit table; a unit without one keeps its text."""

    names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)   # unit text → {lang: name}

    def name(self, unit: str, lang: str) -> str:
        return self.names.get(unit, {}).get(lang, unit)


def load_units(schemas: Path) -> Units:
    """The `zh` (and any other language) names of the unit table in `schemas`/common.schema.json."""
    path = schemas / "common.schema.json"
    if not path.is_file():
        return Units()
    table = json.loads(path.read_text(encoding="utf-8"))["$defs"]["unit"].get("x-units", {})
    return Units({unit: {lang: entry[lang] for lang in ("zh", "en") if isinstance(entry.get(lang), str)}
                  for unit, entry in table.items()})
