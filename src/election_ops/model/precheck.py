"""Checks before solving: posts pinned in place (``--freeze``) and the size of the model's numbers.

A pinned post the model cannot keep makes the whole model infeasible, and the solver then
says nothing useful; so each pinned post is checked here against the demand, the shifts,
eligibility, availability and the capacity of its post, and the first conflict is named
with the row it came from (``FixedPostConflict``; the pipeline turns it into an input
error naming the file). No solver here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ..demand import Demand
from ..domain import RoleRule, StaffingRules, Worker
from ..solution import FixedPost
from .eligibility import ineligibility, is_available

# CP-SAT adds the objective in 64-bit integers; keep its largest possible value well inside them.
OBJECTIVE_LIMIT = 2**60


class FixedPostConflict(ValueError):
    """A pinned post that cannot be kept: which one (its position in the list), which column, and why in words."""

    def __init__(self, index: int, column: str, value: str, problem: str, fix: str) -> None:
        self.index, self.column, self.value, self.problem, self.fix = index, column, value, problem, fix
        super().__init__(f"post {index + 1}: {problem}")


def check_fixed_posts(posts: Sequence[FixedPost], demand: Demand, rules: StaffingRules,
                      workers: Sequence[Worker]) -> None:
    """Raise ``FixedPostConflict`` for the first pinned post that no roster could keep."""
    by_id = {w.id: w for w in workers}
    sites = {s.id: s for s in demand.sites}
    shifts = {s.id: s for s in demand.shifts}
    required = {(r.site_id, r.role, r.shift): r.required for r in demand.requirements}
    roles_at = defaultdict(set)
    for r in demand.requirements:
        roles_at[r.site_id].add(r.role)
    rule_of: dict[tuple[str, str], RoleRule] = {(r.site_kind.value, r.role): r for r in rules.roles}
    holders: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    held_by: dict[str, list[int]] = defaultdict(list)
    for i, post in enumerate(posts):
        worker = by_id.get(post.worker_id)
        if worker is None:
            raise FixedPostConflict(i, "worker_id", post.worker_id, "no such person in the staff pool",
                                    "check the id against the staff file, or remove the row")
        site = sites.get(post.site_id)
        if site is None:
            raise FixedPostConflict(i, "site_id", post.site_id,
                                    f"no such site in the plan's demand (pinned for {post.worker_id})",
                                    "use a site_id of sites.csv (e.g. 독산1동-3)")
        if post.shift not in shifts:
            raise FixedPostConflict(i, "shift", post.shift,
                                    f"no such shift (the shifts are {', '.join(shifts)})", "use one of those ids")
        key = (post.site_id, post.role, post.shift)
        if key not in required:
            where = "at this site" if post.role not in roles_at[post.site_id] else f"on shift {post.shift}"
            raise FixedPostConflict(i, "role", post.role, f"no such post: {post.site_id} has no {post.role} post {where} (pinned for {post.worker_id})",
                                    f"use a role of {post.site_id} (roles.csv) on its shift")
        rule = rule_of[(site.kind.value, post.role)]
        why = ineligibility(worker, rule)
        if why is not None:
            raise FixedPostConflict(i, "worker_id", post.worker_id, f"may not hold this post, {rule.name} ({post.role}): {why}",
                                    "pin someone who qualifies, or remove the row")
        if not is_available(worker, post.shift):
            raise FixedPostConflict(i, "worker_id", post.worker_id,
                                    f"is unavailable (or absent) on shift {post.shift}",
                                    "pin someone available, or remove the row")
        holders[key].append(i)
        if len(holders[key]) > required[key]:
            others = ", ".join(f"post {k + 1}" for k in holders[key][:-1])
            raise FixedPostConflict(i, "worker_id", post.worker_id,
                                    f"{len(holders[key])} people pinned to {post.site_id}/{post.role}/{post.shift}, "
                                    f"which needs {required[key]} (with {others})",
                                    "pin no more people to a post than it needs")
        for k in held_by[post.worker_id]:
            other = posts[k]
            if (other.site_id, other.role, other.shift) == key:
                raise FixedPostConflict(i, "worker_id", post.worker_id, f"the same post is pinned twice (post {k + 1})",
                                        "remove one of the rows")
            if shifts[other.shift].overlaps(shifts[post.shift]):
                raise FixedPostConflict(i, "worker_id", post.worker_id,
                                        f"also pinned to {other.site_id}/{other.role}/{other.shift} (post {k + 1}), "
                                        f"and shift {other.shift} overlaps {post.shift}: one person, one post at a time",
                                        "keep one of the two posts")
        held_by[post.worker_id].append(i)
        cap = rules.limits.max_posts_per_worker
        if len(held_by[post.worker_id]) > cap:
            raise FixedPostConflict(i, "worker_id", post.worker_id,
                                    f"pinned to {len(held_by[post.worker_id])} posts; a person holds at most {cap} "
                                    "(limits.max_posts_per_worker)", "pin fewer posts on this person")


class ObjectiveRangeError(ValueError):
    """The objective's possible total does not fit the solver's integers; ``term`` contributes the most."""

    def __init__(self, term: str, total: int) -> None:
        self.term, self.total = term, total
        super().__init__(f"the objective could reach {total:.3g} points, beyond the solver's range; "
                         f"the '{term}' term weighs the most")


def check_objective_range(terms: dict[str, list[tuple[int, int]]], upper: Sequence[int]) -> None:
    """Raise ``ObjectiveRangeError`` when the weighted objective could overflow 64-bit integers."""
    size = {term: sum(abs(c) * max(1, abs(upper[v])) for v, c in entries) for term, entries in terms.items()}
    total = sum(size.values())
    if total >= OBJECTIVE_LIMIT:
        raise ObjectiveRangeError(max(size, key=size.__getitem__), total)
