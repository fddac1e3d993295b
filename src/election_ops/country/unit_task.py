"""One count unit, end to end, as a task an engine can run anywhere: init -> solve -> write -> validate.

A task never raises for a unit's own failure: it returns a record with the error, so one
bad unit does not stop the country. The unit is built in a private folder under
``units/.building/`` and renamed into ``units/<code>/`` only when it is whole, so a worker
killed mid-unit leaves no half-written unit folder (the next run sweeps its leftovers).
"""

from __future__ import annotations

import json
import os
import shutil
import time
import traceback
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

UNIT_RECORD = "unit.json"
RECORD_FORMAT = 2  # raise when a unit record gains or changes a figure: older records are then planned again
BUILDING = ".building"
TEMPLATE_SCENARIO = "template.yaml"


@dataclass(frozen=True)
class UnitTask:
    code: str
    sido: str
    sigungu: str
    units_dir: str  # DIR/units
    input_key: str  # what the plan depends on; a unit whose record has the same key is not redone
    template: str | None = None  # the scenario template's text (YAML overrides applied to the unit's scenario)
    seed: int = 0
    time_limit: float | None = None
    notices: bool = False  # notices.pdf per unit: a page per person, ~1 ms a page, not needed for a national check


def unit_folder(units_dir: Path, code: str) -> Path:
    return units_dir / code


def read_record(units_dir: Path, code: str) -> dict | None:
    """The unit's record when its folder is whole (the record is the last file written), else None."""
    path = unit_folder(units_dir, code) / UNIT_RECORD
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def plan_unit(task: UnitTask) -> dict:
    """Plan one unit into ``units/<code>/``; the record says how it went (status ``planned``, ``short``, ``failed``)."""
    started = time.perf_counter()
    units_dir = Path(task.units_dir)
    build = units_dir / BUILDING / f"{task.code}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    base = {"code": task.code, "sido": task.sido, "sigungu": task.sigungu, "input_key": task.input_key}
    try:
        build.mkdir(parents=True)
        record = {**base, **_plan_into(task, build)}
        record["unit_seconds"] = round(time.perf_counter() - started, 3)
        (build / UNIT_RECORD).write_text(json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True),
                                         encoding="utf-8")
        _swap_in(build, unit_folder(units_dir, task.code))
        return record
    except Exception as exc:  # noqa: BLE001 - a unit's failure is data for the national report, not a crash
        shutil.rmtree(build, ignore_errors=True)
        return {**base, "status": "failed", "error": _error_text(exc),
                "unit_seconds": round(time.perf_counter() - started, 3)}


def _error_text(exc: BaseException) -> str:
    from ..errors import ElectionOpsError

    if isinstance(exc, ElectionOpsError):
        return str(exc)[:500]
    # an internal error names its type and where, never its text (it could quote a staff row)
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" at {Path(frame.filename).name}:{frame.lineno}" if frame else ""
    return f"internal error: {type(exc).__name__}{where}"


def warm_up() -> None:
    """Load what every unit needs once per worker process (the solver, pandas, the national tables and outlines).

    The engines run it as a worker starts, so a unit's time is its own work, not the worker's first import
    (~1.5 s); a worker that joins later warms up on its first unit instead.
    """
    from ..districts import korea
    from ..model import solve  # noqa: F401 - imports ortools
    from ..pipeline import load_inputs  # noqa: F401
    from ..validate import validate_plan  # noqa: F401

    korea.units_table(), korea.dongs_table(), korea.precincts_table()
    korea.warm_outlines()


def _plan_into(task: UnitTask, build: Path) -> dict:
    from ..districts import init_unit
    from ..pipeline import load_inputs, solve_plan, station_waits_of, write_solved
    from ..validate import validate_plan
    from .figures import unit_figures

    scenario = init_unit(task.code, build / "district", seed=task.seed)
    if task.template is not None:
        scenario = _apply_template(scenario, task.template)
    inputs = load_inputs(scenario, with_staff=True)
    solved = solve_plan(inputs, time_limit=task.time_limit)
    plan_dir = build / "plan"
    waits = station_waits_of(solved)
    write_solved(solved, plan_dir, notices=task.notices, waits=waits)
    violations = validate_plan(plan_dir, None)
    figures = unit_figures(solved, waits)
    status = "short" if solved.plan.short_posts else "planned"
    if violations:
        status = "invalid"
        figures["error"] = f"{len(violations)} violation(s), first: {violations[0]}"[:500]
    return {"status": status, "scenario": str(scenario.relative_to(build)), **figures}


def _apply_template(scenario: Path, template: str) -> Path:
    """The unit's scenario with the template's keys on top (a scenario overlay: ``base`` is the unit's own)."""
    import yaml

    overrides = yaml.safe_load(template) or {}
    overrides.pop("base", None)
    target = scenario.parent / TEMPLATE_SCENARIO
    text = f"# The country run's scenario template applied to this unit.\nbase: {scenario.name}\n"
    if overrides:
        text += yaml.safe_dump(overrides, allow_unicode=True, sort_keys=True)
    target.write_text(text, encoding="utf-8")
    return target


def _swap_in(build: Path, target: Path) -> None:
    """Rename the finished build into place; an older folder is moved aside first, then removed."""
    old = None
    if target.exists():
        old = target.parent / BUILDING / f"{target.name}-old-{uuid.uuid4().hex[:8]}"
        os.replace(target, old)
    os.replace(build, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def sweep_leftovers(units_dir: Path) -> int:
    """Remove what killed workers left under ``units/.building``; how many folders."""
    building = units_dir / BUILDING
    if not building.exists():
        return 0
    leftovers = list(building.iterdir())
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)
    return len(leftovers)


def task_dict(task: UnitTask) -> dict:
    return asdict(task)
