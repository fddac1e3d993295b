"""Re-check every hard rule of a written plan from its files alone.

An independent second implementation on purpose: nothing here imports ortools, the
solver (``solve``, ``model``) or ``eligibility``. It reads what ``write_plan`` wrote
(assignments.csv, requirements.csv, shifts.csv, roles.csv, shortfalls.csv, summary.json)
and the staff pool the plan names, and lists every broken rule as a ``Violation``.

Personal data: a violation names worker ids, never names.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .domain import Worker
from .checksums import file_sha256
from .errors import InputError
from .io.staff import load_staff
from .io.tables import read_cells
from .safe_write import FORMULA_PREFIXES

FIX_PLAN = "write the plan again (election-ops solve --out ...) or point at the folder that holds it"


@dataclass(frozen=True)
class Violation:
    """One broken hard rule: ``rule`` is a stable id (e.g. ``grade``), ``where`` the post or worker."""

    rule: str
    where: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.where}: {self.detail}"


@dataclass(frozen=True)
class _Post:
    row: int
    worker_id: str
    site_id: str
    site_kind: str
    role: str
    shift: str


@dataclass(frozen=True)
class _Shift:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class _Role:
    min_grade: int | None
    requires: tuple[str, ...]
    experienced: bool
    name: str


def validate_plan(plan_dir: Path, staff: Path | None = None) -> list[Violation]:
    """Every hard-rule violation in the plan written to ``plan_dir``; an empty list for a sound plan.

    ``staff`` overrides the staff file summary.json names (``inputs.staff.path``).
    A missing or unreadable plan file raises ``InputError`` naming it.
    """
    plan_dir = Path(plan_dir)
    summary_path = plan_dir / "summary.json"
    summary = _read_json(summary_path)
    max_posts = _max_posts(summary, summary_path)
    staff_path, staff_sha = _staff_entry(summary, summary_path, staff)

    posts = [_Post(row, r["worker_id"], r["site_id"], r["site_kind"], r["role"], r["shift"]) for row, r in _read(
        plan_dir / "assignments.csv", {"worker_id": str, "site_id": str, "site_kind": str, "role": str, "shift": str})]
    requirements = {(r["site_id"], r["role"], r["shift"]): (row, r) for row, r in _read(
        plan_dir / "requirements.csv",
        {"site_id": str, "site_kind": str, "role": str, "shift": str, "required": int, "assigned": int})}
    shifts = {r["shift"]: _Shift(r["start"], r["end"]) for _, r in _read(
        plan_dir / "shifts.csv", {"shift": str, "start": datetime, "end": datetime})}
    roles = {(r["site_kind"], r["role"]): _Role(r["min_grade"], _items(r["requires"]), r["experienced"], r["role_name"])
             for _, r in _read(plan_dir / "roles.csv", {"site_kind": str, "role": str, "role_name": str,
                                                         "min_grade": int | None, "requires": str | None,
                                                         "experienced": bool})}
    shortfalls = _read(plan_dir / "shortfalls.csv", {"site_id": str, "role": str, "shift": str, "required": int,
                                                      "assigned": int, "short": int, "reason": str | None})
    workers = {w.id: w for w in load_staff(staff_path, None)}

    out: list[Violation] = []
    out += check_staff_unchanged(staff_path, staff_sha)
    out += check_shifts_known(requirements, shifts)
    out += check_posts_exist(posts, requirements, workers)
    out += check_counts(posts, requirements)
    out += check_shortfalls(requirements, shortfalls)
    out += check_no_overlap(posts, shifts)
    out += check_eligibility(posts, requirements, roles, workers)
    out += check_availability(posts, workers)
    out += check_posts_per_worker(posts, max_posts)
    return out


# --- the rules, one function each -------------------------------------------------------------


def check_staff_unchanged(staff_path: Path, recorded_sha: str | None) -> list[Violation]:
    """The pool the plan was made from is the pool checked now."""
    actual = file_sha256(staff_path)
    if recorded_sha is not None and actual == recorded_sha:
        return []
    return [Violation("staff_changed", str(staff_path),
                      f"the staff pool changed since the plan was made (sha256 {actual[:12]}..., the plan recorded "
                      f"{(recorded_sha or 'none')[:12]}...): solve again, or check against the original pool file")]


def check_shifts_known(requirements: dict, shifts: dict[str, _Shift]) -> list[Violation]:
    unknown = sorted({key[2] for key in requirements} - set(shifts))
    return [Violation("unknown_shift", f"shift {s}", "requirements.csv names a shift that shifts.csv lacks")
            for s in unknown]


def check_posts_exist(posts: list[_Post], requirements: dict, workers: dict[str, Worker]) -> list[Violation]:
    """Each assignment row names a post that is required and a person in the pool."""
    out = []
    for p in posts:
        req = requirements.get((p.site_id, p.role, p.shift))
        if req is None:
            out.append(Violation("unknown_post", _post_where(p),
                                 f"assignments.csv row {p.row} names no post of requirements.csv"))
        elif req[1]["site_kind"] != p.site_kind:
            out.append(Violation("unknown_post", _post_where(p), f"assignments.csv row {p.row} says site kind "
                                 f"{p.site_kind}, requirements.csv says {req[1]['site_kind']}"))
        if p.worker_id not in workers:
            out.append(Violation("unknown_worker", f"worker {p.worker_id}",
                                 f"assignments.csv row {p.row}: not in the staff pool"))
    return out


def check_counts(posts: list[_Post], requirements: dict) -> list[Violation]:
    """Per post: the assignment rows match the ``assigned`` column, which is at most ``required``."""
    counts = Counter((p.site_id, p.role, p.shift) for p in posts)
    out = []
    for key, (row, r) in requirements.items():
        where = "/".join(key)
        if counts[key] != r["assigned"]:
            out.append(Violation("assigned_count", where, f"requirements.csv row {row} says {r['assigned']} assigned, "
                                 f"assignments.csv has {counts[key]}"))
        if r["assigned"] > r["required"] or counts[key] > r["required"]:
            out.append(Violation("over_assigned", where,
                                 f"{max(r['assigned'], counts[key])} assigned to {r['required']} required posts"))
    return out


def check_shortfalls(requirements: dict, shortfalls: list[tuple[int, dict]]) -> list[Violation]:
    """Every short post is listed once with the right numbers and a reason; nothing else is listed."""
    listed: dict[tuple, tuple[int, dict]] = {}
    out = []
    for row, s in shortfalls:
        key = (s["site_id"], s["role"], s["shift"])
        where = "/".join(key)
        req = requirements.get(key)
        if key in listed:
            out.append(Violation("shortfall_extra", where, f"shortfalls.csv row {row} repeats row {listed[key][0]}"))
            continue
        listed[key] = (row, s)
        if req is None or req[1]["required"] - req[1]["assigned"] <= 0:
            what = "names no post of requirements.csv" if req is None else "lists a post that is not short"
            out.append(Violation("shortfall_extra", where, f"shortfalls.csv row {row} {what}"))
            continue
        r = req[1]
        short = r["required"] - r["assigned"]
        if (s["short"], s["required"], s["assigned"]) != (short, r["required"], r["assigned"]):
            out.append(Violation("shortfall_mismatch", where,
                                 f"shortfalls.csv row {row} says {s['short']} short ({s['required']} required, "
                                 f"{s['assigned']} assigned); requirements.csv row {req[0]} gives {short} short "
                                 f"({r['required']} required, {r['assigned']} assigned)"))
        if not (s["reason"] or "").strip():
            out.append(Violation("shortfall_reason", where, f"shortfalls.csv row {row} gives no reason"))
    for key, (row, r) in requirements.items():
        short = r["required"] - r["assigned"]
        if short > 0 and key not in listed:
            out.append(Violation("shortfall_missing", "/".join(key),
                                 f"{short} post(s) short (requirements.csv row {row}) but not in shortfalls.csv"))
    return out


def check_no_overlap(posts: list[_Post], shifts: dict[str, _Shift]) -> list[Violation]:
    """Nobody holds two posts on overlapping shifts; two posts on one shift overlap."""
    out = []
    for worker_id, held in _by_worker(posts).items():
        for i, a in enumerate(held):
            for b in held[i + 1:]:
                if a.shift == b.shift or _overlaps(shifts.get(a.shift), shifts.get(b.shift)):
                    out.append(Violation("overlap", f"worker {worker_id}",
                                         f"{_post_where(a)} (row {a.row}) and {_post_where(b)} (row {b.row}) "
                                         "are on overlapping shifts"))
    return out


def check_eligibility(posts: list[_Post], requirements: dict, roles: dict[tuple[str, str], _Role],
                      workers: dict[str, Worker]) -> list[Violation]:
    """Grade at or above the role's minimum, its certifications, and past experience where it asks for it."""
    out = []
    for p in posts:
        worker = workers.get(p.worker_id)
        if worker is None:
            continue  # reported as unknown_worker
        req = requirements.get((p.site_id, p.role, p.shift))
        if req is None:
            continue  # reported as unknown_post
        kind = req[1]["site_kind"]
        rule = roles.get((kind, p.role))
        if rule is None:
            out.append(Violation("unknown_role", _post_where(p), f"roles.csv has no rule for {kind}/{p.role}"))
            continue
        where = f"worker {p.worker_id}"
        if rule.min_grade is not None and (worker.grade is None or worker.grade > rule.min_grade):
            has = f"{worker.grade}급" if worker.grade is not None else f"no grade ({worker.staff_kind.value})"
            out.append(Violation("grade", where, f"{_post_where(p)} needs {rule.min_grade}급 or above; has {has}"))
        missing = [c for c in rule.requires if c not in worker.certifications]
        if missing:
            out.append(Violation("certification", where, f"{_post_where(p)} needs certification {', '.join(missing)}"))
        if rule.experienced and p.role not in worker.experience:
            out.append(Violation("experience", where, f"{_post_where(p)} needs past experience as {p.role}"))
    return out


