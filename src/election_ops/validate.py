"""Check a written plan against the inputs it records and against itself, without the solver.

An independent second implementation on purpose: nothing here imports ortools, the
solver (``model``) or its eligibility rules. It reads the plan folder through
``plan_folder`` and, when the inputs are unchanged (sha256), loads them again and derives
the demand, roles and shifts (io, domain and demand only): the files must agree with
them, and every hard rule is checked with the inputs' values, so a plan file edited to
fit changes nothing. It also checks frozen posts (frozen.csv), absent people (absent.csv),
summary.json's counts, the file list's checksums and roster.xlsx's 투표소별 sheet against
assignments.csv. See docs/plan-folder.md.

Personal data: a violation names worker ids, never names (a roster row's name is masked).
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .domain import Worker
from .errors import InputError
from .io.staff import load_staff
from .plan_folder import FIX_PLAN, SUMMARY, read_plan, read_rows

EMPTY_POST = "(미충원)"  # 성명 of an empty post in the 투표소별 sheet (CONTRACTS.md, contract 1)


@dataclass(frozen=True)
class Violation:
    """One broken hard rule: ``rule`` is a stable id (e.g. ``grade``), ``where`` the post or worker.

    ``rows``: the assignments.csv rows concerned; for a plan imported from an edited roster,
    ``source`` names the same rows in the workbook's terms (sheet, row, masked name).
    """

    rule: str
    where: str
    detail: str
    rows: tuple[int, ...] = ()
    source: str = ""

    def __str__(self) -> str:
        text = f"[{self.rule}] {self.where}: {self.detail}"
        return f"{text}\n    in the edited roster: {self.source}" if self.source else text


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
    reserve: bool = False


@dataclass(frozen=True)
class ShortPost:
    """Posts of one (site, role, shift) the plan leaves empty."""

    site_id: str
    role: str
    shift: str
    short: int
    reserve: bool
    reason: str

    def __str__(self) -> str:
        what = "standby post(s)" if self.reserve else "post(s)"
        return f"{self.site_id}/{self.role}/{self.shift}: {self.short} {what} short ({self.reason or 'no reason given'})"


@dataclass
class Report:
    """What ``validate`` found: broken rules, the posts left short, and notes on what it could not check."""

    violations: list[Violation] = field(default_factory=list)
    shortfalls: list[ShortPost] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def short_posts(self) -> int:
        return sum(s.short for s in self.shortfalls if not s.reserve)


def validate_plan(plan_dir: Path, staff: Path | None = None) -> list[Violation]:
    """Every hard-rule violation in the plan written to ``plan_dir``; an empty list for a sound plan.

    ``staff`` overrides the staff file summary.json names (``inputs.staff.path``).
    A missing or unreadable plan file raises ``InputError`` naming it.
    """
    return validate_report(plan_dir, staff).violations


def validate_report(plan_dir: Path, staff: Path | None = None) -> Report:
    """Check a plan folder against its inputs and itself; see the module docstring."""
    folder = read_plan(Path(plan_dir))
    summary_path = folder.path / SUMMARY
    report = Report()
    staff_path, _ = _staff_entry(folder, summary_path, staff)
    overrides = {"staff": staff_path}

    posts = [_Post(p.row, p.worker_id, p.site_id, p.site_kind, p.role, p.shift) for p in folder.posts()]
    requirements = {(r["site_id"], r["role"], r["shift"]): (row, r) for row, r in folder.rows(
        "requirements.csv",
        {"site_id": str, "site_kind": str, "role": str, "shift": str, "required": int, "assigned": int})}
    shifts = {r["shift"]: _Shift(r["start"], r["end"]) for _, r in folder.rows(
        "shifts.csv", {"shift": str, "start": datetime, "end": datetime})}
    role_rows = folder.rows("roles.csv", {"site_kind": str, "role": str, "role_name": str, "min_grade": int | None,
                                          "requires": str | None, "experienced": bool, "shift": str, "lead": bool})
    roles = {(r["site_kind"], r["role"]): _Role(r["min_grade"], _items(r["requires"]), r["experienced"], r["role_name"])
             for _, r in role_rows}
    shortfalls = folder.rows("shortfalls.csv", {"site_id": str, "role": str, "shift": str, "required": int,
                                                "assigned": int, "short": int, "reason": str | None})

    # The inputs: unchanged, then the plan's demand, roles and shifts derived from them again.
    changed = folder.changed_inputs(overrides)
    for name, path, what in changed:
        rule = "staff_changed" if name == "staff" else "input_changed"
        report.violations.append(Violation(rule, f"input '{name}' {path}", f"{what}: the plan was made from other "
                                 "data; solve again, or restore the file the plan was made from"))
    derived = None
    if "scenario" in folder.summary.inputs and not changed:
        derived = _derive(folder, staff_path)
    elif "scenario" not in folder.summary.inputs:  # a plan built in code (tests, a library user), not by the CLI
        report.notes.append("summary.json records no scenario: checked the plan's own files only, not its inputs")

    if derived is not None:
        inputs, demand = derived
        report.violations += check_requirements_match(requirements, demand)
        report.violations += check_shifts_match(shifts, demand)
        report.violations += check_roles_match(role_rows, inputs.rules)
        # from here on the rules are the inputs' rules, not what the files say
        requirements = _rederived_requirements(requirements, demand)
        shifts = {s.id: _Shift(s.start, s.end) for s in demand.shifts}
        roles = {(r.site_kind.value, r.role): _Role(r.min_grade, tuple(r.requires), r.experienced, r.name, r.reserve)
                 for r in inputs.rules.roles}
        workers = {w.id: w for w in inputs.workers}
        max_posts = inputs.rules.limits.max_posts_per_worker
        if folder.summary.max_posts_per_worker not in (None, max_posts):
            report.violations.append(Violation("summary_mismatch", str(summary_path),
                                               f"limits.max_posts_per_worker says {folder.summary.max_posts_per_worker}; "
                                               f"the rules give {max_posts}"))
    else:
        workers = {w.id: w for w in load_staff(staff_path, None)}
        max_posts = _max_posts(folder.summary.max_posts_per_worker, summary_path)

    out = report.violations
    out += check_shifts_known(requirements, shifts)
    out += check_posts_exist(posts, requirements, workers)
    out += check_counts(posts, requirements)
    out += check_shortfalls(requirements, shortfalls)
    out += check_no_overlap(posts, shifts)
    out += check_eligibility(posts, requirements, roles, workers)
    out += check_availability(posts, workers)
    out += check_posts_per_worker(posts, max_posts)
    out += check_frozen(folder, posts)
    out += check_absent(folder, posts)
    report.shortfalls = short_posts(posts, requirements, roles, shortfalls)
    out += check_summary(folder, report.shortfalls, posts, reserves_known=derived is not None)
    out += check_file_list(folder, report.notes)
    out += check_roster(folder, posts, workers, report.notes)
    report.violations = _in_workbook_terms(folder, out)
    return report


def _in_workbook_terms(folder, violations: list[Violation]) -> list[Violation]:
    """For a plan made by 'roster import', name the edited workbook's rows behind each violation."""
    from dataclasses import replace

    from .roster_import import workbook_rows

    rows = workbook_rows(folder.summary.raw)
    if not rows:
        return violations
    out = []
    for v in violations:
        places = [rows[r] for r in v.rows if r in rows]
        out.append(replace(v, source="; ".join(places)) if places else v)
    return out


