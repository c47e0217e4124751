"""Fuzzed and hostile record files: `kg check` answers every one with problem lines or a clean graph.

A record that passes is compiled, read back, and its N-Triples loaded into
pyoxigraph as `kg query` loads them: what the check accepts, the later stages
must take (tests/test_invariant.py holds the whole build to that).

Budget: FUZZ_EXAMPLES examples per property (200 by default; CI may raise it
with the STACKATLAS_FUZZ_EXAMPLES environment variable).
"""

from __future__ import annotations

import os
import time
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgtools.graph.compile import Compiler
from kgtools.graph.decompile import Decompiler
from kgtools.graph.dumps import canonical_ntriples
from kgtools.query.store import store_from_ntriples
from kgtools.records.check import check
from kgtools.records.project import Project

from .conftest import FIXTURE, copy_fixture

FUZZ_EXAMPLES = int(os.environ.get("STACKATLAS_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=5000, suppress_health_check=[HealthCheck.function_scoped_fixture])
TARGET = "corpus/technologies/fuzzed.yaml"


@pytest.fixture(scope="module")
def arena(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return copy_fixture(tmp_path_factory.mktemp("fuzz") / "atlas")


def outcome(project: Project, content: bytes) -> list[str]:
    """Write one record file, check it against the corpus, and insist on a clean verdict."""
    path = project.root / TARGET
    path.write_bytes(content)
    try:
        started = time.monotonic()
        result = check(project, [path])
        assert time.monotonic() - started < 5, "check took too long"
        for problem in result.problems:
            assert problem.path == TARGET and problem.line >= 1 and problem.message
        if not result.problems:
            # A record that passes must compile and read back unchanged.
            record = next(r for r in result.corpus.records if r.display == TARGET)
            compiler = Compiler(result.schemas)
            compiler.add_record(record)
            back = Decompiler(result.schemas, compiler.graph).record("technology", record.id)
            assert set(back) == set(record.data)
            ntriples = canonical_ntriples(compiler.triples)
            assert len(store_from_ntriples(ntriples)) == ntriples.count("\n")
        return [p.text() for p in result.problems]
    finally:
        path.unlink()


ODD_TEXT = st.text(alphabet=st.characters(codec="utf-8", categories=None), max_size=300) | st.sampled_from([
    "\u202eevil\u202c", "zero\u200bwidth", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀", "\ufeffbom", "<script>alert(1)</script>", "a" * 5000,
    '"; DROP GRAPH <x>; #', "\"\"\"^^<x> . <a> <b> <c> .", "line\nbreak", "javascript:alert(1)",
    "line\u2028separator", "para\u2029graph", "next\x85line", "trailing\n", "trailing ", "\ufffe", "\U0001fffe",
])


@FUZZ
@given(text=st.text(max_size=2000))
def test_any_text_gets_problems_or_passes(arena: Project, text: str) -> None:
    outcome(arena, text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(data=st.binary(max_size=2000))
def test_any_bytes_get_problems_or_pass(arena: Project, data: bytes) -> None:
    outcome(arena, data)


def valid_record() -> dict[str, Any]:
    return yaml.safe_load((FIXTURE / "corpus/technologies/temporal.yaml").read_text(encoding="utf-8")) | {"id": "fuzzed"}


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ODD_TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(ODD_TEXT, children, max_size=4),
    max_leaves=20,
)


@st.composite
def corrupted(draw: st.DrawFn) -> str:
    record = valid_record()
    mutation = draw(st.sampled_from(["drop", "extra", "retype", "deep", "text", "none"]))
    key = draw(st.sampled_from(sorted(record)))
    if mutation == "drop":
        record.pop(key)
    elif mutation == "extra":
        record[draw(ODD_TEXT)] = draw(JSONISH)
    elif mutation == "retype":
        record[key] = draw(JSONISH)
    elif mutation == "deep":
        value: Any = draw(ODD_TEXT)
        for _ in range(draw(st.integers(1, 40))):
            value = [value] if draw(st.booleans()) else {"k": value}
        record[key] = value
    elif mutation == "text":
        record["label"] = {"zh": draw(ODD_TEXT), "en": draw(ODD_TEXT)}
        record["description"] = {"zh": draw(ODD_TEXT), "en": draw(ODD_TEXT)}
        record["aliases"] = draw(st.lists(ODD_TEXT, max_size=3))
    text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False)
    extra = draw(st.sampled_from(["", "dup", "tag", "anchor"]))
    if extra == "dup":
        text += f"{key}: again\n"
    elif extra == "tag":
        text += "license: !!python/object:os.system ls\n"
    elif extra == "anchor":
        text = text.replace("label:", "label: &l", 1) + "note: *l\n"
    return text


@FUZZ
@given(text=corrupted())
def test_corrupted_records_get_problems_or_pass(arena: Project, text: str) -> None:
    outcome(arena, text.encode("utf-8", "surrogatepass"))


def test_untouched_record_passes(arena: Project) -> None:
    assert outcome(arena, yaml.safe_dump(valid_record(), allow_unicode=True).encode()) == []


def test_hostile_text_in_every_field_passes_as_plain_text(arena: Project) -> None:
    record = valid_record()
    record["label"] = {"zh": "<img src=x onerror=alert(1)>", "en": "<script>alert('x')</script>"}
    record["description"] = {"zh": '"""^^xsd:string . <a> <b> <c> .', "en": "'; DROP GRAPH <urn:x> #"}
    record["aliases"] = ["[link](javascript:alert(1))", "\u202eevil"]
    assert outcome(arena, yaml.safe_dump(record, allow_unicode=True).encode()) == []


@pytest.mark.parametrize(("content", "expected"), [
    (b"a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n", "anchors"),
    (b"a: " + b"[" * 200_000 + b"]" * 200_000, "nested more than"),
    (b"id: x\nlabel: !!python/object/apply:os.system [ls]\n", "tags"),
    (b"id: x\nlabel: \"\\u0000\"\n", "control character"),
    (b"id: x\n" + b"y" * 600_000, "byte limit"),
    (b"id: fuzzed\nhomepage: \"https://exa mple.org/<x>\"\n", "wrong form"),
    (b"id: fuzzed\nrepository: \"javascript:alert(1)\"\n", "wrong form"),
    (b"id: fuzzed\nhomepage: \"data:text/html,<script>alert(1)</script>\"\n", "wrong form"),
    (b"id: fuzzed\ndescription: {zh: x, en: \"a\\u2028b\"}\n", "line separator (U+2028)"),
    (b"id: fuzzed\n# note\xe2\x80\xa8homepage: https://evil.example\n", "YAML reads as a line end"),
    (b"id: fuzzed\nhomepage: \"https://temporal.io/\\n\"\n", "wrong form"),
    (b"id: fuzzed\nhomepage: \"https://a/b#c#d\"\n", "not an IRI the graph can hold"),
    (b"id: fuzzed\nlicense: \"MIT\\n\"\n", "wrong form"),
    (b"id: fuzzed\naliases: [.inf]\n", "not a finite number"),
], ids=["alias-bomb", "deep-nesting", "python-tag", "nul", "huge-file", "iri-space", "javascript-url", "data-url",
        "line-separator", "hidden-line-end", "iri-final-newline", "iri-two-fragments", "licence-final-newline", "inf"])
def test_hostile_inputs_are_refused_with_a_reason(arena: Project, content: bytes, expected: str) -> None:
    started = time.monotonic()
    lines = outcome(arena, content)
    assert time.monotonic() - started < 5
    assert any(expected in line for line in lines), lines


def test_fuzzing_left_corpus_clean(arena: Project) -> None:
    assert check(arena).problems == []
