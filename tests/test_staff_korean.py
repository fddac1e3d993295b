"""The office's own staff list: Korean headers, homes as addresses or 동 names, the template."""

from __future__ import annotations

import csv
import json
import unicodedata
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from election_ops.cli import app
from election_ops.errors import InputError
from election_ops.io.geocode import PlaceError, gazetteer
from election_ops.io.staff import load_staff
from election_ops.io.staff_columns import staff_column

runner = CliRunner()
GEUMCHEON = "11545"


# --- placing homes ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "placed_by", "where"), [
    ("서울특별시 관악구 관악로 1 (신림동)", "dong", "서울특별시 관악구 신림동"),  # road address, 동 in parentheses
    ("서울특별시 금천구 시흥대로 73길 5 (독산동, 어떤아파트) 101동 1203호", "dong",  # 법정동: mean of 독산1동-4동
     "서울특별시 금천구 독산1동/독산2동/독산3동/독산4동"),
    ("서울 금천구 가산동 123-4", "dong", "서울특별시 금천구 가산동"),  # jibun address
    ("독산1동", "dong", "서울특별시 금천구 독산1동"),  # 행정동 name alone
    ("독산제1동", "dong", "서울특별시 금천구 독산1동"),  # the NEC's spelling
    ("관악구 중앙동", "dong", "서울특별시 관악구 중앙동"),  # a name found in 31 시군구, settled by its 시군구
    ("중앙동", "dong", "서울특별시 관악구 중앙동"),  # ... or by the plan's own district (관악구 here)
    ("경기도 수원시 장안구 정자동 1", "dong", "경기도 수원시장안구 정자1동/정자2동/정자3동"),
    ("세종특별자치시 한누리대로 2130 (보람동)", "dong", "세종특별자치시 세종시 보람동"),
    ("강원 정선군 정선읍 봉양리 1", "dong", "강원도 정선군 정선읍"),
    ("서울특별시 관악구 봉천동 123-4", "sigungu", "서울특별시 관악구"),  # 법정동 with no 행정동 of its stem
    ("서울특별시 금천구 시흥대로 73길 5", "sigungu", "서울특별시 금천구"),  # road address without its 동
    ("부산 중구", "sigungu", "부산광역시 중구"),
    ("수원시", "sigungu", "경기도 수원시"),  # a 시 with 일반구: the mean of its 구
])
def test_place(text, placed_by, where):
    home_unit = "11620" if "중앙동" in text else GEUMCHEON
    place = gazetteer().place(text, home_unit)
    assert (place.placed_by, place.where) == (placed_by, where)
    assert 124 < place.lon < 132 and 33 < place.lat < 39


def test_a_bare_name_prefers_the_plan_district_and_nfd_is_the_same_text():
    g = gazetteer()
    nfd = unicodedata.normalize("NFD", "독산1동")
    assert nfd != "독산1동"
    assert g.place(nfd, GEUMCHEON) == g.place("독산1동", GEUMCHEON)
    # 중구 alone: the one in the plan's 시도 (서울); with its 시도, the one named
    assert g.place("중구", GEUMCHEON).where == "서울특별시 중구"
    assert g.place("대구 중구", GEUMCHEON).where == "대구광역시 중구"
    # a 법정동 stem's points average to a point between its 행정동
    dongs = [g.place(f"독산{k}동", GEUMCHEON) for k in range(1, 5)]
    mean = g.place("금천구 독산동", GEUMCHEON)
    assert mean.lon == pytest.approx(sum(d.lon for d in dongs) / 4, abs=1e-6)


@pytest.mark.parametrize(("text", "problem"), [
    ("아무데나 1", "no 시군구 or 동"),
    ("봉천동", "no 행정동 or 법정동 named 봉천동"),  # 법정동 of 관악구 without its 시군구: not guessed
    ("중앙동", "중앙동 is in 31 시군구"),  # not in 금천구: ambiguous
    ("서울특별시", "names a 시도 but no 시군구"),
    ("부산광역시 관악구 신림동", "no 시군구 of that name in 부산광역시"),
])
def test_unplaceable(text, problem):
    with pytest.raises(PlaceError) as caught:
        gazetteer().place(text, GEUMCHEON)
    assert problem in caught.value.problem
    assert caught.value.fix


