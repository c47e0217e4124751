"""Workflow-net soundness, checked on nets whose soundness is known, then on the saga."""

from __future__ import annotations

import pytest

from kgtools.models.petri import Transition, WorkflowNet, saga_net, soundness


def net(places: str, *arcs: tuple[str, str, str]) -> WorkflowNet:
    return WorkflowNet(set(places.split()), [Transition(n, tuple(i.split()), tuple(o.split())) for n, i, o in arcs])


KNOWN = [
    ("sequence", net("i p o", ("a", "i", "p"), ("b", "p", "o")), True),
    ("and-split-and-join", net("i p q r s o", ("split", "i", "p q"), ("a", "p", "r"), ("b", "q", "s"),
                               ("join", "r s", "o")), True),
    ("xor-split-xor-join", net("i p q o", ("a", "i", "p"), ("b", "i", "q"), ("c", "p", "o"), ("d", "q", "o")), True),
    ("and-split-xor-join", net("i p q o", ("split", "i", "p q"), ("c", "p", "o"), ("d", "q", "o")), False),
    ("xor-split-and-join", net("i p q o", ("a", "i", "p"), ("b", "i", "q"), ("join", "p q", "o")), False),
    ("dead-transition", net("i p q o", ("a", "i", "p"), ("b", "p", "o"), ("never", "q", "o")), False),
]


@pytest.mark.parametrize(("name", "workflow", "expected"), KNOWN, ids=[k[0] for k in KNOWN])
def test_known_nets(name: str, workflow: WorkflowNet, expected: bool) -> None:
    assert soundness(workflow).sound is expected


def test_reasons_are_reported() -> None:
    assert soundness(KNOWN[3][1]).improper_completion          # a token left beside o
    assert soundness(KNOWN[4][1]).cannot_complete              # the join waits for ever
    assert soundness(KNOWN[5][1]).dead_transitions == ["never"]


def test_unbounded_net_is_caught() -> None:
    pump = net("i p o", ("start", "i", "p"), ("grow", "p", "p p"), ("end", "p", "o"))
    report = soundness(pump, limit=50)
    assert report.unbounded and not report.sound


def test_saga_net_is_sound_and_its_broken_variant_is_not() -> None:
    assert soundness(saga_net()).sound
    broken = soundness(saga_net(skip_first_compensation=True))
    assert not broken.sound and broken.improper_completion


def test_malformed_nets_are_refused() -> None:
    with pytest.raises(ValueError, match="do not exist"):
        net("i o", ("a", "i", "x"))
    with pytest.raises(ValueError, match="source has no incoming"):
        net("i o", ("a", "i", "o"), ("back", "o", "i"))
