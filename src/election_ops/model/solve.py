"""Turn demand and a staff pool into a roster: build the problem, solve it, explain it.

One public entry point, ``solve_roster``; everything it returns is plain data
(``solution.Plan``), so reports and validation never touch the solver.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from ..demand import Demand
from ..domain import StaffingRules, Weights, Worker
from ..glossary import REQUIREMENTS, SHIFTS, ko
from ..solution import Assignment, Plan, Shortfall, SolveStats
from .cpsat import SolverResult, solve_cpsat
from .eligibility import ineligibility, is_available, requirement_text, requirement_text_ko
from .formulation import Formulation, formulate
from .problem import FixedPost, Problem, build_problem
from .scoring import score


def solve_roster(demand: Demand, rules: StaffingRules, workers: tuple[Worker, ...], weights: Weights, *,
                 time_limit: float = 60.0, seed: int = 0, solver_overrides: dict | None = None,
                 previous: tuple[FixedPost, ...] = (), frozen: tuple[FixedPost, ...] = (),
                 progress: Callable[[float, float], None] | None = None) -> Plan:
    """Assign ``workers`` to the posts of ``demand``.

    ``previous`` makes this a replan of that plan (every post given to someone new costs
    ``weights.change``); ``frozen`` posts are kept exactly. Raises ``FixedPostError`` for a
    frozen post that cannot be kept.
    """
    if previous:
        # First try the gentle replan: everyone unaffected keeps their post (hard) and only the freed posts
        # get candidates, so the model is small and fast; moves are considered only if it leaves posts short
        # that the full model might cover.
        reserves = {(r.site_kind.value, r.role) for r in rules.roles if r.reserve}
        kinds = {s.id: s.kind.value for s in demand.sites}
        # people on standby are not held in place: they are the first sent to a freed post
        kept = tuple(p for p in _still_possible(previous, workers) if (kinds.get(p.site_id), p.role) not in reserves)
        freed = tuple(p for p in previous if p not in kept and (kinds.get(p.site_id), p.role) not in reserves)
        gentle = _solve(demand, rules, workers, weights, time_limit, seed, solver_overrides, previous,
                        tuple(frozen) + kept, progress, focus=freed)
        if gentle.short_posts == 0:
            return gentle
    return _solve(demand, rules, workers, weights, time_limit, seed, solver_overrides, previous, frozen, progress)


def _still_possible(previous: tuple[FixedPost, ...], workers: tuple[Worker, ...]) -> tuple[FixedPost, ...]:
    """Earlier posts whose holders can still work them (absent people are marked unavailable)."""
    by_id = {w.id: w for w in workers}
    return tuple(p for p in previous if p.worker_id in by_id and is_available(by_id[p.worker_id], p.shift))


def _solve(demand: Demand, rules: StaffingRules, workers: tuple[Worker, ...], weights: Weights, time_limit: float,
           seed: int, solver_overrides: dict | None, previous: tuple[FixedPost, ...], frozen: tuple[FixedPost, ...],
           progress: Callable[[float, float], None] | None, focus: tuple[FixedPost, ...] | None = None) -> Plan:
    widen: frozenset[int] = frozenset()
    while True:
        problem = build_problem(demand, rules, workers, widen=widen, previous=previous, frozen=frozen, focus=focus)
        formulation = formulate(problem, weights)
        # the earlier plan is where a full replan starts from (the gentle one has it fixed already)
        hint = {formulation.vars.x[pair]: 1 for pair in problem.previous - problem.frozen}
        result = solve_cpsat(formulation.model, time_limit=time_limit, seed=seed, overrides=solver_overrides,
                             hint=hint or None, progress=progress)
        chosen = _chosen(formulation, result)
        more = _groups_to_widen(problem, formulation, result, chosen)
        if not more or more <= widen:
            break
        # A shortfall while eligible people were left out of the candidates: offer them all and solve again.
        widen = widen | frozenset(more)
    return make_plan(problem, weights, formulation, result, chosen, kept=tuple(previous) + tuple(frozen))


def _chosen(formulation: Formulation, result: SolverResult) -> list[tuple[int, int]]:
    if not result.values:
        return []
    return sorted(pair for pair, var in formulation.vars.x.items() if result.values[var] == 1)


def _groups_to_widen(problem: Problem, formulation: Formulation, result: SolverResult,
                     chosen: list[tuple[int, int]]) -> set[int]:
    if not result.values:
        return set()
    candidates: dict[int, set[int]] = defaultdict(set)
    for w, g in problem.pairs:
        candidates[g].add(w)
    return {
        g for g, var in formulation.vars.short.items()
        if result.values[var] > 0 and set(problem.eligible[g]) - candidates[g]
    }


def make_plan(problem: Problem, weights: Weights, formulation: Formulation, result: SolverResult,
              chosen: list[tuple[int, int]], kept: tuple[FixedPost, ...] = ()) -> Plan:
    assignments, shortfalls = label_roles(problem, chosen, kept)
    terms = score(problem, weights, chosen)
    stats = SolveStats(status=result.status, objective=result.objective, best_bound=result.best_bound,
                       solve_seconds=result.seconds, variables=len(formulation.model.names),
                       constraints=len(formulation.model.rows))
    return Plan(assignments=tuple(sorted(assignments)), shortfalls=tuple(shortfalls), stats=stats,
                objective_terms=terms)


def label_roles(problem: Problem, chosen: list[tuple[int, int]],
                kept: tuple[FixedPost, ...] = ()) -> tuple[list[Assignment], list[Shortfall]]:
    """Give each person in a pooled group a role: a frozen or earlier role first where it still has room,
    then roles in rules order, people experienced in a role first."""
    members: dict[int, list[int]] = defaultdict(list)
    for w, g in chosen:
        members[g].append(w)
    earlier = {(p.worker_id, p.site_id, p.shift): p.role for p in kept}
    busy = _posts_by_worker(problem, chosen)
    assignments, shortfalls = [], []
    for group in problem.groups:
        people = sorted(members[group.index], key=lambda w: problem.workers[w].id)
        held = {w: earlier.get((problem.workers[w].id, group.site.id, group.shift)) for w in people}
        # first pass: everyone keeps the role they held, where it still has room
        taken_by: dict[str, list[int]] = {rule.role: [] for rule in group.rules}
        for rule, required in zip(group.rules, group.required):
            taken_by[rule.role] = [w for w in people if held[w] == rule.role][:required]
        placed = {w for ws in taken_by.values() for w in ws}
        remaining = [w for w in people if w not in placed]
        for rule, required in zip(group.rules, group.required):
            remaining.sort(key=lambda w: (rule.role not in problem.workers[w].experience, problem.workers[w].id))
            room = required - len(taken_by[rule.role])
            taken_by[rule.role] += remaining[:room]
            remaining = remaining[room:]
        for rule, required in zip(group.rules, group.required):
            taken = taken_by[rule.role]
            for w in taken:
                assignments.append(Assignment(site_id=group.site.id, site_kind=group.site.kind.value, role=rule.role,
                                              shift=group.shift, worker_id=problem.workers[w].id,
                                              commute_m=problem.commute(w, group.index)))
            if len(taken) < required:
                cause = shortfall_cause(problem, group.index, busy)
                shortfalls.append(Shortfall(site_id=group.site.id, site_kind=group.site.kind.value, role=rule.role,
                                            shift=group.shift, required=required, assigned=len(taken),
                                            reason=cause[2], reserve=group.reserve, reason_code=cause[0],
                                            reason_args=tuple(sorted(cause[1].items()))))
    return assignments, shortfalls


def _posts_by_worker(problem: Problem, chosen: list[tuple[int, int]]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for w, g in chosen:
        out[w].append(g)
    return out


def explain_shortfall(problem: Problem, g: int, busy: dict[int, list[int]]) -> str:
    """Why a group's posts stay empty, in words a task force can act on (English; the code gives the Korean)."""
    return shortfall_cause(problem, g, busy)[2]


