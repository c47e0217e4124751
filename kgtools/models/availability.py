"""Availability of a replicated service that needs k of its n nodes up: closed form and Markov chain.

Why two forms: with independent failures and one repairer per node, the
number of nodes up is a birth–death Markov chain whose steady state is the
binomial distribution; solving the chain numerically (`markov_steady_state`)
and summing the binomial (`k_of_n`) must agree, and the Monte Carlo model in
`kgtools.models.simulation` must agree with both (tests/test_models.py).

>>> round(node_availability(mttf=999.0, mttr=1.0), 4)
0.999
>>> round(k_of_n(3, 2, 0.99), 6)      # a 3-node quorum needs 2 up
0.999702
"""

from __future__ import annotations

from math import comb

import numpy as np


def node_availability(mttf: float, mttr: float) -> float:
    """A = MTTF / (MTTF + MTTR)."""
    if mttf <= 0 or mttr < 0:
        raise ValueError("MTTF must be positive and MTTR not negative")
    return mttf / (mttf + mttr)


def k_of_n(nodes: int, needed: int, availability: float) -> float:
    """P(at least `needed` of `nodes` independent nodes are up), each up with probability `availability`."""
    if not 0 <= needed <= nodes:
        raise ValueError("need between 0 and n nodes")
    return sum(comb(nodes, up) * availability ** up * (1 - availability) ** (nodes - up)
               for up in range(needed, nodes + 1))


def markov_steady_state(nodes: int, mttf: float, mttr: float) -> list[float]:
    """π[i] = long-run probability that exactly i nodes are up, from the chain's generator matrix.

    State i (nodes up) goes to i − 1 at rate i/MTTF and to i + 1 at rate (n − i)/MTTR;
    π solves πQ = 0 with Σπ = 1.
    """
    size = nodes + 1
    q = np.zeros((size, size))
    for up in range(size):
        if up > 0:
            q[up, up - 1] = up / mttf
        if up < nodes:
            q[up, up + 1] = (nodes - up) / mttr
        q[up, up] = -q[up].sum()
    system = np.vstack([q.T, np.ones(size)])
    target = np.zeros(size + 1)
    target[-1] = 1.0
    solution, *_ = np.linalg.lstsq(system, target, rcond=None)
    return [float(p) for p in solution]


def markov_k_of_n(nodes: int, needed: int, mttf: float, mttr: float) -> float:
    return sum(markov_steady_state(nodes, mttf, mttr)[needed:])
