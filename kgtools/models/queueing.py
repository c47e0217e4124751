"""Closed-form queueing and capacity models: M/M/1, M/M/c (Erlang C), M/G/1, Little's law, stations in series.

Why closed forms in the atlas: the documents give arrival rates, service times
and utilisation limits (000 §4: CPU below 70%), and a reader wants to know what
they imply (how many workers keep P99 under a bound). Each function is the
textbook result (Kleinrock, *Queueing Systems* vol. 1; Harchol-Balter,
*Performance Modeling and Design of Computer Systems*), checked against the
discrete-event simulation in `kgtools.models.simulation` by the tests, and
mirrored line for line by the calculator on the M/M/c concept page
(`kgtools/site/assets/theme/.../queueing.js`).

Units are the caller's: rates per second with times in seconds, or any other
consistent pair.

>>> q = mmc(arrival_rate=8.0, service_time=0.2, servers=2)
>>> round(q.utilisation, 3), round(q.wait_probability, 4)
(0.8, 0.7111)
>>> round(q.mean_response, 4)
0.5556
"""

from __future__ import annotations

import math
from dataclasses import dataclass


class Unstable(ValueError):
    """The offered load is at or above capacity: the queue grows without bound."""


@dataclass(frozen=True)
class Queue:
    """Steady-state figures of one queue; times in the unit of `service_time`."""

    arrival_rate: float
    service_time: float
    servers: int
    utilisation: float          # ρ = λ·S / c
    wait_probability: float     # P(an arrival waits) — Erlang C for M/M/c
    mean_wait: float            # E[Wq]
    mean_response: float        # E[T] = E[Wq] + E[S]
    mean_in_system: float       # L = λ·E[T] (Little's law)
    exponential_service: bool = True

    def response_tail(self, t: float) -> float:
        """P(T > t), the response-time tail (M/M/c, FCFS); only for exponential service."""
        if not self.exponential_service:
            raise ValueError("the response-time distribution is only closed-form for exponential service")
        return mmc_response_tail(self, t)

    def response_percentile(self, p: float) -> float:
        """The response time below which a fraction `p` (e.g. 0.99) of requests finish."""
        if not 0 < p < 1:
            raise ValueError("p must be between 0 and 1")
        low, high = 0.0, self.service_time
        while self.response_tail(high) > 1 - p:
            high *= 2
        for _ in range(200):
            mid = (low + high) / 2
            if self.response_tail(mid) > 1 - p:
                low = mid
            else:
                high = mid
        return (low + high) / 2


