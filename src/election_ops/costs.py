"""Estimated allowances (수당) from the rules file's daily rates: for comparing scenarios, not for payroll.

A lead role at a polling or early-voting station is paid the manager rate, every other
post there the clerk rate, and counting-site posts the counting rate; a post is paid
once per calendar day its shift starts on or runs through (an early-voting post: two days).
"""

from __future__ import annotations

from collections import defaultdict

from .demand import Demand
from .domain import SiteKind, StaffingRules


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
