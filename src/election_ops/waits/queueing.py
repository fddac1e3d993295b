"""Queueing formulas: Erlang C, and one stage of a station over the day (fluid backlog + Erlang C).

Times are in hours.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival waits in an M/M/c queue (Erlang C), ``offered_load = λ/μ``.

    Computed by the Erlang B recursion, stable for hundreds of servers; 1.0 when the
    queue is unstable (offered_load >= servers).
    """
    if servers < 0 or offered_load < 0:
        raise ValueError("servers and offered load must not be negative")
    if offered_load == 0:
        return 0.0
    if offered_load >= servers:
        return 1.0
    b = 1.0  # Erlang B with 0 servers
    for k in range(1, servers + 1):
        b = offered_load * b / (k + offered_load * b)
    return servers * b / (servers - offered_load * (1.0 - b))


def erlang_c_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean wait in queue (before service) of a stationary M/M/c queue, in the rates' time unit.

    ``service_rate`` is one server's. Wq = C(c, λ/μ) / (cμ - λ); infinite when λ >= cμ.
    """
    if service_rate <= 0:
        raise ValueError("service_rate must be positive")
    if arrival_rate < 0:
        raise ValueError("arrival_rate must not be negative")
    if arrival_rate == 0:
        return 0.0
    if servers <= 0 or arrival_rate >= servers * service_rate:
        return math.inf
    return erlang_c(servers, arrival_rate / service_rate) / (servers * service_rate - arrival_rate)


# --- one stage over the day -----------------------------------------------------------------


@dataclass(frozen=True)
class _StageDay:
    fluid_h: tuple[float, ...]  # per hour, mean wait behind the carried-over backlog (hours)
    stationary_h: tuple[float, ...]  # per hour, Erlang C mean wait, utilisation capped at rho_cap (hours)


def _fluid_mean_backlog(backlog: float, arrivals: float, capacity: float) -> float:
    """Mean over one hour of Q(t) = max(0, B + (λ - K) t), the voters ahead of an arrival at t."""
    drift = arrivals - capacity
    if drift >= 0:
        return backlog + drift / 2
    drain_time = backlog / -drift
    if drain_time >= 1:
        return backlog + drift / 2
    return backlog * drain_time / 2


def _stage_day(arrivals: Sequence[float], servers: int, service_s: float, rho_cap: float) -> _StageDay:
    """One stage on its own, hour by hour: a fluid backlog carried over, and Erlang C on top.

    What arrives beyond capacity K in an hour stays in line into the next hour; an
    arrival at t waits Q(t) / K behind it. The stationary M/M/c wait of the hour is added,
    with the arrival rate put into the formula capped at rho_cap x K (a queue has no time
    to reach the stationary mean of a saturated hour; the backlog takes over from there).
    """
    mu = 3600.0 / service_s  # voters an hour one server serves
    capacity = servers * mu
    fluid: list[float] = []
    stationary: list[float] = []
    backlog = 0.0
    for lam in arrivals:
        if capacity == 0:
            fluid.append(math.inf if lam > 0 or backlog > 0 else 0.0)
            stationary.append(0.0)
            backlog += lam
            continue
        fluid.append(_fluid_mean_backlog(backlog, lam, capacity) / capacity)
        stationary.append(erlang_c_wait(min(lam, rho_cap * capacity), mu, servers))
        backlog = max(0.0, backlog + lam - capacity)
    return _StageDay(tuple(fluid), tuple(stationary))
