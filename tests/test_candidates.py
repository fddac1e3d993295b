"""Candidate pairs follow the posts: the model's size is bounded by the demand, not the pool; groups whose
nearest people are taken are widened until they fill; and pruning keeps the optimum of the full model.

Structural tests (variable counts, who is offered where), not timed: the seconds and memory are
``bench/pools.py``'s job (docs/performance.md).
"""

from __future__ import annotations

import instances as inst
import numpy as np
import pytest

from election_ops.domain import Weights, Worker
from election_ops.model import problem as problem_module
from election_ops.model.cpsat import solve_cpsat
from election_ops.model.eligibility import PoolColumns, is_available, is_eligible
from election_ops.model.formulation import formulate
from election_ops.model.problem import build_problem
from election_ops.model.solve import solve_roster
from election_ops.pipeline import plan_demand

EVERY_GROUP = frozenset(range(10_000))  # widen= a set: every eligible person is a candidate (the unpruned model)


@pytest.fixture(scope="module")
def pool_inputs(presidential_scenario):
    """The shipped presidential scenario with its 1,300-person pool."""
    from election_ops.pipeline import load_inputs

    return load_inputs(presidential_scenario, with_staff=True)


def _copies(workers: tuple[Worker, ...], times: int) -> tuple[Worker, ...]:
    """``times`` people per person: same department and skills, homes a few metres apart, new ids."""
    rng = np.random.default_rng(7)
    out = []
    for k in range(times):
        jitter = rng.normal(0, 0.0004, size=(len(workers), 2)) if k else np.zeros((len(workers), 2))
        out += [w.model_copy(update={"id": f"{w.id}-{k}", "home_lon": w.home_lon + dx, "home_lat": w.home_lat + dy})
                for w, (dx, dy) in zip(workers, jitter.tolist())]
    return tuple(out)


def _variables(demand, rules, workers) -> tuple[int, int]:
    problem = build_problem(demand, rules, workers)
    return len(problem.pairs), len(formulate(problem, Weights()).model.names)


def test_model_size_is_bounded_by_the_posts_not_the_pool(pool_inputs):
    """The 799 posts of 2022 with the 1,300-person pool and with ten times as many people: the bigger pool may
    not give a bigger model than the demand's own bound, and not much more than the small pool does."""
    i = pool_inputs
    demand = plan_demand(i)
    pool = i.workers
    assert len(pool) == 1_300
    big = _copies(pool, 10)
    _, vars_small = _variables(demand, i.rules, pool)
    pairs_big, vars_big = _variables(demand, i.rules, big)
    groups = problem_module.build_groups(demand, i.rules)
    departments = len({w.department for w in pool})
    # per group: its cheapest people, and each department's share (rounded up); the cover check may add a few
    bound = sum(problem_module._offer_size(g, 0) + departments + g.demand for g in groups)
    assert pairs_big <= bound
    assert vars_big <= 1.5 * vars_small, (vars_small, vars_big)
    assert len(big) == 10 * len(pool)
    eligible_big = sum(len(ws) for ws in build_problem(demand, i.rules, big).eligible.values())
    assert pairs_big < eligible_big / 50  # the pool's eligible pairs are 13 million; the model keeps a sliver


def test_eligibility_columns_agree_with_the_rules_person_by_person(pool_inputs):
    workers = pool_inputs.workers[:400] + (
        inst.person("X1", None, unavailable=["early"]), inst.person("X2", 5, unavailable=["early-1"]),
        inst.person("X3", 6, experience=["manager"], unavailable=["eday", "count"]),
        inst.person("X4", 9, certifications=["sorter"]))
    columns = PoolColumns(workers)
    shifts = ("early", "early-1", "early-2", "eday", "count")
    for rule in inst.ROLES.values():
        for shift in shifts:
            expected = [is_eligible(w, rule) and is_available(w, shift) for w in workers]
            assert columns.mask(rule, shift).tolist() == expected, (rule.role, shift)


def _starved() -> inst.Instance:
    """P-1 needs 3 guides and the count 3 sorters, on overlapping shifts; the only 3 sorters live at P-1, so they
    are P-1's nearest people, and 3 people with no certificate live far off."""
    sorters = [inst.person(f"S{k}", certifications=["sorter"], home=(126.8951, 37.4701 + k * 1e-5)) for k in range(3)]
    far = [inst.person(f"F{k}", home=(126.9095, 37.4520 + k * 1e-4)) for k in range(3)]
    return inst.build("starved", {("P-1", "guide"): 3, ("C", "count_sorter"): 3}, sorters + far)


