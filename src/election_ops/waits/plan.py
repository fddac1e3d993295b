"""Waits at every station of a demand (the clerks it requires) or a plan (the clerks it gives)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from ..domain import EarlyVotingRules, WaitModel
from .station import StationWait, station_waits

if TYPE_CHECKING:  # demand imports this package (sized clerks): no import cycle at run time
    from ..demand import Demand


def demand_waits(demand: Demand, *, ballots_per_voter: int, early_voting: EarlyVotingRules,
                 model: WaitModel) -> tuple[StationWait, ...]:
    """Waits at every polling and early-voting station of a demand, with the clerks it requires.

    Early voting: with one shift over both days the busiest day (the largest day share)
    is predicted; with a shift per day, each day with that day's clerks and share, and
    the worse day is kept. Only shifts on which a stage's clerks work count as voting
    days: a standby post at an early-voting station on election day (예비인력) is not a
    third early-voting day with no desk staffed.
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
        shifts = _voting_shifts(clerks.get(site.id, {}), kind, model, order)
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


def _voting_shifts(by_shift: dict[str, dict[str, int]], kind: str, model: WaitModel,
                   order: dict[str, int]) -> list[str]:
    """The shifts, in demand order, on which a site's voting stages are staffed (or required to be)."""
    stages = ("register", "ballot") if kind == "polling" else ("early_in", "early_out")
    roles = {model.stage_roles[s] for s in stages}
    shifts = sorted(by_shift, key=lambda s: order.get(s, len(order)))
    voting = [s for s in shifts if roles & set(by_shift[s])]
    return voting or shifts  # no stage role at all: the line has no desk, and says so (inf)


def worst_first(waits: Iterable[StationWait], n: int | None = None) -> list[StationWait]:
    """Stations by worst-hour wait, longest first (for the roster's 요약)."""
    ranked = sorted(waits, key=lambda w: (-w.worst_wait_min, -w.expected_wait_min, w.site_id))
    return ranked if n is None else ranked[:n]


def plan_waits(demand: Demand, assigned: Mapping[tuple[str, str, str], int], *, ballots_per_voter: int,
               early_voting: EarlyVotingRules, model: WaitModel) -> tuple[StationWait, ...]:
    """Waits with the clerks a plan actually gives each station: ``assigned`` counts people per
    (site_id, role, shift), so a post left short shows in the line it leaves."""

    staffed = tuple(r.model_copy(update={"required": assigned.get((r.site_id, r.role, r.shift), 0)})
                    for r in demand.requirements)
    return demand_waits(replace(demand, requirements=staffed), ballots_per_voter=ballots_per_voter,
                        early_voting=early_voting, model=model)
