"""How many people each site needs, per role and shift: pure functions of the domain.

Expected voters at a site on a shift = registered electors x the reference election's
turnout for that kind of voting x the scenario's turnout scale. Each role's headcount
then follows its rule row (see ``RoleRule``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from .domain import (
    MAX_POSTS_PER_REQUIREMENT,
    Assumptions,
    District,
    Election,
    LoadMetric,
    PrecinctRecord,
    Requirement,
    RoleRule,
    Shift,
    ShiftTemplate,
    Site,
    SiteKind,
    StaffingRules,
)
from .errors import InputError


@dataclass(frozen=True)
class SiteLoad:
    """Expected voters at one site over one shift template (all early days together)."""

    voters: float
    in_voters: float = 0.0
    out_voters: float = 0.0
    electors: int = 0


@dataclass(frozen=True)
class Demand:
    shifts: tuple[Shift, ...]
    sites: tuple[Site, ...]
    requirements: tuple[Requirement, ...]
    loads: dict[str, SiteLoad] = field(default_factory=dict)  # by site id

    def total(self, *kinds: SiteKind) -> int:
        return sum(r.required for r in self.requirements if not kinds or r.site_kind in kinds)


def build_shifts(election: Election, rules: StaffingRules) -> dict[str, tuple[Shift, ...]]:
    """Concrete shifts per template id: one early shift over both days unless the rules split it."""
    out: dict[str, tuple[Shift, ...]] = {}
    for tpl in rules.shifts:
        if tpl.day == "election_day":
            out[tpl.id] = (_shift(tpl.id, tpl.name, election.election_day, election.election_day, tpl),)
        elif rules.early_voting.split_days:
            out[tpl.id] = tuple(
                _shift(f"{tpl.id}-{k}", f"{tpl.name} {k}일차", day, day, tpl)
                for k, day in enumerate(election.early_days, start=1)
            )
        else:
            out[tpl.id] = (_shift(tpl.id, tpl.name, election.early_days[0], election.early_days[-1], tpl),)
    return out


def _shift(shift_id: str, name: str, first: date, last: date, tpl: ShiftTemplate) -> Shift:
    start_t, end_t = time.fromisoformat(tpl.start), time.fromisoformat(tpl.end)
    start = datetime.combine(first, start_t)
    end = datetime.combine(last, end_t)
    if end_t <= start_t:  # e.g. counting 18:00-04:00 ends the next morning
        end += timedelta(days=1)
    return Shift(id=shift_id, name=name, start=start, end=end)


def site_loads(district: District, rules: StaffingRules, assumptions: Assumptions, sites: tuple[Site, ...],
               source: str = "scenario") -> dict[str, SiteLoad]:
    """Expected voters per site over its whole shift (before any split into days)."""
    layout = register_layout(district, assumptions, source)  # site_loads may be called on its own
    by_id = {p.id: p for p in layout}
    eday_rate = _eday_rates(district, assumptions.reference_election, layout, source)
    early_rate = _early_rates(district, assumptions.reference_election, source)
    total_rate = _total_rate(district, assumptions.reference_election, source)
    scale = assumptions.turnout_scale
    electors_by_dong: dict[str, int] = {}
    for p in layout:
        electors_by_dong[p.dong] = electors_by_dong.get(p.dong, 0) + p.registered_electors

    loads: dict[str, SiteLoad] = {}
    for site in sites:
        if site.kind is SiteKind.polling:
            served = [by_id[p] for p in site.serves]
            voters = sum(p.registered_electors * eday_rate[p.id] for p in served) * scale
            loads[site.id] = SiteLoad(voters=voters, electors=sum(p.registered_electors for p in served))
        elif site.kind is SiteKind.early:
            dongs = [d for d in site.serves]
            in_voters = sum(electors_by_dong.get(d, 0) * early_rate[d] for d in dongs) * scale
            out_voters = in_voters * rules.early_voting.out_of_district_ratio
            loads[site.id] = SiteLoad(voters=in_voters + out_voters, in_voters=in_voters, out_voters=out_voters,
                                      electors=sum(electors_by_dong.get(d, 0) for d in dongs))
        else:
            electors = sum(electors_by_dong.values()) if "*" in site.serves else sum(
                electors_by_dong.get(d, 0) for d in site.serves)
            loads[site.id] = SiteLoad(voters=electors * total_rate * scale, electors=electors)
    return loads


def _eday_rates(district: District, reference: str, layout: tuple[PrecinctRecord, ...], source: str) -> dict[str, float]:
    """Election-day votes per registered elector: the precinct's own where the reference has it, else its 동's."""
    ref = {p.id: p for p in district.layout(reference) if p.eday_votes is not None and p.registered_electors > 0}
    rates = {}
    for p in layout:
        if p.id in ref:
            rates[p.id] = ref[p.id].eday_votes / ref[p.id].registered_electors
            continue
        record = district.dong_record(reference, p.dong)
        if record is None or record.eday_votes is None or record.registered_electors == 0:
            raise InputError(source, f"the reference election has no election-day votes for precinct {p.id} or its 동",
                             column="reference_election", value=reference,
                             fix="choose a reference election with turnout figures (see docs/data.md)")
        rates[p.id] = record.eday_votes / record.registered_electors
    return rates


def _early_rates(district: District, reference: str, source: str) -> dict[str, float]:
    rates = {}
    for dong in district.dongs:
        record = district.dong_record(reference, dong.id)
        if record is None or record.early_in_votes is None or record.registered_electors == 0:
            raise InputError(source, f"the reference election has no early-voting (관내사전) votes for {dong.id}",
                             column="reference_election", value=reference,
                             fix="choose a reference election with per-동 early-voting figures (see docs/data.md)")
        rates[dong.id] = record.early_in_votes / record.registered_electors
    return rates


def _total_rate(district: District, reference: str, source: str) -> float:
    record = district.election_record(reference)
    if record is None or not record.total_votes or not record.registered_electors:
        raise InputError(source, "the reference election has no district turnout", column="reference_election",
                         value=reference, fix="choose an election of the elections table with total votes")
    return record.total_votes / record.registered_electors


def role_headcount(rule: RoleRule, load: float, entrances: int) -> int:
    """base + per_entrance x entrances + per_step x ceil(max(0, load - free) / step), capped at max."""
    count = rule.base + rule.per_entrance * entrances
    if rule.load is not LoadMetric.none and rule.step:
        # round() first so float noise (e.g. 1800.0000000002 / 600) never adds a post
        count += rule.per_step * math.ceil(round(max(0.0, load - rule.free) / rule.step, 9))
    if rule.max is not None:
        count = min(count, rule.max)
    return count


def _metric(rule: RoleRule, load: SiteLoad, ballots_per_voter: int, share: float) -> float:
    values = {
        LoadMetric.none: 0.0,
        LoadMetric.voters: load.voters,
        LoadMetric.ballots: load.voters * ballots_per_voter,
        LoadMetric.in_voters: load.in_voters,
        LoadMetric.out_voters: load.out_voters,
    }
    return values[rule.load] * share


def register_layout(district: District, assumptions: Assumptions,
                    source: str = "scenario") -> tuple[PrecinctRecord, ...]:
    """The precincts of the scenario's register election; an InputError on ``source`` when it has none."""
    layout = district.layout(assumptions.register_election)
    if not layout:
        known = ", ".join(sorted({p.election for p in district.precincts})) or "none"
        raise InputError(source, "no precinct figures for this register election", column="register_election",
                         value=assumptions.register_election,
                         fix=f"use an election that has precinct figures in the precinct table: {known}")
    return layout


