"""One invariant, by property: any corpus `kg check` accepts, `kg build` builds, and `kg query`/`kg serve` load.

Issue 15, item 1. Values of every field kind (text, IRI, date, number, id and
reference, licence and the other plain strings) are drawn with characters of
every class (line and paragraph separators, NEL, lone carriage returns,
trailing whitespace and newlines, controls, surrogates, noncharacters, bidi
and zero-width marks, IRI delimiters), non-finite and extreme numbers, odd
file names and long chains of references, and written into a copy of the
fixture corpus. `check` may refuse anything; whenever it finds no problem, the
graph is built in-process exactly as `kg build --graph-only` builds it (check,
compile, SHACL, analytics, dumps, VoID), every dump is loaded into pyoxigraph
as `kg query` and `kg serve` load it, and the accepted value is found
published unchanged.

Budget, examples per property: 20 for each of the eight field kinds and for
odd file names, 5 for reference chains (up to 120 records each), 150 for the
two validators' agreement; `STACKATLAS_FUZZ_EXAMPLES=N` sets the field kinds
and file names to N examples each (CI), chains to N/20 and agreement to 6N.
About 35 s in all at the default budget (a value `check` accepts costs a
whole build, ~0.25 s).
"""

from __future__ import annotations

import copy
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import yaml
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from kgtools.pipeline import build_graph_into
from kgtools.query.store import load_dump, store_from_ntriples
from kgtools.records.check import check
from kgtools.records.loader import read_record
from kgtools.records.project import Project
from kgtools.records.schemas import SchemaSet

from .conftest import FIXTURE, ROOT, copy_fixture

_BUDGET = os.environ.get("STACKATLAS_FUZZ_EXAMPLES")
EXAMPLES = int(_BUDGET) if _BUDGET else 20
CHAIN_EXAMPLES = max(2, EXAMPLES // 20) if _BUDGET else 5
AGREEMENT_EXAMPLES = 6 * EXAMPLES if _BUDGET else 150
COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
          "database": None}

TEMPORAL = "corpus/technologies/temporal.yaml"
KUBERNETES = "corpus/technologies/kubernetes.yaml"
CASE = "corpus/cases/coinbase-cross-border-payments.yaml"
BENCH = "corpus/assessments/fixture-benchmark.yaml"
FIT = "corpus/assessments/fixture-fit-matrix.yaml"
REPORT = "corpus/sources/doc-final-report.yaml"
STORY = "corpus/sources/temporal-coinbase-case-study.yaml"
LATENCY = "corpus/concepts/latency.yaml"

# (field kind, file, pointer to the value)
FIELDS: list[tuple[str, str, tuple[str | int, ...]]] = [
    ("text", TEMPORAL, ("description", "en")), ("text", TEMPORAL, ("label", "zh")),
    ("text", CASE, ("stack", 0, "role", "en")), ("text", LATENCY, ("label", "en")),
    ("iri", TEMPORAL, ("homepage",)), ("iri", TEMPORAL, ("repository",)), ("iri", STORY, ("url",)),
    ("date", STORY, ("accessed",)), ("date", REPORT, ("date",)),
    ("number", BENCH, ("measurements", 0, "value")), ("number", CASE, ("figures", 0, "value")),
    ("number", FIT, ("ratings", 0, "score")),
    ("id", TEMPORAL, ("successor_of", 0)), ("id", CASE, ("industry",)), ("id", TEMPORAL, ("citations", 0, "source")),
    ("licence", TEMPORAL, ("license",)), ("qid", KUBERNETES, ("wikidata",)),
    ("string", TEMPORAL, ("version",)), ("string", TEMPORAL, ("aliases", 0)),
    ("string", TEMPORAL, ("citations", 0, "locator")), ("string", BENCH, ("measurements", 0, "unit")),
    ("string", REPORT, ("language",)), ("string", REPORT, ("file",)),
]
FIELD_KINDS = list(dict.fromkeys(kind for kind, _, _ in FIELDS))
LANG_OF = {"zh": "zh", "en": "en"}