def test_the_national_table_covers_every_unit_and_dong(repo_root):
    with open(repo_root / "data" / "korea" / "admdong.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["adm_cd2", "sido", "sigungu", "emd", "lon", "lat"]
    assert sum(1 for r in rows if r["emd"]) == 3512
    assert sum(1 for r in rows if not r["emd"]) == 250
    assert all(124 < float(r["lon"]) < 132 and 33 < float(r["lat"]) < 39 for r in rows)
    geumcheon = {r["emd"] for r in rows if r["sigungu"] == "금천구"}
    assert {"가산동", "독산1동", "시흥5동"} <= geumcheon


# --- Korean headers ---------------------------------------------------------------------------

def test_header_aliases():
    assert staff_column("사번") == staff_column("직원번호") == staff_column("worker_id") == "worker_id"
    assert staff_column(" 불가근무 ") == staff_column("불가 근무") == "unavailable"
    assert staff_column(unicodedata.normalize("NFD", "직급")) == "grade"
    assert staff_column("Home_Lon") == "home_lon"
    assert staff_column("생년월일") is None


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    return path


def test_korean_headers_and_english_headers_read_the_same(tmp_path, presidential_inputs):
    district = presidential_inputs.district
    english = _write_csv(tmp_path / "en.csv",
                         ["worker_id", "name", "department", "staff_kind", "grade", "home_lon", "home_lat",
                          "experience", "unavailable", "preferred_dong"],
                         [["W1", "가", "총무과", "일반직", "7", "126.9", "37.46", "manager;guide", "count", "독산1동"]])
    korean = _write_csv(tmp_path / "ko.csv",
                        ["사번", "성명", "부서", "직종", "직급", "경도", "위도", "경력", "불가 근무", "희망 동", "연락처"],
                        [["W1", "가", "총무과", "일반직", "7급", "126.9", "37.46", "투표관리관;guide", "개표",
                          unicodedata.normalize("NFD", "독산1동"), "010-1234-5678"]])
    (en,), (ko,) = load_staff(english, district), load_staff(korean, district)
    assert ko.contact == "010-1234-5678" and en.contact is None
    assert ko.model_copy(update={"contact": None}) == en
    assert ko.home_placed_by == "coordinates" and not ko.commute_estimate


def test_an_unplaceable_home_names_the_row_and_value_not_the_name(tmp_path, presidential_inputs):
    path = _write_csv(tmp_path / "ko.csv", ["사번", "성명", "부서", "직급", "주소", "연락처"],
                      [["W1", "홍길동", "총무과", "7", "독산1동", "010-1"],
                       ["W2", "김비밀", "총무과", "7", "어딘가 모르는 곳", "010-9999-8888"]])
    with pytest.raises(InputError) as caught:
        load_staff(path, presidential_inputs.district)
    text = str(caught.value)
    assert "row 3" in text and "주소" in text and "어딘가 모르는 곳" in text
    assert "김비밀" not in text and "010-9999-8888" not in text and "홍길동" not in text
    # read without a district (validate), the home is not needed
    workers = load_staff(path, None)
    assert [w.home_placed_by for w in workers] == ["dong", "unplaced"]


def test_a_home_needs_an_address_or_both_coordinates(tmp_path, presidential_inputs):
    half = _write_csv(tmp_path / "half.csv", ["사번", "성명", "부서", "직급", "경도", "위도"],
                      [["W1", "가", "총무과", "7", "126.9", ""]])
    with pytest.raises(InputError, match="only one of the home's coordinates"):
        load_staff(half, presidential_inputs.district)
    none = _write_csv(tmp_path / "none.csv", ["사번", "성명", "부서", "직급", "주소"], [["W1", "가", "총무과", "7", ""]])
    with pytest.raises(InputError, match="the home is not given"):
        load_staff(none, presidential_inputs.district)
    neither = _write_csv(tmp_path / "neither.csv", ["사번", "성명", "부서", "직급"], [["W1", "가", "총무과", "7"]])
    with pytest.raises(InputError, match="no column gives the homes"):
        load_staff(neither, presidential_inputs.district)
    twice = _write_csv(tmp_path / "twice.csv", ["사번", "직원번호", "성명", "부서", "직급", "주소"],
                       [["W1", "W1", "가", "총무과", "7", "독산1동"]])
    with pytest.raises(InputError, match="'사번' and '직원번호' both mean 'worker_id'"):
        load_staff(twice, presidential_inputs.district)


# --- the template, filled in as an office would, solved end to end -----------------------------

KO_ROLE = {"manager": "투표관리관", "early_manager": "사전투표관리관", "count_lead": "개표사무총괄"}
KO_SHIFT = {"early": "사전투표", "eday": "선거일", "count": "개표", "early-1": "사전1일차", "early-2": "사전2일차"}
KO_KIND = {"polling": "투표소", "early": "사전투표소", "counting": "개표소"}


def _office_rows(repo_root: Path) -> tuple[list[list], dict[str, int]]:
    """The shipped synthetic pool rewritten as an office keeps it: 주소 instead of coordinates for most."""
    g = gazetteer()
    dongs = [a for a in g.emds if a.code.startswith(GEUMCHEON)]
    with open(repo_root / "data" / "staff" / "geumcheon-2022.csv", encoding="utf-8") as f:
        pool = list(csv.DictReader(f))
    rows, homes = [], {"coordinates": 0, "dong": 0, "sigungu": 0}
    for i, p in enumerate(pool):
        lon, lat = float(p["home_lon"]), float(p["home_lat"])
        near = min(dongs, key=lambda a: (a.lon - lon) ** 2 + (a.lat - lat) ** 2).emd
        legal = near.rstrip("동").rstrip("0123456789") + "동"  # 독산3동 -> 독산동 (법정동)
        kind = i % 6
        address, x, y = "", "", ""
        if kind == 0:
            x, y, how = p["home_lon"], p["home_lat"], "coordinates"
        elif kind == 1:
            address, how = near, "dong"  # 행정동 name alone
        elif kind == 2:
            address, how = f"서울특별시 금천구 시흥대로{i % 90 + 1}길 {i % 40 + 1} ({legal})", "dong"
        elif kind == 3:
            address, how = f"서울 금천구 {legal} {100 + i % 900}-{i % 9 + 1}", "dong"
        elif kind == 4:
            address, how = f"서울특별시 금천구 가산디지털{i % 2 + 1}로 {i % 200 + 1}", "sigungu"
        else:
            address, how = ("서울특별시 관악구 신림동" if i % 2 else "경기도 광명시 철산동 12"), "dong"
        homes[how] += 1
        grade = f"{p['grade']}급" if p["grade"] else ""
        experience = "; ".join(KO_ROLE.get(r, r) for r in p["experience"].split(";") if r)
        unavailable = "; ".join(KO_SHIFT[s] for s in p["unavailable"].split(";") if s)
        department = unicodedata.normalize("NFD", p["department"]) if i % 7 == 0 else p["department"]
        rows.append([p["worker_id"], p["name"], department, p["staff_kind"], grade, f"010-0000-{i:04d}", address,
                     float(x) if x else None, float(y) if y else None, experience, p["certifications"], unavailable,
                     p["preferred_dong"], KO_KIND.get(p["preferred_site_kind"], ""), ""])
    return rows, homes


def test_template_filled_by_an_office_solves_end_to_end(repo_root, tmp_path, presidential_scenario):
    template = tmp_path / "직원명단.xlsx"
    result = runner.invoke(app, ["staff", "template", "--out", str(template), "--scenario", str(presidential_scenario)])
    assert result.exit_code == 0, result.output
    book = load_workbook(template)
    assert book.sheetnames[:2] == ["직원명단", "작성요령"]
    sheet = book["직원명단"]
    header = [c.value for c in sheet[1]]
    assert header[:7] == ["사번", "성명", "부서", "직종", "직급", "연락처", "주소"]
    assert all(staff_column(h) for h in header)
    kinds = {str(dv.sqref).split(":")[0][0]: dv.formula1 for dv in sheet.data_validations.dataValidation
             if dv.type == "list"}
    assert "일반직" in kinds["D"] and "9급" in kinds["E"] and "사전투표소" in kinds["N"]
    assert sheet.max_row == 1  # the examples are on the 작성요령 sheet, never read as people

    rows, homes = _office_rows(repo_root)
    for row in rows:
        sheet.append(row)
    book.save(template)

    out = tmp_path / "plan"
    result = runner.invoke(app, ["solve", str(presidential_scenario), "--staff", str(template), "--out", str(out)])
    assert result.exit_code in (0, 3), result.output
    assert "010-0000" not in result.output  # contacts are never printed
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert {k: summary["homes"][k] for k in homes} == homes
    with open(out / "assignments.csv", encoding="utf-8") as f:
        assignments = list(csv.DictReader(f))
    assert list(assignments[0])[-1] == "commute_estimate"
    estimated = sum(a["commute_estimate"] == "true" for a in assignments)
    assert 0 < estimated < len(assignments)
    assert summary["homes"]["estimated_commutes"] == estimated
    roster = load_workbook(out / "roster.xlsx", read_only=True)
    cells = {c for row in roster["요약"].iter_rows(values_only=True) for c in row if isinstance(c, str)}
    assert "시군구 대표점만" in cells and "동 대표점" in cells
    person = list(roster["개인별"].iter_rows(values_only=True))
    assert person[0][-1] == "통근거리 기준"
    basis = {row[0]: row[-1] for row in person[1:]}
    assert {basis[a["worker_id"]].endswith("(추정)") for a in assignments} == {True, False}
    assert all(basis[a["worker_id"]].endswith("(추정)") == (a["commute_estimate"] == "true") for a in assignments)
    roster.close()
    # validate reads the same Korean list back (homes not needed there)
    result = runner.invoke(app, ["validate", str(out)])
    assert result.exit_code == 0, result.output


def test_solve_refuses_an_unplaceable_home_and_writes_nothing(tmp_path, presidential_scenario):
    staff = _write_csv(tmp_path / "staff.csv", ["사번", "성명", "부서", "직급", "주소"],
                       [["W1", "가", "총무과", "7", "독산1동"], ["W2", "나", "총무과", "7", "봉천동"]])
    out = tmp_path / "plan"
    result = runner.invoke(app, ["solve", str(presidential_scenario), "--staff", str(staff), "--out", str(out)])
    assert result.exit_code == 2
    assert "row 3" in result.output and "봉천동" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_template_refuses_a_non_xlsx_name(tmp_path):
    result = runner.invoke(app, ["staff", "template", "--out", str(tmp_path / "list.csv")])
    assert result.exit_code == 2 and ".xlsx" in result.output
    assert not (tmp_path / "list.csv").exists()
