"""Compare solved plans side by side, from their folders alone (so a saved plan can be reused).

Every figure comes from the files a solve writes (summary.json, sites.csv,
requirements.csv, assignments.csv, waits.csv), never from the solver, so comparing
five scenarios costs five solves at most, and none for folders already solved.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .plan_folder import read_plan
from .waits.station import UNBOUNDED_KO

SITE_KINDS = ("polling", "early", "counting")


@dataclass(frozen=True)
class PlanFiles:
    """One plan folder's tables."""

    name: str
    folder: Path
    summary: dict
    sites: pd.DataFrame
    requirements: pd.DataFrame
    waits: pd.DataFrame | None


def read_plan_files(folder: Path, name: str | None = None) -> PlanFiles:
    plan = read_plan(folder)
    waits = plan.frame("waits.csv") if plan.has("waits.csv") else None
    return PlanFiles(name=name or plan.summary.scenario_id, folder=folder, summary=plan.summary.raw,
                     sites=plan.frame("sites.csv"), requirements=plan.frame("requirements.csv"), waits=waits)


def minutes(value: object) -> float | str | None:
    """A wait for a table: minutes to 0.1, the label for a line that never clears, None when unknown."""
    number = float(value)  # type: ignore[arg-type]
    if math.isnan(number):
        return None
    return UNBOUNDED_KO if math.isinf(number) else round(number, 1)


def mean_minutes(values: pd.Series) -> float | str | None:
    """The mean wait over stations; a station whose line never clears makes the mean unbounded too."""
    return minutes(values.astype(float).mean()) if len(values) else None


def _unbounded(waits: pd.DataFrame) -> pd.Series:
    return waits["worst_wait_min"].astype(float).map(math.isinf)


def plan_is_short(plan: PlanFiles) -> bool:
    """Posts left empty in the plan: its own exit code is 3, and so is any command's that shows it."""
    return int(plan.summary.get("shortfall_count", 0) or 0) > 0


def headline(plan: PlanFiles) -> dict[str, object]:
    """The figures a task force weighs, one plan at a time, in display order."""
    polling = plan.sites[plan.sites["site_kind"] == "polling"]
    req = plan.requirements
    summary = plan.summary
    row: dict[str, object] = {
        "precincts (투표구)": int(polling["serves"].str.split(";").str.len().sum()),
        "polling stations (투표소)": len(polling),
        "electors per station, max": int(polling["electors"].max()),
        "electors per station, mean": round(float(polling["electors"].mean())),
        "busiest station": str(polling.loc[polling["electors"].idxmax(), "site_id"]),
    }
    if plan.waits is not None and len(plan.waits):
        worst = plan.waits.sort_values(["worst_wait_min", "site_id"], ascending=[False, True]).iloc[0]
        row["worst-hour wait, worst station (min)"] = minutes(worst["worst_wait_min"])
        row["worst-wait station"] = str(worst["site_id"])
        row["expected wait, mean over stations (min)"] = mean_minutes(plan.waits["expected_wait_min"])
        row[f"stations whose line never clears ({UNBOUNDED_KO})"] = int(_unbounded(plan.waits).sum())
        if "over_target" in plan.waits:
            row["stations over the wait target"] = int(plan.waits["over_target"].astype(bool).sum())
    for kind in SITE_KINDS:
        row[f"staff needed: {kind}"] = int(req.loc[req["site_kind"] == kind, "required"].sum())
    row["staff needed: total"] = int(req["required"].sum())
    row["posts short (미충원)"] = int(summary.get("shortfall_count", 0))
    commute = summary.get("commute_m", {})
    row["commute mean (m)"] = commute.get("mean")
    row["commute max (m)"] = commute.get("max")
    fairness = summary.get("fairness", {})
    gaps = [abs(f["post_share"] - f["pool_share"]) for f in fairness.values()
            if f.get("post_share") is not None and f.get("pool_share") is not None]
    row["department fairness: largest share gap (%p)"] = round(100 * max(gaps), 2) if gaps else None
    row["estimated allowances (KRW)"] = summary.get("cost_krw", {}).get("total")
    row["solver"] = f"{summary.get('status')} {summary.get('solve_seconds', 0):.1f}s"
    return row


def side_by_side(plans: list[PlanFiles]) -> pd.DataFrame:
    """One row per figure, one column per plan."""
    return pd.DataFrame({p.name: headline(p) for p in plans})


def role_table(plans: list[PlanFiles]) -> pd.DataFrame:
    """Staff needed per site kind and role, one column per plan."""
    frames = []
    for p in plans:
        g = p.requirements.groupby(["site_kind", "role"], sort=False)["required"].sum().rename(p.name)
        frames.append(g)
    table = pd.concat(frames, axis=1).fillna(0).astype(int)
    order = {k: i for i, k in enumerate(SITE_KINDS)}
    return table.sort_index(key=lambda idx: idx.map(order) if idx.name == "site_kind" else idx, kind="stable")


def changed_dongs(plans: list[PlanFiles]) -> list[str]:
    """The 동 whose polling stations differ between the plans: where a layout change acts."""
    stations = [p.sites[p.sites["site_kind"] == "polling"] for p in plans]
    dongs = sorted(set().union(*(set(s["dong"]) for s in stations)))
    changed = []
    for dong in dongs:
        layouts = {tuple(sorted(zip(s.loc[s["dong"] == dong, "site_id"], s.loc[s["dong"] == dong, "serves"])))
                   for s in stations}
        if len(layouts) > 1:
            changed.append(dong)
    return changed


def dong_table(plans: list[PlanFiles], dongs: list[str]) -> pd.DataFrame:
    """Per 동 of interest and plan: stations, electors per station, worst wait, staff needed."""
    rows = []
    for dong in dongs:
        for p in plans:
            polling = p.sites[(p.sites["site_kind"] == "polling") & (p.sites["dong"] == dong)]
            ids = set(polling["site_id"])
            req = p.requirements[p.requirements["site_id"].isin(ids)]
            row = {"dong": dong, "plan": p.name, "stations": len(polling),
                   "electors per station, max": int(polling["electors"].max()) if len(polling) else 0,
                   "electors per station, mean": round(float(polling["electors"].mean())) if len(polling) else 0,
                   "staff needed": int(req["required"].sum())}
            if p.waits is not None:
                w = p.waits[p.waits["site_id"].isin(ids)]
                if len(w):
                    worst = w.sort_values(["worst_wait_min", "site_id"], ascending=[False, True]).iloc[0]
                    row["worst-hour wait (min)"] = minutes(worst["worst_wait_min"])
                    row["at"] = str(worst["site_id"])
                    row["expected wait, mean (min)"] = mean_minutes(w["expected_wait_min"])
            rows.append(row)
    return pd.DataFrame(rows)


def worst_stations(plans: list[PlanFiles], top: int = 5) -> pd.DataFrame:
    rows = []
    for p in plans:
        if p.waits is None:
            continue
        worst = p.waits.sort_values(["worst_wait_min", "site_id"], ascending=[False, True]).head(top)
        for r in worst.itertuples(index=False):
            rows.append({"plan": p.name, "site_id": r.site_id, "worst_wait_min": minutes(r.worst_wait_min),
                         "expected_wait_min": minutes(r.expected_wait_min)})
    return pd.DataFrame(rows, columns=["plan", "site_id", "worst_wait_min", "expected_wait_min"])
