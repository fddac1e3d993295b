"""validate against the plan's inputs and its own roster, and roster import: real plans, edited by hand.

One solve and one replan (with --freeze) per module, copied for each test; every test edits one thing
the way an office might, and checks that validate names it in words a clerk can act on.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from election_ops.cli import app
from election_ops.validate import validate_report
from projects import copy_project, solve_presidential

runner = CliRunner()
REPO_ROOT = Path(__file__).resolve().parents[1]


def flat(text: str) -> str:
    return "".join(text.split())


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def rules_of(plan: Path, staff: Path | None = None) -> list[str]:
    return [v.rule for v in validate_report(plan, staff).violations]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="module")
def base(project, tmp_path_factory) -> Path:
    return solve_presidential(project, tmp_path_factory.mktemp("base") / "plan")


@pytest.fixture(scope="module")
def replanned(base, tmp_path_factory) -> tuple[Path, list[str], list[dict[str, str]]]:
    """A replan of ``base`` with two people absent and two other posts frozen: (folder, absent, frozen rows)."""
    root = tmp_path_factory.mktemp("replan")
    _, rows = read_csv(base / "assignments.csv")
    absent = [rows[0]["worker_id"], rows[5]["worker_id"]]
    frozen = [r for r in rows if r["worker_id"] not in absent][10:12]
    freeze = root / "freeze.csv"
    write_csv(freeze, ["worker_id", "site_id", "role", "shift"],
              [{k: r[k] for k in ("worker_id", "site_id", "role", "shift")} for r in frozen])
    out = root / "plan"
    result = runner.invoke(app, ["replan", str(base), "--absent", ",".join(absent), "--freeze", str(freeze),
                                 "--out", str(out), "--time-limit", "10"])
    assert result.exit_code == 0, result.output
    return out, absent, frozen


@pytest.fixture
def plan(base, tmp_path) -> Path:
    copy = tmp_path / "plan"
    shutil.copytree(base, copy)
    return copy


# --- the sound plans pass -----------------------------------------------------------------------------------


def test_a_solved_plan_passes_against_its_inputs(base):
    report = validate_report(base)
    assert report.violations == [] and report.notes == [] and report.short_posts == 0
    result = runner.invoke(app, ["validate", str(base)])
    assert result.exit_code == 0, result.output


def test_a_replan_records_its_absent_people_and_frozen_posts_and_passes(replanned):
    folder, absent, frozen = replanned
    _, rows = read_csv(folder / "absent.csv")
    assert [r["worker_id"] for r in rows] == absent
    _, rows = read_csv(folder / "frozen.csv")
    assert len(rows) == len(frozen)
    assert rules_of(folder) == []


def test_validate_runs_without_the_solver(base):
    code = ("import sys; from pathlib import Path; from election_ops.validate import validate_report; "
            f"r = validate_report(Path({str(base)!r})); "
            "bad = [m for m in sys.modules if m.startswith(('ortools', 'election_ops.model'))]; "
            "print(bad, r.violations); sys.exit(1 if bad or r.violations else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


# --- the roster people edit --------------------------------------------------------------------------------


def _post_rows(ws) -> tuple[dict[str, int], list[int]]:
    """The 투표소별 sheet's post rows (contract 1): below each header row, up to an empty row.

    Returns the header columns (1-based, the same in every block) and the post row numbers.
    """
    columns: dict[str, int] = {}
    rows, inside = [], False
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = [str(v).strip() if v is not None else "" for v in values]
        if "투표소코드" in cells and "직원번호" in cells:
            columns = {name: cells.index(name) + 1 for name in ("투표소코드", "근무코드", "역할코드", "직원번호", "성명")}
            inside = True
        elif not any(cells):
            inside = False
        elif inside:
            rows.append(number)
    return columns, rows


def test_a_name_moved_by_hand_in_the_roster_is_caught_by_row(plan):
    book = openpyxl.load_workbook(plan / "roster.xlsx")
    ws = book["투표소별"]
    cols, rows = _post_rows(ws)
    manager = next(r for r in rows if ws.cell(r, cols["역할코드"]).value == "manager")
    other = next(r for r in rows if ws.cell(r, cols["투표소코드"]).value != ws.cell(manager, cols["투표소코드"]).value
                 and ws.cell(r, cols["역할코드"]).value == "manager")
    name = ws.cell(manager, cols["성명"]).value
    ws.cell(other, cols["성명"]).value = name  # the manager's name typed into another station's row
    book.save(plan / "roster.xlsx")
    report = validate_report(plan)
    assert [v.rule for v in report.violations] == ["roster_mismatch"]
    text = str(report.violations[0])
    assert f"투표소별 row {other}" in text and name not in text and name[0] + "○" in text
    result = runner.invoke(app, ["validate", str(plan)])
    assert result.exit_code == 2 and "roster" in result.output


def test_an_absent_person_kept_on_duty_is_caught(replanned, tmp_path):
    folder, absent, _ = replanned
    plan = tmp_path / "plan"
    shutil.copytree(folder, plan)
    header, rows = read_csv(plan / "assignments.csv")
    rows[-1]["worker_id"] = absent[0]  # an absent person back on a post (same post count)
    write_csv(plan / "assignments.csv", header, rows)
    found = rules_of(plan)
    assert "absent_on_duty" in found


def test_a_broken_frozen_post_is_caught(replanned, tmp_path):
    folder, _, frozen = replanned
    plan = tmp_path / "plan"
    shutil.copytree(folder, plan)
    header, rows = read_csv(plan / "assignments.csv")
    first = frozen[0]
    held = next(i for i, r in enumerate(rows) if (r["worker_id"], r["site_id"], r["role"], r["shift"])
                == (first["worker_id"], first["site_id"], first["role"], first["shift"]))
    spare = next(r["worker_id"] for r in rows if r["shift"] != first["shift"] and r["worker_id"] != first["worker_id"]
                 and not any(x["worker_id"] == r["worker_id"] and x["shift"] == first["shift"] for x in rows))
    rows[held]["worker_id"] = spare
    write_csv(plan / "assignments.csv", header, rows)
    report = validate_report(plan)
    broken = [v for v in report.violations if v.rule == "frozen_broken"]
    assert broken and first["worker_id"] in str(broken[0]) and "--freeze" in str(broken[0])


def empty_one_post(plan: Path) -> dict[str, str]:
    """Remove one assignment and record its post as short in requirements.csv and shortfalls.csv, the way a
    careful hand edit would; returns the removed assignment row. summary.json and the roster are left as they were."""
    header, rows = read_csv(plan / "assignments.csv")
    gone = rows.pop(3)
    write_csv(plan / "assignments.csv", header, rows)
    h, reqs = read_csv(plan / "requirements.csv")
    for r in reqs:
        if (r["site_id"], r["role"], r["shift"]) == (gone["site_id"], gone["role"], gone["shift"]):
            r["assigned"] = str(int(r["assigned"]) - 1)
            short = {"site_id": r["site_id"], "site_kind": r["site_kind"], "role": r["role"], "shift": r["shift"],
                     "required": r["required"], "assigned": r["assigned"], "short": "1", "reason": "hand edit"}
    write_csv(plan / "requirements.csv", h, reqs)
    h, _ = read_csv(plan / "shortfalls.csv")
    write_csv(plan / "shortfalls.csv", h, [short])
    return gone


def test_a_short_plan_exits_3_with_the_count_and_the_posts(plan):
    gone = empty_one_post(plan)
    summary = json.loads((plan / "summary.json").read_text(encoding="utf-8"))
    summary["shortfall_count"] = 1
    summary["totals"][gone["site_kind"]]["assigned"] -= 1
    summary["files"] = {}  # as a plan written before the file list: the edits above are then not 'file_changed'
    (plan / "summary.json").write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    # the roster still shows the person: put the workbook in line too
    book = openpyxl.load_workbook(plan / "roster.xlsx")
    ws = book["투표소별"]
    cols, lines = _post_rows(ws)
    for r in lines:
        if (ws.cell(r, cols["직원번호"]).value, ws.cell(r, cols["투표소코드"]).value, ws.cell(r, cols["역할코드"]).value) \
                == (gone["worker_id"], gone["site_id"], gone["role"]):
            ws.cell(r, cols["직원번호"]).value = None
            ws.cell(r, cols["성명"]).value = "(미충원)"
            break
    book.save(plan / "roster.xlsx")
    report = validate_report(plan)
    assert report.violations == [], [str(v) for v in report.violations]
    assert report.short_posts == 1
    result = runner.invoke(app, ["validate", str(plan)])
    assert result.exit_code == 3, result.output
    assert flat("1 post(s) short") in flat(result.output)
    assert flat(f"{gone['site_id']}/{gone['role']}/{gone['shift']}") in flat(result.output)


def test_summary_saying_nothing_is_short_when_a_post_is_empty_is_caught(plan):
    empty_one_post(plan)
    found = validate_report(plan).violations
    mismatch = [v for v in found if v.rule == "summary_mismatch"]
    assert mismatch and "says 0 post(s) short" in str(mismatch[0])


def test_a_lowered_required_in_requirements_csv_is_caught(plan):
    header, rows = read_csv(plan / "requirements.csv")
    target = next(r for r in rows if int(r["required"]) >= 2)
    target["required"] = str(int(target["required"]) - 1)
    target["assigned"] = str(min(int(target["assigned"]), int(target["required"])))
    write_csv(plan / "requirements.csv", header, rows)
    found = validate_report(plan).violations
    changed = [v for v in found if v.rule == "requirements_changed"]
    assert changed and "the inputs give" in str(changed[0])


def test_a_blanked_min_grade_then_a_9th_grade_manager_is_caught(plan):
    header, roles = read_csv(plan / "roles.csv")
    for r in roles:
        if r["role"] == "manager":
            r["min_grade"] = ""
    write_csv(plan / "roles.csv", header, roles)
    # a 9급 guide and the station's manager swap posts (counts unchanged)
    staff = {r["worker_id"]: r for r in read_csv(REPO_ROOT / "data/staff/geumcheon-2022.csv")[1]}
    header, rows = read_csv(plan / "assignments.csv")
    junior = next(i for i, r in enumerate(rows) if r["role"] != "manager" and r["shift"] == "eday"
                  and staff[r["worker_id"]]["grade"] == "9")
    manager = next(i for i, r in enumerate(rows) if r["role"] == "manager" and r["site_id"] == rows[junior]["site_id"])
    rows[junior]["worker_id"], rows[manager]["worker_id"] = rows[manager]["worker_id"], rows[junior]["worker_id"]
    write_csv(plan / "assignments.csv", header, rows)
    found = validate_report(plan).violations
    assert "roles_changed" in [v.rule for v in found]
    grade = [v for v in found if v.rule == "grade"]
    assert grade and "9급" in str(grade[0])


def test_a_count_shift_moved_off_election_day_is_caught(plan):
    header, shifts = read_csv(plan / "shifts.csv")
    for r in shifts:
        if r["shift"] == "count":
            r["start"], r["end"] = "2022-03-10T08:00", "2022-03-10T20:00"  # no longer overlaps election day
    write_csv(plan / "shifts.csv", header, shifts)
    # an election-day worker also takes a count post
    header, rows = read_csv(plan / "assignments.csv")
    counting = {r["worker_id"] for r in rows if r["shift"] == "count"}
    held = {}
    for r in rows:
        held[r["worker_id"]] = held.get(r["worker_id"], 0) + 1
    eday = next(r["worker_id"] for r in rows if r["shift"] == "eday" and r["worker_id"] not in counting
                and held[r["worker_id"]] == 1)
    count_row = next(i for i, r in enumerate(rows) if r["shift"] == "count" and r["role"] == "count_guide") \
        if any(r["role"] == "count_guide" for r in rows) else next(i for i, r in enumerate(rows) if r["shift"] == "count")
    rows[count_row]["worker_id"] = eday
    write_csv(plan / "assignments.csv", header, rows)
    found = validate_report(plan).violations
    assert "shifts_changed" in [v.rule for v in found]
    assert "overlap" in [v.rule for v in found]


def test_a_changed_input_is_refused_naming_it(plan, project, tmp_path):
    rules = project / "scenarios/rules/presidential-2022.yaml"
    original = rules.read_bytes()
    try:
        rules.write_bytes(original + b"\n# edited\n")
        report = validate_report(plan)
        changed = [v for v in report.violations if v.rule == "input_changed"]
        assert changed and "rules" in str(changed[0]) and "presidential-2022.yaml" in str(changed[0])
    finally:
        rules.write_bytes(original)


def test_a_file_edited_after_writing_is_named(plan):
    with (plan / "waits.csv").open("a", encoding="utf-8") as fh:
        fh.write("\n")
    found = validate_report(plan).violations
    assert [(v.rule, v.where) for v in found] == [("file_changed", "waits.csv")]


# --- roster import -----------------------------------------------------------------------------------------


def test_an_unedited_roster_round_trips_to_the_same_plan(base, tmp_path):
    out = tmp_path / "imported"
    result = runner.invoke(app, ["roster", "import", str(base / "roster.xlsx"), "--plan", str(base), "--out", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("assignments.csv", "requirements.csv", "shortfalls.csv", "roles.csv", "shifts.csv", "sites.csv"):
        assert (out / name).read_bytes() == (base / name).read_bytes(), name
    checked = runner.invoke(app, ["validate", str(out)])
    assert checked.exit_code == 0, checked.output


def test_an_edited_roster_imports_and_validate_names_the_workbook_rows(base, tmp_path):
    edited = tmp_path / "edited.xlsx"
    shutil.copy(base / "roster.xlsx", edited)
    staff = read_csv(REPO_ROOT / "data/staff/geumcheon-2022.csv")[1]
    names = [r["name"] for r in staff]
    book = openpyxl.load_workbook(edited)
    ws = book["투표소별"]
    cols, rows = _post_rows(ws)
    placed = {ws.cell(r, cols["직원번호"]).value for r in rows}
    junior = next(r for r in staff if r["grade"] == "9" and r["worker_id"] not in placed and names.count(r["name"]) == 1
                  and not r["unavailable"])
    manager = next(r for r in rows if ws.cell(r, cols["역할코드"]).value == "manager")
    ws.cell(manager, cols["성명"]).value = junior["name"]  # the office types a new name over the manager's
    book.save(edited)
    out = tmp_path / "imported"
    result = runner.invoke(app, ["roster", "import", str(edited), "--plan", str(base), "--out", str(out)])
    assert result.exit_code == 0, result.output
    _, rows_out = read_csv(out / "assignments.csv")
    assert any(r["worker_id"] == junior["worker_id"] and r["role"] == "manager" for r in rows_out)
    checked = runner.invoke(app, ["validate", str(out)])
    assert checked.exit_code == 2, checked.output
    text = flat(checked.output)
    assert "[grade]" in text and flat(f"edited.xlsx: 투표소별 row {manager}") in text
    assert junior["name"] not in checked.output


def test_a_roster_row_naming_no_one_exits_2_with_sheet_and_row(base, tmp_path):
    edited = tmp_path / "edited.xlsx"
    shutil.copy(base / "roster.xlsx", edited)
    book = openpyxl.load_workbook(edited)
    ws = book["투표소별"]
    cols, rows = _post_rows(ws)
    ws.cell(rows[4], cols["성명"]).value = "없는사람"
    book.save(edited)
    out = tmp_path / "imported"
    result = runner.invoke(app, ["roster", "import", str(edited), "--plan", str(base), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert flat(f"투표소별 row {rows[4]}") in flat(result.output) and "없는사람" not in result.output
    assert not out.exists()
