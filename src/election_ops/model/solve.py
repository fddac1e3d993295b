"""Turn demand and a staff pool into a roster: build the problem, solve it, explain it.

One public entry point, ``solve_roster``; everything it returns is plain data
(``solution.Plan``), so reports and validation never touch the solver.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..demand import Demand
from ..domain import StaffingRules, Weights, Worker
from ..errors import ElectionOpsError
from ..glossary import REQUIREMENTS, SHIFTS, ko
from ..solution import Assignment, Plan, Shortfall, SolveStats
from .cpsat import SolverResult, solve_cpsat
from .eligibility import ineligibility, is_available, requirement_text, requirement_text_ko
from .formulation import Formulation, formulate
from .greedy import greedy_assign
from .hint import with_pairs
from .precheck import check_objective_range
from .problem import FixedPost, Problem, build_problem
from .scoring import score


def solve_roster(demand: Demand, rules: StaffingRules, workers: tuple[Worker, ...], weights: Weights, *,
                 time_limit: float = 60.0, seed: int = 0, solver_overrides: dict | None = None,
                 previous: tuple[FixedPost, ...] = (), frozen: tuple[FixedPost, ...] = (),
                 progress: Callable[[float, float], None] | None = None) -> Plan:
    """Assign ``workers`` to the posts of ``demand``.

    ``previous`` makes this a replan of that plan (every post given to someone new costs
    ``weights.change``); ``frozen`` posts are kept exactly. Raises ``FixedPostError`` for a
    frozen post that cannot be kept (``precheck.check_fixed_posts`` names it first, in words).
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
        if gentle.plan.short_posts == 0:
            return gentle.plan
        # The full stage starts from the gentle plan (a feasible roster of the full model too), and is kept only
        # when it is better: a full stage stopped early never throws the gentle plan away.
        full = _solve(demand, rules, workers, weights, time_limit, seed, solver_overrides, previous, frozen,
                      progress, start=gentle.chosen)
        return full.plan if _better(full.plan, gentle.plan) else gentle.plan
    return _solve(demand, rules, workers, weights, time_limit, seed, solver_overrides, previous, frozen,
                  progress).plan


def _better(plan: Plan, than: Plan) -> bool:
    """Fewer real posts short, then fewer points (the same objective: both stages score the full model's terms)."""
    return (plan.short_posts, sum(plan.objective_terms.values())) < (than.short_posts, sum(than.objective_terms.values()))


def _still_possible(previous: tuple[FixedPost, ...], workers: tuple[Worker, ...]) -> tuple[FixedPost, ...]:
    """Earlier posts whose holders can still work them (absent people are marked unavailable)."""
    by_id = {w.id: w for w in workers}
    return tuple(p for p in previous if p.worker_id in by_id and is_available(by_id[p.worker_id], p.shift))


@dataclass(frozen=True)
class _Stage:
    plan: Plan
    chosen: list[tuple[int, int]]  # (worker, group) pairs, indices shared by every stage of one solve


def _solve(demand: Demand, rules: StaffingRules, workers: tuple[Worker, ...], weights: Weights, time_limit: float,
           seed: int, solver_overrides: dict | None, previous: tuple[FixedPost, ...], frozen: tuple[FixedPost, ...],
           progress: Callable[[float, float], None] | None, focus: tuple[FixedPost, ...] | None = None,
           start: list[tuple[int, int]] | None = None) -> _Stage:
    widen: dict[int, int] = {}  # group -> times its candidates were widened
    widened: set[int] = set()  # the groups widened last time, and how many candidates each had before
    before: dict[int, int] = {}
    while True:
        problem = build_problem(demand, rules, workers, weights=weights, widen=widen, previous=previous,
                                frozen=frozen, focus=focus)
        # A complete, feasible fallback roster: the given one (an earlier stage's), else the station-by-station
        # greedy baseline; the plan is the better of it and the solver's, so even a very short time limit
        # returns a usable plan (docs/model.md, "Solving").
        if start is None:
            start = _greedy_start(problem)
        problem = with_pairs(problem, start)
        formulation = formulate(problem, weights)
        check_objective_range(formulation.model.terms, formulation.model.upper)
        # the earlier plan is where a full replan starts from (a complete hint slowed the proof of optimality
        # 10-fold on the 2022 elections, so the solver searches on its own; the start is the fallback)
        hint = {formulation.vars.x[pair]: 1 for pair in problem.previous - problem.frozen}
        result = solve_cpsat(formulation.model, time_limit=time_limit, seed=seed, overrides=solver_overrides,
                             hint=hint or None, progress=progress)
        if result.status in ("INFEASIBLE", "MODEL_INVALID"):
            raise ModelError(result.status, problem)
        fallback = sorted(p for p in start if p in formulation.vars.x)
        chosen = _chosen(formulation, result) if result.values else fallback
        if result.values and _points(problem, weights, fallback) < _points(problem, weights, chosen):
            chosen, result = fallback, replace(result, values=[])  # the solver stopped short of the start
        offered = _candidate_counts(problem)
        # a group whose last widening offered nobody new cannot grow (a gentle replan's restricted groups, say):
        # widening it again would solve the same model again and again
        stuck = {g for g in widened if offered[g] <= before.get(g, 0)}
        more = _groups_to_widen(problem, formulation, result, chosen) - stuck
        if not more:
            break
        widened, before = more, offered
        # A shortfall while eligible people were left out of the candidates: offer more and solve again,
        # starting from this roster.
        widen = {**widen, **{g: widen.get(g, 0) + 1 for g in more}}
        start = chosen
    plan = make_plan(problem, weights, formulation, result, chosen, kept=tuple(previous) + tuple(frozen))
    return _Stage(plan=plan, chosen=chosen)


