"""Every way the command line can be given bad input ends in exit code 2 and one readable message.

The message names the offending file (or option) and carries no traceback. Also here: exit
code 3 (a plan written with posts short), interrupted writes (an earlier plan survives byte
for byte, no half-written file), and formula injection (names and departments that start
with = + - @ stay inert text in every xlsx and CSV the planner writes).
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from election_ops.cli import app
from election_ops.reports.plan_files import PLAN_FILES

runner = CliRunner()
REPO_ROOT = Path(__file__).resolve().parents[1]
PRESIDENTIAL = REPO_ROOT / "scenarios" / "2022-presidential.yaml"
STAFF = REPO_ROOT / "data" / "staff" / "geumcheon-2022.csv"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def flat(text: str) -> str:
    """The output without any whitespace, so a line rich wrapped still contains a long path."""
    return "".join(text.split())


def assert_input_error(result, *names: str) -> None:
    """Exit code 2, an 'error:' line, each of ``names`` in the message, no traceback."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
    assert "error" in result.output.lower()
    for name in names:
        assert flat(str(name)) in flat(result.output), (name, result.output)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` (hidden ones too) by name, with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Path:
    """The shipped presidential scenario solved once for the module (absolute paths: any cwd may replan it)."""
    out = tmp_path_factory.mktemp("plan") / "presidential"
    result = runner.invoke(app, ["solve", str(PRESIDENTIAL), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def plan_copy(plan: Path, tmp_path: Path) -> Path:
    """A throw-away copy of the module's plan, for tests that write over it."""
    import shutil

    return Path(shutil.copytree(plan, tmp_path / "plan"))


# --- missing and broken scenario files ------------------------------------------------------


@pytest.mark.parametrize("command", ["solve", "demand"])
def test_missing_scenario_exits_2_naming_it(tmp_path, command):
    missing = tmp_path / "scenarios" / "no-such-scenario.yaml"
    result = runner.invoke(app, [command, str(missing), "--out", str(tmp_path / "out")])
    assert_input_error(result, missing, "file not found")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("file", ["sites.csv", "dongs.geojson", "precinct_history.csv"])
def test_scenario_whose_data_file_is_missing_exits_2_naming_the_data_file(copy_district, file):
    (copy_district / "data/precincts/geumcheon" / file).unlink()
    out = copy_district / "out"
    result = runner.invoke(app, ["solve", str(copy_district / "scenarios/2022-presidential.yaml"), "--out", str(out)])
    assert_input_error(result, f"data/precincts/geumcheon/{file}", "file not found")
    assert not out.exists()


def test_scenario_whose_staff_file_is_missing_exits_2_naming_it(copy_district):
    # copy_district copies data/precincts only: the scenario's ../data/staff/geumcheon-2022.csv is not there
    result = runner.invoke(app, ["solve", str(copy_district / "scenarios/2022-presidential.yaml"),
                                 "--out", str(copy_district / "out")])
    assert_input_error(result, "data/staff/geumcheon-2022.csv", "file not found")


def test_missing_staff_option_file_exits_2_naming_it(tmp_path):
    missing = tmp_path / "pool.xlsx"
    result = runner.invoke(app, ["solve", str(PRESIDENTIAL), "--staff", str(missing), "--out", str(tmp_path / "o")])
    assert_input_error(result, missing, "file not found")


def test_scenario_path_outside_the_project_exits_2_naming_the_key(copy_district):
    scenario = copy_district / "scenarios" / "escape.yaml"
    scenario.write_text("base: 2022-presidential.yaml\ndata: {sites: ../../../etc/passwd}\n", encoding="utf-8")
    result = runner.invoke(app, ["demand", str(scenario)])
    assert_input_error(result, scenario, "column 'data.sites'", "outside the project folder", "allow_outside_paths")


# --- plan folders ------------------------------------------------------------------------------


def test_validate_on_a_folder_that_is_not_a_plan_exits_2(tmp_path):
    folder = tmp_path / "not-a-plan"
    folder.mkdir()
    (folder / "notes.txt").write_text("hello\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(folder)])
    assert_input_error(result, folder / "summary.json")


def test_validate_on_a_missing_folder_exits_2(tmp_path):
    folder = tmp_path / "no-such-plan"
    result = runner.invoke(app, ["validate", str(folder)])
    assert_input_error(result, folder)


def test_validate_on_a_file_exits_2(tmp_path):
    file = tmp_path / "roster.xlsx"
    file.write_bytes(b"PK\x03\x04 not really")
    result = runner.invoke(app, ["validate", str(file)])
    assert_input_error(result, file)


def test_replan_on_a_folder_that_is_not_a_plan_exits_2(tmp_path):
    folder = tmp_path / "not-a-plan"
    folder.mkdir()
    result = runner.invoke(app, ["replan", str(folder), "--absent", "W0001", "--out", str(tmp_path / "new")])
    assert_input_error(result, folder / "summary.json", "not a plan folder")
    assert not (tmp_path / "new").exists()


def test_replan_on_a_missing_folder_exits_2(tmp_path):
    folder = tmp_path / "no-such-plan"
    result = runner.invoke(app, ["replan", str(folder), "--absent", "W0001"])
    assert_input_error(result, folder, "not a folder")


def test_replan_with_a_broken_summary_exits_2(plan_copy, tmp_path):
    (plan_copy / "summary.json").write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["replan", str(plan_copy), "--absent", "W0001", "--out", str(tmp_path / "new")])
    assert_input_error(result, plan_copy / "summary.json")


def test_replan_from_another_folder_names_summary_json(repo_root, tmp_path, monkeypatch):
    monkeypatch.chdir(repo_root)
    out = tmp_path / "relative-plan"
    made = runner.invoke(app, ["solve", "scenarios/2022-presidential.yaml", "--out", str(out)])
    assert made.exit_code == 0, made.output
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["replan", str(out), "--absent", "W0002", "--out", str(tmp_path / "new")])
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert_input_error(result, out / "summary.json", "inputs.scenario.path")


# --- absent lists and frozen posts ------------------------------------------------------------


def test_replan_with_an_unknown_worker_id_exits_2_naming_it(plan, tmp_path):
    out = tmp_path / "new"
    result = runner.invoke(app, ["replan", str(plan), "--absent", "W0002,W99999", "--out", str(out)])
    assert_input_error(result, "--absent", "'W99999'", "not a worker id of the staff pool")
    assert not out.exists()


def test_replan_with_an_unknown_worker_id_in_a_file_names_file_and_row(plan, tmp_path):
    absent = tmp_path / "absent.csv"
    absent.write_text("worker_id,reason\nW0002,병가\nW99999,출장\n", encoding="utf-8")
    result = runner.invoke(app, ["replan", str(plan), "--absent", str(absent), "--out", str(tmp_path / "new")])
    assert_input_error(result, absent, "row 3", "'W99999'")


def test_replan_with_an_absent_file_without_worker_id_exits_2(plan, tmp_path):
    absent = tmp_path / "absent.csv"
    absent.write_text("직원번호,사유\nW0002,병가\n", encoding="utf-8")
    result = runner.invoke(app, ["replan", str(plan), "--absent", str(absent), "--out", str(tmp_path / "new")])
    assert_input_error(result, absent, "missing column 'worker_id'")


@pytest.mark.parametrize("content", [b"", b"worker_id\n", b"\xff\xfe\x00garbage"], ids=["empty", "no-rows", "bytes"])
def test_replan_with_an_empty_or_broken_absent_file_exits_2(plan, tmp_path, content):
    absent = tmp_path / "absent.csv"
    absent.write_bytes(content)
    result = runner.invoke(app, ["replan", str(plan), "--absent", str(absent), "--out", str(tmp_path / "new")])
    assert_input_error(result, absent)


def test_replan_with_a_missing_absent_file_exits_2(plan, tmp_path):
    absent = tmp_path / "absent.csv"
    result = runner.invoke(app, ["replan", str(plan), "--absent", str(absent), "--out", str(tmp_path / "new")])
    assert_input_error(result, absent, "file not found")


def _grade_9_worker() -> str:
    with STAFF.open(encoding="utf-8", newline="") as fh:
        return next(r["worker_id"] for r in csv.DictReader(fh) if r["grade"] == "9")


@pytest.mark.parametrize(
    ("post", "problem"),
    [
        pytest.param(lambda: [_grade_9_worker(), "가산동-1", "manager", "eday"], "may not hold this post",
                     id="ineligible-grade"),
        pytest.param(lambda: ["W99999", "가산동-1", "manager", "eday"], "no such person", id="unknown-person"),
        pytest.param(lambda: ["W0002", "가산동-1", "no_such_role", "eday"], "no such post", id="unknown-post"),
    ],
)
def test_solve_freeze_with_a_post_the_person_may_not_hold_exits_2(tmp_path, post, problem):
    freeze = tmp_path / "freeze.csv"
    freeze.write_text("worker_id,site_id,role,shift\n" + ",".join(post()) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["solve", str(PRESIDENTIAL), "--freeze", str(freeze), "--out", str(out)])
    assert_input_error(result, freeze, post()[0], problem)
    assert not out.exists()


def test_solve_freeze_file_missing_exits_2(tmp_path):
    freeze = tmp_path / "freeze.csv"
    result = runner.invoke(app, ["solve", str(PRESIDENTIAL), "--freeze", str(freeze), "--out", str(tmp_path / "o")])
    assert_input_error(result, freeze, "file not found")


@pytest.mark.parametrize("size", ["0", "-5"])
def test_staff_generate_size_0_exits_2(tmp_path, size):
    out = tmp_path / "pool.csv"
    result = runner.invoke(app, ["staff", "generate", "--size", size, "--out", str(out)])
    assert_input_error(result, "--size")
    assert not out.exists()


@pytest.mark.parametrize(
    ("options", "name"),
    [(["--seed", "x"], "--seed"), (["--time-limit", "0"], "--time-limit"), (["--no-such-option"], "--no-such-option")],
)
def test_bad_options_exit_2_naming_the_option(tmp_path, options, name):
    result = runner.invoke(app, ["solve", str(PRESIDENTIAL), *options, "--out", str(tmp_path / "o")])
    assert_input_error(result, name)


@pytest.mark.parametrize("where", ["option", "scenario"])
def test_a_seed_beyond_int32_exits_2(copy_district, tmp_path, where):
    scenario = copy_district / "scenarios" / "2022-presidential.yaml"
    options = ["--staff", str(STAFF), "--time-limit", "5", "--out", str(tmp_path / "o")]
    if where == "option":
        options += ["--seed", str(2**31)]
    else:
        with scenario.open("a", encoding="utf-8") as fh:
            fh.write(f"\nseed: {2**31}\n")  # replaces the earlier seed: 0 (the last key wins in PyYAML)
    result = runner.invoke(app, ["solve", str(scenario), *options])
    assert_input_error(result, "seed")


def test_a_huge_weight_exits_2(copy_district, tmp_path):
    scenario = copy_district / "scenarios" / "heavy.yaml"
    scenario.write_text("base: 2022-presidential.yaml\nweights: {commute: 9007199254740992}\n", encoding="utf-8")
    result = runner.invoke(app, ["solve", str(scenario), "--staff", str(STAFF), "--time-limit", "5",
                                 "--out", str(tmp_path / "o")])
    assert_input_error(result, "weights.commute")


@pytest.mark.parametrize(
    "command",
    [["demand", str(PRESIDENTIAL), "--out", "{file}"],
     ["demand", str(PRESIDENTIAL), "--out", "{file}/inside"],
     ["solve", str(PRESIDENTIAL), "--time-limit", "5", "--out", "{file}"],
     ["staff", "generate", "--size", "5", "--out", "{folder}"]],
    ids=["demand-out-is-a-file", "demand-out-inside-a-file", "solve-out-is-a-file", "staff-out-is-a-folder"])
def test_an_out_path_that_cannot_be_written_exits_2(tmp_path, command):
    file = tmp_path / "notes.txt"
    file.write_text("keep me\n", encoding="utf-8")
    args = [a.format(file=file, folder=tmp_path) for a in command]
    result = runner.invoke(app, args)
    assert file.read_text(encoding="utf-8") == "keep me\n"
    assert_input_error(result, args[-1])


# --- a real process: the console script's exit codes -----------------------------------------


def _run(*args: str, cwd: Path = REPO_ROOT, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("ELECTION_OPS_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "election_ops", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd, env=env)


def test_subprocess_missing_scenario_exits_2(tmp_path):
    missing = tmp_path / "nope.yaml"
    done = _run("solve", str(missing), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    assert flat(f"error: {missing}: file not found") in flat(done.stderr)


def test_subprocess_unknown_worker_exits_2(plan, tmp_path):
    done = _run("replan", str(plan), "--absent", "W99999", "--out", str(tmp_path / "new"), cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    assert "--absent" in done.stderr and "'W99999'" in done.stderr
    assert not (tmp_path / "new").exists()


# --- exit code 3: a plan with posts short -----------------------------------------------------


def test_a_tiny_staff_pool_exits_3_and_still_writes_the_plan(tmp_path):
    lines = STAFF.read_text(encoding="utf-8").splitlines(keepends=True)
    tiny = tmp_path / "tiny.csv"
    tiny.write_text("".join(lines[:61]), encoding="utf-8")  # 60 people for 799 posts
    out = tmp_path / "out"
    result = runner.invoke(app, ["solve", str(PRESIDENTIAL), "--staff", str(tiny), "--out", str(out)])
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert "short" in result.output
    assert set(PLAN_FILES) <= {p.name for p in out.iterdir()}
    with (out / "shortfalls.csv").open(encoding="utf-8", newline="") as fh:
        short = sum(int(r["short"]) for r in csv.DictReader(fh))
    with (out / "assignments.csv").open(encoding="utf-8", newline="") as fh:
        assigned = sum(1 for _ in csv.DictReader(fh))
    assert short > 0 and assigned + short == 799
    checked = runner.invoke(app, ["validate", str(out), "--staff", str(tiny)])
    assert checked.exit_code == 3, checked.output  # every rule holds, but the plan is short: said, with the count
    assert flat(f"{short} post(s) short") in flat(checked.output)


# --- interrupted writes ----------------------------------------------------------------------


def _failing_after(real, calls: int, exc: BaseException):
    """``real`` that works ``calls - 1`` times, then writes half a file and raises ``exc``."""
    count = {"n": 0}

    def wrapper(frame, path, *args, **kwargs):
        count["n"] += 1
        if count["n"] >= calls:
            text = frame.to_csv(index=False)
            Path(path).write_text(text[: len(text) // 2], encoding="utf-8")
            raise exc
        return real(frame, path, *args, **kwargs)

    return wrapper


@pytest.mark.parametrize(
    "exc", [OSError(28, "No space left on device"), KeyboardInterrupt(), RuntimeError("boom")],
    ids=["disk-full", "ctrl-c", "bug"])
def test_a_solve_interrupted_mid_write_leaves_the_earlier_plan_intact(plan_copy, monkeypatch, exc):
    from election_ops.reports import plan_files

    before = snapshot(plan_copy)
    monkeypatch.setattr(plan_files, "save_csv", _failing_after(plan_files.save_csv, 4, exc))
    result = runner.invoke(app, ["solve", str(PRESIDENTIAL), "--seed", "7", "--out", str(plan_copy)])
    assert result.exit_code not in (0, 2, 3)
    assert "Traceback" not in result.output
    assert snapshot(plan_copy) == before  # same names, same bytes: no half-written file, no *.tmp left


def test_a_roster_workbook_failing_half_way_leaves_the_earlier_plan_intact(plan_copy, monkeypatch):
    from election_ops.reports import plan_files

    def half_a_workbook(path, **kwargs):
        Path(path).write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(5, "Input/output error")

    before = snapshot(plan_copy)
    monkeypatch.setattr(plan_files, "roster_workbook", half_a_workbook)
    result = runner.invoke(app, ["solve", str(PRESIDENTIAL), "--seed", "7", "--out", str(plan_copy)])
    assert result.exit_code == 1
    assert "cannot write" in result.output and "Traceback" not in result.output
    assert snapshot(plan_copy) == before


def test_a_replan_interrupted_mid_write_leaves_no_file(plan, tmp_path, monkeypatch):
    """changes.xlsx is written last: when it fails, none of the replan's files land."""
    from election_ops.reports import changes

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(changes, "write_changes_xlsx", broken)
    out = tmp_path / "new"
    result = runner.invoke(app, ["replan", str(plan), "--absent", "W0002", "--out", str(out)])
    assert result.exit_code == 1
    assert not out.exists() or list(out.iterdir()) == []


KILL_SCRIPT = """
import os, signal, sys
from pathlib import Path
from election_ops.reports import plan_files

calls = 0
real = plan_files.save_csv

def save_then_die(frame, path):
    global calls
    calls += 1
    if calls == 4:  # three CSVs staged, the fourth half written: now the power goes
        Path(path).write_text(frame.to_csv(index=False)[:200], encoding="utf-8")
        os.kill(os.getpid(), signal.SIGKILL)
    real(frame, path)

plan_files.save_csv = save_then_die
from election_ops.cli import app
app(prog_name="election-ops", args=sys.argv[1:])
"""


def _kill_mid_write(folder: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-c", KILL_SCRIPT, "solve", str(PRESIDENTIAL), "--seed", "7",
                           "--out", str(folder)], capture_output=True, text=True, timeout=300, env=env)


def test_a_solve_killed_mid_write_leaves_the_earlier_plan_intact(plan_copy):
    """SIGKILL while the files are staged: the plan folder keeps every earlier byte and gains nothing; what
    the killed run leaves behind is only its own hidden staging folder beside it (.<name>.new-<random>)."""
    before = snapshot(plan_copy)
    done = _kill_mid_write(plan_copy)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert snapshot(plan_copy) == before
    staging = [p for p in plan_copy.parent.iterdir() if p.name.startswith(f".{plan_copy.name}.new-")]
    assert staging, "the kill came before any file was staged: the test lost its point"
    assert all(p.is_dir() for p in staging)
    assert runner.invoke(app, ["validate", str(plan_copy)]).exit_code == 0


def test_the_next_run_sweeps_what_a_killed_run_left(plan_copy):
    _kill_mid_write(plan_copy)
    result = runner.invoke(app, ["solve", str(PRESIDENTIAL), "--out", str(plan_copy)])
    assert result.exit_code == 0, result.output
    assert not [p.name for p in plan_copy.parent.iterdir() if p.name.startswith(f".{plan_copy.name}.new-")]
    assert not [p.name for p in plan_copy.iterdir() if p.name.startswith(".")]


# --- formula injection ------------------------------------------------------------------------

INJECTIONS = ['=HYPERLINK("http://evil.example","클릭")', "+82-10-1234-5678", "-2+3", "@SUM(1+1)"]


@pytest.fixture(scope="module")
def injected(tmp_path_factory) -> tuple[Path, Path, Path]:
    """The shipped pool with every name and department starting with = + - @ (and a few such worker ids),
    solved, then replanned after five absences: (staff file, plan, replan)."""
    root = tmp_path_factory.mktemp("injection")
    with STAFF.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    for i, row in enumerate(rows[1:]):
        row[1] = INJECTIONS[i % 4] + row[1]
        row[2] = "=+-@"[i % 4] + row[2]
        if i % 100 == 0:
            row[0] = "=" + row[0]
        elif i % 100 == 50:
            row[0] = "-" + row[0]
    staff = root / "staff.csv"
    with staff.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    plan = root / "plan"
    result = runner.invoke(app, ["solve", str(PRESIDENTIAL), "--staff", str(staff), "--out", str(plan)])
    assert result.exit_code == 0, result.output
    with (plan / "assignments.csv").open(encoding="utf-8", newline="") as fh:
        ids = sorted({r["worker_id"] for r in csv.DictReader(fh)})
    absent = root / "absent.csv"
    absent.write_text("worker_id\n" + "\n".join([i for i in ids if i.startswith("'")][:3] + ids[-2:]) + "\n",
                      encoding="utf-8")
    new = root / "replan"
    result = runner.invoke(app, ["replan", str(plan), "--absent", str(absent), "--out", str(new)])
    assert result.exit_code == 0, result.output
    return staff, plan, new


def _xlsx_cells(path: Path):
    from openpyxl import load_workbook

    book = load_workbook(path)  # formulas as written, not cached values
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield sheet.title, cell


@pytest.mark.parametrize("file", ["plan/roster.xlsx", "replan/roster.xlsx", "replan/changes.xlsx"])
def test_injected_names_are_inert_text_in_every_workbook(injected, file):
    _, plan, _ = injected
    cells = list(_xlsx_cells(plan.parent / file))
    texts = [cell.value for _, cell in cells if isinstance(cell.value, str)]
    for sheet, cell in cells:
        assert cell.data_type != "f", (sheet, cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            assert not cell.value.startswith(FORMULA_STARTS), (sheet, cell.coordinate, cell.value)
    # the hostile text is there, defused by a leading apostrophe: the test saw what it guards against
    assert any(t.startswith(("'=", "'+", "'-", "'@")) for t in texts)
    if file.endswith("roster.xlsx"):
        assert all(any(t.startswith("'" + start) for t in texts) for start in "=+-@")
        assert any(t.startswith("'=HYPERLINK(") for t in texts)


def test_injected_departments_are_inert_text_in_every_csv(injected):
    _, plan, new = injected
    files = sorted(plan.glob("*.csv")) + sorted(new.glob("*.csv"))
    assert {"assignments.csv", "changes.csv"} <= {f.name for f in files}
    for file in files:
        with file.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        for row in rows:
            for field in row:
                if field.startswith(FORMULA_STARTS):
                    float(field)  # only a number may start with - (and a spreadsheet reads it as one)
        if "department" in rows[0]:
            at = rows[0].index("department")
            assert any(r[at].startswith(("'=", "'+", "'-", "'@")) for r in rows[1:]), f"nothing hostile in {file}"


def test_injected_plan_validates_and_replans_by_the_original_ids(injected):
    staff, plan, new = injected
    for folder in (plan, new):
        result = runner.invoke(app, ["validate", str(folder)])
        assert result.exit_code == 0, result.output
    with (new / "changes.csv").open(encoding="utf-8", newline="") as fh:
        absent = [r["worker_id"] for r in csv.DictReader(fh) if r["change"] == "absent"]
    assert len(absent) == 5 and sum(a.startswith("'") for a in absent) == 3
    # names never reach a CSV: not even a defused one
    for file in ("assignments.csv", "changes.csv"):
        assert "HYPERLINK" not in (new / file).read_text(encoding="utf-8")
