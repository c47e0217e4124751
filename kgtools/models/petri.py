"""Workflow nets (van der Aalst) and their soundness, by exploring the reachable markings.

Why our own small analyser: the nets here are small and bounded, a breadth-first
walk over the markings decides the three soundness conditions exactly, and the
tests check it against nets whose soundness is known (a sequence, a parallel
split and join, a choice that never joins, a deadlocking join). A net is sound when

1. from every marking reachable from [i], the final marking [o] is reachable (option to complete);
2. when a token reaches o, no other token is left (proper completion);
3. every transition can fire in some reachable marking (no dead transitions).

The saga with compensation (`saga_net`) is the net the atlas shows beside the
saga pattern and its Promela model; `saga_net(skip_first_compensation=True)` is
the broken variant, which strands a token and so is unsound.

>>> report = soundness(saga_net())
>>> report.sound, report.markings
(True, 7)
>>> soundness(saga_net(skip_first_compensation=True)).sound
False
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

Marking = tuple[tuple[str, int], ...]   # sorted (place, tokens) pairs with tokens > 0


@dataclass(frozen=True)
class Transition:
    name: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]


@dataclass
class WorkflowNet:
    places: set[str]
    transitions: list[Transition]
    source: str = "i"
    sink: str = "o"

    def __post_init__(self) -> None:
        for t in self.transitions:
            unknown = set(t.inputs + t.outputs) - self.places
            if unknown:
                raise ValueError(f"transition {t.name} names places that do not exist: {sorted(unknown)}")
        if any(self.source in t.outputs for t in self.transitions) or any(self.sink in t.inputs for t in self.transitions):
            raise ValueError("a workflow net's source has no incoming and its sink no outgoing arcs")


def _marking(tokens: dict[str, int]) -> Marking:
    return tuple(sorted((p, n) for p, n in tokens.items() if n))


def _fire(marking: Marking, t: Transition) -> Marking | None:
    tokens = dict(marking)
    for p in t.inputs:
        if tokens.get(p, 0) < 1:
            return None
        tokens[p] -= 1
    for p in t.outputs:
        tokens[p] = tokens.get(p, 0) + 1
    return _marking(tokens)


@dataclass
class Soundness:
    sound: bool
    markings: int
    cannot_complete: list[Marking] = field(default_factory=list)
    improper_completion: list[Marking] = field(default_factory=list)
    dead_transitions: list[str] = field(default_factory=list)
    unbounded: bool = False


def soundness(net: WorkflowNet, limit: int = 100_000) -> Soundness:
    """Decide soundness by exploring every marking reachable from [source] (at most `limit` of them)."""
    start, final = _marking({net.source: 1}), _marking({net.sink: 1})
    successors: dict[Marking, list[Marking]] = {}
    fired: set[str] = set()
    queue, seen = deque([start]), {start}
    while queue:
        marking = queue.popleft()
        successors[marking] = []
        for t in net.transitions:
            after = _fire(marking, t)
            if after is None:
                continue
            fired.add(t.name)
            successors[marking].append(after)
            if after not in seen:
                if len(seen) >= limit:
                    return Soundness(False, len(seen), unbounded=True)
                seen.add(after)
                queue.append(after)
    # markings from which the final marking can be reached: walk the reachability graph backwards
    predecessors: dict[Marking, list[Marking]] = {m: [] for m in successors}
    for m, nexts in successors.items():
        for n in nexts:
            predecessors[n].append(m)
    can_finish, back = {final} if final in successors else set(), deque([final] if final in successors else [])
    while back:
        for p in predecessors[back.popleft()]:
            if p not in can_finish:
                can_finish.add(p)
                back.append(p)
    stuck = sorted(m for m in successors if m not in can_finish)
    improper = sorted(m for m in successors if dict(m).get(net.sink, 0) >= 1 and m != final)
    dead = sorted(t.name for t in net.transitions if t.name not in fired)
    return Soundness(not stuck and not improper and not dead, len(successors), stuck, improper, dead)


def saga_net(skip_first_compensation: bool = False) -> WorkflowNet:
    """Three steps T1..T3, each may fail; a failure at step k runs compensations C(k-1)..C1, then the saga ends.

    Places: i, p1..p3 (after each step), u1..u2 (compensation of T1, of T2 pending), o.
    With `skip_first_compensation`, compensation of T2 ends the saga without undoing T1: a token is stranded.
    """
    places = {"i", "o", "p1", "p2", "p3", "u1", "u2"}
    ts = [
        Transition("T1", ("i",), ("p1",)), Transition("fail1", ("i",), ("o",)),
        Transition("T2", ("p1",), ("p2",)), Transition("fail2", ("p1",), ("u1",)),
        Transition("T3", ("p2",), ("p3",)), Transition("fail3", ("p2",), ("u2",)),
        Transition("commit", ("p3",), ("o",)),
        Transition("C2", ("u2",), ("u1",)),
    ]
    if skip_first_compensation:
        # compensating T2 wrongly also "finishes" the saga while T1's effect stays: a token is left in `kept`
        places |= {"kept"}
        ts[-1] = Transition("C2", ("u2",), ("o", "kept"))
        ts.append(Transition("C1", ("u1",), ("o",)))
    else:
        ts.append(Transition("C1", ("u1",), ("o",)))
    return WorkflowNet(places, ts)
