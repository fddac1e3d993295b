"""Give each department a home 동 (부서별 담당 동), so colleagues work side by side.

District offices put each department in charge of the stations of one 동. Deciding that
inside the roster model would make it a fixed-charge problem that takes minutes to
prove; deciding it first, in this small model, keeps the roster model linear (a post
outside the home 동 simply costs points) and solvable in seconds.

The allocation: every department gets one 동; a 동's departments together bring about
as many people as the 동's posts need (their fair share of posts, see ``fair_targets``);
departments sit near their members' homes; a 동 주민센터 department (named
``<동> 주민센터`` by convention) is at home in its own 동.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
from ortools.sat.python import cp_model

from ..domain import Site, SiteKind, Worker

OWN_DONG_BONUS_M = 50_000  # per member: outweighs any commute, so a 동 center stays in its 동
CAPACITY_SLACK = 1.15  # a 동 may take departments bringing up to 15 % more people than its posts
COST_SCALE_POOL = 2_000  # costs of a bigger pool are scaled down to this many people (same optimum)
DETERMINISTIC_LIMIT = 5.0  # CP-SAT work units (about seconds); Geumcheon-gu proves optimality in far less
GAP_PER_PERSON_M = 10  # big pools: stop once proven this close to the optimum, per (scaled) person


def fair_targets(workers: tuple[Worker, ...], total_posts: int) -> dict[str, int]:
    """Each department's share of all posts, in whole posts, by largest remainder (so they sum exactly)."""
    sizes: dict[str, int] = defaultdict(int)
    for worker in workers:
        sizes[worker.department] += 1
    if not workers:
        return {}
    exact = {d: n * total_posts / len(workers) for d, n in sizes.items()}
    targets = {d: math.floor(x) for d, x in exact.items()}
    rest = total_posts - sum(targets.values())
    for d in sorted(exact, key=lambda d: (-(exact[d] - targets[d]), d))[:rest]:
        targets[d] += 1
    return targets


def own_dong(department: str, dongs: list[str]) -> str | None:
    """The 동 a 동 주민센터 department belongs to, by the naming convention ``<동> 주민센터``."""
    return next((d for d in dongs if department.startswith(d + " ")), None)


def allocate_home_dongs(workers: tuple[Worker, ...], sites: tuple[Site, ...], distance: np.ndarray,
                        posts_by_dong: dict[str, int], targets: dict[str, int]) -> dict[str, str]:
    dongs = sorted(posts_by_dong)
    departments = sorted(targets)
    if not dongs or not departments:
        return {}
    # cost of a department at a 동: its members' summed distance to that 동's stations' centre
    station_cols = defaultdict(list)
    for i, site in enumerate(sites):
        if site.kind is not SiteKind.counting:
            station_cols[site.dong].append(i)
    members = defaultdict(list)
    for w, worker in enumerate(workers):
        members[worker.department].append(w)
    # A big pool gives big sums: scale them to a pool of COST_SCALE_POOL people, so the model is the same
    # size in numbers whatever the pool (unscaled, 200,000 people stopped it at its limit unproven).
    scale = min(1.0, COST_SCALE_POOL / max(len(workers), 1))
    mean_to = {k: distance[:, cols].mean(axis=1) for k, cols in station_cols.items()}  # person -> 동, mean metres
    cost = {}
    for d in departments:
        rows = np.array(members[d], dtype=int)
        home = own_dong(d, dongs)
        for k in dongs:
            metres = int(mean_to[k][rows].sum()) if len(rows) and k in mean_to else 0
            cost[d, k] = round(scale * (metres - (OWN_DONG_BONUS_M * len(rows) if home == k else 0)))

    model = cp_model.CpModel()
    at = {(d, k): model.new_bool_var(f"home[{d},{k}]") for d in departments for k in dongs}
    for d in departments:
        model.add_exactly_one(at[d, k] for k in dongs)
    biggest = max(targets.values())
    for k in dongs:
        capacity = math.ceil(CAPACITY_SLACK * posts_by_dong[k]) + biggest
        model.add(sum(targets[d] * at[d, k] for d in departments) <= capacity)
    model.minimize(sum(cost[d, k] * at[d, k] for d in departments for k in dongs))
    solver = cp_model.CpSolver()
    # One worker and a deterministic (work-based, not wall-clock) limit: the same pool gives the same
    # home 동 on any machine, even when a very large district stops before proving optimality.
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = DETERMINISTIC_LIMIT
    if len(workers) > COST_SCALE_POOL:
        # A big department's members spread like the whole population, so every department costs about the
        # same at a 동 and proving the last metres took seconds (5 s at 200,000 people) for no visible
        # difference; a pool the size of a district's own is still proven optimal.
        solver.parameters.absolute_gap_limit = GAP_PER_PERSON_M * COST_SCALE_POOL
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # capacities cannot hold (a very uneven pool): fall back to each department's nearest 동
        return {d: min(dongs, key=lambda k: (cost[d, k], k)) for d in departments}
    return {d: k for d in departments for k in dongs if solver.value(at[d, k])}
