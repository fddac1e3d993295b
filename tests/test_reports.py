"""write_plan: the files a solved plan leaves on disk, and the roster workbook.

The plan is made by hand (no solver): the real presidential demand (799 posts at 72
sites), six real people from data/staff/geumcheon-2022.csv, two of them renamed to
formula-injection bait, six posts filled and every other post listed as short.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
from collections import defaultdict
from pathlib import Path

import pytest
from openpyxl import load_workbook

from election_ops.io.staff import load_staff
from election_ops.pipeline import plan_demand
from election_ops.reports import plan_files
from election_ops.reports.plan_files import write_plan
from election_ops.solution import Assignment, Plan, Shortfall, SolveStats
from election_ops.validate import validate_plan

PEOPLE = ("W0001", "W0002", "W0004", "W0005", "W0006", "W0017")
BAIT = {  # worker id -> (name, department) that a spreadsheet would run as formulas
    "W0004": ('=HYPERLINK("http://evil.example","click")', "+총무과"),
    "W0005": ("@SUM(A1:A9)", "-재무과"),
}
POSTS = [  # worker, site, role, shift
    ("W0006", "가산동-1", "manager", "eday"),  # 6급, a past 투표관리관
    ("W0001", "가산동-1", "guide", "eday"),
    ("W0004", "가산동-1", "guide", "eday"),
    ("W0001", "가산동-사전", "early_guide", "early"),  # a second post, on another shift
    ("W0002", "개표소", "count_sorter", "count"),  # sorter-trained
    ("W0005", "개표소", "count_guide", "count"),
]
OUTPUTS = ["requirements.csv", "sites.csv", "shifts.csv", "assignments.csv", "shortfalls.csv", "roles.csv",
           "roster.xlsx", "summary.json", "notices.pdf", "report.html"]
COLUMNS = {
    "requirements.csv": ["site_id", "site_kind", "role", "shift", "required", "assigned", "role_name", "load"],
    "sites.csv": ["site_id", "site_kind", "name", "dong", "lon", "lat", "location_source", "serves", "entrances",
                  "electors", "expected_voters"],
    "shifts.csv": ["shift", "start", "end", "name"],
    "assignments.csv": ["worker_id", "site_id", "site_kind", "role", "shift", "commute_m", "department", "role_name",
                        "commute_estimate"],
    "shortfalls.csv": ["site_id", "site_kind", "role", "shift", "required", "assigned", "short", "reason",
                       "reason_code"],
    "roles.csv": ["site_kind", "role", "role_name", "shift", "lead", "min_grade", "requires", "experienced"],
}
SHEETS = ["요약", "투표소별", "부서별", "개인별", "미충원"]
HANGUL = re.compile("[가-힣]")


@pytest.fixture(scope="module")
def demand(presidential_inputs):
    return plan_demand(presidential_inputs)


@pytest.fixture(scope="module")
def staff_file(tmp_path_factory, repo_root) -> Path:
    """Six real people, two renamed to injection bait, as a staff CSV of their own."""
    with open(repo_root / "data/staff/geumcheon-2022.csv", encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["worker_id"] in PEOPLE]
    for row in rows:
        if row["worker_id"] in BAIT:
            row["name"], row["department"] = BAIT[row["worker_id"]]
    path = tmp_path_factory.mktemp("staff") / "staff.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def workers(staff_file, presidential_inputs):
    return load_staff(staff_file, presidential_inputs.district)


@pytest.fixture(scope="module")
def plan(demand) -> Plan:
    """Six posts filled; every other post short, with a reason."""
    kinds = {s.id: s.kind.value for s in demand.sites}
    assignments = tuple(sorted(Assignment(site, kinds[site], role, shift, worker, 1000 + 100 * i)
                               for i, (worker, site, role, shift) in enumerate(POSTS)))
    filled = {(a.site_id, a.role, a.shift): 0 for a in assignments}
    for a in assignments:
        filled[(a.site_id, a.role, a.shift)] += 1
    shortfalls = []
    for r in demand.requirements:
        got = filled.get((r.site_id, r.role, r.shift), 0)
        if got < r.required:
            shortfalls.append(Shortfall(r.site_id, r.site_kind.value, r.role, r.shift, r.required, got,
                                        "test plan: left empty"))
    stats = SolveStats(status="FEASIBLE", objective=1_000_000.0, best_bound=999_000.0, solve_seconds=0.5,
                       variables=12, constraints=34)
    return Plan(assignments=assignments, shortfalls=tuple(shortfalls), stats=stats,
                objective_terms={"shortfall": 793_000_000.0, "commute": 8_500.0})


@pytest.fixture(scope="module")
def input_files(presidential_inputs, staff_file) -> dict[str, Path]:
    return {**presidential_inputs.scenario.input_files(), "staff": staff_file}


@pytest.fixture(scope="module")
def write(presidential_inputs, demand, workers, input_files):
    def _write(out: Path, plan: Plan) -> Path:
        write_plan(out, scenario=presidential_inputs.scenario, demand=demand, rules=presidential_inputs.rules,
                   workers=workers, plan=plan, input_files=input_files)
        return out

    return _write


@pytest.fixture(scope="module")
def out(write, plan, tmp_path_factory) -> Path:
    return write(tmp_path_factory.mktemp("plan"), plan)


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _header(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh))


def test_every_file_is_written_with_its_columns(out):
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)
    for name, columns in COLUMNS.items():
        assert _header(out / name) == columns, name


def test_requirements_count_the_assignments(out, demand):
    rows = _rows(out / "requirements.csv")
    assert len(rows) == len(demand.requirements)
    assigned = {(r["site_id"], r["role"], r["shift"]): int(r["assigned"]) for r in rows}
    assert sum(assigned.values()) == len(POSTS)
    assert assigned[("가산동-1", "guide", "eday")] == 2
    assert assigned[("가산동-1", "register_check", "eday")] == 0


def test_assignments_follow_the_plan_and_carry_no_names(out, plan):
    rows = _rows(out / "assignments.csv")
    assert [(r["worker_id"], r["site_id"], r["role"], r["shift"]) for r in rows] == [
        (a.worker_id, a.site_id, a.role, a.shift) for a in plan.assignments]
    assert {r["role_name"] for r in rows if r["role"] == "manager"} == {"투표관리관"}
    text = "".join((out / name).read_text(encoding="utf-8") for name in [*COLUMNS, "summary.json"])
    for name in ["김준은", "김서정", *(bait for bait, _ in BAIT.values())]:
        assert name not in text


def test_shortfalls_and_roles(out, plan):
    rows = _rows(out / "shortfalls.csv")
    assert len(rows) == len(plan.shortfalls)
    assert all(int(r["short"]) == int(r["required"]) - int(r["assigned"]) > 0 and r["reason"] for r in rows)
    roles = {(r["site_kind"], r["role"]): r for r in _rows(out / "roles.csv")}
    assert roles[("polling", "manager")]["min_grade"] == "6"  # never 6.0
    assert roles[("polling", "manager")]["experienced"] == "true"
    assert roles[("polling", "guide")]["min_grade"] == ""
    assert roles[("counting", "count_sorter")]["requires"] == "sorter"


def test_no_shortfalls_gives_a_header_only_file(write, plan, tmp_path):
    out = write(tmp_path, Plan(plan.assignments, (), plan.stats, plan.objective_terms))
    assert (out / "shortfalls.csv").read_text(encoding="utf-8") == ",".join(COLUMNS["shortfalls.csv"]) + "\n"


def test_summary(out, input_files, demand):
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "FEASIBLE"
    assert summary["gap"] == pytest.approx(0.001)
    assert summary["totals"]["polling"]["required"] == sum(r.required for r in demand.requirements
                                                           if r.site_kind.value == "polling")
    assert sum(t["assigned"] for t in summary["totals"].values()) == len(POSTS)
    assert summary["shortfall_count"] == demand.total() - len(POSTS)
    assert summary["commute_m"] == {"mean": 1250.0, "max": 1500, "total": 7500}
    assert summary["fairness"]["+총무과"] == {"pool": 1, "posts": 1, "pool_share": round(1 / 6, 4),
                                            "post_share": round(1 / 6, 4)}
    assert summary["limits"] == {"max_posts_per_worker": 2}
    assert summary["scenario"]["id"] == "2022-presidential"
    assert set(summary["inputs"]) == set(input_files)
    staff = summary["inputs"]["staff"]
    assert staff["sha256"] == hashlib.sha256(Path(staff["path"]).read_bytes()).hexdigest()
    assert list(summary) == sorted(summary)


def test_summary_turns_nan_into_null(write, plan, tmp_path):
    empty = Plan((), plan.shortfalls, SolveStats("UNKNOWN", math.nan, math.nan, 0.1), {"shortfall": math.nan})
    text = (write(tmp_path, empty) / "summary.json").read_text(encoding="utf-8")
    summary = json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in summary.json"))
    assert summary["objective"] is None and summary["best_bound"] is None and summary["gap"] is None
    assert summary["commute_m"] == {"mean": None, "max": None, "total": 0}
    assert summary["objective_terms"] == {"shortfall": None}


def test_validate_accepts_what_write_plan_writes(out):
    assert validate_plan(out) == []


# --- the roster workbook ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def book(out):
    return load_workbook(out / "roster.xlsx")


CONTRACT = ("투표소코드", "근무코드", "역할코드", "직원번호", "성명")


def site_blocks(ws) -> list[dict]:
    """The 투표소별 sheet read as contract 1 says: a header row holding the five texts starts a block, which ends at
    the next header row, an empty row or the sheet's end. Each block: its header row, title row and post rows."""
    rows = list(ws.iter_rows(values_only=True))
    blocks, current = [], None
    for r, values in enumerate(rows, start=1):
        cells = [v for v in values if v is not None]
        if set(CONTRACT) <= set(cells):
            columns = {name: values.index(name) for name in values if name}
            title = next(k for k in range(r - 1, 0, -1) if rows[k - 1][0] and rows[k - 1][0] not in ("",)
                         and ws.cell(k, 1).font.sz == 14)
            current = {"header": r, "title": title, "columns": columns, "posts": []}
            blocks.append(current)
        elif not cells:
            current = None
        elif current is not None:
            current["posts"].append({name: values[c] for name, c in current["columns"].items()})
    return blocks


