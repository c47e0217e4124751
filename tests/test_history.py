"""Record history from git (issue 22, point 5): the "last changed" row and the recently changed page.

History is read from a real git repository made here; commit subjects are
contributor text, so they are written hostile and must come out escaped.
"""

from __future__ import annotations

from pathlib import Path

from kgtools.records.history import History, parse_log, read_history
from kgtools.records.project import Project
from kgtools.site.pages.history_page import SHOWN_RECORDS, Links, last_changed_cell, recent_page
from kgtools.site.pages.markup import Page
from tests.conftest import git
from tests.test_site import SiteBuild, site_build  # noqa: F401 - the session's one site build

TEMPORAL = "corpus/technologies/temporal.yaml"
HOSTILE = 'Temporal: <script>alert("x")</script> & "quotes"'
LINKS = Links("https://github.com/stackatlas/stackatlas", "main")


def _commit_edit(project: Project, path: str, subject: str) -> None:
    file = project.root / path
    file.write_text(file.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    git(project.root, "add", path)
    git(project.root, "commit", "-q", "-m", subject)


def test_history_of_a_real_repository_puts_the_newest_change_first(repo: Project) -> None:
    _commit_edit(repo, TEMPORAL, HOSTILE)
    history = read_history(repo.root)
    last = history.last(TEMPORAL)
    assert last is not None and last.subject == HOSTILE
    assert len(last.commit) == 40 and last.date[:2] == "20"
    assert history.count(TEMPORAL) == 2
    newest, files = history.recent(1)[0]
    assert newest == last and files == [TEMPORAL]
    # the first commit added every record: each has exactly one change but the edited one
    assert history.count("corpus/technologies/go.yaml") == 1


def test_no_checkout_means_no_history(tmp_path: Path) -> None:
    assert read_history(tmp_path) == History()


def test_parse_log_reads_subjects_with_separators_a_subject_may_hold() -> None:
    text = ("\x1e" + "\x1f".join(("a" * 40, "2026-12-01", "Fix: a | b; c\tand more")) + "\n\ncorpus/x.yaml\ncorpus/y.yaml\n"
            "\x1e" + "\x1f".join(("b" * 40, "2026-11-30", "First")) + "\n\ncorpus/x.yaml\n")
    history = parse_log(text)
    assert history.last("corpus/x.yaml").subject == "Fix: a | b; c\tand more"  # type: ignore[union-attr]
    assert history.count("corpus/x.yaml") == 2 and history.count("corpus/y.yaml") == 1
    assert [change.date for change, _ in history.commits] == ["2026-12-01", "2026-11-30"]


def test_entity_row_and_recent_page_escape_subjects_and_link_the_changes(
        repo: Project, site_build: SiteBuild) -> None:  # noqa: F811
    _commit_edit(repo, TEMPORAL, HOSTILE)
    many = [f"corpus/technologies/{p.name}" for p in sorted((repo.root / "corpus/technologies").glob("*.yaml"))]
    for path in many:
        (repo.root / path).write_text((repo.root / path).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git(repo.root, "add", *many)
    git(repo.root, "commit", "-q", "-m", "touch every technology")
    history = read_history(repo.root)
    page = Page(site_build.model, "en", "technology/temporal.html", "../")

    cell = last_changed_cell(page, history, LINKS, TEMPORAL)
    assert "<script>" not in cell and "&lt;script&gt;" not in cell  # newest is the harmless one
    assert f'href="{LINKS.commit(history.last(TEMPORAL))}"' in cell  # type: ignore[arg-type]
    assert f'href="{LINKS.log(TEMPORAL)}"' in cell and "all 3 changes" in cell
    assert last_changed_cell(page, history, LINKS, "corpus/technologies/no-such.yaml") == ""

    html = "\n".join(recent_page(Page(site_build.model, "zh", "recent.html"), history, LINKS).slots)
    assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert 'href="technology/temporal.html"' in html  # a record with a page is linked to it


def test_a_commit_touching_many_records_folds_the_rest_in_place(site_build: SiteBuild) -> None:  # noqa: F811
    paths = [f"corpus/sources/removed-{n:02}.yaml" for n in range(SHOWN_RECORDS + 3)]
    text = "\x1e" + "\x1f".join(("c" * 40, "2026-12-02", "Many")) + "\n\n" + "\n".join(paths) + "\n"
    html = "\n".join(recent_page(Page(site_build.model, "en", "recent.html"), parse_log(text), LINKS).slots)
    assert '<details class="sa-more"><summary>3 more</summary>' in html
    assert all(f"<code>{path}</code>" in html for path in paths)  # removed records: named, not linked


def test_the_built_site_has_a_recent_page_in_both_languages(site_build: SiteBuild) -> None:  # noqa: F811
    # the session's build copies the fixture corpus outside any git checkout: the page says so instead of guessing
    for path in ("recent.html", "en/recent.html"):
        html = site_build.page(path)
        assert 'class="sa-intro"' in html
    assert "no git history" in site_build.page("en/recent.html")
    assert 'href="recent.html"' in site_build.page("en/downloads.html")  # reachable from the navigation
