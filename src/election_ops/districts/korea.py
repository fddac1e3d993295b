"""The national tables in ``data/korea/``: the 250 count units, their 동 and precincts (2022-03-09).

Written by ``scripts/derive_data.py korea`` from ``../shared/data/korea``; read here only.
"""

from __future__ import annotations

import difflib
import functools
import gzip
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import UsageError

KOREA_DIR = Path(__file__).resolve().parents[3] / "data" / "korea"
REGISTER_ELECTION = "2022-03-09"
ELECTION_NAME = "제20대 대통령선거"

# Short names people write for a 시도 (서울 관악구, 경북 포항시남구).
SIDO_SHORT = {
    "서울특별시": "서울", "부산광역시": "부산", "대구광역시": "대구", "인천광역시": "인천", "광주광역시": "광주",
    "대전광역시": "대전", "울산광역시": "울산", "세종특별자치시": "세종", "경기도": "경기", "강원도": "강원",
    "충청북도": "충북", "충청남도": "충남", "전라북도": "전북", "전라남도": "전남", "경상북도": "경북",
    "경상남도": "경남", "제주특별자치도": "제주",
}


@dataclass(frozen=True)
class UnitInfo:
    """One count unit (구시군 개표 단위): a 시 with 일반구 counts per 구."""

    code: str  # 5-digit sgg, e.g. 11620
    sido: str
    sigungu: str
    precincts: int
    emd: int
    registered_electors: int

    @property
    def full_name(self) -> str:
        return f"{self.sido} {self.sigungu}"


def korea_dir() -> Path:
    if not (KOREA_DIR / "units.csv").exists():
        raise UsageError(f"the national tables are missing ({KOREA_DIR}); run 'make data' in a source checkout")
    return KOREA_DIR


@functools.cache
def units_table() -> pd.DataFrame:
    return pd.read_csv(korea_dir() / "units.csv", dtype={"code": str})


def list_units(sido: str | None = None) -> list[UnitInfo]:
    """The 250 count units in code order, or those of one 시도 (full or short name)."""
    frame = units_table()
    if sido is not None:
        wanted = _norm(sido)
        known = {s: s for s in frame["sido"]} | {short: full for full, short in SIDO_SHORT.items()}
        match = next((full for name, full in known.items() if _norm(name) == wanted), None)
        if match is None:
            close = difflib.get_close_matches(sido, sorted(set(frame["sido"])), n=3, cutoff=0.3)
            raise UsageError(f"--sido {sido}: not a 시도" + (f"; did you mean {', '.join(close)}?" if close else ""))
        frame = frame[frame["sido"] == match]
    return [UnitInfo(code=r.code, sido=r.sido, sigungu=r.sigungu, precincts=int(r.precincts), emd=int(r.emd),
                     registered_electors=int(r.registered_electors)) for r in frame.itertuples()]


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFC", str(text)).split())


def resolve_unit(text: str) -> UnitInfo:
    """A unit from its code (11620), full name (서울특별시 관악구, 서울 관악구) or own name when unique (관악구)."""
    units = list_units()
    wanted = _norm(text)
    by_code = [u for u in units if u.code == wanted]
    if by_code:
        return by_code[0]
    full = [u for u in units if wanted in (_norm(u.full_name), _norm(SIDO_SHORT[u.sido] + u.sigungu))]
    if len(full) == 1:
        return full[0]
    own = [u for u in units if _norm(u.sigungu) == wanted]
    if len(own) == 1:
        return own[0]
    if len(own) > 1:
        raise UsageError(f"unit {text!r} is ambiguous: {len(own)} count units share the name; write one of: "
                         + ", ".join(f"{u.full_name} ({u.code})" for u in own))
    names = {u.full_name: u for u in units} | {u.sigungu: u for u in units}
    close = difflib.get_close_matches(text.strip(), list(names), n=5, cutoff=0.5)
    hint = ("; close matches: " + ", ".join(f"{names[c].full_name} ({names[c].code})" for c in close)) if close else ""
    raise UsageError(f"unit {text!r}: no count unit has this code or name{hint}. "
                     "'election-ops district list' shows all 250")


@functools.cache
def _features(name: str) -> tuple[dict, ...]:
    with gzip.open(korea_dir() / name, "rt", encoding="utf-8") as fh:
        return tuple(json.load(fh)["features"])


def warm_outlines() -> None:
    """Parse the shipped outlines now (~1 s), not inside the first unit's ``init``."""
    _features("units.geojson.gz"), _features("dongs.geojson.gz")


def unit_outline(code: str):
    """The unit's outline (simplified), a shapely geometry in WGS84."""
    from shapely.geometry import shape

    feature = next(f for f in _features("units.geojson.gz") if f["properties"]["code"] == code)
    return shape(feature["geometry"])


def dong_polygons(adm_codes: list[str]) -> dict[str, object]:
    """The 동 polygons (simplified; ``derived`` for 동 the source files lack) by adm_cd2, WGS84."""
    from shapely.geometry import shape

    wanted = set(adm_codes)
    return {f["properties"]["adm_cd2"]: shape(f["geometry"]) for f in _features("dongs.geojson.gz")
            if f["properties"]["adm_cd2"] in wanted}


@functools.cache
def dongs_table() -> pd.DataFrame:
    return pd.read_csv(korea_dir() / "dongs.csv", dtype={"code": str, "adm_cd2": str, "nec_code": str})


@functools.cache
def precincts_table() -> pd.DataFrame:
    return pd.read_csv(korea_dir() / "precincts.csv", dtype={"code": str})