def _check(arrival_rate: float, service_time: float, servers: int) -> float:
    if arrival_rate <= 0 or service_time <= 0 or servers < 1:
        raise ValueError("arrival rate and service time must be positive, and there must be at least one server")
    rho = arrival_rate * service_time / servers
    if rho >= 1:
        raise Unstable(f"utilisation {rho:.3f} ≥ 1: {servers} server(s) cannot keep up with this load")
    return rho


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival must wait in M/M/c, for offered load a = λ/μ (in Erlangs), a < c.

    Computed through the Erlang B recursion, which stays stable for hundreds of servers.

    >>> round(erlang_c(1, 0.5), 6)   # M/M/1: P(wait) = ρ
    0.5
    """
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = offered_load * blocking / (k + offered_load * blocking)
    rho = offered_load / servers
    return blocking / (1 - rho + rho * blocking)


def mmc(arrival_rate: float, service_time: float, servers: int) -> Queue:
    """M/M/c: Poisson arrivals, exponential service of mean `service_time`, `servers` identical servers, FCFS."""
    rho = _check(arrival_rate, service_time, servers)
    offered = arrival_rate * service_time
    waiting = erlang_c(servers, offered)
    mean_wait = waiting * service_time / (servers * (1 - rho))
    response = mean_wait + service_time
    return Queue(arrival_rate, service_time, servers, rho, waiting, mean_wait, response, arrival_rate * response)


def mm1(arrival_rate: float, service_time: float) -> Queue:
    """M/M/1, the one-server case: E[T] = S / (1 − ρ).

    >>> round(mm1(5.0, 0.1).mean_response, 6)
    0.2
    """
    return mmc(arrival_rate, service_time, 1)


def mmc_response_tail(queue: Queue, t: float) -> float:
    """P(T > t) for M/M/c FCFS: with probability 1 − C no wait, else an Exp(cμ − λ) wait, plus Exp(μ) service."""
    mu = 1 / queue.service_time
    theta = queue.servers * mu - queue.arrival_rate
    c = queue.wait_probability
    if t <= 0:
        return 1.0
    no_wait = math.exp(-mu * t)
    if math.isclose(theta, mu, rel_tol=1e-9):
        both = (1 + mu * t) * math.exp(-mu * t)
    else:
        both = (theta * math.exp(-mu * t) - mu * math.exp(-theta * t)) / (theta - mu)
    return (1 - c) * no_wait + c * both


def mg1(arrival_rate: float, service_time: float, service_cv: float) -> Queue:
    """M/G/1 by Pollaczek–Khinchine: E[Wq] = ρ·(1 + Cs²)/(2(1 − ρ))·E[S], for service coefficient of variation Cs.

    >>> round(mg1(5.0, 0.1, 1.0).mean_response, 6)    # Cs = 1 is exponential: the M/M/1 answer
    0.2
    >>> round(mg1(5.0, 0.1, 0.0).mean_wait, 6)        # deterministic service halves the wait
    0.05
    """
    rho = _check(arrival_rate, service_time, 1)
    if service_cv < 0:
        raise ValueError("the coefficient of variation cannot be negative")
    mean_wait = rho * (1 + service_cv ** 2) / (2 * (1 - rho)) * service_time
    response = mean_wait + service_time
    return Queue(arrival_rate, service_time, 1, rho, rho, mean_wait, response, arrival_rate * response,
                 exponential_service=math.isclose(service_cv, 1.0))


def littles_law(*, in_system: float | None = None, arrival_rate: float | None = None,
                time_in_system: float | None = None) -> float:
    """L = λ·W: give any two, get the third.

    >>> littles_law(arrival_rate=100.0, time_in_system=0.25)
    25.0
    """
    given = [v is not None for v in (in_system, arrival_rate, time_in_system)]
    if sum(given) != 2:
        raise ValueError("give exactly two of in_system, arrival_rate and time_in_system")
    if in_system is None:
        return float(arrival_rate) * float(time_in_system)
    if arrival_rate is None:
        return in_system / float(time_in_system)
    return in_system / arrival_rate


def series(arrival_rate: float, stations: list[tuple[float, int]]) -> list[Queue]:
    """A Jackson network of M/M/c stations in series (each (service_time, servers)), every job visiting each once.

    By Burke's theorem each station sees Poisson arrivals at the same rate, so the stations
    are independent M/M/c queues and the mean end-to-end response is the sum of theirs.
    """
    return [mmc(arrival_rate, service_time, servers) for service_time, servers in stations]


def servers_for_percentile(arrival_rate: float, service_time: float, percentile: float, bound: float,
                           max_utilisation: float = 1.0, limit: int = 10_000) -> int:
    """The fewest servers that keep the `percentile` response time within `bound` and utilisation ≤ `max_utilisation`.

    >>> servers_for_percentile(8.0, 0.2, 0.99, 1.0)   # 3 servers give P99 ≈ 1.014 s
    4
    """
    if bound <= 0:
        raise ValueError("the bound must be positive")
    if -math.log(1 - percentile) * service_time > bound:   # the service time alone already breaks the bound
        raise Unstable(f"the P{percentile * 100:g} of the service time alone exceeds {bound:g}: no number of servers helps")
    first = max(1, math.floor(arrival_rate * service_time / min(max_utilisation, 1.0)))
    for servers in range(first, limit + 1):
        try:
            queue = mmc(arrival_rate, service_time, servers)
        except Unstable:
            continue
        if queue.utilisation <= max_utilisation and queue.response_percentile(percentile) <= bound:
            return servers
    raise Unstable(f"no number of servers up to {limit} meets the bound")
