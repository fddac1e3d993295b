"""Regenerate the project's data files from the NEC extracts in ``../shared/data/<district>/``.

Run from the repository root:

    python scripts/derive_data.py [--source ../shared/data/geumcheon] [--out data/precincts/geumcheon]

Every output is a plain UTF-8 CSV (or GeoJSON) whose columns are documented in
``docs/data.md``. The script is deterministic: running it twice gives identical files.
Only this script knows the layout of the NEC extracts; the planner reads the outputs.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

# Elections whose per-precinct register we keep (확정선거인수, from NEC 선거인수 현황).
REGISTER_ELECTIONS = {
    20170509: ("2017-05-09", "presidential", "제19대 대통령선거"),
    20180613: ("2018-06-13", "local", "제7회 전국동시지방선거"),
    20200415: ("2020-04-15", "general", "제21대 국회의원선거"),
    20210407: ("2021-04-07", "by-election", "2021 재·보궐선거"),
    20220309: ("2022-03-09", "presidential", "제20대 대통령선거"),
}
LOCAL_2022 = ("2022-06-01", "local", "제8회 전국동시지방선거")

# Where the counting site (개표소) stood in 2022, per the district's plan. Its surveyed
# coordinates are not in the data: it is placed at its 동's representative point.
COUNTING_SITE = {"name": "금나래문화체육센터", "dong": "독산1동"}


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


def read_dongs(src: Path) -> pd.DataFrame:
    codes = pd.read_csv(src / "geumcheon_admdong_codes_ver20220309.csv", dtype=str)
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


def read_register(src: Path) -> pd.DataFrame:
    """Registered electors (확정선거인수) per precinct for the elections we keep."""
    reg = pd.read_csv(src / "geumcheon_registered_electors_by_precinct_2007_2022.csv")
    reg = reg[(reg["level"] == "precinct") & reg["선거코드"].isin(list(REGISTER_ELECTIONS))]
    out = pd.DataFrame(
        {
            "election": reg["선거코드"].map(lambda c: REGISTER_ELECTIONS[c][0]),
            "dong": reg["읍면동명_행정동"],
            "number": reg["투표구번호"].astype(int),
            "nec_name": reg["투표구명"],
            "registered_electors": reg["확정선거인수(계)"].astype(int),
            "absentee_registered": reg["거소투표 신고인명부 등재자수(계)"].astype(int),
        }
    )
    out.insert(1, "precinct_id", [precinct_id(d, n) for d, n in zip(out["dong"], out["number"])])
    return out


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


def derive_local_2022(
    src: Path, precincts_2022: pd.DataFrame, dong_2022: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """The NEC published only per-동 figures for 2022-06-01: spread them over precincts.

    Per 동: registered = election-day electors + 관내사전 electors + the 동's share of the
    district's 관외사전 and 거소 electors (shared in proportion to each 동's electors who
    left the election-day register in 2022-03). Each 동's registered, election-day
    electors and election-day votes are then spread over its precincts in proportion to
    the same columns of 2022-03-09, by largest remainder so every total is exact.
    """
    mayor = pd.read_csv(src / "geumcheon_2022_local8_seoul_mayor_by_dong.csv")
    by_dong = mayor[mayor["읍면동명_행정동"].notna()]
    eday = by_dong[by_dong["구분"] == "선거일투표"].set_index("읍면동명_행정동")
    early = by_dong[by_dong["구분"] == "관내사전투표"].set_index("읍면동명_행정동")
    special = mayor[mayor["읍면동명_행정동"].isna() & (mayor["구분"] != "잘못 투입·구분된 투표지")]
    unassigned_electors = int(special["선거인수"].sum())

    dong = dong_2022.set_index("dong")
    left_register_2022 = dong["registered_electors"] - dong["eday_electors"] - dong["early_in_votes"]
    extra = largest_remainder(unassigned_electors, left_register_2022)
    local_dong = pd.DataFrame(
        {
            "election": LOCAL_2022[0],
            "registered_electors": eday["선거인수"] + early["선거인수"] + extra,
            "eday_electors": eday["선거인수"],
            "eday_votes": eday["투표수"],
            "early_in_votes": early["투표수"],
        }
    ).loc[dong.index]
    local_dong.index.name = "dong"

    parts = []
    for d, group in precincts_2022.groupby("dong", sort=False):
        part = group[["precinct_id", "dong", "number", "nec_name"]].copy()
        for col in ("registered_electors", "eday_electors", "eday_votes"):
            part[col] = largest_remainder(int(local_dong.at[d, col]), group[col]).to_numpy()
        part["absentee_registered"] = pd.NA
        parts.append(part)
    local_precincts = pd.concat(parts)
    local_precincts.insert(0, "election", LOCAL_2022[0])
    local_precincts["derived"] = True
    totals = {
        "election": LOCAL_2022[0],
        "early_out_votes": int(special.loc[special["구분"] == "관외사전투표", "투표수"].sum()),
        "absentee_votes": int(special.loc[special["구분"] == "거소투표", "투표수"].sum()),
        "overseas_votes": 0,
    }
    return local_precincts, local_dong.reset_index(), totals


def spread_points(polygon, count: int) -> list:
    """`count` points inside `polygon`, one per equal-area west-to-east slab.

    Precinct stations are not surveyed; this spreads a 동's stations over its area in a
    reproducible way, so commutes are plausible without pretending to be exact.
    """
    minx, miny, maxx, maxy = polygon.bounds
    total = polygon.area
    cuts = [minx]
    for k in range(1, count):
        lo, hi = minx, maxx
        for _ in range(60):  # bisection on the slab edge that leaves k/count of the area west
            mid = (lo + hi) / 2
            if polygon.intersection(box(minx, miny, mid, maxy)).area < total * k / count:
                lo = mid
            else:
                hi = mid
        cuts.append((lo + hi) / 2)
    cuts.append(maxx)
    return [
        polygon.intersection(box(cuts[i], miny, cuts[i + 1], maxy)).representative_point()
        for i in range(count)
    ]


def build_sites(boundaries: gpd.GeoDataFrame, precincts: pd.DataFrame, dongs: pd.DataFrame) -> pd.DataFrame:
    metric = boundaries.to_crs(5179).set_index("emd_nm")
    rows = []

    def to_wgs84(point):
        p = gpd.GeoSeries([point], crs=5179).to_crs(4326).iloc[0]
        return round(p.x, 6), round(p.y, 6)

    for d in dongs["dong"]:
        group = precincts[precincts["dong"] == d].sort_values("number")
        for (_, pr), point in zip(group.iterrows(), spread_points(metric.at[d, "geometry"], len(group))):
            lon, lat = to_wgs84(point)
            rows.append(
                {
                    "site_id": pr["precinct_id"],
                    "site_kind": "polling",
                    "name": f"{d} 제{pr['number']}투표소",
                    "dong": d,
                    "lon": lon,
                    "lat": lat,
                    "location_source": "approximate",
                    "serves": pr["precinct_id"],
                    "entrances": 1,
                }
            )
    for d in dongs["dong"]:
        lon, lat = to_wgs84(metric.at[d, "geometry"].representative_point())
        rows.append(
            {
                "site_id": f"{d}-사전",
                "site_kind": "early",
                "name": f"{d} 사전투표소 ({d} 주민센터)",
                "dong": d,
                "lon": lon,
                "lat": lat,
                "location_source": "approximate",
                "serves": d,
                "entrances": 1,
            }
        )
    point = metric.at[COUNTING_SITE["dong"], "geometry"].centroid
    if not metric.at[COUNTING_SITE["dong"], "geometry"].contains(point):
        point = metric.at[COUNTING_SITE["dong"], "geometry"].representative_point()
    lon, lat = to_wgs84(point)
    rows.append(
        {
            "site_id": "개표소",
            "site_kind": "counting",
            "name": f"개표소 ({COUNTING_SITE['name']})",
            "dong": COUNTING_SITE["dong"],
            "lon": lon,
            "lat": lat,
            "location_source": "approximate",
            "serves": "*",
            "entrances": 1,
        }
    )
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("../shared/data/geumcheon"))
    parser.add_argument("--out", type=Path, default=Path("data/precincts/geumcheon"))
    args = parser.parse_args()
    src, out = args.source, args.out
    out.mkdir(parents=True, exist_ok=True)

    dongs = read_dongs(src)
    register = read_register(src)
    results = pd.concat(
        [
            read_precinct_results(src / "geumcheon_2017_pres19_results_by_precinct_NEC.csv", "2017-05-09"),
            read_precinct_results(src / "geumcheon_2020_general21_results_by_precinct.csv", "2020-04-15"),
            read_precinct_results(src / "geumcheon_2022_pres20_results_by_precinct_NEC.csv", "2022-03-09"),
        ]
    )
    history = register.merge(results, on=["election", "precinct_id"], how="left", validate="one_to_one")
    if history.loc[history["election"].isin(["2017-05-09", "2020-04-15", "2022-03-09"]), "eday_votes"].isna().any():
        raise SystemExit("a precinct of a result file has no register row: check the NEC extracts")
    history["derived"] = False

    early = pd.concat(
        [
            read_early_by_dong(src / "geumcheon_2017_pres19_results_by_precinct_NEC.csv", "2017-05-09"),
            read_early_by_dong(src / "geumcheon_2020_general21_results_by_precinct.csv", "2020-04-15"),
            read_early_by_dong(src / "geumcheon_2022_pres20_results_by_precinct_NEC.csv", "2022-03-09"),
        ]
    )
    dong_hist = (
        history.groupby(["election", "dong"], sort=False)[["registered_electors", "eday_electors", "eday_votes"]]
        .sum(min_count=1)
        .reset_index()
        .merge(early, on=["election", "dong"], how="left")
    )
    p2022 = history[history["election"] == "2022-03-09"]
    local_precincts, local_dong, local_totals = derive_local_2022(
        src, p2022, dong_hist[dong_hist["election"] == "2022-03-09"]
    )
    local_dong["derived"] = True
    dong_hist["derived"] = False
    history = pd.concat([history, local_precincts], ignore_index=True)
    dong_hist = pd.concat([dong_hist, local_dong], ignore_index=True)

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
    totals = pd.read_csv(src / "geumcheon_district_totals_by_election.csv")
    specials = [
        read_special_rows(src / "geumcheon_2017_pres19_results_by_precinct_NEC.csv", "2017-05-09"),
        read_special_rows(src / "geumcheon_2020_general21_results_by_precinct.csv", "2020-04-15"),
        read_special_rows(src / "geumcheon_2022_pres20_results_by_precinct_NEC.csv", "2022-03-09"),
        local_totals,
    ]
    elections = pd.DataFrame(
        [{"election": e, "kind": k, "name": n} for e, k, n in list(REGISTER_ELECTIONS.values()) + [LOCAL_2022]]
    )
    elections = elections.merge(pd.DataFrame(specials), on="election", how="left")
    code = totals["선거코드"].astype(str).str.replace(r"(\d{4})(\d{2})(\d{2})", r"\1-\2-\3", regex=True)
    totals = totals.assign(election=code).set_index("election")
    elections["registered_electors"] = elections["election"].map(totals["총 선거인수"]).astype("Int64")
    elections["total_votes"] = elections["election"].map(totals["총 투표자수"]).astype("Int64")
    for col in ("early_out_votes", "absentee_votes", "overseas_votes"):
        elections[col] = elections[col].astype("Int64")

    boundaries = gpd.read_file(src / "geumcheon_admdong_boundaries_ver20210401.geojson")
    boundaries = boundaries[["emd_nm", "adm_cd2", "nec_emd_nm", "geometry"]].rename(
        columns={"emd_nm": "dong", "nec_emd_nm": "nec_name"}
    )
    boundaries = boundaries.set_index("dong").loc[dongs["dong"]].reset_index()
    sites = build_sites(boundaries.rename(columns={"dong": "emd_nm"}), p2022, dongs)

    dongs.to_csv(out / "dongs.csv", index=False)
    history.to_csv(out / "precinct_history.csv", index=False)
    dong_hist.to_csv(out / "dong_history.csv", index=False)
    elections.to_csv(out / "elections.csv", index=False)
    sites.to_csv(out / "sites.csv", index=False)
    gj = json.loads(boundaries.to_json(drop_id=True))
    gj["name"] = "dong_boundaries"
    (out / "dongs.geojson").write_text(json.dumps(gj, ensure_ascii=False) + "\n", encoding="utf-8")
    for f in sorted(out.iterdir()):
        print(f"wrote {f} ({f.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
