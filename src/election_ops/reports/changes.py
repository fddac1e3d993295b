"""What a replan changed, for the task force's phone calls: changes.csv and changes.xlsx.

changes.csv carries ids only; changes.xlsx adds names and departments (personal data
stays in workbooks). Kinds: absent (결원), called (신규 소집), moved (이동), released
(배치 해제), short (미충원: a post still empty, with the reason).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path

import pandas as pd

from ..demand import Demand
from ..domain import Worker
from ..glossary import CHANGES, ko
from ..replan import Change
from ..solution import Plan
from .files import save_csv
from .roster import UNFILLED, Formats, PageSetup, grade_text, new_workbook, table_sheet

CHANGE_COLUMNS = ["change", "worker_id", "department", "from_site_id", "from_role", "from_shift",
                  "to_site_id", "to_role", "to_shift", "commute_m", "reason"]
CHANGE_KO = {code: term.ko for code, term in CHANGES.items()}


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


CALL_COLUMNS = ["투표소", "근무", "역할", "변경", "빠지는 사람", "들어오는 사람", "직급", "부서", "이전 배치",
                "통근거리(m)", "비고", "투표소코드", "역할코드", "빠지는 직원번호", "직원번호"]
CALL_WIDTHS = [18, 10, 16, 22, 9, 9, 6, 14, 20, 8, 30, 10, 13, 9, 8]


@dataclass
class _Post:
    """One post (site, shift, role) where someone leaves, someone arrives or a place stays empty."""

    leaving: list = field(default_factory=list)  # frame rows whose from-post is this one
    arriving: list = field(default_factory=list)  # frame rows whose to-post is this one
    short: int = 0


def write_changes_xlsx(frame: pd.DataFrame, path: Path, *, demand: Demand, workers: tuple[Worker, ...],
                       election_day, plan: Plan | None = None, election: str = "") -> None:
    """변경내역, the call list: one row per change, grouped by site, saying who replaces whom.

    At each post the people leaving (결원, 이동, 배치 해제) are paired in order with those arriving
    (신규 소집, 이동); a departure nobody replaces shows (미충원) and the reason. Prints one page wide.
    """
    people = {w.id: w for w in workers}
    sites = {s.id: s for s in demand.sites}
    site_rank = {s.id: i for i, s in enumerate(demand.sites)}
    shift_rank = {s.id: i for i, s in enumerate(sorted(demand.shifts, key=lambda s: (s.start, s.id)))}
    roles = {(r.site_id, r.role, r.shift): r.role_name for r in demand.requirements}
    shifts = {s.id: s.name for s in demand.shifts}
    reasons = {(s.site_id, s.role, s.shift): s.reason_ko() for s in (plan.shortfalls if plan else ())}

    def where(site, role, shift) -> str:
        site_name = sites[site].name if site in sites else site
        return f"{site_name} {roles.get((site, role, shift), role)} ({shifts.get(shift, shift)})"

    posts: dict[tuple[str, str, str], _Post] = defaultdict(_Post)
    for r in frame.itertuples(index=False):
        if r.change == "short":  # counted from the plan's shortfalls when given (they carry the Korean reason)
            if plan is None:
                posts[(r.to_site_id, r.to_shift, r.to_role)].short += 1
            continue
        if r.from_site_id:
            posts[(r.from_site_id, r.from_shift, r.from_role)].leaving.append(r)
        if r.to_site_id:
            posts[(r.to_site_id, r.to_shift, r.to_role)].arriving.append(r)
    for s in (plan.shortfalls if plan else ()):
        posts[(s.site_id, s.shift, s.role)].short += s.short
    rows = []
    for (site, shift, role) in sorted(posts, key=lambda k: (site_rank.get(k[0], len(site_rank)), k[0],
                                                             shift_rank.get(k[1], 99), k[1], k[2])):
        post = posts[(site, shift, role)]
        unfilled = post.short
        for k in range(max(len(post.leaving), len(post.arriving))):
            out = post.leaving[k] if k < len(post.leaving) else None
            came = post.arriving[k] if k < len(post.arriving) else None
            gone, new = people.get(out.worker_id) if out else None, people.get(came.worker_id) if came else None
            if came is None:
                kind = ko(CHANGES, out.change) + " → " + ko(CHANGES, "short")
                note = reasons.get((site, role, shift), "") if unfilled else "대체 인원 없음"
                unfilled = max(0, unfilled - 1)
                new_name = UNFILLED if note != "대체 인원 없음" else ""
            else:
                kind = ko(CHANGES, came.change) if out is None else f"{ko(CHANGES, out.change)} → {ko(CHANGES, came.change)}"
                note, new_name = "", new.name if new else came.worker_id
            before = ""
            if came is not None and came.from_site_id:
                before = where(came.from_site_id, came.from_role, came.from_shift)
            rows.append([
                sites[site].name if site in sites else site, shifts.get(shift, shift), roles.get((site, role, shift), role),
                kind, (gone.name if gone else out.worker_id) if out else "", new_name, grade_text(new) if came else "", new.department if new else "", before,
                None if came is None or pd.isna(came.commute_m) else int(came.commute_m), note,
                site, role, out.worker_id if out else "", came.worker_id if came else ""])
        if unfilled:
            rows.append([sites[site].name if site in sites else site, shifts.get(shift, shift),
                         roles.get((site, role, shift), role), f"{ko(CHANGES, 'short')} {unfilled:,}명", "",
                         UNFILLED, "", "", "", None, reasons.get((site, role, shift), ""), site, role, "", ""])
    book = new_workbook(path, title="재배치 변경내역", created=datetime.combine(election_day, time()))
    try:
        fmt = Formats(book)
        ws = book.add_worksheet("변경내역")
        table_sheet(ws, fmt, CALL_COLUMNS, rows, page=PageSetup(election or "재배치 변경내역"), landscape=True,
                    widths=CALL_WIDTHS)
    finally:
        book.close()
