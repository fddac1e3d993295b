"""One station's line with the clerks it is given, and the fewest clerks that meet the target."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..domain import STAGE_LIMIT_FIELD, StationLimits, WaitModel
from .queueing import _stage_day


def _kind(site_kind: str) -> str:
    kind = str(site_kind)
    if kind not in ("polling", "early"):
        raise ValueError(f"waits are predicted for polling and early stations, not {kind!r}")
    return kind



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

# A wait with no end (a stage without a server) is written ``inf`` in waits.csv's minute columns
# (pandas and numpy read it back as infinity) and shown to people as this label (docs/waits.md).
UNBOUNDED_KO = "대기 해소 불가"

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
    def unbounded(self) -> bool:
        """A stage on the voters' path has no server: the line never clears (대기 해소 불가)."""
        return math.isinf(self.worst_wait_min)

    @property
    def note(self) -> str:
        """One line for people: why a station misses the target, and what would fix it."""
        if self.meets_target:
            return ""
        if self.unbounded:
            return (f"{self.site_id}: no {self.bottleneck} desk is staffed, so the line never clears "
                    f"({UNBOUNDED_KO}): fill the posts of that desk")
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
