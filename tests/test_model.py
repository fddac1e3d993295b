"""The roster model: every hard rule through ``solve_roster``, plans that pass ``validate``, the objective
recomputed in Python, determinism, and ``solve``/``validate`` end to end on the 2022 data.

Tiny instances come from tests/instances.py (named, built in code, each with a docstring
saying its size and what it exercises). The real-data tests solve at most five scenarios:
the presidential one once, the local one three times (twice in-process, once via the CLI)
and the local one with a 50-person pool once.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import instances as inst
from election_ops.cli import app
from election_ops.domain import ShiftTemplate, SiteKind, Weights
from election_ops.io.scenario import load_scenario
from election_ops.model.problem import build_problem
from election_ops.pipeline import load_inputs, plan_demand, plan_roster
from election_ops.reports.plan_files import write_plan
from election_ops.solution import Plan
from election_ops.model.solve import explain_shortfall, solve_roster
from election_ops.validate import validate_plan

runner = CliRunner()
DEFAULTS = Weights()
EVERY_WEIGHT = Weights(worst_commute=5, long_commute_m=1_500)  # every term non-zero, the exact min-max included
TIME_LIMIT = 10.0
TERMS = ("shortfall", "commute", "long_commute", "worst_commute", "fairness", "together", "preference", "newcomers",
         "second_post")


def solve(instance: inst.Instance, weights: Weights = DEFAULTS) -> Plan:
    plan = solve_roster(instance.demand, instance.rules, instance.workers, weights, time_limit=TIME_LIMIT, seed=0)
    assert plan.stats.status == "OPTIMAL", (instance.name, plan.stats)
    return plan


def held(plan: Plan) -> dict[tuple[str, str, str], list[str]]:
    """(site, role, shift) -> the worker ids holding it."""
    out: dict[tuple[str, str, str], list[str]] = {}
    for a in plan.assignments:
        out.setdefault((a.site_id, a.role, a.shift), []).append(a.worker_id)
    return out


def posts_of(plan: Plan, worker_id: str) -> list[tuple[str, str, str]]:
    return sorted((a.site_id, a.role, a.shift) for a in plan.assignments if a.worker_id == worker_id)


def short_reason(plan: Plan, site_id: str, role: str) -> str:
    (shortfall,) = [s for s in plan.shortfalls if (s.site_id, s.role) == (site_id, role)]
    return shortfall.reason


def assert_accounted(instance: inst.Instance, plan: Plan) -> None:
    """assigned + short == required for every post; nobody is assigned to a post that is not required."""
    filled = {key: len(ws) for key, ws in held(plan).items()}
    short = {(s.site_id, s.role, s.shift): s for s in plan.shortfalls}
    required = instance.required()
    assert set(filled) <= set(required)
    for key, n in required.items():
        s = short.get(key)
        assert filled.get(key, 0) + (s.short if s else 0) == n, key
        if s is not None:
            assert s.required == n and s.assigned == filled.get(key, 0) and s.short > 0 and s.reason.strip()


@pytest.fixture(scope="session")
def scenario(presidential_scenario):
    """write_plan needs a Scenario for the summary and the roster's titles; the tiny plans borrow this one."""
    return load_scenario(presidential_scenario)


def write_and_validate(instance: inst.Instance, plan: Plan, out: Path, scenario) -> list:
    staff = inst.write_staff_csv(instance.workers, out.parent / f"{out.name}-staff.csv")
    write_plan(out, scenario=scenario, demand=instance.demand, rules=instance.rules, workers=instance.workers,
               plan=plan, input_files={"staff": staff})
    return validate_plan(out)


# --- coverage: exactly what is required, and a shortfall only with a reason --------------------------------------


def test_coverage_is_exact_when_more_people_are_eligible():
    instance = inst.surplus()
    plan = solve(instance)
    assert len(held(plan)[("P-1", "guide", "eday")]) == 2  # of 4 who could
    assert plan.shortfalls == ()
    assert plan.objective_terms["shortfall"] == 0


