"""Derive the product's data files from the NEC extracts in ``../shared/data/``.

One derivation, two kinds of input. Run from the repository root:

    # one district's own extracts, laid out like ../shared/data/geumcheon/ (several elections)
    python scripts/derive_data.py district --source ../shared/data/geumcheon --out data/precincts/geumcheon \\
        [--counting-site-name NAME --counting-site-dong DONG [--counting-site-lonlat LON,LAT]] \\
        [--points ../shared/data/korea/admdong_centroids_epsg5179.csv]
    # the whole country (2022-03-09 only) into the national tables data/korea/
    python scripts/derive_data.py korea --source ../shared/data/korea --out data/korea

Both write the district format through ``election_ops.districts.build`` (``district``
here, ``election-ops district init`` from data/korea/). Every output is plain UTF-8 whose
columns are documented in ``docs/data.md``. Deterministic: two runs give identical
files. Only this script knows the layout of the NEC extracts; the planner reads the
outputs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd

from election_ops.districts.build import CountingSite, DistrictTables, write_district_folder
from election_ops.geo import METRIC_CRS, WGS84

KIND_BY_NAME = (("대통령", "presidential"), ("국회의원", "general"), ("보궐", "by-election"), ("지방", "local"),
                ("시·도지사", "local"))
KIND_BY_FILE = {"pres": "presidential", "general": "general", "local": "local"}
# The race a local election's per-동 figures are read from: the widest one (시·도 head) first.
LOCAL_RACE_PREFERENCE = ("특별시장", "광역시장", "특별자치시장", "도지사", "시장", "군수", "구청장")

# National tables: geometry simplified by this tolerance (metres) and rounded to 1e-5 degrees (~1 m).
SIMPLIFY_M = 30.0
COORD_GRID = 1e-5
# A 동 without a polygon gets the unit's uncovered area nearest its point, or this disc around it.
DERIVED_DISC_M = 1000.0
MIN_DERIVED_SHARE = 0.05  # a piece smaller than this share of that disc is a sliver, not the 동's area


def kind_of(name: str) -> str:
    for word, kind in KIND_BY_NAME:
        if word in name:
            return kind
    raise SystemExit(f"cannot tell the kind of election from its name {name!r}")


def plain_name(name: str) -> str:
    """An election name without its parenthesised note, e.g. '2021 재·보궐선거(서울시장 보궐)'."""
    return re.sub(r"\s*\(.*\)\s*$", "", name).strip()


def iso(code) -> str:
    text = str(int(code))
    return f"{text[:4]}-{text[4:6]}-{text[6:8]}"


def find(src: Path, pattern: str, *, required: bool = True) -> list[Path]:
    found = sorted(src.glob(pattern))
    if required and not found:
        raise SystemExit(f"{src}: no file matches {pattern}")
    return found


# --- one district's own extracts --------------------------------------------------------------


def largest_remainder(total: int, weights: pd.Series) -> pd.Series:
    """Split an integer total in proportion to weights so the parts sum exactly to it."""
    weights = weights.astype(float)
    if weights.sum() <= 0:
        weights = pd.Series(1.0, index=weights.index)
    exact = weights / weights.sum() * total
    floor = exact.apply(math.floor).astype(int)
    remainder = int(total - floor.sum())
    # Ties broken by position so the result is deterministic.
    order = (exact - floor).sort_values(ascending=False, kind="stable").index[:remainder]
    floor.loc[order] += 1
    return floor


def read_dongs(path: Path) -> pd.DataFrame:
    codes = pd.read_csv(path, dtype=str)
    dongs = pd.DataFrame(
        {
            "dong": codes["emd_nm"],
            "nec_name": codes["ELEC_EMD"],
            "adm_cd2": codes["adm_cd2"],
            "nec_code": codes["ELEC_CD"],
            "district": codes["sggnm"],
            "province": codes["sidonm"],
        }
    )
    return dongs.sort_values("adm_cd2", kind="stable").reset_index(drop=True)


def precinct_id(dong: str, number: int) -> str:
    return f"{dong}-{int(number)}"


def register_elections(path: Path, since: str) -> dict[int, tuple[str, str, str]]:
    """Every election of the register file from ``since`` on: code -> (date, kind, name)."""
    reg = pd.read_csv(path, usecols=["선거코드", "선거명"]).drop_duplicates("선거코드")
    return {int(c): (iso(c), kind_of(n), plain_name(n)) for c, n in zip(reg["선거코드"], reg["선거명"]) if iso(c) >= since}


def read_register(path: Path, elections: dict[int, tuple[str, str, str]]) -> pd.DataFrame:
    """Registered electors (확정선거인수) per precinct for the elections we keep."""
    reg = pd.read_csv(path)
    reg = reg[(reg["level"] == "precinct") & reg["선거코드"].isin(list(elections))]
    out = pd.DataFrame(
        {
            "election": reg["선거코드"].map(lambda c: elections[c][0]),
            "dong": reg["읍면동명_행정동"],
            "number": reg["투표구번호"].astype(int),
            "nec_name": reg["투표구명"],
            "registered_electors": reg["확정선거인수(계)"].astype(int),
            "absentee_registered": reg["거소투표 신고인명부 등재자수(계)"].astype(int),
        }
    )
    out.insert(1, "precinct_id", [precinct_id(d, n) for d, n in zip(out["dong"], out["number"])])
    return out


def result_election(path: Path, register: dict[int, tuple[str, str, str]]) -> str:
    """The date of a results file, from its name (``<x>_<year>_<pres|general|local><n>_...``) and the register."""
    match = re.search(r"_(\d{4})_(pres|general|local)\d+_", path.name)
    if not match:
        raise SystemExit(f"{path.name}: cannot tell the election from the file name (want _<year>_<pres|general|local>N_)")
    year, kind = match.group(1), KIND_BY_FILE[match.group(2)]
    dates = [d for d, k, _ in register.values() if d.startswith(year) and k == kind]
    if len(dates) != 1:
        raise SystemExit(f"{path.name}: the register file has {len(dates)} {kind} elections in {year}")
    return dates[0]


def read_precinct_results(path: Path, election: str, name_col: str = "투표구명") -> pd.DataFrame:
    """Election-day electors and votes per precinct from an NEC 개표 extract."""
    res = pd.read_csv(path)
    res = res[res["row_type"] == "precinct"].copy()
    if "투표구번호" in res.columns:
        number = res["투표구번호"].astype(int)
    else:  # 2017/2020 extracts carry the number only inside the name, e.g. 독산제1동제3투
        number = res[name_col].str.extract(r"제(\d+)투$")[0].astype(int)
    return pd.DataFrame(
        {
            "election": election,
            "precinct_id": [precinct_id(d, n) for d, n in zip(res["읍면동명_행정동"], number)],
            "eday_electors": res["선거인수"].astype(int).to_numpy(),
            "eday_votes": res["투표수"].astype(int).to_numpy(),
        }
    )


def read_early_by_dong(path: Path, election: str) -> pd.DataFrame:
    res = pd.read_csv(path)
    res = res[res["row_type"] == "early_in_district"]
    return pd.DataFrame(
        {"election": election, "dong": res["읍면동명_행정동"], "early_in_votes": res["투표수"].astype(int)}
    )


def read_special_rows(path: Path, election: str) -> dict[str, int]:
    """District-level votes that belong to no 동: 관외사전, 거소, 재외."""
    res = pd.read_csv(path)
    votes = res.groupby("row_type")["투표수"].sum()
    return {
        "election": election,
        "early_out_votes": int(votes.get("early_out_of_district", 0)),
        "absentee_votes": int(votes.get("absentee_ship", 0)),
        "overseas_votes": int(votes.get("overseas", 0) + votes.get("overseas_mission", 0)),
    }


def pick_local_file(src: Path) -> Path | None:
    """The per-동 local-election file of the widest race (the 시·도 head), if any."""
    files = find(src, "*_local*_by_dong.csv", required=False)

    def rank(path: Path) -> tuple[int, str]:
        race = str(pd.read_csv(path, usecols=["선거"])["선거"].iloc[0])
        hits = [i for i, word in enumerate(LOCAL_RACE_PREFERENCE) if race.endswith(word)]
        return (hits[0] if hits else len(LOCAL_RACE_PREFERENCE), path.name)

    return min(files, key=rank) if files else None


def derive_local(
    path: Path, election: str, precincts_ref: pd.DataFrame, dong_ref: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """A local election published per 동 only: spread its figures over the reference precincts.

    Per 동: registered = election-day electors + 관내사전 electors + the 동's share of the
    district's 관외사전 and 거소 electors (shared in proportion to each 동's electors who
    left the election-day register at the reference election). Each 동's registered,
    election-day electors and election-day votes are then spread over its precincts in
    proportion to the same columns of the reference election, by largest remainder so
    every total is exact.
    """
    local = pd.read_csv(path)
    by_dong = local[local["읍면동명_행정동"].notna()]
    eday = by_dong[by_dong["구분"] == "선거일투표"].set_index("읍면동명_행정동")
    early = by_dong[by_dong["구분"] == "관내사전투표"].set_index("읍면동명_행정동")
    special = local[local["읍면동명_행정동"].isna() & (local["구분"] != "잘못 투입·구분된 투표지")]
    unassigned_electors = int(special["선거인수"].sum())

    dong = dong_ref.set_index("dong")
    left_register = dong["registered_electors"] - dong["eday_electors"] - dong["early_in_votes"]
    extra = largest_remainder(unassigned_electors, left_register)
    local_dong = pd.DataFrame(
        {
            "election": election,
            "registered_electors": eday["선거인수"] + early["선거인수"] + extra,
            "eday_electors": eday["선거인수"],
            "eday_votes": eday["투표수"],
            "early_in_votes": early["투표수"],
        }
    ).loc[dong.index]
    local_dong.index.name = "dong"

    parts = []
    for d, group in precincts_ref.groupby("dong", sort=False):
        part = group[["precinct_id", "dong", "number", "nec_name"]].copy()
        for col in ("registered_electors", "eday_electors", "eday_votes"):
            part[col] = largest_remainder(int(local_dong.at[d, col]), group[col]).to_numpy()
        part["absentee_registered"] = pd.NA
        parts.append(part)
    local_precincts = pd.concat(parts)
    local_precincts.insert(0, "election", election)
    local_precincts["derived"] = True
    totals = {
        "election": election,
        "early_out_votes": int(special.loc[special["구분"] == "관외사전투표", "투표수"].sum()),
        "absentee_votes": int(special.loc[special["구분"] == "거소투표", "투표수"].sum()),
        "overseas_votes": 0,
    }
    return local_precincts, local_dong.reset_index(), totals


def read_points(path: Path | None, codes: pd.Series) -> dict[str, tuple[float, float]]:
    """Representative points (EPSG:5179 metres) by 10-digit 행정동 code, from a KOSTAT centre-point table."""
    if path is None:
        return {}
    table = pd.read_csv(path, dtype={"ADMCD": str})
    table = table[table["ADMCD"].isin(set(codes))]
    return {c: (float(x), float(y)) for c, x, y in zip(table["ADMCD"], table["X"], table["Y"])}


def derive_district(args: argparse.Namespace) -> None:
    src, out = args.source, args.out
    dongs = read_dongs(find(src, "*admdong_codes_*.csv")[0])
    register_path = find(src, "*registered_electors_by_precinct*.csv")[0]
    all_register = register_elections(register_path, "0000")
    result_files = {result_election(p, all_register): p for p in find(src, "*_results_by_precinct*.csv", required=False)}
    since = min(result_files) if result_files else max(d for d, _, _ in all_register.values())
    kept = {c: e for c, e in all_register.items() if e[0] >= since}
    register = read_register(register_path, kept)

    parts = [read_precinct_results(p, e) for e, p in sorted(result_files.items())]
    results = pd.concat(parts) if parts else pd.DataFrame(columns=["election", "precinct_id", "eday_electors", "eday_votes"])
    history = register.merge(results, on=["election", "precinct_id"], how="left", validate="one_to_one")
    if history.loc[history["election"].isin(list(result_files)), "eday_votes"].isna().any():
        raise SystemExit("a precinct of a result file has no register row: check the NEC extracts")
    history["derived"] = False

    early = pd.concat([read_early_by_dong(p, e) for e, p in sorted(result_files.items())]) if result_files else \
        pd.DataFrame(columns=["election", "dong", "early_in_votes"])
    dong_hist = (
        history.groupby(["election", "dong"], sort=False)[["registered_electors", "eday_electors", "eday_votes"]]
        .sum(min_count=1)
        .reset_index()
        .merge(early, on=["election", "dong"], how="left")
    )
    dong_hist["derived"] = False
    elections_list = [kept[c] for c in sorted(kept)]
    specials = [read_special_rows(p, e) for e, p in sorted(result_files.items())]

    totals_files = find(src, "*district_totals_by_election.csv", required=False)
    totals = pd.read_csv(totals_files[0]) if totals_files else None
    local_file = pick_local_file(src)
    if local_file is not None and totals is not None and result_files:
        year = re.search(r"_(\d{4})_", local_file.name).group(1)
        rows = totals[totals["선거코드"].astype(str).str.startswith(year)
                      & totals["선거명"].map(lambda n: kind_of(n) == "local")]
        if len(rows) == 1:  # the totals file dates the local election; without it the file is left out
            code, name = int(rows["선거코드"].iloc[0]), plain_name(rows["선거명"].iloc[0])
            local_date = iso(code)
            ref = max(e for e in result_files if e < local_date)
            local_precincts, local_dong, local_totals = derive_local(
                local_file, local_date, history[history["election"] == ref], dong_hist[dong_hist["election"] == ref])
            local_dong["derived"] = True
            history = pd.concat([history, local_precincts], ignore_index=True)
            dong_hist = pd.concat([dong_hist, local_dong], ignore_index=True)
            elections_list.append((local_date, "local", name))
            specials.append(local_totals)

    order = {d: i for i, d in enumerate(dongs["dong"])}
    history = history.sort_values(
        ["election", "dong", "number"], key=lambda s: s.map(order) if s.name == "dong" else s, kind="stable"
    )
    dong_hist = dong_hist.sort_values(
        ["election", "dong"], key=lambda s: s.map(order) if s.name == "dong" else s, kind="stable"
    )
    int_cols = ["registered_electors", "absentee_registered", "eday_electors", "eday_votes", "early_in_votes"]
    for frame in (history, dong_hist):
        for col in int_cols:
            if col in frame:
                frame[col] = frame[col].astype("Int64")

    # Elections table: kind, name and the district totals that belong to no 동.
    elections = pd.DataFrame([{"election": e, "kind": k, "name": n} for e, k, n in elections_list])
    special_cols = ["election", "early_out_votes", "absentee_votes", "overseas_votes"]
    elections = elections.merge(pd.DataFrame(specials, columns=special_cols), on="election", how="left")
    if totals is not None:
        code = totals["선거코드"].astype(str).str.replace(r"(\d{4})(\d{2})(\d{2})", r"\1-\2-\3", regex=True)
        by_date = totals.assign(election=code).set_index("election")
        registered, voted = by_date["총 선거인수"], by_date["총 투표자수"]
    else:  # the results files' district total rows
        gu = {e: pd.read_csv(p).query("row_type == 'gu_total'").iloc[0] for e, p in result_files.items()}
        registered = pd.Series({e: r["선거인수"] for e, r in gu.items()}, dtype="float")
        voted = pd.Series({e: r["투표수"] for e, r in gu.items()}, dtype="float")
    elections["registered_electors"] = elections["election"].map(registered).astype("Int64")
    elections["total_votes"] = elections["election"].map(voted).astype("Int64")
    for col in ("early_out_votes", "absentee_votes", "overseas_votes"):
        elections[col] = elections[col].astype("Int64")

    boundaries = gpd.read_file(find(src, "*admdong_boundaries*.geojson")[0])
    boundaries = boundaries[["emd_nm", "adm_cd2", "nec_emd_nm", "geometry"]].rename(
        columns={"emd_nm": "dong", "nec_emd_nm": "nec_name"}
    )
    boundaries = boundaries.set_index("dong").loc[dongs["dong"]].reset_index()
    by_code = read_points(args.points, dongs["adm_cd2"])
    points = {d: by_code[c] for d, c in zip(dongs["dong"], dongs["adm_cd2"]) if c in by_code}
    lonlat = args.counting_site_lonlat
    counting = CountingSite(name=args.counting_site_name, dong=args.counting_site_dong,
                            lon=lonlat[0] if lonlat else None, lat=lonlat[1] if lonlat else None)
    if counting.dong is not None and counting.dong not in set(dongs["dong"]):
        raise SystemExit(f"--counting-site-dong {counting.dong}: not a 동 of {src}")
    register_date = max(history.loc[~history["derived"].astype(bool), "election"])
    tables = DistrictTables(dongs=dongs, precincts=history, dong_history=dong_hist, elections=elections,
                            boundaries=boundaries, register_election=register_date, points=points, counting=counting)
    for f in write_district_folder(tables, out):
        print(f"wrote {f} ({f.stat().st_size:,} bytes)")


# --- the whole country ------------------------------------------------------------------------


def precinct_numbers(frame: pd.DataFrame) -> pd.Series:
    """The NEC precinct number (제N투); a 동's single, unnumbered precinct (e.g. 삼청동투표소) is 1.

    A precinct joined from two 동 (e.g. 둔촌제2동제3투·둔촌제1동투) keeps the first number.
    Unnumbered ones take the smallest number unused in their 동.
    """
    number = frame["precinct"].str.extract(r"제(\d+)투")[0].astype("Int64")
    result = number.copy()
    for _, group in frame.groupby(["sido", "sigungu", "emd"], sort=False):
        used = set(number[group.index].dropna().astype(int))
        for i in group.index[number[group.index].isna()]:
            n = 1
            while n in used:
                n += 1
            used.add(n)
            result[i] = n
    return result.astype(int)


def read_polygons(src: Path, codes: pd.DataFrame) -> tuple[dict[str, object], dict[str, str]]:
    """Each 행정동's polygon in metres and its source: ver20210401 by adm_cd2, else KOSTAT 2018 by adm_cd."""
    parts = [gpd.read_file(f)[["adm_cd2", "geometry"]] for f in find(src / "boundaries", "admdong_ver20210401_*.geojson")]
    newer = pd.concat(parts).set_crs(WGS84, allow_override=True).to_crs(METRIC_CRS).set_index("adm_cd2").geometry
    kostat = gpd.read_file(src / "boundaries" / "kostat_2018_submunicipalities_topo.json")
    older = kostat.set_crs(WGS84, allow_override=True).to_crs(METRIC_CRS).set_index("code").geometry
    polygons, sources = {}, {}
    for cd2, cd in zip(codes["adm_cd2"], codes["adm_cd"]):
        if cd2 in newer.index:
            polygons[cd2], sources[cd2] = newer.at[cd2].buffer(0), "admdong-2021"
        elif cd in older.index:
            polygons[cd2], sources[cd2] = older.at[cd].buffer(0), "kostat-2018"
    return polygons, sources


