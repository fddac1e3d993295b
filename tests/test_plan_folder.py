"""The plan-folder contract: written whole (swap, lock, no stale files), read in one place, and outputs
that go only where asked (ids never paths, --out never over an input, a plan folder only replaced by a plan).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from election_ops.cli import app
from election_ops.errors import InputError, UsageError
from election_ops.plan_folder import (
    check_output_folder,
    folder_name,
    read_plan,
    write_plan_folder,
    writer_lock,
)
from election_ops.safe_write import neutralise, restore
from projects import copy_project, solve_presidential

runner = CliRunner()
REPO_ROOT = Path(__file__).resolve().parents[1]


def flat(text: str) -> str:
    return "".join(text.split())


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) with its sha256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="module")
def solved(project, tmp_path_factory) -> Path:
    return solve_presidential(project, tmp_path_factory.mktemp("solved") / "plan")


# --- the one apostrophe helper ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+82", "-2", "@x", "\t=x", "'abc", "''", "'", "'=x", "plain", "", "a'b"])
def test_restore_undoes_neutralise_exactly(text):
    assert restore(neutralise(text)) == text


def test_restore_leaves_text_the_export_never_wrote_alone():
    assert restore("'abc") == "'abc"  # neutralise never writes this: a text that starts with one apostrophe
    assert restore("'=x") == "=x"


def test_no_second_apostrophe_helper_is_left():
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (REPO_ROOT / "src").rglob("*.py"))
    assert "def _plain(" not in sources and "def _restore(" not in sources


# --- written whole ------------------------------------------------------------------------------------------


def _writer(text: str, pause: float = 0.0):
    def write(path: Path) -> None:
        path.write_text(text, encoding="utf-8")
        time.sleep(pause)
    return write


def test_a_folder_is_written_whole_with_a_file_list(tmp_path):
    target = tmp_path / "plan"
    write_plan_folder(target, {"a.csv": _writer("a\n"), "b.csv": _writer("b\n")}, {"inputs": {}})
    summary = json.loads((target / "summary.json").read_text(encoding="utf-8"))
    assert summary["files"] == {"a.csv": hashlib.sha256(b"a\n").hexdigest(), "b.csv": hashlib.sha256(b"b\n").hexdigest()}
    assert summary["plan_format"] == 2
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == ["plan"]


def test_stale_files_of_an_earlier_plan_never_survive(tmp_path):
    target = tmp_path / "plan"
    write_plan_folder(target, {"a.csv": _writer("a\n"), "changes.csv": _writer("old call list\n")}, {"inputs": {}})
    write_plan_folder(target, {"a.csv": _writer("a2\n")}, {"inputs": {}})
    assert sorted(p.name for p in target.iterdir()) == ["a.csv", "summary.json"]


def test_a_writer_failing_part_way_leaves_the_earlier_folder_and_no_staging(tmp_path):
    target = tmp_path / "plan"
    write_plan_folder(target, {"a.csv": _writer("a\n")}, {"inputs": {}})
    before = tree(target)

    def boom(path: Path) -> None:
        path.write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_plan_folder(target, {"a.csv": _writer("new\n"), "b.csv": boom}, {"inputs": {}})
    assert tree(target) == before
    assert [p.name for p in tmp_path.iterdir() if ".new-" in p.name] == []


def test_two_writers_at_once_leave_one_whole_plan(tmp_path):
    """Both write slowly at the same time: the folder ends as one writer's files, never a mix."""
    target = tmp_path / "plan"
    errors = []

    def run(tag: str) -> None:
        try:
            write_plan_folder(target, {f"{n}.csv": _writer(f"{tag}\n", 0.05) for n in range(6)}, {"inputs": {}, "tag": tag})
        except Exception as exc:  # noqa: BLE001 - any failure fails the test below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(tag,)) for tag in ("first", "second")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    summary = json.loads((target / "summary.json").read_text(encoding="utf-8"))
    texts = {(target / f"{n}.csv").read_text(encoding="utf-8") for n in range(6)}
    assert texts == {summary["tag"] + "\n"}
    assert read_plan(target).changed_files() == []