def test_roster_sheets_and_headers(book):
    assert book.sheetnames == SHEETS
    for name in ("개인별", "미충원"):
        ws = book[name]
        header = [c.value for c in ws[1] if c.value is not None]
        assert header and all(HANGUL.search(h) for h in header), (ws.title, header)
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:"), ws.title
    assert len(book["요약"].tables) == 6  # one Excel table (with its own filter buttons) per block
    assert [c.value for c in book["미충원"][1]][1:] == ["투표소", "구분", "역할", "근무", "필요", "배치", "부족", "사유",
                                                   "역할코드"]


def test_every_sheet_prints_a4_one_page_wide_with_header_and_footer(book):
    for ws in book.worksheets:
        assert ws.page_setup.paperSize == 9, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0, ws.title  # None: the default, 1
        assert ws.page_setup.orientation == ("portrait" if ws.title == "투표소별" else "landscape"), ws.title
        assert "제20대 대통령선거" in ws.oddHeader.left.text and ws.oddHeader.right.text.endswith("&A"), ws.title
        assert "&P / &N" in ws.oddFooter.center.text, ws.title
    for name in ("개인별", "미충원"):
        assert book[name].print_title_rows == "$1:$1", name


def test_each_site_starts_a_page_with_where_when_and_who(book, plan, demand):
    ws = book["투표소별"]
    blocks = site_blocks(ws)
    breaks = {b.id for b in ws.row_breaks.brk}
    starts = [b["title"] for b in blocks]
    assert starts[0] == 1 and {s - 1 for s in starts[1:]} == breaks  # a page break before every title row
    sites = [b["posts"][0]["투표소코드"] for b in blocks]
    assert list(dict.fromkeys(sites)) == [s.id for s in demand.sites]  # in demand order, each site on its own pages
    assert len(sites) == len(demand.sites) + 1  # the counting site's 72 posts go on over a second page
    assert all(len({p["투표소코드"] for p in b["posts"]}) == 1 for b in blocks)
    assert sum(len(b["posts"]) for b in blocks) == demand.total()  # every post: filled or (미충원)
    first = blocks[0]
    assert ws.cell(first["title"], 1).value == "가산동 제1투표소"
    info = [ws.cell(r, 1).value for r in range(first["title"] + 1, first["header"])]
    assert info[0].startswith("위치: 가산동") and "위치 추정" in info[0]
    assert info[1] == "근무: 선거일투표 2022. 3. 9.(수) 05:00–20:00 · 집합 시간 04:30 · 10명"
    assert info[2].startswith("책임자: 투표관리관 ") and "(6급, " in info[2]
    assert not any("투표소코드" in line for b in blocks for line in [ws.cell(b["title"], 1).value])
    manager = first["posts"][0]
    assert (manager["역할"], manager["역할코드"], manager["근무코드"], manager["직원번호"]) == (
        "투표관리관", "manager", "eday", "W0006")
    assert "서명" in first["columns"] and "연락처" not in first["columns"]  # no contact in this staff file
    empty = [p for p in first["posts"] if p["직원번호"] in (None, "")]
    assert empty and all(p["성명"] == "(미충원)" for p in empty)
    early = next(b for b in blocks if b["posts"][0]["투표소코드"] == "가산동-사전")
    assert "2022. 3. 4.(금)–3. 5.(토) 매일 05:00–19:00 · 집합 시간 매일 04:30" in ws.cell(early["title"] + 2, 1).value


