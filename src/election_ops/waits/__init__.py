"""Voter waits at polling and early-voting stations: queueing formulas, hour by hour.

A package: ``queueing`` (Erlang C, one stage over the day), ``station`` (one station's
line, the fewest clerks for the target), ``plan`` (every station of a demand or a plan).
The parameters (``WaitModel`` and its parts) are domain objects (``domain.py``).

Pure: math and the domain objects only (no pandas, no ortools), deterministic, fast.
The method and every default are explained in docs/waits.md; in short:

- Arrivals: the expected voters of the day spread over the opening hours by an hourly
  profile (``WaitModel.eday_profile`` / ``early_profile``).
- Stages in series, each an M/M/c queue whose servers are the desks staffed, never more
  than the room holds (``StationLimits``): polling station register check -> ballot
  issue -> booth; early-voting station 관내 or 관외 desk -> booth.
- Per stage and hour: Erlang C for the stationary mean wait, with the utilisation put
  into the formula capped at ``rho_cap``; what arrives beyond the stage's capacity is
  carried as a deterministic (fluid) backlog into the next hours, so an overloaded
  station shows a long, finite line.
- A voter's wait in an hour: the stages' Erlang C waits added up, plus the backlog wait
  of the tightest stage on the voter's path (in a fluid tandem queue the slowest stage
  alone sets each voter's delay). The station's expected wait is the arrival-weighted
  mean over the day; its worst wait is the worst hour's mean wait.

Times inside are in hours; results are in minutes.
"""

from __future__ import annotations

from ..domain import (
    DEFAULT_EARLY_PROFILE,
    DEFAULT_EDAY_PROFILE,
    ServiceTimes,
    SiteLimits,
    StationLimits,
    WaitModel,
)
from .plan import demand_waits, plan_waits, worst_first
from .queueing import erlang_c, erlang_c_wait
from .station import (
    UNBOUNDED_KO,
    WAITS_COLUMNS,
    ClerkPlan,
    StationWait,
    clerks_for_target,
    stage_capacity,
    station_waits,
)

__all__ = [
    "DEFAULT_EARLY_PROFILE",
    "DEFAULT_EDAY_PROFILE",
    "UNBOUNDED_KO",
    "WAITS_COLUMNS",
    "ClerkPlan",
    "ServiceTimes",
    "SiteLimits",
    "StationLimits",
    "StationWait",
    "WaitModel",
    "clerks_for_target",
    "demand_waits",
    "erlang_c",
    "erlang_c_wait",
    "plan_waits",
    "stage_capacity",
    "station_waits",
    "worst_first",
]
