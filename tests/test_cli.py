"""`kg` behaves like a command line: a version, help for every option, quiet on a closed pipe, useful over a draft."""

from __future__ import annotations

import argparse
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

import kgtools
from kgtools.cli import parser
from kgtools.pipeline import build_graph
from kgtools.records.project import Project

from .conftest import run_kg


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_version_is_the_installed_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    from kgtools.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"kg (stackatlas-kgtools) {kgtools.__version__}"
    assert version("stackatlas-kgtools") == kgtools.__version__   # pyproject reads it from kgtools.__version__


@pytest.mark.parametrize("command", sorted(_subcommands()))
def test_every_argument_has_help(command: str) -> None:
    sub = _subcommands()[command]
    assert sub.description, f"kg {command} has no description"
    missing = [a.option_strings[-1] if a.option_strings else a.dest for a in sub._actions if not a.help]
    assert not missing, f"kg {command}: no help for {', '.join(missing)}"


def _kg_process(project: Project, args: tuple[str, ...], stdin: bytes) -> subprocess.Popen[bytes]:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(kgtools.__file__).parents[1])}
    process = subprocess.Popen([sys.executable, "-m", "kgtools", *args], cwd=project.root, env=env,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdin is not None
    process.stdin.write(stdin)
    process.stdin.close()
    return process


@pytest.mark.parametrize("args", [("stats", "--quality"), ("query", "-"), ("analyze", "--top", "500")],
                         ids=["stats", "query", "analyze"])
def test_a_reader_that_goes_away_ends_the_command_quietly(mini: Project, args: tuple[str, ...]) -> None:
    """`kg stats | head -1`: head reads one line and leaves; kg stops without a traceback, as a shell expects (141)."""
    build_graph(mini, mini.build)
    process = _kg_process(mini, args, b"SELECT * WHERE { ?s ?p ?o }")   # `kg query -`: every triple, more than a pipe holds
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read().decode()
    code = process.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipeError" not in err and "Exception ignored" not in err, err
    assert code in (0, 141), err   # 0 when the whole answer fitted into the pipe before the reader left


@pytest.mark.parametrize("args", [("stats",), ("query", "count.rq", "--format", "csv"),
                                  ("advise", "long-running-business-process"), ("analyze", "--top", "3")],
                         ids=["stats", "query", "advise", "analyze"])
def test_graph_commands_answer_from_the_last_build_over_a_draft(
        mini: Project, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    """An unfinished `kg new` draft stops `kg build`, not the commands that only read the graph; they say so."""
    build_graph(mini, mini.build)
    (mini.root / "count.rq").write_text("SELECT (COUNT(*) AS ?n) WHERE { ?t a sa:Technology }", encoding="utf-8")
    for kind in ("technology", "case"):
        assert run_kg(mini, capsys, "new", kind, f"half-written-{kind}")[0] == 0
    code, out, err = run_kg(mini, capsys, *args)
    assert code == 0, err
    assert out.strip(), f"kg {args[0]} printed nothing"
    assert "problem(s) (run `kg check`); answering from the last build, build/graph is older than the corpus" in err