def check_availability(posts: list[_Post], workers: dict[str, Worker]) -> list[Violation]:
    """An unavailable shift blocks itself; ``early`` blocks ``early-1``/``early-2`` and either day blocks ``early``."""
    out = []
    for p in posts:
        worker = workers.get(p.worker_id)
        if worker is None:
            continue
        blocked = [u for u in worker.unavailable if _blocks(u, p.shift)]
        if blocked:
            out.append(Violation("unavailable", f"worker {p.worker_id}",
                                 f"{_post_where(p)} (row {p.row}) but unavailable on {', '.join(blocked)}"))
    return out


def check_posts_per_worker(posts: list[_Post], max_posts: int) -> list[Violation]:
    return [Violation("max_posts", f"worker {w}", f"holds {len(held)} posts; the limit is {max_posts}")
            for w, held in _by_worker(posts).items() if len(held) > max_posts]


# --- helpers ---------------------------------------------------------------------------------


def _blocks(unavailable: str, shift: str) -> bool:
    if unavailable == shift:
        return True
    # a whole shift and its days: early vs early-1, early-2
    return shift.split("-", 1)[0] == unavailable or unavailable.split("-", 1)[0] == shift


def _overlaps(a: _Shift | None, b: _Shift | None) -> bool:
    return a is not None and b is not None and a.start < b.end and b.start < a.end


