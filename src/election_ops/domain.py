"""Frozen, validated domain objects with stable string ids.

No pandas and no ortools here: every layer below reads these objects, none writes them.
Ids are the ones a person sees: precinct and polling station ``독산1동-3``, early-voting
station ``독산1동-사전``, shift ``eday``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ElectionKind(StrEnum):
    presidential = "presidential"
    local = "local"
    general = "general"
    by_election = "by-election"


class SiteKind(StrEnum):
    polling = "polling"  # 투표소, one per precinct, election day
    early = "early"  # 사전투표소, one per 행정동, the two early-voting days
    counting = "counting"  # 개표소, election night


SITE_KIND_KO = {SiteKind.polling: "투표소", SiteKind.early: "사전투표소", SiteKind.counting: "개표소"}

NonNegInt = Annotated[int, Field(ge=0)]
# Bounds on the numbers of scenarios and rules, so that whatever passes validation the roster model can hold:
# headcounts, weights and their products stay far inside the solver's 64-bit integers (docs/model.md).
MAX_BALLOTS_PER_VOTER = 20  # a Korean local election hands out 7; by-elections on one day a few more
MAX_HEADCOUNT = 10_000  # people in any one rule's figure (base, per entrance, per step, max)
MAX_POSTS_PER_REQUIREMENT = 10_000  # people one role needs at one site on one shift, after the load
Headcount = Annotated[int, Field(ge=0, le=MAX_HEADCOUNT)]
FiniteLoad = Annotated[float, Field(ge=0, le=1e12, allow_inf_nan=False)]
Weight = Annotated[int, Field(ge=0, le=10**9)]  # bounded so a weighted sum always fits the solver's 64-bit objective
# Korea's first election was in 1948; a date past 2100 is a typo, and date arithmetic on it can overflow
ElectionDate = Annotated[date, Field(ge=date(1948, 1, 1), le=date(2100, 12, 31))]


class Election(Frozen):
    """The election being planned."""

    id: str
    kind: ElectionKind
    name: str
    election_day: ElectionDate
    early_days: tuple[ElectionDate, ...]
    ballots_per_voter: Annotated[int, Field(ge=1, le=MAX_BALLOTS_PER_VOTER)]

    @field_validator("early_days")
    @classmethod
    def _check_early_days(cls, days: tuple[date, ...], info: ValidationInfo) -> tuple[date, ...]:
        """At least one early-voting day, strictly increasing, all before election day."""
        if not days:
            raise ValueError("no early-voting days: list them, e.g. [2022-03-04, 2022-03-05]")
        for before, after in zip(days, days[1:]):
            if after <= before:
                raise ValueError(f"early-voting days must be in increasing order without repeats "
                                 f"({after} follows {before})")
        election_day = info.data.get("election_day")  # absent when election_day itself failed validation
        if election_day is not None and days[-1] >= election_day:
            late = next(d for d in days if d >= election_day)
            raise ValueError(f"early-voting day {late} is not before election_day {election_day}")
        return days


class Dong(Frozen):
    """An administrative neighbourhood (행정동); its id is its common name, e.g. 독산1동."""

    id: str
    nec_name: str
    code: str


class PrecinctRecord(Frozen):
    """One precinct (투표구) as it stood at one election, with that election's figures."""

    election: str
    id: str
    dong: str
    number: Annotated[int, Field(ge=1)]
    registered_electors: NonNegInt
    eday_electors: NonNegInt | None = None
    eday_votes: NonNegInt | None = None
    derived: bool = False


class DongRecord(Frozen):
    """One 행정동 at one election: register, election-day and early (관내사전) votes."""

    election: str
    dong: str
    registered_electors: NonNegInt
    eday_votes: NonNegInt | None = None
    early_in_votes: NonNegInt | None = None
    derived: bool = False


class ElectionRecord(Frozen):
    """District-wide figures of a past election (votes that belong to no 동 among them)."""

    election: str
    kind: ElectionKind
    name: str
    registered_electors: NonNegInt | None = None
    total_votes: NonNegInt | None = None
    early_out_votes: NonNegInt | None = None


class Site(Frozen):
    """A place staff work: a polling or early-voting station, or the counting site."""

    id: str
    kind: SiteKind
    name: str
    dong: str
    lon: float
    lat: float
    location_source: str
    serves: tuple[str, ...]  # precinct ids (polling), 동 ids (early), ("*",) for everything
    entrances: Annotated[int, Field(ge=1, le=100)] = 1