def test_coverage_with_exactly_enough_people():
    plan = solve(inst.exact_fit())
    assert sorted(held(plan)[("P-1", "guide", "eday")]) == ["W1", "W2"]
    assert plan.shortfalls == ()


def test_shortfall_when_no_one_in_the_pool_qualifies():
    plan = solve(inst.nobody_qualified())
    assert plan.assignments == ()
    reason = short_reason(plan, "P-1", "manager")
    assert reason.startswith("no one in the staff pool meets the requirements")
    assert "6급" in reason and "투표관리관" in reason
    assert plan.objective_terms["shortfall"] == DEFAULTS.shortfall


def test_no_shortfall_once_one_person_qualifies():
    plan = solve(inst.one_qualified())
    assert held(plan) == {("P-1", "manager", "eday"): ["W4"]}
    assert plan.shortfalls == ()


def test_shortfall_when_every_eligible_person_is_unavailable():
    plan = solve(inst.all_unavailable())
    assert plan.assignments == ()
    reason = short_reason(plan, "P-1", "guide")
    assert "all 2 people who meet the requirements" in reason and "unavailable on shift eday" in reason


def test_no_shortfall_when_one_eligible_person_is_available():
    instance = inst.all_unavailable()
    w1, w2 = instance.workers
    instance = inst.build("one_available", {("P-1", "guide"): 1}, [w1, w2.model_copy(update={"unavailable": ("count",)})])
    assert held(solve(instance)) == {("P-1", "guide", "eday"): ["W2"]}


def test_shortfall_when_every_eligible_person_is_on_an_overlapping_shift():
    plan = solve(inst.eday_and_count_one_person())
    assert len(plan.assignments) == 1 and len(plan.shortfalls) == 1
    (s,) = plan.shortfalls
    assert "already hold a post on an overlapping shift" in s.reason
    other = plan.assignments[0]
    assert other.worker_id == "W1" and other.site_id in s.reason  # names where the person already is


def test_no_overlap_when_the_count_starts_after_election_day_ends():
    plan = solve(inst.eday_and_late_count_one_person())
    assert posts_of(plan, "W1") == [("C", "count_guide", "count"), ("P-1", "guide", "eday")]
    assert plan.shortfalls == ()


def test_empty_pool_leaves_every_post_short():
    plan = solve(inst.empty_pool())
    assert plan.assignments == ()
    assert sorted((s.site_id, s.short) for s in plan.shortfalls) == [("C", 1), ("P-1", 2)]
    assert all(s.reason.startswith("no one in the staff pool") for s in plan.shortfalls)


# --- one post at a time -----------------------------------------------------------------------------------------


def test_one_person_never_holds_two_posts_on_one_shift():
    plan = solve(inst.two_sites_one_person())
    assert len(posts_of(plan, "W1")) == 1
    assert len(plan.shortfalls) == 1 and "overlapping shift" in plan.shortfalls[0].reason


def test_two_people_fill_two_posts_on_one_shift():
    instance = inst.two_sites_one_person()
    instance = inst.build("two_sites_two_people", {("P-1", "guide"): 1, ("P-2", "guide"): 1},
                          [*instance.workers, inst.person("W2", home=1)])
    plan = solve(instance)
    assert held(plan) == {("P-1", "guide", "eday"): ["W1"], ("P-2", "guide", "eday"): ["W2"]}


def test_one_person_never_holds_two_posts_in_one_group():
    """Three guide posts at one station, one person: one filled, two short (not three posts for W1)."""
    plan = solve(inst.build("three_posts_one_person", {("P-1", "guide"): 3}, [inst.person("W1")]))
    assert posts_of(plan, "W1") == [("P-1", "guide", "eday")]
    assert [(s.required, s.assigned) for s in plan.shortfalls] == [(3, 1)]