def _candidate_counts(problem: Problem) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for _, g in problem.pairs:
        counts[g] += 1
    return counts


def _points(problem: Problem, weights: Weights, chosen: list[tuple[int, int]]) -> int:
    return sum(score(problem, weights, chosen).values())


def _greedy_start(problem: Problem) -> list[tuple[int, int]]:
    """The greedy roster over the model's own candidate pairs (so a gentle replan's restrictions hold)."""
    candidates: dict[int, list[int]] = defaultdict(list)
    for w, g in problem.pairs:
        candidates[g].append(w)
    return greedy_assign(replace(problem, eligible={g.index: tuple(candidates[g.index]) for g in problem.groups}))


class ModelError(ElectionOpsError):
    """The solver found the hard rules contradictory or the model out of range although every pre-check passed.

    Every post has an explicit shortfall, so only pinned posts can contradict each other: with pinned posts it
    is the input's fault (exit 2), without them a bug (exit 1). Never turned into an all-short plan.
    """

    def __init__(self, status: str, problem: Problem) -> None:
        self.status = status
        self.exit_code = 2 if problem.frozen else 1
        if status == "INFEASIBLE":
            text = (f"the solver proved that the {len(problem.frozen)} pinned post(s) cannot all be kept together "
                    "with the hard rules (one post at a time, the cap on posts per person, the posts each site "
                    "needs); no plan was written: correct the --freeze list")
        else:
            text = ("the roster model holds a number beyond the solver's range (status MODEL_INVALID); no plan "
                    "was written: check the scenario's and rules' numbers")
        super().__init__(text)


def _chosen(formulation: Formulation, result: SolverResult) -> list[tuple[int, int]]:
    return sorted(pair for pair, var in formulation.vars.x.items() if result.values[var] == 1)


def _groups_to_widen(problem: Problem, formulation: Formulation, result: SolverResult,
                     chosen: list[tuple[int, int]]) -> set[int]:
    if not result.values:
        return set()
    candidates: dict[int, list[int]] = defaultdict(list)
    for w, g in problem.pairs:
        candidates[g].append(w)
    busy = _posts_by_worker(problem, chosen)
    shifts = {w: {problem.groups[h].shift for h in held} for w, held in busy.items()}

    def free(w: int, shift: str) -> bool:  # could take a post on ``shift`` as the plan stands
        return len(busy.get(w, ())) < problem.max_posts and not any(
            shift in clique and shifts.get(w, set()) & set(clique) for clique in problem.cliques)

    # Widen a short group only when its candidates are all taken (every candidate is eligible, so the count
    # says whether anyone was left out); with a candidate free, the solver left the post short on purpose.
    return {
        g for g, var in formulation.vars.short.items()
        if result.values[var] > 0 and len(problem.eligible[g]) > len(candidates[g])
        and not any(free(w, problem.groups[g].shift) for w in candidates[g])
    }


def make_plan(problem: Problem, weights: Weights, formulation: Formulation, result: SolverResult,
              chosen: list[tuple[int, int]], kept: tuple[FixedPost, ...] = ()) -> Plan:
    assignments, shortfalls = label_roles(problem, chosen, kept, optimal=result.status == "OPTIMAL")
    terms = score(problem, weights, chosen)
    # no solution from the solver, or a worse one than the start: the plan is the starting roster
    objective = result.objective if result.values else float(sum(terms.values()))
    stats = SolveStats(status=result.status, objective=objective, best_bound=result.best_bound,
                       solve_seconds=result.seconds, variables=len(formulation.model.names),
                       constraints=len(formulation.model.rows))
    return Plan(assignments=tuple(sorted(assignments)), shortfalls=tuple(shortfalls), stats=stats,
                objective_terms=terms)


def label_roles(problem: Problem, chosen: list[tuple[int, int]], kept: tuple[FixedPost, ...] = (),
                optimal: bool = False) -> tuple[list[Assignment], list[Shortfall]]:
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
                cause = shortfall_cause(problem, group.index, busy, optimal)
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


def explain_shortfall(problem: Problem, g: int, busy: dict[int, list[int]], optimal: bool = False) -> str:
    """Why a group's posts stay empty, in words a task force can act on (English; the code gives the Korean)."""
    return shortfall_cause(problem, g, busy, optimal)[2]


def shortfall_cause(problem: Problem, g: int, busy: dict[int, list[int]],
                    optimal: bool = False) -> tuple[str, dict[str, str], str]:
    """(reason code, details, English text): the code and details give the documents' Korean through the glossary.

    ``optimal``: the solver proved its plan optimal, so free people left out were not its candidates; it did not
    stop early."""
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
    if optimal:
        return ("not_offered", {"free": f"{free:,}"},
                f"{free} eligible people were free but not offered this post (outside its candidate list or "
                "held in place by a gentle replan)")
    return ("solver_stopped", {"free": f"{free:,}"},
            f"{free} eligible people were free but the solver stopped before placing them (raise --time-limit)")
