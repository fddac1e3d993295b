"""Read the 투표소별 sheet of roster.xlsx back, and turn an edited roster into a plan (``roster import``).

The sheet's layout is CONTRACTS.md's contract 1: each site block has a header row holding the
texts 투표소코드, 근무코드, 역할코드, 직원번호 and 성명 (other columns may sit between); every
row below it, up to the next header row, an empty row or the sheet's end, is one post. An empty
post has no 직원번호 and 성명 ``(미충원)``.

An office edits the names; ids are what a plan is made of. A row whose 성명 is the name of the
person its 직원번호 names is that person; a row whose name was typed over (the 직원번호 left
as it was, or emptied) is the one person in the pool with that name. Anything else is refused
row by row (exit 2), naming the sheet and row and never printing a full name.

Nothing here imports the solver: ``validate`` reads the sheet with ``read_post_sheet``.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .safe_write import restore

SHEET = "투표소별"
HEADERS = {"site_id": "투표소코드", "shift": "근무코드", "role": "역할코드", "worker_id": "직원번호", "name": "성명"}
EMPTY_POST = "(미충원)"
IMPORT_REASON = "left empty in the edited roster (roster import)"


class RosterFormatError(ValueError):
    """The workbook has no 투표소별 sheet in the contract's layout."""


@dataclass(frozen=True)
class RosterRow:
    """One post row of the 투표소별 sheet; ``row`` as Excel numbers it (1 = the first row)."""

    sheet: str
    row: int
    site_id: str
    shift: str
    role: str
    worker_id: str
    name: str

    @property
    def post(self) -> str:
        return f"{self.site_id}/{self.role}/{self.shift}"

    def where(self, name: str = "") -> str:
        return f"{self.sheet} row {self.row}" + (f" ({name})" if name else "")


def mask_name(name: str) -> str:
    """홍길동 -> 홍○○: enough for a clerk to find the row, not a full name in a log."""
    name = (name or "").strip()
    if not name or name == EMPTY_POST:
        return name
    return name[0] + "○" * (len(name) - 1)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        value = int(value) if value.is_integer() else value
    return unicodedata.normalize("NFC", restore(str(value)).strip())


