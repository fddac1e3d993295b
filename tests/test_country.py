"""country plan / country compare: real units, the real engine, a killed worker, resume, national totals."""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from election_ops.cli import app
from election_ops.country import unit_task
from election_ops.country.run import plan_country
from election_ops.districts import list_units

runner = CliRunner()
# small units of different kinds: an island 군, a rural 군 with few voters, a small 시, a 군 of two 읍면
SMALL = ("울릉군", "영양군", "계룡시", "증평군")


def codes_of(*names: str) -> list[str]:
    by_name = {u.sigungu: u.code for u in list_units()}
    return [by_name[n] for n in names]


def read_country(folder: Path) -> list[dict]:
    with open(folder / "country.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def check_against_nec(folder: Path, codes: list[str]) -> None:
    """Every unit planned and valid, with exactly the NEC's precincts, 읍면동 and register; totals are the sums."""
    catalog = {u.code: u for u in list_units()}
    rows = read_country(folder)
    assert [r["code"] for r in rows] == sorted(codes)
    for row in rows:
        unit = catalog[row["code"]]
        assert row["status"] == "planned", row
        assert int(row["stations_polling"]) == unit.precincts
        assert int(row["stations_early"]) == unit.emd
        assert int(row["registered_electors"]) == unit.registered_electors
        assert int(row["posts_short"]) == 0
        assert (folder / "units" / row["code"] / "unit.json").is_file()
        assert (folder / "units" / row["code"] / "plan" / "roster.xlsx").is_file()
        # the unit was built aside and renamed into place: its plan still validates where it now lies
        done = runner.invoke(app, ["validate", str(folder / "units" / row["code"] / "plan")])
        assert done.exit_code == 0, done.output
    national = json.loads((folder / "country.json").read_text(encoding="utf-8"))
    for key in ("stations_polling", "stations_early", "posts_total", "people_placed", "allowance_total_krw",
                "stations_over_wait_limit"):
        assert national[key] == sum(int(r[key]) for r in rows), key
    assert national["stations_polling"] == sum(catalog[c].precincts for c in codes)
    assert sum(national["posts_by_role"].values()) == national["posts_total"]
    assert not any((folder / "units" / ".building").glob("*")), "no half-built unit may remain"


def test_local_engine_plans_resumes_and_totals(tmp_path):
    codes = codes_of(*SMALL[:2])
    out = tmp_path / "run"
    first = plan_country(out, units=",".join(codes), engine="local")
    assert first.planned_now == 2 and first.skipped == 0
    check_against_nec(out, codes)
    before = {c: (out / "units" / c / "unit.json").stat().st_mtime_ns for c in codes}
    again = plan_country(out, units=",".join(codes), engine="local")
    assert again.planned_now == 0 and again.skipped == 2, "a second run with the same inputs does no work"
    assert {c: (out / "units" / c / "unit.json").stat().st_mtime_ns for c in codes} == before
    assert read_country(out) == read_country(out)  # written again from the records, same rows
    # a changed input (another seed) redoes the units
    third = plan_country(out, units=codes[0], engine="local", seed=1)
    assert third.planned_now == 1
    # notices are left out of a national run unless asked for; asking redoes the unit, which still validates
    plan = out / "units" / codes[1] / "plan"
    assert not (plan / "notices.pdf").exists()
    assert "notices.pdf" not in json.loads((plan / "summary.json").read_text(encoding="utf-8"))["files"]
    with_notices = plan_country(out, units=codes[1], engine="local", notices=True)
    assert with_notices.planned_now == 1
    assert (plan / "notices.pdf").stat().st_size > 0
    assert "notices.pdf" in json.loads((plan / "summary.json").read_text(encoding="utf-8"))["files"]
    done = runner.invoke(app, ["validate", str(plan)])
    assert done.exit_code == 0, done.output


def test_a_failing_unit_is_recorded_and_the_others_go_on(tmp_path, monkeypatch):
    codes = codes_of(*SMALL[:2])
    real = unit_task._plan_into

    def flaky(task, build):
        if task.code == codes[0]:
            raise RuntimeError("disk on fire: 홍길동")  # the text must not reach the record (personal data rule)
        return real(task, build)

    monkeypatch.setattr(unit_task, "_plan_into", flaky)
    out = tmp_path / "run"
    run = plan_country(out, units=",".join(codes), engine="local")
    rows = {r["code"]: r for r in read_country(out)}
    assert rows[codes[0]]["status"] == "failed" and "RuntimeError" in rows[codes[0]]["error"]
    assert "홍길동" not in (out / "country.csv").read_text(encoding="utf-8")
    assert rows[codes[1]]["status"] == "planned"
    assert (out / "failed" / f"{codes[0]}.json").is_file()
    assert not (out / "units" / codes[0]).exists()
    assert len(run.failed) == 1
    # the national documents name the failure in Korean; the error's own text stays in country.csv
    english_free_cells(out / "country.xlsx", skip_values=set())
    assert not ENGLISH_WORD.findall(visible_text(out / "report.html"))
    assert "처리 중 오류" in (out / "report.html").read_text(encoding="utf-8")
    monkeypatch.setattr(unit_task, "_plan_into", real)
    rerun = plan_country(out, units=",".join(codes), engine="local")
    assert rerun.planned_now == 1  # only the failed one
    assert not (out / "failed" / f"{codes[0]}.json").exists()
    check_against_nec(out, codes)


@pytest.mark.slow
def test_dask_cluster_survives_a_killed_worker_and_resumes(tmp_path):
    """A real local Dask cluster with 2 workers; one worker is killed mid-run; the rerun completes and then idles."""
    import psutil
    from distributed import Client, LocalCluster

    codes = codes_of(*SMALL)
    out = tmp_path / "run"
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    client = Client(cluster)
    killed = []

    def kill_one_worker(record: dict) -> None:
        if killed:
            return
        # kill a worker process while the other units are still running or queued
        pids = sorted(client.run(os.getpid).values())
        victim = psutil.Process(pids[0])
        victim.kill()
        killed.append(victim.pid)

    try:
        first = plan_country(out, units=",".join(codes), engine="dask", address=cluster.scheduler_address,
                             on_result=kill_one_worker)
        assert killed, "the test must have killed a worker"
        # whatever the kill cost (a retried unit, or one recorded as failed), a rerun finishes the job
        second = plan_country(out, units=",".join(codes), engine="dask", address=cluster.scheduler_address)
        assert second.planned_now == sum(r.get("status") != "planned" for r in first.records)
        check_against_nec(out, codes)
        third = plan_country(out, units=",".join(codes), engine="dask", address=cluster.scheduler_address)
        assert third.planned_now == 0
        # written once: one folder per unit, nothing else beside them
        assert sorted(p.name for p in (out / "units").iterdir() if not p.name.startswith(".")) == sorted(codes)
    finally:
        client.close()
        cluster.close()


def test_cli_plan_and_compare_without_covid_roles(tmp_path):
    code = codes_of(SMALL[0])[0]
    template = tmp_path / "no-covid.yaml"
    template.write_text("covid: false\ntitle: 코로나 역할 없음\n", encoding="utf-8")
    a, b = tmp_path / "a", tmp_path / "b"
    done = runner.invoke(app, ["country", "plan", "--units", code, "--engine", "local", "--out", str(a)])
    assert done.exit_code == 0, done.output
    done = runner.invoke(app, ["country", "plan", "--units", code, "--engine", "local", "--out", str(b),
                               "--scenario-template", str(template)])
    assert done.exit_code == 0, done.output
    cmp_dir = tmp_path / "cmp"
    done = runner.invoke(app, ["country", "compare", str(a), str(b), "--out", str(cmp_dir)])
    assert done.exit_code == 0, done.output
    with open(cmp_dir / "country_comparison.csv", encoding="utf-8") as fh:
        national = next(r for r in csv.DictReader(fh) if r["sido"] == "전국")
    assert int(national["posts_total_diff"]) < 0, "without COVID roles fewer posts are needed"
    assert int(national["allowance_total_krw_diff"]) < 0
    with open(cmp_dir / "country_comparison_roles.csv", encoding="utf-8") as fh:
        roles = {(r["site_kind"], r["role"]): r for r in csv.DictReader(fh)}
    assert int(roles[("polling", "covid_screening")]["posts_b"]) == 0
    for name in ("country_comparison.xlsx", "report.html"):
        assert (cmp_dir / name).is_file()
    # what people read is Korean: the national workbooks and pages hold no English word (codes and the runs'
    # folder names, which the user chose, aside)
    checked = sum(english_free_cells(path, skip_values={"a", "b"}) for path in (
        a / "country.xlsx", cmp_dir / "country_comparison.xlsx"))
    assert checked > 50
    for page in (a / "report.html", cmp_dir / "report.html"):
        assert not ENGLISH_WORD.findall(visible_text(page)), page


ENGLISH_WORD = re.compile(r"[A-Za-z]{4,}")


def english_free_cells(path: Path, skip_values: set[str]) -> int:
    """Assert no text cell outside a 코드 column holds an English word; how many cells were checked."""
    from openpyxl import load_workbook

    checked = 0
    for ws in load_workbook(path).worksheets:
        rows = list(ws.iter_rows(values_only=True))
        codes = {c for c, h in enumerate(rows[0]) if isinstance(h, str) and "코드" in h} if rows else set()
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, str) and c not in codes and value not in skip_values:
                    checked += 1
                    assert not ENGLISH_WORD.search(value), (path.name, ws.title, r + 1, c + 1, value)
    return checked


