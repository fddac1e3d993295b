"""What a replan changed, for the task force's phone calls: changes.csv and changes.xlsx.

changes.csv carries ids only; changes.xlsx adds names and departments (personal data
stays in workbooks). Kinds: absent (결원), called (신규 소집), moved (이동), released
(배치 해제), short (미충원: a post still empty, with the reason).
"""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

import pandas as pd
import xlsxwriter

from ..demand import Demand
from ..domain import Worker
from ..replan import Change
from ..solution import Plan
from .files import save_csv
from .roster import FONT, Formats, grade_text, table_sheet

CHANGE_COLUMNS = ["change", "worker_id", "department", "from_site_id", "from_role", "from_shift",
                  "to_site_id", "to_role", "to_shift", "commute_m", "reason"]
CHANGE_KO = {"absent": "결원(불참)", "called": "신규 소집", "moved": "이동", "released": "배치 해제", "short": "미충원"}


def changes_frame(changes: list[Change], plan: Plan, workers: tuple[Worker, ...]) -> pd.DataFrame:
    """One row per post a person leaves or takes (paired in order), then one per post still short."""
    department = {w.id: w.department for w in workers}
    rows = []
    for c in changes:
        for k in range(max(len(c.before), len(c.after))):
            was = c.before[k] if k < len(c.before) else None
            now = c.after[k] if k < len(c.after) else None
            rows.append({
                "change": c.change, "worker_id": c.worker_id, "department": department.get(c.worker_id, ""),
                "from_site_id": was.site_id if was else "", "from_role": was.role if was else "",
                "from_shift": was.shift if was else "", "to_site_id": now.site_id if now else "",
                "to_role": now.role if now else "", "to_shift": now.shift if now else "",
                "commute_m": now.commute_m if now else None, "reason": "",
            })
    for s in plan.shortfalls:
        rows.append({"change": "short", "worker_id": "", "department": "", "from_site_id": "", "from_role": "",
                     "from_shift": "", "to_site_id": s.site_id, "to_role": s.role, "to_shift": s.shift,
                     "commute_m": None, "reason": f"{s.short} short: {s.reason}"})
    frame = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    frame["commute_m"] = frame["commute_m"].astype("Int64")
    return frame


def write_changes_csv(frame: pd.DataFrame, path: Path) -> None:
    save_csv(frame, path)


def write_changes_xlsx(frame: pd.DataFrame, path: Path, *, demand: Demand, workers: tuple[Worker, ...],
                       election_day) -> None:
    """변경내역: one row per change with name, department and grade, so the calls can be made."""
    people = {w.id: w for w in workers}
    sites = {s.id: s.name for s in demand.sites}
    roles = {(r.site_id, r.role, r.shift): r.role_name for r in demand.requirements}
    shifts = {s.id: s.name for s in demand.shifts}

    def post(site, role, shift) -> str:
        if not site:
            return ""
        return f"{sites.get(site, site)} / {roles.get((site, role, shift), role)} / {shifts.get(shift, shift)}"

    rows = []
    for r in frame.itertuples(index=False):
        w = people.get(r.worker_id)
        rows.append([CHANGE_KO.get(r.change, r.change), r.worker_id, w.name if w else "", w.department if w else "",
                     grade_text(w), post(r.from_site_id, r.from_role, r.from_shift),
                     post(r.to_site_id, r.to_role, r.to_shift),
                     None if pd.isna(r.commute_m) else int(r.commute_m), r.reason])
    book = xlsxwriter.Workbook(str(path), {"default_format_properties": {"font_name": FONT, "font_size": 10},
                                           "strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    book.set_properties({"title": "재배치 변경내역", "author": "election-ops",
                         "created": datetime.combine(election_day, time())})
    try:
        fmt = Formats(book)
        table_sheet(book.add_worksheet("변경내역"), fmt,
                    ["구분", "직원번호", "성명", "부서", "직급", "기존 배치", "변경 배치", "통근거리(m)", "사유"], rows,
                    [None] * 7 + [fmt.int, None])
    finally:
        book.close()