def _derive(folder, staff_path: Path):
    """The inputs the plan was made from, loaded and checked again, and the demand they give."""
    from .pipeline import load_inputs, plan_demand  # io, domain and demand only: no solver

    inputs = load_inputs(folder.input_path("scenario"), staff=staff_path, with_staff=True)
    return inputs, plan_demand(inputs)


def _rederived_requirements(requirements: dict, demand) -> dict:
    """The file's ``assigned`` column beside the inputs' ``required`` and site kind, for every derived post."""
    out = {}
    for r in demand.requirements:
        key = (r.site_id, r.role, r.shift)
        row, cells = requirements.get(key, (None, {"assigned": 0}))
        out[key] = (row, {**cells, "site_id": r.site_id, "role": r.role, "shift": r.shift,
                          "site_kind": r.site_kind.value, "required": r.required})
    return out


# --- the rules, one function each -------------------------------------------------------------


def check_requirements_match(requirements: dict, demand) -> list[Violation]:
    """requirements.csv says what the inputs give: every post, with its count, and no other."""
    out = []
    derived = {(r.site_id, r.role, r.shift): r for r in demand.requirements}
    for key, (row, r) in requirements.items():
        d = derived.get(key)
        where = "/".join(key)
        if d is None:
            out.append(Violation("requirements_changed", where, f"requirements.csv row {row} lists a post the inputs "
                                 "do not give (a row was added by hand?)"))
        elif r["required"] != d.required or r["site_kind"] != d.site_kind.value:
            out.append(Violation("requirements_changed", where, f"requirements.csv row {row} says {r['required']} "
                                 f"required; the inputs give {d.required}: the file was edited, so the plan is "
                                 "checked against the inputs"))
    for key, d in derived.items():
        if key not in requirements:
            out.append(Violation("requirements_changed", "/".join(key), f"{d.required} post(s) the inputs require are "
                                 "missing from requirements.csv (a row was removed by hand?)"))
    return out


