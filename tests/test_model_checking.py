"""SPIN on the atlas's Promela models: the correct models satisfy their claims; each broken variant is caught."""

from __future__ import annotations

import os
import shutil

import pytest

from kgtools.models import spin

from .conftest import ROOT

if os.environ.get("STACKATLAS_REQUIRE_SPIN") and shutil.which("spin") is None:
    raise RuntimeError("STACKATLAS_REQUIRE_SPIN is set but SPIN is not installed (apt-get install spin)")
pytestmark = pytest.mark.skipif(shutil.which("spin") is None, reason="needs SPIN (apt-get install spin)")

CLAIMS = spin.recorded_claims(ROOT)
CORRECT = [(m, c) for m, c, d, holds in CLAIMS if d is None and holds]
BROKEN = [(m, c, d) for m, c, d, holds in CLAIMS if d is not None and not holds]


def test_the_records_state_claims_for_both_kinds_of_run() -> None:
    assert len(CORRECT) >= 4 and len(BROKEN) >= 3


@pytest.mark.parametrize(("model", "claim", "defect", "holds"), CLAIMS, ids=[f"{m}-{c}-{d}" for m, c, d, _ in CLAIMS])
def test_the_graphs_verdict_is_spins_verdict(model: str, claim: str, defect: str | None, holds: bool) -> None:
    """The `holds` a record states (and the graph publishes as sa:holds) is what SPIN finds, run now."""
    assert spin.verify(model, claim, (defect,) if defect else ()).holds is holds


@pytest.mark.parametrize(("model", "claim", "defect"), BROKEN)
def test_the_published_trail_is_the_one_spin_gives(model: str, claim: str, defect: str) -> None:
    """The counterexample a model page shows (a committed file) is the one SPIN replays today."""
    published = spin.trail_file(model, claim, defect).read_text(encoding="utf-8")
    assert published == spin.render_trail(spin.verify(model, claim, (defect,)))


@pytest.mark.parametrize(("model", "claim"), CORRECT)
def test_correct_model_satisfies_its_claim(model: str, claim: str) -> None:
    verdict = spin.verify(model, claim)
    assert verdict.holds, verdict.output
    assert verdict.states > 0


@pytest.mark.parametrize(("model", "claim", "defect"), BROKEN)
def test_broken_variant_is_caught_with_a_counterexample(model: str, claim: str, defect: str) -> None:
    verdict = spin.verify(model, claim, (defect,))
    assert not verdict.holds
    assert spin.steps(verdict.trail), verdict.trail


def test_a_defect_breaks_only_its_own_claim() -> None:
    """The double credit breaks conservation but still settles: the claims are not vacuous in the same way."""
    assert spin.verify("cross-chain-transfer", "settles", ("DOUBLE_CREDIT",)).holds
    assert spin.verify("cross-chain-transfer", "conserves", ("FORGET_COMPENSATION",)).holds
