"""The staff pool: the seeded generator (staffgen) and the checked loader (io.staff)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from election_ops.domain import District, SiteKind, StaffKind
from election_ops.errors import InputError
from election_ops.geo import METRIC_CRS, to_metric
from election_ops.io.staff import STAFF_COLUMNS, load_staff
from election_ops.staffgen import STAFF_FRAME_COLUMNS, dong_polygons, generate_staff, write_staff_csv

POOL_SIZE = 1300
POOL_SEED = 2022
SECRET_NAME = "홍길동"  # a name that must never show up in an error message


@pytest.fixture(scope="module")
def district(presidential_inputs) -> District:
    """The shipped 금천구 district."""
    return presidential_inputs.district


@pytest.fixture(scope="module")
def boundaries(presidential_inputs) -> Path:
    """The 동 polygons the scenario names."""
    return presidential_inputs.scenario.data.boundaries


@pytest.fixture(scope="module")
def departments(repo_root: Path) -> Path:
    """The shipped department list (divisions only; 주민센터 are added per 동)."""
    return repo_root / "data" / "staff" / "departments.csv"


@pytest.fixture(scope="module")
def generate(district, boundaries, departments):
    """generate_staff with the shipped district and departments: call it with seed and size."""
    return lambda seed, size: generate_staff(district, boundaries, departments, seed=seed, size=size)


@pytest.fixture(scope="module")
def pool(generate) -> pd.DataFrame:
    """The pool the shipped CSV holds: seed 2022, 1,300 people."""
    return generate(POOL_SEED, POOL_SIZE)


def _has_role(frame: pd.DataFrame, role: str) -> pd.Series:
    return frame["experience"].str.split(";").apply(lambda roles: role in roles)


def _lead_counts(frame: pd.DataFrame) -> dict[str, int]:
    grade = frame["grade"].fillna(99)
    return {
        "manager_grade_le_6": int((_has_role(frame, "manager") & (grade <= 6)).sum()),
        "early_manager_grade_le_6": int((_has_role(frame, "early_manager") & (grade <= 6)).sum()),
        "count_lead_grade_5": int((_has_role(frame, "count_lead") & (grade == 5)).sum()),
        "sorter": int(frame["certifications"].str.contains("sorter").sum()),
    }


# --- generator --------------------------------------------------------------------------------


def test_same_seed_gives_the_same_pool(generate):
    pd.testing.assert_frame_equal(generate(7, 200), generate(7, 200))


def test_different_seeds_give_different_pools(generate):
    a, b = generate(1, 200), generate(2, 200)
    assert not a["name"].equals(b["name"])
    assert not a["home_lon"].equals(b["home_lon"])


@pytest.mark.parametrize("size, last_id", [(1, "W0001"), (37, "W0037"), (12345, "W12345")])
def test_pool_has_exactly_size_people_with_padded_ids(generate, size, last_id):
    frame = generate(3, size)
    assert len(frame) == size
    assert list(frame.columns) == list(STAFF_FRAME_COLUMNS)
    assert frame["worker_id"].iloc[-1] == last_id
    assert frame["worker_id"].is_unique


def test_shares_are_roughly_as_specified(pool):
    share = lambda mask: float(np.mean(mask))  # noqa: E731
    kinds = pool["staff_kind"]
    assert share(kinds == StaffKind.general) == pytest.approx(0.80, abs=0.04)
    assert share(kinds == StaffKind.public_service) == pytest.approx(0.12, abs=0.03)
    assert share(kinds == StaffKind.fixed_term) == pytest.approx(0.08, abs=0.03)
    graded = pool.loc[kinds == StaffKind.general, "grade"]
    assert graded.notna().all() and pool.loc[kinds != StaffKind.general, "grade"].isna().all()
    for grade, expected in {5: 0.04, 6: 0.22, 7: 0.30, 8: 0.26, 9: 0.18}.items():
        assert share(graded == grade) == pytest.approx(expected, abs=0.04), grade
    assert share(pool["experience"] == "") == pytest.approx(0.30, abs=0.05)
    assert share(pool["certifications"] != "") == pytest.approx(0.07, abs=0.025)
    assert share(pool["unavailable"] != "") == pytest.approx(0.08, abs=0.03)
    assert share(pool["preferred_dong"] != "") == pytest.approx(0.20, abs=0.04)
    assert share(pool["preferred_site_kind"] != "") == pytest.approx(0.10, abs=0.03)
    surnames = pool["name"].str[0]
    for surname, expected in {"김": 0.21, "이": 0.15, "박": 0.08}.items():
        assert share(surnames == surname) == pytest.approx(expected, abs=0.04), surname
    assert pool["name"].str.len().eq(3).all()


def test_values_are_ones_the_planner_knows(pool, district):
    dongs = {d.id for d in district.dongs}
    assert set(pool["preferred_dong"]) - {""} <= dongs
    assert set(pool["preferred_site_kind"]) - {""} <= {k.value for k in SiteKind}
    unavailable = {s for cell in pool["unavailable"] for s in cell.split(";") if s}
    assert unavailable <= {"early", "eday", "count"}
    assert {f"{d} 주민센터" for d in dongs} <= set(pool["department"])


@pytest.mark.parametrize("seed", [POOL_SEED, 1, 2])
def test_lead_and_sorter_minimums_hold_at_1300(generate, seed):
    counts = _lead_counts(generate(seed, POOL_SIZE))
    assert counts["manager_grade_le_6"] >= 110, counts
    assert counts["early_manager_grade_le_6"] >= 25, counts
    assert counts["count_lead_grade_5"] >= 6, counts
    assert counts["sorter"] >= 70, counts


def test_homes_are_inside_the_district_or_within_4_5_km(pool, district, boundaries):
    import shapely

    outline = dong_polygons(boundaries, district).union_all()
    x, y = to_metric(pool["home_lon"].to_numpy(), pool["home_lat"].to_numpy())
    distance = shapely.distance(outline, shapely.points(x, y))
    assert distance.max() <= 4500
    inside = distance == 0
    assert np.mean(inside) == pytest.approx(0.75, abs=0.04)
    assert distance[~inside].min() >= 290  # the ring starts 300 m out; rounding to 6 decimals moves < 0.1 m


def test_inside_homes_follow_the_electors(pool, district, boundaries):
    import geopandas as gpd

    polygons = dong_polygons(boundaries, district)
    homes = gpd.GeoSeries(gpd.points_from_xy(pool["home_lon"], pool["home_lat"]), crs=4326).to_crs(METRIC_CRS)
    counts = {dong: int(homes.within(polygon).sum()) for dong, polygon in polygons.items()}
    latest = max(p.election for p in district.precincts)
    electors = {d.id: 0 for d in district.dongs}
    for precinct in district.layout(latest):
        electors[precinct.dong] += precinct.registered_electors
    biggest, smallest = max(electors, key=electors.get), min(electors, key=electors.get)
    assert counts[biggest] > counts[smallest]


def test_departments_file_must_not_list_the_dong_centers(tmp_path, district, boundaries):
    path = tmp_path / "departments.csv"
    path.write_text("department,kind,size\n총무과,division,30\n독산1동 주민센터,dong_center,25\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        generate_staff(district, boundaries, path, seed=1, size=10)
    assert (caught.value.file, caught.value.row, caught.value.column) == (str(path), 3, "department")


# --- the shipped file ---------------------------------------------------------------------------


def test_shipped_csv_is_the_seeded_pool_and_loads(tmp_path, pool, repo_root, district):
    shipped = repo_root / "data" / "staff" / "geumcheon-2022.csv"
    fresh = tmp_path / "fresh.csv"
    write_staff_csv(pool, fresh)
    assert fresh.read_bytes() == shipped.read_bytes(), "regenerate it: python scripts/generate_staff.py"
    assert not shipped.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r" not in shipped.read_bytes()
    workers = load_staff(shipped, district)
    assert len(workers) == POOL_SIZE
    assert workers[1].experience and workers[0].grade == int(pool["grade"].iloc[0])


# --- loader -------------------------------------------------------------------------------------

HEADER = [c.name for c in STAFF_COLUMNS]
GOOD_ROW = {
    "worker_id": "W0001", "name": "김민수", "department": "총무과", "staff_kind": "일반직", "grade": "6",
    "home_lon": "126.9001", "home_lat": "37.4562", "experience": "manager;guide", "certifications": "sorter",
    "unavailable": "count", "preferred_dong": "독산1동", "preferred_site_kind": "polling",
}


def _write_csv(path: Path, rows: list[dict[str, str]], *, encoding: str = "utf-8", newline: str = "\n") -> Path:
    header = list(rows[0])
    lines = [",".join(header)] + [",".join(row[c] for c in header) for row in rows]
    path.write_bytes(newline.join(lines).encode(encoding) + newline.encode())
    return path


def _good(worker_id: str, **changes: str) -> dict[str, str]:
    return {**GOOD_ROW, "worker_id": worker_id, **changes}


def test_a_good_file_loads(tmp_path, district):
    rows = [_good("W0001"), _good("W0002", staff_kind="공무직", grade="", unavailable="early-1; eday")]
    first, second = load_staff(_write_csv(tmp_path / "staff.csv", rows), district)
    assert first.grade == 6 and first.experience == ("manager", "guide")
    assert first.preferred_site_kind is SiteKind.polling and first.preferred_dong == "독산1동"
    assert second.staff_kind is StaffKind.public_service and second.grade is None
    assert second.unavailable == ("early-1", "eday")


def test_optional_columns_may_be_absent(tmp_path, district):
    row = {k: GOOD_ROW[k] for k in ("worker_id", "name", "department", "grade", "home_lon", "home_lat")}
    (worker,) = load_staff(_write_csv(tmp_path / "staff.csv", [row]), district)
    assert worker.staff_kind is StaffKind.general and worker.first_timer
    assert worker.unavailable == () and worker.preferred_dong is None and worker.preferred_site_kind is None


def test_cp949_with_crlf_loads(tmp_path, district):
    rows = [_good("W0001"), _good("W0002", grade="7급", preferred_dong="독산제2동", preferred_site_kind="사전투표소")]
    path = _write_csv(tmp_path / "staff.csv", rows, encoding="cp949", newline="\r\n")
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\n" in path.read_bytes()
    first, second = load_staff(path, district)
    assert first.department == "총무과"
    assert second.grade == 7 and second.preferred_dong == "독산2동"  # the NEC's spelling maps to the 동 id
    assert second.preferred_site_kind is SiteKind.early


def test_grade_on_a_non_general_worker_is_kept(tmp_path, district):
    (worker,) = load_staff(_write_csv(tmp_path / "staff.csv", [_good("W0001", staff_kind="기간제", grade="8")]), district)
    assert worker.staff_kind is StaffKind.fixed_term and worker.grade == 8


BROKEN = [
    pytest.param({"worker_id": "W0001"}, "worker_id", id="duplicate worker_id"),
    pytest.param({"staff_kind": "정규직"}, "staff_kind", id="unknown staff_kind"),
    pytest.param({"grade": "10"}, "grade", id="grade above 9"),
    pytest.param({"grade": "0"}, "grade", id="grade below 1"),
    pytest.param({"grade": "주무관"}, "grade", id="grade not a number"),
    pytest.param({"grade": ""}, "grade", id="missing grade for 일반직"),
    pytest.param({"home_lon": "2.35", "home_lat": "48.85"}, "home_lon", id="home abroad"),
    pytest.param({"home_lat": "45.1"}, "home_lat", id="latitude outside Korea"),
    pytest.param({"home_lon": "37.4562", "home_lat": "126.9001"}, "home_lon", id="lon and lat swapped"),
    pytest.param({"home_lon": "동쪽"}, "home_lon", id="coordinate not a number"),
    pytest.param({"preferred_dong": "신림동"}, "preferred_dong", id="unknown preferred_dong"),
    pytest.param({"preferred_site_kind": "투표장"}, "preferred_site_kind", id="unknown preferred_site_kind"),
    pytest.param({"unavailable": "eday;night"}, "unavailable", id="unknown shift id"),
    pytest.param({"unavailable": "early-0"}, "unavailable", id="early day zero"),
    pytest.param({"name": ""}, "name", id="empty name"),
    pytest.param({"department": ""}, "department", id="empty department"),
]


@pytest.mark.parametrize("changes, column", BROKEN)
def test_a_broken_row_is_refused_with_file_row_and_column(tmp_path, district, changes, column):
    broken = {**_good("W0003", name=SECRET_NAME), **changes}
    rows = [_good("W0001", name=SECRET_NAME), _good("W0002"), broken]
    path = _write_csv(tmp_path / "staff.csv", rows)
    with pytest.raises(InputError) as caught:
        load_staff(path, district)
    err = caught.value
    assert (err.file, err.row, err.column) == (str(path), 4, column)
    assert err.fix
    assert SECRET_NAME not in str(err)  # personal data stays out of messages


def test_a_broken_xlsx_row_is_refused(tmp_path, district):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["W0001", SECRET_NAME, "총무과", "일반직", 6, 126.9, 37.45, "", "", "", "", ""])
    sheet.append(["W0002", SECRET_NAME, "총무과", "일반직", 7, 37.45, 126.9, "", "", "", "", ""])
    path = tmp_path / "staff.xlsx"
    book.save(path)
    with pytest.raises(InputError) as caught:
        load_staff(path, district)
    err = caught.value
    assert (err.file, err.row, err.column) == (str(path), 3, "home_lon")
    assert "swapped" in err.problem and SECRET_NAME not in str(err)


def test_a_good_xlsx_loads_numbers_from_cells(tmp_path, district):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["worker_id", "name", "department", "grade", "home_lon", "home_lat"])
    book.active.append(["W0001", "김민수", "총무과", 7, 126.9, 37.45])
    path = tmp_path / "staff.xlsx"
    book.save(path)
    (worker,) = load_staff(path, district)
    assert worker.grade == 7 and worker.home_lon == pytest.approx(126.9)


def test_an_empty_staff_table_is_refused(tmp_path, district):
    path = tmp_path / "staff.csv"
    path.write_text(",".join(HEADER) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="no rows"):
        load_staff(path, district)
