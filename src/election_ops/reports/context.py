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
from datetime import date, datetime, timedelta
from functools import cached_property

from ..costs import allowance_category, shift_days
from ..demand import Demand
from ..domain import SITE_KIND_KO, Shift, Site, SiteKind, StaffingRules, Worker
from ..io.scenario import Scenario
from ..solution import Assignment, Plan

# Korean words the documents use. They move to the project glossary (glossary.py) once it exists;
# until then this is the one place they are written.
TERMS = {
    "notice_title": "선거사무 근무 안내",
    "report_title": "선거사무 인력 배치 보고서",
    "comparison_title": "시나리오 비교 보고서",
    "reporting_time": "집합 시간",
    "duty_hours": "근무 시간",
    "duty_dates": "근무일",
    "place": "근무 장소",
    "role": "역할",
    "site": "근무지",
    "allowance": "수당(예상)",
    "contact": "문의",
    "approximate": "위치 추정",
    "unbounded_wait": "대기 해소 불가",
    "default_contact": "구청 선거 담당 부서",
    "short": "미충원",
}
STAGE_KO = {"register": "명부대조·본인확인", "ballot": "투표용지교부", "booth": "기표소",
            "early_in": "관내 본인확인", "early_out": "관외 본인확인", "": ""}
WEEKDAY_KO = "월화수목금토일"
# Reporting time (집합 시간): this many minutes before a shift starts. A stand-in until the glossary's
# configuration sets it per site kind (docs/reports.md).
REPORT_BEFORE_MIN = 60


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
        return getattr(self.scenario, "contact", "") or TERMS["default_contact"]


def date_ko(day: date) -> str:
    """2022년 3월 9일(수)"""
    return f"{day.year}년 {day.month}월 {day.day}일({WEEKDAY_KO[day.weekday()]})"


def short_date_ko(day: date) -> str:
    """3월 9일(수)"""
    return f"{day.month}월 {day.day}일({WEEKDAY_KO[day.weekday()]})"


def shift_dates(shift: Shift) -> str:
    """The duty date(s): one day, each of several days, or a night running into the next morning."""
    first, last = shift.start.date(), shift.end.date()
    if first == last or _overnight(shift):
        return date_ko(first)
    days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
    return f"{date_ko(first)}, " + ", ".join(short_date_ko(d) for d in days[1:])


def shift_hours(shift: Shift) -> str:
    """05:00~20:00; a multi-day shift works the same hours each day; a night shift ends the next day."""
    start, end = shift.start.strftime("%H:%M"), shift.end.strftime("%H:%M")
    if _overnight(shift):
        return f"{start}~다음 날 {end}"
    if shift.start.date() != shift.end.date():
        return f"매일 {start}~{end}"
    return f"{start}~{end}"


def reporting_time(shift: Shift) -> str:
    """집합 시간: REPORT_BEFORE_MIN before the shift starts (on each day of a multi-day shift)."""
    at = shift.start - timedelta(minutes=REPORT_BEFORE_MIN)
    prefix = "매일 " if shift.start.date() != shift.end.date() and not _overnight(shift) else ""
    day = "" if at.date() == shift.start.date() else "전날 "
    return f"{prefix}{day}{at.strftime('%H:%M')}"


def _overnight(shift: Shift) -> bool:
    """A shift that ends the morning after it starts (counting: 18:00~04:00)."""
    return shift.end.date() == shift.start.date() + timedelta(days=1) and shift.end.time() <= shift.start.time()


def place_text(site: Site) -> str:
    """Where to go: the site's name, its 동, and (on a second line) a warning while the location is estimated."""
    text = f"{site.name} ({site.dong})"
    if site.location_source == "approximate":
        text += f"\n{TERMS['approximate']}: 정확한 주소는 {TERMS['default_contact']}에 확인"
    return text


def kind_ko(site_kind: str) -> str:
    try:
        return SITE_KIND_KO[SiteKind(site_kind)]
    except ValueError:
        return site_kind


def won(amount: float) -> str:
    """190,000원"""
    return f"{amount:,.0f}원"


def minutes_ko(value: float | None) -> str:
    """12분; an unbounded wait reads 대기 해소 불가; no figure reads -."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if math.isinf(value):
        return TERMS["unbounded_wait"]
    return f"{value:,.0f}분"
