"""Hostile inputs (issue 10): nothing hangs, nothing leaks, nothing is silently ignored, every error exits 2.

Each class is tested on small files generated here, never on the shipped data's row numbers:
special files and size limits, errors that never quote another row, formula cells without a
value, ids that must exist (with close matches suggested), duplicate YAML keys, NFC text and
over-long text, and out-of-range values through the command line.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
import threading
import unicodedata
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from election_ops.cli import app
from election_ops.errors import InputError, close_matches, quoted
from election_ops.io import files, tables
from election_ops.io.scenario import load_scenario
from election_ops.io.staff import load_staff
from election_ops.io.tables import read_cells
from election_ops.io.yamlfile import read_yaml
from election_ops.model.departments import own_dong
from election_ops.pipeline import load_inputs
from election_ops.replan import parse_absent, read_posts
from projects import copy_project

REPO_ROOT = Path(__file__).resolve().parents[1]
PRESIDENTIAL = Path("scenarios/2022-presidential.yaml")
DATA = Path("data/precincts/geumcheon")
HEADER = ["worker_id", "name", "department", "staff_kind", "grade", "home_lon", "home_lat", "experience",
          "certifications", "unavailable", "preferred_dong", "preferred_site_kind"]
# syllables that appear in no message, hint or fix text, so any hit in a message is a leaked name
NAMES = [s + a + b for s, a, b in itertools.product("곽탁편", "늘뫼솔찬빛얀", "늘뫼솔찬빛얀") if a != b][:60]
runner = CliRunner()


def staff_rows(count: int = 40) -> list[list[str]]:
    """A small valid pool: header first, one person per row, each with a name of ``NAMES``."""
    rows = [list(HEADER)]
    for i in range(count):
        rows.append([f"W{i + 1:04d}", NAMES[i], "독산1동 주민센터" if i % 3 == 0 else "마을자치과", "일반직",
                     str(6 + i % 4), f"{126.89 + i * 0.0005:.6f}", f"{37.46 + i * 0.0003:.6f}",
                     "guide" if i % 2 else "", "", "", "", ""])
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "인력풀"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture(scope="module")
def district(presidential_inputs):
    return presidential_inputs.district


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of scenarios/ and data/ (staff too) to break."""
    return copy_project(tmp_path, ("scenarios", "data"))


