"""Frozen, validated domain objects with stable string ids.

No pandas and no ortools here: every layer below reads these objects, none writes them.
Ids are the ones a person sees: precinct and polling station ``독산1동-3``, early-voting
station ``독산1동-사전``, shift ``eday``.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from .waits import WaitModel


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
Weight = Annotated[int, Field(ge=0, le=10**9)]
# Korea's first election was in 1948; a date past 2100 is a typo, and date arithmetic on it can overflow
ElectionDate = Annotated[date, Field(ge=date(1948, 1, 1), le=date(2100, 12, 31))]  # bounded so a weighted sum always fits the solver's 64-bit objective


class Election(Frozen):
    """The election being planned."""

    id: str
    kind: ElectionKind
    name: str
    election_day: ElectionDate
    early_days: tuple[ElectionDate, ...]
    ballots_per_voter: Annotated[int, Field(ge=1)]

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
    entrances: Annotated[int, Field(ge=1)] = 1


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
    base: NonNegInt = 0
    per_entrance: NonNegInt = 0
    load: LoadMetric = LoadMetric.none
    free: Annotated[float, Field(ge=0)] = 0.0
    step: Annotated[float, Field(gt=0)] | None = None
    per_step: Annotated[int, Field(ge=1)] = 1  # people added per step, e.g. a 2-clerk desk
    max: NonNegInt | None = None
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
    out_of_district_ratio: Annotated[float, Field(ge=0)] = 0.0


class Limits(Frozen):
    """Hard and soft limits on a person's load and a station's make-up."""

    max_posts_per_worker: Annotated[int, Field(ge=1)] = 2  # hard: posts one person may hold in an election
    newcomer_share: Annotated[float, Field(ge=0, le=1)] = 0.5  # soft: first-timers above this share of a station are penalised


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
    turnout_scale: Annotated[float, Field(gt=0)] = 1.0
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
