"""Discrete-event simulation (SimPy) of the queues and a Monte Carlo availability model.

Why simulate what has a closed form: the simulation shares no code with
`kgtools.models.queueing`, so when the two agree over a grid of parameters
(tests/test_models.py) each is evidence for the other; and the simulation
keeps working where no closed form exists (general service times, networks).
Every run takes a seed, so results are repeatable.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable
from dataclasses import dataclass

import simpy


@dataclass(frozen=True)
class SimulatedQueue:
    """What one simulation measured after its warm-up: times in the unit of the service time."""

    completed: int
    mean_wait: float
    mean_response: float
    wait_probability: float
    utilisation: float
    responses: tuple[float, ...]

    def response_percentile(self, p: float) -> float:
        ordered = sorted(self.responses)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def simulate_queue(arrival_rate: float, service: Callable[[random.Random], float], servers: int,
                   customers: int = 200_000, warmup: int = 20_000, seed: int = 1) -> SimulatedQueue:
    """A FCFS queue with Poisson arrivals, `servers` servers and service times drawn by `service(rng)`."""
    rng = random.Random(seed)  # noqa: S311  (a seeded simulation, not cryptography)
    env = simpy.Environment()
    pool = simpy.Resource(env, capacity=servers)
    waits: list[float] = []
    responses: list[float] = []
    busy = [0.0]
    measured_from = [0.0]

    def customer(index: int) -> simpy.events.ProcessGenerator:
        arrived = env.now
        with pool.request() as slot:
            yield slot
            started = env.now
            duration = service(rng)
            yield env.timeout(duration)
        if index >= warmup:
            waits.append(started - arrived)
            responses.append(env.now - arrived)
            busy[0] += duration

    def arrivals() -> simpy.events.ProcessGenerator:
        for index in range(customers):
            if index == warmup:
                measured_from[0] = env.now
            env.process(customer(index))
            yield env.timeout(rng.expovariate(arrival_rate))

    env.process(arrivals())
    env.run()
    elapsed = env.now - measured_from[0]
    return SimulatedQueue(
        completed=len(responses),
        mean_wait=statistics.fmean(waits),
        mean_response=statistics.fmean(responses),
        wait_probability=sum(1 for w in waits if w > 0) / len(waits),
        utilisation=busy[0] / (servers * elapsed),
        responses=tuple(responses),
    )


def exponential(mean: float) -> Callable[[random.Random], float]:
    return lambda rng: rng.expovariate(1 / mean)


def deterministic(mean: float) -> Callable[[random.Random], float]:
    return lambda rng: mean


def simulate_series(arrival_rate: float, stations: list[tuple[float, int]], customers: int = 100_000,
                    warmup: int = 10_000, seed: int = 1) -> float:
    """Mean end-to-end response of exponential M/M/c stations in series (each (service_time, servers))."""
    rng = random.Random(seed)  # noqa: S311  (a seeded simulation, not cryptography)
    env = simpy.Environment()
    pools = [simpy.Resource(env, capacity=servers) for _, servers in stations]
    totals: list[float] = []

    def job(index: int) -> simpy.events.ProcessGenerator:
        arrived = env.now
        for (service_time, _), pool in zip(stations, pools, strict=True):
            with pool.request() as slot:
                yield slot
                yield env.timeout(rng.expovariate(1 / service_time))
        if index >= warmup:
            totals.append(env.now - arrived)

    def arrivals() -> simpy.events.ProcessGenerator:
        for index in range(customers):
            env.process(job(index))
            yield env.timeout(rng.expovariate(arrival_rate))

    env.process(arrivals())
    env.run()
    return statistics.fmean(totals)


def simulate_availability(nodes: int, needed: int, mttf: float, mttr: float, horizon: float,
                          seed: int = 1) -> float:
    """Fraction of time at least `needed` of `nodes` are up, each failing after Exp(mttf) and repaired after Exp(mttr)."""
    rng = random.Random(seed)  # noqa: S311  (a seeded simulation, not cryptography)
    env = simpy.Environment()
    up = [nodes]
    good_time = [0.0]
    last = [0.0]

    def account() -> None:
        if up[0] >= needed:
            good_time[0] += env.now - last[0]
        last[0] = env.now

    def node() -> simpy.events.ProcessGenerator:
        while True:
            yield env.timeout(rng.expovariate(1 / mttf))
            account()
            up[0] -= 1
            yield env.timeout(rng.expovariate(1 / mttr))
            account()
            up[0] += 1

    for _ in range(nodes):
        env.process(node())
    env.run(until=horizon)
    account()
    return good_time[0] / horizon
