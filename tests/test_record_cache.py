"""The record cache: a cached read is the same read, and anything that changed is read again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from kgtools.records import cache as record_cache
from kgtools.records import loader
from kgtools.records.cache import CACHE_ENV, RecordCache
from kgtools.records.check import check
from kgtools.records.loader import load_corpus
from kgtools.records.project import Project


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the loader really parsed with YAML (not taken from the cache)."""
    parsed: list[str] = []
    real_load = yaml.load

    def counting_load(text: str, Loader: Any) -> Any:
        parsed.append(text)
        return real_load(text, Loader=Loader)

    monkeypatch.setattr(loader.yaml, "load", counting_load)
    return parsed


def records_by_path(project: Project, cache: RecordCache | None) -> dict[str, dict[str, Any]]:
    return {r.display: r.data for r in load_corpus(project, cache=cache).records}


def test_cached_records_equal_freshly_parsed_ones_on_the_whole_corpus(project: Project, parses: list[str]) -> None:
    fresh = records_by_path(project, None)
    records_by_path(project, RecordCache.for_project(project))
    parses.clear()
    cached = records_by_path(project, RecordCache.for_project(project))
    assert parses == [], "an unchanged corpus is read from the cache"
    assert cached == fresh


def test_only_the_edited_file_is_parsed_again(mini: Project, parses: list[str]) -> None:
    assert check(mini).ok
    target = mini.corpus / "concepts" / "latency.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("id: latency", "# edited\nid: latency"), encoding="utf-8")
    parses.clear()
    result = check(mini, [target])
    assert result.ok
    assert len(parses) == 1
    assert "# edited" in parses[0]


def test_a_cached_record_that_is_broken_afterwards_is_reported(mini: Project) -> None:
    assert check(mini).ok
    target = mini.corpus / "concepts" / "latency.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("id: latency", "id: latency\nid: again"), encoding="utf-8")
    problems = check(mini, [target]).problems
    assert [(p.path, p.field) for p in problems] == [("corpus/concepts/latency.yaml", "id")]
    assert "duplicate key" in problems[0].message


def test_a_changed_value_is_seen(mini: Project) -> None:
    cache_path = RecordCache.for_project(mini)
    assert cache_path is not None
    load_corpus(mini, cache=cache_path)
    target = mini.corpus / "concepts" / "latency.yaml"
    text = target.read_text(encoding="utf-8")
    label = yaml.safe_load(text)["label"]["en"]
    target.write_text(text.replace(label, "Tail latency, edited"), encoding="utf-8")
    data = records_by_path(mini, RecordCache.for_project(mini))["corpus/concepts/latency.yaml"]
    assert data["label"]["en"] == "Tail latency, edited"


def test_a_new_reader_ignores_the_old_cache(mini: Project, parses: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    load_corpus(mini, cache=RecordCache.for_project(mini))
    monkeypatch.setattr(record_cache, "_reader_key", lambda: "a changed loader")
    parses.clear()
    load_corpus(mini, cache=RecordCache.for_project(mini))
    assert len(parses) == len(list(mini.corpus.rglob("*.yaml")))


def test_a_corrupt_cache_is_ignored_and_replaced(mini: Project) -> None:
    cache = RecordCache.for_project(mini)
    assert cache is not None
    fresh = records_by_path(mini, None)
    cache.path.parent.mkdir(parents=True, exist_ok=True)
    cache.path.write_bytes(b"\x00 not a cache")
    assert records_by_path(mini, RecordCache.for_project(mini)) == fresh
    assert records_by_path(mini, RecordCache.for_project(mini)) == fresh


def test_deleted_files_leave_the_cache(mini: Project) -> None:
    load_corpus(mini, cache=RecordCache.for_project(mini))
    (mini.corpus / "concepts" / "latency.yaml").unlink()
    load_corpus(mini, cache=RecordCache.for_project(mini))
    reopened = RecordCache.for_project(mini)
    assert reopened is not None
    assert reopened.get("corpus/concepts/latency.yaml", b"") is None
    assert "corpus/concepts/latency.yaml" not in reopened._entries


def test_the_cache_lives_outside_the_checkout(mini: Project) -> None:
    cache = RecordCache.for_project(mini)
    assert cache is not None
    assert not cache.path.resolve().is_relative_to(mini.root.resolve())


@pytest.mark.parametrize("value", ["off", "0", ""])
def test_the_cache_can_be_turned_off(mini: Project, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(CACHE_ENV, value)
    assert RecordCache.for_project(mini) is None
    assert check(mini).ok


def test_the_default_folder_is_the_users_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert record_cache.cache_folder() == tmp_path / "stackatlas"


# --- a cache that cannot lie (issue 15, item 6) ------------------------------------------------------------------

LATENCY = "corpus/concepts/latency.yaml"


def filled_cache(project: Project) -> Path:
    """The path of a cache holding every record of `project`."""
    cache = RecordCache.for_project(project)
    assert cache is not None
    load_corpus(project, cache=cache)
    assert cache.path.is_file()
    return cache.path


def test_an_entry_edited_in_place_does_not_win_over_the_file(mini: Project) -> None:
    fresh = records_by_path(mini, None)
    path = filled_cache(mini)
    raw = path.read_bytes()
    original, edited = b"The time from when a request", b"The time from WHEN a request"
    assert raw.count(original) == 1
    path.write_bytes(raw.replace(original, edited))
    assert records_by_path(mini, RecordCache.for_project(mini)) == fresh


def test_an_entry_that_breaks_the_character_rules_is_read_again(mini: Project, parses: list[str]) -> None:
    """Data in the cache passes the loader's gate like a fresh parse; what the gate refuses is parsed from the file."""
    fresh = records_by_path(mini, None)
    filled_cache(mini)
    cache = RecordCache.for_project(mini)
    assert cache is not None
    lying = {**fresh[LATENCY], "label": {"zh": "延迟", "en": "Lat\u2028ency\x00"}}
    cache.put(LATENCY, record_cache.file_digest((mini.root / LATENCY).read_bytes()), lying)
    cache.save(whole_corpus=False)
    parses.clear()
    corpus = load_corpus(mini, cache=RecordCache.for_project(mini))
    assert {r.display: r.data for r in corpus.records} == fresh
    assert corpus.problems == []
    assert len(parses) == 1 and "id: latency" in parses[0]


def test_no_single_byte_flip_changes_a_record_silently(mini: Project) -> None:
    """Flip 300 bytes of a valid cache, one at a time, spread over the whole file: records always equal the files."""
    fresh = records_by_path(mini, None)
    path = filled_cache(mini)
    good = path.read_bytes()
    flips = 300
    changed: list[int] = []
    for n in range(flips):
        position = n * len(good) // flips
        flipped = bytearray(good)
        flipped[position] ^= 0x20 if n % 2 else 0x01
        path.write_bytes(bytes(flipped))
        corpus = load_corpus(mini, cache=RecordCache.for_project(mini))
        if {r.display: r.data for r in corpus.records} != fresh or corpus.problems:
            changed.append(position)
    assert changed == [], f"{len(changed)} of {flips} flips changed what was read"
