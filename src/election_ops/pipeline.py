"""Wire the layers together: scenario file -> checked inputs -> demand -> roster."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .costs import ROLE_CLASSES
from .demand import Demand, compute_demand
from .domain import District, StaffingRules, Worker, home_placements
from .errors import InputError
from .io.district import check_points_inside, load_district
from .io.rules import load_rules
from .io.scenario import Scenario, load_scenario
from .io.staff import load_staff
from .overlays import apply_layout, apply_staff_changes, mark_unavailable
from .references import check_allowance_classes, check_staff_changes, check_wait_ids, shift_ids
from .solution import Plan


@dataclass(frozen=True)
class Inputs:
    scenario: Scenario
    district: District
    rules: StaffingRules
    workers: tuple[Worker, ...] = ()
    staff_path: Path | None = None

    def input_files(self) -> dict[str, Path]:
        files = self.scenario.input_files()
        if self.staff_path is not None:
            files["staff"] = self.staff_path
        return files


def load_inputs(scenario_path: Path, *, staff: Path | None = None, with_staff: bool = False) -> Inputs:
    """Read and check every input; the staff pool only when asked (demand needs none).

    ``staff`` overrides the scenario's pool (``solve --staff FILE``).
    """
    scenario = load_scenario(scenario_path)
    data = scenario.data
    district = load_district(data.dongs, data.precincts, data.dong_history, data.elections, data.sites, data.boundaries)
    if not scenario.layout.is_empty():
        district = apply_layout(district, scenario.layout, scenario.register_election, str(scenario.path))
        check_points_inside(data.boundaries, district, scenario.layout.points(), scenario.path)
    rules = load_rules(scenario.rules, scenario.rule_overrides)
    if rules.kind != scenario.election.kind:
        raise InputError(scenario.path, f"the rules file {scenario.rules} is for a {rules.kind.value} election",
                         column="election.kind", value=scenario.election.kind.value,
                         fix="name the rules file for this kind of election, or correct election.kind")
    check_wait_ids(rules, district, scenario.rules, scenario.path, scenario.rule_overrides)
    check_allowance_classes(rules, scenario.rules, ROLE_CLASSES)
    shifts = shift_ids(scenario.election, rules)
    check_staff_changes(scenario.staff_changes.shifts, shifts, scenario.path)
    if not (with_staff or staff):
        return Inputs(scenario=scenario, district=district, rules=rules)
    staff_path = staff or scenario.staff
    if staff_path is None:
        raise InputError(scenario.path, "the scenario names no staff pool", column="staff",
                         fix="add 'staff: <file>' to the scenario or pass --staff FILE")
    workers = apply_staff_changes(load_staff(staff_path, district, shift_ids=shifts), scenario.staff_changes)
    return Inputs(scenario=scenario, district=district, rules=rules, workers=workers, staff_path=staff_path)


def plan_demand(inputs: Inputs) -> Demand:
    s = inputs.scenario
    return compute_demand(inputs.district, s.election, inputs.rules, s.assumptions(),
                          scenario_file=str(s.path), rules_file=str(s.rules), sites_file=str(s.data.sites))


def plan_roster(inputs: Inputs, demand: Demand, *, seed: int | None = None, time_limit: float | None = None,
                previous: tuple = (), freeze: Path | None = None,
                progress: Callable[[float, float], None] | None = None) -> Plan:
    """Solve the roster; ``previous`` (FixedPost) makes it a replan, ``freeze`` names posts to keep.

    Pinned posts are checked before solving (model/precheck.py): one that no roster could keep is an
    input error naming the file, row and conflict, never an empty plan.
    """
    from .model.precheck import FixedPostConflict, ObjectiveRangeError, check_fixed_posts
    from .model.problem import FixedPostError  # the solver loads only when a roster is asked for
    from .model.solve import solve_roster
    from .replan import read_posts_with_rows

    s = inputs.scenario
    frozen, rows = read_posts_with_rows(freeze) if freeze is not None else ((), ())
    try:
        check_fixed_posts(frozen, demand, inputs.rules, inputs.workers)
    except FixedPostConflict as exc:
        raise InputError(freeze, exc.problem, row=rows[exc.index], column=exc.column, value=exc.value,
                         fix=exc.fix) from None
    try:
        return solve_roster(demand, inputs.rules, inputs.workers, s.weights,
                            time_limit=time_limit if time_limit is not None else s.time_limit,
                            seed=s.seed if seed is None else seed, previous=previous, frozen=frozen,
                            progress=progress)
    except FixedPostError as exc:  # a backstop: the check above names these first
        raise InputError(freeze, exc.problem, column="worker_id", value=exc.post.worker_id,
                         fix=f"remove or correct the post {exc.post.site_id}/{exc.post.role}/{exc.post.shift}") from None
    except ObjectiveRangeError as exc:
        raise InputError(s.path, str(exc), column=f"weights.{exc.term}",
                         fix="lower that weight (and check the scenario's numbers: turnout_scale, ballots_per_voter)"
                         ) from None


def mark_absent(inputs: Inputs, absent: tuple[str, ...], shifts: tuple[str, ...]) -> Inputs:
    """The same inputs with ``absent`` people unavailable on every shift."""
    return Inputs(scenario=inputs.scenario, district=inputs.district, rules=inputs.rules,
                  workers=mark_unavailable(inputs.workers, set(absent), shifts), staff_path=inputs.staff_path)


@dataclass(frozen=True)
class Solved:
    inputs: Inputs
    demand: Demand
    plan: Plan
    seed: int | None = None  # the solver seed when given instead of the scenario's (--seed)
    freeze: Path | None = None  # the --freeze file: its posts are recorded in the plan (frozen.csv)


def solve_plan(inputs: Inputs, *, seed: int | None = None, time_limit: float | None = None,
               freeze: Path | None = None, previous: tuple = (), absent: tuple[str, ...] = (),
               progress: Callable[[float, float], None] | None = None) -> Solved:
    """Demand (once) and the roster; ``absent`` people (a replan) are unavailable on every shift of that demand."""
    demand = plan_demand(inputs)
    if absent:
        inputs = mark_absent(inputs, absent, tuple(s.id for s in demand.shifts))
    plan = plan_roster(inputs, demand, seed=seed, time_limit=time_limit, previous=previous, freeze=freeze,
                       progress=progress)
    return Solved(inputs=inputs, demand=demand, plan=plan, seed=seed, freeze=freeze)


def write_solved(solved: Solved, out: Path, *, extra_summary: dict | None = None,
                 extra_files: dict | None = None, absent: tuple[str, ...] = (), notices: bool = True,
                 waits: tuple | None = None) -> None:
    """Every plan file in ``out``, all or nothing: the roster, CSVs, summary (with estimated cost).

    ``absent``: a replan's absent people, recorded so ``validate`` can check they hold nothing.
    ``notices=False``: no notices.pdf (``country plan`` without ``--notices``). ``waits``: the plan's
    ``station_waits_of`` when the caller already has them (computed here otherwise).
    """
    from .costs import cost_by_class, cost_summary, estimated_cost
    from .reports.files import save_csv
    from .reports.plan_files import write_plan
    from .waits import WAITS_COLUMNS, worst_first

    inputs = solved.inputs
    waits = station_waits_of(solved) if waits is None else waits
    over = [w for w in worst_first(waits) if not w.meets_target]
    estimates = {w.id for w in inputs.workers if w.commute_estimate}
    summary = {
        "cost_krw": estimated_cost(solved.demand, inputs.rules),
        # how the pool's homes were placed; commutes from a 동's or 시군구's point are estimates
        "homes": {**home_placements(inputs.workers),
                  "estimated_commutes": sum(a.worker_id in estimates for a in solved.plan.assignments)},
        **cost_summary(cost_by_class(solved.demand, inputs.rules, solved.plan), inputs.scenario.budget_krw),
        "waits": {"target_min": inputs.rules.waits.target_wait_min,
                  "worst": [{"site_id": w.site_id, "worst_wait_min": w.worst_wait_min, "note": w.note}
                            for w in worst_first(waits, 5)],
                  "over_target": [w.site_id for w in over],
                  "capacity_limited": [w.site_id for w in over if w.capacity_limited]},
        **(extra_summary or {}),
    }
    frame = pd.DataFrame([w.row() for w in waits], columns=list(WAITS_COLUMNS))
    files = {"waits.csv": lambda tmp: save_csv(frame, tmp), **(extra_files or {})}
    scenario = inputs.scenario if solved.seed is None else inputs.scenario.model_copy(update={"seed": solved.seed})
    input_files = inputs.input_files()
    frozen = ()
    if solved.freeze is not None:
        from .replan import read_posts

        input_files["freeze"] = solved.freeze
        frozen = read_posts(solved.freeze)
    write_plan(out, scenario=scenario, demand=solved.demand, rules=inputs.rules, workers=inputs.workers,
               plan=solved.plan, input_files=input_files, extra_summary=summary, extra_files=files,
               waits=waits, frozen=frozen, absent=absent, notices=notices)


def station_waits_of(solved: Solved):
    """Predicted waits at every polling and early-voting station with the clerks the plan gives it."""
    from collections import Counter

    from .waits import plan_waits

    assigned = Counter((a.site_id, a.role, a.shift) for a in solved.plan.assignments)
    rules = solved.inputs.rules
    return plan_waits(solved.demand, assigned, ballots_per_voter=solved.inputs.scenario.election.ballots_per_voter,
                      early_voting=rules.early_voting, model=rules.waits)
