"""Docs that cannot drift: generated tables checked against their sources, every saved query and field documented."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from kgtools.query.saved import saved_queries
from kgtools.records.project import KINDS, Project
from kgtools.records.reference import field_rows
from kgtools.records.schemas import SchemaSet

from .conftest import ROOT

COG = Path(sys.executable).with_name("cog")


@pytest.mark.parametrize("document", ["README.md", "CONTRIBUTING.md", "site/en/researchers.md", "site/zh/researchers.md"])
def test_generated_sections_are_current(document: str) -> None:
    """`cog --check` fails when a sub-command, option or schema field changed and the document was not regenerated."""
    result = subprocess.run([str(COG), "--check", document], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"{result.stdout}{result.stderr}\nrun: cog -r {document}"


def test_readme_lists_every_sub_command_with_its_options() -> None:
    from kgtools.cli import parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    top = parser()
    sub = next(a for a in top._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, command in sub.choices.items():
        assert f"| `kg {name}" in readme, name
        for action in command._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help":
                    assert f"`{flag}" in readme, f"kg {name} {flag}"


def test_every_option_has_help() -> None:
    from kgtools.cli import parser

    top = parser()
    sub = next(a for a in top._actions if a.__class__.__name__ == "_SubParsersAction")
    missing = [f"kg {name} {a.option_strings[-1]}" for name, command in sub.choices.items()
               for a in command._actions if a.option_strings and not a.help and not a.choices]
    assert missing == []


def test_every_schema_field_is_explained_in_the_contributor_guide() -> None:
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    schemas = SchemaSet.load(Project(ROOT).schemas)
    missing = [f"{kind}: {path}" for kind in KINDS for path, _req, text in field_rows(schemas, kind)
               if f"| `{path}` |" not in guide or not text.strip()]
    assert missing == []


def test_every_saved_query_is_on_the_saved_queries_page_source() -> None:
    """The page is generated from the same files; this checks each query has the titles the page shows."""
    for saved in saved_queries(Project(ROOT)):
        for key in ("title-zh", "title-en"):
            assert saved.meta.get(key), f"{saved.path.name} lacks `# {key}:`"


def test_readme_shows_exactly_two_commands_for_a_new_user() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", section, flags=re.S)
    assert len(commands) == 2 and all(c.startswith("python3 -m venv .venv") for c in commands)
