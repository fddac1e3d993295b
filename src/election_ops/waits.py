"""Voter waits at polling and early-voting stations: queueing formulas, hour by hour.

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

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

if TYPE_CHECKING:  # demand may one day import this module: no import cycle at run time
    from .demand import Demand
    from .domain import EarlyVotingRules

__all__ = [
    "DEFAULT_EARLY_PROFILE",
    "DEFAULT_EDAY_PROFILE",
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
    "station_waits",
    "worst_first",
]

# --- hourly arrival profiles --------------------------------------------------------------

# Election day, 06:00-18:00: the NEC's running national turnout of the 2012 presidential
# election (a single-day election without early voting), in points of electors per hour:
# 07:00 2.8 %, 09:00 11.6, 11:00 26.4, 12:00 34.9, 13:00 45.3, 14:00 52.6, 15:00 59.3,
# 16:00 65.2, 17:00 70.1, 18:00 75.8. Two-hour steps are split evenly. The 12-13 step
# (10.4 points, 4.2 million) is above domain.md's 2.7-3.4 million an hour and is read as
# a one-off addition to the count (absentee ballots, about 2.7 points): 7.7 is used.
_EDAY_POINTS = (2.8, 4.4, 4.4, 7.4, 7.4, 8.5, 7.7, 7.3, 6.7, 5.9, 4.9, 5.7)
# Early voting, 06:00-18:00: the NEC's running national turnout on the first early-voting
# day of the 2022 presidential election (2022-03-04), 07:00 0.58 % ... 18:00 17.57 %.
# The first hour is 3.3 % of the day, as in 2020 (0.41 of 12.14 points).
_EARLY_POINTS = (0.58, 0.62, 0.94, 1.50, 1.74, 1.73, 1.64, 1.73, 1.83, 1.80, 1.73, 1.73)


def _shares(points: Sequence[float]) -> tuple[float, ...]:
    total = math.fsum(points)
    return tuple(p / total for p in points)


DEFAULT_EDAY_PROFILE = _shares(_EDAY_POINTS)
DEFAULT_EARLY_PROFILE = _shares(_EARLY_POINTS)

# --- the model's parameters ---------------------------------------------------------------

Seconds = Annotated[float, Field(gt=0)]
NonNegSeconds = Annotated[float, Field(ge=0)]
Desks = Annotated[int, Field(ge=0)]

STAFFED_STAGES = ("register", "ballot", "early_in", "early_out")
STAGE_LIMIT_FIELD = {"register": "register_desks", "ballot": "ballot_desks", "booth": "booths",
                     "early_in": "early_in_desks", "early_out": "early_out_desks"}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ServiceTimes(_Frozen):
    """Mean seconds one server (a desk or a booth) spends on one voter.

    Ballots beyond the first add ``*_per_extra_s`` each. Defaults: register 30 s and ballot
    issue 10 + 5 per extra ballot, so identity check through the 7th ballot takes 30 + 40
    = 70 s, the NEC's 2022 demonstration (68-71 s); booth 30 s for one ballot, 60 s for 7;
    early-voting 관내 desk (identity check and ballot printing) 30 s + 5 per extra ballot
    (60 s for 7), 관외 30 s more for the return envelope (90 s for 7).
    """

    register_s: Seconds = 30.0
    ballot_base_s: Seconds = 10.0
    ballot_per_extra_s: NonNegSeconds = 5.0
    booth_base_s: Seconds = 30.0
    booth_per_extra_s: NonNegSeconds = 5.0
    early_in_base_s: Seconds = 30.0
    early_per_extra_s: NonNegSeconds = 5.0
    early_out_extra_s: NonNegSeconds = 30.0

    def seconds(self, stage: str, ballots: int) -> float:
        extra = max(0, ballots - 1)
        early = self.early_in_base_s + self.early_per_extra_s * extra
        return {
            "register": self.register_s,
            "ballot": self.ballot_base_s + self.ballot_per_extra_s * extra,
            "booth": self.booth_base_s + self.booth_per_extra_s * extra,
            "early_in": early,
            "early_out": early + self.early_out_extra_s,
        }[stage]


class StationLimits(_Frozen):
    """What one room holds: serving positions per stage (a desk serves one voter at a time).

    A polling station uses register_desks, ballot_desks and booths; an early-voting
    station early_in_desks (관내), early_out_desks (관외) and booths.
    """

    register_desks: Annotated[int, Field(ge=1)] = 4
    ballot_desks: Annotated[int, Field(ge=1)] = 4
    booths: Annotated[int, Field(ge=1)] = 8
    early_in_desks: Annotated[int, Field(ge=1)] = 4
    early_out_desks: Annotated[int, Field(ge=1)] = 2


class SiteLimits(_Frozen):
    """One site's overrides of ``StationLimits``: only the fields given replace the default."""

    register_desks: Annotated[int, Field(ge=1)] | None = None
    ballot_desks: Annotated[int, Field(ge=1)] | None = None
    booths: Annotated[int, Field(ge=1)] | None = None
    early_in_desks: Annotated[int, Field(ge=1)] | None = None
    early_out_desks: Annotated[int, Field(ge=1)] | None = None


