"""Estimated allowances (수당) from the rules file's daily rates: for comparing scenarios, not for payroll.

A lead role at a polling or early-voting station is paid the manager rate, every other
post there the clerk rate, and counting-site posts the counting rate; a post is paid
once per calendar day its shift starts on or runs through (an early-voting post: two days).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .demand import Demand
from .domain import SiteKind, StaffingRules
from .solution import Plan


def shift_days(demand: Demand) -> dict[str, int]:
    """Paid days per shift: the early shift's two days count twice, a night shift ending at 04:00 once."""
    return {s.id: (s.end.date() - s.start.date()).days + (1 if s.end.hour >= 12 or s.end.date() == s.start.date() else 0)
            for s in demand.shifts}


def allowance_category(site_kind: SiteKind, lead: bool) -> str:
    if site_kind is SiteKind.counting:
        return "counting"
    return "manager" if lead else "clerk"


def estimated_cost(demand: Demand, rules: StaffingRules) -> dict[str, int]:
    """KRW per site kind, plus ``total``; 0 where the rules give no rate."""
    leads = {(r.site_kind, r.role): r.lead for r in rules.roles}
    days = shift_days(demand)
    cost: dict[str, int] = defaultdict(int)
    for req in demand.requirements:
        rate = rules.allowances.get(allowance_category(req.site_kind, leads.get((req.site_kind, req.role), False)), 0)
        cost[req.site_kind.value] += req.required * rate * days[req.shift]
    cost["total"] = sum(cost.values())
    return dict(cost)


@dataclass(frozen=True)
class ClassCost:
    """Allowances of one role class (glossary.ALLOWANCE_CLASSES): 투표관리관, 투표사무원 or 개표사무원."""

    role_class: str
    rate: int  # KRW per paid day
    required_posts: int
    assigned_posts: int
    required_days: int  # paid person-days when every post is filled
    assigned_days: int  # paid person-days of the posts the plan fills

    @property
    def required_krw(self) -> int:
        return self.rate * self.required_days

    @property
    def assigned_krw(self) -> int:
        return self.rate * self.assigned_days


ROLE_CLASSES = ("manager", "clerk", "counting")


def cost_by_class(demand: Demand, rules: StaffingRules, plan: Plan | None = None) -> tuple[ClassCost, ...]:
    """Allowances per role class, for every post required and for the posts ``plan`` fills."""
    leads = {(r.site_kind, r.role): r.lead for r in rules.roles}
    kinds = {s.id: s.kind for s in demand.sites}
    days = shift_days(demand)
    posts: dict[str, list[int]] = {c: [0, 0, 0, 0] for c in ROLE_CLASSES}
    for req in demand.requirements:
        c = posts[allowance_category(req.site_kind, leads.get((req.site_kind, req.role), False))]
        c[0] += req.required
        c[2] += req.required * days[req.shift]
    for a in plan.assignments if plan is not None else ():
        kind = kinds.get(a.site_id, SiteKind(a.site_kind))
        c = posts[allowance_category(kind, leads.get((kind, a.role), False))]
        c[1] += 1
        c[3] += days.get(a.shift, 1)
    return tuple(ClassCost(name, rules.allowances.get(name, 0), *posts[name]) for name in ROLE_CLASSES
                 if posts[name][0] or posts[name][1])


def cost_summary(classes: tuple[ClassCost, ...], budget_krw: int | None) -> dict:
    """summary.json's ``cost_by_class`` and ``budget`` keys: the budget is set against the cost of every post
    required (what the election pays once every post is filled), and the filled posts' cost is shown too."""
    required = sum(c.required_krw for c in classes)
    out = {
        "cost_by_class": {c.role_class: {"rate_krw": c.rate, "required_posts": c.required_posts,
                                         "assigned_posts": c.assigned_posts, "required_days": c.required_days,
                                         "assigned_days": c.assigned_days, "required_krw": c.required_krw,
                                         "assigned_krw": c.assigned_krw} for c in classes},
        "cost_required_krw": required,
        "cost_assigned_krw": sum(c.assigned_krw for c in classes),
    }
    if budget_krw is not None:
        out["budget"] = {"budget_krw": budget_krw, "cost_krw": required, "remaining_krw": budget_krw - required,
                         "over": required > budget_krw}
    return out
