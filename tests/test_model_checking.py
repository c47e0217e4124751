"""SPIN on the atlas's Promela models: the correct models satisfy their claims; each broken variant is caught."""

from __future__ import annotations

import os
import shutil

import pytest

from kgtools.models import spin

if os.environ.get("STACKATLAS_REQUIRE_SPIN") and shutil.which("spin") is None:
    raise RuntimeError("STACKATLAS_REQUIRE_SPIN is set but SPIN is not installed (apt-get install spin)")
pytestmark = pytest.mark.skipif(shutil.which("spin") is None, reason="needs SPIN (apt-get install spin)")

CORRECT = [("cross-chain-transfer", "settles"), ("cross-chain-transfer", "conserves"),
           ("saga-compensation", "all_or_nothing"), ("saga-compensation", "finishes")]
BROKEN = [("cross-chain-transfer", "settles", "FORGET_COMPENSATION"),
          ("cross-chain-transfer", "conserves", "DOUBLE_CREDIT"),
          ("saga-compensation", "all_or_nothing", "SKIP_FIRST_COMPENSATION")]


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
