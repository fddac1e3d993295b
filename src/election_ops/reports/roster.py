"""The roster workbook (roster.xlsx) the office hands out: Korean throughout, one sheet per use.

Sheets: 요약 (totals, commute, department fairness, solver result), 투표소별 (by site),
부서별 (by department, so each department can notify its people), 개인별 (one row per
person in the pool), 미충원 (posts left empty, and why).

Every text cell goes through ``safe_write.neutralise`` and ``write_string``, so a name
such as ``=HYPERLINK(...)`` lands as inert text. The workbook's dates come from the
election, not the clock, so one plan always gives the same bytes.
"""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path

import xlsxwriter

from ..demand import Demand
from ..domain import SITE_KIND_KO, SiteKind, StaffingRules, Worker
from ..io.scenario import Scenario
from ..safe_write import neutralise
from ..solution import Assignment, Plan

SHEETS = ("요약", "투표소별", "부서별", "개인별", "미충원")
FONT = "맑은 고딕"
KIND_SHORT = {SiteKind.early.value: "사전", SiteKind.polling.value: "선거일", SiteKind.counting.value: "개표"}
KIND_KO = {k.value: v for k, v in SITE_KIND_KO.items()}
# 근무코드, 역할코드, 직원번호: the ids ``validate`` and ``roster import`` read back (CONTRACTS.md, contract 1)
POST_COLUMNS = ["투표소코드", "투표소명", "동", "구분", "근무", "역할", "성명", "부서", "직급", "통근거리(m)",
                "근무코드", "역할코드", "직원번호"]
EMPTY_POST = "(미충원)"  # 성명 of a post left empty
SHORT_COLUMNS = ["투표소코드", "투표소", "역할", "근무", "필요", "배치", "부족", "사유"]
TERM_KO = {
    "shortfall": "미충원", "commute": "통근거리", "worst_commute": "최장 통근거리", "fairness": "부서 간 형평",
    "together": "담당 동 밖 배치", "preference": "선호 미반영", "newcomers": "신규자 비중 초과",
    "second_post": "2회 배치", "long_commute": "장거리 통근", "change": "재배치 변경",
}
MAX_WIDTH = 60


def roster_workbook(path: Path, *, scenario: Scenario, demand: Demand, rules: StaffingRules,
                    workers: tuple[Worker, ...], plan: Plan, waits: tuple = ()) -> None:
    """Write the workbook to ``path`` as it stands (``write_plan`` stages it as a temp file with the others)."""
    view = _View(demand, rules, workers)
    election = scenario.election
    book = xlsxwriter.Workbook(str(path), {
        "default_format_properties": {"font_name": FONT, "font_size": 10},
        "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
    })
    book.set_properties({
        "title": f"{election.name} 선거사무 인력 배치표",
        "subject": scenario.title or scenario.id,
        "author": "election-ops",
        "company": "",
        "comments": f"scenario {scenario.id}",
        "created": datetime.combine(election.election_day, time()),
    })
    fmt = Formats(book)
    try:
        _summary_sheet(book.add_worksheet(SHEETS[0]), fmt, view, plan, scenario, waits)
        # the empty posts sit among the filled ones, so an office can fill them in and import the roster
        empty = [Assignment(site_id=s.site_id, site_kind=s.site_kind, role=s.role, shift=s.shift, worker_id="",
                            commute_m=-1) for s in plan.shortfalls for _ in range(s.short)]
        by_site = sorted([*plan.assignments, *empty], key=view.site_order)
        _post_sheet(book.add_worksheet(SHEETS[1]), fmt, view, by_site)
        _post_sheet(book.add_worksheet(SHEETS[2]), fmt, view, sorted(plan.assignments, key=view.department_order))
        _person_sheet(book.add_worksheet(SHEETS[3]), fmt, view, plan, rules)
        _shortfall_sheet(book.add_worksheet(SHEETS[4]), fmt, view, plan)
    finally:
        book.close()


