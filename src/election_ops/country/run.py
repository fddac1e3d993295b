"""``country plan``: pick the units, skip the ones already planned from the same inputs, run the rest, total up.

Resuming: each unit's record (``units/<code>/unit.json``) holds the key of what its plan was
made from (unit code, scenario template, seed, time limit, notices or not, product version,
shipped data).
A rerun plans only the units whose record is missing, failed or made from another key; a
second run with nothing changed does no work. Failures are recorded in ``failed/<code>.json``
and in country.csv; the other units go on.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..errors import UsageError
from .engine import run_tasks
from .unit_task import RECORD_FORMAT, UnitTask, read_record, sweep_leftovers

DONE_STATUSES = ("planned", "short")


@dataclass
class CountryRun:
    """What a run did: the records of every selected unit (in code order), and how many were redone."""

    records: list[dict]
    planned_now: int
    skipped: int
    seconds: float
    failed: list[dict] = field(default_factory=list)


def select_units(units: str | None = None, sido: str | None = None) -> list:
    from ..districts import list_units

    catalog = list_units()
    chosen = catalog
    if sido:
        chosen = [u for u in chosen if u.sido == sido or u.sido.startswith(sido)]
        if not chosen:
            names = sorted({u.sido for u in catalog})
            raise UsageError(f"no 시도 named {sido!r}; choose one of: {', '.join(names)}")
    if units:
        codes = [c.strip() for c in units.split(",") if c.strip()]
        known = {u.code: u for u in catalog}
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise UsageError(f"unknown count unit code(s): {', '.join(unknown[:10])}; "
                             "`election-ops district list` shows every code")
        wanted = set(codes)
        chosen = [u for u in chosen if u.code in wanted]
    if not chosen:
        raise UsageError("no count unit selected")
    return sorted(chosen, key=lambda u: u.code)


def data_digest() -> str:
    """A digest of the shipped national data and rules: a new data release redoes every unit."""
    from ..districts.init import RULES_SOURCE
    from ..districts.korea import korea_dir

    digest = hashlib.sha256()
    for path in sorted([*korea_dir().iterdir(), RULES_SOURCE]):
        if not path.is_file():
            continue
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def input_key(code: str, template: str | None, seed: int, time_limit: float | None, data: str,
              notices: bool = False) -> str:
    payload = json.dumps({"code": code, "template": template, "seed": seed, "time_limit": time_limit,
                          "version": __version__, "record_format": RECORD_FORMAT, "data": data, "notices": notices},
                         sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


@contextlib.contextmanager
def run_lock(out: Path):
    """One country run per output folder at a time: a second one is refused, not interleaved."""
    out.mkdir(parents=True, exist_ok=True)
    fh = open(out / ".country.lock", "w")  # noqa: SIM115 - held for the whole run
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(f"another country run is writing to {out}; wait for it or pick another --out") from None
        yield
    finally:
        fh.close()


def plan_country(out: Path, *, units: str | None = None, sido: str | None = None, template: Path | None = None,
                 engine: str = "dask", workers: int = 2, address: str | None = None, seed: int = 0,
                 time_limit: float | None = None, notices: bool = False,
                 on_plan: Callable[[int, int], None] | None = None,
                 on_result: Callable[[dict], None] | None = None) -> CountryRun:
    """Plan the selected units into ``out/units/<code>/`` and write the national outputs into ``out``."""
    from .national import write_national

    started = time.perf_counter()
    selected = select_units(units, sido)
    template_text = _read_template(template, selected[0].code)
    units_dir = out / "units"
    with run_lock(out):
        sweep_leftovers(units_dir)
        data = data_digest()
        records: dict[str, dict] = {}
        tasks = []
        for unit in selected:
            key = input_key(unit.code, template_text, seed, time_limit, data, notices)
            record = read_record(units_dir, unit.code)
            if record and record.get("input_key") == key and record.get("status") in DONE_STATUSES:
                records[unit.code] = record
                continue
            tasks.append(UnitTask(code=unit.code, sido=unit.sido, sigungu=unit.sigungu, units_dir=str(units_dir),
                                  input_key=key, template=template_text, seed=seed, time_limit=time_limit,
                                  notices=notices))
        # largest first: the long units start early, so the last minutes are not one big unit alone
        size = {u.code: u.registered_electors for u in selected}
        tasks.sort(key=lambda t: (-size[t.code], t.code))
        if on_plan:
            on_plan(len(selected), len(tasks))
        failed = []

        def collect(record: dict) -> None:
            records[record["code"]] = record
            _record_failure(out, record)
            if record.get("status") == "failed":
                failed.append(record)
            if on_result:
                on_result(record)

        run_tasks(tasks, engine=engine, workers=workers, address=address, on_result=collect)
        ordered = [_with_catalog(records[u.code], u) for u in selected if u.code in records]
        write_national(out, ordered)
    return CountryRun(records=ordered, planned_now=len(tasks), skipped=len(selected) - len(tasks),
                      seconds=time.perf_counter() - started, failed=failed)


def _with_catalog(record: dict, unit) -> dict:
    """The NEC's own figures beside the plan's: the register and precinct count the unit must match."""
    return {**record, "nec_precincts": unit.precincts, "nec_emd": unit.emd,
            "nec_registered_electors": unit.registered_electors}


def _record_failure(out: Path, record: dict) -> None:
    from ..safe_write import write_text_atomic

    path = out / "failed" / f"{record['code']}.json"
    if record.get("status") == "failed":
        path.parent.mkdir(exist_ok=True)
        write_text_atomic(path, json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True))
    elif path.exists():
        os.unlink(path)


def _read_template(template: Path | None, first_unit: str) -> str | None:
    if template is None:
        return None
    from .template import check_template_on, read_template

    text = read_template(template)
    check_template_on(first_unit, text, template)
    return text
