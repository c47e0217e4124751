"""`check-yaml`: syntax check of YAML files for pre-commit, with file:line messages and no extra dependency."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def main(argv: list[str] | None = None) -> int:
    failed = 0
    for name in argv if argv is not None else sys.argv[1:]:
        try:
            for _ in yaml.safe_load_all(Path(name).read_text(encoding="utf-8")):
                pass
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            print(f"{name}:{line}: {getattr(error, 'problem', None) or error}")
            failed = 1
    return failed


if __name__ == "__main__":
    raise SystemExit(main())