def test_a_held_lock_makes_a_writer_wait_then_fail_with_exit_2(tmp_path):
    target = tmp_path / "plan"
    with (writer_lock(target), pytest.raises(UsageError, match="another election-ops run is writing") as err,
          writer_lock(target, wait_s=0.3)):
        pass
    assert err.value.exit_code == 2
    with writer_lock(target, wait_s=0.3):  # released: the next writer gets it at once
        pass


CONCURRENT = """
import sys
from election_ops.cli import app
app(prog_name="election-ops", args=sys.argv[1:])
"""


def test_two_concurrent_solves_into_one_out_leave_one_whole_plan(project, tmp_path):
    out = tmp_path / "plan"
    env = {**os.environ, "COLUMNS": "200"}
    scenario = project / "scenarios/2022-presidential.yaml"
    procs = [subprocess.Popen([sys.executable, "-c", CONCURRENT, "solve", str(scenario), "--out", str(out),
                               "--seed", str(seed), "--time-limit", "5"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for seed in (1, 2)]
    results = [p.communicate(timeout=600) + (p.returncode,) for p in procs]
    # exit 3 (posts short) is a finished run too: a loaded machine may stop the solver early
    assert all(r[2] in (0, 3) for r in results), results
    assert all("internal error" not in r[1] for r in results), results
    plan = read_plan(out)
    assert plan.changed_files() == []  # every file is the one summary.json lists: one run's, whole
    assert plan.summary.seed in (1, 2)
    checked = runner.invoke(app, ["validate", str(out)])
    assert checked.exit_code == results[plan.summary.seed - 1][2], checked.output


def test_a_solve_into_a_folder_that_held_a_replan_drops_its_changes(solved, project, tmp_path):
    out = tmp_path / "plan"
    shutil.copytree(solved, out)
    worker = next(csv.DictReader((out / "assignments.csv").open(encoding="utf-8")))["worker_id"]
    replanned = runner.invoke(app, ["replan", str(out), "--absent", worker, "--out", str(tmp_path / "re")])
    assert replanned.exit_code == 0, replanned.output
    assert (tmp_path / "re" / "changes.csv").exists()
    again = runner.invoke(app, ["solve", str(project / "scenarios/2022-presidential.yaml"), "--out",
                                str(tmp_path / "re"), "--time-limit", "10"])
    assert again.exit_code == 0, again.output
    names = {p.name for p in (tmp_path / "re").iterdir()}
    assert "changes.csv" not in names and "changes.xlsx" not in names and "absent.csv" not in names


# --- reading ------------------------------------------------------------------------------------------------


def test_read_plan_gives_a_typed_summary_and_the_inputs(solved):
    plan = read_plan(solved)
    assert plan.summary.scenario_id == "2022-presidential"
    assert plan.summary.shortfall_count == 0
    assert {"scenario", "rules", "sites", "staff", "boundaries"} <= set(plan.summary.inputs)
    assert set(plan.summary.files) >= {"assignments.csv", "roster.xlsx", "waits.csv"}
    assert plan.changed_inputs() == [] and plan.changed_files() == []
    assert len(plan.posts()) == 799


@pytest.mark.parametrize("setup", ["missing", "file", "no-summary", "bad-json"])
def test_a_folder_that_is_not_a_plan_is_an_input_error(tmp_path, setup):
    path = tmp_path / "x"
    if setup == "file":
        path.write_text("x", encoding="utf-8")
    elif setup != "missing":
        path.mkdir()
        if setup == "bad-json":
            (path / "summary.json").write_text("{", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_plan(path)
    assert err.value.exit_code == 2


# --- outputs go only where asked -----------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["../../escaped", "/tmp/absolute-id", "..", ".hidden", "a/b", "a\\b", ""])
def test_an_id_that_is_a_path_is_refused(bad):
    with pytest.raises(UsageError):
        folder_name(bad)


@pytest.mark.parametrize("bad", ["../../escaped", "/tmp/h1-escaped-absolute"])
def test_a_scenario_whose_id_is_a_path_exits_2_and_writes_nothing(project, tmp_path, monkeypatch, bad):
    scenario = project / "scenarios" / "escape.yaml"
    scenario.write_text(f"base: 2022-presidential.yaml\nid: '{bad}'\n", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = runner.invoke(app, ["solve", str(scenario), "--time-limit", "1"])
    assert result.exit_code == 2, result.output
    assert "id" in result.output and "Traceback" not in result.output
    assert list(work.iterdir()) == [] and not (tmp_path / "escaped").exists()
    assert not Path("/tmp/h1-escaped-absolute").exists()


@pytest.mark.parametrize("where", ["data/precincts/geumcheon", "data/precincts", "scenarios", "."])
def test_out_over_the_inputs_is_refused_and_leaves_them(project, where):
    before = tree(project / "data")
    out = project / where
    result = runner.invoke(app, ["solve", str(project / "scenarios/2022-presidential.yaml"), "--out", str(out),
                                 "--time-limit", "1"])
    assert result.exit_code == 2, result.output
    assert "input" in result.output
    assert tree(project / "data") == before


def test_demand_out_over_the_district_data_is_refused(project):
    before = tree(project / "data")
    result = runner.invoke(app, ["demand", str(project / "scenarios/2022-presidential.yaml"), "--out",
                                 str(project / "data/precincts/geumcheon")])
    assert result.exit_code == 2, result.output
    assert tree(project / "data") == before


def test_demand_out_into_a_plan_folder_is_refused(solved, project, tmp_path):
    plan = tmp_path / "plan"
    shutil.copytree(solved, plan)
    before = tree(plan)
    result = runner.invoke(app, ["demand", str(project / "scenarios/2022-presidential.yaml"), "--out", str(plan)])
    assert result.exit_code == 2, result.output
    assert "plan folder" in flat(result.output).replace("planfolder", "plan folder")
    assert tree(plan) == before


def test_a_plan_into_a_folder_that_is_not_a_plan_is_refused(project, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("my own notes", encoding="utf-8")
    result = runner.invoke(app, ["solve", str(project / "scenarios/2022-presidential.yaml"), "--out", str(folder),
                                 "--time-limit", "1"])
    assert result.exit_code == 2, result.output
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_replan_into_the_plan_it_changes_is_refused(solved, tmp_path):
    plan = tmp_path / "plan"
    shutil.copytree(solved, plan)
    before = tree(plan)
    worker = next(csv.DictReader((plan / "assignments.csv").open(encoding="utf-8")))["worker_id"]
    result = runner.invoke(app, ["replan", str(plan), "--absent", worker, "--out", str(plan)])
    assert result.exit_code == 2, result.output
    assert tree(plan) == before


def test_check_output_folder_accepts_new_empty_and_plan_folders(solved, tmp_path):
    assert check_output_folder(tmp_path / "new") == tmp_path / "new"
    (tmp_path / "empty").mkdir()
    check_output_folder(tmp_path / "empty")
    check_output_folder(solved)


def test_compare_with_a_bad_second_path_exits_2_before_writing(solved, tmp_path):
    out = tmp_path / "compare"
    result = runner.invoke(app, ["compare", str(solved), str(tmp_path / "no-such.yaml"), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert not out.exists() or list(out.iterdir()) == []


def test_compare_never_writes_into_the_folders_it_was_given(solved, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(solved, a)
    shutil.copytree(solved, b)
    before = (tree(a), tree(b))
    out = tmp_path / "compare"
    result = runner.invoke(app, ["compare", str(a), str(b), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (tree(a), tree(b)) == before
    text = (out / "comparison.md").read_text(encoding="utf-8")
    maps = sorted(p.name for p in (out / "maps").iterdir())
    assert len(maps) == 2 and all(f"](maps/{m})" in text for m in maps)
