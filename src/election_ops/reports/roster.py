"""The roster workbook (roster.xlsx) the office hands out and prints: Korean throughout, one sheet per use.

Sheets: 요약 (totals, allowances and budget, waits, commute, department fairness, the plan's
status in words), 투표소별 (each site on its own page(s): where, when, who, with a signature
column), 부서별 (each department on its own page(s), so each 과장 can notify their people),
개인별 (one row per post a person holds, and a row for each person without one), 미충원
(posts left empty, and why).

Every sheet prints on A4 with all its columns on each page (fit to width), repeats its
header row on every page, and carries the election, the sheet name and "page X of Y" in
its page header and footer. The site and department sheets start each block on a new page
with its own header row, and repeat both on a continuation page.

The 투표소별 header row holds the texts 투표소코드, 근무코드, 역할코드, 직원번호 and 성명
(contract with ``validate`` and ``roster import``); the info lines above it never do.

Every text cell goes through ``safe_write.neutralise`` and ``write_string``, so a name
such as ``=HYPERLINK(...)`` lands as inert text. The workbook's dates come from the
election, not the clock, so one plan always gives the same bytes. Korean words come from
``glossary``.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path

import xlsxwriter

from ..costs import cost_by_class
from ..demand import Demand
from ..domain import SiteKind, StaffingRules, Worker, home_placements
from ..glossary import (
    ALLOWANCE_CLASSES,
    DOCUMENT,
    LOCATION_SOURCES,
    OBJECTIVE_TERMS,
    SHIFTS,
    SITE_KIND_SHORT,
    SITE_KINDS,
    SOLVER_STATUS,
    SUMMARY,
    date_ko,
    ko,
    report_time_ko,
    shift_when_ko,
    wait_note_ko,
)
from ..io.scenario import Scenario
from ..safe_write import neutralise
from ..solution import Assignment, Plan
from ..waits.station import UNBOUNDED_KO

SHEETS = ("요약", "투표소별", "부서별", "개인별", "미충원")
FONT = "맑은 고딕"
KIND_SHORT = {k: t.ko for k, t in SITE_KIND_SHORT.items()}
KIND_KO = {k: t.ko for k, t in SITE_KINDS.items()}
# 투표소별: the five contract texts (투표소코드, 근무코드, 역할코드, 직원번호, 성명) are in every site's header row
SITE_COLUMNS = ["순번", "역할", "성명", "부서", "직급", "서명", "근무", "역할코드", "직원번호", "근무코드", "투표소코드"]
SITE_WIDTHS = [5, 27, 10, 17, 7, 14, 11, 15, 9, 8, 12]
DEPARTMENT_COLUMNS = ["순번", "성명", "직급", "일시", "집합", "근무 장소", "동", "역할", "직원번호", "투표소코드", "역할코드"]
DEPARTMENT_WIDTHS = [5, 10, 7, 36, 10, 34, 10, 27, 9, 12, 15]
PERSON_COLUMNS = ["직원번호", "성명", "부서", "직급", "일시", "집합", "근무 장소", "동", "역할", "통근거리(m)",
                  "투표소코드", "역할코드"]
SHORT_COLUMNS = ["투표소코드", "투표소", "구분", "역할", "근무", "필요", "배치", "부족", "사유", "역할코드"]
HOME_BASIS_COLUMN = "통근거리 기준"  # only when some homes are a 동's or 시군구's point
HOME_BASIS = {"coordinates": "좌표", "dong": "동 대표점(추정)", "sigungu": "시군구 대표점(추정)"}
CONTACT = "연락처"
SIGNATURE = "서명"
UNFILLED = ko(DOCUMENT, "short_name")
ROWS_PER_PAGE = {"투표소별": 44, "부서별": 30}  # post rows per printed page before a block continues on the next
POST_ROW_HEIGHT = {"투표소별": 19, "부서별": 16}  # room to sign on 투표소별
MAX_WIDTH = 60
A4 = 9

def roster_workbook(path: Path, *, scenario: Scenario, demand: Demand, rules: StaffingRules,
                    workers: tuple[Worker, ...], plan: Plan, waits: tuple = ()) -> None:
    """Write the workbook to ``path`` as it stands (``write_plan`` stages it as a temp file with the others)."""
    view = _View(demand, rules, workers)
    election = scenario.election
    book = new_workbook(path, title=f"{election.name} {ko(DOCUMENT, 'roster')}", subject=scenario.title or scenario.id,
                        created=datetime.combine(election.election_day, time()), comments=f"scenario {scenario.id}")
    fmt = Formats(book)
    page = PageSetup(election.name)
    try:
        _summary_sheet(book.add_worksheet(SHEETS[0]), fmt, page, view, plan, scenario, rules, waits)
        _site_sheet(book.add_worksheet(SHEETS[1]), fmt, page, view, plan)
        _department_sheet(book.add_worksheet(SHEETS[2]), fmt, page, view, plan)
        _person_sheet(book.add_worksheet(SHEETS[3]), fmt, page, view, plan)
        _shortfall_sheet(book.add_worksheet(SHEETS[4]), fmt, page, view, plan)
    finally:
        book.close()


def new_workbook(path: Path, *, title: str, created: datetime | None = None, subject: str = "",
                 comments: str = "") -> xlsxwriter.Workbook:
    """A workbook in the house style: Korean font, text never turned into numbers, formulas or links."""
    book = xlsxwriter.Workbook(str(path), {
        "default_format_properties": {"font_name": FONT, "font_size": 10},
        "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
    })
    properties = {"title": title, "subject": subject, "author": "election-ops", "company": "", "comments": comments}
    if created is not None:
        properties["created"] = created
    book.set_properties(properties)
    return book


@dataclass(frozen=True)
class PageSetup:
    """A4, every column on each page, the header row again on each page, and election · sheet · page X / Y."""

    election: str

    def apply(self, ws, *, landscape: bool, repeat_row: int | None = 0) -> None:
        ws.set_paper(A4)
        if landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.fit_to_pages(1, 0)  # one page wide, as many tall as it takes
        ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.7)
        if repeat_row is not None:
            ws.repeat_rows(repeat_row)
        election = self.election.replace("&", "&&")
        ws.set_header(f'&L&"{FONT}"&9{election}&R&"{FONT}"&9&A', {"margin": 0.3})
        ws.set_footer(f'&C&"{FONT}"&9&P / &N 쪽', {"margin": 0.3})


class _View:
    """Look-ups from ids to what a person reads, and the sort orders of the sheets."""

    def __init__(self, demand: Demand, rules: StaffingRules, workers: tuple[Worker, ...]) -> None:
        self.demand = demand
        self.sites = {s.id: s for s in demand.sites}
        self.site_rank = {s.id: i for i, s in enumerate(demand.sites)}
        self.shifts = {s.id: s for s in demand.shifts}
        self.shift_rank = {s.id: i for i, s in enumerate(sorted(demand.shifts, key=lambda s: (s.start, s.end, s.id)))}
        self.role_rank = {(r.site_kind.value, r.role): i for i, r in enumerate(rules.roles)}
        self.role_names = {(r.site_kind.value, r.role): r.name for r in rules.roles}
        self.role_names.update({(r.site_kind.value, r.role): r.role_name for r in demand.requirements})
        self.leads = {(r.site_kind.value, r.role) for r in rules.roles if r.lead}
        self.workers = {w.id: w for w in workers}
        self.requirements = demand.requirements
        self.with_contact = any(contact_of(w) for w in workers)

    def site_name(self, site_id: str) -> str:
        site = self.sites.get(site_id)
        return site.name if site else site_id

    def shift_name(self, shift_id: str) -> str:
        shift = self.shifts.get(shift_id)
        return shift.name if shift else ko(SHIFTS, shift_id)

    def shift_when(self, shift_id: str) -> str:
        shift = self.shifts.get(shift_id)
        return shift_when_ko(shift.start, shift.end) if shift else self.shift_name(shift_id)

    def report_time(self, shift_id: str) -> str:
        shift = self.shifts.get(shift_id)
        return report_time_ko(shift.start, shift.end) if shift else ""

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
        return (w.department if w else "", w.name if w else "", a.worker_id,
                self.shift_rank.get(a.shift, len(self.shift_rank)), *self.post_key(a))

    def worker(self, worker_id: str) -> Worker | None:
        return self.workers.get(worker_id)


def contact_of(worker: Worker | None) -> str:
    """The staff file's contact column, when it has one (an optional field of Worker)."""
    return (getattr(worker, "contact", None) or "") if worker is not None else ""


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
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.info = book.add_format({"font_size": 10})
        self.int = book.add_format({"num_format": "#,##0", "valign": "vcenter"})
        self.float = book.add_format({"num_format": "#,##0.0", "valign": "vcenter"})
        self.percent = book.add_format({"num_format": "0.0%"})
        self.won = book.add_format({"num_format": '#,##0"원"'})
        self.wrap = book.add_format({"text_wrap": True, "valign": "vcenter"})
        self.wrap.set_font_name(FONT)
        self.cell = book.add_format({"border": 1, "valign": "vcenter", "text_wrap": True})
        self.cell_int = book.add_format({"border": 1, "valign": "vcenter", "num_format": "#,##0"})
        self.code = book.add_format({"border": 1, "valign": "vcenter", "font_size": 8, "font_color": "#595959"})

    def bind(self, ws) -> None:
        """Numbers written without a format on ``ws`` get a thousands separator (never 799.0)."""
        ws.number_formats = {int: self.int, float: self.float}


