"""Plain tables (pandas DataFrames) of demand, for files and the terminal."""

from __future__ import annotations

import pandas as pd

from ..demand import Demand
from ..domain import SITE_KIND_KO, SiteKind

REQUIREMENT_COLUMNS = ["site_id", "site_kind", "role", "shift", "required", "role_name", "load"]
SITE_COLUMNS = ["site_id", "site_kind", "name", "dong", "lon", "lat", "location_source", "serves", "entrances",
                "electors", "expected_voters"]
SHIFT_COLUMNS = ["shift", "start", "end", "name"]


def requirements_frame(demand: Demand) -> pd.DataFrame:
    rows = [
        {"site_id": r.site_id, "site_kind": r.site_kind.value, "role": r.role, "shift": r.shift,
         "required": r.required, "role_name": r.role_name, "load": r.load}
        for r in demand.requirements
    ]
    return pd.DataFrame(rows, columns=REQUIREMENT_COLUMNS)


def sites_frame(demand: Demand) -> pd.DataFrame:
    rows = []
    for s in demand.sites:
        load = demand.loads[s.id]
        rows.append({"site_id": s.id, "site_kind": s.kind.value, "name": s.name, "dong": s.dong,
                     "lon": s.lon, "lat": s.lat, "location_source": s.location_source,
                     "serves": ";".join(s.serves), "entrances": s.entrances, "electors": load.electors,
                     "expected_voters": round(load.voters, 1)})
    return pd.DataFrame(rows, columns=SITE_COLUMNS)


def shifts_frame(demand: Demand) -> pd.DataFrame:
    rows = [{"shift": s.id, "start": s.start.isoformat(timespec="minutes"), "end": s.end.isoformat(timespec="minutes"),
             "name": s.name} for s in demand.shifts]
    return pd.DataFrame(rows, columns=SHIFT_COLUMNS)


def demand_summary(demand: Demand) -> pd.DataFrame:
    """Required people by site kind and role, in rule order, with the number of sites."""
    frame = requirements_frame(demand)
    grouped = (
        frame.groupby(["site_kind", "role", "role_name"], sort=False)
        .agg(sites=("site_id", "nunique"), required=("required", "sum"))
        .reset_index()
    )
    grouped["site_kind_ko"] = grouped["site_kind"].map({k.value: v for k, v in SITE_KIND_KO.items()})
    order = {k.value: i for i, k in enumerate(SiteKind)}
    return grouped.sort_values("site_kind", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