# --- eligibility per role ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("grade", "experience", "eligible"), [
    (6, ["manager"], True),  # exactly the minimum grade, a past manager
    (5, ["manager"], True),  # more senior than the minimum
    (7, ["manager"], False),  # one grade too junior
    (9, ["manager"], False),
    (None, ["manager"], False),  # 공무직 without a grade
    (6, [], False),  # first-timer
    (6, ["guide"], False),  # experience, but not as manager
], ids=["6급", "5급", "7급", "9급", "no-grade", "first-timer", "other-role"])
def test_manager_needs_the_grade_and_past_experience(grade, experience, eligible):
    instance = inst.build("one_manager", {("P-1", "manager"): 1}, [inst.person("W1", grade, experience=experience)])
    plan = solve(instance)
    if eligible:
        assert held(plan) == {("P-1", "manager", "eday"): ["W1"]}
    else:
        assert plan.assignments == ()
        assert short_reason(plan, "P-1", "manager").startswith("no one in the staff pool meets")


def test_guide_needs_no_grade():
    plan = solve(inst.build("guide_no_grade", {("P-1", "guide"): 1}, [inst.person("W1", None)]))
    assert held(plan) == {("P-1", "guide", "eday"): ["W1"]}


def test_sorter_needs_the_certification_even_when_the_uncertified_person_lives_closer():
    plan = solve(inst.sorter_certification())
    assert held(plan) == {("C", "count_sorter", "count"): ["W2"]}


def test_certified_neighbour_takes_the_sorter_post_when_closer():
    w1, w2 = inst.sorter_certification().workers
    instance = inst.build("sorter_both_certified", {("C", "count_sorter"): 1},
                          [w1.model_copy(update={"certifications": ("sorter",)}), w2])
    assert held(solve(instance)) == {("C", "count_sorter", "count"): ["W1"]}


def test_sorter_shortfall_names_the_certification():
    w1, _ = inst.sorter_certification().workers
    plan = solve(inst.build("no_sorter", {("C", "count_sorter"): 1}, [w1]))
    assert "certification sorter" in short_reason(plan, "C", "count_sorter")


def test_pooled_roles_are_labelled_by_experience():
    plan = solve(inst.pooled_roles())
    assert held(plan) == {("P-1", "guide", "eday"): ["W3"], ("P-1", "register_check", "eday"): ["W1", "W2"]}


# --- availability, and the early-voting shift -------------------------------------------------------------------


@pytest.mark.parametrize(("split_days", "unavailable", "w1_shifts"), [
    (False, [], ["early"]),
    (False, ["early"], []),
    (False, ["early-1"], []),  # one day blocks the two-day shift
    (False, ["early-2"], []),
    (False, ["eday", "count"], ["early"]),
    (True, [], ["early-1", "early-2"]),
    (True, ["early"], []),  # early blocks early-1 and early-2
    (True, ["early-1"], ["early-2"]),
    (True, ["early-2"], ["early-1"]),
], ids=lambda v: str(v))
def test_unavailable_shifts_block_posts(split_days, unavailable, w1_shifts):
    instance = inst.early_voting(split_days, unavailable=unavailable)
    plan = solve(instance, Weights(second_post=0))  # W1 (nearest) takes every post it may
    assert sorted(shift for _, _, shift in posts_of(plan, "W1")) == w1_shifts
    assert plan.shortfalls == ()  # W2 covers the rest
    assert_accounted(instance, plan)


def test_early_voting_is_one_shift_over_both_days_unless_split():
    instance = inst.early_voting(split_days=False)
    (shift,) = [s for s in instance.demand.shifts if s.id.startswith("early")]
    assert (shift.id, shift.start.isoformat(), shift.end.isoformat()) == (
        "early", "2022-03-04T05:00:00", "2022-03-05T19:00:00")
    assert [r.shift for r in instance.demand.requirements] == ["early"]
    plan = solve(instance)
    assert held(plan) == {("E-1", "early_guide", "early"): ["W1"]}  # one person, both days


