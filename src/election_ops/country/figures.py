"""A unit's figures for the national tables, taken from its solved plan (one row of country.csv)."""

from __future__ import annotations

import math
from collections import Counter

from ..costs import ROLE_CLASSES, cost_by_class

SITE_KINDS = ("polling", "early", "counting")
WAIT_LIMIT_MIN = 30.0  # the national tables flag a station whose worst predicted hour waits longer (the bar)


def unit_figures(solved, waits) -> dict:
    """Stations and posts by kind, people placed, shortfalls, allowance by role class, worst wait, solver figures."""
    demand, plan, rules = solved.demand, solved.plan, solved.inputs.rules
    stations = Counter(s.kind.value for s in demand.sites)
    posts = Counter()
    posts_by_role: Counter = Counter()
    role_names: dict[str, str] = {}
    for req in demand.requirements:
        posts[req.site_kind.value] += req.required
        posts_by_role[f"{req.site_kind.value}:{req.role}"] += req.required
        role_names[f"{req.site_kind.value}:{req.role}"] = req.role_name
    worst = max((w.worst_wait_min for w in waits), default=0.0)
    worst_site = max(waits, key=lambda w: w.worst_wait_min).site_id if waits else ""
    # the allowance of every post required (the plan's own budget figure), by role class
    allowance = {c.role_class: c.required_krw for c in cost_by_class(demand, rules, plan)}
    stats = plan.stats
    polling = {s.id for s in demand.sites if s.kind.value == "polling"}
    electors = sum(load.electors for site_id, load in demand.loads.items() if site_id in polling)
    return {
        "registered_electors": electors,
        **{f"stations_{k}": stations.get(k, 0) for k in SITE_KINDS},
        **{f"posts_{k}": posts.get(k, 0) for k in SITE_KINDS},
        "posts_total": sum(posts.values()),
        "people_placed": len({a.worker_id for a in plan.assignments}),
        "pool_size": len(solved.inputs.workers),
        "posts_short": plan.short_posts,
        **{f"allowance_{k}_krw": int(allowance.get(k, 0)) for k in ROLE_CLASSES},
        "allowance_total_krw": int(sum(allowance.values())),
        "worst_wait_min": worst if math.isfinite(worst) else "inf",
        "worst_wait_site": worst_site,
        "stations_over_wait_limit": sum(w.worst_wait_min > WAIT_LIMIT_MIN for w in waits),
        "solver_status": stats.status,
        "gap": round(stats.gap, 6) if math.isfinite(stats.gap) else None,
        "solve_seconds": round(stats.solve_seconds, 3),
        "posts_by_role": dict(sorted(posts_by_role.items())),
        "role_names": dict(sorted(role_names.items())),
    }