def read_post_sheet(path: Path) -> list[RosterRow]:
    """Every post row of the 투표소별 sheet; RosterFormatError when the sheet or its header rows are missing."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - a broken or non-xlsx file: openpyxl raises many kinds
        raise RosterFormatError(f"cannot open it as an Excel workbook ({type(exc).__name__})") from None
    try:
        if SHEET not in book.sheetnames:
            raise RosterFormatError(f"has no '{SHEET}' sheet")
        rows: list[RosterRow] = []
        columns: dict[str, int] | None = None
        seen_header = False
        for number, values in enumerate(book[SHEET].iter_rows(values_only=True), start=1):
            cells = [_text(v) for v in values]
            if HEADERS["site_id"] in cells and all(h in cells for h in HEADERS.values()):
                columns = {key: cells.index(text) for key, text in HEADERS.items()}
                seen_header = True
                continue
            if not any(cells):
                columns = None  # an empty row ends a block
                continue
            if columns is None:
                continue  # site-info lines above a header row
            get = {key: (cells[i] if i < len(cells) else "") for key, i in columns.items()}
            rows.append(RosterRow(SHEET, number, get["site_id"], get["shift"], get["role"], get["worker_id"],
                                  get["name"]))
        if not seen_header:
            raise RosterFormatError(f"the '{SHEET}' sheet has no header row with "
                                    f"{', '.join(HEADERS.values())} (a roster written before these columns existed?)")
        return rows
    finally:
        book.close()


def workbook_rows(summary: dict) -> dict[int, str]:
    """assignments.csv row -> 'FILE: 투표소별 row N (홍○○)' for a plan made by roster import; {} otherwise.

    The names (masked) come from the edited workbook itself when it is still there unchanged; the plan
    folder records sheet and row only (no names outside roster.xlsx).
    """
    from .checksums import file_sha256

    info = summary.get("roster_import") if isinstance(summary, dict) else None
    if not isinstance(info, dict) or not isinstance(info.get("rows"), list):
        return {}
    source = Path(str(info.get("from", "roster.xlsx")))
    names: dict[tuple[str, int], str] = {}
    try:
        if file_sha256(source) == info.get("sha256"):
            names = {(r.sheet, r.row): mask_name(r.name) for r in read_post_sheet(source)}
    except (OSError, RosterFormatError):
        pass
    out = {}
    for k, entry in enumerate(info["rows"]):
        if isinstance(entry, dict):
            sheet, row = str(entry.get("sheet", SHEET)), entry.get("row")
            name = names.get((sheet, row), "")
            out[k + 2] = f"{source.name}: {sheet} row {row}" + (f" ({name})" if name else "")
    return out


# --- roster import -------------------------------------------------------------------------------------------


def resolve_people(rows: list[RosterRow], workers, path: Path) -> list[tuple[RosterRow, str | None]]:
    """Each row with the worker id it stands for (None: an empty post)."""
    by_id = {w.id: w for w in workers}
    by_name: dict[str, list[str]] = defaultdict(list)
    for w in workers:
        by_name[unicodedata.normalize("NFC", w.name.strip())].append(w.id)
    out = []
    for r in rows:
        name = r.name if r.name != EMPTY_POST else ""
        if not r.worker_id and not name:
            out.append((r, None))
            continue
        worker = by_id.get(r.worker_id)
        if worker is not None and (not name or unicodedata.normalize("NFC", worker.name.strip()) == name):
            out.append((r, worker.id))
            continue
        matches = by_name.get(name, []) if name else []
        if len(matches) == 1:
            out.append((r, matches[0]))  # the name was typed over: it wins over the stale 직원번호
            continue
        where = f"{path}: sheet {r.sheet} row {r.row}"
        if not name:
            raise InputError(where, "직원번호 is not in the staff pool", column="직원번호", value=r.worker_id,
                             fix="write the 직원번호 of a person in the staff pool, or empty the row to leave the post "
                                 "short")
        if matches:
            raise InputError(where, f"{len(matches)} people in the staff pool have this name "
                             f"({mask_name(name)}) and 직원번호 does not say which",
                             column="직원번호", fix=f"write the right one's 직원번호 ({', '.join(sorted(matches))})")
        raise InputError(where, f"no one in the staff pool has this name ({mask_name(name)})", column="성명",
                         fix="correct the name, write the person's 직원번호, or empty the row to leave the post short")
    return out


def import_roster(edited: Path, plan_dir: Path):
    """The plan an edited roster describes, on the inputs of the plan it was written from.

    Returns (Solved, absent ids, summary extra, the plan folder it was based on). Refuses (InputError) a
    base plan whose inputs changed, a workbook without the 투표소별 sheet, a row naming no site of the plan
    or no one in the pool.
    """
    import numpy as np

    from .checksums import file_sha256
    from .geo import distance_matrix_m
    from .pipeline import Solved, load_inputs, mark_absent, plan_demand
    from .plan_folder import read_plan
    from .solution import Assignment, Plan, Shortfall, SolveStats

    folder = read_plan(plan_dir)
    changed = folder.changed_inputs()
    if changed:
        name, path, what = changed[0]
        raise InputError(path, f"input '{name}' of the plan {plan_dir} {what}",
                         fix="import against the inputs the roster was made from (restore the file), or solve again")
    try:
        rows = read_post_sheet(edited)
    except RosterFormatError as exc:
        raise InputError(edited, str(exc), fix="pass the roster.xlsx a plan wrote, edited in its 투표소별 sheet") from None
    inputs = load_inputs(folder.input_path("scenario"), staff=folder.input_path("staff"), with_staff=True)
    demand = plan_demand(inputs)
    absent = folder.absent()
    if absent:
        inputs = mark_absent(inputs, absent, tuple(s.id for s in demand.shifts))
    sites = {s.id: s for s in demand.sites}
    for r in rows:
        if r.site_id not in sites:
            raise InputError(f"{edited}: sheet {r.sheet} row {r.row}", "not a site of this plan", column="투표소코드",
                             value=r.site_id, fix="keep the 투표소코드 the roster was written with")
    resolved = resolve_people(rows, inputs.workers, edited)
    people = [(r, w) for r, w in resolved if w is not None]

    # keep the original plan's order, so an unedited roster gives the same files byte for byte
    original = {}
    post_first = {}
    for k, p in enumerate(folder.posts()):
        original.setdefault((p.worker_id, *p.key), k)
        post_first.setdefault(p.key, k)
    big = len(original) + 1
    order = sorted(range(len(people)), key=lambda i: (
        original.get((people[i][1], people[i][0].site_id, people[i][0].role, people[i][0].shift),
                     post_first.get((people[i][0].site_id, people[i][0].role, people[i][0].shift), big) + 0.5),
        i))
    people = [people[i] for i in order]

    by_id = {w.id: w for w in inputs.workers}
    homes = np.array([[by_id[w].home_lon, by_id[w].home_lat] for _, w in people], dtype=float).reshape(-1, 2)
    places = np.array([[sites[r.site_id].lon, sites[r.site_id].lat] for r, _ in people], dtype=float).reshape(-1, 2)
    commutes = [int(distance_matrix_m(homes[i:i + 1], places[i:i + 1])[0, 0]) for i in range(len(people))]
    assignments = tuple(Assignment(site_id=r.site_id, site_kind=sites[r.site_id].kind.value, role=r.role, shift=r.shift,
                                   worker_id=w, commute_m=c) for (r, w), c in zip(people, commutes))

    reasons = {(s["site_id"], s["role"], s["shift"]): (s["short"], s["reason"] or "") for _, s in folder.rows(
        "shortfalls.csv", {"site_id": str, "role": str, "shift": str, "short": int, "reason": str | None})}
    reserve = {(r.site_kind.value, r.role) for r in inputs.rules.roles if r.reserve}
    counts = Counter((a.site_id, a.role, a.shift) for a in assignments)
    shortfalls = []
    for req in demand.requirements:
        key = (req.site_id, req.role, req.shift)
        if counts[key] < req.required:
            was_short, reason = reasons.get(key, (0, ""))
            shortfalls.append(Shortfall(site_id=req.site_id, site_kind=req.site_kind.value, role=req.role,
                                        shift=req.shift, required=req.required, assigned=counts[key],
                                        reason=reason if was_short == req.required - counts[key] and reason
                                        else IMPORT_REASON,
                                        reserve=(req.site_kind.value, req.role) in reserve))
    stats = SolveStats(status="IMPORTED", objective=float("nan"), best_bound=float("nan"), solve_seconds=0.0)
    plan = Plan(assignments=assignments, shortfalls=tuple(shortfalls), stats=stats)
    freeze = folder.summary.inputs.get("freeze")
    solved = Solved(inputs=inputs, demand=demand, plan=plan, seed=folder.summary.seed,
                    freeze=freeze.path if freeze is not None else None)
    extra = {"roster_import": {
        "from": str(Path(edited).resolve()), "sha256": file_sha256(edited), "based_on": str(Path(plan_dir).resolve()),
        "rows": [{"sheet": r.sheet, "row": r.row} for r, _ in people]}}
    return solved, absent, extra, folder