def _check_profile(shares: tuple[float, ...]) -> tuple[float, ...]:
    if not shares:
        raise ValueError("an hourly profile needs at least one hour")
    if any(s < 0 for s in shares):
        raise ValueError("hourly shares must not be negative")
    total = math.fsum(shares)
    if abs(total - 1.0) > 0.005:
        raise ValueError(f"hourly shares must sum to 1 (they sum to {total:.4f})")
    return tuple(s / total for s in shares)  # rounding in a YAML file must not lose voters


_STAGE_DEFAULTS: dict[str, dict[str, object]] = {
    "stage_roles": {"register": "register_check", "ballot": "ballot_issue",
                    "early_in": "early_in_clerk", "early_out": "early_out_clerk"},
    "clerks_per_desk": {"register": 1, "ballot": 1, "early_in": 2, "early_out": 2},
}


class WaitModel(_Frozen):
    """Everything the wait predictions assume; every field has a documented default."""

    target_wait_min: Annotated[float, Field(gt=0)] = 30.0  # PCEA 2014: nobody should wait longer
    open_hour: Annotated[int, Field(ge=0, le=23)] = 6  # both kinds of station open 06:00-18:00
    eday_profile: tuple[float, ...] = DEFAULT_EDAY_PROFILE
    early_profile: tuple[float, ...] = DEFAULT_EARLY_PROFILE
    service: ServiceTimes = ServiceTimes()
    stage_roles: dict[str, str] = Field(default_factory=lambda: dict(_STAGE_DEFAULTS["stage_roles"]))
    clerks_per_desk: dict[str, Annotated[int, Field(ge=1)]] = Field(
        default_factory=lambda: dict(_STAGE_DEFAULTS["clerks_per_desk"]))
    limits: StationLimits = StationLimits()
    site_limits: dict[str, SiteLimits] = Field(default_factory=dict)
    rho_cap: Annotated[float, Field(gt=0, lt=1)] = 0.95  # Erlang C is used up to this utilisation
    size_clerks: bool = False  # demand: raise stage clerks until the worst hour meets the target (room permitting)

    @field_validator("eday_profile", "early_profile")
    @classmethod
    def _check_profiles(cls, shares: tuple[float, ...]) -> tuple[float, ...]:
        return _check_profile(shares)

    @field_validator("stage_roles", "clerks_per_desk", mode="before")
    @classmethod
    def _fill_stages(cls, given: object, info: ValidationInfo) -> object:
        """A partial mapping (e.g. only early_in) keeps the defaults for the other stages."""
        if not isinstance(given, Mapping):
            return given
        unknown = set(given) - set(STAFFED_STAGES)
        if unknown:
            raise ValueError(f"unknown stage(s) {sorted(unknown)}; stages are {list(STAFFED_STAGES)}")
        return {**_STAGE_DEFAULTS[info.field_name], **given}

    def limits_for(self, site_id: str) -> StationLimits:
        """The room's limits at one site: the default with the site's overrides."""
        override = self.site_limits.get(site_id)
        if override is None:
            return self.limits
        given = {k: v for k, v in override.model_dump().items() if v is not None}
        return self.limits.model_copy(update=given)

    def profile(self, site_kind: str) -> tuple[float, ...]:
        return self.eday_profile if _kind(site_kind) == "polling" else self.early_profile

    def hour_label(self, hour: int) -> str:
        return f"{(self.open_hour + hour) % 24:02d}:00"

    def merged(self, data: Mapping[str, object] | None) -> WaitModel:
        """This model with a rules or scenario ``waits:`` block laid over it.

        Top-level keys replace; the mappings service, limits, stage_roles, clerks_per_desk
        and site_limits are merged key by key (a site's limits replace that site's).
        """
        if not data:
            return self
        base = self.model_dump(exclude_defaults=False)
        merged: dict[str, object] = dict(base)
        for key, value in data.items():
            if key in ("service", "limits", "stage_roles", "clerks_per_desk", "site_limits") \
                    and isinstance(value, Mapping):
                merged[key] = {**base[key], **value}  # type: ignore[dict-item]
            else:
                merged[key] = value
        return WaitModel.model_validate(merged)