# Characters of every class that ever broke, or could break, a later stage; a class is drawn first, then one of it.
CHAR_CLASSES: dict[str, list[str]] = {
    "line ends": ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"],
    "spaces": [" ", "  ", "\t", "\u00a0", "\u3000", "\u2000", "\u205f", "\u180e"],
    "controls": ["\x00", "\x01", "\x1b", "\x7f", "\x80", "\x9b", "\x9f"],
    "format": ["\u200b", "\u200d", "\u202e", "\u2066", "\ufeff", "\u00ad", "\U000e0001"],
    "unpaired and noncharacters": ["\ud800", "\udfff", "\ufffe", "\uffff", "\ufdd0", "\U0001fffe", "\U0010ffff"],
    "private and other": ["\ue000", "\U000f0000", "\ufffd", "😀", "中", "e\u0301", "ﬃ"],
    "syntax": ["#", "%", "%zz", "%41", "<", ">", '"', "\\", "{", "}", "|", "^", "`", "'", "@", ":", "?", "/", "[",
               "]", "&", "*", "!", "-", ".", ".."],
    "injection": ["\\u2028", "\\n", '"""', "<script>", "@en", "^^<x>", " .\n<a> <b> <c>"],
}
SPECIAL_CHARS = [char for chars in CHAR_CLASSES.values() for char in chars]
ANY_CHAR = st.characters(codec=None, categories=None)
CHARS = st.one_of(*(st.sampled_from(chars) for chars in CHAR_CLASSES.values()), ANY_CHAR)
BASES = {
    "text": ["A durable-execution platform.", "工作流编排", "x"], "iri": ["https://temporal.io", "http://a.example/x?y#z"],
    "date": ["2025", "2025-01", "2024-02-29"], "id": ["cadence", "fintech", "doc-stack-plan"], "licence": ["MIT"],
    "qid": ["Q22661306"], "string": ["v1.24+", "1.1.2", "ms", "zh", "a.txt"], "number": ["195"],
}
SPECIALS: dict[str, list[Any]] = {
    "iri": ["https://a#b#c", "https://a/%", "https://a:xyz/", "https://[x", "https://a/\ufdd0", "https:///x",
            "https://a@b@c/", "https://a/\ue000", "https://a/?\ue000", "https://ä.example/", "https://[::1]/",
            "https://a/\u00ad", "HTTPS://A", "https://a/" + "x" * 1990, "javascript:alert(1)"],
    "date": ["2025-02-29", "2023-02-31", "0000", "0000-01-01", "9999-12-31", "2025-13", "2025-1", "20250101"],
    "id": ["cadence", "postgresql", "kubernetes", "fintech", "doc-stack-plan", "temporal-coinbase-case-study"],
    "number": [float("inf"), float("-inf"), float("nan"), 1e308, -1e308, 5e-324, -0.0, 10**15, 10**15 + 1, 10**40,
               True, False, None, "195", 0.1 + 0.2],
}


# Each pattern kind's own form (the schema's pattern without anchors): values the pattern lets through, to find
# what else in the build could still refuse them (an IRI parser, a calendar).
FORMS = {
    "iri": r"https?://[^\s<>\"{}|\\^`]+", "date": r"[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?",
    "licence": r"[A-Za-z0-9.+-]+", "qid": r"Q[1-9][0-9]*", "id": r"[a-z0-9]+(-[a-z0-9]+)*",
}


@st.composite
def values(draw: st.DrawFn, kind: str) -> Any:
    """A value for a field of `kind`: a valid one with odd characters put in, a special case, one of the
    field's own form, or anything at all."""
    how = draw(st.sampled_from(["mutated", "special", "form", "random"]))
    if kind == "number":
        return draw(st.sampled_from(SPECIALS["number"]) | st.integers(-(10**6), 10**6) | st.floats(-1e9, 1e9)
                    | st.floats(allow_nan=True, allow_infinity=True) | st.integers())
    if how == "special" and kind in SPECIALS:
        return draw(st.sampled_from(SPECIALS[kind]))
    if how == "form" and kind in FORMS:
        return draw(st.from_regex(FORMS[kind], fullmatch=True).filter(lambda text: len(text) < 200))
    if how == "random":
        return "".join(draw(st.lists(CHARS, max_size=12)))
    value = draw(st.sampled_from(BASES[kind]))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.sampled_from([0, len(value), draw(st.integers(0, len(value)))]))
        value = value[:at] + draw(CHARS) + value[at:]
    return value


