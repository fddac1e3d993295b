"""Who may hold which post: the eligibility and availability rules, in one place.

Used by the model to build variables only for eligible combinations and to explain
shortfalls in words. ``validate`` re-implements these rules on purpose, from the files.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..domain import RoleRule, Shift, Worker
from ..glossary import REQUIREMENTS, ko

GRADE_KO = "{}급"


def blocks(unavailable: str, shift_id: str) -> bool:
    """An unavailable shift id blocks the same shift, and ``early`` blocks its days ``early-1``, ``early-2``
    (and either day blocks the two-day ``early`` shift)."""
    return shift_id == unavailable or shift_id.startswith(unavailable + "-") or unavailable.startswith(shift_id + "-")


def is_available(worker: Worker, shift_id: str) -> bool:
    return not any(blocks(u, shift_id) for u in worker.unavailable)


def ineligibility(worker: Worker, rule: RoleRule) -> str | None:
    """Why ``worker`` may not hold ``rule``'s role, or None when they may."""
    if rule.min_grade is not None and (worker.grade is None or worker.grade > rule.min_grade):
        return f"needs grade {GRADE_KO.format(rule.min_grade)} or above"
    missing = [c for c in rule.requires if c not in worker.certifications]
    if missing:
        return f"needs certification {', '.join(missing)}"
    if rule.experienced and rule.role not in worker.experience:
        return f"needs past experience as {rule.name}"
    return None


def is_eligible(worker: Worker, rule: RoleRule) -> bool:
    return ineligibility(worker, rule) is None


def eligibility_class(rule: RoleRule) -> tuple:
    """Roles with the same class accept exactly the same people, so the model may pool their posts."""
    return (rule.min_grade, tuple(sorted(rule.requires)), rule.role if rule.experienced else None)


def requirement_text(rule: RoleRule) -> str:
    parts = []
    if rule.min_grade is not None:
        parts.append(f"grade {GRADE_KO.format(rule.min_grade)} or above")
    if rule.requires:
        parts.append(f"certification {', '.join(rule.requires)}")
    if rule.experienced:
        parts.append(f"experience as {rule.name}")
    return ", ".join(parts) or "no special requirement"


def requirement_text_ko(rule: RoleRule) -> str:
    """requirement_text in Korean, from the glossary's words."""
    parts = []
    if rule.min_grade is not None:
        parts.append(ko(REQUIREMENTS, "min_grade").format(grade=GRADE_KO.format(rule.min_grade)))
    if rule.requires:
        parts.append(ko(REQUIREMENTS, "certification").format(certs=", ".join(rule.requires)))
    if rule.experienced:
        parts.append(ko(REQUIREMENTS, "experience").format(role=rule.name))
    return ", ".join(parts) or ko(REQUIREMENTS, "none")


def overlap_cliques(shifts: Iterable[Shift]) -> list[tuple[str, ...]]:
    """Maximal sets of mutually overlapping shifts (a sweep over start times: shifts are intervals).

    A person holds at most one post in each set, which also forbids two posts on one shift.
    """
    ordered = sorted(shifts, key=lambda s: (s.start, s.end, s.id))
    cliques: list[tuple[str, ...]] = []
    for i, shift in enumerate(ordered):
        # the set of shifts running at this shift's start is a clique; keep the maximal ones
        running = tuple(s.id for s in ordered[: i + 1] if s.end > shift.start)
        if not any(set(running) <= set(c) for c in cliques):
            cliques = [c for c in cliques if not set(c) < set(running)]
            cliques.append(running)
    return cliques
