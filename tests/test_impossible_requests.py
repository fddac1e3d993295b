"""Impossible requests are named, not solved around: pinned posts checked before solving, numbers bounded,
an infeasible model said in words, and no post reported short with an untrue reason."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from election_ops.cli import app
from election_ops.domain import Weights
from election_ops.model import solve as solve_module
from election_ops.model.cpsat import SolverResult
from election_ops.model.eligibility import ineligibility, is_available
from election_ops.model.precheck import FixedPostConflict, ObjectiveRangeError, check_fixed_posts, check_objective_range
from election_ops.model.solve import solve_roster
from election_ops.pipeline import load_inputs, plan_demand
from election_ops.solution import FixedPost
from instances import build, every_term, person

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]
PRESIDENTIAL = REPO / "scenarios" / "2022-presidential.yaml"


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def shipped():
    """The shipped presidential inputs, their demand, and two people who may manage any polling station."""
    inputs = load_inputs(PRESIDENTIAL, with_staff=True)
    demand = plan_demand(inputs)
    rule = next(r for r in inputs.rules.roles if r.site_kind.value == "polling" and r.role == "manager")
    managers = [w.id for w in inputs.workers if ineligibility(w, rule) is None and is_available(w, "eday")]
    junior = next(w.id for w in inputs.workers if w.grade == 9 and is_available(w, "eday"))
    return inputs, demand, managers[:2], junior


def write_freeze(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["worker_id", "site_id", "role", "shift"])
        writer.writerows(rows)
    return path


def cases(managers: list[str], junior: str) -> dict[str, tuple[list, int, str, str]]:
    """name -> (rows, bad row as the spreadsheet numbers it, column, words in the message)."""
    a, b = managers
    return {
        "two-on-a-one-person-post": ([(a, "가산동-1", "manager", "eday"), (b, "가산동-1", "manager", "eday")],
                                     3, "worker_id", "2 people pinned to 가산동-1/manager/eday, which needs 1"),
        "one-person-two-overlapping-posts": ([(a, "가산동-1", "manager", "eday"), (a, "가산동-2", "manager", "eday")],
                                             3, "worker_id", "overlaps eday: one person, one post at a time"),
        "unknown-worker": ([("W99999", "가산동-1", "manager", "eday")], 2, "worker_id", "no such person"),
        "unknown-site": ([(a, "가산동-99", "manager", "eday")], 2, "site_id", "no such site"),
        "unknown-role": ([(a, "가산동-1", "no_such_role", "eday")], 2, "role", "no such post"),
        "role-on-another-shift": ([(a, "가산동-1", "manager", "early")], 2, "role", "no manager post on shift early"),
        "unknown-shift": ([(a, "가산동-1", "manager", "night")], 2, "shift", "no such shift"),
        "ineligible": ([(junior, "가산동-1", "manager", "eday")], 2, "worker_id", "may not hold this post"),
    }


@pytest.mark.parametrize("case", ["two-on-a-one-person-post", "one-person-two-overlapping-posts", "unknown-worker",
                                  "unknown-site", "unknown-role", "role-on-another-shift", "unknown-shift",
                                  "ineligible"])
def test_an_impossible_freeze_file_exits_2_naming_file_row_and_conflict(shipped, tmp_path, case):
    _, _, managers, junior = shipped
    rows, bad_row, column, words = cases(managers, junior)[case]
    freeze = write_freeze(tmp_path / "freeze.csv", rows)
    out = tmp_path / "out"
    result = runner.invoke(app, ["solve", str(PRESIDENTIAL), "--freeze", str(freeze), "--out", str(out)])
    text = flat(result.output)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in text and "internal error" not in text
    assert str(freeze) in text and f"row {bad_row}" in text and f"column '{column}'" in text
    assert words in text
    assert not out.exists()  # nothing written


def test_a_possible_freeze_file_passes_the_check(shipped):
    inputs, demand, managers, _ = shipped
    posts = [FixedPost(managers[0], "가산동-1", "manager", "eday"), FixedPost(managers[1], "가산동-2", "manager", "eday")]
    check_fixed_posts(posts, demand, inputs.rules, inputs.workers)  # no error: the neighbour of the cases above


def test_more_posts_than_the_cap_are_refused():
    inst = build("cap", {("E-1", "early_guide"): 1, ("P-1", "guide"): 1}, [person("W1")], max_posts=1)
    posts = [FixedPost("W1", "E-1", "early_guide", "early"), FixedPost("W1", "P-1", "guide", "eday")]
    with pytest.raises(FixedPostConflict, match="at most 1") as info:
        check_fixed_posts(posts, inst.demand, inst.rules, inst.workers)
    assert info.value.index == 1
    check_fixed_posts(posts[:1], inst.demand, inst.rules, inst.workers)


def test_an_absent_person_pinned_in_a_replan_is_named():
    inst = build("absent", {("P-1", "guide"): 1}, [person("W1", unavailable=["eday"])])
    with pytest.raises(FixedPostConflict, match="unavailable"):
        check_fixed_posts([FixedPost("W1", "P-1", "guide", "eday")], inst.demand, inst.rules, inst.workers)


@pytest.mark.parametrize(
    ("edit", "file", "key"),
    [
        pytest.param(("2022-presidential.yaml", "ballots_per_voter: 1\n", "ballots_per_voter: 1000000000000000\n"),
                     "2022-presidential.yaml", "election.ballots_per_voter", id="ballots"),
        pytest.param(("2022-presidential.yaml", "turnout_scale: 1.0\n", "turnout_scale: 1.0e+300\n"),
                     "2022-presidential.yaml", "turnout_scale", id="turnout"),
        pytest.param(("rules/presidential-2022.yaml", "step: 30000, per_step: 5", "step: 0.0001, per_step: 5"),
                     "presidential-2022.yaml", "roles.counting.count_sorter", id="tiny-step"),
        pytest.param(("rules/presidential-2022.yaml", "count_guide, name: 안내·질서유지, shift: count, base: 6",
                      "count_guide, name: 안내·질서유지, shift: count, base: 100000000000"),
                     "presidential-2022.yaml", "base", id="huge-base"),
    ],
)
def test_numbers_beyond_what_the_model_holds_exit_2_naming_file_and_key(copy_district, tmp_path, edit, file, key):
    name, old, new = edit
    shutil.copytree(REPO / "data" / "staff", copy_district / "data" / "staff")
    path = copy_district / "scenarios" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["solve", str(copy_district / "scenarios" / "2022-presidential.yaml"),
                                 "--out", str(out), "--time-limit", "5"])
    text = flat(result.output)
    assert result.exit_code == 2, result.output
    assert file in text and key in text and "internal error" not in text
    assert not out.exists()


def test_an_objective_beyond_the_solvers_integers_names_the_heaviest_term():
    with pytest.raises(ObjectiveRangeError) as info:
        check_objective_range({"commute": [(0, 10**9)], "shortfall": [(1, 10**9)]}, [10, 2**40])
    assert info.value.term == "shortfall"
    check_objective_range({"commute": [(0, 10**9)], "shortfall": [(1, 10**9)]}, [10, 10**4])


def test_an_infeasible_model_is_said_in_words_and_writes_no_plan(tmp_path, monkeypatch):
    """Were the solver ever to prove the model infeasible, no all-short plan with untrue reasons is written."""
    monkeypatch.setattr(solve_module, "solve_cpsat", lambda model, **kw: SolverResult(
        status="INFEASIBLE", values=[], objective=float("nan"), best_bound=float("nan"), seconds=0.0))
    out = tmp_path / "out"
    result = runner.invoke(app, ["solve", str(PRESIDENTIAL), "--out", str(out), "--time-limit", "5"])
    assert result.exit_code == 1, result.output
    text = flat(result.output)
    assert "cannot all be kept together" in text and "internal error" not in text
    assert not out.exists()


def test_an_optimal_plan_never_blames_the_time_limit():
    """every_term is solved to optimality with a manager post short: the reason is the pool, not the solver."""
    inst = every_term()
    plan = solve_roster(inst.demand, inst.rules, inst.workers, Weights(long_commute_m=1500), time_limit=30)
    assert plan.stats.status == "OPTIMAL" and plan.shortfalls
    assert not any("solver stopped" in s.reason for s in plan.shortfalls)