def check_layout(district: District, assumptions: Assumptions, sites: tuple[Site, ...], sites_file: str) -> None:
    """Every precinct of the register layout is served by exactly one polling station."""
    layout_ids = {p.id for p in district.layout(assumptions.register_election)}
    served: dict[str, str] = {}
    for site in sites:
        if site.kind is not SiteKind.polling:
            continue
        for precinct in site.serves:
            if precinct not in layout_ids:
                raise InputError(sites_file, f"site {site.id} serves a precinct that did not exist at "
                                 f"{assumptions.register_election}",
                                 column="serves", value=precinct,
                                 fix="serve the precincts of the scenario's register election")
            if precinct in served:
                raise InputError(sites_file, f"site {site.id} serves a precinct that site {served[precinct]} "
                                 "already serves (precinct served by two stations)",
                                 column="serves", value=precinct, fix="let one station serve it")
            served[precinct] = site.id
    missing = sorted(layout_ids - set(served))
    if missing:
        raise InputError(sites_file, f"{len(missing)} precinct(s) have no polling station", column="serves",
                         value=missing[0], fix="add a polling station row that serves each precinct")


def compute_demand(district: District, election: Election, rules: StaffingRules, assumptions: Assumptions,
                   *, scenario_file: str = "scenario", rules_file: str = "rules", sites_file: str = "sites") -> Demand:
    sites = district.sites
    register_layout(district, assumptions, scenario_file)  # before check_layout, which would blame sites.csv
    check_layout(district, assumptions, sites, sites_file)
    shifts = build_shifts(election, rules)
    shares = rules.early_voting.day_shares
    if rules.early_voting.split_days and len(shares) != len(election.early_days):
        raise InputError(rules_file, f"{len(shares)} day shares for {len(election.early_days)} early-voting days",
                         column="early_voting.day_shares", fix="give one share per early-voting day")
    loads = site_loads(district, rules, assumptions, sites, scenario_file)
    templates = {t.id: t for t in rules.shifts}
    requirements = []
    for site in sites:
        for rule in rules.roles:
            if rule.site_kind is not site.kind or (rule.covid and not assumptions.covid):
                continue
            day_shares = _day_shares(templates[rule.shift], rules, len(shifts[rule.shift]))
            for shift, share in zip(shifts[rule.shift], day_shares):
                value = _metric(rule, loads[site.id], election.ballots_per_voter, share)
                required = role_headcount(rule, value, site.entrances)
                if required > MAX_POSTS_PER_REQUIREMENT:  # beyond what a roster (or a room) can hold
                    raise InputError(rules_file, f"{site.id} would need {required:,} people in this role on "
                                     f"shift {shift.id} (load {value:,.0f}); at most "
                                     f"{MAX_POSTS_PER_REQUIREMENT:,} are planned for one post",
                                     column=f"roles.{rule.site_kind.value}.{rule.role}",
                                     fix="raise the rule's step or set its max; check ballots_per_voter and "
                                         "turnout_scale in the scenario")
                if required > 0:
                    requirements.append(Requirement(site_id=site.id, site_kind=site.kind, role=rule.role,
                                                    role_name=rule.name, shift=shift.id, required=required,
                                                    load=round(value, 1)))
    if rules.waits.size_clerks:
        requirements = size_clerks_for_waits(requirements, sites, loads, election, rules)
    all_shifts = tuple(s for group in shifts.values() for s in group)
    return Demand(shifts=all_shifts, sites=sites, requirements=tuple(requirements), loads=loads)