def check_shifts_match(shifts: dict[str, _Shift], demand) -> list[Violation]:
    """shifts.csv gives each shift the times the election and the rules give it."""
    out = []
    derived = {s.id: s for s in demand.shifts}
    for shift_id, times in shifts.items():
        d = derived.get(shift_id)
        if d is None:
            out.append(Violation("shifts_changed", f"shift {shift_id}", "shifts.csv lists a shift the inputs do not give"))
        elif (times.start, times.end) != (d.start, d.end):
            out.append(Violation("shifts_changed", f"shift {shift_id}",
                                 f"shifts.csv says {times.start:%Y-%m-%d %H:%M} to {times.end:%Y-%m-%d %H:%M}; the "
                                 f"inputs give {d.start:%Y-%m-%d %H:%M} to {d.end:%Y-%m-%d %H:%M} (the file was "
                                 "edited; overlaps are checked with the inputs' times)"))
    for shift_id in sorted(set(derived) - set(shifts)):
        out.append(Violation("shifts_changed", f"shift {shift_id}", "missing from shifts.csv"))
    return out


def check_roles_match(role_rows: list[tuple[int, dict]], rules) -> list[Violation]:
    """roles.csv holds the eligibility rules of the rules file: grade, certifications, experience."""
    out = []
    derived = {(r.site_kind.value, r.role): r for r in rules.roles}
    seen = set()
    for row, r in role_rows:
        key = (r["site_kind"], r["role"])
        seen.add(key)
        d = derived.get(key)
        where = "/".join(key)
        if d is None:
            out.append(Violation("roles_changed", where, f"roles.csv row {row} lists a role the rules file lacks"))
            continue
        diffs = []
        if r["min_grade"] != d.min_grade:
            diffs.append(f"min_grade {_or_none(r['min_grade'])} (rules: {_or_none(d.min_grade)})")
        if set(_items(r["requires"])) != set(d.requires):
            diffs.append(f"requires '{r['requires'] or ''}' (rules: '{';'.join(d.requires)}')")
        if r["experienced"] != d.experienced:
            diffs.append(f"experienced {str(r['experienced']).lower()} (rules: {str(d.experienced).lower()})")
        if r["shift"] != d.shift or r["lead"] != d.lead:
            diffs.append(f"shift/lead {r['shift']}/{str(r['lead']).lower()} (rules: {d.shift}/{str(d.lead).lower()})")
        if diffs:
            out.append(Violation("roles_changed", where, f"roles.csv row {row} says {'; '.join(diffs)}: the file was "
                                 "edited, so eligibility is checked with the rules file"))
    for key in sorted(set(derived) - seen):
        out.append(Violation("roles_changed", "/".join(key), "missing from roles.csv"))
    return out


def _or_none(value) -> str:
    return "(none)" if value is None else str(value)


def check_frozen(folder, posts: list[_Post]) -> list[Violation]:
    """Every post --freeze named is held by the person it named; frozen.csv is the freeze file's list."""
    out = []
    held = {(p.worker_id, p.site_id, p.role, p.shift) for p in posts}
    frozen = folder.frozen()
    for f in frozen:
        if (f.worker_id, f.site_id, f.role, f.shift) not in held:
            out.append(Violation("frozen_broken", f"worker {f.worker_id}",
                                 f"frozen.csv row {f.row}: must hold {f.site_id}/{f.role}/{f.shift} (--freeze), "
                                 "but the plan does not give it to them; put them back on that post",
                                 tuple(p.row for p in posts if (p.site_id, p.role, p.shift) == (f.site_id, f.role, f.shift))))
    record = folder.summary.inputs.get("freeze")
    if record is not None and record.path.is_file():
        listed = {(r["worker_id"], r["site_id"], r["role"], r["shift"])
                  for _, r in read_rows(record.path, dict.fromkeys(("worker_id", "site_id", "role", "shift"), str))}
        recorded = {(f.worker_id, f.site_id, f.role, f.shift) for f in frozen}
        for missing in sorted(listed - recorded):
            out.append(Violation("frozen_broken", f"worker {missing[0]}", f"{'/'.join(missing[1:])} is in the freeze "
                                 f"file {record.path} but not in frozen.csv (removed by hand?)"))
    elif record is None and frozen:
        out.append(Violation("frozen_broken", str(folder.path / "frozen.csv"),
                             "summary.json records no freeze file for these frozen posts"))
    return out


