"""The national outputs of a country run, built from the unit records alone.

``country.csv`` (one row per unit, for machines), ``country_roles.csv`` (posts per role,
national), ``country.json`` (totals), ``country.xlsx`` (Korean: 전국, 시도별, 구시군별,
역할별, 점검 필요) and ``report.html`` (one offline page: the units on a map, the 시도
table, the units that need a look). Every file is written atomically.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd

from ..costs import ROLE_CLASSES
from ..reports.files import write_csv
from ..safe_write import write_text_atomic
from .figures import SITE_KINDS, WAIT_LIMIT_MIN

COUNTRY_COLUMNS = [
    "code", "sido", "sigungu", "registered_electors", "nec_registered_electors", "nec_precincts", "nec_emd",
    "stations_polling", "stations_early", "stations_counting",
    "posts_polling", "posts_early", "posts_counting", "posts_total", "people_placed", "pool_size", "posts_short",
    "allowance_manager_krw", "allowance_clerk_krw", "allowance_counting_krw", "allowance_total_krw",
    "worst_wait_min", "worst_wait_site", "status", "solver_status", "gap", "solve_seconds", "unit_seconds", "error",
    "stations_over_wait_limit",  # added later, so last: stations (any kind) whose worst hour waits over 30 minutes
]
NUMBER_COLUMNS = [c for c in COUNTRY_COLUMNS if c.startswith(("stations_", "posts_", "allowance_", "people_", "pool_",
                                                              "registered_", "nec_"))]


def country_frame(records: list[dict]) -> pd.DataFrame:
    rows = [{c: r.get(c) for c in COUNTRY_COLUMNS} for r in records]
    frame = pd.DataFrame(rows, columns=COUNTRY_COLUMNS)
    for column in NUMBER_COLUMNS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    return frame


def totals(records: list[dict]) -> dict:
    """National totals over the units that have a plan (failed units are counted apart)."""
    done = [r for r in records if r.get("status") != "failed"]
    posts_by_role: Counter = Counter()
    role_names: dict[str, str] = {}
    for r in done:
        posts_by_role.update(r.get("posts_by_role") or {})
        role_names.update(r.get("role_names") or {})
    waits = [worst_wait(r) for r in done]
    return {
        "units": len(records),
        "units_planned": sum(r.get("status") == "planned" for r in records),
        "units_short": sum(r.get("status") == "short" for r in records),
        "units_failed": sum(r.get("status") == "failed" for r in records),
        "units_invalid": sum(r.get("status") == "invalid" for r in records),
        "registered_electors": sum(int(r.get("registered_electors") or 0) for r in done),
        **{f"stations_{k}": sum(int(r.get(f"stations_{k}") or 0) for r in done) for k in SITE_KINDS},
        **{f"posts_{k}": sum(int(r.get(f"posts_{k}") or 0) for r in done) for k in SITE_KINDS},
        "posts_total": sum(int(r.get("posts_total") or 0) for r in done),
        "people_placed": sum(int(r.get("people_placed") or 0) for r in done),
        "posts_short": sum(int(r.get("posts_short") or 0) for r in done),
        **{f"allowance_{k}_krw": sum(int(r.get(f"allowance_{k}_krw") or 0) for r in done) for k in ROLE_CLASSES},
        "allowance_total_krw": sum(int(r.get("allowance_total_krw") or 0) for r in done),
        "units_over_wait_limit": sum(w > WAIT_LIMIT_MIN for w in waits),
        "stations_over_wait_limit": sum(int(r.get("stations_over_wait_limit") or 0) for r in done),
        "posts_by_role": dict(sorted(posts_by_role.items())),
        "role_names": dict(sorted(role_names.items())),
    }


def by_sido(records: list[dict]) -> pd.DataFrame:
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        groups[r["sido"]].append(r)
    rows = []
    for sido in sorted(groups):
        t = totals(groups[sido])
        rows.append({"sido": sido, **{k: v for k, v in t.items() if k not in ("posts_by_role", "role_names")}})
    return pd.DataFrame(rows)


def worst_wait(record: dict) -> float:
    """A record's worst predicted wait in minutes; ``inf`` for a queue that never clears."""
    value = record.get("worst_wait_min")
    if value in (None, ""):
        return 0.0
    return math.inf if value == "inf" else float(value)


def write_national(out: Path, records: list[dict]) -> None:
    from .national_report import write_country_html, write_country_xlsx

    write_csv(country_frame(records), out / "country.csv")
    national = totals(records)
    roles = pd.DataFrame([{"site_kind": k.split(":", 1)[0], "role": k.split(":", 1)[1],
                           "role_name": national["role_names"].get(k, ""), "posts": v}
                          for k, v in national["posts_by_role"].items()],
                         columns=["site_kind", "role", "role_name", "posts"])
    write_csv(roles, out / "country_roles.csv")
    write_text_atomic(out / "country.json", json.dumps(national, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    write_country_xlsx(out / "country.xlsx", records, national, by_sido(records))
    write_country_html(out / "report.html", records, national, by_sido(records))