def test_a_long_block_goes_on_with_its_header_again(book):
    ws = book["투표소별"]
    titles = [ws.cell(b["title"], 1).value for b in site_blocks(ws)]
    assert titles.count("개표소 (금나래문화체육센터) (계속)") == 1  # 72 counting posts: two pages, header again


def test_each_department_on_its_own_pages_with_a_count(book):
    ws = book["부서별"]
    titles = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).font.sz == 14]
    assert {b.id for b in ws.row_breaks.brk} == {t - 1 for t in titles[1:]}
    departments = [ws.cell(t, 1).value for t in titles]
    assert departments == sorted(departments) and len(departments) == 5  # W0001's two posts: one department
    counts = {ws.cell(t, 1).value: ws.cell(t + 1, 1).value for t in titles}
    assert counts["청소행정과"] == "배치 인원 1명 · 배치 2건"


def test_roster_rows(book, plan):
    people = [row for row in book["개인별"].iter_rows(min_row=2, values_only=True)]
    by_id = defaultdict(list)
    for row in people:
        by_id[row[0]].append(row)
    assert set(by_id) == set(PEOPLE)
    assert len(people) == len(PEOPLE) + 1  # W0001 holds two posts: two rows
    assert by_id["W0017"][0][3] == "공무직" and by_id["W0017"][0][4] == "미배치"
    early, eday = sorted(by_id["W0001"], key=lambda r: r[4])
    assert early[4:6] == ("2022. 3. 4.(금)–3. 5.(토) 매일 05:00–19:00", "매일 04:30")
    assert early[7:12] == ("가산동", "안내·질서유지", 1300, "가산동-사전", "early_guide")
    assert eday[4] == "2022. 3. 9.(수) 05:00–20:00" and eday[9] == 1100
    assert book["미충원"].max_row == len(plan.shortfalls) + 1
    summary = [row[:5] for row in book["요약"].iter_rows(values_only=True)]
    assert ("투표소", "투표관리관", 61, 1, 60) in summary
    assert {row[0] for row in summary} >= {"사전투표소", "개표소", "부서", "배치 결과", "투표관리관", "투표사무원"}