def size_clerks_for_waits(requirements: list[Requirement], sites: tuple[Site, ...], loads: dict[str, SiteLoad],
                          election: Election, rules: StaffingRules) -> list[Requirement]:
    """Raise the desk clerks of each station to the fewest that keep its worst hour under the wait target.

    Never below the rule's headcount; where no staffing within the room's desks meets the target,
    every desk is staffed (the waits then name the station as one to split).
    """
    from .waits import clerks_for_target, stage_capacity

    model = rules.waits
    busiest_day = max(rules.early_voting.day_shares)
    raised: dict[tuple[str, str], int] = {}
    for site in sites:
        if site.kind not in (SiteKind.polling, SiteKind.early):
            continue
        load = loads[site.id]
        voters = load.voters if site.kind is SiteKind.polling else load.voters * busiest_day
        out_share = load.out_voters / load.voters if load.voters > 0 else 0.0
        plan = clerks_for_target(site.id, site.kind.value, voters, election.ballots_per_voter, model, out_share)
        wanted = plan.clerks if plan.clerks is not None else stage_capacity(site.id, site.kind.value, model)
        for role, count in wanted.items():
            raised[(site.id, role)] = count
    return [r.model_copy(update={"required": max(r.required, raised.get((r.site_id, r.role), 0))})
            if (r.site_id, r.role) in raised else r for r in requirements]


def _day_shares(tpl: ShiftTemplate, rules: StaffingRules, n_shifts: int) -> tuple[float, ...]:
    """Each shift's share of the template's voters; one shift over all early days is sized for the busiest day."""
    if tpl.day != "early_days":
        return (1.0,)
    shares = rules.early_voting.day_shares
    if n_shifts == 1:
        return (max(shares),)
    return tuple(shares)