@pytest.fixture(scope="module")
def arena(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return copy_fixture(tmp_path_factory.mktemp("invariant") / "atlas")


def dumped(data: Any, escapes: bool) -> bytes:
    """YAML for `data` as a contributor might write it: characters as they are, or as escapes."""
    if not escapes:
        try:
            return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")
        except UnicodeEncodeError:
            pass  # lone surrogates have no UTF-8: write them as escapes
    return yaml.safe_dump(data, allow_unicode=False, sort_keys=False).encode("ascii")


def place(data: dict[str, Any], pointer: tuple[str | int, ...], value: Any) -> None:
    node: Any = data
    for part in pointer[:-1]:
        node = node[part]
    node[pointer[-1]] = value


def value_at(data: Any, pointer: tuple[str | int, ...]) -> Any:
    for part in pointer:
        data = data[part]
    return data


def built_and_loaded(project: Project, staging: Path) -> ox.Store:
    """Build as `kg build --graph-only` does; load every dump as `kg query` and `kg serve` do; return the N-Triples store."""
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    build_graph_into(project, staging)
    for name in ("stackatlas.nt", "stackatlas.ttl", "stackatlas.jsonld", "void.ttl"):
        assert len(load_dump(staging / name)) > 0, name
    return store_from_ntriples((staging / "stackatlas.nt").read_text(encoding="utf-8"))


def published_term(kind: str, pointer: tuple[str | int, ...], value: Any) -> ox.NamedNode | ox.Literal | None:
    """The term an accepted value must appear as in the published graph (None where it is not one term)."""
    if not isinstance(value, str):
        return None
    if kind == "text":
        return ox.Literal(value, language=LANG_OF[str(pointer[-1])])
    if kind == "iri":
        return ox.NamedNode(value)
    if kind in ("licence", "string") and pointer[-1] not in ("language",):
        return ox.Literal(value)
    return None


def verdict(project: Project) -> list[str]:
    """`kg check` over the whole corpus: it must answer quickly, with problem lines or none, and never raise."""
    started = time.monotonic()
    result = check(project)
    assert time.monotonic() - started < 10
    for problem in result.problems:
        assert problem.line >= 1 and problem.message and problem.path
    return [p.text() for p in result.problems]


@pytest.mark.parametrize("kind", FIELD_KINDS)
@settings(max_examples=EXAMPLES, **COMMON)
@given(data=st.data())
def test_every_field_kind_accepted_by_check_is_built_and_loaded(arena: Project, tmp_path_factory: pytest.TempPathFactory,
                                                               kind: str, data: st.DataObject) -> None:
    _, name, pointer = data.draw(st.sampled_from([f for f in FIELDS if f[0] == kind]), label="field")
    value = data.draw(values(kind), label="value")
    path = arena.root / name
    original = path.read_bytes()
    record = copy.deepcopy(yaml.safe_load(original))
    place(record, pointer, value)
    path.write_bytes(dumped(record, data.draw(st.booleans(), label="escapes")))
    try:
        if verdict(arena):
            event("refused by check")
            return
        event("accepted, built and loaded")
        store = built_and_loaded(arena, tmp_path_factory.getbasetemp() / "invariant-build")
        read = next(r for r in check(arena).corpus.records if r.display == name)
        term = published_term(kind, pointer, value_at(read.data, pointer))
        if term is not None:
            assert any(True for _ in store.quads_for_pattern(None, None, term)), f"{term} is not published as written"
    finally:
        path.write_bytes(original)


# The probes of issue 15, each a value `kg check` used to accept and `kg build` could not build.
PROBES: list[tuple[str, str, tuple[str | int, ...], Any]] = [
    ("line separator in a description", TEMPORAL, ("description", "en"), "A durable\u2028execution platform."),
    ("paragraph separator in a label", LATENCY, ("label", "en"), "Latency\u2029"),
    ("homepage with a final newline", TEMPORAL, ("homepage",), "https://temporal.io/\n"),
    ("two fragments in an IRI", TEMPORAL, ("homepage",), "https://a#b#c"),
    ("a bare percent sign in an IRI", STORY, ("url",), "https://a/%"),
    ("date with a final newline", REPORT, ("date",), "2025\n"),
    ("the 31st of February", STORY, ("accessed",), "2023-02-31"),
    ("licence with a final newline", TEMPORAL, ("license",), "MIT\n"),
    ("Wikidata id with a final newline", KUBERNETES, ("wikidata",), "Q1\n"),
    ("not a number", BENCH, ("measurements", 0, "value"), float("nan")),
    ("infinity", CASE, ("figures", 0, "value"), float("inf")),
]


@pytest.mark.parametrize(("name", "pointer", "value"), [p[1:] for p in PROBES], ids=[p[0] for p in PROBES])
def test_each_probe_of_the_issue_is_refused_or_built(arena: Project, tmp_path_factory: pytest.TempPathFactory,
                                                    name: str, pointer: tuple[str | int, ...], value: Any) -> None:
    path = arena.root / name
    original = path.read_bytes()
    record = yaml.safe_load(original)
    place(record, pointer, value)
    path.write_bytes(dumped(record, escapes=True))
    try:
        problems = verdict(arena)
        if not problems:
            built_and_loaded(arena, tmp_path_factory.getbasetemp() / "invariant-build")
    finally:
        path.write_bytes(original)
    assert [line for line in problems if line.startswith(f"{name}:")], "refused, with the file named"


NAME_CHARS = st.sampled_from([c for c in SPECIAL_CHARS if "/" not in c and "\x00" not in c]) | st.characters(
    codec=None, categories=None, exclude_characters="/\x00")


@settings(max_examples=EXAMPLES, **COMMON)
@given(stem=st.lists(NAME_CHARS, min_size=1, max_size=12).map("".join)
       | st.sampled_from(["latency-2", "a", "-", ".x", "x.y", "Ab"]),
       suffix=st.sampled_from([".yaml", ".yml", ".YAML", ".yaml.yaml", ".yaml~"]))
def test_odd_file_names_are_refused_or_built(arena: Project, tmp_path_factory: pytest.TempPathFactory,
                                            stem: str, suffix: str) -> None:
    name = stem + suffix
    assume(name not in (".", "..") and "/" not in name)
    try:
        encoded = os.fsencode(name)
    except UnicodeEncodeError:
        assume(False)
        return
    assume(len(encoded) <= 255)
    folder = arena.root / "corpus" / "concepts"
    path = folder / name
    assume(not path.exists())
    record = yaml.safe_load((arena.root / LATENCY).read_bytes()) | {"id": stem}
    try:
        path.write_bytes(dumped(record, escapes=True))
    except OSError:
        assume(False)
        return
    try:
        if verdict(arena):
            event("refused by check")
        else:
            event("accepted, built and loaded")
            built_and_loaded(arena, tmp_path_factory.getbasetemp() / "invariant-build")
    finally:
        path.unlink()


@settings(max_examples=CHAIN_EXAMPLES, **COMMON)
@given(length=st.integers(2, 120), field=st.sampled_from(["broader", "related", "successor_of", "alternative_to"]),
       closed=st.booleans())
def test_long_chains_of_references_are_refused_or_built(arena: Project, tmp_path_factory: pytest.TempPathFactory,
                                                       length: int, field: str, closed: bool) -> None:
    concept = field in ("broader", "related")
    template = yaml.safe_load((arena.root / (LATENCY if concept else TEMPORAL)).read_bytes())
    folder = arena.root / "corpus" / ("concepts" if concept else "technologies")
    written = []
    for n in range(length):
        target = n - 1 if n else (length - 1 if closed else None)
        record = {k: v for k, v in template.items() if k not in ("successor_of", "alternative_to", "integrates_with")}
        record["id"] = f"chain-{n}"
        if target is not None:
            record[field] = [f"chain-{target}"]
        path = folder / f"chain-{n}.yaml"
        path.write_bytes(dumped(record, escapes=False))
        written.append(path)
    try:
        problems = verdict(arena)
        if field == "broader" and closed:
            assert any("broader forms a cycle" in line for line in problems)
        event("refused by check" if problems else "accepted, built and loaded")
        if not problems:
            built_and_loaded(arena, tmp_path_factory.getbasetemp() / "invariant-build")
    finally:
        for path in written:
            path.unlink()


@pytest.fixture(scope="module")
def schemas() -> SchemaSet:
    return SchemaSet.load(ROOT / "ontology" / "schemas")


@settings(max_examples=AGREEMENT_EXAMPLES, **COMMON)
@given(data=st.data())
def test_both_validators_agree_on_every_pattern_and_datatype(schemas: SchemaSet, tmp_path_factory: pytest.TempPathFactory,
                                                             data: st.DataObject) -> None:
    """jsonschema-rs (the fast path) and jsonschema (the messages) give one verdict on what the loader lets through."""
    kind, name, pointer = data.draw(st.sampled_from(FIELDS), label="field")
    record = yaml.safe_load((FIXTURE / name).read_bytes())
    place(record, pointer, data.draw(values(kind), label="value"))
    folder = tmp_path_factory.getbasetemp() / "agreement"
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(dumped(record, data.draw(st.booleans(), label="escapes")))
    read, _problems = read_record(path, Project(folder))
    assume(read is not None)
    assert read is not None
    fast = schemas.surely_valid(read.kind, read.data)
    slow = not any(True for _ in schemas.validators[read.kind].iter_errors(read.data))
    assert fast == slow, (read.data, fast, slow)
