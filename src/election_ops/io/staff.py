"""Load the staff pool (인력풀): one row per person who may be assigned to a site.

Headers may be English (worker_id, ...) or Korean as an office writes them (사번, 성명,
직급, 주소, ...: io/staff_columns.py). A home is given as 경도/위도 (home_lon, home_lat) or
as an address or 동 name, placed through the national 행정동 table (io/geocode.py).

Personal data: no error message here ever carries a person's name or contact; worker_id
and the row number identify the row.
"""

from __future__ import annotations

import gc
import re
from contextlib import contextmanager
from pathlib import Path

from pydantic import ValidationError

from ..domain import SITE_KIND_KO, District, SiteKind, StaffKind, Worker
from ..errors import InputError, did_you_mean
from . import staff_columns as ko
from .geocode import PlaceError, gazetteer, unit_of_codes
from .tables import Column, Table, read_table

KOREA_LON = (124.0, 132.0)
KOREA_LAT = (33.0, 39.0)
SHIFT_ID = re.compile(r"early|eday|count|early-[1-9][0-9]*")
GRADE_TEXT = re.compile(r"([0-9]+)(?:\.0+)?\s*급?")  # 7, 7급, 7.0 (a number Excel stored as text)
PERSONAL_COLUMNS = ("name", "contact")
MAX_ID = 64  # characters in a worker id
MAX_NAME = 100  # characters in a name or a department
SITE_KIND_NAMES = {**{k.value: k for k in SiteKind}, **{ko: k for k, ko in SITE_KIND_KO.items()}}

STAFF_COLUMNS = [
    Column("worker_id", hint="(a unique id per person, e.g. W0423)", max_length=MAX_ID),
    Column("name", hint="(the person's name)", max_length=MAX_NAME, personal=True),
    Column("department", hint="(e.g. 마을자치과 or 독산1동 주민센터)", max_length=MAX_NAME),
    Column("staff_kind", required=False, choices=tuple(k.value for k in StaffKind),
           hint="(일반직, 공무직 or 기간제; empty means 일반직)"),
    Column("grade", required=False, nullable=True, hint="(1-9 for 일반직, e.g. 7 or 7급; may be empty for 공무직 and 기간제)"),
    Column("home_lon", float, required=False, nullable=True,
           hint="(경도: WGS84 longitude of the home, about 124-132 in Korea; or give the 주소)"),
    Column("home_lat", float, required=False, nullable=True,
           hint="(위도: WGS84 latitude of the home, about 33-39 in Korea; or give the 주소)"),
    Column("experience", required=False, hint="(role ids held in past elections, separated by ;, e.g. manager;guide)"),
    Column("certifications", required=False, hint="(separated by ;, e.g. sorter)"),
    Column("unavailable", required=False, hint="(shift ids separated by ;: early, early-1, early-2, eday, count)"),
    Column("preferred_dong", required=False, nullable=True, hint="(a 동 of the district, e.g. 독산1동)"),
    Column("preferred_site_kind", required=False, nullable=True,
           hint="(polling, early or counting; or 투표소, 사전투표소, 개표소)"),
    # the office's own list (the Korean template): homes as text, a contact, a note
    Column("address", required=False, nullable=True, max_length=300,
           hint="(주소: e.g. 서울특별시 관악구 관악로 1 (봉천동), 관악구 신림동, or 독산1동)"),
    Column("contact", required=False, nullable=True, hint="(연락처, optional)", max_length=MAX_NAME, personal=True),
    Column("note", required=False, nullable=True, hint="(비고: free text, not read)", personal=True),
]


def load_staff(path: Path, district: District | None, *, shift_ids: set[str] | None = None) -> tuple[Worker, ...]:
    """Read and check a staff pool (CSV or .xlsx) against the district's 동 and the election's shifts.

    ``district=None`` skips the checks that need the district (``preferred_dong`` is kept
    as written): ``validate`` re-reads a pool that way, from a plan's files alone.
    ``shift_ids`` (``references.shift_ids``) are the ids ``unavailable`` may name; ``None``
    checks only their form.
    """
    with _collector_paused():
        table = read_table(path, STAFF_COLUMNS, key=("worker_id",), what="staff table", header_alias=ko.staff_column)
        if not table.rows:
            raise InputError(path, "the staff table has no rows", fix="add one row per person")
        if not ({"address", "home_lon"} & set(table.columns)):
            raise InputError(path, "no column gives the homes", row=1, column="address",
                             fix="add a column '주소' (an address or 동 name) or 'home_lon' and 'home_lat' (경도, 위도)")
        dong_ids = _dong_aliases(district) if district is not None else None
        home_unit = unit_of_codes([d.code for d in district.dongs]) if district is not None else None
        return tuple(_worker(table, row, r, dong_ids, shift_ids, district is not None, home_unit) for row, r in table)


@contextmanager
def _collector_paused():
    """A pool of 200,000 people is millions of small objects that hold no cycles; Python's cycle collector
    would rescan them again and again while they are made (half the reading time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _dong_aliases(district: District) -> dict[str, str]:
    """동 ids by every name a file may use: the common name (독산1동) or the NEC's (독산제1동)."""
    aliases = {d.nec_name: d.id for d in district.dongs}
    aliases.update({d.id: d.id for d in district.dongs})
    return aliases


