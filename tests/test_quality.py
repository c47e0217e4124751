"""`kg stats` and `kg stats --quality` on the fixture corpus, where every expected item is known."""

from __future__ import annotations

from kgtools.insights.quality import quality_report
from kgtools.insights.stats import collect_stats
from kgtools.pipeline import open_store
from kgtools.records.project import Project


def test_quality_report_lists_known_items(mini: Project) -> None:
    report = quality_report(open_store(mini))
    assert report["sources-never-cited"] == ["doc-design-patterns-review", "doc-final-report", "doc-project-plan"]
    assert report["technologies-in-no-case"] == ["apache-cassandra", "go"]
    assert report["concepts-without-relation"] == ["cqrs"]
    assert "saga-pattern" not in report["concepts-without-relation"]
    assert "coinbase-cross-border-payments#uses-1" in report["claims-backed-only-by-documents"]
    assert "coinbase-cross-border-payments#uses-4" not in report["claims-backed-only-by-documents"]  # Cadence: vendor page
    assert report["disagreements"] == [
        "case/coinbase-cross-border-payments#m-1 ≠ m-2",
        "case/coinbase-cross-border-payments#m-3 ≠ m-4",
        "case/coinbase-cross-border-payments#note-1 (contradicts)",
    ]


def test_stats_counts(mini: Project) -> None:
    stats = collect_stats(open_store(mini))
    assert stats["entities"]["technology"] == 6 and stats["entities"]["case"] == 1
    assert stats["disagreements"] == 3
    assert stats["case_claims"] == 14 and stats["case_claims_with_public_reference"] == 2
    assert stats["entity_relations"] > 40