def finishes(call, seconds: float = 20.0):
    """Run ``call`` in a thread; fail (instead of hanging the suite) when it does not return in time."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the loader hangs"
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome.get("value")


# --- 1. only regular files of bounded size are read ------------------------------------


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".yaml"])
def test_symlink_to_a_device_is_refused_by_name(tmp_path, device, suffix):
    link = tmp_path / f"staff{suffix}"
    link.symlink_to(device)
    with pytest.raises(InputError) as info:
        finishes(lambda: read_yaml(link) if suffix == ".yaml" else read_cells(link))
    assert info.value.file == str(link) and "character device" in info.value.problem


def test_fifo_without_a_writer_is_refused_without_hanging(tmp_path, district):
    fifo = tmp_path / "staff.csv"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="named pipe"):
        finishes(lambda: load_staff(fifo, district))
    scenario = tmp_path / "scenario.yaml"
    os.mkfifo(scenario)
    with pytest.raises(InputError, match="named pipe"):
        finishes(lambda: load_scenario(scenario))
    with pytest.raises(InputError, match="named pipe"):
        finishes(lambda: read_posts(fifo))  # a --freeze list
    with pytest.raises(InputError, match="named pipe"):
        finishes(lambda: parse_absent(str(fifo), {"W0001"}))  # an --absent list


def test_a_fifo_swapped_in_after_the_check_does_not_hang(tmp_path, monkeypatch):
    """The open is non-blocking and the kind is checked again on the open file."""
    fifo = tmp_path / "staff.csv"
    os.mkfifo(fifo)
    monkeypatch.setattr(files, "check_input", lambda path, kind: 0)
    with pytest.raises(InputError, match="named pipe"):
        finishes(lambda: files.read_input(fifo, "csv"))


def test_directory_and_dangling_link_are_named(tmp_path):
    with pytest.raises(InputError, match="a directory"):
        read_cells(tmp_path)
    link = tmp_path / "gone.csv"
    link.symlink_to(tmp_path / "nowhere.csv")
    with pytest.raises(InputError, match="file not found"):
        read_cells(link)


def test_boundaries_that_are_a_device_are_refused(project):
    boundaries = project / DATA / "dongs.geojson"
    boundaries.unlink()
    boundaries.symlink_to("/dev/zero")
    with pytest.raises(InputError) as info:
        finishes(lambda: load_inputs(project / PRESIDENTIAL))
    assert info.value.file.endswith("dongs.geojson") and "character device" in info.value.problem


@pytest.mark.parametrize(("kind", "suffix"), [("csv", ".csv"), ("xlsx", ".xlsx"), ("yaml", ".yaml")])
def test_size_limit_is_checked_before_reading(tmp_path, monkeypatch, kind, suffix):
    path = tmp_path / f"big{suffix}"
    path.write_bytes(b"x" * 2000)
    monkeypatch.setitem(files.LIMITS, kind, 1000)
    monkeypatch.setattr(os, "read", lambda *a: pytest.fail("read before the size check"))
    with pytest.raises(InputError, match="above the limit of"):
        read_yaml(path) if kind == "yaml" else read_cells(path)


def test_every_limit_is_documented():
    doc = (REPO_ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    for limit in files.LIMITS.values():
        assert f"{limit // files.MIB:,} MiB" in doc
    assert f"{files.XLSX_UNPACKED_LIMIT // files.MIB:,} MiB" in doc


def test_xlsx_that_unpacks_too_far_is_refused(tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "staff.xlsx", staff_rows(5))
    monkeypatch.setattr(tables, "XLSX_UNPACKED_LIMIT", 1000)
    with pytest.raises(InputError, match="unpacks to"):
        read_cells(path)


# --- 2. errors name file, row, column and at most the offending value, cut short ---------


def broken_files(rows: list[list[str]]) -> dict[str, str]:
    """CSV texts of the pool broken in many ways, each one an input error."""
    def text(rs: list[list[str]]) -> str:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rs)
        return out.getvalue()

    good = text(rows)
    lines = good.splitlines(keepends=True)
    cases: dict[str, str] = {}
    for col, name in enumerate(HEADER):  # a quote opened in each cell of row 2 and never closed
        cells = lines[1].rstrip("\n").split(",")
        cells[col] = '"' + cells[col]
        cases[f"open-quote-{name}"] = lines[0] + ",".join(cells) + "\n" + "".join(lines[2:])
    cases["text-after-quote"] = lines[0] + lines[1].replace(",", ',"x"y', 1) + "".join(lines[2:])
    cases["nul-in-name"] = good.replace(NAMES[3], NAMES[3][:1] + "\x00" + NAMES[3][1:])
    cases["nul-in-grade"] = lines[0] + lines[1].replace(",일반직,", ",일반직,\x00", 1) + "".join(lines[2:])
    cases["control-char"] = good.replace(NAMES[5], NAMES[5] + "\x07")
    cases["huge-cell"] = good.replace(NAMES[7], "가" * 40_000)
    cases["long-name"] = good.replace(NAMES[7], NAMES[7] * 40)
    cases["line-break-in-name"] = good.replace(NAMES[9], f'"{NAMES[9]}\n{NAMES[10]}"')
    cases["line-break-in-department"] = good.replace("마을자치과", '"마을\n자치과"', 1)
    cases["tab-in-id"] = good.replace("W0004", "W0\t004")
    cases["cr-in-id"] = good.replace("W0004", '"W0\r004"')
    cases["extra-cells"] = lines[0] + lines[1].rstrip("\n") + ",x,y\n" + "".join(lines[2:])
    cases["blank-header-over-data"] = lines[0].rstrip("\n") + ",\n" + lines[1].rstrip("\n") + f",{NAMES[1]}\n" + \
        "".join(lines[2:])
    cases["duplicate-id"] = good + lines[4]
    cases["no-header"] = "".join(lines[1:])
    cases["name-in-grade"] = good.replace(f"{NAMES[11]},마을자치과,일반직,", f"{NAMES[11]},마을자치과,일반직,{NAMES[11]}")
    for column, value in [("grade", "12"), ("home_lon", "200"), ("home_lat", "abc"), ("unavailable", "Eday"),
                          ("preferred_dong", "독산9동"), ("preferred_site_kind", "church"), ("staff_kind", "정규직"),
                          ("worker_id", "")]:
        broken = [list(r) for r in rows]
        broken[6][HEADER.index(column)] = value
        cases[f"bad-{column}"] = text(broken)
    return cases


def assert_no_other_name(message: str, err: InputError, rows: list[list[str]]) -> None:
    leaked = [n for n in NAMES if n in message]
    assert len(leaked) <= 1, (leaked, message)
    if leaked:  # only the offending cell's own row may show up, and never from the name column
        assert err.row is not None and err.column != "name"
        assert rows[err.row - 1][1] == leaked[0], message


def test_errors_never_quote_another_row(tmp_path, district):
    rows = staff_rows()
    messages = {}
    for case, text in broken_files(rows).items():
        path = tmp_path / f"{case}.csv"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as info:
            load_staff(path, district)
        message = str(info.value)
        assert len(message) < 1000, (case, len(message))
        assert_no_other_name(message, info.value, rows)
        messages[case] = message
    assert "row 2" in messages["open-quote-name"] and "never closed" in messages["open-quote-name"]
    assert "row 13" in messages["name-in-grade"] and NAMES[11] in messages["name-in-grade"]  # its own row
    assert "value" not in messages["long-name"] and "column 'name'" in messages["long-name"]


def test_errors_in_xlsx_never_quote_another_row(tmp_path, district):
    rows = staff_rows()
    for case, column, value in [("grade", "grade", "12"), ("id", "worker_id", "W0001"),
                                ("long", "name", "곽" * 40_000), ("lon", "home_lon", "x")]:
        broken = [list(r) for r in rows]
        broken[6][HEADER.index(column)] = value
        path = write_xlsx(tmp_path / f"{case}.xlsx", broken)
        with pytest.raises(InputError) as info:
            load_staff(path, district)
        assert_no_other_name(str(info.value), info.value, rows)
        assert info.value.row == 7


def test_quoted_values_are_cut():
    assert len(quoted("가" * 1000)) < 70 and "1,000 characters" in quoted("가" * 1000)
    assert quoted(10**5000).startswith("<a number")
    err = InputError("f.csv", "bad", row=2, column="c", value="x" * 10_000)
    assert len(str(err)) < 200


# --- 3. nothing silently ignored ---------------------------------------------------------


def _formula_xlsx(path: Path, cached: str | None) -> Path:
    """A pool whose J5 (unavailable, row 5) holds a formula; ``cached`` its stored result, or none."""
    rows = staff_rows(10)
    write_xlsx(path, rows)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    value = f"<v>{cached}</v>" if cached is not None else ""
    kind = ' t="e"' if cached and cached.startswith("#") else ' t="str"'
    cell = f'<c r="J5"{kind}><f>IF(TRUE,"eday","")</f>{value}</c>'
    sheet, count = re.subn(r'<c r="J5"[^>]*/>|<c r="J5".*?</c>', cell, sheet)
    if count == 0:  # an empty cell is not written: add it at the end of row 5
        sheet = re.sub(r'(<row r="5"[^>]*>.*?)(</row>)', lambda m: m.group(1) + cell + m.group(2), sheet, count=1)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_formula_without_a_stored_result_is_refused_by_cell(tmp_path, district):
    path = _formula_xlsx(tmp_path / "staff.xlsx", None)
    with pytest.raises(InputError) as info:
        load_staff(path, district)
    assert "sheet '인력풀', cell J5" in info.value.problem and "no stored result" in info.value.problem
    assert (info.value.row, info.value.column) == (5, "unavailable")


def test_formula_with_a_stored_result_is_read(tmp_path, district):
    workers = load_staff(_formula_xlsx(tmp_path / "staff.xlsx", "eday"), district)
    assert workers[3].unavailable == ("eday",)


def test_formula_with_an_error_result_is_refused(tmp_path, district):
    with pytest.raises(InputError, match="#REF!"):
        load_staff(_formula_xlsx(tmp_path / "staff.xlsx", "#REF!"), district)


def _scenario(project: Path, text: str) -> Path:
    path = project / "scenarios" / "what-if.yaml"
    path.write_text("base: 2022-presidential.yaml\n" + text, encoding="utf-8")
    return path


def test_staff_change_shift_typo_suggests_the_id(project):
    with pytest.raises(InputError) as info:
        load_inputs(_scenario(project, "staff_changes: {unavailable_share: 0.1, shifts: [Eday]}\n"))
    assert info.value.column == "staff_changes.shifts.0" and info.value.value == "Eday"
    assert info.value.fix == "did you mean 'eday'?"


def test_staff_unavailable_on_a_day_that_does_not_exist_is_refused(tmp_path, district, presidential_inputs):
    from election_ops.references import shift_ids

    known = shift_ids(presidential_inputs.scenario.election, presidential_inputs.rules)
    rows = staff_rows(5)
    rows[3][HEADER.index("unavailable")] = "early-3"  # two early-voting days
    with pytest.raises(InputError) as info:
        load_staff(write_csv(tmp_path / "staff.csv", rows), district, shift_ids=known)
    assert (info.value.row, info.value.column, info.value.value) == (4, "unavailable", "early-3")


@pytest.mark.parametrize("where", ["rules", "scenario"])
def test_site_limits_for_an_unknown_site_are_refused(project, where):
    if where == "rules":
        rules = project / "scenarios" / "rules" / "presidential-2022.yaml"
        rules.write_text(rules.read_text(encoding="utf-8") + "\n  site_limits: {독산1동-99: {booths: 3}}\n"
                         if "\nwaits:" in rules.read_text(encoding="utf-8") else
                         rules.read_text(encoding="utf-8") + "\nwaits:\n  site_limits: {독산1동-99: {booths: 3}}\n",
                         encoding="utf-8")
        scenario = project / PRESIDENTIAL
    else:
        scenario = _scenario(project, "rule_overrides: {waits: {site_limits: {독산1동-99: {booths: 3}}}}\n")
    try:
        load_inputs(scenario)
    except InputError as exc:
        err = exc
    else:
        pytest.fail("limits for an unknown site were accepted")
    assert err.value == "독산1동-99" and "waits.site_limits" in err.column
    assert "독산1동-9" in err.fix
    assert err.file.endswith("presidential-2022.yaml" if where == "rules" else "what-if.yaml")


def test_stage_role_must_be_a_role_of_the_rules(project):
    with pytest.raises(InputError) as info:
        load_inputs(_scenario(project, "rule_overrides: {waits: {stage_roles: {register: register_chek}}}\n"))
    assert info.value.value == "register_chek" and "register_check" in info.value.fix


def test_allowance_for_an_unknown_role_class_is_refused(project):
    with pytest.raises(InputError) as info:
        load_inputs(_scenario(project, "rule_overrides: {allowances: {managr: 190000}}\n"))
    assert info.value.value == "managr" and "'manager'" in info.value.fix


def test_layout_and_absent_ids_suggest_close_matches():
    assert close_matches("Eday", ["eday", "early", "count"]) == ["eday"]
    assert "W0012" in close_matches("W012", ["W0012", "X9"])
    with pytest.raises(InputError) as info:
        parse_absent("W012", {"W0012", "W0500"})
    assert "W0012" in info.value.fix


@pytest.mark.parametrize(("change", "column"), [
    ("layout: {move: [{site: 독산1동-99, lon: 126.9, lat: 37.47}]}", "layout.move.0.site"),
    ("layout: {split: [{precinct: 독산1동-99, parts: [{id: 독산1동-20, share: 0.5}, {id: 독산1동-21, share: 0.5}]}]}",
     "layout.split.0.precinct"),
])
def test_layout_ids_suggest_close_matches(project, change, column):
    with pytest.raises(InputError) as info:
        load_inputs(_scenario(project, change + "\n"))
    assert info.value.column == column and "did you mean" in info.value.fix and "'독산1동-9'" in info.value.fix


def test_duplicate_yaml_keys_are_an_error(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("id: a\nturnout_scale: 1.0\nweights:\n  commute: 1\n  commute: 2\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_yaml(path)
    assert info.value.row == 5 and "'commute' is written twice (first on line 4)" in info.value.problem
    path.write_text("turnout_scale: 1.0\nid: a\nturnout_scale: 2.0\n", encoding="utf-8")
    with pytest.raises(InputError, match="'turnout_scale' is written twice"):
        read_yaml(path)


def test_duplicate_keys_differing_only_in_nfd_are_an_error(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(f"독산1동: 1\n{unicodedata.normalize('NFD', '독산1동')}: 2\n", encoding="utf-8")
    with pytest.raises(InputError, match="written twice"):
        read_yaml(path)


def test_yaml_merge_keys_may_be_overridden(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("base: &b {a: 1, b: 2}\nthing:\n  <<: *b\n  a: 3\n", encoding="utf-8")
    assert read_yaml(path)["thing"] == {"a": 3, "b": 2}


# --- 4. text normalised to NFC; over-long text refused ------------------------------------


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_nfd_dong_and_departments_are_read_as_nfc(tmp_path, district):
    rows = staff_rows(12)
    rows[2][HEADER.index("preferred_dong")] = "독산1동"
    plain = load_staff(write_csv(tmp_path / "nfc.csv", rows), district)
    decomposed = [[nfd(c) for c in r] for r in rows]
    assert decomposed[1][2] != rows[1][2]
    from_mac = load_staff(write_csv(tmp_path / "nfd.csv", decomposed), district)
    assert from_mac == plain
    dongs = [d.id for d in district.dongs]
    assert own_dong(from_mac[0].department, dongs) == "독산1동"  # the own-동 rule still finds its 동
    assert from_mac[1].preferred_dong == "독산1동"
    xlsx = load_staff(write_xlsx(tmp_path / "nfd.xlsx", decomposed), district)
    assert xlsx == plain


def test_worker_ids_differing_only_in_nfc_are_one_person(tmp_path, district):
    rows = staff_rows(5)
    rows[1][0], rows[2][0] = "가W1", nfd("가W1")
    with pytest.raises(InputError) as info:
        load_staff(write_csv(tmp_path / "staff.csv", rows), district)
    assert "duplicate worker_id" in info.value.problem and info.value.row == 3


def test_nfd_district_files_and_scenario_load_as_nfc(project, presidential_inputs):
    for path in (project / DATA).iterdir():
        if path.suffix in (".csv", ".geojson"):
            path.write_text(nfd(path.read_text(encoding="utf-8-sig")), encoding="utf-8")
    scenario = project / PRESIDENTIAL
    scenario.write_text(nfd(scenario.read_text(encoding="utf-8")), encoding="utf-8")
    loaded = load_inputs(scenario)
    assert loaded.district == presidential_inputs.district
    assert loaded.scenario.election == presidential_inputs.scenario.election


@pytest.mark.parametrize(("column", "length"), [("name", 101), ("department", 101), ("worker_id", 65),
                                                ("experience", 501)])
def test_text_over_a_field_limit_is_refused_not_cut(tmp_path, district, column, length):
    rows = staff_rows(5)
    rows[4][HEADER.index(column)] = "가" * length
    with pytest.raises(InputError) as info:
        load_staff(write_csv(tmp_path / "staff.csv", rows), district)
    assert (info.value.row, info.value.column) == (5, column)
    assert f"{length:,} characters" in info.value.problem
    if column == "name":
        assert info.value.value is None


def test_text_over_the_spreadsheet_cell_limit_is_refused(tmp_path):
    rows = staff_rows(3)
    rows[2][HEADER.index("certifications")] = "a" * 40_000  # a column the pool would otherwise pass through
    with pytest.raises(InputError) as info:
        read_cells(write_csv(tmp_path / "staff.csv", rows))
    assert (info.value.row, info.value.column) == (3, "certifications")


def test_yaml_text_with_nul_or_too_long_is_refused(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text('id: "W\\0"\n', encoding="utf-8")
    with pytest.raises(InputError, match="control character"):
        read_yaml(path)
    path.write_text("title: " + "x" * 20_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="20,000 characters"):
        read_yaml(path)


# --- 5. every input error exits 2 -------------------------------------------------------


@pytest.mark.parametrize("change", [
    "election: {election_day: 9999-12-31}",
    "election: {early_days: [0001-01-01, 2022-03-05]}",
    "staff_changes: {seed: -1}",
    "staff_changes: {seed: 99999999999}",
    'id: "abc\\0def"',
    'title: "\\x07"',
    "seed: -5",
    "turnout_scale: 1e400",
])
def test_out_of_range_scenario_values_exit_2(project, change):
    scenario = _scenario(project, change + "\n")
    result = runner.invoke(app, ["demand", str(scenario)])
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output and "Traceback" not in result.output


def test_cli_refuses_a_device_as_staff_file(project, tmp_path):
    link = tmp_path / "staff.csv"
    link.symlink_to("/dev/zero")
    result = finishes(lambda: runner.invoke(app, ["solve", str(project / PRESIDENTIAL), "--staff", str(link),
                                                  "--out", str(tmp_path / "plan")]))
    assert result.exit_code == 2 and "character device" in result.output
    assert not (tmp_path / "plan").exists()


def test_generated_names_are_distinct():
    """The generated names are distinct and never a substring of each other (so a hit names one row)."""
    assert len(set(NAMES)) == len(NAMES) == 60
    assert not any(a != b and a in b for a in NAMES for b in NAMES)
