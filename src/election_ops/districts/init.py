"""``district init``: a self-contained planning folder for any of the 250 count units.

The folder mirrors the repository's layout, so the scenario's relative paths stay inside it:

    OUT/data/precincts/<code>/   the six district files (docs/data.md), from data/korea/
    OUT/data/staff/              departments.csv (generic) and synthetic-staff.csv (SYNTHETIC people)
    OUT/scenarios/2022-presidential.yaml
    OUT/scenarios/rules/presidential-2022.yaml   (a copy, calibrated on 금천구: see its note)
    OUT/README.md

The folder is built beside OUT and renamed into place, so a failed init leaves nothing.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from ..errors import UsageError
from ..geo import METRIC_CRS, WGS84, to_metric
from ..safe_write import write_text_atomic
from .build import CountingSite, DistrictTables, write_district_folder
from .korea import (
    ELECTION_NAME,
    REGISTER_ELECTION,
    UnitInfo,
    dong_polygons,
    dongs_table,
    precincts_table,
    resolve_unit,
    unit_outline,
    units_table,
)

RULES_SOURCE = Path(__file__).resolve().parents[3] / "scenarios" / "rules" / "presidential-2022.yaml"
SCENARIO_NAME = "2022-presidential.yaml"
STAFF_NAME = "synthetic-staff.csv"


def init_unit(unit: str, out: Path, *, seed: int = 0) -> Path:
    """Write the planning folder of count unit ``unit`` (code or name) to ``out``; returns the scenario path."""
    info = resolve_unit(unit)
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(f"--out {out}: exists and is not an empty folder; choose a new folder")
    for parent in out.parents:
        if parent.exists() and not parent.is_dir():
            raise UsageError(f"--out {out}: {parent} is a file, not a folder; choose another --out")
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        _write_folder(info, work, seed)
        if out.exists():
            out.rmdir()  # empty (checked above)
        os.replace(work, out)
    finally:
        if work.exists():
            shutil.rmtree(work)
    return out / "scenarios" / SCENARIO_NAME


def unit_tables(info: UnitInfo) -> DistrictTables:
    """The unit's district tables in the product's columns, from the national tables."""
    import geopandas as gpd

    dongs = dongs_table()
    dongs = dongs[dongs["code"] == info.code].reset_index(drop=True)
    precincts = precincts_table()
    precincts = precincts[precincts["code"] == info.code]
    dong_frame = pd.DataFrame({"dong": dongs["dong"], "nec_name": dongs["nec_name"], "adm_cd2": dongs["adm_cd2"],
                               "nec_code": dongs["nec_code"], "district": info.sigungu, "province": info.sido})
    precinct_frame = pd.DataFrame({
        "election": REGISTER_ELECTION,
        "precinct_id": [f"{d}-{n}" for d, n in zip(precincts["dong"], precincts["number"])],
        "dong": precincts["dong"], "number": precincts["number"], "nec_name": precincts["nec_name"],
        "registered_electors": precincts["registered_electors"],
        "absentee_registered": precincts["absentee_registered"],
        "eday_electors": precincts["eday_electors"], "eday_votes": precincts["eday_votes"], "derived": False,
    })
    sums = precincts.groupby("dong", sort=False)[["registered_electors", "eday_electors", "eday_votes"]].sum()
    history = pd.DataFrame({"election": REGISTER_ELECTION, "dong": dongs["dong"]})
    for col in ("registered_electors", "eday_electors", "eday_votes"):
        history[col] = history["dong"].map(sums[col]).astype("Int64")
    history["early_in_votes"] = dongs["early_in_votes"].astype("Int64")
    history["derived"] = False
    unit = units_table().set_index("code").loc[info.code]
    elections = pd.DataFrame([{
        "election": REGISTER_ELECTION, "kind": "presidential", "name": ELECTION_NAME,
        "early_out_votes": int(unit["early_out_votes"]), "absentee_votes": int(unit["absentee_votes"]),
        "overseas_votes": int(unit["overseas_votes"]), "registered_electors": int(unit["registered_electors"]),
        "total_votes": int(unit["total_votes"]),
    }])
    polygons = dong_polygons(list(dongs["adm_cd2"]))
    boundaries = gpd.GeoDataFrame({"dong": dongs["dong"], "adm_cd2": dongs["adm_cd2"], "nec_name": dongs["nec_name"]},
                                  geometry=[polygons[c] for c in dongs["adm_cd2"]], crs=WGS84)
    xs, ys = to_metric(dongs["lon"].to_numpy(), dongs["lat"].to_numpy())
    points = {d: (float(x), float(y)) for d, x, y in zip(dongs["dong"], xs, ys)}
    outline = gpd.GeoSeries([unit_outline(info.code)], crs=WGS84).to_crs(METRIC_CRS).iloc[0].buffer(0)
    ux, uy = to_metric(float(unit["lon"]), float(unit["lat"]))
    return DistrictTables(dongs=dong_frame, precincts=precinct_frame, dong_history=history, elections=elections,
                          boundaries=boundaries, register_election=REGISTER_ELECTION, points=points, outline=outline,
                          counting=CountingSite(), unit_point=(float(ux), float(uy)))


def office_of(info: UnitInfo) -> str:
    """구청, 시청 or 군청: the office that staffs the unit's elections."""
    return {"구": "구청", "군": "군청"}.get(info.sigungu[-1], "시청")


