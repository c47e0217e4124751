"""Closed forms against simulation: each model is checked by a second one that shares no code with it."""

from __future__ import annotations

import pytest

from kgtools.models import availability, queueing, simulation

# (arrival rate, mean service time, servers): light to heavy load, one to many servers
GRID = [(2.0, 0.2, 1), (4.0, 0.2, 1), (8.0, 0.2, 2), (12.0, 0.2, 3), (30.0, 0.1, 4), (70.0, 0.1, 8)]
MEAN_TOLERANCE = 0.06        # relative, for means over 200 000 customers
PERCENTILE_TOLERANCE = 0.06  # relative, for P50/P95/P99


@pytest.fixture(scope="module", params=GRID, ids=[f"λ{a}-S{s}-c{c}" for a, s, c in GRID])
def pair(request: pytest.FixtureRequest) -> tuple[queueing.Queue, simulation.SimulatedQueue]:
    arrival, service, servers = request.param
    return (queueing.mmc(arrival, service, servers),
            simulation.simulate_queue(arrival, simulation.exponential(service), servers, seed=7))


def test_mmc_means_agree_with_simulation(pair: tuple[queueing.Queue, simulation.SimulatedQueue]) -> None:
    closed, simulated = pair
    assert simulated.mean_response == pytest.approx(closed.mean_response, rel=MEAN_TOLERANCE)
    assert simulated.utilisation == pytest.approx(closed.utilisation, rel=0.02)
    assert simulated.wait_probability == pytest.approx(closed.wait_probability, abs=0.02)
    assert closed.mean_in_system == pytest.approx(closed.arrival_rate * closed.mean_response)  # Little


@pytest.mark.parametrize("p", [0.5, 0.95, 0.99])
def test_mmc_response_percentiles_agree_with_simulation(pair: tuple[queueing.Queue, simulation.SimulatedQueue],
                                                        p: float) -> None:
    closed, simulated = pair
    assert simulated.response_percentile(p) == pytest.approx(closed.response_percentile(p), rel=PERCENTILE_TOLERANCE)


@pytest.mark.parametrize(("arrival", "service", "cv", "draw"), [
    (5.0, 0.1, 0.0, simulation.deterministic(0.1)),
    (8.0, 0.1, 0.0, simulation.deterministic(0.1)),
    (8.0, 0.1, 1.0, simulation.exponential(0.1)),
])
def test_mg1_pollaczek_khinchine_agrees_with_simulation(arrival: float, service: float, cv: float, draw: object) -> None:
    closed = queueing.mg1(arrival, service, cv)
    simulated = simulation.simulate_queue(arrival, draw, 1, seed=3)  # type: ignore[arg-type]
    assert simulated.mean_wait == pytest.approx(closed.mean_wait, rel=0.08)


def test_series_of_stations_is_the_sum_of_its_queues() -> None:
    stations = [(0.05, 1), (0.2, 3), (0.1, 2)]
    closed = sum(q.mean_response for q in queueing.series(10.0, stations))
    assert simulation.simulate_series(10.0, stations, seed=5) == pytest.approx(closed, rel=MEAN_TOLERANCE)


@pytest.mark.parametrize(("nodes", "needed"), [(3, 2), (5, 3), (5, 1)])
def test_availability_binomial_markov_and_monte_carlo_agree(nodes: int, needed: int) -> None:
    mttf, mttr = 50.0, 5.0
    binomial = availability.k_of_n(nodes, needed, availability.node_availability(mttf, mttr))
    assert availability.markov_k_of_n(nodes, needed, mttf, mttr) == pytest.approx(binomial, abs=1e-9)
    monte_carlo = simulation.simulate_availability(nodes, needed, mttf, mttr, horizon=400_000.0, seed=11)
    assert monte_carlo == pytest.approx(binomial, abs=0.005)


def test_unstable_load_is_refused_with_the_reason() -> None:
    with pytest.raises(queueing.Unstable, match=r"utilisation 1\.200"):
        queueing.mmc(12.0, 0.2, 2)


def test_erlang_c_stays_finite_for_many_servers() -> None:
    queue = queueing.mmc(4_500.0, 0.2, 1_000)
    assert 0.0 <= queue.wait_probability < 1.0 and queue.mean_wait >= 0.0


def test_servers_for_percentile_is_the_smallest_that_meets_the_bound() -> None:
    needed = queueing.servers_for_percentile(8.0, 0.2, 0.99, 1.0)
    assert queueing.mmc(8.0, 0.2, needed).response_percentile(0.99) <= 1.0
    assert queueing.mmc(8.0, 0.2, needed - 1).response_percentile(0.99) > 1.0
    assert queueing.servers_for_percentile(8.0, 0.2, 0.99, 10.0, max_utilisation=0.7) == 3   # the CPU < 70% rule


def test_a_bound_below_the_service_times_own_percentile_is_refused_at_once() -> None:
    with pytest.raises(queueing.Unstable, match="service time alone"):
        queueing.servers_for_percentile(847.0, 0.05, 0.99, 0.195)