def check_absent(folder, posts: list[_Post]) -> list[Violation]:
    """A replan's absent people hold nothing."""
    absent = set(folder.absent())
    return [Violation("absent_on_duty", f"worker {p.worker_id}",
                      f"is absent (absent.csv) but holds {_post_where(p)} (assignments.csv row {p.row}); "
                      "replan again, or give the post to someone present", (p.row,))
            for p in posts if p.worker_id in absent]


def short_posts(posts: list[_Post], requirements: dict, roles: dict, shortfalls: list[tuple[int, dict]]) -> list[ShortPost]:
    """The posts left empty, counted from the assignments against what is required."""
    counts = Counter((p.site_id, p.role, p.shift) for p in posts)
    reasons = {(s["site_id"], s["role"], s["shift"]): s["reason"] or "" for _, s in shortfalls}
    out = []
    for key, (_, r) in requirements.items():
        short = r["required"] - counts[key]
        if short > 0:
            rule = roles.get((r["site_kind"], key[1]))
            out.append(ShortPost(*key, short=short, reserve=bool(rule and rule.reserve), reason=reasons.get(key, "")))
    return out


def check_summary(folder, shortfalls: list[ShortPost], posts: list[_Post], *, reserves_known: bool) -> list[Violation]:
    """summary.json's counts agree with the files: posts short, standby posts empty, per site kind, commutes."""
    summary = folder.summary
    where = str(folder.path / SUMMARY)
    out = []
    real = sum(s.short for s in shortfalls if not s.reserve)
    standby = sum(s.short for s in shortfalls if s.reserve)
    if summary.shortfall_count is None:
        out.append(Violation("summary_mismatch", where, "gives no shortfall_count"))
    elif reserves_known and summary.shortfall_count != real:
        out.append(Violation("summary_mismatch", where, f"says {summary.shortfall_count} post(s) short; the plan's "
                             f"files leave {real} short"))
    elif not reserves_known and summary.shortfall_count + (summary.standby_empty or 0) != real + standby:
        out.append(Violation("summary_mismatch", where, f"says {summary.shortfall_count} post(s) short and "
                             f"{summary.standby_empty or 0} standby post(s) empty; the files leave {real + standby}"))
    if reserves_known and summary.standby_empty is not None and summary.standby_empty != standby:
        out.append(Violation("summary_mismatch", where, f"says {summary.standby_empty} standby post(s) empty; the "
                             f"files leave {standby}"))
    totals = summary.raw.get("totals")
    if isinstance(totals, dict):
        assigned = Counter(p.site_kind for p in posts)
        for kind, figures in sorted(totals.items()):
            if isinstance(figures, dict) and figures.get("assigned") != assigned.get(kind, 0):
                out.append(Violation("summary_mismatch", where, f"totals.{kind}.assigned says {figures.get('assigned')}; "
                                     f"assignments.csv has {assigned.get(kind, 0)}"))
    return out


def check_file_list(folder, notes: list[str]) -> list[Violation]:
    """Every file summary.json lists is there and unchanged (a hand-edited roster.xlsx is checked by content)."""
    out = []
    for name, what in folder.changed_files():
        if name == "roster.xlsx" and what != "is missing":
            notes.append("roster.xlsx was changed after the plan was written: checked against assignments.csv")
            continue
        out.append(Violation("file_changed", name, f"{what} (summary.json lists its checksum): write the plan again "
                             "rather than editing its files; an edited roster comes back with 'roster import'"))
    if not folder.summary.files:
        notes.append("summary.json lists no file checksums (a plan written by an older version)")
    return out


