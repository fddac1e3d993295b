"""compare: side-by-side plans of two or more scenarios, with saved plans reused.

Solving the real 금천구 data takes 1-3 s a scenario, so the file solves six times in
all: the presidential scenario and an overlay of it without the COVID roles (once, for
the whole module), the 60-precinct layout, one changed input, one --seed and one known defect.
Everything else reads or reuses those plans.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from election_ops.cli import app
from election_ops.comparison import changed_dongs, read_plan_files
from election_ops.glossary import COMPARISON
from projects import copy_project

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]
WHOLE = ("scenarios", "data")
PRESIDENTIAL = REPO / "scenarios" / "2022-presidential.yaml"
PRESIDENTIAL_60 = REPO / "scenarios" / "2022-presidential-60.yaml"
PLAN_FILES = ("summary.json", "requirements.csv", "sites.csv", "shifts.csv", "assignments.csv", "shortfalls.csv",
              "roles.csv", "roster.xlsx", "waits.csv")
COVID_ROLES = ("covid_screening", "quarantine_support")
HANGUL = re.compile("[가-힣]")
MIN_WAIT_RATIO, MIN_WAIT_60 = 5, 10.0  # the 60-precinct 독산1동 waits at least 5x as long, and 10 min or more


def write_overlays(folder: Path) -> Path:
    """base.yaml (the shipped presidential scenario, one level removed) and no-covid.yaml on top of it."""
    (folder / "base.yaml").write_text("base: 2022-presidential.yaml\n", encoding="utf-8")
    (folder / "no-covid.yaml").write_text("base: base.yaml\ntitle: without COVID roles\ncovid: false\n",
                                          encoding="utf-8")
    return folder / "no-covid.yaml"


@dataclass(frozen=True)
class Compared:
    root: Path
    out: Path
    no_covid: Path
    output: str


@pytest.fixture(scope="module")
def compared(tmp_path_factory) -> Compared:
    root = copy_project(tmp_path_factory.mktemp("compare"), WHOLE)
    no_covid = write_overlays(root / "scenarios")
    out = root / "out"
    result = runner.invoke(app, ["compare", str(PRESIDENTIAL), str(no_covid), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return Compared(root=root, out=out, no_covid=no_covid, output=result.output)


def markdown_tables(text: str) -> list[list[list[str]]]:
    """Every table of a Markdown file, as rows of cells (header first, the --- row left out)."""
    tables, current = [], []
    for line in text.splitlines():
        if line.startswith("|"):
            if not line.startswith("|---"):
                current.append([c.strip() for c in line.strip("|").split(" | ")])
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def number(cell: str) -> float:
    return float(cell.replace(",", ""))


def headline(out: Path) -> dict[str, list[str]]:
    """The first table of comparison.md: figure -> one cell per plan."""
    table = markdown_tables((out / "comparison.md").read_text(encoding="utf-8"))[0]
    return {row[0]: row[1:] for row in table}


def sheet(path: Path, name: str) -> pd.DataFrame:
    rows = list(openpyxl.load_workbook(path, read_only=True)[name].values)
    return pd.DataFrame(rows[1:], columns=rows[0])


def flat(output: str) -> str:
    """CLI output with rich's line wrapping undone (CliRunner's terminal is 80 columns wide)."""
    return " ".join(output.split())


def mtimes(folder: Path) -> dict[str, int]:
    return {name: (folder / name).stat().st_mtime_ns for name in PLAN_FILES}


# --- two small scenarios ---------------------------------------------------------------


def test_compare_writes_markdown_and_excel_with_a_column_per_scenario(compared):
    out = compared.out
    assert "2022-presidential: solved (OPTIMAL)" in flat(compared.output)
    assert "no-covid: solved (OPTIMAL)" in flat(compared.output)
    assert (out / "comparison.md").stat().st_size > 0 and (out / "comparison.xlsx").stat().st_size > 0
    for k, plan in enumerate(("2022-presidential", "no-covid"), start=1):
        assert all((out / plan / name).exists() for name in PLAN_FILES), plan
        assert not (out / plan / "map.png").exists()  # a plan folder holds the plan's files only
        assert (out / "maps" / f"{k}-{plan}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    tables = markdown_tables((out / "comparison.md").read_text(encoding="utf-8"))
    assert tables[0][0] == ["figure", "2022-presidential", "no-covid"]
    roles = next(table for table in tables if table[0][0] == "site kind / role")
    assert roles[0] == ["site kind / role", "2022-presidential", "no-covid"]
    assert all(len(row) == 3 for row in tables[0] + roles)
    assert "polling / covid_screening" in [row[0] for row in roles]
    text = (out / "comparison.md").read_text(encoding="utf-8")
    assert "Where the layouts differ" not in text  # same stations in both
    assert "![no-covid](maps/2-no-covid.png)" in text
    html = (out / "report.html").read_text(encoding="utf-8")  # the browser checks are in test_browser.py
    assert html.count('class="map"') == 2 and "2022-presidential" in html and "no-covid" in html
    assert "달라진 동이 없습니다" in html  # same stations in both

    book = openpyxl.load_workbook(out / "comparison.xlsx", read_only=True)
    assert book.sheetnames == ["비교", "대기시간", "역할별"]  # no 동별: no layout differs
    compare = sheet(out / "comparison.xlsx", "비교")
    assert list(compare.columns) == ["항목", "2022-presidential", "no-covid", "코드"]
    assert list(compare["코드"]) == list(headline(out))[1:]  # after the header row
    assert all(HANGUL.search(label) for label in compare["항목"])  # Korean figures, the English code beside them
    assert compare.set_index("코드").loc["solver", "no-covid"].startswith("최적 배치 (증명됨), ")
    roles = sheet(out / "comparison.xlsx", "역할별")
    assert list(roles.columns) == ["구분", "역할", "2022-presidential", "no-covid", "구분코드", "역할코드"]
    assert ("투표소", "투표관리관") in set(zip(roles["구분"], roles["역할"]))
    for name in book.sheetnames:
        ws = openpyxl.load_workbook(out / "comparison.xlsx")[name]
        assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1", name
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0, name
        assert "&P / &N" in ws.oddFooter.center.text, name
        header = [c.value for c in ws[1]]
        assert all(HANGUL.search(h) for h in header if h not in ("2022-presidential", "no-covid")), (name, header)


def test_covid_off_needs_fewer_staff_by_exactly_the_covid_posts(compared):
    out = compared.out
    requirements = pd.read_csv(out / "2022-presidential" / "requirements.csv")
    covid = requirements[requirements["role"].isin(COVID_ROLES)]
    posts = {kind: int(covid.loc[covid["site_kind"] == kind, "required"].sum()) for kind in ("polling", "early")}
    assert posts == {"polling": 122, "early": 20}  # fever check and quarantine support at 61 + 10 stations

    figures = headline(out)
    with_covid, without = ({k: v[i] for k, v in figures.items()} for i in (0, 1))
    for kind in ("polling", "early"):
        assert number(with_covid[f"staff needed: {kind}"]) - number(without[f"staff needed: {kind}"]) == posts[kind]
    assert number(with_covid["staff needed: total"]) == 799
    assert number(without["staff needed: total"]) == 799 - 142
    # what COVID roles do not touch stays put: counting staff, stations, electors, predicted waits
    for figure in ("staff needed: counting", "polling stations (투표소)", "electors per station, max",
                   "worst-hour wait, worst station (min)", "worst-wait station", "posts short (미충원)"):
        assert with_covid[figure] == without[figure], figure
    # allowances: a COVID post is a clerk's, paid once on election day and twice for the two early days
    clerk = 130_000
    saved = number(with_covid["estimated allowances (KRW)"]) - number(without["estimated allowances (KRW)"])
    assert saved == clerk * (posts["polling"] * 1 + posts["early"] * 2) == 21_060_000

    roles = sheet(out / "comparison.xlsx", "역할별").set_index(["구분코드", "역할코드"])
    for kind in ("polling", "early"):
        for role in COVID_ROLES:
            assert roles.loc[(kind, role), "no-covid"] == 0
            assert roles.loc[(kind, role), "2022-presidential"] > 0
    other = roles.drop(index=list(COVID_ROLES), level="역할코드")
    assert (other["2022-presidential"] == other["no-covid"]).all()


# --- reuse -----------------------------------------------------------------------------


def test_compare_again_reuses_the_saved_plans(compared):
    before = {plan: mtimes(compared.out / plan) for plan in ("2022-presidential", "no-covid")}
    result = runner.invoke(app, ["compare", str(PRESIDENTIAL), str(compared.no_covid), "--out", str(compared.out)])
    assert result.exit_code == 0, result.output
    assert f"2022-presidential: reusing the plan in {compared.out / '2022-presidential'}" in flat(result.output)
    assert "no-covid: reusing the plan in" in flat(result.output)
    assert "solved" not in flat(result.output)
    assert {plan: mtimes(compared.out / plan) for plan in before} == before


def test_a_changed_input_forces_a_new_solve(compared, tmp_path):
    """Reuse goes by the input files' contents and the seed; here a base two levels up changes."""
    no_covid = write_overlays(copy_project(tmp_path, WHOLE) / "scenarios")  # the same bytes in another folder
    out = tmp_path / "out"
    shutil.copytree(compared.out, out)
    args = ["compare", str(PRESIDENTIAL), str(no_covid), "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert flat(result.output).count("reusing the plan") == 2

    before = mtimes(out / "no-covid")
    with (no_covid.parent / "base.yaml").open("a", encoding="utf-8") as fh:
        fh.write("# edited: the plan made from the earlier file is stale\n")
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "2022-presidential: reusing the plan" in flat(result.output)
    assert "no-covid: solved (OPTIMAL)" in flat(result.output)
    assert all(mtimes(out / "no-covid")[name] > before[name] for name in PLAN_FILES)


def test_a_seed_given_is_recorded_so_reuse_goes_by_the_seed_used(compared, tmp_path):
    """Once a bug: summary.json recorded the scenario's seed, not --seed, so a plan solved with --seed 7
    was reused later as if it were seed 0's, and never reused for --seed 7."""
    out = tmp_path / "out"
    shutil.copytree(compared.out / "2022-presidential", out / "2022-presidential")
    args = ["compare", str(PRESIDENTIAL), str(compared.out / "no-covid"), "--out", str(out), "--seed", "7"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "2022-presidential: solved (OPTIMAL)" in flat(result.output)  # the saved plan is seed 0's
    summary = json.loads((out / "2022-presidential" / "summary.json").read_text(encoding="utf-8"))
    assert summary["scenario"]["seed"] == 7

    before = mtimes(out / "2022-presidential")
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "2022-presidential: reusing the plan" in flat(result.output)
    assert mtimes(out / "2022-presidential") == before


# --- arguments -------------------------------------------------------------------------


@pytest.mark.parametrize("args", [[], [str(PRESIDENTIAL)]], ids=["none", "one"])
def test_compare_needs_two_or_more(tmp_path, args):
    result = runner.invoke(app, ["compare", *args, "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in flat(result.output)
    assert not (tmp_path / "out").exists()


def test_plan_folders_are_read_as_they_are(compared, tmp_path):
    out = tmp_path / "out"
    folders = [compared.out / "2022-presidential", compared.out / "no-covid"]
    before = [mtimes(f) for f in folders]
    result = runner.invoke(app, ["compare", *map(str, folders), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "solved" not in flat(result.output) and "reusing" not in flat(result.output)
    assert [mtimes(f) for f in folders] == before
    assert headline(out) == headline(compared.out)
    text = (out / "comparison.md").read_text(encoding="utf-8")
    assert "![no-covid](maps/2-no-covid.png)" in text  # the map under --out, never in the folder given
    assert not (compared.out / "no-covid" / "map.png").exists()


def test_a_plan_folder_and_a_scenario_mix(compared, tmp_path):
    result = runner.invoke(app, ["compare", str(compared.out / "no-covid"), str(PRESIDENTIAL),
                                 "--out", str(compared.out)])
    assert result.exit_code == 0, result.output
    assert "2022-presidential: reusing the plan" in flat(result.output)
    assert headline(compared.out)["figure"] == ["no-covid", "2022-presidential"]


def test_a_folder_that_is_not_a_plan_exits_2(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "summary.json").write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["compare", str(tmp_path / "empty"), str(tmp_path / "empty"),
                                 "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "not valid JSON" in flat(result.output) and "Traceback" not in flat(result.output)


# --- the 60- and 61-precinct layouts ---------------------------------------------------


def test_60_precincts_wait_longer_at_dokssan1_and_only_dokssan1_differs(compared):
    result = runner.invoke(app, ["compare", str(PRESIDENTIAL_60), str(PRESIDENTIAL), "--out", str(compared.out)])
    assert result.exit_code == 0, result.output
    assert "2022-presidential-60: solved (OPTIMAL)" in flat(result.output)
    assert "2022-presidential: reusing the plan" in flat(result.output)

    dongs = sheet(compared.out / "comparison.xlsx", "동별").rename(columns={t.ko: t.code for t in COMPARISON.values()})
    assert set(dongs["dong"]) == {"독산1동"}
    rows = dongs.set_index("plan")
    sixty, sixty_one = rows.loc["2022-presidential-60"], rows.loc["2022-presidential"]
    assert (sixty["stations"], sixty_one["stations"]) == (8, 9)
    assert (sixty["electors per station, max"], sixty_one["electors per station, max"]) == (10_028, 5_673)
    assert sixty["at"] == "독산1동-3"
    assert sixty["worst-hour wait (min)"] >= MIN_WAIT_RATIO * sixty_one["worst-hour wait (min)"]
    assert sixty["worst-hour wait (min)"] >= MIN_WAIT_60
    assert sixty["staff needed"] == sixty_one["staff needed"] - 8  # one station's fixed posts

    text = (compared.out / "comparison.md").read_text(encoding="utf-8")
    assert "## Where the layouts differ: 독산1동\n" in text
    plans = [read_plan_files(compared.out / name) for name in ("2022-presidential-60", "2022-presidential")]
    assert changed_dongs(plans) == ["독산1동"]
    figures = headline(compared.out)
    assert figures["precincts (투표구)"] == ["60", "61"]
    assert figures["busiest station"] == ["독산1동-3", "독산1동-1"]
    assert number(figures["staff needed: total"][0]) == 791 and number(figures["staff needed: total"][1]) == 799


# --- two scenarios with one file name ------------------------------------------------


def test_two_scenarios_with_the_same_file_name_keep_their_own_plans(compared, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(compared.out / "no-covid", out / "no-covid")  # reused for the first file: one solve in all
    other = copy_project(tmp_path, WHOLE) / "elsewhere" / "no-covid.yaml"
    other.parent.mkdir()
    other.write_text("base: ../scenarios/2022-presidential.yaml\nturnout_scale: 1.1\n", encoding="utf-8")
    result = runner.invoke(app, ["compare", str(compared.no_covid), str(other), "--out", str(out)])
    assert result.exit_code == 0, result.output
    totals = [number(cell) for cell in headline(out)["staff needed: total"]]
    assert totals[0] == 657  # the COVID-free plan
    assert totals[1] > 799  # COVID roles on and 10 % more voters