def test_a_group_whose_nearest_people_are_needed_elsewhere_is_widened_and_fills(monkeypatch):
    monkeypatch.setattr(problem_module, "CANDIDATE_FACTOR", 1)
    monkeypatch.setattr(problem_module, "CANDIDATE_MIN", 1)
    monkeypatch.setattr(problem_module, "DEPARTMENT_FACTOR", 0)
    i = _starved()
    problem = build_problem(i.demand, i.rules, i.workers)
    p1 = next(g.index for g in problem.groups if g.site.id == "P-1")
    offered = {problem.workers[w].id for w, g in problem.pairs if g == p1}
    assert {"F0", "F1", "F2"} <= offered  # the matching saw 6 posts and 3 distinct candidates: widened
    plan = solve_roster(i.demand, i.rules, i.workers, Weights(), time_limit=10)
    assert plan.shortfalls == ()
    assert sorted(a.worker_id for a in plan.assignments if a.site_id == "P-1") == ["F0", "F1", "F2"]


def test_nearest_people_unavailable_the_group_fills_from_farther(monkeypatch):
    monkeypatch.setattr(problem_module, "CANDIDATE_FACTOR", 1)
    monkeypatch.setattr(problem_module, "CANDIDATE_MIN", 1)
    near = [inst.person(f"N{k}", unavailable=["eday"], home=(126.8951, 37.4701 + k * 1e-5)) for k in range(5)]
    far = [inst.person(f"F{k}", home=(126.9095, 37.4520 + k * 1e-4)) for k in range(2)]
    i = inst.build("away", {("P-1", "guide"): 2}, near + far)
    plan = solve_roster(i.demand, i.rules, i.workers, Weights(), time_limit=10)
    assert plan.shortfalls == ()
    assert sorted(a.worker_id for a in plan.assignments) == ["F0", "F1"]


def test_a_shortfall_the_cover_check_cannot_see_is_widened_after_the_solve(monkeypatch):
    """One post per person (max_posts 1) across early voting and election day: both groups' single candidate is
    the same person, which the per-shift matching cannot see; the solve leaves one short and widens it."""
    monkeypatch.setattr(problem_module, "CANDIDATE_FACTOR", 1)
    monkeypatch.setattr(problem_module, "CANDIDATE_MIN", 1)
    monkeypatch.setattr(problem_module, "DEPARTMENT_FACTOR", 0)
    both = inst.person("A", home=(126.8940, 37.4680))  # between E-1 and P-1: the nearest to both
    i = inst.build("cap", {("E-1", "early_guide"): 1, ("P-1", "guide"): 1},
                   [both, inst.person("B", home=(126.9095, 37.4520))], max_posts=1)
    assert len(build_problem(i.demand, i.rules, i.workers).pairs) == 2  # one candidate each: A
    plan = solve_roster(i.demand, i.rules, i.workers, Weights(), time_limit=10)
    assert plan.shortfalls == ()
    assert sorted(a.worker_id for a in plan.assignments) == ["A", "B"]


def _random_instance(seed: int) -> inst.Instance:
    """Six sites, every role, 200 people with random homes, grades, experience and certificates."""
    rng = np.random.default_rng(seed)
    departments = ["총무과", "재무과", "독산1동 주민센터", "시흥1동 주민센터"]
    people = []
    for k in range(200):
        experience = [r for r in ("manager", "guide") if rng.random() < 0.3]
        people.append(inst.person(
            f"W{k:03d}", int(rng.choice([5, 6, 7, 8, 9])), department=departments[rng.integers(len(departments))],
            experience=experience, certifications=["sorter"] if rng.random() < 0.25 else [],
            unavailable=["eday"] if rng.random() < 0.1 else [],
            home=(126.89 + 0.02 * rng.random(), 37.445 + 0.035 * rng.random()),
            preferred_dong=["독산1동", "시흥1동", None][rng.integers(3)]))
    posts = {("P-1", "manager"): 1, ("P-1", "guide"): 3, ("P-2", "manager"): 1, ("P-2", "register_check"): 2,
             ("P-3", "guide"): 3, ("E-1", "early_guide"): 3, ("E-2", "early_guide"): 2, ("C", "count_sorter"): 4,
             ("C", "count_guide"): 3}
    return inst.build(f"random{seed}", posts, people)


@pytest.mark.parametrize("seed", range(8))
def test_pruned_optimum_equals_the_full_models(seed):
    """The shipped candidate lists on 200 people and 22 posts: the pruned model proves the same optimum as the
    model with every eligible pair."""
    i = _random_instance(seed)
    weights = Weights()
    results = []
    for widen in (frozenset(), EVERY_GROUP):
        problem = build_problem(i.demand, i.rules, i.workers, widen=widen)
        result = solve_cpsat(formulate(problem, weights).model, time_limit=20)
        assert result.status == "OPTIMAL"
        results.append((len(problem.pairs), result.objective))
    (pruned_pairs, pruned), (full_pairs, full) = results
    assert pruned_pairs < full_pairs  # the pruning did prune
    assert pruned == full