def test_numbers_are_integers_with_thousands_separators(book):
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, float) and cell.value.is_integer():
                    assert cell.number_format in ("#,##0", '#,##0"원"', "0.0%"), (ws.title, cell.coordinate)
                if isinstance(cell.value, int) and not isinstance(cell.value, bool) and abs(cell.value) >= 1000:
                    assert "#,##0" in cell.number_format, (ws.title, cell.coordinate, cell.number_format)


def test_roster_properties_come_from_the_election(book):
    assert book.properties.created.date().isoformat() == "2022-03-09"


# --- formula injection ---------------------------------------------------------------------------------------


def test_bait_lands_as_inert_text_in_the_workbook(book):
    found = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.lstrip("'")[:1] in ("=", "+", "-", "@"):
                    assert cell.data_type == "s", (ws.title, cell.coordinate)
                    assert cell.value.startswith("'"), (ws.title, cell.coordinate, cell.value)
                    found += 1
    assert found >= 8  # names and departments on 투표소별, 부서별 and 개인별, departments on 요약
    names = [p["성명"] for b in site_blocks(book["투표소별"]) for p in b["posts"]]
    assert "'" + BAIT["W0004"][0] in names and "'" + BAIT["W0005"][0] in names


def test_bait_lands_as_inert_text_in_the_csvs(out):
    departments = {r["worker_id"]: r["department"] for r in _rows(out / "assignments.csv")}
    assert departments["W0004"] == "'+총무과"
    assert departments["W0005"] == "'-재무과"
    for name in COLUMNS:
        for record in csv.reader(io.StringIO((out / name).read_text(encoding="utf-8"))):
            assert not any(cell[:1] in ("=", "+", "-", "@") for cell in record), (name, record)