def _by_worker(posts: list[_Post]) -> dict[str, list[_Post]]:
    out: dict[str, list[_Post]] = defaultdict(list)
    for p in posts:
        out[p.worker_id].append(p)
    return out


def _post_where(p: _Post) -> str:
    return f"{p.site_id}/{p.role}/{p.shift}"


def _items(text: str | None) -> tuple[str, ...]:
    return tuple(t.strip() for t in (text or "").split(";") if t.strip())


def _restore(text: str) -> str:
    """Undo ``neutralise``: an id written as ``'=x`` is ``=x``."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def _read(path: Path, columns: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """Rows of a plan CSV as (spreadsheet row number, {column: value}); extra columns are ignored."""
    header, records = read_cells(path)  # InputError naming the file when it is missing or unreadable
    for name in columns:
        if name not in header:
            raise InputError(path, f"missing column '{name}'", row=1, column=name, fix=FIX_PLAN)
    rows = []
    for offset, record in enumerate(records):
        if not any(record):
            continue
        line = offset + 2
        cells = dict(zip(header, record + [""] * (len(header) - len(record))))
        rows.append((line, {name: _value(path, line, name, _restore(cells[name]), kind)
                            for name, kind in columns.items()}))
    return rows


def _value(path: Path, line: int, column: str, text: str, kind: Any) -> Any:
    nullable = kind in (int | None, str | None)
    if text == "":
        if nullable:
            return None
        if kind is not str:
            raise InputError(path, "empty cell", row=line, column=column, fix=FIX_PLAN)
    try:
        if kind in (str, str | None):
            return text
        if kind in (int, int | None):
            number = float(text)
            if not number.is_integer():
                raise ValueError
            return int(number)
        if kind is bool:
            lowered = text.lower()
            if lowered not in ("true", "false"):
                raise ValueError
            return lowered == "true"
        if kind is datetime:
            return datetime.fromisoformat(text)
    except ValueError:
        expected = {bool: "true or false", datetime: "a date and time (YYYY-MM-DDTHH:MM)"}.get(kind, "a whole number")
        raise InputError(path, f"expected {expected}", row=line, column=column, value=text, fix=FIX_PLAN) from None
    raise TypeError(kind)


def _read_json(path: Path) -> dict:
    if not path.exists():
        raise InputError(path, "file not found", fix=FIX_PLAN)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(path, f"not a readable JSON file ({type(exc).__name__})", fix=FIX_PLAN) from None
    if not isinstance(data, dict):
        raise InputError(path, "not a plan summary (expected a JSON object)", fix=FIX_PLAN)
    return data


def _max_posts(summary: dict, path: Path) -> int:
    value = (summary.get("limits") or {}).get("max_posts_per_worker")
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InputError(path, "no valid posts-per-worker limit", column="limits.max_posts_per_worker", value=value,
                         fix=FIX_PLAN)
    return value


def _staff_entry(summary: dict, path: Path, staff: Path | None) -> tuple[Path, str | None]:
    entry = (summary.get("inputs") or {}).get("staff") or {}
    recorded = entry.get("sha256") if isinstance(entry, dict) else None
    if staff is not None:
        return Path(staff), recorded
    named = entry.get("path") if isinstance(entry, dict) else None
    if not named:
        raise InputError(path, "names no staff file", column="inputs.staff.path",
                         fix="pass the staff file the plan was made from (--staff)")
    staff_path = Path(named)
    if not staff_path.exists():
        raise InputError(path, "the staff file it names was not found", column="inputs.staff.path", value=named,
                         fix="pass the staff file explicitly (--staff); a relative path is relative to where "
                             "the plan was made")
    return staff_path, recorded