@dataclass
class _Widths:
    """The widest cell per column, measured so that a Korean character counts twice."""

    widths: dict[int, float] = field(default_factory=dict)

    def see(self, col: int, value: object) -> None:
        if value is None:
            return
        text = value if isinstance(value, str) else (f"{value:,.1f}" if isinstance(value, float) else f"{value:,}")
        width = text_width(text) + 2
        self.widths[col] = max(self.widths.get(col, 0), min(width, MAX_WIDTH))

    def apply(self, ws, minimum: float = 6) -> None:
        for col, width in sorted(self.widths.items()):
            ws.set_column(col, col, max(width, minimum))


def _wait_cell(minutes: float) -> float | str:
    """A predicted wait: minutes, or the label of a line that never clears (a desk with no clerk)."""
    return UNBOUNDED_KO if math.isinf(minutes) else minutes


def text_width(text: str) -> int:
    """Columns of a text: a Korean (wide) character takes two."""
    return len(text) + _wide_chars(text)


@functools.lru_cache(maxsize=8192)  # sites, roles and departments repeat on every row (a third of the roster's time)
def _wide_chars(text: str) -> int:
    return 0 if text.isascii() else sum(unicodedata.east_asian_width(ch) in "WF" for ch in text)


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` wide (LibreOffice does not size such rows itself)."""
    wide = len(text) + 0.7 * _wide_chars(text)  # as LibreOffice draws it: a wide character is 1.7
    return max(1, math.ceil(wide / max(width - 1, 1)))


def _cell(ws, widths: _Widths | None, row: int, col: int, value: object, fmt=None) -> None:
    """Write one cell by its type: text through neutralise + write_string, never the generic write().

    A whole float (799.0) is written as the integer it is, with a thousands separator when no format is given.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        ws.write_blank(row, col, None, fmt)
        return
    if isinstance(value, float) and math.isinf(value):
        value = "끝없음"  # a wait that never ends (a stage without a server)
    if isinstance(value, bool):
        value = ko(DOCUMENT, "yes") if value else ko(DOCUMENT, "no")
    if isinstance(value, float) and value.is_integer() and fmt is None:
        value = int(value)
    if isinstance(value, str):
        value = neutralise(value)
        ws.write_string(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        if fmt is None:  # a count shows as 1,234: the sheet's default number formats (Formats.bind)
            fmt = getattr(ws, "number_formats", {}).get(type(value))
        ws.write_number(row, col, value, fmt)
    else:
        value = neutralise(str(value))
        ws.write_string(row, col, value, fmt)
    if widths is not None:
        widths.see(col, value)


def _header(ws, widths: _Widths | None, fmt: Formats, row: int, columns: list[str]) -> None:
    for col, name in enumerate(columns):
        _cell(ws, widths, row, col, name, fmt.header)


def table_sheet(ws, fmt: Formats, columns: list[str], rows: list[list], formats: list | None = None, *,
                page: PageSetup | None = None, landscape: bool = True, widths: list[float] | None = None) -> None:
    """A sheet holding one table: header in row 1, frozen and repeated on every printed page, with an autofilter."""
    fmt.bind(ws)
    measured = _Widths()
    _header(ws, measured, fmt, 0, columns)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            _cell(ws, measured, r, c, value, formats[c] if formats else None)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(rows), len(columns) - 1)
    if widths:  # fixed widths for print; long text wraps within them, in rows made tall enough to show it
        for c, width in enumerate(widths):
            ws.set_column(c, c, width, fmt.wrap)
        ws.set_row(0, 15 * max(_lines(name, widths[c]) for c, name in enumerate(columns)))
        for r, values in enumerate(rows, start=1):
            lines = max((_lines(v, widths[c]) for c, v in enumerate(values) if isinstance(v, str)), default=1)
            if lines > 1:
                ws.set_row(r, 13.5 * lines)
    else:
        measured.apply(ws)
    if page is not None:
        page.apply(ws, landscape=landscape)


# --- 투표소별 and 부서별: one block per site or department, each on its own page(s) -------------------------------


@dataclass
class _Block:
    title: str  # the first line, in large type
    info: list[str]  # lines under it
    rows: list[list]  # post rows, one value per column


def _block_sheet(ws, fmt: Formats, page: PageSetup, columns: list[str], widths: list[float], code_columns: set[int],
                 blocks: list[_Block], *, landscape: bool, per_page: int, row_height: float) -> None:
    """Each block starts a page: title, info lines, header row, rows; a block longer than ``per_page`` rows goes
    on with its title marked (계속) and the header row again."""
    fmt.bind(ws)
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    last = len(columns) - 1
    row, breaks = 0, []
    for block in blocks:
        for part, start in enumerate(range(0, max(len(block.rows), 1), per_page)):
            if row:
                breaks.append(row)
            title = block.title if part == 0 else f"{block.title} (계속)"
            ws.merge_range(row, 0, row, last, neutralise(title), fmt.title)
            ws.set_row(row, 22)
            row += 1
            for line in (block.info if part == 0 else []):
                ws.merge_range(row, 0, row, last, neutralise(line), fmt.info)
                row += 1
            _header(ws, None, fmt, row, columns)
            ws.set_row(row, 28)
            row += 1
            for values in block.rows[start:start + per_page]:
                ws.set_row(row, row_height)
                for c, value in enumerate(values):
                    cell_fmt = fmt.code if c in code_columns else (fmt.cell_int if isinstance(value, int) else fmt.cell)
                    _cell(ws, None, row, c, value, cell_fmt)
                row += 1
            row += 1  # an empty row ends the block, and its continuation (contract 1)
    ws.set_h_pagebreaks(breaks)
    page.apply(ws, landscape=landscape, repeat_row=None)
    ws.print_area(0, 0, max(row - 1, 0), last)


def _site_sheet(ws, fmt: Formats, page: PageSetup, view: _View, plan: Plan) -> None:
    """투표소별: every site with posts, in demand order; empty posts are rows named (미충원)."""
    columns, widths = list(SITE_COLUMNS), list(SITE_WIDTHS)
    if view.with_contact:
        at = columns.index(SIGNATURE)
        columns.insert(at, CONTACT)
        widths.insert(at, 14)
    held: dict[tuple[str, str, str], list[Assignment]] = defaultdict(list)
    for a in sorted(plan.assignments, key=view.site_order):
        held[(a.site_id, a.shift, a.role)].append(a)
    posts: dict[str, list[tuple]] = defaultdict(list)  # site -> (sort key, shift, role, site kind, worker id or None)
    for r in view.requirements:
        if r.required == 0:
            continue
        kind = r.site_kind.value
        key = (view.shift_rank.get(r.shift, 99), view.role_rank.get((kind, r.role), 999), r.role)
        taken = held.pop((r.site_id, r.shift, r.role), [])
        for k in range(max(r.required, len(taken))):
            posts[r.site_id].append((key, r.shift, r.role, kind, taken[k].worker_id if k < len(taken) else None))
    for (site_id, shift, role), taken in held.items():  # posts the demand no longer lists (e.g. a frozen post)
        for a in taken:
            posts[site_id].append(((view.shift_rank.get(shift, 99), 999, role), shift, role, a.site_kind, a.worker_id))
    blocks = []
    for site_id in sorted(posts, key=lambda s: (view.site_rank.get(s, len(view.site_rank)), s)):
        entries = sorted(posts[site_id], key=lambda e: (e[0], e[4] is None, e[4] or ""))
        rows = []
        for n, (_, shift, role, kind, worker_id) in enumerate(entries, start=1):
            w = view.worker(worker_id) if worker_id else None
            values = [n, view.role_name(kind, role), (w.name if w else worker_id or "") if worker_id else UNFILLED,
                      w.department if w else "", grade_text(w), "", view.shift_name(shift), role, worker_id or "",
                      shift, site_id]
            if view.with_contact:
                values.insert(columns.index(CONTACT), contact_of(w))
            rows.append(values)
        blocks.append(_Block(_site_title(view, site_id), _site_info(view, site_id, entries), rows))
    codes = {columns.index(c) for c in ("역할코드", "직원번호", "근무코드", "투표소코드")}
    _block_sheet(ws, fmt, page, columns, widths, codes, blocks, landscape=False,
                 per_page=ROWS_PER_PAGE["투표소별"], row_height=POST_ROW_HEIGHT["투표소별"])


def _site_title(view: _View, site_id: str) -> str:
    site = view.sites.get(site_id)
    if site is None:
        return site_id
    kind = KIND_KO.get(site.kind.value, "")
    return site.name if kind in site.name else f"{site.name} ({kind})"


def _site_info(view: _View, site_id: str, entries: list[tuple]) -> list[str]:
    """Where, when and who leads: the lines above a site's header row (never the text 투표소코드)."""
    site = view.sites.get(site_id)
    lines = []
    if site is not None:
        where = f"위치: {site.dong} · 위도 {site.lat:.5f}, 경도 {site.lon:.5f}"
        if site.location_source != "surveyed":
            where += f" ({ko(LOCATION_SOURCES, site.location_source, ko(LOCATION_SOURCES, 'approximate'))})"
        lines.append(where)
    shifts = sorted({e[1] for e in entries}, key=lambda s: view.shift_rank.get(s, 99))
    for shift in shifts:
        count = sum(1 for e in entries if e[1] == shift)
        lines.append(f"근무: {view.shift_name(shift)} {view.shift_when(shift)} · "
                     f"{ko(DOCUMENT, 'report_time')} {view.report_time(shift)} · {count:,}명")
    leads = []
    for _, shift, role, kind, worker_id in entries:
        if (kind, role) in view.leads:
            w = view.worker(worker_id) if worker_id else None
            leads.append(f"{view.role_name(kind, role)} {w.name} ({grade_text(w)}, {w.department})" if w
                         else f"{view.role_name(kind, role)} {UNFILLED}")
    if leads:
        lines.append("책임자: " + ", ".join(dict.fromkeys(leads)))
    return lines


def _department_sheet(ws, fmt: Formats, page: PageSetup, view: _View, plan: Plan) -> None:
    """부서별: each department's people and posts on its own page(s), with the count, for the 과장's notice."""
    by_department: dict[str, list[Assignment]] = defaultdict(list)
    for a in sorted(plan.assignments, key=view.department_order):
        w = view.worker(a.worker_id)
        by_department[w.department if w else ""].append(a)
    columns, widths = list(DEPARTMENT_COLUMNS), list(DEPARTMENT_WIDTHS)
    if view.with_contact:
        columns.insert(3, CONTACT)
        widths.insert(3, 14)
    blocks = []
    for department in sorted(by_department):
        posts = by_department[department]
        rows = []
        for n, a in enumerate(posts, start=1):
            w = view.worker(a.worker_id)
            site = view.sites.get(a.site_id)
            values = [n, w.name if w else "", grade_text(w), view.shift_when(a.shift), view.report_time(a.shift),
                      view.site_name(a.site_id), site.dong if site else "", view.role_name(a.site_kind, a.role),
                      a.worker_id, a.site_id, a.role]
            if view.with_contact:
                values.insert(3, contact_of(w))
            rows.append(values)
        people = len({a.worker_id for a in posts})
        blocks.append(_Block(department or "(부서 없음)", [f"배치 인원 {people:,}명 · 배치 {len(posts):,}건"], rows))
    codes = {columns.index(c) for c in ("직원번호", "투표소코드", "역할코드")}
    _block_sheet(ws, fmt, page, columns, widths, codes, blocks, landscape=True,
                 per_page=ROWS_PER_PAGE["부서별"], row_height=POST_ROW_HEIGHT["부서별"])


UNPLACED_LISTED_MAX = 10_000  # a pool up to this size lists its people without a post too (미배치)


def _person_sheet(ws, fmt: Formats, page: PageSetup, view: _View, plan: Plan) -> None:
    """개인별: one row per post a person holds, date, hours, place and role on the line; 미배치 for the rest.

    A city-wide pool (more than UNPLACED_LISTED_MAX people) lists only the people placed and says how many
    it left out: 199,000 rows of 미배치 would take most of the plan's time and help no one."""
    posts: dict[str, list[Assignment]] = defaultdict(list)
    for a in plan.assignments:
        posts[a.worker_id].append(a)
    listed = view.workers.values() if len(view.workers) <= UNPLACED_LISTED_MAX else (
        view.workers[w] for w in posts if w in view.workers)
    rows = []
    # homes given as a 동 or 시군구 (the office's own list): say whose commute is an estimate, in a last column
    coarse = any(w.commute_estimate for w in view.workers.values())
    for worker in sorted(listed, key=lambda w: w.id):
        held = sorted(posts.get(worker.id, []), key=lambda a: (view.shift_rank.get(a.shift, 99), *view.post_key(a)))
        who = [worker.id, worker.name, worker.department, grade_text(worker)]
        home = [HOME_BASIS.get(worker.home_placed_by, "")] if coarse else []
        if not held:
            rows.append([*who, ko(DOCUMENT, "unassigned"), None, None, None, None, None, None, None, *home])
        for a in held:
            site = view.sites.get(a.site_id)
            rows.append([*who, view.shift_when(a.shift), view.report_time(a.shift), view.site_name(a.site_id),
                         site.dong if site else "", view.role_name(a.site_kind, a.role), int(a.commute_m),
                         a.site_id, a.role, *home])
    unlisted = len(view.workers) - len({w for w in posts if w in view.workers}) if len(view.workers) > UNPLACED_LISTED_MAX else 0
    if unlisted:
        rows.append(["", f"{ko(DOCUMENT, 'unassigned')} {unlisted:,}명 생략", "", "", None, None, None, None, None, None,
                     None, None, *([""] if coarse else [])])
    table_sheet(ws, fmt, PERSON_COLUMNS + ([HOME_BASIS_COLUMN] if coarse else []), rows, page=page, landscape=True,
                widths=[9, 10, 16, 7, 30, 9, 30, 10, 22, 10, 12, 15, *([14] if coarse else [])])


def _shortfall_sheet(ws, fmt: Formats, page: PageSetup, view: _View, plan: Plan) -> None:
    rows = [[s.site_id, view.site_name(s.site_id), KIND_SHORT.get(s.site_kind, s.site_kind),
             view.role_name(s.site_kind, s.role), view.shift_name(s.shift), s.required, s.assigned, s.short,
             s.reason_ko(), s.role] for s in plan.shortfalls]
    table_sheet(ws, fmt, SHORT_COLUMNS, rows, page=page, landscape=True,
                widths=[12, 22, 7, 22, 11, 7, 7, 7, 60, 15])


# --- 요약 -----------------------------------------------------------------------------------------------------

WORST_WAITS_SHOWN = 10


def _summary_sheet(ws, fmt: Formats, page: PageSetup, view: _View, plan: Plan, scenario: Scenario,
                   rules: StaffingRules, waits: tuple = ()) -> None:
    """Stacked tables; the first (required vs assigned per site kind and role) starts in row 1.

    A sheet has one autofilter, so each table here is an Excel table (with its own filter buttons).
    """
    fmt.bind(ws)
    widths = _Widths()
    row = 0

    def table(columns: list[str], rows: list[list], formats: list, caption: str | None = None) -> None:
        nonlocal row
        if caption:
            _cell(ws, None, row, 0, caption, fmt.caption)
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

    classes = cost_by_class(view.demand, rules, plan)
    cost_rows = [[ko(ALLOWANCE_CLASSES, c.role_class), c.rate, c.required_posts, c.required_days, c.required_krw,
                  c.assigned_posts, c.assigned_krw] for c in classes]
    cost_rows.append(["합계", None, sum(c.required_posts for c in classes), sum(c.required_days for c in classes),
                      sum(c.required_krw for c in classes), sum(c.assigned_posts for c in classes),
                      sum(c.assigned_krw for c in classes)])
    table(["수당 구분", "일당", "필요 인원", "지급 일수", "필요 수당", "배치 인원", "배치 수당"], cost_rows,
          [None, fmt.won, fmt.int, fmt.int, fmt.won, fmt.int, fmt.won], "수당 (추정, 구분별)")
    if scenario.budget_krw is not None:
        total = sum(c.required_krw for c in classes)
        left = scenario.budget_krw - total
        table(["항목", "금액"], [["예산", scenario.budget_krw], ["필요 수당", total],
                               [ko(DOCUMENT, "under_budget") + " (남는 금액)" if left >= 0
                                else ko(DOCUMENT, "over_budget") + " (모자라는 금액)", abs(left)]],
              [None, fmt.won], "예산 대비")

    if waits:
        worst = sorted(waits, key=lambda w: (-w.worst_wait_min, w.site_id))[:WORST_WAITS_SHOWN]
        wait_rows = [[view.site_name(w.site_id), KIND_SHORT.get(str(w.site_kind), str(w.site_kind)),
                      round(w.voters), _wait_cell(w.expected_wait_min), _wait_cell(w.worst_wait_min), w.worst_hour,
                      w.meets_target, w.capacity_limited, w.site_id,
                      wait_note_ko(meets_target=w.meets_target, capacity_limited=w.capacity_limited,
                                   worst_min=w.worst_wait_min, best_min=w.best_worst_wait_min, hour=w.worst_hour,
                                   stage=w.bottleneck, target_min=w.target_wait_min)]
                     for w in worst]
        target = worst[0].target_wait_min if worst else 30
        table(["투표소", "구분", "예상 투표자", "평균 대기(분)", "최대 대기(분)", "최대 시간대",
               f"{target:g}분 이내", "공간 한계", "투표소코드", "비고"], wait_rows,
              [None, None, fmt.int, fmt.float, fmt.float, None, None, None, None, None],
              f"예상 대기시간 상위 {len(wait_rows)}개 투표소 (목표 {target:g}분)")

    commutes = [int(a.commute_m) for a in plan.assignments]
    commute_rows = [
        ["배치 건수", len(commutes)],
        ["평균 통근거리(m)", round(sum(commutes) / len(commutes)) if commutes else None],
        ["최대 통근거리(m)", max(commutes) if commutes else None],
        ["통근거리 합계(m)", sum(commutes)],
    ]
    table(["항목", "값"], commute_rows, [None, fmt.int], "통근거리")
    homes = home_placements(tuple(view.workers.values()))
    if homes["dong"] or homes["sigungu"]:  # homes from a 주소 or 동 name: say how coarse the commutes are
        estimated = sum(1 for a in plan.assignments if (w := view.worker(a.worker_id)) and w.commute_estimate)
        home_rows = [["좌표(경도·위도)", homes["coordinates"]], ["동 대표점", homes["dong"]],
                     ["시군구 대표점만", homes["sigungu"]], ["통근거리가 추정인 배치 건수", estimated]]
        table(["거주지 위치", "인원"], home_rows, [None, fmt.int],
              "거주지 위치 (동·시군구 대표점에서 잰 통근거리는 추정)")

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

    table(["항목", "값"], _result_rows(plan, scenario), [None, None], "배치 결과")
    ws.freeze_panes(1, 0)
    widths.apply(ws)
    ws.set_column(0, 0, max(widths.widths.get(0, 10), 16))
    page.apply(ws, landscape=True, repeat_row=None)  # stacked tables: no one header row to repeat


def _result_rows(plan: Plan, scenario: Scenario) -> list[list]:
    """The plan's status in words an official reads: no solver jargon, and no solve time (same plan, same bytes)."""
    stats = plan.stats
    election = scenario.election
    try:
        gap = stats.gap
    except (ArithmeticError, TypeError, ValueError):
        gap = math.nan
    proven = stats.status == "OPTIMAL"
    if proven:
        quality = ko(SUMMARY, "proven")
    elif math.isfinite(gap):
        quality = f"{ko(SUMMARY, 'not_proven')} (차이 최대 {gap:.1%})"
    else:
        quality = ko(SUMMARY, "not_proven")
    rows = [
        [ko(DOCUMENT, "election"), election.name],
        ["선거일", date_ko(election.election_day)],
        ["사전투표일", ", ".join(date_ko(d) for d in election.early_days)],
        [ko(SUMMARY, "status"), ko(SOLVER_STATUS, stats.status, stats.status)],
        ["최적 여부", quality],
    ]
    rows += [[f"{ko(SUMMARY, 'term')}: {ko(OBJECTIVE_TERMS, k)}", f"{v:,.0f}"] for k, v in plan.objective_terms.items()]
    return rows