# --- atomic, reproducible writing ----------------------------------------------------------------------------------


def test_same_plan_same_bytes(write, plan, tmp_path, out):
    again = write(tmp_path / "again", plan)
    assert (again / "assignments.csv").read_bytes() == (out / "assignments.csv").read_bytes()
    assert (again / "roster.xlsx").read_bytes() == (out / "roster.xlsx").read_bytes()
    assert b"\r\n" not in (again / "assignments.csv").read_bytes()
    write(again, plan)  # over an existing plan
    assert (again / "assignments.csv").read_bytes() == (out / "assignments.csv").read_bytes()


def test_no_temp_files_left_behind(out):
    assert not [p.name for p in out.iterdir() if p.name.startswith(".") or p.name.endswith(".tmp")]


def test_a_failed_write_leaves_the_earlier_plan_intact(write, plan, tmp_path, monkeypatch):
    target = write(tmp_path / "plan", plan)
    before = {p.name: p.read_bytes() for p in target.iterdir()}

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(plan_files, "roster_workbook", broken)
    other = Plan(plan.assignments[:1], plan.shortfalls, plan.stats, {})
    with pytest.raises(RuntimeError, match="disk full"):
        write(target, other)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before


def test_a_contact_column_when_the_staff_file_has_one(write, plan, workers, tmp_path, presidential_inputs, demand,
                                                        input_files):
    """연락처 shows beside 서명 on 투표소별 (and on 부서별) only when someone in the pool has a contact."""
    with_contact = tuple(w.model_copy(update={"contact": "010-1234-5678"}) if w.id == "W0006" else w for w in workers)
    out = tmp_path / "plan"
    write_plan(out, scenario=presidential_inputs.scenario, demand=demand, rules=presidential_inputs.rules,
               workers=with_contact, plan=plan, input_files=input_files)
    book = load_workbook(out / "roster.xlsx")
    first = site_blocks(book["투표소별"])[0]
    columns = list(first["columns"])
    assert columns.index("연락처") == columns.index("서명") - 1
    assert first["posts"][0]["연락처"] == "010-1234-5678" and first["posts"][0]["직원번호"] == "W0006"
    assert "연락처" in [c.value for c in book["부서별"][3]]  # the first department's header row


def test_a_city_wide_pool_lists_only_the_people_placed(write, plan, tmp_path, monkeypatch):
    """Past UNPLACED_LISTED_MAX people the 개인별 sheet lists the people placed and counts the rest in one row."""
    from election_ops.reports import roster

    monkeypatch.setattr(roster, "UNPLACED_LISTED_MAX", 2)
    book = load_workbook(write(tmp_path / "plan", plan) / "roster.xlsx")
    rows = list(book["개인별"].iter_rows(min_row=2, values_only=True))
    placed = {a.worker_id for a in plan.assignments}
    assert {r[0] for r in rows[:-1]} == placed
    assert rows[-1][1] == f"미배치 {len(PEOPLE) - len(placed)}명 생략"
