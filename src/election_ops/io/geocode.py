"""Place a home given as a 동 name or an address, anywhere in Korea, without a geocoding service.

The national 행정동 table (``data/korea/admdong.csv``, from ``scripts/derive_admdong.py``)
gives a representative point for every 행정동 and 시군구 of 2022. From an address we take
what it names and nothing finer:

- its 시도 and 시군구 (``서울특별시 관악구``, ``서울 관악구``, ``수원시 장안구``);
- its 동: a 행정동 or 법정동 token (``봉천동 123-4``, a jibun address) or the one a road
  address carries in parentheses (``관악로 1 (봉천동)``); 읍 and 면 likewise.

A 행정동 name gives that 행정동's point. A 법정동 name that is not also a 행정동 (독산동
in 금천구) gives the mean point of the 행정동 whose names share its stem (독산1동-독산4동);
a 법정동 with no such 행정동 (봉천동 in 관악구: its 행정동 were renamed in 2008) falls back
to the 시군구's point. A road address without its 동 gives the 시군구's point. A bare name
found in several places means the one in the plan's own district, else it is ambiguous.
Every placed home says how it was placed: ``dong`` or ``sigungu`` (coarse: commutes from it
are estimates).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ADMDONG_CSV = Path(__file__).resolve().parents[3] / "data" / "korea" / "admdong.csv"

SIDO_SHORT = {
    "서울": "서울특별시", "부산": "부산광역시", "대구": "대구광역시", "인천": "인천광역시", "광주": "광주광역시",
    "대전": "대전광역시", "울산": "울산광역시", "세종": "세종특별자치시", "경기": "경기도", "강원": "강원도",
    "충북": "충청북도", "충남": "충청남도", "전북": "전라북도", "전남": "전라남도", "경북": "경상북도",
    "경남": "경상남도", "제주": "제주특별자치도",
    # names adopted after 2022
    "강원특별자치도": "강원도", "전북특별자치도": "전라북도",
}
DONG_TOKEN = re.compile(r"[가-힣][가-힣0-9.·,]*(?:동|읍|면|[0-9]가)")  # not 101동 (an apartment block)


class PlaceError(ValueError):
    """A home that cannot be placed; the message says why and the fix says what to write."""

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(problem)
        self.problem, self.fix = problem, fix


@dataclass(frozen=True)
class Place:
    lon: float
    lat: float
    placed_by: str  # "dong" or "sigungu"
    where: str  # e.g. 서울특별시 관악구 신림동, or 서울특별시 관악구 (시군구 point)


@dataclass(frozen=True)
class _Area:
    code: str
    sido: str
    sigungu: str
    emd: str  # "" for a 시군구
    lon: float
    lat: float


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _squash(name: str) -> str:
    """One spelling per 동 name: no spaces, 독산제1동 = 독산1동, 1·2가 = 1.2가."""
    name = re.sub(r"\s+", "", _nfc(name)).replace("·", ".").replace(",", ".")
    return re.sub(r"제([0-9])", r"\1", name)


def _stem(name: str) -> str:
    """A 동 name's stem: 독산1동 -> 독산, 종로1.2.3.4가동 -> 종로, 을지로1가 -> 을지로, 봉천동 -> 봉천."""
    name = _squash(name)
    name = re.sub(r"동$", "", name)
    name = re.sub(r"[0-9.]+가?$", "", name)
    return name


