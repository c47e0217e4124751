"""`kg stats --since`: the claims whose public-check status changed between two graphs, read the same way from both."""

from __future__ import annotations

import re

from kgtools.insights.checks import Status, changed_claims
from kgtools.insights.enrich import published_graph
from kgtools.query.store import store_from_ntriples
from kgtools.records.project import Project

from .conftest import run_kg


def test_a_deprecated_usage_is_a_changed_check(mini: Project, capsys) -> None:
    before = store_from_ntriples(published_graph(mini, shacl=False).ntriples)
    (mini.root / "before.nt").write_text(published_graph(mini, shacl=False).ntriples, encoding="utf-8")
    case = next((mini.root / "corpus" / "cases").glob("*.yaml"))
    text = case.read_text(encoding="utf-8")
    match = re.search(r"^( *)- technology: postgresql\n", text, re.M)
    assert match
    pad = match.group(1) + "  "
    reason = (f"{pad}rank: deprecated\n{pad}rank_reason:\n{pad}  kind: contradicts\n"
              f"{pad}  text: {{zh: 公开资料与此矛盾。, en: A public source says otherwise.}}\n"
              f"{pad}  citations:\n{pad}  - {{source: temporal-coinbase-case-study, locator: test}}\n")
    case.write_text(text.replace(match.group(0), match.group(0) + reason, 1), encoding="utf-8")
    after = store_from_ntriples(published_graph(mini, shacl=False).ntriples)
    changes = changed_claims(before, after)
    assert [(c.rsplit("#", 1)[1], b, a) for c, b, a in changes] == [
        ("uses-2", Status(False, False), Status(True, False))]
    code, out, _err = run_kg(mini, capsys, "stats", "--since", str(mini.root / "before.nt"))
    assert code == 0
    assert "case claims whose public check changed since the earlier graph: 1" in out
    assert "#uses-2: documents only → deprecated" in out


def test_the_same_graph_has_no_changes(mini: Project) -> None:
    store = store_from_ntriples(published_graph(mini, shacl=False).ntriples)
    assert changed_claims(store, store) == []
