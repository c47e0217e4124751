"""Every saved query runs, is documented in both languages, and still gives its expected results.

Expected results change only through `kg query --update-expected`, so a change
in what a query returns shows up in review as a diff of a CSV file.
"""

from __future__ import annotations

import pytest

from kgtools.pipeline import open_store
from kgtools.query.saved import SavedQuery, expected_path, saved_queries, saved_query_csv
from kgtools.records.project import Project

from .conftest import ROOT

QUERIES = saved_queries(Project(ROOT))


def test_there_are_at_least_thirty_saved_queries() -> None:
    assert len(QUERIES) >= 30


@pytest.fixture(scope="module")
def store(project: Project):
    return open_store(project)


@pytest.mark.parametrize("saved", QUERIES, ids=[q.name for q in QUERIES])
def test_saved_query_is_documented_in_both_languages(saved: SavedQuery) -> None:
    for key in ("title-zh", "title-en", "description-zh", "description-en"):
        assert saved.meta.get(key), f"{saved.path.name} lacks `# {key}:`"


@pytest.mark.parametrize("saved", QUERIES, ids=[q.name for q in QUERIES])
def test_saved_query_matches_expected_results(saved: SavedQuery, store, project: Project) -> None:
    expected = expected_path(project, saved.name)
    assert expected.is_file(), f"run `kg query --update-expected` to create {expected.relative_to(ROOT)}"
    actual = saved_query_csv(store, saved)
    assert actual == expected.read_text(encoding="utf-8"), f"{saved.name} changed; review and run `kg query --update-expected`"
    if not saved.meta.get("allow-empty"):
        assert len(actual.splitlines()) > 1, f"{saved.name} returns no rows on the corpus"