def write_unit_data(unit: str | UnitInfo, root: Path, seed: int = 0) -> Path:
    """The unit's district files, rules and scenario under ``root`` (no staff pool yet); the scenario path."""
    info = unit if isinstance(unit, UnitInfo) else resolve_unit(unit)
    write_district_folder(unit_tables(info), root / "data" / "precincts" / info.code)
    write_text_atomic(root / "scenarios" / "rules" / RULES_SOURCE.name, _rules_text(info))
    scenario = root / "scenarios" / SCENARIO_NAME
    write_text_atomic(scenario, _scenario_text(info, seed))
    return scenario


def _write_folder(info: UnitInfo, root: Path, seed: int) -> None:
    from ..pipeline import load_inputs, plan_demand
    from ..staffgen import generate_sized_pool, write_generic_departments, write_staff_csv

    scenario = write_unit_data(info, root, seed)
    departments = root / "data" / "staff" / "departments.csv"
    write_generic_departments(departments)
    inputs = load_inputs(scenario)
    demand = plan_demand(inputs)
    pool = generate_sized_pool(inputs.district, inputs.scenario.data.boundaries, departments, demand, inputs.rules,
                               seed=seed)
    write_staff_csv(pool, root / "data" / "staff" / STAFF_NAME)
    write_text_atomic(root / "README.md", _readme_text(info, demand, len(pool)))


def _rules_text(info: UnitInfo) -> str:
    note = (f"# Copied by `election-ops district init` for {info.full_name} ({info.code}).\n"
            "# NOTE: these rules are CALIBRATED ON 금천구 (서울), not on this district: its published 2022 plan\n"
            "# fixed the register-check and count-opening steps below. Fit them to this district's own\n"
            "# published total with `election-ops rules calibrate` where that figure is known.\n#\n")
    return note + RULES_SOURCE.read_text(encoding="utf-8")


def _scenario_text(info: UnitInfo, seed: int) -> str:
    data = f"../data/precincts/{info.code}"
    return f"""# 제20대 대통령선거 (2022-03-09) for {info.full_name}, written by `election-ops district init {info.code}`.
# Paths are relative to this file.
id: 2022-presidential-{info.code}
title: {info.full_name} 제20대 대통령선거 2022-03-09, {info.precincts} precincts (투표구)
election:
  id: 2022-03-09-presidential
  kind: presidential
  name: 제20대 대통령선거
  election_day: 2022-03-09
  early_days: [2022-03-04, 2022-03-05]
  ballots_per_voter: 1
data:
  dongs: {data}/dongs.csv
  precincts: {data}/precinct_history.csv
  dong_history: {data}/dong_history.csv
  elections: {data}/elections.csv
  # Stations are APPROXIMATE (no addresses in the data): put real ones in a copy of this file
  # (location_source: surveyed) and point this key at it.
  sites: {data}/sites.csv
  boundaries: {data}/dongs.geojson
# Calibrated on 금천구, not on this district: see the note at the top of the rules file.
rules: rules/presidential-2022.yaml
# Electors: the NEC's final register of 2022-03-09 ({info.registered_electors:,} electors).
register_election: {REGISTER_ELECTION}
# Turnout: 2022-03-09 itself (the national data holds no earlier election).
reference_election: {REGISTER_ELECTION}
turnout_scale: 1.0
covid: true
# SYNTHETIC staff pool (made-up people): replace it with the office's own list (solve --staff FILE).
staff: ../data/staff/{STAFF_NAME}
seed: {seed}
"""


def _readme_text(info: UnitInfo, demand, pool_size: int) -> str:
    return f"""# {info.full_name} ({info.code}): planning folder

Written by `election-ops district init {info.code}` from the product's national tables
(NEC, 제20대 대통령선거 2022-03-09): {info.precincts} precincts (투표구), {info.emd} 읍면동,
{info.registered_electors:,} registered electors.

    election-ops solve scenarios/{SCENARIO_NAME}

- `data/precincts/{info.code}/`: the district's data files (docs/data.md). Station locations are
  **approximate**: placed around each 동's population point, not real buildings. The counting
  site's venue is unknown (개표소 (장소 미정)), placed at the unit's representative point.
- `data/staff/{STAFF_NAME}`: a **SYNTHETIC** staff pool of {pool_size:,} made-up people, sized for the
  demand of {demand.total():,} posts; its departments are this district's 동 주민센터 plus a generic
  set of {office_of(info)} divisions (`data/staff/departments.csv`). Use the office's own list instead.
- `scenarios/rules/presidential-2022.yaml`: the staffing rules, **calibrated on 금천구**.
"""
