"""Everything a solved plan writes to disk: machine-readable CSVs, a summary and the Korean roster.

The folder is written whole by ``plan_folder.write_plan_folder`` (built beside the target,
swapped in by one rename, under a lock), so a failure part-way leaves the previous plan
intact. ``validate`` reads these files back through ``plan_folder`` and re-checks the hard
rules, so the columns below are a contract with it.

Personal data: names appear only in roster.xlsx, never in a CSV or the summary.
"""

from __future__ import annotations

import functools
import math
import os
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from .. import __version__
from ..checksums import file_sha256
from ..demand import Demand
from ..domain import SiteKind, StaffingRules, Worker
from ..errors import InputError
from ..io.scenario import Scenario
from ..plan_folder import ABSENT, FROZEN, json_safe, write_absent_csv, write_plan_folder, write_posts_csv
from ..solution import Plan
from .context import PlanContext
from .files import save_csv
from .html_report import write_report_html
from .notices import write_notices_pdf
from .roster import roster_workbook
from .tables import requirements_frame, shifts_frame, sites_frame

PLAN_REQUIREMENT_COLUMNS = ["site_id", "site_kind", "role", "shift", "required", "assigned", "role_name", "load"]
# commute_estimate (last, added later): true when the home is a 동's or 시군구's point, not coordinates
ASSIGNMENT_COLUMNS = ["worker_id", "site_id", "site_kind", "role", "shift", "commute_m", "department", "role_name",
                      "commute_estimate"]
SHORTFALL_COLUMNS = ["site_id", "site_kind", "role", "shift", "required", "assigned", "short", "reason", "reason_code"]
ROLE_COLUMNS = ["site_kind", "role", "role_name", "shift", "lead", "min_grade", "requires", "experienced"]
PLAN_FILES = ("requirements.csv", "sites.csv", "shifts.csv", "assignments.csv", "shortfalls.csv", "roles.csv",
              "roster.xlsx", "summary.json", "notices.pdf", "report.html")
# every plan has these (notices.pdf unless left out: write_plan(notices=False), a national run's default);
# frozen.csv, absent.csv, waits.csv, changes.csv/xlsx may follow


def write_plan(out: Path, *, scenario: Scenario, demand: Demand, rules: StaffingRules, workers: tuple[Worker, ...],
               plan: Plan, input_files: dict[str, Path], extra_summary: dict | None = None,
               extra_files: dict[str, Callable[[Path], None]] | None = None, waits: tuple = (),
               frozen: tuple = (), absent: tuple[str, ...] = (), notices: bool = True) -> None:
    """Write a plan's files into ``out`` as one whole folder (``plan_folder.write_plan_folder``).

    ``input_files`` maps a name to each file the plan was made from (scenario.input_files()
    plus ``staff``, ``freeze``); their path and sha256 go into summary.json, so ``validate`` can
    re-derive the plan's demand and refuse a plan whose inputs changed. ``frozen`` (posts kept by
    --freeze) and ``absent`` (a replan's absent people) are recorded as frozen.csv and absent.csv.
    ``notices=False`` leaves out notices.pdf (a national check of staffing hands nothing out; the
    file list in summary.json says which documents a plan has).

    This is the ONE writer of a plan folder: a new plan file is one more entry of ``files`` below.
    """
    hashes = {name: _input_entry(name, Path(path), Path(out)) for name, path in input_files.items()}
    summary = plan_summary(scenario=scenario, demand=demand, rules=rules, workers=workers, plan=plan, inputs=hashes)
    summary.update(json_safe(extra_summary or {}))
    csvs = {
        "requirements.csv": plan_requirements_frame(demand, plan),
        "sites.csv": sites_frame(demand),
        "shifts.csv": shifts_frame(demand),
        "assignments.csv": assignments_frame(plan, demand, workers),
        "shortfalls.csv": shortfalls_frame(plan),
        "roles.csv": roles_frame(rules),
    }
    files: dict[str, Callable[[Path], None]] = {name: functools.partial(save_csv, frame) for name, frame in csvs.items()}
    files["roster.xlsx"] = lambda path: roster_workbook(path, scenario=scenario, demand=demand, rules=rules,
                                                        workers=workers, plan=plan, waits=waits)
    # The documents people read (contract 2): each gets the same bundle the writer has.
    context = PlanContext(scenario=scenario, demand=demand, rules=rules, workers=workers, plan=plan,
                          waits=tuple(waits), summary=summary)
    if notices:
        files["notices.pdf"] = lambda path: write_notices_pdf(path, context)
    files["report.html"] = lambda path: write_report_html(path, context)
    if frozen:
        files[FROZEN] = lambda path: write_posts_csv(path, frozen)
    if absent:
        files[ABSENT] = lambda path: write_absent_csv(path, absent)
    files.update(extra_files or {})  # e.g. waits.csv, changes.csv
    write_plan_folder(out, files, summary, inputs=input_files.values())


def plan_requirements_frame(demand: Demand, plan: Plan) -> pd.DataFrame:
    """requirements_frame with ``assigned`` (assignment rows per site, role and shift) after ``required``."""
    frame = requirements_frame(demand)
    counts = Counter((a.site_id, a.role, a.shift) for a in plan.assignments)
    assigned = [counts.get(key, 0) for key in zip(frame["site_id"], frame["role"], frame["shift"])]
    frame.insert(frame.columns.get_loc("required") + 1, "assigned", pd.Series(assigned, dtype="int64"))
    return frame[PLAN_REQUIREMENT_COLUMNS]