def derived_polygon(point, missing_points: list, outline, covered):
    """A region for a 동 without a polygon: the part of its unit no other 동 covers, nearest its point.

    Several such 동 in one unit share that part by nearest point (Voronoi cells). When the
    point's piece is missing or tiny, a disc around the point, clipped to the outline.
    """
    from shapely import voronoi_polygons
    from shapely.geometry import MultiPoint, Point

    free = outline.difference(covered) if covered is not None else outline
    if len(missing_points) > 1:
        cells = voronoi_polygons(MultiPoint(missing_points), extend_to=outline)
        cell = next(c for c in cells.geoms if c.contains(Point(point)))
        free = free.intersection(cell)
    pieces = getattr(free, "geoms", [free])
    piece = next((g for g in pieces if g.contains(Point(point))), None)
    if piece is None or piece.area < MIN_DERIVED_SHARE * math.pi * DERIVED_DISC_M**2:
        piece = Point(point).buffer(DERIVED_DISC_M).intersection(outline)
    return piece


def lean_geometry(geom):
    """Simplified in metres, then projected to WGS84 on a 1e-5 degree grid."""
    from shapely import set_precision

    simple = gpd.GeoSeries([geom.simplify(SIMPLIFY_M)], crs=METRIC_CRS).to_crs(WGS84).iloc[0]
    return set_precision(simple.buffer(0), COORD_GRID)