def _kind(site_kind: str) -> str:
    kind = str(site_kind)
    if kind not in ("polling", "early"):
        raise ValueError(f"waits are predicted for polling and early stations, not {kind!r}")
    return kind


# --- Erlang C -----------------------------------------------------------------------------


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival waits in an M/M/c queue (Erlang C), ``offered_load = λ/μ``.

    Computed by the Erlang B recursion, stable for hundreds of servers; 1.0 when the
    queue is unstable (offered_load >= servers).
    """
    if servers < 0 or offered_load < 0:
        raise ValueError("servers and offered load must not be negative")
    if offered_load == 0:
        return 0.0
    if offered_load >= servers:
        return 1.0
    b = 1.0  # Erlang B with 0 servers
    for k in range(1, servers + 1):
        b = offered_load * b / (k + offered_load * b)
    return servers * b / (servers - offered_load * (1.0 - b))


def erlang_c_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean wait in queue (before service) of a stationary M/M/c queue, in the rates' time unit.

    ``service_rate`` is one server's. Wq = C(c, λ/μ) / (cμ - λ); infinite when λ >= cμ.
    """
    if service_rate <= 0:
        raise ValueError("service_rate must be positive")
    if arrival_rate < 0:
        raise ValueError("arrival_rate must not be negative")
    if arrival_rate == 0:
        return 0.0
    if servers <= 0 or arrival_rate >= servers * service_rate:
        return math.inf
    return erlang_c(servers, arrival_rate / service_rate) / (servers * service_rate - arrival_rate)


# --- one stage over the day -----------------------------------------------------------------


@dataclass(frozen=True)
class _StageDay:
    fluid_h: tuple[float, ...]  # per hour, mean wait behind the carried-over backlog (hours)
    stationary_h: tuple[float, ...]  # per hour, Erlang C mean wait, utilisation capped at rho_cap (hours)


def _fluid_mean_backlog(backlog: float, arrivals: float, capacity: float) -> float:
    """Mean over one hour of Q(t) = max(0, B + (λ - K) t), the voters ahead of an arrival at t."""
    drift = arrivals - capacity
    if drift >= 0:
        return backlog + drift / 2
    drain_time = backlog / -drift
    if drain_time >= 1:
        return backlog + drift / 2
    return backlog * drain_time / 2


def _stage_day(arrivals: Sequence[float], servers: int, service_s: float, rho_cap: float) -> _StageDay:
    """One stage on its own, hour by hour: a fluid backlog carried over, and Erlang C on top.

    What arrives beyond capacity K in an hour stays in line into the next hour; an
    arrival at t waits Q(t) / K behind it. The stationary M/M/c wait of the hour is added,
    with the arrival rate put into the formula capped at rho_cap x K (a queue has no time
    to reach the stationary mean of a saturated hour; the backlog takes over from there).
    """
    mu = 3600.0 / service_s  # voters an hour one server serves
    capacity = servers * mu
    fluid: list[float] = []
    stationary: list[float] = []
    backlog = 0.0
    for lam in arrivals:
        if capacity == 0:
            fluid.append(math.inf if lam > 0 or backlog > 0 else 0.0)
            stationary.append(0.0)
            backlog += lam
            continue
        fluid.append(_fluid_mean_backlog(backlog, lam, capacity) / capacity)
        stationary.append(erlang_c_wait(min(lam, rho_cap * capacity), mu, servers))
        backlog = max(0.0, backlog + lam - capacity)
    return _StageDay(tuple(fluid), tuple(stationary))


