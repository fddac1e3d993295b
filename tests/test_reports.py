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
           "roster.xlsx", "summary.json"]
COLUMNS = {
    "requirements.csv": ["site_id", "site_kind", "role", "shift", "required", "assigned", "role_name", "load"],
    "sites.csv": ["site_id", "site_kind", "name", "dong", "lon", "lat", "location_source", "serves", "entrances",
                  "electors", "expected_voters"],
    "shifts.csv": ["shift", "start", "end", "name"],
    "assignments.csv": ["worker_id", "site_id", "site_kind", "role", "shift", "commute_m", "department", "role_name"],
    "shortfalls.csv": ["site_id", "site_kind", "role", "shift", "required", "assigned", "short", "reason"],
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


def test_roster_sheets_headers_panes_and_filters(book):
    assert book.sheetnames == SHEETS
    for ws in book.worksheets:
        header = [c.value for c in ws[1] if c.value is not None]
        assert header and all(HANGUL.search(h) for h in header), (ws.title, header)
        assert ws.freeze_panes == "A2", ws.title
        if ws.title == "요약":
            assert len(ws.tables) == 5  # one Excel table (with its own filter buttons) per block
        else:
            assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
    assert [c.value for c in book["투표소별"][1]] == ["투표소코드", "투표소명", "동", "구분", "근무", "역할", "성명", "부서",
                                                  "직급", "통근거리(m)", "근무코드", "역할코드", "직원번호"]
    assert [c.value for c in book["미충원"][1]][1:] == ["투표소", "역할", "근무", "필요", "배치", "부족", "사유"]


def test_roster_rows(book, plan):
    by_site = [row for row in book["투표소별"].iter_rows(min_row=2, values_only=True)]
    filled = [row for row in by_site if row[12]]
    assert len(filled) == len(POSTS)
    # every empty post is a row of its own: no 직원번호, 성명 (미충원) (CONTRACTS.md, contract 1)
    empty = [row for row in by_site if not row[12]]
    assert len(empty) == sum(s.short for s in plan.shortfalls) and {row[6] for row in empty} == {"(미충원)"}
    assert {(row[0], row[11], row[10], row[12]) for row in filled} == {(s, r, sh, w) for w, s, r, sh in POSTS}
    first = by_site[0]
    assert first[:6] == ("가산동-1", "가산동 제1투표소", "가산동", "선거일", "선거일투표", "투표관리관")  # manager first
    assert first[8] == "6급"
    kinds = {row[3] for row in by_site}
    assert kinds == {"선거일", "사전", "개표"}
    by_department = [row[7] for row in book["부서별"].iter_rows(min_row=2, values_only=True)]
    assert by_department == sorted(by_department)
    people = {row[0]: row for row in book["개인별"].iter_rows(min_row=2, values_only=True)}
    assert set(people) == set(PEOPLE)
    assert people["W0017"][3] == "공무직" and people["W0017"][4] == "미배치"
    assert people["W0001"][4] and people["W0001"][5]  # two posts
    assert people["W0001"][6] == 1100 + 1300  # commute summed over both posts
    assert book["미충원"].max_row == len(plan.shortfalls) + 1
    summary = [row for row in book["요약"].iter_rows(values_only=True)]
    assert ("투표소", "투표관리관", 61, 1, 60) in summary
    assert {row[0] for row in summary} >= {"사전투표소", "개표소", "부서", "풀이 상태"}


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
    names = [row[6] for row in book["투표소별"].iter_rows(min_row=2, values_only=True)]
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
