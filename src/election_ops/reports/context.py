"""What the per-person and per-plan documents (notices.pdf, report.html) read: one bundle and its look-ups.

The plan writer hands every document writer a ``PlanContext`` (contract 2 in the project's
contracts: ``write_report_html(path, ctx)``, ``write_notices_pdf(path, ctx)``). The look-ups
below turn ids into what a person reads: Korean dates, duty hours, reporting time, place,
allowance and whom to call, so the PDF and the HTML say the same thing in the same words.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from ..costs import allowance_category, shift_days
from ..demand import Demand
from ..domain import Shift, Site, SiteKind, StaffingRules, Worker
from ..glossary import (
    DOCUMENT,
    LOCATION_SOURCES,
    REPORT_BEFORE_MIN,
    SITE_KINDS,
    SOLVER_STATUS,
    WAIT_STAGES,
    date_ko,
    ko,
    report_time_ko,
    shift_when_ko,
    won,
)
from ..io.scenario import Scenario
from ..solution import Assignment, Plan

__all__ = ["REPORT_BEFORE_MIN", "STAGE_KO", "STATUS_KO", "TERMS", "PlanContext", "date_ko", "kind_ko", "minutes_ko",
           "place_text", "reporting_time", "shift_dates", "when_text", "won"]

# Korean words: all from the one glossary (glossary.py), so the roster, notices and report say the same.
TERMS = {code: term.ko for code, term in DOCUMENT.items()}
STAGE_KO = {code: term.ko for code, term in WAIT_STAGES.items()} | {"": ""}
STATUS_KO = {code: term.ko for code, term in SOLVER_STATUS.items()}


@dataclass(frozen=True)
class PlanContext:
    """Everything the plan writer has when it writes a plan: the documents need nothing else."""

    scenario: Scenario
    demand: Demand
    rules: StaffingRules
    workers: tuple[Worker, ...]
    plan: Plan
    waits: tuple = ()  # StationWait per polling and early-voting station
    summary: dict = field(default_factory=dict)  # summary.json's content, when the writer has it

    @cached_property
    def sites(self) -> dict[str, Site]:
        return {s.id: s for s in self.demand.sites}

    @cached_property
    def shifts(self) -> dict[str, Shift]:
        return {s.id: s for s in self.demand.shifts}

    @cached_property
    def people(self) -> dict[str, Worker]:
        return {w.id: w for w in self.workers}

    @cached_property
    def role_names(self) -> dict[tuple[str, str], str]:
        names = {(r.site_kind.value, r.role): r.name for r in self.rules.roles}
        names.update({(r.site_kind.value, r.role): r.role_name for r in self.demand.requirements})
        return names

    @cached_property
    def leads(self) -> set[tuple[str, str]]:
        """(site kind, role) of the lead roles: a station's manager."""
        return {(r.site_kind.value, r.role) for r in self.rules.roles if r.lead}

    @cached_property
    def paid_days(self) -> dict[str, int]:
        return shift_days(self.demand)

    @cached_property
    def waits_by_site(self) -> dict:
        return {w.site_id: w for w in self.waits}

    @cached_property
    def posts_by_worker(self) -> dict[str, list[Assignment]]:
        """Each placed person's posts, earliest shift first."""
        out: dict[str, list[Assignment]] = defaultdict(list)
        for a in self.plan.assignments:
            out[a.worker_id].append(a)
        for posts in out.values():
            posts.sort(key=lambda a: (self.shift_start(a.shift), a.site_id, a.role))
        return dict(out)

    @cached_property
    def staff_by_site(self) -> dict[str, list[Assignment]]:
        """Each site's posts, leads first, then by role order of the rules file and name."""
        rank = {(r.site_kind.value, r.role): i for i, r in enumerate(self.rules.roles)}
        out: dict[str, list[Assignment]] = defaultdict(list)
        for a in self.plan.assignments:
            out[a.site_id].append(a)
        for posts in out.values():
            posts.sort(key=lambda a: (self.shift_start(a.shift), not self.is_lead(a),
                                      rank.get((a.site_kind, a.role), len(rank)), self.name(a.worker_id), a.worker_id))
        return dict(out)

    def shift_start(self, shift_id: str) -> datetime:
        shift = self.shifts.get(shift_id)
        return shift.start if shift else datetime.max

    def is_lead(self, a: Assignment) -> bool:
        return (a.site_kind, a.role) in self.leads

    def name(self, worker_id: str) -> str:
        worker = self.people.get(worker_id)
        return worker.name if worker else worker_id

    def department(self, worker_id: str) -> str:
        worker = self.people.get(worker_id)
        return worker.department if worker else ""

    def role_name(self, a: Assignment) -> str:
        return self.role_names.get((a.site_kind, a.role), a.role)

    def allowance(self, a: Assignment) -> int:
        """KRW for one post: the rules' daily rate for its class times the paid days of its shift."""
        rate = self.rules.allowances.get(allowance_category(SiteKind(a.site_kind), self.is_lead(a)), 0)
        return rate * self.paid_days.get(a.shift, 1)

    def managers(self, a: Assignment) -> list[str]:
        """Worker ids of the lead(s) at the post's site on its shift (or on any shift when none shares it)."""
        at_site = [p for p in self.staff_by_site.get(a.site_id, []) if self.is_lead(p) and p.worker_id != a.worker_id]
        same_shift = [p.worker_id for p in at_site if p.shift == a.shift]
        return same_shift or sorted({p.worker_id for p in at_site})

    @property
    def contact(self) -> str:
        """Whom a person calls about their duty: the scenario's ``contact``, else the election office."""
        return getattr(self.scenario, "contact", "") or TERMS["election_office"]


def when_text(shift: Shift) -> str:
    """The duty date(s) and hours, as the roster writes them: ``2022. 3. 4.(금)–3. 5.(토) 매일 05:00–19:00``."""
    return shift_when_ko(shift.start, shift.end)


def reporting_time(shift: Shift) -> str:
    """집합 시간: REPORT_BEFORE_MIN (glossary) before the shift starts, on each day of a multi-day shift."""
    return report_time_ko(shift.start, shift.end)


def shift_dates(shift: Shift) -> str:
    """The first duty date, e.g. ``2022. 3. 9.(수)`` (a counting night is dated the day it starts)."""
    return date_ko(shift.start.date())


def place_text(site: Site) -> str:
    """Where to go: the site's name, its 동, and (on a second line) a warning while the location is estimated."""
    text = f"{site.name} ({site.dong})"
    if site.location_source == "approximate":
        text += f"\n{ko(LOCATION_SOURCES, 'approximate')}: 정확한 주소는 {TERMS['election_office']}에 확인"
    return text


def kind_ko(site_kind: str) -> str:
    return ko(SITE_KINDS, str(site_kind))


def minutes_ko(value: float | None) -> str:
    """12분; an unbounded wait reads 대기 해소 불가; no figure reads -."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if math.isinf(value):
        return TERMS["unbounded_wait"]
    return f"{value:,.0f}분"