# --- a station ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Stage:
    name: str  # register, ballot, booth, early_in, early_out
    servers: int
    service_s: float


def _paths(kind: str) -> dict[str, tuple[str, ...]]:
    """The stages each class of voter passes through, in order."""
    if kind == "polling":
        return {"voter": ("register", "ballot", "booth")}
    return {"관내": ("early_in", "booth"), "관외": ("early_out", "booth")}


def _class_shares(kind: str, out_share: float) -> dict[str, float]:
    if kind == "polling":
        return {"voter": 1.0}
    return {"관내": 1.0 - out_share, "관외": out_share}


def _station_stages(kind: str, ballots: int, servers: Mapping[str, int], model: WaitModel) -> dict[str, _Stage]:
    names = ("register", "ballot", "booth") if kind == "polling" else ("early_in", "early_out", "booth")
    return {n: _Stage(n, servers[n], model.service.seconds(n, ballots)) for n in names}


@dataclass(frozen=True)
class _Evaluation:
    expected_h: float
    worst_h: float
    worst_hour: int
    bottleneck: str
    hourly_h: tuple[float, ...]  # per opening hour, the worst class's wait
    stage_worst_h: dict[str, float]


def _evaluate(kind: str, voters: float, out_share: float, stages: Mapping[str, _Stage],
              model: WaitModel) -> _Evaluation:
    """A voter's wait in an hour: the stages' Erlang C waits added up, plus the backlog of the tightest stage.

    Every stage is fed the station's own arrivals of the hour (not metered by the stages
    before it). A fluid tandem queue delays each voter exactly as its slowest stage alone
    would, so the backlog part is the largest single-stage backlog wait along the path.
    Both parts can only shrink when a stage gets a server more.
    """
    profile = model.profile(kind)
    shares = _class_shares(kind, out_share)
    paths = _paths(kind)
    feeds: dict[str, list[float]] = {}
    for cls, path in paths.items():
        for name in path:
            cls_arrivals = [voters * shares[cls] * p for p in profile]
            feeds[name] = [a + b for a, b in itertools.zip_longest(feeds.get(name, []), cls_arrivals, fillvalue=0.0)]
    days = {n: _stage_day(feeds[n], stages[n].servers, stages[n].service_s, model.rho_cap) for n in feeds}

    hours = len(profile)
    hourly = [0.0] * hours
    worst_stage_at = [""] * hours
    stage_worst = {n: 0.0 for n in days}
    total_w = total_n = 0.0
    for cls, path in paths.items():
        if shares[cls] <= 0:
            continue
        for h in range(hours):
            fluid = {n: days[n].fluid_h[h] for n in path}
            stationary = {n: days[n].stationary_h[h] for n in path}
            w = math.fsum(stationary.values()) + max(fluid.values())
            n = voters * shares[cls] * profile[h]
            if n <= 0:
                continue
            total_w += w * n
            total_n += n
            per_stage = {k: fluid[k] + stationary[k] for k in path}
            for k, v in per_stage.items():
                stage_worst[k] = max(stage_worst[k], v)
            if w > hourly[h] or not worst_stage_at[h]:
                hourly[h] = w
                worst_stage_at[h] = max(per_stage, key=per_stage.__getitem__)
    if total_n == 0:
        return _Evaluation(0.0, 0.0, -1, "", tuple(hourly), stage_worst)
    worst_hour = max(range(hours), key=lambda h: (hourly[h], -h))
    expected = total_w / total_n if math.isfinite(total_w) else math.inf
    return _Evaluation(expected, hourly[worst_hour], worst_hour, worst_stage_at[worst_hour], tuple(hourly),
                       stage_worst)


