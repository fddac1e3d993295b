"""district list / init: every count unit from the national tables, checked against the NEC's figures."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from election_ops.cli import app
from election_ops.districts import init_unit, list_units, resolve_unit
from election_ops.districts.korea import unit_outline
from election_ops.errors import UsageError

runner = CliRunner()


def test_list_has_the_250_units_and_the_national_register():
    units = list_units()
    assert len(units) == 250
    assert len({u.code for u in units}) == 250
    assert sum(u.registered_electors for u in units) == 44_197_692  # NEC's published national total
    assert sum(u.precincts for u in units) == 14_464
    assert sum(u.emd for u in units) == 3_510


def test_list_csv_columns_and_sido_filter():
    result = runner.invoke(app, ["district", "list", "--sido", "서울", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["code", "sido", "sigungu", "precincts", "emd", "registered_electors"]
    assert len(rows) == 25
    gwanak = next(r for r in rows if r["sigungu"] == "관악구")
    assert gwanak == {"code": "11620", "sido": "서울특별시", "sigungu": "관악구", "precincts": "102", "emd": "21",
                      "registered_electors": "446161"}


@pytest.mark.parametrize("text", ["11620", "서울특별시 관악구", "관악구", "서울 관악구", "서울특별시관악구"])
def test_unit_names_resolve(text):
    assert resolve_unit(text).code == "11620"


def test_ambiguous_and_unknown_units_list_close_matches(tmp_path):
    with pytest.raises(UsageError, match="ambiguous.*서울특별시 중구 \\(11140\\)"):
        resolve_unit("중구")
    result = runner.invoke(app, ["district", "init", "관악", "--out", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "close matches: 서울특별시 관악구 (11620)" in result.output
    assert not (tmp_path / "x").exists()


def test_init_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = runner.invoke(app, ["district", "init", "11620", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def check_unit_folder(code: str, scenario: Path) -> None:
    """The folder's data equal the NEC's figures for the unit, and every station lies in its outline."""
    import geopandas as gpd
    from shapely.geometry import Point

    info = resolve_unit(code)
    data = scenario.parent.parent / "data" / "precincts" / code
    precincts = pd.read_csv(data / "precinct_history.csv")
    sites = pd.read_csv(data / "sites.csv")
    dongs = pd.read_csv(data / "dongs.csv")
    assert len(precincts) == info.precincts
    assert precincts["registered_electors"].sum() == info.registered_electors
    assert len(dongs) == info.emd
    polling = sites[sites["site_kind"] == "polling"]
    assert sorted(polling["serves"]) == sorted(precincts["precinct_id"])  # exactly its precincts, one station each
    early = sites[sites["site_kind"] == "early"]
    assert sorted(early["serves"]) == sorted(dongs["dong"])  # one early-voting station per 읍면동
    assert (sites["site_kind"] == "counting").sum() == 1
    assert set(sites["location_source"]) == {"approximate"}
    outline = gpd.GeoSeries([unit_outline(code)], crs=4326).to_crs(5179).iloc[0].buffer(1.0)
    points = gpd.GeoSeries(gpd.points_from_xy(sites["lon"], sites["lat"]), crs=4326).to_crs(5179)
    outside = [sid for sid, p in zip(sites["site_id"], points) if not outline.contains(Point(p.x, p.y))]
    assert outside == []


def solve_and_validate(scenario: Path, out: Path) -> None:
    result = runner.invoke(app, ["solve", str(scenario), "--out", str(out), "--time-limit", "60"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["validate", str(out)])
    assert result.exit_code == 0, result.output


def test_init_solve_validate_a_rural_gun(tmp_path):
    """강원 정선군: 9 읍면 over ~1,200 km², long commutes; the synthetic pool still covers every post."""
    result = runner.invoke(app, ["district", "init", "정선군", "--out", str(tmp_path / "u")])
    assert result.exit_code == 0, result.output
    scenario = tmp_path / "u" / "scenarios" / "2022-presidential.yaml"
    check_unit_folder("42770", scenario)
    assert "금천구" in (tmp_path / "u" / "scenarios" / "rules" / "presidential-2022.yaml").read_text()
    staff = pd.read_csv(tmp_path / "u" / "data" / "staff" / "synthetic-staff.csv")
    departments = set(staff["department"])
    assert "정선읍 주민센터" in departments and not any("독산" in d or "가산" in d for d in departments)
    solve_and_validate(scenario, tmp_path / "plan")


def test_init_is_deterministic(tmp_path):
    a, b = init_unit("42770", tmp_path / "a"), init_unit("42770", tmp_path / "b")
    for rel in ("data/precincts/42770/sites.csv", "data/staff/synthetic-staff.csv", "scenarios/2022-presidential.yaml"):
        assert (a.parent.parent / rel).read_bytes() == (b.parent.parent / rel).read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("unit, code", [
    ("수원시장안구", "41111"),        # a 시 counted per 일반구
    ("세종특별자치시", "36110"),      # 읍, 면 and 동 in one unit, 동 without polygons (해밀동, 반곡동)
    ("제주특별자치도 제주시", "50110"),  # islands
    ("경주시", "47130"),              # 경상북도: KOSTAT 2018 polygons only; 문무대왕면 has none
    ("신안군", "46910"),              # 전라남도, a county of islands
    ("서울특별시 강동구", "11740"),     # 상일제1동/상일제2동 without polygon
])
def test_init_solve_validate_hard_units(tmp_path, unit, code):
    scenario = init_unit(unit, tmp_path / "u")
    check_unit_folder(code, scenario)
    solve_and_validate(scenario, tmp_path / "plan")


def test_dong_without_polygon_gets_its_stations_near_its_point(tmp_path):
    """서울 강동구 상일제1동 has no polygon in either source: its stations stay in the unit, near its point."""
    import geopandas as gpd

    from election_ops.districts.korea import dongs_table

    scenario = init_unit("11740", tmp_path / "u")
    sites = pd.read_csv(scenario.parent.parent / "data" / "precincts" / "11740" / "sites.csv")
    row = dongs_table().query("code == '11740' and dong == '상일제1동'").iloc[0]
    mine = sites[sites["dong"] == "상일제1동"]
    assert len(mine) >= 2
    points = gpd.GeoSeries(gpd.points_from_xy(mine["lon"], mine["lat"]), crs=4326).to_crs(5179)
    centre = gpd.GeoSeries(gpd.points_from_xy([row["lon"]], [row["lat"]]), crs=4326).to_crs(5179).iloc[0]
    assert max(p.distance(centre) for p in points) < 1500


# --- the one derivation: 금천구 rebuilt through the same library code ---------------------------


def test_geumcheon_files_rebuild_through_the_generic_builder(tmp_path, repo_root):
    """The library that writes every unit's folder rewrites 금천구's shipped files: five byte for byte, and the
    stations to within 2e-6 degrees (its KOSTAT points come here through data/korea's rounded lon/lat)."""
    import geopandas as gpd

    from election_ops.districts.build import CountingSite, DistrictTables, write_district_folder
    from election_ops.districts.korea import dongs_table
    from election_ops.geo import to_metric

    src = repo_root / "data" / "precincts" / "geumcheon"
    dongs = pd.read_csv(src / "dongs.csv", dtype={"adm_cd2": str, "nec_code": str})
    national = dongs_table().set_index("adm_cd2").loc[dongs["adm_cd2"]]
    xs, ys = to_metric(national["lon"].to_numpy(), national["lat"].to_numpy())
    precincts = pd.read_csv(src / "precinct_history.csv", dtype=str)
    precincts[["number", "registered_electors"]] = precincts[["number", "registered_electors"]].astype(int)
    tables = DistrictTables(
        dongs=dongs, precincts=precincts, dong_history=pd.read_csv(src / "dong_history.csv", dtype=str),
        elections=pd.read_csv(src / "elections.csv", dtype=str), boundaries=gpd.read_file(src / "dongs.geojson"),
        register_election="2022-03-09", points={d: (float(x), float(y)) for d, x, y in zip(dongs["dong"], xs, ys)},
        counting=CountingSite(name="금나래문화체육센터", dong="독산1동"))
    write_district_folder(tables, tmp_path)
    for name in ("dongs.csv", "precinct_history.csv", "dong_history.csv", "elections.csv", "dongs.geojson"):
        assert (tmp_path / name).read_bytes() == (src / name).read_bytes(), name
    shipped, rebuilt = pd.read_csv(src / "sites.csv"), pd.read_csv(tmp_path / "sites.csv")
    assert shipped.drop(columns=["lon", "lat"]).equals(rebuilt.drop(columns=["lon", "lat"]))
    assert (shipped[["lon", "lat"]] - rebuilt[["lon", "lat"]]).abs().max().max() <= 2e-6


# --- station placement ----------------------------------------------------------------------------


def test_stations_spread_around_the_centre_inside_the_region():
    from shapely.geometry import Point, box

    from election_ops.districts.placement import place_stations

    region = box(0, 0, 4000, 500)  # a long thin 동: a disc around the centre leaves it
    centre = Point(3800, 250)
    points = place_stations(region, centre, [3000, 2500, 4000, 1000, 3500])
    assert len(points) == 5 and len(set(points)) == 5
    assert all(region.contains(Point(p)) for p in points)
    assert max(Point(p).distance(centre) for p in points) <= 0.5 * (region.area / 3.14159) ** 0.5 + 1
    assert points == place_stations(region, centre, [3000, 2500, 4000, 1000, 3500])  # deterministic
    assert place_stations(region, centre, [5000]) == [(3800.0, 250.0)]  # one precinct: at the centre


def test_bigger_precincts_sit_further_out_on_the_spiral():
    from shapely.geometry import Point, box

    from election_ops.districts.placement import place_stations

    region, centre = box(-5000, -5000, 5000, 5000), Point(0, 0)
    even = place_stations(region, centre, [1, 1, 1, 1])
    skewed = place_stations(region, centre, [1, 1, 1, 20])
    assert Point(skewed[2]).distance(centre) < Point(even[2]).distance(centre)


# --- staff generate: no silent 금천구 default ---------------------------------------------------------


def test_staff_generate_needs_a_district(tmp_path):
    result = runner.invoke(app, ["staff", "generate", "--out", str(tmp_path / "pool.csv")])
    assert result.exit_code == 2
    assert "--scenario FILE or --district UNIT" in result.output
    assert not (tmp_path / "pool.csv").exists()


def test_staff_generate_for_a_unit_is_sized_for_its_demand(tmp_path):
    out = tmp_path / "pool.csv"
    result = runner.invoke(app, ["staff", "generate", "--district", "42770", "--out", str(out)])
    assert result.exit_code == 0, result.output
    pool = pd.read_csv(out)
    assert 352 * 1.6 <= len(pool) <= 352 * 1.6 * 3  # 정선군 needs 352 posts
    assert "기획예산과" in set(pool["department"]) and "주차관리과" not in set(pool["department"])
