"""Turn demand and a staff pool into a roster: build the problem, solve it, explain it.

One public entry point, ``solve_roster``; everything it returns is plain data
(``solution.Plan``), so reports and validation never touch the solver.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from .demand import Demand
from .domain import StaffingRules, Weights, Worker
from .eligibility import ineligibility, is_available, requirement_text
from .model.cpsat import SolverResult, solve_cpsat
from .model.formulation import Formulation, formulate
from .model.problem import Problem, build_problem
from .model.scoring import score
from .solution import Assignment, Plan, Shortfall, SolveStats


def solve_roster(demand: Demand, rules: StaffingRules, workers: tuple[Worker, ...], weights: Weights, *,
                 time_limit: float = 60.0, seed: int = 0, solver_overrides: dict | None = None,
                 progress: Callable[[float, float], None] | None = None) -> Plan:
    problem = build_problem(demand, rules, workers)
    formulation = formulate(problem, weights)
    result = solve_cpsat(formulation.model, time_limit=time_limit, seed=seed, overrides=solver_overrides,
                             progress=progress)
    chosen = _chosen(formulation, result)
    widen = _groups_to_widen(problem, formulation, result, chosen)
    if widen:
        # A shortfall while eligible people were left out of the candidates: offer them all and solve again.
        problem = build_problem(demand, rules, workers, widen=frozenset(widen))
        formulation = formulate(problem, weights)
        result = solve_cpsat(formulation.model, time_limit=time_limit, seed=seed, overrides=solver_overrides,
                             progress=progress)
        chosen = _chosen(formulation, result)
    return make_plan(problem, weights, formulation, result, chosen)


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
              chosen: list[tuple[int, int]]) -> Plan:
    assignments, shortfalls = label_roles(problem, chosen)
    terms = score(problem, weights, chosen)
    stats = SolveStats(status=result.status, objective=result.objective, best_bound=result.best_bound,
                       solve_seconds=result.seconds, variables=len(formulation.model.names),
                       constraints=len(formulation.model.rows))
    return Plan(assignments=tuple(sorted(assignments)), shortfalls=tuple(shortfalls), stats=stats,
                objective_terms=terms)


def label_roles(problem: Problem, chosen: list[tuple[int, int]]) -> tuple[list[Assignment], list[Shortfall]]:
    """Give each person in a pooled group a role: roles in rules order, people experienced in a role first."""
    members: dict[int, list[int]] = defaultdict(list)
    for w, g in chosen:
        members[g].append(w)
    busy = _posts_by_worker(problem, chosen)
    assignments, shortfalls = [], []
    for group in problem.groups:
        remaining = sorted(members[group.index], key=lambda w: problem.workers[w].id)
        for rule, required in zip(group.rules, group.required):
            remaining.sort(key=lambda w: (rule.role not in problem.workers[w].experience, problem.workers[w].id))
            taken, remaining = remaining[:required], remaining[required:]
            for w in taken:
                assignments.append(Assignment(site_id=group.site.id, site_kind=group.site.kind.value, role=rule.role,
                                              shift=group.shift, worker_id=problem.workers[w].id,
                                              commute_m=problem.commute(w, group.index)))
            if len(taken) < required:
                shortfalls.append(Shortfall(site_id=group.site.id, site_kind=group.site.kind.value, role=rule.role,
                                            shift=group.shift, required=required, assigned=len(taken),
                                            reason=explain_shortfall(problem, group.index, busy)))
    return assignments, shortfalls


def _posts_by_worker(problem: Problem, chosen: list[tuple[int, int]]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for w, g in chosen:
        out[w].append(g)
    return out


def explain_shortfall(problem: Problem, g: int, busy: dict[int, list[int]]) -> str:
    """Why a group's posts stay empty, in words a task force can act on."""
    group = problem.groups[g]
    rule = group.lead
    qualified = [w for w, worker in enumerate(problem.workers) if ineligibility(worker, rule) is None]
    if not qualified:
        return f"no one in the staff pool meets the requirements ({requirement_text(rule)})"
    available = [w for w in qualified if is_available(problem.workers[w], group.shift)]
    if not available:
        return f"all {len(qualified)} people who meet the requirements ({requirement_text(rule)}) are unavailable on shift {group.shift}"
    clique = next((c for c in problem.cliques if group.shift in c), (group.shift,))
    overlapping = [w for w in available if any(problem.groups[h].shift in clique for h in busy.get(w, ()))]
    capped = [w for w in available if w not in overlapping and len(busy.get(w, ())) >= problem.max_posts]
    if len(overlapping) + len(capped) == len(available):
        places = sorted({problem.groups[h].site.id for w in overlapping for h in busy[w]})[:3]
        parts = []
        if overlapping:
            parts.append(f"{len(overlapping)} already hold a post on an overlapping shift (e.g. at {', '.join(places)})")
        if capped:
            parts.append(f"{len(capped)} already hold the maximum of {problem.max_posts} posts")
        return f"all {len(available)} eligible, available people are taken: " + "; ".join(parts)
    return (f"{len(available) - len(overlapping) - len(capped)} eligible people were free but the solver stopped "
            "before placing them (raise --time-limit)")