def _servers(kind: str, clerks: Mapping[str, int], limits: StationLimits,
             model: WaitModel) -> tuple[dict[str, int], dict[str, int]]:
    """Servers per stage (desks staffed, capped by the room) and the clerks the room has no desk for."""
    stages = ("register", "ballot") if kind == "polling" else ("early_in", "early_out")
    servers: dict[str, int] = {"booth": limits.booths}
    surplus: dict[str, int] = {}
    for stage in stages:
        role = model.stage_roles[stage]
        per_desk = model.clerks_per_desk[stage]
        desks = getattr(limits, STAGE_LIMIT_FIELD[stage])
        staffed = max(0, int(clerks.get(role, 0))) // per_desk
        servers[stage] = min(staffed, desks)
        beyond = max(0, int(clerks.get(role, 0)) - desks * per_desk)
        if beyond:
            surplus[role] = beyond
    return servers, surplus


def _full_servers(kind: str, limits: StationLimits) -> dict[str, int]:
    names = ("register", "ballot", "booth") if kind == "polling" else ("early_in", "early_out", "booth")
    return {n: getattr(limits, STAGE_LIMIT_FIELD[n]) for n in names}


def _minutes(hours: float) -> float:
    return hours * 60.0


# --- public results -------------------------------------------------------------------------

WAITS_COLUMNS = ("site_id", "site_kind", "voters", "expected_wait_min", "worst_wait_min", "worst_hour",
                 "bottleneck", "meets_target", "over_target", "capacity_limited", "best_worst_wait_min", "note")


@dataclass(frozen=True)
class StationWait:
    """Predicted line at one station on one day (minutes; ``math.inf`` when a stage has no server)."""

    site_id: str
    site_kind: str
    voters: float  # expected voters of the day
    expected_wait_min: float  # arrival-weighted mean over the day
    worst_wait_min: float  # mean wait of the worst hour (the worst voter class at an early station)
    worst_hour: str  # start of the worst hour, e.g. '11:00'; '' without voters
    bottleneck: str  # stage with the longest wait in the worst hour: register, ballot, booth, early_in, early_out
    capacity_limited: bool  # over target, and still over target with every desk the room holds staffed
    best_worst_wait_min: float  # worst-hour wait with every desk of the room staffed
    target_wait_min: float
    hourly_min: tuple[float, ...]  # per opening hour, the worst class's mean wait
    servers: dict[str, int] = field(default_factory=dict)  # servers per stage in this plan
    surplus_clerks: dict[str, int] = field(default_factory=dict)  # by role: clerks the room has no desk for
    stage_worst_min: dict[str, float] = field(default_factory=dict)  # each stage's worst hour

    @property
    def meets_target(self) -> bool:
        return self.worst_wait_min <= self.target_wait_min

    @property
    def note(self) -> str:
        """One line for people: why a station misses the target, and what would fix it."""
        if self.meets_target:
            return ""
        at = f"{self.worst_wait_min:.0f} min at {self.worst_hour} ({self.bottleneck})"
        if self.capacity_limited:
            best = "no end" if math.isinf(self.best_worst_wait_min) else f"{self.best_worst_wait_min:.0f} min"
            return (f"{self.site_id}: worst hour waits {at}; even with every desk the room holds staffed it "
                    f"waits {best}, over the {self.target_wait_min:.0f}-min target: split the station or "
                    f"give it a bigger room")
        return (f"{self.site_id}: worst hour waits {at}, over the {self.target_wait_min:.0f}-min target: "
                f"staff more desks (the room has space)")

    def row(self) -> dict[str, object]:
        """One row of waits.csv (columns ``WAITS_COLUMNS``), minutes rounded to 0.1."""
        return {
            "site_id": self.site_id, "site_kind": self.site_kind, "voters": round(self.voters),
            "expected_wait_min": _round(self.expected_wait_min), "worst_wait_min": _round(self.worst_wait_min),
            "worst_hour": self.worst_hour, "bottleneck": self.bottleneck, "meets_target": self.meets_target,
            "over_target": not self.meets_target, "capacity_limited": self.capacity_limited, "best_worst_wait_min": _round(self.best_worst_wait_min),
            "note": self.note,
        }


def _round(x: float) -> float:
    return x if math.isinf(x) else round(x, 1)