def test_split_early_voting_days_are_two_posts_that_two_people_may_share():
    instance = inst.early_voting(split_days=True, max_posts=1)
    assert sorted(r.shift for r in instance.demand.requirements) == ["early-1", "early-2"]
    plan = solve(instance)
    days = held(plan)
    assert sorted(days) == [("E-1", "early_guide", "early-1"), ("E-1", "early_guide", "early-2")]
    assert sorted(w for ws in days.values() for w in ws) == ["W1", "W2"]  # cap 1: one day each
    assert plan.shortfalls == ()


# --- the cap on posts per person ----------------------------------------------------------------------------------


def test_cap_of_one_post_keeps_a_person_from_early_voting_and_election_day():
    plan = solve(inst.early_and_eday_one_person(max_posts=1))
    assert len(posts_of(plan, "W1")) == 1
    (s,) = plan.shortfalls
    assert "already hold the maximum of 1 posts" in s.reason


def test_cap_of_two_posts_lets_one_person_hold_early_voting_and_election_day():
    plan = solve(inst.early_and_eday_one_person(max_posts=2))
    assert posts_of(plan, "W1") == [("E-1", "early_guide", "early"), ("P-1", "guide", "eday")]
    assert plan.shortfalls == ()
    assert plan.objective_terms["second_post"] == DEFAULTS.second_post


# --- every named instance: a plan validate accepts, the objective recomputed ----------------------------------------


@pytest.mark.parametrize("name", [n for n in inst.NAMED if n != "empty_pool"])  # a staff file needs a row
def test_named_instance_plan_passes_validate(name, tmp_path, scenario):
    instance = inst.NAMED[name]()
    plan = solve(instance)
    assert_accounted(instance, plan)
    assert write_and_validate(instance, plan, tmp_path / "plan", scenario) == []


@pytest.mark.parametrize("name", list(inst.NAMED))
@pytest.mark.parametrize("weights", [DEFAULTS, EVERY_WEIGHT], ids=["default-weights", "every-weight"])
def test_objective_recomputed_in_python_equals_the_solvers(name, weights):
    plan = solve(inst.NAMED[name](), weights)
    assert sum(plan.objective_terms.values()) == plan.stats.objective
    assert plan.stats.best_bound == plan.stats.objective


def test_every_term_instance_exercises_every_objective_term():
    plan = solve(inst.every_term(), EVERY_WEIGHT)
    assert set(plan.objective_terms) >= set(TERMS)
    zero = [term for term in TERMS if plan.objective_terms[term] == 0]
    assert zero == []
    assert plan.objective_terms["worst_commute"] == 5 * max(a.commute_m for a in plan.assignments)
    assert sum(plan.objective_terms.values()) == plan.stats.objective



# --- explanations of a shortfall, cause by cause --------------------------------------------------------------------


def _group(problem, site_id: str) -> int:
    return next(g.index for g in problem.groups if g.site.id == site_id)


def test_explain_no_one_qualifies():
    i = inst.nobody_qualified()
    problem = build_problem(i.demand, i.rules, i.workers)
    assert explain_shortfall(problem, _group(problem, "P-1"), {}) == (
        "no one in the staff pool meets the requirements (grade 6급 or above, experience as 투표관리관)")


def test_explain_everyone_unavailable():
    i = inst.all_unavailable()
    problem = build_problem(i.demand, i.rules, i.workers)
    assert explain_shortfall(problem, _group(problem, "P-1"), {}) == (
        "all 2 people who meet the requirements (no special requirement) are unavailable on shift eday")


def test_explain_everyone_on_an_overlapping_shift():
    i = inst.eday_and_count_one_person()
    problem = build_problem(i.demand, i.rules, i.workers)
    busy = {0: [_group(problem, "P-1")]}
    assert explain_shortfall(problem, _group(problem, "C"), busy) == (
        "all 1 eligible, available people are taken: 1 already hold a post on an overlapping shift (e.g. at P-1)")


