"""Demand sized to the wait target (rules `waits.size_clerks`): never below the rules, and full
desks where no staffing meets the target."""

from pathlib import Path

from election_ops.demand import compute_demand
from election_ops.pipeline import load_inputs
from election_ops.waits import clerks_for_target, stage_capacity

REPO = Path(__file__).resolve().parents[1]


def _demand(inputs, rules):
    s = inputs.scenario
    return compute_demand(inputs.district, s.election, rules, s.assumptions())


def test_sizing_never_lowers_the_rules_and_meets_the_target_where_the_room_allows():
    inputs = load_inputs(REPO / "scenarios" / "2022-presidential-60-wait-target.yaml")
    sized = _demand(inputs, inputs.rules)
    plain_rules = inputs.rules.model_copy(update={"waits": inputs.rules.waits.model_copy(update={"size_clerks": False})})
    plain = _demand(inputs, plain_rules)
    before = {(r.site_id, r.role, r.shift): r.required for r in plain.requirements}
    after = {(r.site_id, r.role, r.shift): r.required for r in sized.requirements}
    assert before.keys() == after.keys()
    assert all(after[k] >= before[k] for k in before)

    model = inputs.rules.waits
    load = sized.loads["독산1동-3"]  # the merged station: no clerk count fits its room
    plan = clerks_for_target("독산1동-3", "polling", load.voters, 1, model)
    assert plan.clerks is None and "split the station" in plan.reason
    full = stage_capacity("독산1동-3", "polling", model)
    assert after[("독산1동-3", "register_check", "eday")] >= full["register_check"]


def test_without_the_option_the_published_totals_hold():
    inputs = load_inputs(REPO / "scenarios" / "2022-presidential.yaml")
    assert inputs.rules.waits.size_clerks is False
    assert _demand(inputs, inputs.rules).total() == 799
