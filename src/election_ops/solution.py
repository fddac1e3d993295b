"""A solved plan as plain data: assignments, shortfalls and the objective's parts.

Nothing here imports ortools: the model turns solver values into these objects at once,
and reports, validation and comparison read only these.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FixedPost:
    """A post a person holds in an earlier plan or must keep (``--freeze``), by stable ids."""

    worker_id: str
    site_id: str
    role: str
    shift: str


@dataclass(frozen=True, order=True)
class Assignment:
    """One person in one post: ``worker_id`` holds ``role`` at ``site_id`` on ``shift``."""

    site_id: str
    site_kind: str
    role: str
    shift: str
    worker_id: str
    commute_m: int


@dataclass(frozen=True)
class Shortfall:
    """Posts of one (site, role, shift) that no one could fill, and why, in words."""

    site_id: str
    site_kind: str
    role: str
    shift: str
    required: int
    assigned: int
    reason: str
    reserve: bool = False  # a standby post (예비인력): reported, but not a post the election runs short of
    reason_code: str = ""  # glossary.SHORTFALL_REASONS: the documents' Korean comes from it and reason_args
    reason_args: tuple[tuple[str, str], ...] = ()

    def reason_ko(self) -> str:
        """The reason in Korean for documents; the English ``reason`` when the cause has no code."""
        from .glossary import shortfall_reason

        return shortfall_reason(self.reason_code, self.reason_args) if self.reason_code else self.reason

    @property
    def short(self) -> int:
        return self.required - self.assigned


@dataclass(frozen=True)
class SolveStats:
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE, ...
    objective: float
    best_bound: float
    solve_seconds: float
    variables: int = 0
    constraints: int = 0

    @property
    def gap(self) -> float:
        if self.objective == 0:
            return 0.0 if self.best_bound == 0 else 1.0
        return abs(self.objective - self.best_bound) / abs(self.objective)


@dataclass(frozen=True)
class Plan:
    assignments: tuple[Assignment, ...]
    shortfalls: tuple[Shortfall, ...]
    stats: SolveStats
    objective_terms: dict[str, float] = field(default_factory=dict)  # each weighted term, recomputed in Python

    @property
    def short_posts(self) -> int:
        """Real posts left short (standby posts excluded): what exit code 3 reports."""
        return sum(s.short for s in self.shortfalls if not s.reserve)