def check_roster(folder, posts: list[_Post], workers: dict[str, Worker], notes: list[str]) -> list[Violation]:
    """roster.xlsx's 투표소별 sheet holds exactly the assignments, each under the right person's name."""
    from .roster_import import RosterFormatError, mask_name, read_post_sheet

    if not folder.has("roster.xlsx"):
        if folder.summary.plan_format >= 2:
            return [Violation("roster_mismatch", "roster.xlsx", "missing from the plan folder")]
        return []
    path = folder.file("roster.xlsx")
    try:
        rows = read_post_sheet(path)
    except RosterFormatError as exc:
        if folder.summary.plan_format >= 2:
            return [Violation("roster_mismatch", "roster.xlsx", str(exc))]
        notes.append(f"roster.xlsx not checked: {exc}")
        return []
    out = []
    in_plan = Counter((p.site_id, p.role, p.shift, p.worker_id) for p in posts)
    in_roster = Counter((r.site_id, r.role, r.shift, r.worker_id) for r in rows if r.worker_id)
    for r in rows:
        where = r.where(mask_name(r.name))
        if not r.worker_id:
            if r.name and r.name != EMPTY_POST:
                out.append(Violation("roster_mismatch", where, f"a name without 직원번호 at {r.post}; write the "
                                     "person's 직원번호, or import the edited roster (election-ops roster import)"))
            continue
        key = (r.site_id, r.role, r.shift, r.worker_id)
        if in_roster[key] > in_plan[key]:
            out.append(Violation("roster_mismatch", where, f"직원번호 {r.worker_id} at {r.post} is not in "
                                 "assignments.csv: the roster was edited, the plan was not; run 'election-ops roster "
                                 "import' to make the edited roster the plan, or undo the edit"))
            in_roster[key] -= 1
        worker = workers.get(r.worker_id)
        if worker is not None and r.name and _nfc(r.name) != _nfc(worker.name):
            out.append(Violation("roster_mismatch", where, f"성명 is not the name of 직원번호 {r.worker_id} (a name "
                                 "moved or typed by hand?); correct the name or the 직원번호"))
    for p in posts:
        key = (p.site_id, p.role, p.shift, p.worker_id)
        if in_plan[key] > in_roster[key]:
            out.append(Violation("roster_mismatch", f"worker {p.worker_id}", f"holds {_post_where(p)} "
                                 f"(assignments.csv row {p.row}) but the 투표소별 sheet of roster.xlsx does not show it"))
            in_plan[key] -= 1
    return out


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


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
                                 f"assignments.csv row {p.row} names no post of requirements.csv", (p.row,)))
        elif req[1]["site_kind"] != p.site_kind:
            out.append(Violation("unknown_post", _post_where(p), f"assignments.csv row {p.row} says site kind "
                                 f"{p.site_kind}, requirements.csv says {req[1]['site_kind']}", (p.row,)))
        if p.worker_id not in workers:
            out.append(Violation("unknown_worker", f"worker {p.worker_id}",
                                 f"assignments.csv row {p.row}: not in the staff pool", (p.row,)))
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
                                         "are on overlapping shifts", (a.row, b.row)))
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
            out.append(Violation("grade", where, f"{_post_where(p)} needs {rule.min_grade}급 or above; has {has}",
                                 (p.row,)))
        missing = [c for c in rule.requires if c not in worker.certifications]
        if missing:
            out.append(Violation("certification", where, f"{_post_where(p)} needs certification {', '.join(missing)}",
                                 (p.row,)))
        if rule.experienced and p.role not in worker.experience:
            out.append(Violation("experience", where, f"{_post_where(p)} needs past experience as {p.role}",
                                 (p.row,)))
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
                                 f"{_post_where(p)} (row {p.row}) but unavailable on {', '.join(blocked)}",
                                 (p.row,)))
    return out


def check_posts_per_worker(posts: list[_Post], max_posts: int) -> list[Violation]:
    return [Violation("max_posts", f"worker {w}", f"holds {len(held)} posts; the limit is {max_posts}",
                      tuple(p.row for p in held)) for w, held in _by_worker(posts).items() if len(held) > max_posts]


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


def _max_posts(value: int | None, path: Path) -> int:
    if value is None or value < 1:
        raise InputError(path, "no valid posts-per-worker limit", column="limits.max_posts_per_worker", value=value,
                         fix=FIX_PLAN)
    return value


def _staff_entry(folder, path: Path, staff: Path | None) -> tuple[Path, str | None]:
    record = folder.summary.inputs.get("staff")
    recorded = record.sha256 if record else None
    if staff is not None:
        return Path(staff), recorded
    if record is None:
        raise InputError(path, "names no staff file", column="inputs.staff.path",
                         fix="pass the staff file the plan was made from (--staff)")
    if not record.path.exists():
        raise InputError(path, "the staff file it names was not found", column="inputs.staff.path",
                         value=str(record.path), fix="pass the staff file explicitly (--staff); a relative path is "
                                                     "relative to where the plan was made")
    return record.path, recorded
