"""Any time limit gives a usable plan: CP-SAT starts from a complete roster (greedy, or a replan's gentle stage)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from instances import build, every_term, person
from typer.testing import CliRunner

from election_ops.cli import app
from election_ops.domain import Weights
from election_ops.model import solve as solve_module
from election_ops.model.cpsat import SolverResult
from election_ops.model.formulation import formulate
from election_ops.model.greedy import greedy_assign
from election_ops.model.hint import complete_hint
from election_ops.model.problem import FixedPost, build_problem
from election_ops.model.solve import solve_roster
from election_ops.overlays import mark_unavailable

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]


def test_a_half_second_solve_of_a_4000_person_local_election_fills_every_post(tmp_path):
    pool = tmp_path / "pool.csv"
    scenario = REPO / "scenarios" / "2022-local.yaml"
    result = runner.invoke(app, ["staff", "generate", "--out", str(pool), "--size", "4000", "--scenario", str(scenario)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "plan"
    result = runner.invoke(app, ["solve", str(scenario), "--staff", str(pool), "--out", str(out), "--time-limit", "0.5"])
    assert result.exit_code == 0, result.output  # nothing short
    with (out / "shortfalls.csv").open(encoding="utf-8") as fh:
        assert list(csv.DictReader(fh)) == []
    with (out / "requirements.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert sum(int(r["assigned"]) for r in rows) == sum(int(r["required"]) for r in rows) == 1069
    assert "objective nan" not in result.output and "nan%" not in result.output


def test_the_hint_is_a_complete_feasible_solution_of_the_model():
    """Every row of the formulation holds at the hint built from the greedy roster, and its objective is the score."""
    inst = every_term()
    weights = Weights(long_commute_m=1500)
    problem = build_problem(inst.demand, inst.rules, inst.workers)
    chosen = greedy_assign(problem)
    problem = solve_module.with_pairs(problem, chosen)
    formulation = formulate(problem, weights)
    hint = complete_hint(problem, formulation, chosen)
    lm = formulation.model
    assert set(hint) == set(range(len(lm.names)))
    for var, value in hint.items():
        assert lm.lower[var] <= value <= lm.upper[var], lm.names[var]
    for name, idx, coefs, lo, hi in lm.rows:
        total = sum(c * hint[i] for i, c in zip(idx, coefs))
        assert lo <= total <= hi, name
    objective = sum(c * hint[v] for v, c in lm.objective().items())
    assert objective == sum(solve_module.score(problem, weights, chosen).values())


def _stuck_replan():
    """W4 manages P-1 and W7 (also a past manager) guides at P-2; W4 drops out. The gentle stage keeps W7 on P-2,
    and nobody free may manage: 1 post short. The full stage moves W7 to P-1 and calls W2 for P-2: 0 short."""
    workers = (person("W2", 9, home=1), person("W4", 6, experience=["manager"], home=2),
               person("W7", 6, experience=["manager"], home=3))
    inst = build("stuck", {("P-1", "manager"): 1, ("P-2", "guide"): 1}, workers)
    previous = (FixedPost("W4", "P-1", "manager", "eday"), FixedPost("W7", "P-2", "guide", "eday"))
    shifts = tuple(s.id for s in inst.demand.shifts)
    return inst, mark_unavailable(inst.workers, {"W4"}, shifts), previous


def test_a_replan_moves_people_when_the_gentle_stage_leaves_posts_short():
    inst, workers, previous = _stuck_replan()
    plan = solve_roster(inst.demand, inst.rules, workers, Weights(), previous=previous, time_limit=10)
    assert plan.short_posts == 0
    assert {(a.worker_id, a.site_id) for a in plan.assignments} == {("W7", "P-1"), ("W2", "P-2")}


def test_a_replan_never_returns_less_than_its_gentle_stage(monkeypatch):
    """The full stage stops before any solution (as a 0.3 s limit does on a real district): the gentle plan stays."""
    inst, workers, previous = _stuck_replan()
    real_cpsat, real_stage = solve_module.solve_cpsat, solve_module._solve
    full_hints = []

    def stage(*args, **kwargs):
        if kwargs.get("start") is not None:  # the full stage, started from the gentle plan
            full_hints.append(kwargs["start"])
        return real_stage(*args, **kwargs)

    def cpsat(model, **kwargs):
        if full_hints:
            return SolverResult(status="UNKNOWN", values=[], objective=float("nan"), best_bound=float("nan"),
                                seconds=0.3)
        return real_cpsat(model, **kwargs)

    monkeypatch.setattr(solve_module, "_solve", stage)
    monkeypatch.setattr(solve_module, "solve_cpsat", cpsat)
    plan = solve_roster(inst.demand, inst.rules, workers, Weights(), previous=previous, time_limit=0.3)
    assert len(full_hints) == 1 and full_hints[0]  # the full stage ran, given the gentle plan to start from
    assert plan.short_posts == 1  # the gentle plan: W7 kept, the manager post short
    assert {(a.worker_id, a.site_id) for a in plan.assignments} == {("W7", "P-2")}


@pytest.mark.parametrize("status", ["UNKNOWN"])
def test_a_solve_stopped_before_any_solution_returns_the_greedy_roster(monkeypatch, status):
    inst = every_term()
    monkeypatch.setattr(solve_module, "solve_cpsat", lambda model, **kw: SolverResult(
        status=status, values=[], objective=float("nan"), best_bound=float("nan"), seconds=0.0))
    plan = solve_roster(inst.demand, inst.rules, inst.workers, Weights(), time_limit=0.1)
    problem = build_problem(inst.demand, inst.rules, inst.workers)
    assert len(plan.assignments) == len(greedy_assign(problem)) > 0
    assert plan.stats.objective == sum(plan.objective_terms.values())