def write_features(path: Path, features: list[dict]) -> None:
    """A gzipped GeoJSON FeatureCollection, byte-identical from run to run (no time stamp in the header)."""
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":"))
    path.write_bytes(gzip.compress(text.encode("utf-8") + b"\n", compresslevel=9, mtime=0))


def derive_korea(args: argparse.Namespace) -> None:
    from shapely import union_all
    from shapely.geometry import Point, mapping

    src, out = args.source, args.out
    out.mkdir(parents=True, exist_ok=True)
    codes = pd.read_csv(src / "admdong_codes_ver20220309.csv", dtype=str)
    precincts = pd.read_csv(src / "nec_2022_pres20_precincts.csv")
    early = pd.read_csv(src / "nec_2022_pres20_early_by_emd.csv")
    units = pd.read_csv(src / "nec_2022_pres20_count_units.csv")
    outlines = gpd.read_file(src / "boundaries" / "count_units_ver20220309_simple.geojson")
    outlines = outlines.set_crs(WGS84, allow_override=True).to_crs(METRIC_CRS)
    centres = pd.read_csv(src / "admdong_centroids_epsg5179.csv", dtype={"ADMCD": str}).set_index("ADMCD")

    unit_code = {(s, g): c for s, g, c in zip(outlines["SIDONM"], outlines["SGGNM"], outlines["sgg"])}
    missing_units = [k for k in zip(units["sido"], units["sigungu"]) if k not in unit_code]
    if missing_units:
        raise SystemExit(f"count units without an outline: {missing_units[:3]}")
    units["code"] = [unit_code[k] for k in zip(units["sido"], units["sigungu"])]
    outline_by_code = dict(zip(outlines["sgg"], (g.buffer(0) for g in outlines.geometry)))

    # 동: the NEC's 읍면동 joined to the 행정동 code table by the NEC names.
    key = ["sido", "sigungu", "emd"]
    code_keys = codes.drop(columns=["sido"]).rename(columns={"ELEC_SIDO": "sido", "ELEC_GU": "sigungu", "ELEC_EMD": "emd"})
    dongs = early.merge(code_keys, on=key, how="left", validate="one_to_one")
    if dongs["adm_cd2"].isna().any():
        raise SystemExit(f"읍면동 without a 행정동 code: {dongs.loc[dongs['adm_cd2'].isna(), key].head(3).to_dict('records')}")
    dongs["code"] = [unit_code[k] for k in zip(dongs["sido"], dongs["sigungu"])]
    # The 동 name is the last word of adm_nm: emd_nm has two slips (고양시 중산1동 and 중산2동 both '중산동').
    dongs["emd_nm"] = dongs["adm_nm"].str.split().str[-1]
    dongs = dongs.sort_values(["code", "adm_cd2"], kind="stable").reset_index(drop=True)

    polygons, sources = read_polygons(src, codes)
    features, dong_rows = [], []
    for code, group in dongs.groupby("code", sort=True):
        outline = outline_by_code[code]
        unit_codes = codes.loc[codes["sgg"] == code, "adm_cd2"]  # also 동 without NEC rows: they cover ground
        covered = union_all([polygons[c] for c in unit_codes if c in polygons]) if unit_codes.isin(list(polygons)).any() else None
        missing = [c for c in group["adm_cd2"] if c not in polygons]
        missing_points = [tuple(centres.loc[c, ["X", "Y"]].astype(float)) for c in missing]
        for cd2 in group["adm_cd2"]:
            point = tuple(centres.loc[cd2, ["X", "Y"]].astype(float))
            if cd2 in polygons:
                geom, source = polygons[cd2], sources[cd2]
            else:
                geom, source = derived_polygon(point, missing_points, outline, covered), "derived"
            features.append({"type": "Feature", "properties": {"adm_cd2": cd2, "source": source},
                             "geometry": mapping(lean_geometry(geom))})
            lon, lat = gpd.GeoSeries([Point(point)], crs=METRIC_CRS).to_crs(WGS84).iloc[0].coords[0]
            dong_rows.append({"adm_cd2": cd2, "lon": round(lon, 6), "lat": round(lat, 6), "polygon": source})
    write_features(out / "dongs.geojson.gz", features)

    unit_features = []
    for code in sorted(outline_by_code):
        unit_features.append({"type": "Feature", "properties": {"code": code},
                              "geometry": mapping(lean_geometry(outline_by_code[code]))})
    write_features(out / "units.geojson.gz", unit_features)

    placed = pd.DataFrame(dong_rows)
    dong_table = pd.DataFrame({
        "code": dongs["code"], "dong": dongs["emd_nm"], "nec_name": dongs["emd"], "adm_cd2": dongs["adm_cd2"],
        "nec_code": dongs["ELEC_CD"], "registered_electors": dongs["registered_electors"],
        "early_in_votes": dongs["early_indistrict_votes"],
    }).merge(placed, on="adm_cd2", how="left", validate="one_to_one")
    if dong_table.duplicated(["code", "dong"]).any():
        raise SystemExit("two 동 of one unit share a name")

    emd_name = dict(zip(zip(dongs["sido"], dongs["sigungu"], dongs["emd"]), dongs["emd_nm"]))
    precincts["code"] = [unit_code[k] for k in zip(precincts["sido"], precincts["sigungu"])]
    precincts["dong"] = [emd_name[k] for k in zip(precincts["sido"], precincts["sigungu"], precincts["emd"])]
    precincts["number"] = precinct_numbers(precincts)
    if precincts.duplicated(["code", "dong", "number"]).any():
        raise SystemExit("two precincts of one 동 share a number")
    precinct_table = pd.DataFrame({
        "code": precincts["code"], "dong": precincts["dong"], "number": precincts["number"],
        "nec_name": precincts["precinct"], "registered_electors": precincts["registered_electors"],
        "absentee_registered": precincts["absentee_register"], "eday_electors": precincts["eday_electors"],
        "eday_votes": precincts["eday_votes"],
    })
    order = {c: i for i, c in enumerate(dong_table["adm_cd2"])}
    precinct_table["_order"] = [order[c] for c in precincts.merge(
        dong_table[["code", "dong", "adm_cd2"]], on=["code", "dong"], how="left")["adm_cd2"]]
    precinct_table = precinct_table.sort_values(["_order", "number"], kind="stable").drop(columns="_order")

    unit_points = []
    for code in units["code"]:
        cd = f"{code}00000"
        outline = outline_by_code[code]
        point = Point(centres.loc[cd, ["X", "Y"]].astype(float)) if cd in centres.index else None
        if point is None or not outline.contains(point):
            point = outline.representative_point()
        lon, lat = gpd.GeoSeries([point], crs=METRIC_CRS).to_crs(WGS84).iloc[0].coords[0]
        unit_points.append((round(lon, 6), round(lat, 6)))
    unit_table = pd.DataFrame({
        "code": units["code"], "sido": units["sido"], "sigungu": units["sigungu"], "precincts": units["n_precincts"],
        "emd": units["n_emd"], "registered_electors": units["registered_electors"],
        "early_out_votes": units["early_outdistrict_votes"], "absentee_votes": units["absentee_ship_votes"],
        "overseas_votes": units["overseas_votes"], "total_votes": units["total_votes"],
        "lon": [p[0] for p in unit_points], "lat": [p[1] for p in unit_points],
    }).sort_values("code", kind="stable")

    # The figures must add up before anything is written (SOURCES.md's checks, repeated).
    by_unit = precinct_table.groupby("code")["registered_electors"].sum()
    if not (unit_table.set_index("code")["registered_electors"] == by_unit.reindex(unit_table["code"])).all():
        raise SystemExit("a unit's precincts do not add up to its register")
    if (precinct_table.groupby("code").size().reindex(unit_table["code"]).to_numpy() != unit_table["precincts"].to_numpy()).any():
        raise SystemExit("a unit's precinct count differs from the NEC's")

    unit_table.to_csv(out / "units.csv", index=False, lineterminator="\n")
    dong_table.to_csv(out / "dongs.csv", index=False, lineterminator="\n")
    precinct_table.to_csv(out / "precincts.csv", index=False, lineterminator="\n")
    for f in sorted(out.iterdir()):
        if f.suffix in (".csv", ".gz"):
            print(f"wrote {f} ({f.stat().st_size:,} bytes)")


def lonlat_arg(text: str) -> tuple[float, float]:
    lon, lat = (float(v) for v in text.split(","))
    return lon, lat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    district = sub.add_parser("district", help="one district's own NEC extracts (several elections)")
    district.add_argument("--source", type=Path, required=True)
    district.add_argument("--out", type=Path, required=True)
    district.add_argument("--counting-site-name", help="the counting site's venue (default: unknown)")
    district.add_argument("--counting-site-dong", help="the 동 it stands in (default: the unit's representative point)")
    district.add_argument("--counting-site-lonlat", type=lonlat_arg, help="its WGS84 location, LON,LAT")
    district.add_argument("--points", type=Path, help="representative points per 행정동 (ADMCD, X, Y in EPSG:5179)")
    korea = sub.add_parser("korea", help="the national 2022 tables for district init")
    korea.add_argument("--source", type=Path, required=True)
    korea.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    (derive_district if args.mode == "district" else derive_korea)(args)


if __name__ == "__main__":
    main()