def assignments_frame(plan: Plan, demand: Demand, workers: tuple[Worker, ...]) -> pd.DataFrame:
    """One row per assignment, in the plan's order; no names (the department identifies no one)."""
    department = {w.id: w.department for w in workers}
    estimate = {w.id: w.commute_estimate for w in workers}
    role_name = {(r.site_id, r.role, r.shift): r.role_name for r in demand.requirements}
    rows = [{"worker_id": a.worker_id, "site_id": a.site_id, "site_kind": a.site_kind, "role": a.role,
             "shift": a.shift, "commute_m": int(a.commute_m), "department": department.get(a.worker_id, ""),
             "role_name": role_name.get((a.site_id, a.role, a.shift), ""),
             "commute_estimate": _bool(estimate.get(a.worker_id, False))} for a in plan.assignments]
    return pd.DataFrame(rows, columns=ASSIGNMENT_COLUMNS)


def shortfalls_frame(plan: Plan) -> pd.DataFrame:
    rows = [{"site_id": s.site_id, "site_kind": s.site_kind, "role": s.role, "shift": s.shift,
             "required": s.required, "assigned": s.assigned, "short": s.short, "reason": s.reason,
             "reason_code": s.reason_code}
            for s in plan.shortfalls]
    return pd.DataFrame(rows, columns=SHORTFALL_COLUMNS)


def roles_frame(rules: StaffingRules) -> pd.DataFrame:
    """The eligibility rules, one row per role rule, so ``validate`` needs no YAML."""
    rows = [{"site_kind": r.site_kind.value, "role": r.role, "role_name": r.name, "shift": r.shift,
             "lead": _bool(r.lead), "min_grade": r.min_grade, "requires": ";".join(r.requires),
             "experienced": _bool(r.experienced)} for r in rules.roles]
    frame = pd.DataFrame(rows, columns=ROLE_COLUMNS)
    frame["min_grade"] = frame["min_grade"].astype("Int64")  # 6, or empty: never 6.0
    return frame


def _bool(value: bool) -> str:
    return "true" if value else "false"


def plan_summary(*, scenario: Scenario, demand: Demand, rules: StaffingRules, workers: tuple[Worker, ...],
                 plan: Plan, inputs: dict[str, dict[str, str]]) -> dict:
    """summary.json's content; NaN and infinities become None (JSON null)."""
    stats = plan.stats
    totals = {}
    for kind in SiteKind:
        required = sum(r.required for r in demand.requirements if r.site_kind is kind)
        if required == 0 and not any(a.site_kind == kind.value for a in plan.assignments):
            continue
        totals[kind.value] = {
            "required": required,
            "assigned": sum(1 for a in plan.assignments if a.site_kind == kind.value),
            "short": sum(s.short for s in plan.shortfalls if s.site_kind == kind.value),
        }
    commutes = [a.commute_m for a in plan.assignments]
    summary = {
        "status": stats.status,
        "objective": stats.objective,
        "best_bound": stats.best_bound,
        "gap": _gap(stats),
        "solve_seconds": stats.solve_seconds,
        "variables": stats.variables,
        "constraints": stats.constraints,
        "totals": totals,
        "shortfall_count": plan.short_posts,
        "standby_empty": sum(s.short for s in plan.shortfalls if s.reserve),
        "objective_terms": dict(plan.objective_terms),
        "commute_m": {
            "mean": round(sum(commutes) / len(commutes), 1) if commutes else math.nan,
            "max": max(commutes) if commutes else math.nan,
            "total": sum(commutes),
        },
        "fairness": department_fairness(workers, plan),
        "limits": {"max_posts_per_worker": rules.limits.max_posts_per_worker},
        "scenario": {"id": scenario.id, "title": scenario.title, "seed": scenario.seed},
        "version": __version__,
        "inputs": inputs,
    }
    return json_safe(summary)


def department_fairness(workers: tuple[Worker, ...], plan: Plan) -> dict[str, dict[str, float]]:
    """Per department: people in the pool, posts held, and the two as shares of their totals."""
    pool = Counter(w.department for w in workers)
    department = {w.id: w.department for w in workers}
    posts: dict[str, int] = defaultdict(int)
    for a in plan.assignments:
        posts[department.get(a.worker_id, "")] += 1
    n_pool, n_posts = sum(pool.values()), len(plan.assignments)
    out = {}
    for name in sorted(set(pool) | set(posts)):
        out[name] = {
            "pool": pool.get(name, 0),
            "posts": posts.get(name, 0),
            "pool_share": round(pool.get(name, 0) / n_pool, 4) if n_pool else math.nan,
            "post_share": round(posts.get(name, 0) / n_posts, 4) if n_posts else math.nan,
        }
    return out


def _gap(stats) -> float:
    try:
        return stats.gap
    except (ArithmeticError, TypeError, ValueError):
        return math.nan




def _input_entry(name: str, path: Path, out: Path) -> dict[str, str]:
    try:
        digest = file_sha256(path)
    except OSError as exc:
        raise InputError(path, f"cannot read input file '{name}' to record its checksum ({exc.strerror})",
                         fix="pass the files the plan was made from") from None
    # absolute, so the plan can be validated, replanned or reused from any working folder; and relative to the
    # plan folder, so a tree moved as a whole (a country run's unit, built aside and renamed) still finds them
    return {"path": str(path.resolve()), "sha256": digest,
            "relative": os.path.relpath(path.resolve(), out.resolve()).replace(os.sep, "/")}