def station_waits(site_id: str, site_kind: str, expected_voters_per_day: float, ballots_per_voter: int,
                  clerks: Mapping[str, int], model: WaitModel, out_share: float = 0.0) -> StationWait:
    """The line at one station on one day with the clerks the plan gives it.

    ``clerks`` maps role ids to headcounts (e.g. {"register_check": 3, "ballot_issue": 1});
    roles that staff no stage are ignored. ``out_share`` is the share of an early-voting
    station's voters who are 관외 (from elsewhere); they queue at their own desks.
    """
    kind = _kind(site_kind)
    if expected_voters_per_day < 0:
        raise ValueError("expected voters must not be negative")
    if ballots_per_voter < 1:
        raise ValueError("ballots_per_voter must be at least 1")
    if not 0 <= out_share <= 1:
        raise ValueError("out_share must lie in [0, 1]")
    if kind == "polling":
        out_share = 0.0
    limits = model.limits_for(site_id)
    servers, surplus = _servers(kind, clerks, limits, model)
    ev = _evaluate(kind, expected_voters_per_day, out_share,
                   _station_stages(kind, ballots_per_voter, servers, model), model)
    full = _full_servers(kind, limits)
    best = ev if servers == full else _evaluate(kind, expected_voters_per_day, out_share,
                                                _station_stages(kind, ballots_per_voter, full, model), model)
    target_h = model.target_wait_min / 60.0
    return StationWait(
        site_id=site_id, site_kind=kind, voters=float(expected_voters_per_day),
        expected_wait_min=_minutes(ev.expected_h), worst_wait_min=_minutes(ev.worst_h),
        worst_hour=model.hour_label(ev.worst_hour) if ev.worst_hour >= 0 else "",
        bottleneck=ev.bottleneck, capacity_limited=ev.worst_h > target_h and best.worst_h > target_h,
        best_worst_wait_min=_minutes(best.worst_h), target_wait_min=model.target_wait_min,
        hourly_min=tuple(_minutes(w) for w in ev.hourly_h), servers=servers, surplus_clerks=surplus,
        stage_worst_min={n: _minutes(w) for n, w in ev.stage_worst_h.items()},
    )


@dataclass(frozen=True)
class ClerkPlan:
    """The fewest clerks that keep a station's worst hour under target, or why none can."""

    site_id: str
    clerks: dict[str, int] | None  # by role id, e.g. {"register_check": 3, "ballot_issue": 1}; None: impossible
    worst_wait_min: float  # with these clerks, or with every desk staffed when impossible
    reason: str | None = None  # set when clerks is None

    @property
    def feasible(self) -> bool:
        return self.clerks is not None


def clerks_for_target(site_id: str, site_kind: str, expected_voters_per_day: float, ballots_per_voter: int,
                      model: WaitModel, out_share: float = 0.0) -> ClerkPlan:
    """The fewest clerks (per stage, within the room's desks) whose worst hour stays under target.

    Tries every combination of staffed desks up to the limits (a few dozen at the
    defaults) and keeps the one with the fewest clerks, then the shortest worst wait. A
    stage with no voters (관외 desks when out_share is 0) may get none.
    """
    kind = _kind(site_kind)
    if kind == "polling":
        out_share = 0.0
    limits = model.limits_for(site_id)
    staffed = ("register", "ballot") if kind == "polling" else ("early_in", "early_out")
    flows = {"register": 1.0, "ballot": 1.0, "early_in": 1.0 - out_share, "early_out": out_share}
    ranges = []
    for stage in staffed:
        low = 0 if flows[stage] * expected_voters_per_day <= 0 else 1
        ranges.append(range(low, getattr(limits, STAGE_LIMIT_FIELD[stage]) + 1))
    target_h = model.target_wait_min / 60.0
    best: tuple[int, float, tuple[int, ...]] | None = None
    for desks in itertools.product(*ranges):
        servers = dict(zip(staffed, desks)) | {"booth": limits.booths}
        ev = _evaluate(kind, expected_voters_per_day, out_share,
                       _station_stages(kind, ballots_per_voter, servers, model), model)
        if ev.worst_h > target_h:
            continue
        n_clerks = sum(d * model.clerks_per_desk[s] for s, d in zip(staffed, desks))
        key = (n_clerks, ev.worst_h, desks)
        if best is None or key < best:
            best = key
    if best is not None:
        clerks = {model.stage_roles[s]: d * model.clerks_per_desk[s] for s, d in zip(staffed, best[2])}
        return ClerkPlan(site_id, clerks, _minutes(best[1]))
    full = _full_servers(kind, limits)
    ev = _evaluate(kind, expected_voters_per_day, out_share, _station_stages(kind, ballots_per_voter, full, model),
                   model)
    room = ", ".join(f"{full[n]} {STAGE_LIMIT_FIELD[n].replace('_', ' ')}" for n in full)
    worst = "no end" if math.isinf(ev.worst_h) else f"{_minutes(ev.worst_h):.0f} min"
    reason = (f"{site_id}: even with every desk the room holds staffed ({room}) the worst hour "
              f"({model.hour_label(ev.worst_hour)}, {ev.bottleneck}) waits {worst}, over the "
              f"{model.target_wait_min:.0f}-min target: split the station or raise its limits (site_limits)")
    return ClerkPlan(site_id, None, _minutes(ev.worst_h), reason)


