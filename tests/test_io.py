"""Loaders: the shipped district loads, and every kind of broken input file is named precisely.

The broken-file tests follow the PyVRP style: one parametrized test, each case saying
which file to break, how, and what the InputError must say (file, row, column, value).
Rows are spreadsheet rows: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from election_ops.domain import SiteKind
from election_ops.errors import InputError
from election_ops.pipeline import load_inputs, plan_demand

DATA = Path("data/precincts/geumcheon")
PRESIDENTIAL = Path("scenarios/2022-presidential.yaml")


# --- the shipped data ------------------------------------------------------------------


def test_shipped_district_loads(presidential_inputs):
    district = presidential_inputs.district
    assert district.name == "금천구"
    assert len(district.dongs) == 10
    assert len(district.layout("2022-03-09")) == 61
    assert len(district.layout("2021-04-07")) == 60  # 독산1동 went from 8 to 9 precincts in 2022
    assert len(district.sites) == 72
    assert Counter(s.kind for s in district.sites) == {SiteKind.polling: 61, SiteKind.early: 10, SiteKind.counting: 1}


def test_precinct_ids_are_dong_and_number(presidential_inputs):
    district = presidential_inputs.district
    dongs = {d.id for d in district.dongs}
    for p in district.precincts:
        assert p.dong in dongs
        assert p.id == f"{p.dong}-{p.number}"
    # the 2022 split: 독산1동 has a 9th precinct at 2022-03-09 but not at 2021-04-07
    assert "독산1동-9" in {p.id for p in district.layout("2022-03-09")}
    assert "독산1동-9" not in {p.id for p in district.layout("2021-04-07")}


def test_every_site_lies_inside_its_own_dong(presidential_inputs, repo_root):
    import geopandas as gpd
    from shapely.geometry import Point

    boundaries = gpd.read_file(repo_root / DATA / "dongs.geojson").set_index("dong")
    assert boundaries.crs.to_epsg() == 4326
    outline = boundaries.union_all()
    for site in presidential_inputs.district.sites:
        point = Point(site.lon, site.lat)
        assert outline.contains(point), site.id
        assert boundaries.at[site.dong, "geometry"].contains(point), site.id


def test_sites_serve_the_2022_layout(presidential_inputs):
    district = presidential_inputs.district
    precincts = [p.id for p in district.layout("2022-03-09")]
    served = [p for s in district.sites if s.kind is SiteKind.polling for p in s.serves]
    assert sorted(served) == sorted(precincts)  # each precinct exactly once
    early = [s for s in district.sites if s.kind is SiteKind.early]
    assert sorted(d for s in early for d in s.serves) == sorted(d.id for d in district.dongs)
    (counting,) = [s for s in district.sites if s.kind is SiteKind.counting]
    assert counting.serves == ("*",)
    assert {s.location_source for s in district.sites} == {"approximate"}


def test_registers_match_the_nec_totals(presidential_inputs):
    district = presidential_inputs.district
    for election, total in (("2022-03-09", 208_786), ("2022-06-01", 212_879)):
        assert sum(p.registered_electors for p in district.layout(election)) == total
        assert district.election_record(election).registered_electors == total
        assert sum(d.registered_electors for d in district.dong_history if d.election == election) == total


def test_local_2022_figures_are_derived_and_add_up(presidential_inputs):
    """2022-06-01 has per-동 figures only: the precinct rows are spread from them (derived=True)."""
    district = presidential_inputs.district
    for p in district.precincts:
        assert p.derived is (p.election == "2022-06-01"), p
    for d in district.dong_history:
        assert d.derived is (d.election == "2022-06-01"), d
    local = district.layout("2022-06-01")
    assert len(local) == 61
    for dong in district.dongs:
        record = district.dong_record("2022-06-01", dong.id)
        mine = [p for p in local if p.dong == dong.id]
        assert sum(p.registered_electors for p in mine) == record.registered_electors
        assert sum(p.eday_votes for p in mine) == record.eday_votes


# --- how to break a file ---------------------------------------------------------------


def _rows(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def set_cell(row: int, column: str, value: str):
    """Write ``value`` into spreadsheet row ``row`` (header = 1) of ``column``."""

    def mutate(raw: bytes) -> bytes:
        rows = _rows(raw)
        rows[row - 1][rows[0].index(column)] = value
        return _csv(rows)

    return mutate


def rename_column(old: str, new: str):
    def mutate(raw: bytes) -> bytes:
        rows = _rows(raw)
        rows[0][rows[0].index(old)] = new
        return _csv(rows)

    return mutate


def drop_column(column: str):
    def mutate(raw: bytes) -> bytes:
        rows = _rows(raw)
        at = rows[0].index(column)
        return _csv([r[:at] + r[at + 1:] for r in rows])

    return mutate


def append_copy_of_row(row: int):
    def mutate(raw: bytes) -> bytes:
        rows = _rows(raw)
        return _csv(rows + [rows[row - 1]])

    return mutate


def swap_lon_lat(row: int):
    def mutate(raw: bytes) -> bytes:
        rows = _rows(raw)
        lon, lat = rows[0].index("lon"), rows[0].index("lat")
        rows[row - 1][lon], rows[row - 1][lat] = rows[row - 1][lat], rows[row - 1][lon]
        return _csv(rows)

    return mutate


def reencode(encoding: str, *, bom: bytes = b"", newline: str = "\n"):
    def mutate(raw: bytes) -> bytes:
        return bom + raw.decode("utf-8").replace("\n", newline).encode(encoding)

    return mutate


def thousands_separators(*columns: str):
    """Write every number of ``columns`` as Korean Excel shows it: 5223 -> "5,223"."""

    def mutate(raw: bytes) -> bytes:
        rows = _rows(raw)
        at = [rows[0].index(c) for c in columns]
        for r in rows[1:]:
            for i in at:
                if r[i]:
                    r[i] = f"{int(r[i]):,}"
        return _csv(rows)

    return mutate


def empty(raw: bytes) -> bytes:
    return b""


def _break(root: Path, file: str, mutate) -> None:
    path = root / DATA / file
    path.write_bytes(mutate(path.read_bytes()))


# --- broken files: one case per error class --------------------------------------------


@pytest.mark.parametrize(
    ("file", "mutate", "row", "column", "value", "problem", "fix"),
    [
        pytest.param("dongs.csv", drop_column("adm_cd2"), 1, "adm_cd2", None,
                     "missing column 'adm_cd2'", "add a column 'adm_cd2'", id="missing-column"),
        pytest.param("precinct_history.csv", rename_column("registered_electors", "registerd_electors"),
                     1, "registerd_electors", None, "unknown column", "rename it to 'registered_electors'",
                     id="unknown-column-suggests-close-match"),
        pytest.param("sites.csv", append_copy_of_row(3), 74, "site_id", "가산동-2",
                     "duplicate site_id (first seen in row 3)", "appear once", id="duplicate-id"),
        pytest.param("dong_history.csv", set_cell(4, "dong", "독산9동"), 4, "dong", "독산9동",
                     "unknown 동", "use one of the 동 in dongs.csv", id="unknown-dong"),
        pytest.param("precinct_history.csv", set_cell(3, "registered_electors", "-3415"), 3, "registered_electors",
                     "-3415", "negative count", "at least 0", id="negative-count"),
        pytest.param("elections.csv", set_cell(2, "total_votes", "155010.5"), 2, "total_votes", "155010.5",
                     "expected a whole number", "write a valid value", id="non-integer-count"),
        pytest.param("sites.csv", set_cell(3, "lon", "126.980364"), 3, "lon", "126.980364, 37.47564",
                     "outside the district", "not swapped", id="site-outside-district"),
        pytest.param("sites.csv", swap_lon_lat(3), 3, "lat", "126.884195",
                     "above the maximum 90", "latitude", id="lon-lat-swapped"),
        pytest.param("elections.csv", empty, None, None, None, "the file is empty", "add a header row",
                     id="empty-file"),
        pytest.param("dongs.csv", reencode("utf-16", newline="\r\n"), None, None, None,
                     "neither UTF-8 nor CP949", "CSV UTF-8", id="neither-utf8-nor-cp949"),
    ],
)
def test_broken_file_is_named_precisely(copy_district, file, mutate, row, column, value, problem, fix):
    _break(copy_district, file, mutate)
    with pytest.raises(InputError) as info:
        load_inputs(copy_district / PRESIDENTIAL)

    err = info.value
    assert Path(err.file).name == file
    assert (err.row, err.column, err.value) == (row, column, value)
    assert problem in err.problem
    assert fix in err.fix

    message = str(err)
    assert file in message
    assert (f"row {row}" in message) is (row is not None)
    if column is not None:
        assert f"column '{column}'" in message
    if value is not None:
        assert repr(value) in message
    assert "\n  fix: " in message


# --- files as Korean offices save them must load ---------------------------------------


@pytest.mark.parametrize(
    ("file", "mutate"),
    [
        pytest.param("dongs.csv", reencode("cp949"), id="cp949"),
        pytest.param("sites.csv", reencode("utf-8", bom=b"\xef\xbb\xbf", newline="\r\n"), id="utf8-bom-crlf"),
        pytest.param("precinct_history.csv",
                     thousands_separators("registered_electors", "eday_electors", "eday_votes"),
                     id="thousands-separators"),
    ],
)
def test_office_formats_load_to_the_same_district(copy_district, presidential_inputs, file, mutate):
    _break(copy_district, file, mutate)
    assert load_inputs(copy_district / PRESIDENTIAL).district == presidential_inputs.district


def test_thousands_separator_case_really_has_separators(copy_district):
    _break(copy_district, "precinct_history.csv", thousands_separators("registered_electors"))
    text = (copy_district / DATA / "precinct_history.csv").read_text(encoding="utf-8")
    assert '2022-03-09,가산동-1,가산동,1,가산동제1투,"5,223",' in text
    p = next(p for p in load_inputs(copy_district / PRESIDENTIAL).district.precincts
             if (p.election, p.id) == ("2022-03-09", "가산동-1"))
    assert p.registered_electors == 5223


# --- scenario and rules YAML -----------------------------------------------------------


def replace(old: str, new: str):
    def edit(text: str) -> str:
        assert old in text, f"stale test case: {old!r} is not in the file"
        return text.replace(old, new, 1)

    return edit


@pytest.mark.parametrize(
    ("edits", "load", "file", "column", "value", "problem", "fix"),
    [
        pytest.param({"2022-presidential.yaml": replace("rules: rules/presidential-2022.yaml\n", "")},
                     "2022-presidential.yaml", "2022-presidential.yaml", "rules", None,
                     "Field required", "add 'rules'", id="missing-key"),
        pytest.param({"2022-presidential.yaml": replace("turnout_scale: 1.0", "turnout_scal: 1.0")},
                     "2022-presidential.yaml", "2022-presidential.yaml", "turnout_scal", 1.0,
                     "unknown key", "spelling", id="unknown-key"),
        pytest.param({"rules/presidential-2022.yaml": replace("day: election_day, start: \"05:00\"",
                                                              "day: election_night, start: \"05:00\"")},
                     "2022-presidential.yaml", "presidential-2022.yaml", "shifts.1.day", "election_night",
                     "unknown day", "election_day, early_days", id="rules-shift-unknown-day"),
        pytest.param({"rules/presidential-2022.yaml": replace("role: guide, name: 안내·질서유지, shift: eday",
                                                              "role: guide, name: 안내·질서유지, shift: evening")},
                     "2022-presidential.yaml", "presidential-2022.yaml", "roles.3.shift", "evening",
                     "unknown shift", "count, early, eday", id="role-names-unknown-shift"),
        pytest.param({"what-if.yaml": "base: 2022-presidentail.yaml\nturnout_scale: 1.1\n"},
                     "what-if.yaml", "what-if.yaml", "base", "2022-presidentail.yaml",
                     "base scenario not found", "existing scenario file", id="base-does-not-exist"),
        pytest.param({"a.yaml": "base: b.yaml\n", "b.yaml": "base: a.yaml\n"},
                     "a.yaml", "a.yaml", "base", None, "cycle (a.yaml -> b.yaml -> a.yaml)", "remove one",
                     id="cycle-of-bases"),
    ],
)
def test_broken_yaml_is_named_precisely(copy_district, edits, load, file, column, value, problem, fix):
    folder = copy_district / "scenarios"
    for name, edit in edits.items():
        path = folder / name
        path.write_text(edit if isinstance(edit, str) else edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_inputs(folder / load)

    err = info.value
    assert Path(err.file).name == file
    assert (err.column, err.value) == (column, value)
    assert problem in err.problem
    assert fix in err.fix
    message = str(err)
    assert file in message and f"column '{column}'" in message and "\n  fix: " in message
    if value is not None:
        assert repr(value) in message


def test_base_scenario_changes_only_what_differs(copy_district, presidential_inputs):
    what_if = copy_district / "scenarios" / "what-if.yaml"
    what_if.write_text("base: 2022-presidential.yaml\nturnout_scale: 1.1\ncovid: false\n", encoding="utf-8")
    scenario = load_inputs(what_if).scenario
    base = presidential_inputs.scenario
    assert scenario.id == "what-if" and scenario.title == ""
    assert (scenario.turnout_scale, scenario.covid) == (1.1, False)
    assert scenario.election == base.election
    assert scenario.register_election == base.register_election
    assert scenario.data.sites.resolve() == (copy_district / DATA / "sites.csv").resolve()


# --- once-known defects, now fixed -----------------------------------------------------


def test_swapped_lon_lat_fix_mentions_the_swap(copy_district):
    _break(copy_district, "sites.csv", swap_lon_lat(3))
    with pytest.raises(InputError) as info:
        load_inputs(copy_district / PRESIDENTIAL)
    assert "swap" in info.value.fix


def test_unknown_register_election_is_blamed_on_the_scenario(copy_district):
    what_if = copy_district / "scenarios" / "what-if.yaml"
    what_if.write_text("base: 2022-presidential.yaml\nregister_election: 2022-03-10\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        plan_demand(load_inputs(what_if))
    assert Path(info.value.file).name == "what-if.yaml"
    assert info.value.column == "register_election"


@pytest.mark.parametrize("early_days", ["[]", "[2022-03-10, 2022-03-11]"], ids=["none", "after-election-day"])
def test_early_days_are_checked(copy_district, early_days):
    what_if = copy_district / "scenarios" / "what-if.yaml"
    what_if.write_text(f"base: 2022-presidential.yaml\nelection: {{early_days: {early_days}}}\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        plan_demand(load_inputs(what_if))
    assert info.value.column == "election.early_days"


def test_unordered_early_days_read_plainly_and_exit_2(copy_district, tmp_path):
    from typer.testing import CliRunner

    from election_ops.cli import app

    what_if = copy_district / "scenarios" / "what-if.yaml"
    what_if.write_text("base: 2022-presidential.yaml\nelection: {early_days: [2022-03-05, 2022-03-04]}\n",
                       encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_inputs(what_if)
    err = info.value
    assert err.column == "election.early_days" and err.exit_code == 2
    assert "increasing order" in err.problem and "Value error" not in str(err)

    result = CliRunner().invoke(app, ["demand", str(what_if), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "election.early_days" in result.output and "Traceback" not in result.output


# --- rough edges -----------------------------------------------------------------------


def test_paths_in_messages_have_no_dot_dot(copy_district):
    scenario = load_inputs(copy_district / PRESIDENTIAL).scenario
    for path in (*scenario.input_files().values(), scenario.data.sites):
        assert isinstance(path, Path) and ".." not in path.parts, path
    _break(copy_district, "sites.csv", set_cell(3, "lat", "91"))
    with pytest.raises(InputError) as info:
        load_inputs(copy_district / PRESIDENTIAL)
    assert ".." not in Path(info.value.file).parts
    assert info.value.file.endswith(str(DATA / "sites.csv"))


def test_unknown_column_suggestion_ignores_case(copy_district):
    _break(copy_district, "dongs.csv", rename_column("adm_cd2", "ADM_CD2"))
    with pytest.raises(InputError) as info:
        load_inputs(copy_district / PRESIDENTIAL)
    assert info.value.column == "ADM_CD2"
    assert info.value.fix == "rename it to 'adm_cd2'"


def add_blank_columns(n: int, *, data_row: int | None = None, value: str = ""):
    """Append ``n`` columns with blank headers, as Excel writes them; put ``value`` in ``data_row`` of the last."""

    def mutate(raw: bytes) -> bytes:
        rows = _rows(raw)
        for r in rows:
            r.extend([""] * n)
        if data_row is not None:
            rows[data_row - 1][-1] = value
        return _csv(rows)

    return mutate


def test_blank_trailing_header_cells_are_ignored(copy_district, presidential_inputs):
    _break(copy_district, "sites.csv", add_blank_columns(2))
    assert (copy_district / DATA / "sites.csv").read_text(encoding="utf-8").splitlines()[0].endswith("entrances,,")
    assert load_inputs(copy_district / PRESIDENTIAL).district == presidential_inputs.district


def test_blank_header_over_data_is_an_error(copy_district):
    _break(copy_district, "sites.csv", add_blank_columns(2, data_row=5, value="메모"))
    with pytest.raises(InputError) as info:
        load_inputs(copy_district / PRESIDENTIAL)
    err = info.value
    assert Path(err.file).name == "sites.csv" and err.row == 5 and err.column == "column 11"
    assert "column 11 has no header" in err.problem


def test_layout_error_names_the_site(copy_district):
    """독산1동-9 was created in 2022: against the 2021 register its station serves a precinct that did not exist."""
    what_if = copy_district / "scenarios" / "what-if.yaml"
    what_if.write_text("base: 2022-presidential.yaml\nregister_election: 2021-04-07\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        plan_demand(load_inputs(what_if))
    err = info.value
    assert Path(err.file).name == "sites.csv"
    assert (err.column, err.value) == ("serves", "독산1동-9")
    assert err.problem.startswith("site 독산1동-9 serves ")