def _worker(table: Table, row: int, r: dict, dong_ids: dict[str, str] | None, shift_ids: set[str] | None,
            place: bool, home_unit: str | None) -> Worker:
    r = {k: ko.nfc(v) if isinstance(v, str) else v for k, v in r.items()}  # a Mac's NFD 독산1동 is 독산1동
    kind = StaffKind(r["staff_kind"]) if r["staff_kind"] else StaffKind.general
    grade = _grade(table, row, r["grade"], kind)
    lon, lat, placed_by = _home(table, row, r, place, home_unit)
    fields = {
        "id": r["worker_id"], "name": r["name"], "department": r["department"], "staff_kind": kind, "grade": grade,
        "home_lon": lon, "home_lat": lat, "home_placed_by": placed_by, "contact": r["contact"],
        "experience": tuple(dict.fromkeys(i for item in _items(r["experience"]) for i in ko.role_ids(item))),
        "certifications": tuple(dict.fromkeys(ko.certification_id(i) for i in _items(r["certifications"]))),
        "unavailable": _shifts(table, row, r["unavailable"], shift_ids),
        "preferred_dong": _preferred_dong(table, row, r["preferred_dong"], dong_ids),
        "preferred_site_kind": _preferred_site_kind(table, row, r["preferred_site_kind"]),
    }
    try:
        return Worker(**fields)
    except ValidationError as exc:  # a backstop: the checks above should have caught it
        err = exc.errors()[0]
        column = str(err["loc"][0]) if err["loc"] else None
        value = None if column in PERSONAL_COLUMNS else err.get("input")
        raise table.error(row, column, value, err["msg"], "correct the value") from None


def _items(text: str | None) -> tuple[str, ...]:
    """``a; b;;a`` -> ("a", "b"): split on ;, trim, drop blanks and repeats."""
    if not text:
        return ()
    parts = (p.strip() for p in text.split(";"))
    return tuple(dict.fromkeys(p for p in parts if p))


def _grade(table: Table, row: int, text: str | None, kind: StaffKind) -> int | None:
    if not text:
        if kind is StaffKind.general:
            raise table.error(row, "grade", None, "일반직 staff need a grade",
                              "write the grade, 1-9 (e.g. 7 or 7급), or set staff_kind to 공무직 or 기간제")
        return None
    match = GRADE_TEXT.fullmatch(text)
    grade = int(match.group(1)) if match else None
    if grade is None or not 1 <= grade <= 9:
        raise table.error(row, "grade", text, "not a grade from 1 to 9",
                          "write 1-9 (9급 is the most junior), e.g. 7 or 7급")
    return grade  # a grade on 공무직 or 기간제 is kept: some offices record one


def _home(table: Table, row: int, r: dict, place: bool, home_unit: str | None) -> tuple[float, float, str]:
    """(lon, lat, how it was placed): 경도/위도 when given, else the 주소 through the 행정동 table."""
    lon, lat, address = r["home_lon"], r["home_lat"], r["address"]
    if lon is not None or lat is not None:
        if lon is None or lat is None:
            missing = "home_lon" if lon is None else "home_lat"
            raise table.error(row, missing, None, "only one of the home's coordinates is given",
                              "write both 경도 and 위도 (home_lon, home_lat), or neither and the 주소")
        _check_home(table, row, lon, lat)
        return lon, lat, "coordinates"
    if not address:
        raise table.error(row, "address", None, "the home is not given",
                          "write the 주소 (an address or a 동 name, e.g. 관악구 신림동), or 경도 and 위도")
    try:
        found = gazetteer().place(address, home_unit)
    except PlaceError as exc:
        if not place:  # read without a district (validate): the home is not needed
            return float("nan"), float("nan"), "unplaced"
        raise table.error(row, "address", address, f"cannot place the home: {exc.problem}", exc.fix) from None
    return found.lon, found.lat, found.placed_by


def _in_korea(lon: float, lat: float) -> bool:
    return KOREA_LON[0] <= lon <= KOREA_LON[1] and KOREA_LAT[0] <= lat <= KOREA_LAT[1]


def _check_home(table: Table, row: int, lon: float, lat: float) -> None:
    if _in_korea(lon, lat):
        return
    if _in_korea(lat, lon):
        raise table.error(row, "home_lon", f"{lon}, {lat}", "home_lon and home_lat look swapped",
                          "swap them: longitude is about 124-132 and latitude about 33-39 in Korea")
    column, value = ("home_lon", lon) if not KOREA_LON[0] <= lon <= KOREA_LON[1] else ("home_lat", lat)
    raise table.error(row, column, value, "home is not in Korea",
                      "write WGS84 degrees (longitude about 124-132, latitude about 33-39), not metres")


def _shifts(table: Table, row: int, text: str | None, known: set[str] | None) -> tuple[str, ...]:
    shifts = tuple(dict.fromkeys(ko.shift_id(s) for s in _items(text)))  # 선거일 -> eday
    for shift in shifts:
        if not SHIFT_ID.fullmatch(shift) or (known is not None and shift not in known):
            close = did_you_mean(shift, known or ("early", "early-1", "early-2", "eday", "count"))
            raise table.error(row, "unavailable", shift, "unknown shift id",
                              f"{close} (shift ids are early for both early-voting days, early-1, early-2, eday "
                              "and count, separated by ;; or 사전투표, 사전1일차, 사전2일차, 선거일, 개표)")
    return shifts


def _preferred_dong(table: Table, row: int, text: str | None, dong_ids: dict[str, str] | None) -> str | None:
    if not text:
        return None
    if dong_ids is None:  # no district to check against
        return text
    if text not in dong_ids:
        raise table.error(row, "preferred_dong", text, "not a 동 of the district",
                          f"{did_you_mean(text, set(dong_ids.values()))} (or leave it empty)")
    return dong_ids[text]


def _preferred_site_kind(table: Table, row: int, text: str | None) -> SiteKind | None:
    if not text:
        return None
    if text not in SITE_KIND_NAMES:
        raise table.error(row, "preferred_site_kind", text, "unknown site kind",
                          f"use one of: {', '.join(SITE_KIND_NAMES)}, or leave it empty")
    return SITE_KIND_NAMES[text]