def shortfall_cause(problem: Problem, g: int, busy: dict[int, list[int]]) -> tuple[str, dict[str, str], str]:
    """(reason code, details, English text): the code and details give the documents' Korean through the glossary."""
    group = problem.groups[g]
    rule = group.lead
    called = sorted(problem.workers[w].id for w, h in problem.previous if h == g and any(k != g for k in busy.get(w, ())))
    if group.reserve and called:
        return "standby_sent", {"people": ", ".join(called)}, f"standby (예비인력) sent to a freed post: {', '.join(called)}"
    requirement = {"requirement": requirement_text_ko(rule)}
    qualified = [w for w, worker in enumerate(problem.workers) if ineligibility(worker, rule) is None]
    if not qualified:
        return ("no_qualified", requirement,
                f"no one in the staff pool meets the requirements ({requirement_text(rule)})")
    available = [w for w in qualified if is_available(problem.workers[w], group.shift)]
    if not available:
        return ("all_unavailable", {**requirement, "qualified": f"{len(qualified):,}", "shift": ko(SHIFTS, group.shift),
                                    "shift_code": group.shift},
                (f"all {len(qualified)} people who meet the requirements ({requirement_text(rule)}) are unavailable "
                 f"on shift {group.shift}"))
    # every shift that overlaps this one: the union of the overlap sets that hold it
    clashing = {shift for c in problem.cliques if group.shift in c for shift in c} | {group.shift}
    clashes = {w: [h for h in busy.get(w, ()) if problem.groups[h].shift in clashing] for w in available}
    overlapping = [w for w in available if clashes[w]]
    capped = [w for w in available if not clashes[w] and len(busy.get(w, ())) >= problem.max_posts]
    if len(overlapping) + len(capped) == len(available):
        places = sorted({problem.groups[h].site.id for w in overlapping for h in clashes[w]})[:3]
        parts, parts_ko = [], []
        if overlapping:
            parts.append(f"{len(overlapping)} already hold a post on an overlapping shift (e.g. at {', '.join(places)})")
            parts_ko.append(ko(REQUIREMENTS, "overlapping").format(n=len(overlapping), places=", ".join(places)))
        if capped:
            parts.append(f"{len(capped)} already hold the maximum of {problem.max_posts} posts")
            parts_ko.append(ko(REQUIREMENTS, "capped").format(n=len(capped), max=problem.max_posts))
        return ("all_taken", {"available": f"{len(available):,}", "details": ": " + "; ".join(parts_ko),
                              "details_en": ": " + "; ".join(parts)},
                f"all {len(available)} eligible, available people are taken: " + "; ".join(parts))
    free = len(available) - len(overlapping) - len(capped)
    return ("solver_stopped", {"free": f"{free:,}"},
            f"{free} eligible people were free but the solver stopped before placing them (raise --time-limit)")