class District(Frozen):
    """Everything the data files say about one district."""

    name: str
    dongs: tuple[Dong, ...]
    precincts: tuple[PrecinctRecord, ...]
    dong_history: tuple[DongRecord, ...]
    elections: tuple[ElectionRecord, ...]
    sites: tuple[Site, ...]

    def layout(self, election: str) -> tuple[PrecinctRecord, ...]:
        """The precincts as they stood at ``election``."""
        return tuple(p for p in self.precincts if p.election == election)

    def dong_record(self, election: str, dong: str) -> DongRecord | None:
        return next((d for d in self.dong_history if d.election == election and d.dong == dong), None)

    def election_record(self, election: str) -> ElectionRecord | None:
        return next((e for e in self.elections if e.election == election), None)


class Shift(Frozen):
    """A stretch of work; ids (``early``, ``early-1``, ``early-2``, ``eday``, ``count``) are stable."""

    id: str
    name: str
    start: datetime
    end: datetime

    def overlaps(self, other: Shift) -> bool:
        return self.start < other.end and other.start < self.end


class LoadMetric(StrEnum):
    """What drives a role's increments at a site on a shift."""

    none = "none"
    voters = "voters"  # expected voters
    ballots = "ballots"  # expected voters x ballots per voter
    in_voters = "in_voters"  # early voting: voters of the station's own 동 (관내)
    out_voters = "out_voters"  # early voting: voters from elsewhere (관외)


class RoleRule(Frozen):
    """How many people one role needs at each site of a kind, and who may hold it.

    required = base + per_entrance x entrances + per_step x ceil(max(0, load - free) / step),
    capped at ``max`` when given.
    """

    site_kind: SiteKind
    role: str
    name: str  # Korean name shown to people, e.g. 투표관리관
    shift: str  # shift template id: early, eday or count
    base: Headcount = 0
    per_entrance: Headcount = 0
    load: LoadMetric = LoadMetric.none
    free: FiniteLoad = 0.0
    step: Annotated[float, Field(gt=0, le=1e12, allow_inf_nan=False)] | None = None
    per_step: Annotated[int, Field(ge=1, le=MAX_HEADCOUNT)] = 1  # people added per step, e.g. a 2-clerk desk
    max: Headcount | None = None
    covid: bool = False  # counted only when the scenario switches COVID roles on
    lead: bool = False  # the station's lead role (needs an experienced worker)
    min_grade: Annotated[int, Field(ge=1, le=9)] | None = None  # 9급 is the most junior
    requires: tuple[str, ...] = ()  # certifications, e.g. ("sorter",)
    experienced: bool = False
    reserve: bool = False  # a standby post (예비인력): filled after real posts, and the first called on in a replan


class ShiftTemplate(Frozen):
    """A shift written against the election's days; ``end`` before ``start`` means the next day."""

    id: str
    name: str
    day: str  # "election_day" or "early_days"
    start: str  # HH:MM
    end: str  # HH:MM


class EarlyVotingRules(Frozen):
    split_days: bool = False  # one person covers both days unless this is true
    day_shares: tuple[float, ...] = (0.5, 0.5)
    out_of_district_ratio: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)] = 0.0


class Limits(Frozen):
    """Hard and soft limits on a person's load and a station's make-up."""

    max_posts_per_worker: Annotated[int, Field(ge=1, le=10)] = 2  # hard: posts one person may hold in an election
    newcomer_share: Annotated[float, Field(ge=0, le=1)] = 0.5  # soft: first-timers above this share of a station are penalised


# --- voter-wait model parameters (docs/waits.md); the formulas live in the waits package ---------

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


class ServiceTimes(Frozen):
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


class StationLimits(Frozen):
    """What one room holds: serving positions per stage (a desk serves one voter at a time).

    A polling station uses register_desks, ballot_desks and booths; an early-voting
    station early_in_desks (관내), early_out_desks (관외) and booths.
    """

    register_desks: Annotated[int, Field(ge=1)] = 4
    ballot_desks: Annotated[int, Field(ge=1)] = 4
    booths: Annotated[int, Field(ge=1)] = 8
    early_in_desks: Annotated[int, Field(ge=1)] = 4
    early_out_desks: Annotated[int, Field(ge=1)] = 2


class SiteLimits(Frozen):
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