class Gazetteer:
    """The 행정동 and 시군구 of Korea, by name."""

    def __init__(self, areas: list[_Area]) -> None:
        self.units = {a.code[:5]: a for a in areas if not a.emd}
        self.emds = [a for a in areas if a.emd]
        self.by_name: dict[str, list[_Area]] = defaultdict(list)
        self.by_stem: dict[str, list[_Area]] = defaultdict(list)
        for a in self.emds:
            self.by_name[_squash(a.emd)].append(a)
            if a.emd.endswith("동"):
                self.by_stem[_stem(a.emd)].append(a)
        self.unit_names: dict[str, list[str]] = defaultdict(list)  # 관악구 / 수원시장안구 -> codes
        self.city_units: dict[str, list[str]] = defaultdict(list)  # 수원시 -> the codes of its 일반구
        for code, a in self.units.items():
            self.unit_names[a.sigungu].append(code)
            if _city(a.sigungu) != a.sigungu:
                self.city_units[_city(a.sigungu)].append(code)
        self.sidos = {a.sido for a in areas}

    # --- parsing -------------------------------------------------------------------------------

    def _sido(self, token: str) -> str | None:
        if token in self.sidos:
            return token
        if token in self.unit_names or token in self.city_units:  # 광주시 (경기) is not 광주광역시
            return None
        return SIDO_SHORT.get(token) or SIDO_SHORT.get(re.sub(r"(특별시|광역시|특별자치시|특별자치도|시|도)$", "", token))

    def parse(self, text: str) -> tuple[str | None, list[str] | None, str | None]:
        """(시도, candidate 시군구 codes, 동 name) named by an address; None for what it does not name."""
        text = _nfc(text).strip()
        inner = [part.strip() for group in re.findall(r"\(([^)]*)\)", text) for part in group.split(",")]
        bare = re.sub(r"\([^)]*\)", " ", text)
        tokens = [t for t in re.split(r"[\s,]+", bare) if t]
        sido = None
        if tokens and (found := self._sido(tokens[0])):
            sido, tokens = found, tokens[1:]
        units, dong, rest = None, None, tokens
        for i, token in enumerate(tokens):
            joined = token + tokens[i + 1] if i + 1 < len(tokens) else None
            if joined in self.unit_names:  # 수원시 장안구
                units, rest = list(self.unit_names[joined]), tokens[i + 2:]
                break
            if token in self.unit_names or token in self.city_units:
                units, rest = list(self.unit_names.get(token) or self.city_units[token]), tokens[i + 1:]
                break
            if i >= 1:  # the 시군구 comes first or second (after the 시도)
                break
        for part in inner:  # a road address's (봉천동) wins over a building's 101동
            if DONG_TOKEN.fullmatch(part):
                dong = part
                break
        if dong is None:
            dong = next((t for t in rest if DONG_TOKEN.fullmatch(t)), None)
        if sido is not None and units is not None:
            units = [c for c in units if self.units[c].sido == sido]
        if sido == "세종특별자치시" and not units:  # 세종 has no 시군구 level in an address
            units = [c for c, a in self.units.items() if a.sido == sido]
        return sido, units, dong

    # --- placing -------------------------------------------------------------------------------

    def place(self, text: str, home_unit: str | None = None) -> Place:
        """Place an address or name; ``home_unit`` (the plan's 시군구 code) settles a bare ambiguous name."""
        sido, units, dong = self.parse(text)
        if units == []:
            raise PlaceError(f"no 시군구 of that name in {sido}", "check the 시도 and 시군구 of the address")
        if dong is not None:
            place = self._place_dong(dong, sido, units, home_unit)
            if place is not None:
                return place
            if units is None:
                raise PlaceError(f"no 행정동 or 법정동 named {dong} was found",
                                 "write the 시군구 before it (e.g. 서울특별시 관악구 신림동), or the home's 경도/위도")
        if units is None:
            if sido is not None:
                raise PlaceError("the address names a 시도 but no 시군구 or 동",
                                 "write the 시군구 and 동 (e.g. 서울특별시 관악구 신림동)")
            raise PlaceError("no 시군구 or 동 found in it",
                             "write the 시군구 and 동 (e.g. 서울특별시 관악구 신림동, or 관악구 관악로 1 (봉천동)), "
                             "or the home's 경도/위도")
        return self._place_units(units, home_unit)

    def _place_dong(self, dong: str, sido: str | None, units: list[str] | None, home_unit: str | None) -> Place | None:
        def within(areas: list[_Area]) -> list[_Area]:
            if units is not None:
                return [a for a in areas if a.code[:5] in units]
            if sido is not None:
                return [a for a in areas if a.sido == sido]
            return areas

        for matches in (within(self.by_name.get(_squash(dong), [])),
                        within(self.by_stem.get(_stem(dong), [])) if dong.endswith(("동", "가")) else []):
            if not matches:
                continue
            by_unit: dict[str, list[_Area]] = defaultdict(list)
            for a in matches:
                by_unit[a.code[:5]].append(a)
            if len(by_unit) > 1:
                if home_unit in by_unit and units is None and sido is None:
                    by_unit = {home_unit: by_unit[home_unit]}
                else:
                    where = ", ".join(f"{self.units[c].sigungu} {'/'.join(a.emd for a in by_unit[c])}"
                                      for c in sorted(by_unit)[:6])
                    raise PlaceError(f"{dong} is in {len(by_unit)} 시군구 ({where}{', ...' if len(by_unit) > 6 else ''})",
                                     "write its 시도 and 시군구 too, e.g. 서울특별시 관악구 신림동")
            ((code, areas),) = by_unit.items()
            unit = self.units[code]
            lon = sum(a.lon for a in areas) / len(areas)
            lat = sum(a.lat for a in areas) / len(areas)
            names = "/".join(a.emd for a in areas)
            return Place(round(lon, 6), round(lat, 6), "dong", f"{unit.sido} {unit.sigungu} {names}")
        return None

    def _place_units(self, units: list[str], home_unit: str | None) -> Place:
        areas = [self.units[c] for c in sorted(units)]
        places = {(a.sido, _city(a.sigungu)) for a in areas}  # the 일반구 of one 시 are one place
        if len(places) > 1:
            if home_unit in units:
                areas = [self.units[home_unit]]
            else:
                home_sido = self.units[home_unit].sido if home_unit in self.units else None
                same = [a for a in areas if a.sido == home_sido]
                if len(same) != 1:
                    where = ", ".join(f"{a.sido} {a.sigungu}" for a in areas)
                    raise PlaceError(f"the 시군구 is ambiguous ({where})", "write the 시도 before it, e.g. 서울특별시 중구")
                areas = same
        lon = sum(a.lon for a in areas) / len(areas)  # a 시 with 일반구: the mean of its 구
        lat = sum(a.lat for a in areas) / len(areas)
        name = areas[0].sigungu if len(areas) == 1 else _city(areas[0].sigungu)
        return Place(round(lon, 6), round(lat, 6), "sigungu", f"{areas[0].sido} {name}")


def _city(sigungu: str) -> str:
    """수원시장안구 -> 수원시; any other 시군구 as it is."""
    match = re.match(r"(.+?시).+구$", sigungu)
    return match.group(1) if match else sigungu


@lru_cache(maxsize=2)
def gazetteer(path: Path = ADMDONG_CSV) -> Gazetteer:
    with open(path, encoding="utf-8", newline="") as f:
        areas = [_Area(r["adm_cd2"], _nfc(r["sido"]), _nfc(r["sigungu"]), _nfc(r["emd"]), float(r["lon"]), float(r["lat"]))
                 for r in csv.DictReader(f)]
    return Gazetteer(areas)


def unit_of_codes(codes: list[str]) -> str | None:
    """The 시군구 code (5 digits) shared by the most of these 행정동 codes (a district's 동)."""
    counts: dict[str, int] = defaultdict(int)
    for code in codes:
        if code and len(code) >= 5:
            counts[code[:5]] += 1
    return max(sorted(counts), key=counts.get) if counts else None
