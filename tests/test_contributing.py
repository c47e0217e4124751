"""The contributor's path: scaffold → fill → check, and a semantic diff for review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from kgtools.records.project import Project

from .conftest import git, run_kg

kg = run_kg


FILLED_CASE = {
    "label": {"zh": "Acme 订单流水线", "en": "Acme order pipeline"},
    "description": {"zh": "一个用于测试的虚构案例。", "en": "A made-up case used by the tests."},
    "industry": "fintech",
    "stack": [{"technology": "temporal", "role": {"zh": "编排", "en": "orchestration"},
               "citations": [{"source": "doc-stack-plan", "locator": "1.1.1", "section": "s1.1.1"}]}],
    "citations": [{"source": "doc-stack-plan", "locator": "1.1.1", "section": "s1.1.1"}],
}


def test_scaffold_then_fill_then_check_passes(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kg(mini, capsys, "new", "case", "acme-orders")
    assert code == 0 and "corpus/cases/acme-orders.yaml" in out
    path = mini.root / "corpus/cases/acme-orders.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../ontology/schemas/case.schema.json")
    assert "# 行业 / Industry" in text  # every field explained
    code, out, _ = kg(mini, capsys, "check", "corpus/cases/acme-orders.yaml")
    assert code == 1
    data = yaml.safe_load(text)
    data.update(FILLED_CASE)
    path.write_text(text.splitlines()[0] + "\n" + yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out, _ = kg(mini, capsys, "check", "corpus/cases/acme-orders.yaml")
    assert code == 0, out


def test_each_placeholder_left_gives_its_own_message(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    kg(mini, capsys, "new", "case", "acme-orders")
    _, out, _ = kg(mini, capsys, "check", "corpus/cases/acme-orders.yaml")
    lines = out.splitlines()
    expected_fields = ["label.zh", "label.en", "description.zh", "description.en", "industry",
                       "stack[0].technology", "stack[0].citations[0].source", "stack[0].citations[0].locator",
                       "citations[0].source", "citations[0].locator"]
    fields = [line.split(": ")[1] for line in lines]
    assert fields == expected_fields
    assert all("still holds the placeholder from `kg new`" in line for line in lines)
    industry = next(line for line in lines if ": industry:" in line)
    assert industry.startswith("corpus/cases/acme-orders.yaml:") and "industries" in industry


@pytest.mark.parametrize("kind", ["technology", "concept", "organization", "source", "assessment"])
def test_scaffold_every_kind_flags_only_placeholders(mini: Project, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    assert kg(mini, capsys, "new", kind, "fresh-thing")[0] == 0
    folder = {"technology": "technologies"}.get(kind, kind + "s")
    code, out, _ = kg(mini, capsys, "check", f"corpus/{folder}/fresh-thing.yaml")
    assert code == 1
    assert out.strip() and all("placeholder" in line for line in out.splitlines()), out


@pytest.mark.parametrize(("kind", "record_id", "reason"), [
    ("case", "Acme_Orders", "is not a valid id"),
    ("technology", "temporal", "already exists"),
    ("widget", "x", "unknown kind"),
])
def test_scaffold_refuses_bad_or_taken_ids(mini: Project, capsys: pytest.CaptureFixture[str],
                                           kind: str, record_id: str, reason: str) -> None:
    code, _, err = kg(mini, capsys, "new", kind, record_id)
    assert code == 1 and reason in err


def _known_change(root: Path) -> None:
    kubernetes = root / "corpus/technologies/kubernetes.yaml"
    kubernetes.write_text(kubernetes.read_text(encoding="utf-8").replace("aliases: [K8s]", "aliases: [K8s, Kube]"),
                          encoding="utf-8")
    cadence = root / "corpus/technologies/cadence.yaml"
    cadence.write_text(cadence.read_text(encoding="utf-8").replace("license: MIT\n", ""), encoding="utf-8")


def test_diff_of_known_change_on_dirty_tree(repo: Project, capsys: pytest.CaptureFixture[str]) -> None:
    _known_change(repo.root)
    code, out, _ = kg(repo, capsys, "diff", "HEAD", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["summary"] == {"added": 0, "removed": 0, "changed": 2}
    entities = {e["iri"].rsplit("/", 1)[-1]: e for e in report["entities"]}
    assert entities["kubernetes"]["added"] == ['skos:altLabel → "Kube"']
    assert entities["kubernetes"]["removed"] == []
    assert entities["cadence"]["removed"] == ['schema:license → "MIT"']
    assert entities["cadence"]["label"] == "Cadence"


def test_diff_between_two_revisions_with_added_entity(repo: Project, capsys: pytest.CaptureFixture[str]) -> None:
    org = repo.root / "corpus/organizations/acme.yaml"
    org.write_text("id: acme\nlabel: {zh: 阿克米, en: Acme}\ndescription: {zh: 测试组织。, en: A test organization.}\n"
                   "citations: [{source: doc-stack-plan, locator: 3.1.1 典型案例, section: s3.1.1}]\n", encoding="utf-8")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-q", "-m", "add acme")
    code, out, _ = kg(repo, capsys, "diff", "HEAD~1", "HEAD")
    assert code == 0
    assert out.splitlines()[0] == "ADDED    organization/acme (Acme)"
    assert '  + skos:prefLabel → "阿克米"@zh' in out.splitlines()
    code, out, _ = kg(repo, capsys, "diff", "HEAD~1", "HEAD", "--format", "markdown")
    assert out.startswith("### Graph diff") and "added: <code>organization/acme</code>" in out


def test_diff_of_unknown_revision_is_a_clear_error(repo: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = kg(repo, capsys, "diff", "no-such-rev")
    assert code == 1 and "cannot read revision `no-such-rev`" in err