def test_explain_everyone_at_the_cap():
    i = inst.early_and_eday_one_person(max_posts=1)
    problem = build_problem(i.demand, i.rules, i.workers)
    busy = {0: [_group(problem, "P-1")]}
    assert explain_shortfall(problem, _group(problem, "E-1"), busy) == (
        "all 1 eligible, available people are taken: 1 already hold the maximum of 1 posts")


def test_explain_some_overlapping_some_capped():
    i = inst.build("mixed", {("E-1", "early_guide"): 1, ("P-1", "guide"): 1, ("C", "count_guide"): 1},
                   [inst.person("W1"), inst.person("W2", home=1)], max_posts=1)
    problem = build_problem(i.demand, i.rules, i.workers)
    busy = {0: [_group(problem, "C")], 1: [_group(problem, "E-1")]}  # W1 on the count, W2 at early voting
    assert explain_shortfall(problem, _group(problem, "P-1"), busy) == (
        "all 2 eligible, available people are taken: 1 already hold a post on an overlapping shift (e.g. at C); "
        "1 already hold the maximum of 1 posts")


def test_explain_free_people_left_unplaced():
    i = inst.exact_fit()
    problem = build_problem(i.demand, i.rules, i.workers)
    assert explain_shortfall(problem, _group(problem, "P-1"), {0: [_group(problem, "P-1")]}) == (
        "1 eligible people were free but the solver stopped before placing them (raise --time-limit)")


def test_overlap_explanation_names_only_places_on_overlapping_shifts():
    """W1 holds early voting at E-1 and election day at P-1; P-2's election-day post stays short."""
    i = inst.build("overlap_examples", {("E-1", "early_guide"): 1, ("P-1", "guide"): 1, ("P-2", "guide"): 1},
                   [inst.person("W1")], max_posts=2)
    plan = solve(i)
    assert posts_of(plan, "W1") == [("E-1", "early_guide", "early"), ("P-1", "guide", "eday")]
    reason = short_reason(plan, "P-2", "guide")
    assert "overlapping shift (e.g. at P-1)" in reason  # E-1 (early voting, days before) overlaps nothing here


def test_overlap_explanation_when_a_shift_is_in_two_overlap_sets():
    """Shifts am 05-12h, eday 05-20h, count 18-04h: overlap sets {am, eday} and {eday, count}.

    One person, living at the counting site, holds the count post; the election-day post stays short.
    """
    rules = inst.staffing_rules()
    rules = rules.model_copy(update={"shifts": (*rules.shifts, ShiftTemplate(id="am", name="오전", day="election_day",
                                                                              start="05:00", end="12:00"))})
    i = inst.build("eday_in_two_cliques", {("P-1", "guide"): 1, ("C", "count_guide"): 1},
                   [inst.person("W1", home=(126.9001, 37.4571))], rules=rules)
    plan = solve(i)
    assert plan.stats.status == "OPTIMAL"
    assert posts_of(plan, "W1") == [("C", "count_guide", "count")]
    assert "overlapping shift" in short_reason(plan, "P-1", "guide")


# --- random small instances: every plan passes validate --------------------------------------------------------------


SITE_POOL = ["P-1", "P-2", "P-3", "E-1", "E-2", "C"]
DEPARTMENTS = ["총무과", "재무과", "독산1동 주민센터"]
SHIFT_IDS = ["early", "early-1", "early-2", "eday", "count"]


