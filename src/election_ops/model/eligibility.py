"""Who may hold which post: the eligibility and availability rules, in one place.

Used by the model to build variables only for eligible combinations and to explain
shortfalls in words. ``validate`` re-implements these rules on purpose, from the files.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

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


class PoolColumns:
    """Who may hold what, as one boolean per person: the rules above, vectorised over a whole pool.

    A pool may hold hundreds of thousands of people for a few hundred posts; asking
    ``is_eligible`` person by person for every post group would cost seconds. Each
    attribute (a grade, one certification, one role's experience, one shift's
    availability) is read from the pool once and cached, and a group's eligible people
    are a few array operations on those columns. ``mask`` agrees with ``is_eligible`` and
    ``is_available`` person for person (tests check it).
    """

    def __init__(self, workers: tuple[Worker, ...]) -> None:
        self.workers = workers
        self.size = len(workers)
        self._columns: dict[tuple, np.ndarray] = {}
        self._grades: np.ndarray | None = None
        # most people can work every shift: only the others are asked, shift by shift
        self._unavailable = [(i, w) for i, w in enumerate(workers) if w.unavailable]

    def _column(self, key: tuple, values) -> np.ndarray:
        if key not in self._columns:
            self._columns[key] = np.fromiter(values, dtype=bool, count=self.size)
        return self._columns[key]

    def grade_at_least(self, min_grade: int) -> np.ndarray:
        """Grade ``min_grade`` or above (a smaller number is more senior); people without a grade are not."""
        if self._grades is None:
            self._grades = np.fromiter((99 if w.grade is None else w.grade for w in self.workers), dtype=np.int16,
                                       count=self.size)
        return self._grades <= min_grade

    def certified(self, certification: str) -> np.ndarray:
        return self._column(("cert", certification), (certification in w.certifications for w in self.workers))

    def experienced(self, role: str) -> np.ndarray:
        return self._column(("exp", role), (role in w.experience for w in self.workers))

    def available(self, shift_id: str) -> np.ndarray:
        key = ("shift", shift_id)
        if key not in self._columns:
            column = np.ones(self.size, dtype=bool)
            blocked = [i for i, w in self._unavailable if not is_available(w, shift_id)]
            column[np.array(blocked, dtype=np.int64)] = False
            self._columns[key] = column
        return self._columns[key]

    def mask(self, rule: RoleRule, shift_id: str) -> np.ndarray:
        """Everyone eligible for ``rule`` and available on ``shift_id``."""
        key = ("mask", eligibility_class(rule), shift_id)
        if key not in self._columns:
            mask = self.available(shift_id).copy()
            if rule.min_grade is not None:
                mask &= self.grade_at_least(rule.min_grade)
            for certification in rule.requires:
                mask &= self.certified(certification)
            if rule.experienced:
                mask &= self.experienced(rule.role)
            self._columns[key] = mask
        return self._columns[key]