class _View:
    """Look-ups from ids to what a person reads, and the sort orders of the sheets."""

    def __init__(self, demand: Demand, rules: StaffingRules, workers: tuple[Worker, ...]) -> None:
        self.sites = {s.id: s for s in demand.sites}
        self.site_rank = {s.id: i for i, s in enumerate(demand.sites)}
        self.shifts = {s.id: s for s in demand.shifts}
        self.shift_rank = {s.id: i for i, s in enumerate(sorted(demand.shifts, key=lambda s: (s.start, s.end, s.id)))}
        self.role_rank = {(r.site_kind.value, r.role): i for i, r in enumerate(rules.roles)}
        self.role_names = {(r.site_kind.value, r.role): r.name for r in rules.roles}
        self.role_names.update({(r.site_kind.value, r.role): r.role_name for r in demand.requirements})
        self.workers = {w.id: w for w in workers}
        self.requirements = demand.requirements

    def site_name(self, site_id: str) -> str:
        site = self.sites.get(site_id)
        return site.name if site else site_id

    def shift_name(self, shift_id: str) -> str:
        shift = self.shifts.get(shift_id)
        return shift.name if shift else shift_id

    def role_name(self, site_kind: str, role: str) -> str:
        return self.role_names.get((site_kind, role), role)

    def post_key(self, a: Assignment) -> tuple:
        return (self.site_rank.get(a.site_id, len(self.site_rank)), a.site_id,
                self.shift_rank.get(a.shift, len(self.shift_rank)), a.shift,
                self.role_rank.get((a.site_kind, a.role), len(self.role_rank)), a.role)

    def site_order(self, a: Assignment) -> tuple:
        return (*self.post_key(a), a.worker_id)

    def department_order(self, a: Assignment) -> tuple:
        w = self.workers.get(a.worker_id)
        return (w.department if w else "", w.name if w else "", a.worker_id, *self.post_key(a))

    def worker(self, worker_id: str) -> Worker | None:
        return self.workers.get(worker_id)


def grade_text(worker: Worker | None) -> str:
    """7급; a worker without a grade shows their staff kind (공무직, 기간제)."""
    if worker is None:
        return ""
    return f"{worker.grade}급" if worker.grade is not None else worker.staff_kind.value


class Formats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center",
                                       "valign": "vcenter", "text_wrap": True})
        self.caption = book.add_format({"bold": True, "font_size": 11})
        self.int = book.add_format({"num_format": "#,##0"})
        self.float = book.add_format({"num_format": "#,##0.0"})
        self.percent = book.add_format({"num_format": "0.0%"})


@dataclass
class _Widths:
    """The widest cell per column, measured so that a Korean character counts twice."""

    widths: dict[int, float] = field(default_factory=dict)

    def see(self, col: int, value: object) -> None:
        if value is None:
            return
        text = value if isinstance(value, str) else (f"{value:,.1f}" if isinstance(value, float) else f"{value:,}")
        width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text) + 2
        self.widths[col] = max(self.widths.get(col, 0), min(width, MAX_WIDTH))

    def apply(self, ws, minimum: float = 6) -> None:
        for col, width in sorted(self.widths.items()):
            ws.set_column(col, col, max(width, minimum))


