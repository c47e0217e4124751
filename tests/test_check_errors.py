"""`kg check` on broken records: each kind of mistake gives exactly its own line, with file and line number."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kgtools.records.project import Project

from .conftest import run_kg


def run_check(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code, out, _ = run_kg(project, capsys, "check", *args)
    return code, [line for line in out.splitlines() if line.strip()]


def replace(path: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        file = root / path
        text = file.read_text(encoding="utf-8")
        assert old in text, f"fixture no longer contains {old!r}"
        file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return apply


def both(*edits: Callable[[Path], None]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        for edit in edits:
            edit(root)
    return apply


def write(path: str, data: bytes) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / path).write_bytes(data)
    return apply


CASE = "corpus/cases/coinbase-cross-border-payments.yaml"
TEMPORAL = "corpus/technologies/temporal.yaml"

BAD_RECORDS = [
    ("malformed-yaml", write("corpus/technologies/broken.yaml", b"id: broken\nlabel: [zh\n"),
     "corpus/technologies/broken.yaml:3: (yaml): YAML syntax error"),
    ("wrong-type", replace(TEMPORAL, "license: MIT", "license: [MIT]"),
     "corpus/technologies/temporal.yaml:18: license: expected text, found a list"),
    ("unknown-key", replace(TEMPORAL, "homepage:", "homepag:"),
     "corpus/technologies/temporal.yaml:16: homepag: unknown field `homepag` [did you mean `homepage`?]"),
    ("missing-field", replace("corpus/technologies/kubernetes.yaml", "categories: [container-orchestration]\n", ""),
     "corpus/technologies/kubernetes.yaml:2: categories: required field `categories` is missing"),
    ("duplicate-id", replace("corpus/technologies/cadence.yaml", "id: cadence", "id: temporal"),
     "corpus/technologies/temporal.yaml:2: id: duplicate id `temporal` [also used by corpus/technologies/cadence.yaml:2"),
    ("id-not-file-name", replace("corpus/technologies/kubernetes.yaml", "id: kubernetes", "id: k8s"),
     "corpus/technologies/kubernetes.yaml:2: id: id `k8s` differs from the file name `kubernetes.yaml`"),
    ("empty-file", write("corpus/technologies/empty.yaml", b""),
     "corpus/technologies/empty.yaml:1: (file): file is empty"),
    ("not-utf8", write("corpus/technologies/latin.yaml", b"id: latin\n# caf\xe9\n"),
     "corpus/technologies/latin.yaml:2: (file): not valid UTF-8 (byte 0xe9)"),
    ("bad-reference", replace(CASE, "  - technology: kubernetes", "  - technology: kubernets"),
     f"{CASE}:24: stack[2].technology: no technology with id `kubernets` [did you mean `kubernetes`?]"),
    ("wrong-kind-reference", replace(CASE, "industry: fintech", "industry: postgresql"),
     f"{CASE}:10: industry: no concept with id `postgresql` [`postgresql` is a technology, but this field needs a concept]"),
    ("wrong-scheme", replace(CASE, "industry: fintech", "industry: throughput"),
     f"{CASE}:10: industry: `throughput` is not in the `industries` scheme"),
    ("missing-source", replace(CASE, "source: temporal-coinbase-case-study, locator: \"NOTE at the top of the page\"}\n  - kind: confirms",
                               "source: temporal-case, locator: \"NOTE at the top of the page\"}\n  - kind: confirms"),
     f"{CASE}:99: notes[0].citations[0].source: no source with id `temporal-case`"),
    ("broader-cycle", write("corpus/concepts/latency.yaml",
                         (Path(__file__).parent / "fixtures/mini/corpus/concepts/latency.yaml").read_bytes()
                         + b"broader: [p99-latency]\n"),
     "corpus/concepts/latency.yaml:11: broader: broader forms a cycle: latency → p99-latency → latency"),
    ("duplicate-key", write("corpus/organizations/twice.yaml", b"id: twice\nid: again\n"),
     "corpus/organizations/twice.yaml:2: id: duplicate key `id` (first at line 1)"),
    ("number-without-unit", replace(CASE, "    value: 847\n    unit: tasks/s\n", "    value: 847\n"),
     f"{CASE}:41: figures[0]: `value` needs `unit`"),
    ("javascript-url", replace(TEMPORAL, "homepage: https://temporal.io", "homepage: \"javascript:alert(1)\""),
     "corpus/technologies/temporal.yaml:16: homepage: `javascript:alert(1)` has the wrong form"),
    ("yaml-alias", write("corpus/organizations/alias.yaml", b"id: alias\nlabel: &x {zh: a, en: a}\ndescription: *x\n"),
     "corpus/organizations/alias.yaml:2: (yaml): YAML anchors (&name) are not allowed"),
    ("implements-a-category", replace(TEMPORAL, "implements: [event-sourcing, saga-pattern]",
                                      "implements: [event-sourcing, workflow-engine]"),
     "corpus/technologies/temporal.yaml:11: implements[1]: `workflow-engine` is a concept of `technology-categories`, "
     "not a mechanism or pattern"),
    ("integrates-with-a-language", both(
        replace("corpus/technologies/kubernetes.yaml", "categories: [container-orchestration]", "categories: [programming-language]"),
        write("corpus/concepts/programming-language.yaml",
              b"id: programming-language\ntype: concept\nscheme: technology-categories\n"
              b"label: {zh: \xe7\xbc\x96\xe7\xa8\x8b\xe8\xaf\xad\xe8\xa8\x80, en: Programming language}\n"
              b"description: {zh: \xe8\xaf\xad\xe8\xa8\x80, en: A language.}\n"
              b"citations: [{source: doc-stack-plan, locator: x, section: s1.3.1}]\n")),
     "corpus/technologies/temporal.yaml:12: integrates_with[2]: `kubernetes` is a programming language [use `written_in`"),
    ("related-to-a-scheme", replace("corpus/concepts/cqrs.yaml", "scheme: architecture-patterns",
                                    "scheme: architecture-patterns\nrelated: [metrics]"),
     "corpus/concepts/cqrs.yaml:5: related[0]: `metrics` is a concept scheme, not a concept"),
    ("description-in-documents-voice", replace(TEMPORAL, "通过记录事件历史", "文档称它通过记录事件历史"),
     "corpus/technologies/temporal.yaml:8: description.zh: the description speaks for the documents (“文档称”) "
     "[say what it is in the description and move the documents' view to `documents_view`]"),
    ("case-description-in-documents-voice", replace(CASE, "所述案例把", "种子文档把"),
     "corpus/cases/coinbase-cross-border-payments.yaml:7: description.zh: the description speaks for the documents "
     "(“种子文档”) [say what the case is in the description; how well a claim is backed goes in `notes`"),
]


@pytest.mark.parametrize(("corrupt", "expected"), [(c, e) for _, c, e in BAD_RECORDS], ids=[n for n, _, _ in BAD_RECORDS])
def test_bad_record_reports_its_line(mini: Project, capsys: pytest.CaptureFixture[str],
                                     corrupt: Callable[[Path], None], expected: str) -> None:
    corrupt(mini.root)
    code, lines = run_check(mini, capsys)
    assert code == 1
    assert any(line.startswith(expected) for line in lines), "\n".join(lines)
    assert not any("Traceback" in line for line in lines)


def test_all_problems_reported_at_once(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    for _, corrupt, _ in BAD_RECORDS[:8]:
        corrupt(mini.root)
    code, lines = run_check(mini, capsys)
    assert code == 1
    for _, _, expected in BAD_RECORDS[:8]:
        if "duplicate id" in expected or "k8s" in expected:
            continue  # these two interact with each other's edits
        assert any(line.startswith(expected) for line in lines), expected


def test_clean_corpus_prints_summary(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = run_check(mini, capsys)
    assert code == 0
    assert lines == [lines[0]] and lines[0].startswith("checked ") and lines[0].endswith("no problems")


def test_check_named_files_reports_only_those(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    replace(TEMPORAL, "homepage:", "homepag:")(mini.root)
    replace(CASE, "  - technology: kubernetes", "  - technology: kubernets")(mini.root)
    code, lines = run_check(mini, capsys, "corpus/technologies/temporal.yaml")
    assert code == 1
    assert lines and all(line.startswith("corpus/technologies/temporal.yaml:") for line in lines)
    code, lines = run_check(mini, capsys, CASE)
    assert code == 1 and all(line.startswith(CASE) for line in lines)


def test_github_and_json_formats(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    replace(TEMPORAL, "homepage:", "homepag:")(mini.root)
    code, lines = run_check(mini, capsys, "--format", "github")
    assert code == 1
    assert lines[0].startswith("::error file=corpus/technologies/temporal.yaml,line=16,title=homepag::unknown field")
    code, lines = run_check(mini, capsys, "--format", "json")
    problems = json.loads("\n".join(lines))
    assert problems[0]["path"] == "corpus/technologies/temporal.yaml" and problems[0]["line"] == 16


@pytest.mark.parametrize("field", ["implements", "integrates_with"])
def test_a_list_field_given_a_scalar_is_a_problem_not_a_crash(mini: Project, capsys: pytest.CaptureFixture[str],
                                                               field: str) -> None:
    """The relation rules read these fields as lists; a scalar there is the schema's finding (the fuzzer found the crash)."""
    file = mini.root / "corpus/technologies/temporal.yaml"
    text = file.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith(f"{field}:"))
    file.write_text(text.replace(line, f"{field}: true", 1), encoding="utf-8")
    code, lines = run_check(mini, capsys)
    assert code == 1
    assert any(field in line for line in lines), "\n".join(lines)
    assert not any("Traceback" in line for line in lines)
