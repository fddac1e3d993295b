"""Derive data/korea/admdong.csv: every 행정동 of 2022-03-09 and every 시군구, with a WGS84 point.

    python scripts/derive_admdong.py --source ../shared/data/korea --out data/korea/admdong.csv

Inputs (see ../shared/data/korea/SOURCES.md): the 행정동 code table
(``admdong_codes_ver20220309.csv``) and the representative points of every code
(``admdong_centroids_epsg5179.csv``, UTM-K metres). Output columns:
``adm_cd2,sido,sigungu,emd,lon,lat``; a 시군구 row has an empty ``emd`` and the code
``<sgg>00000``. The staff loader places homes given as a 동 or 시군구 name with it
(``io/geocode.py``). The output is sorted by code, so a rebuild is byte-identical.
"""

from __future__ import annotations

import argparse
import csv
import io
import unicodedata
from pathlib import Path

from pyproj import Transformer

COLUMNS = ("adm_cd2", "sido", "sigungu", "emd", "lon", "lat")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


def derive(source: Path) -> list[dict[str, str]]:
    with open(source / "admdong_codes_ver20220309.csv", encoding="utf-8-sig", newline="") as f:
        codes = [{k: _nfc(v) for k, v in r.items()} for r in csv.DictReader(f)]
    with open(source / "admdong_centroids_epsg5179.csv", encoding="utf-8-sig", newline="") as f:
        points = {r["ADMCD"].strip(): (float(r["X"]), float(r["Y"])) for r in csv.DictReader(f)}
    to_wgs84 = Transformer.from_crs("EPSG:5179", "EPSG:4326", always_xy=True)

    def point(code: str) -> tuple[str, str]:
        if code not in points:
            raise SystemExit(f"no representative point for code {code} in admdong_centroids_epsg5179.csv")
        lon, lat = to_wgs84.transform(*points[code])
        return f"{lon:.6f}", f"{lat:.6f}"

    rows: dict[str, dict[str, str]] = {}
    for r in codes:
        code = r["adm_cd2"]
        rows[code] = dict(zip(COLUMNS, (code, r["sidonm"], r["sggnm"], r["emd_nm"], *point(code))))
        unit = r["sgg"] + "00000"
        if unit not in rows:
            rows[unit] = dict(zip(COLUMNS, (unit, r["sidonm"], r["sggnm"], "", *point(unit))))
    return [rows[k] for k in sorted(rows)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("../shared/data/korea"))
    parser.add_argument("--out", type=Path, default=Path("data/korea/admdong.csv"))
    args = parser.parse_args()
    rows = derive(args.source)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(args.out.name + ".tmp")
    tmp.write_text(buffer.getvalue(), encoding="utf-8")
    tmp.replace(args.out)
    units = sum(1 for r in rows if not r["emd"])
    print(f"wrote {args.out}: {len(rows) - units} 행정동 and {units} 시군구")


if __name__ == "__main__":
    main()
