"""Only regular files inside the checkout are read from corpus/, site/ and ontology/ (issue 15, item 2).

A pull request can commit symbolic links, and a checkout can hold folders,
FIFOs and devices where files are expected. Each probe of the issue is made
here on a copy of the fixture corpus: every refusal is one problem line in the
usual form (`file:line: field: message [hint]`), nothing outside the checkout
is read or published, and nothing hangs (each probe runs under a deadline).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from kgtools.graph.compiled import compile_project
from kgtools.pipeline import build
from kgtools.records.check import check
from kgtools.records.problems import BuildError
from kgtools.records.project import Project

from .conftest import ROOT, run_kg

TEMPORAL = "corpus/technologies/temporal.yaml"
PROBLEM_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<field>\S+): (?P<message>.+) \[(?P<hint>.+)\]$")
TOKEN = "SECRET-TOKEN-0123456789"


@pytest.fixture(autouse=True)
def deadline() -> Iterator[None]:
    """Fail, rather than hang, if a probe blocks on a FIFO or reads a device that never ends."""
    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError("still reading after 10 s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(10)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def problem_lines(project: Project) -> list[str]:
    return [p.text() for p in check(project).problems]


def refusal_of(project: Project, shown: str) -> str:
    """The one problem line about `shown`, checked for the usual form."""
    lines = [line for line in problem_lines(project) if line.startswith(f"{shown}:")]
    assert len(lines) == 1, lines
    assert PROBLEM_LINE.match(lines[0]), lines[0]
    return lines[0]


def test_a_record_linked_to_a_file_outside_is_refused_and_not_published(mini: Project, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    record = mini.root / TEMPORAL
    outside.write_text(record.read_text(encoding="utf-8").replace("A durable-execution", "OUTSIDE-TEXT"),
                       encoding="utf-8")
    record.unlink()
    record.symlink_to(outside)
    line = refusal_of(mini, TEMPORAL)
    assert line.startswith(f"{TEMPORAL}:1: (file): is a symbolic link"), line
    with pytest.raises(BuildError):
        compile_project(mini, shacl=False)


def test_a_link_inside_the_checkout_is_refused_too(mini: Project) -> None:
    """Links are never followed, wherever they point: a link is a path a reviewer rarely notices."""
    twin = mini.root / "corpus/technologies/temporal-twin.yaml"
    twin.symlink_to("temporal.yaml")
    assert "is a symbolic link" in refusal_of(mini, "corpus/technologies/temporal-twin.yaml")


def test_a_link_to_dev_zero_is_refused_without_reading(mini: Project) -> None:
    (mini.root / "corpus/technologies/zero.yaml").symlink_to("/dev/zero")
    started = time.monotonic()
    line = refusal_of(mini, "corpus/technologies/zero.yaml")
    assert time.monotonic() - started < 5
    assert "symbolic link" in line


def test_a_folder_named_like_a_record_is_a_problem_not_a_traceback(mini: Project,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    (mini.root / "corpus/technologies/x.yaml").mkdir()
    code, out, err = run_kg(mini, capsys, "check")
    assert code == 1
    assert "Traceback" not in out + err
    assert any(line.startswith("corpus/technologies/x.yaml:1: (file): is a folder") for line in out.splitlines()), out


def test_a_fifo_named_like_a_record_does_not_hang(mini: Project) -> None:
    os.mkfifo(mini.root / "corpus/technologies/x.yaml")
    assert "named pipe" in refusal_of(mini, "corpus/technologies/x.yaml")


def test_a_kind_folder_linked_elsewhere_is_refused(mini: Project, tmp_path: Path) -> None:
    elsewhere = tmp_path / "organizations"
    shutil.move(mini.root / "corpus/organizations", elsewhere)
    (mini.root / "corpus/organizations").symlink_to(elsewhere)
    line = refusal_of(mini, "corpus/organizations/coinbase.yaml")
    assert "`corpus/organizations` is a symbolic link" in line, line


def test_size_is_checked_before_the_file_is_opened(mini: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    big = mini.root / "corpus/technologies/big.yaml"
    with big.open("wb") as out:
        out.truncate(4 * 1024**3)  # sparse: 4 GiB that take no disk
    opened: list[str] = []
    real_open = os.open

    def spy(path: object, *args: object, **kwargs: object) -> int:
        opened.append(os.fsdecode(path))  # type: ignore[arg-type]
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", spy)
    line = refusal_of(mini, "corpus/technologies/big.yaml")
    assert "over the 524,288-byte limit" in line, line
    assert not [name for name in opened if name.endswith("big.yaml")], "the oversized file was opened"


def site_checkout(mini: Project) -> Project:
    """The fixture corpus with the real site pages, MkDocs configuration and a `.git/config` holding a token."""
    shutil.copytree(ROOT / "site", mini.root / "site")
    shutil.copy(ROOT / "mkdocs.yml", mini.root / "mkdocs.yml")
    (mini.root / ".git").mkdir()
    (mini.root / ".git/config").write_text(f'[http]\n\textraheader = AUTHORIZATION: basic {TOKEN}\n', encoding="utf-8")
    return mini


def published_token(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.is_file() and TOKEN in p.read_text(encoding="utf-8", errors="replace")]


@pytest.mark.parametrize("plant", ["link-to-git-config", "fifo"])
def test_a_site_page_that_is_not_a_regular_file_stops_the_build(mini: Project, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str], plant: str) -> None:
    project = site_checkout(mini)
    page = project.root / "site/zh/leak.md"
    if plant == "fifo":
        os.mkfifo(page)
    else:
        page.symlink_to("../../.git/config")
    out = tmp_path / "out"
    assert build(project, site=True, out=out) == 1
    lines = capsys.readouterr().out.splitlines()
    expected = "site/zh/leak.md:1: (file): " + ("is a symbolic link" if plant != "fifo" else "is a named pipe")
    assert any(line.startswith(expected) and PROBLEM_LINE.match(line) for line in lines), lines
    assert not (out / "site").exists()
    assert published_token(out) == []


def test_a_linked_schema_stops_check_with_a_problem_line(mini: Project, tmp_path: Path) -> None:
    schema = mini.root / "ontology/schemas/source.schema.json"
    shutil.move(schema, tmp_path / "source.schema.json")
    schema.symlink_to(tmp_path / "source.schema.json")
    with pytest.raises(BuildError) as raised:
        check(mini)
    assert raised.value.lines == [
        "ontology/schemas/source.schema.json:1: (file): is a symbolic link, not a file of the checkout "
        "[put the file itself here; links are never followed]"]


def test_linked_shapes_stop_the_build_with_a_problem_line(mini: Project, tmp_path: Path) -> None:
    shapes = mini.root / "ontology/shapes.ttl"
    shutil.move(shapes, tmp_path / "shapes.ttl")
    shapes.symlink_to(tmp_path / "shapes.ttl")
    with pytest.raises(BuildError) as raised:
        compile_project(mini)
    assert len(raised.value.lines) == 1
    assert raised.value.lines[0].startswith("ontology/shapes.ttl:1: (file): is a symbolic link")


def test_the_real_checkout_has_nothing_to_refuse(project: Project) -> None:
    from kgtools.records.project import refused_entries

    for folder in ("corpus", "site", "ontology"):
        assert refused_entries(project.root, project.root / folder) == [], folder
    assert check(project).problems == []


def test_a_saved_query_linked_out_of_the_checkout_is_refused(mini: Project, tmp_path: Path) -> None:
    """The site publishes saved queries' text, so a link to a file elsewhere must never be read."""
    from kgtools.query.saved import saved_queries
    from kgtools.records.problems import BuildError

    secret = tmp_path / "secret.txt"
    secret.write_text("token=do-not-publish\n", encoding="utf-8")
    queries = mini.root / "corpus" / "queries"
    queries.mkdir(parents=True, exist_ok=True)
    (queries / "leak.rq").symlink_to(secret)
    with pytest.raises(BuildError) as refused:
        saved_queries(mini)
    assert "corpus/queries/leak.rq:1: (file): is a symbolic link" in refused.value.lines[0]
    assert "do-not-publish" not in "\n".join(refused.value.lines)


def test_the_freshness_digest_does_not_follow_links(mini: Project, tmp_path: Path) -> None:
    from kgtools.graph.freshness import inputs_digest

    before = inputs_digest(mini)
    (mini.root / "corpus" / "technologies" / "zero.yaml").symlink_to("/dev/zero")
    assert inputs_digest(mini) != before   # the link changes the inputs, and reading it returns at once