def _cell(ws, widths: _Widths, row: int, col: int, value: object, fmt=None) -> None:
    """Write one cell by its type: text through neutralise + write_string, never the generic write()."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        ws.write_blank(row, col, None, fmt)
        return
    if isinstance(value, bool):
        value = "예" if value else "아니오"
    if isinstance(value, str):
        value = neutralise(value)
        ws.write_string(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, fmt)
    else:
        value = neutralise(str(value))
        ws.write_string(row, col, value, fmt)
    widths.see(col, value)


def _header(ws, widths: _Widths, fmt: Formats, row: int, columns: list[str]) -> None:
    for col, name in enumerate(columns):
        _cell(ws, widths, row, col, name, fmt.header)


def table_sheet(ws, fmt: Formats, columns: list[str], rows: list[list], formats: list | None = None) -> None:
    """A sheet holding one table: header in row 1, frozen, with an autofilter over the table."""
    widths = _Widths()
    _header(ws, widths, fmt, 0, columns)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            _cell(ws, widths, r, c, value, formats[c] if formats else None)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(rows), len(columns) - 1)
    widths.apply(ws)


def _post_rows(view: _View, assignments: list[Assignment]) -> list[list]:
    rows = []
    for a in assignments:
        site = view.sites.get(a.site_id)
        w = view.worker(a.worker_id)
        name = w.name if w else (EMPTY_POST if not a.worker_id else "")
        rows.append([a.site_id, view.site_name(a.site_id), site.dong if site else "", KIND_SHORT.get(a.site_kind, a.site_kind),
                     view.shift_name(a.shift), view.role_name(a.site_kind, a.role), name,
                     w.department if w else "", grade_text(w), int(a.commute_m) if a.worker_id else None,
                     a.shift, a.role, a.worker_id])
    return rows


def _post_sheet(ws, fmt: Formats, view: _View, assignments: list[Assignment]) -> None:
    formats = [None] * 9 + [fmt.int] + [None] * 3
    table_sheet(ws, fmt, POST_COLUMNS, _post_rows(view, assignments), formats)


def _person_sheet(ws, fmt: Formats, view: _View, plan: Plan, rules: StaffingRules) -> None:
    posts: dict[str, list[Assignment]] = defaultdict(list)
    for a in plan.assignments:
        posts[a.worker_id].append(a)
    n_posts = max([2, rules.limits.max_posts_per_worker, *(len(p) for p in posts.values())])
    columns = ["직원번호", "성명", "부서", "직급", *(f"배치 {k}" for k in range(1, n_posts + 1)), "통근거리 합계(m)"]
    rows = []
    for worker in sorted(view.workers.values(), key=lambda w: w.id):
        held = sorted(posts.get(worker.id, []), key=lambda a: (view.shift_rank.get(a.shift, 99), *view.post_key(a)))
        texts = [f"{view.site_name(a.site_id)} · {view.role_name(a.site_kind, a.role)} · {view.shift_name(a.shift)}"
                 for a in held] or ["미배치"]
        texts += [None] * (n_posts - len(texts))
        commute = sum(int(a.commute_m) for a in held) if held else None
        rows.append([worker.id, worker.name, worker.department, grade_text(worker), *texts, commute])
    formats = [None] * (len(columns) - 1) + [fmt.int]
    table_sheet(ws, fmt, columns, rows, formats)


def _shortfall_sheet(ws, fmt: Formats, view: _View, plan: Plan) -> None:
    rows = [[s.site_id, view.site_name(s.site_id), view.role_name(s.site_kind, s.role), view.shift_name(s.shift),
             s.required, s.assigned, s.short, s.reason] for s in plan.shortfalls]
    formats = [None, None, None, None, fmt.int, fmt.int, fmt.int, None]
    table_sheet(ws, fmt, SHORT_COLUMNS, rows, formats)


WORST_WAITS_SHOWN = 10


def _summary_sheet(ws, fmt: Formats, view: _View, plan: Plan, scenario: Scenario, waits: tuple = ()) -> None:
    """Stacked tables; the first (required vs assigned per site kind and role) starts in row 1.

    A sheet has one autofilter, so each table here is an Excel table (with its own filter buttons).
    """
    widths = _Widths()
    row = 0

    def table(columns: list[str], rows: list[list], formats: list, caption: str | None = None) -> None:
        nonlocal row
        if caption:
            _cell(ws, widths, row, 0, caption, fmt.caption)
            row += 1
        first = row
        _header(ws, widths, fmt, row, columns)
        for values in rows:
            row += 1
            for c, value in enumerate(values):
                _cell(ws, widths, row, c, value, formats[c])
        ws.add_table(first, 0, max(row, first + 1), len(columns) - 1, {
            "columns": [{"header": name, "header_format": fmt.header} for name in columns],
            "style": "Table Style Light 9", "autofilter": True,
        })
        row += 2

    assigned: dict[tuple[str, str], int] = defaultdict(int)
    for a in plan.assignments:
        assigned[(a.site_kind, a.role)] += 1
    required: dict[tuple[str, str], int] = defaultdict(int)
    for r in view.requirements:
        required[(r.site_kind.value, r.role)] += r.required
    keys = sorted(set(required) | set(assigned), key=lambda k: (
        [k.value for k in SiteKind].index(k[0]) if k[0] in KIND_KO else 9, view.role_rank.get(k, 999), k))
    role_rows = [[KIND_KO.get(kind, kind), view.role_name(kind, role), required[(kind, role)], assigned[(kind, role)],
                  max(0, required[(kind, role)] - assigned[(kind, role)])] for kind, role in keys]
    table(["구분", "역할", "필요", "배치", "부족"], role_rows, [None, None, fmt.int, fmt.int, fmt.int])

    kinds = [k.value for k in SiteKind if any(key[0] == k.value for key in keys)]
    kind_rows = []
    for kind in kinds:
        req = sum(v for k, v in required.items() if k[0] == kind)
        got = sum(v for k, v in assigned.items() if k[0] == kind)
        kind_rows.append([KIND_KO[kind], req, got, max(0, req - got)])
    req_all, got_all = sum(required.values()), sum(assigned.values())
    kind_rows.append(["합계", req_all, got_all, max(0, req_all - got_all)])
    table(["구분", "필요", "배치", "부족"], kind_rows, [None, fmt.int, fmt.int, fmt.int], "구분별 합계")

    if waits:
        worst = sorted(waits, key=lambda w: (-w.worst_wait_min, w.site_id))[:WORST_WAITS_SHOWN]
        wait_rows = [[w.site_id, view.site_name(w.site_id), KIND_SHORT.get(str(w.site_kind), str(w.site_kind)),
                      round(w.voters), w.expected_wait_min, w.worst_wait_min, w.worst_hour,
                      "예" if w.meets_target else "아니오", "예" if w.capacity_limited else "아니오", w.note]
                     for w in worst]
        target = worst[0].target_wait_min if worst else 30
        table(["투표소코드", "투표소", "구분", "예상 투표자", "평균 대기(분)", "최대 대기(분)", "최대 시간대",
               f"{target:g}분 이내", "공간 한계", "비고"], wait_rows,
              [None, None, None, fmt.int, fmt.float, fmt.float, None, None, None, None],
              f"예상 대기시간 상위 {len(wait_rows)}개 투표소 (목표 {target:g}분)")

    commutes = [int(a.commute_m) for a in plan.assignments]
    commute_rows = [
        ["배치 건수", len(commutes)],
        ["평균 통근거리(m)", sum(commutes) / len(commutes) if commutes else None],
        ["최대 통근거리(m)", max(commutes) if commutes else None],
        ["통근거리 합계(m)", sum(commutes)],
    ]
    table(["항목", "값"], commute_rows, [None, fmt.float], "통근거리")

    pool: dict[str, int] = defaultdict(int)
    for w in view.workers.values():
        pool[w.department] += 1
    posts: dict[str, int] = defaultdict(int)
    for a in plan.assignments:
        w = view.worker(a.worker_id)
        posts[w.department if w else ""] += 1
    n_pool, n_posts = sum(pool.values()), len(plan.assignments)
    fair_rows = [[d, pool[d], posts[d], pool[d] / n_pool if n_pool else None, posts[d] / n_posts if n_posts else None]
                 for d in sorted(set(pool) | set(posts))]
    table(["부서", "인원", "배치", "인력비중", "배치비중"], fair_rows, [None, fmt.int, fmt.int, fmt.percent, fmt.percent],
          "부서별 배치 비중")

    stats = plan.stats
    try:
        gap = stats.gap
    except (ArithmeticError, TypeError, ValueError):
        gap = None
    solver_rows = [
        ["선거", f"{scenario.election.name} ({scenario.election.election_day.isoformat()})", None],
        ["시나리오", scenario.title or scenario.id, None],
        ["풀이 상태", stats.status, None],
        ["목적함수 값", stats.objective, fmt.float],
        ["하한(best bound)", stats.best_bound, fmt.float],
        ["최적성 격차", gap, fmt.percent],
        *([f"목적함수: {TERM_KO.get(k, k)}", v, fmt.float] for k, v in plan.objective_terms.items()),
    ]
    _cell(ws, widths, row, 0, "풀이 결과", fmt.caption)
    row += 1
    first = row
    _header(ws, widths, fmt, row, ["항목", "값"])
    for name, value, number_format in solver_rows:
        row += 1
        _cell(ws, widths, row, 0, name)
        _cell(ws, widths, row, 1, value, number_format)
    ws.add_table(first, 0, row, 1, {"columns": [{"header": "항목", "header_format": fmt.header},
                                                {"header": "값", "header_format": fmt.header}],
                                    "style": "Table Style Light 9", "autofilter": True})
    ws.freeze_panes(1, 0)
    widths.apply(ws)