@st.composite
def random_instances(draw) -> inst.Instance:
    """2-4 sites, 1-3 roles with random eligibility rules, 1-3 shifts (eday and count overlap or not; early voting
    one shift or split), 3-12 people with random grades, certifications, experience and unavailability."""
    sites = draw(st.lists(st.sampled_from(SITE_POOL), min_size=2, max_size=4, unique=True))
    kinds = {inst.SITES[s].kind for s in sites}
    fitting = [r for r in inst.ROLES.values() if r.site_kind in kinds]
    roles = draw(st.lists(st.sampled_from(fitting), min_size=1, max_size=3, unique_by=lambda r: r.role))
    roles = [r.model_copy(update={"min_grade": draw(st.sampled_from([None, 6, 7, 8])),
                                  "requires": draw(st.sampled_from([(), ("sorter",)])),
                                  "experienced": draw(st.booleans())}) for r in roles]
    posts = {(s, r.role): draw(st.integers(1, 3)) for s in sites for r in roles if r.site_kind is inst.SITES[s].kind}
    role_ids = [r.role for r in roles]
    workers = []
    for k in range(draw(st.integers(3, 12))):
        workers.append(inst.person(
            f"W{k + 1:02d}", draw(st.sampled_from([None, 5, 6, 7, 8, 9])),
            department=draw(st.sampled_from(DEPARTMENTS)),
            experience=draw(st.lists(st.sampled_from(role_ids), unique=True, max_size=2)),
            certifications=draw(st.sampled_from([(), ("sorter",)])),
            unavailable=draw(st.lists(st.sampled_from(SHIFT_IDS), unique=True, max_size=2)),
            home=(draw(st.floats(126.89, 126.91)), draw(st.floats(37.44, 37.48))),
            preferred_dong=draw(st.sampled_from([None, "독산1동", "시흥1동"])),
            preferred_site_kind=draw(st.sampled_from([None, *SiteKind])),
        ))
    rules = inst.staffing_rules(roles, max_posts=draw(st.integers(1, 3)), split_days=draw(st.booleans()),
                                count_start=draw(st.sampled_from(["18:00", "21:00"])))
    return inst.build("random", posts, workers, rules=rules)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=random_instances(), every_weight=st.booleans())
def test_random_instances_give_valid_plans(tmp_path_factory, scenario, instance, every_weight):
    plan = solve(instance, EVERY_WEIGHT if every_weight else DEFAULTS)
    assert_accounted(instance, plan)
    assert sum(plan.objective_terms.values()) == plan.stats.objective
    assert not any("solver stopped" in s.reason for s in plan.shortfalls)  # an OPTIMAL plan never blames the limit
    violations = write_and_validate(instance, plan, tmp_path_factory.mktemp("random") / "plan", scenario)
    assert violations == [], [str(v) for v in violations]


# --- the real 2022 data ------------------------------------------------------------------------------------------------


def test_presidential_objective_recomputed_equals_the_solvers(presidential_scenario, tmp_path):
    inputs = load_inputs(presidential_scenario, with_staff=True)
    demand = plan_demand(inputs)
    plan = plan_roster(inputs, demand)
    assert plan.stats.status == "OPTIMAL"
    assert sum(plan.objective_terms.values()) == plan.stats.objective
    assert sum(a.commute_m for a in plan.assignments) * inputs.scenario.weights.commute == plan.objective_terms["commute"]
    assert len(plan.assignments) == demand.total() and plan.shortfalls == ()  # 799 posts with the 2022 rules
    write_plan(tmp_path / "plan", scenario=inputs.scenario, demand=demand, rules=inputs.rules, workers=inputs.workers,
               plan=plan, input_files=inputs.input_files())
    assert validate_plan(tmp_path / "plan") == []


def test_local_roster_is_deterministic(local_scenario, tmp_path):
    inputs = load_inputs(local_scenario, with_staff=True)
    demand = plan_demand(inputs)
    outs = []
    for k in range(2):
        plan = plan_roster(inputs, demand)
        out = tmp_path / f"run{k}"
        write_plan(out, scenario=inputs.scenario, demand=demand, rules=inputs.rules, workers=inputs.workers,
                   plan=plan, input_files=inputs.input_files())
        outs.append(out)
    first, second = ((out / "assignments.csv").read_bytes() for out in outs)
    assert first == second
    assert first.count(b"\n") == 1 + len(plan.assignments) == 1 + demand.total()  # every post filled
    # the workbook too: its dates come from the election and it holds no timing, so it is byte-identical
    assert (outs[0] / "roster.xlsx").read_bytes() == (outs[1] / "roster.xlsx").read_bytes()