def visible_text(page: Path) -> str:
    """The page's text as a reader sees it: no tags, scripts, styles, attributes or <code> paths."""
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"<(script|style|code)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"&[a-z]+;", " ", text)


def test_bad_template_and_unknown_units_exit_2_and_write_nothing(tmp_path):
    template = tmp_path / "t.yaml"
    template.write_text("data: {sites: x.csv}\n", encoding="utf-8")
    out = tmp_path / "out"
    done = runner.invoke(app, ["country", "plan", "--units", codes_of(SMALL[0])[0], "--engine", "local",
                               "--out", str(out), "--scenario-template", str(template)])
    assert done.exit_code == 2 and "data" in done.output
    done = runner.invoke(app, ["country", "plan", "--units", "99999", "--engine", "local", "--out", str(out)])
    assert done.exit_code == 2 and "99999" in done.output
    done = runner.invoke(app, ["country", "plan", "--sido", "아틀란티스", "--engine", "local", "--out", str(out)])
    assert done.exit_code == 2
    assert not (out / "country.csv").exists()


def test_one_run_per_folder(tmp_path):
    from election_ops.country.run import run_lock
    from election_ops.errors import UsageError

    out = tmp_path / "run"
    with run_lock(out), pytest.raises(UsageError, match="another country run"), run_lock(out):
        pass


@pytest.mark.parametrize("template", sorted((Path(__file__).parents[1] / "scenarios" / "country").glob("*.yaml")),
                         ids=lambda p: p.stem)
def test_shipped_templates_load_over_a_real_unit(template):
    from election_ops.country.template import check_template_on, read_template

    check_template_on(codes_of(SMALL[0])[0], read_template(template), template)