def stage_capacity(site_id: str, site_kind: str, model: WaitModel) -> dict[str, int]:
    """Clerks needed to staff every desk the room holds, by role id."""
    full = _full_servers(_kind(site_kind), model.limits_for(site_id))
    return {model.stage_roles[s]: n * model.clerks_per_desk[s] for s, n in full.items() if s in model.stage_roles}


# --- a whole plan ---------------------------------------------------------------------------


def demand_waits(demand: Demand, *, ballots_per_voter: int, early_voting: EarlyVotingRules,
                 model: WaitModel) -> tuple[StationWait, ...]:
    """Waits at every polling and early-voting station of a demand, with the clerks it requires.

    Early voting: with one shift over both days the busiest day (the largest day share)
    is predicted; with a shift per day, each day with that day's clerks and share, and
    the worse day is kept.
    """
    order = {s.id: i for i, s in enumerate(demand.shifts)}
    clerks: dict[str, dict[str, dict[str, int]]] = {}  # site -> shift -> role -> people
    for r in demand.requirements:
        per = clerks.setdefault(r.site_id, {}).setdefault(r.shift, {})
        per[r.role] = per.get(r.role, 0) + r.required
    out: list[StationWait] = []
    for site in demand.sites:
        kind = str(site.kind)
        if kind not in ("polling", "early"):
            continue
        load = demand.loads[site.id]
        shifts = sorted(clerks.get(site.id, {}), key=lambda s: order.get(s, len(order)))
        if kind == "polling":
            staff: dict[str, int] = {}
            for shift in shifts:
                for role, n in clerks[site.id][shift].items():
                    staff[role] = max(staff.get(role, 0), n)
            out.append(station_waits(site.id, kind, load.voters, ballots_per_voter, staff, model))
            continue
        out_share = load.out_voters / load.voters if load.voters > 0 else 0.0
        shares = tuple(early_voting.day_shares)
        if len(shifts) > 1 and len(shifts) == len(shares):
            days = list(zip(shifts, shares))
        else:
            days = [(shifts[0] if shifts else "", max(shares))]
        candidates = [station_waits(site.id, kind, load.voters * share, ballots_per_voter,
                                    clerks.get(site.id, {}).get(shift, {}), model, out_share)
                      for shift, share in days]
        out.append(max(candidates, key=lambda w: w.worst_wait_min))
    return tuple(out)


def worst_first(waits: Iterable[StationWait], n: int | None = None) -> list[StationWait]:
    """Stations by worst-hour wait, longest first (for the roster's 요약)."""
    ranked = sorted(waits, key=lambda w: (-w.worst_wait_min, -w.expected_wait_min, w.site_id))
    return ranked if n is None else ranked[:n]


def plan_waits(demand: Demand, assigned: Mapping[tuple[str, str, str], int], *, ballots_per_voter: int,
               early_voting: EarlyVotingRules, model: WaitModel) -> tuple[StationWait, ...]:
    """Waits with the clerks a plan actually gives each station: ``assigned`` counts people per
    (site_id, role, shift), so a post left short shows in the line it leaves."""
    from dataclasses import replace

    staffed = tuple(r.model_copy(update={"required": assigned.get((r.site_id, r.role, r.shift), 0)})
                    for r in demand.requirements)
    return demand_waits(replace(demand, requirements=staffed), ballots_per_voter=ballots_per_voter,
                        early_voting=early_voting, model=model)