def _csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def test_cli_solve_and_validate_on_the_local_election(local_scenario, local_inputs, tmp_path):
    out = tmp_path / "plan"
    result = runner.invoke(app, ["solve", str(local_scenario), "--out", str(out)])
    assert result.exit_code == 0, result.output

    # The demand the rules give: the rules are calibrated to the district's published plan, 984 poll + 85 count
    demand = plan_demand(local_inputs)
    req = pd.read_csv(out / "requirements.csv", encoding="utf-8")
    totals = req.groupby("site_kind")["required"].sum()
    assert totals["polling"] + totals["early"] == demand.total(SiteKind.polling, SiteKind.early) == 984
    assert totals["counting"] == demand.total(SiteKind.counting) == 85
    assert (req["assigned"] == req["required"]).all()

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    for key in ("status", "objective", "best_bound", "gap", "solve_seconds", "totals", "shortfall_count", "inputs"):
        assert key in summary, key
    assert summary["status"] == "OPTIMAL" and summary["shortfall_count"] == 0
    assert summary["objective"] == sum(summary["objective_terms"].values())
    for name in ("scenario", "rules", "staff", "sites"):
        assert len(summary["inputs"][name]["sha256"]) == 64, name

    result = runner.invoke(app, ["validate", str(out)])
    assert result.exit_code == 0, result.output
    assert "every hard rule holds" in " ".join(result.output.split())  # rich may wrap long lines

    # Corrupt the plan: hand a 투표관리관 post to a 9급 person who holds no other post.
    header, rows = _csv_rows(out / "assignments.csv")
    col = {name: k for k, name in enumerate(header)}
    staff = pd.read_csv(summary["inputs"]["staff"]["path"], dtype=str, keep_default_na=False)
    placed = {r[col["worker_id"]] for r in rows}
    junior = next(w for w, g in zip(staff["worker_id"], staff["grade"]) if g == "9" and w not in placed)
    k = next(k for k, r in enumerate(rows) if r[col["role"]] == "manager")
    rows[k][col["worker_id"]] = junior
    with open(out / "assignments.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *rows])

    result = runner.invoke(app, ["validate", str(out)])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert f"[grade] worker {junior}" in text and "needs 6급 or above; has 9급" in text


def test_cli_solve_with_too_small_a_pool_exits_3_and_explains(local_scenario, repo_root, tmp_path):
    small = tmp_path / "staff-50.csv"
    lines = (repo_root / "data/staff/geumcheon-2022.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    small.write_text("".join(lines[:51]), encoding="utf-8")
    out = tmp_path / "plan"
    result = runner.invoke(app, ["solve", str(local_scenario), "--out", str(out), "--staff", str(small)])
    assert result.exit_code == 3, result.output

    shortfalls = pd.read_csv(out / "shortfalls.csv", encoding="utf-8")
    assert len(shortfalls) > 0
    assert shortfalls["reason"].str.strip().str.len().gt(0).all()
    assert (shortfalls["short"] == shortfalls["required"] - shortfalls["assigned"]).all()
    req = pd.read_csv(out / "requirements.csv", encoding="utf-8")
    assert shortfalls["short"].sum() == (req["required"] - req["assigned"]).sum() > 0

    sheet = openpyxl.load_workbook(out / "roster.xlsx", read_only=True)["미충원"]
    rows = list(sheet.iter_rows(values_only=True))
    assert "사유" in rows[0] and len(rows) - 1 == len(shortfalls)
    assert validate_plan(out) == []  # short, but every hard rule holds