class WaitModel(Frozen):
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
        kind = str(site_kind)
        if kind not in ("polling", "early"):
            raise ValueError(f"waits are predicted for polling and early stations, not {kind!r}")
        return self.eday_profile if kind == "polling" else self.early_profile

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


class StaffingRules(Frozen):
    """A rules file: shifts, early-voting parameters and one row per (site kind, role)."""

    kind: ElectionKind
    shifts: tuple[ShiftTemplate, ...]
    early_voting: EarlyVotingRules
    roles: tuple[RoleRule, ...]
    limits: Limits = Limits()
    waits: WaitModel = WaitModel()  # voter-wait predictions (docs/waits.md)
    allowances: dict[str, int] = Field(default_factory=dict)


class Assumptions(Frozen):
    """What a scenario assumes about voters."""

    register_election: str  # electors: this election's precinct register
    reference_election: str  # turnout: this past election's per-precinct and per-동 figures
    turnout_scale: Annotated[float, Field(gt=0, le=10, allow_inf_nan=False)] = 1.0
    covid: bool = True


class Weights(Frozen):
    """Objective weights, in points per unit; a scenario may change any of them.

    One point is one metre of commute, so the defaults read as 'worth this many metres'.
    """

    shortfall: Weight = 1_000_000  # per post left unfilled
    commute: Weight = 1  # per metre of each person's commute, summed
    long_commute: Weight = 10  # per metre a commute runs beyond long_commute_m: pulls down the worst ones
    long_commute_m: Weight = 4_000
    worst_commute: Weight = 0  # per metre of the single longest commute (exact min-max; slow to prove, see docs/model.md)
    fairness: Weight = 1_000  # per post a department is above or below its share of the pool
    together: Weight = 1_500  # per post outside the department's home 동 (부서별 담당 동)
    preference: Weight = 500  # per assignment that misses a person's preferred 동 or site kind
    newcomers: Weight = 1_500  # per first-timer beyond a station's newcomer share
    second_post: Weight = 3_000  # per person given a second post
    change: Weight = 100_000  # replanning: per post given to someone who did not hold it in the plan being changed
    reserve_change: Weight = 1_000  # replanning: per post given to a person who was on standby (예비인력)
    reserve_shortfall: Weight = 10_000  # per standby post left empty: reserves come after every real post


class Requirement(Frozen):
    """A post to fill: ``required`` people in one role at one site on one shift."""

    site_id: str
    site_kind: SiteKind
    role: str
    role_name: str
    shift: str
    required: NonNegInt
    load: float  # the value of the rule's load metric, for audit


class StaffKind(StrEnum):
    general = "일반직"  # graded civil servant (5급-9급)
    public_service = "공무직"  # public-service worker, no grade
    fixed_term = "기간제"  # fixed-term worker, no grade


class Worker(Frozen):
    """One person in the staff pool. Personal data: never log a name."""

    id: str  # e.g. W0423
    name: str
    department: str  # e.g. 마을자치과, 독산1동 주민센터
    staff_kind: StaffKind = StaffKind.general
    grade: Annotated[int, Field(ge=1, le=9)] | None = None  # 9급 most junior; None when not graded
    home_lon: float
    home_lat: float
    experience: tuple[str, ...] = ()  # role ids held in past elections; empty for a first-timer
    certifications: tuple[str, ...] = ()  # e.g. ("sorter",): trained on the ballot-sorting machine
    unavailable: tuple[str, ...] = ()  # shift ids this person cannot work
    preferred_dong: str | None = None
    preferred_site_kind: SiteKind | None = None
    # how the home was placed: coordinates given, or a 동's or 시군구's point (then commutes are
    # estimates; io/geocode.py); "unplaced" only when read without a district (validate)
    home_placed_by: Literal["coordinates", "dong", "sigungu", "unplaced"] = "coordinates"
    contact: str | None = None  # 연락처, personal data: shown in the roster, never logged

    @property
    def commute_estimate(self) -> bool:
        return self.home_placed_by != "coordinates"

    @property
    def first_timer(self) -> bool:
        return not self.experience


HOME_PLACEMENTS = ("coordinates", "dong", "sigungu")


def home_placements(workers: tuple[Worker, ...]) -> dict[str, int]:
    """How many homes were placed by coordinates, by a 동's point and by a 시군구's point only."""
    counts = dict.fromkeys(HOME_PLACEMENTS, 0)
    for w in workers:
        counts[w.home_placed_by] = counts.get(w.home_placed_by, 0) + 1
    return counts
