"""The model as a solver-neutral linear program over integers, built rule by rule.

``formulate`` reads as the model's table of contents: one function per rule, hard
rules first, then the soft ones. ``cpsat`` (and the benchmark's HiGHS run) translate the
same ``LinearModel``, so both solvers answer exactly the same question.
See docs/model.md for the mathematics, in the same order.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from ..domain import Weights
from .problem import Problem


@dataclass
class LinearModel:
    names: list[str] = field(default_factory=list)
    lower: list[int] = field(default_factory=list)
    upper: list[int] = field(default_factory=list)
    rows: list[tuple[str, list[int], list[int], float, float]] = field(default_factory=list)  # name, vars, coefs, lo, hi
    terms: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # objective term -> (var, weighted coef)

    def var(self, name: str, lower: int = 0, upper: int = 1) -> int:
        self.names.append(name)
        self.lower.append(lower)
        self.upper.append(upper)
        return len(self.names) - 1

    def row(self, name: str, variables: list[int], coefs: list[int], lo: float = -math.inf, hi: float = math.inf) -> None:
        self.rows.append((name, variables, coefs, lo, hi))

    def add_term(self, term: str, variables, coef_of) -> None:
        entries = self.terms.setdefault(term, [])
        entries.extend((v, c) for v in variables if (c := coef_of(v)) != 0)

    def objective(self) -> dict[int, int]:
        total: dict[int, int] = defaultdict(int)
        for entries in self.terms.values():
            for v, c in entries:
                total[v] += c
        return dict(total)


@dataclass
class Variables:
    """Indices of the model's variables, by what they mean."""

    x: dict[tuple[int, int], int] = field(default_factory=dict)  # (worker, group) -> assigned?
    short: dict[int, int] = field(default_factory=dict)  # group -> posts left unfilled
    fair_over: dict[str, int] = field(default_factory=dict)
    fair_under: dict[str, int] = field(default_factory=dict)
    worst: int | None = None
    second: dict[int, int] = field(default_factory=dict)  # worker -> holds a second post?
    newcomer_excess: dict[tuple[str, str], int] = field(default_factory=dict)  # (site id, shift)


@dataclass(frozen=True)
class Formulation:
    model: LinearModel
    vars: Variables


def formulate(problem: Problem, weights: Weights) -> Formulation:
    lm, v = LinearModel(), Variables()
    add_assignment_variables(problem, lm, v)
    # hard rules
    cover_every_post_or_report_shortfall(problem, lm, v, weights)
    one_post_at_a_time(problem, lm, v)
    cap_posts_per_worker(problem, lm, v)
    keep_frozen_posts(problem, lm, v)
    # soft rules
    minimise_commute(problem, lm, v, weights)
    shorten_long_commutes(problem, lm, v, weights)
    minimise_worst_commute(problem, lm, v, weights)
    keep_departments_fair(problem, lm, v, weights)
    keep_colleagues_together(problem, lm, v, weights)
    respect_preferences(problem, lm, v, weights)
    spread_newcomers(problem, lm, v, weights)
    avoid_second_posts(problem, lm, v, weights)
    change_as_little_as_possible(problem, lm, v, weights)
    return Formulation(model=lm, vars=v)


def _by_worker(v: Variables) -> dict[int, list[tuple[int, int]]]:
    out: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (w, g), var in v.x.items():
        out[w].append((g, var))
    return out


def add_assignment_variables(problem: Problem, lm: LinearModel, v: Variables) -> None:
    """Only eligible, available (worker, group) pairs get a variable (see ``problem``)."""
    for w, g in problem.pairs:
        v.x[(w, g)] = lm.var(f"x[{problem.workers[w].id},{g}]")


def cover_every_post_or_report_shortfall(problem: Problem, lm: LinearModel, v: Variables, weights: Weights) -> None:
    """Each group gets exactly its posts filled; what cannot be filled is an explicit, costly shortfall."""
    by_group: dict[int, list[int]] = defaultdict(list)
    for (w, g), var in v.x.items():
        by_group[g].append(var)
    for group in problem.groups:
        v.short[group.index] = lm.var(f"short[{group.index}]", 0, group.demand)
        variables = by_group[group.index] + [v.short[group.index]]
        lm.row(f"cover[{group.index}]", variables, [1] * len(variables), group.demand, group.demand)
    cost = {v.short[g.index]: weights.reserve_shortfall if g.reserve else weights.shortfall for g in problem.groups}
    lm.add_term("shortfall", v.short.values(), cost.__getitem__)


def one_post_at_a_time(problem: Problem, lm: LinearModel, v: Variables) -> None:
    """At most one post per person in each set of overlapping shifts (election day and counting night overlap)."""
    shift_of = {g.index: g.shift for g in problem.groups}
    for w, items in _by_worker(v).items():
        for k, clique in enumerate(problem.cliques):
            variables = [var for g, var in items if shift_of[g] in clique]
            if len(variables) > 1:
                lm.row(f"overlap[{w},{k}]", variables, [1] * len(variables), hi=1)


def _cliques_used(problem: Problem, items: list[tuple[int, int]]) -> int:
    shifts = {problem.groups[g].shift for g, _ in items}
    return sum(1 for clique in problem.cliques if shifts & set(clique))


def cap_posts_per_worker(problem: Problem, lm: LinearModel, v: Variables) -> None:
    for w, items in _by_worker(v).items():
        if _cliques_used(problem, items) > problem.max_posts:
            lm.row(f"cap[{w}]", [var for _, var in items], [1] * len(items), hi=problem.max_posts)


def keep_frozen_posts(problem: Problem, lm: LinearModel, v: Variables) -> None:
    """Posts named by ``--freeze`` (e.g. station managers already appointed) are held as they are."""
    for w, g in sorted(problem.frozen):
        lm.row(f"frozen[{w},{g}]", [v.x[(w, g)]], [1], 1, 1)


def minimise_commute(problem: Problem, lm: LinearModel, v: Variables, weights: Weights) -> None:
    coef = {var: weights.commute * problem.commute(w, g) for (w, g), var in v.x.items()}
    lm.add_term("commute", v.x.values(), coef.__getitem__)


def long_commute_excess(problem: Problem, weights: Weights, w: int, g: int) -> int:
    return max(0, problem.commute(w, g) - weights.long_commute_m)


def shorten_long_commutes(problem: Problem, lm: LinearModel, v: Variables, weights: Weights) -> None:
    """Every metre beyond ``long_commute_m`` costs extra: a linear stand-in for the worst commute that keeps
    the model's relaxation tight (the exact min-max below takes 25x longer to prove)."""
    coef = {var: weights.long_commute * long_commute_excess(problem, weights, w, g) for (w, g), var in v.x.items()}
    lm.add_term("long_commute", v.x.values(), coef.__getitem__)


def minimise_worst_commute(problem: Problem, lm: LinearModel, v: Variables, weights: Weights) -> None:
    """worst >= the commute of every post held (one post per clique, so a per-clique sum is that post's)."""
    if weights.worst_commute == 0 or not v.x:
        return
    bound = int(problem.distance.max()) if problem.distance.size else 0
    v.worst = lm.var("worst_commute", 0, bound)
    shift_of = {g.index: g.shift for g in problem.groups}
    for w, items in _by_worker(v).items():
        for k, clique in enumerate(problem.cliques):
            in_clique = [(g, var) for g, var in items if shift_of[g] in clique]
            if in_clique:
                variables = [var for _, var in in_clique] + [v.worst]
                coefs = [problem.commute(w, g) for g, _ in in_clique] + [-1]
                lm.row(f"worst[{w},{k}]", variables, coefs, hi=0)
    lm.add_term("worst_commute", [v.worst], lambda var: weights.worst_commute)


def keep_departments_fair(problem: Problem, lm: LinearModel, v: Variables, weights: Weights) -> None:
    """|posts of a department - its share| is penalised: no department carries more than its weight."""
    targets = problem.fair_targets
    if weights.fairness == 0:
        return
    members: dict[str, list[int]] = defaultdict(list)
    for (w, g), var in v.x.items():
        members[problem.workers[w].department].append(var)
    for dept in sorted(targets):
        over = v.fair_over[dept] = lm.var(f"fair_over[{dept}]", 0, len(members[dept]) + 1)
        under = v.fair_under[dept] = lm.var(f"fair_under[{dept}]", 0, targets[dept])
        variables = members[dept] + [over, under]
        lm.row(f"fair[{dept}]", variables, [1] * len(members[dept]) + [-1, 1], targets[dept], targets[dept])
    lm.add_term("fairness", list(v.fair_over.values()) + list(v.fair_under.values()), lambda var: weights.fairness)


def keep_colleagues_together(problem: Problem, lm: LinearModel, v: Variables, weights: Weights) -> None:
    """A post outside the department's home 동 costs points, so colleagues work side by side (부서끼리 배치)."""
    coef = {var: weights.together * problem.away_from_home(w, g) for (w, g), var in v.x.items()}
    lm.add_term("together", v.x.values(), coef.__getitem__)


def preference_misses(problem: Problem, w: int, g: int) -> int:
    """How many of a person's stated preferences (동, site kind) this post misses."""
    worker, site = problem.workers[w], problem.groups[g].site
    misses = 0
    if worker.preferred_dong is not None and site.dong != worker.preferred_dong:
        misses += 1
    if worker.preferred_site_kind is not None and site.kind != worker.preferred_site_kind:
        misses += 1
    return misses


def respect_preferences(problem: Problem, lm: LinearModel, v: Variables, weights: Weights) -> None:
    coef = {var: weights.preference * preference_misses(problem, w, g) for (w, g), var in v.x.items()}
    lm.add_term("preference", v.x.values(), coef.__getitem__)


def newcomer_caps(problem: Problem) -> dict[tuple[str, str], int]:
    """Per (site, shift): how many first-timers fit within the newcomer share of its posts."""
    posts: dict[tuple[str, str], int] = defaultdict(int)
    for g in problem.groups:
        posts[(g.site.id, g.shift)] += g.demand
    return {key: math.floor(problem.newcomer_share * n) for key, n in posts.items()}


def spread_newcomers(problem: Problem, lm: LinearModel, v: Variables, weights: Weights) -> None:
    """First-timers above a station's share are penalised, so no station is all newcomers."""
    if weights.newcomers == 0:
        return
    caps = newcomer_caps(problem)
    newcomers: dict[tuple[str, str], list[int]] = defaultdict(list)
    for (w, g), var in v.x.items():
        if problem.workers[w].first_timer:
            group = problem.groups[g]
            newcomers[(group.site.id, group.shift)].append(var)
    for key in sorted(newcomers):
        variables = newcomers[key]
        if len(variables) <= caps[key]:
            continue  # cannot exceed the cap, no variable needed
        excess = v.newcomer_excess[key] = lm.var(f"newcomer_excess[{key[0]},{key[1]}]", 0, len(variables))
        lm.row(f"newcomers[{key[0]},{key[1]}]", variables + [excess], [1] * len(variables) + [-1], hi=caps[key])
    lm.add_term("newcomers", v.newcomer_excess.values(), lambda var: weights.newcomers)


def avoid_second_posts(problem: Problem, lm: LinearModel, v: Variables, weights: Weights) -> None:
    """A second post (early voting and election day, say) is allowed up to the cap but costs points."""
    if weights.second_post == 0:
        return
    for w, items in _by_worker(v).items():
        if _cliques_used(problem, items) < 2 or problem.max_posts < 2:
            continue
        second = v.second[w] = lm.var(f"second[{w}]", 0, problem.max_posts - 1)
        lm.row(f"second_link[{w}]", [var for _, var in items] + [second], [1] * len(items) + [-1], hi=1)
    lm.add_term("second_post", v.second.values(), lambda var: weights.second_post)


def change_as_little_as_possible(problem: Problem, lm: LinearModel, v: Variables, weights: Weights) -> None:
    """Replanning: every post given to someone who did not hold it before costs ``change`` points.

    The number of posts filled is fixed by the cover rule, so this keeps every unaffected
    assignment and moves a person only when that is the only way to cover a post
    (``change`` is far below ``shortfall``). People on standby (예비인력) cost only
    ``reserve_change``, so the reserves are called on first.
    """
    if not problem.previous:
        return
    coef = {var: change_cost(problem, weights, w, g) for (w, g), var in v.x.items()}
    lm.add_term("change", v.x.values(), coef.__getitem__)


def change_cost(problem: Problem, weights: Weights, w: int, g: int) -> int:
    """Replanning: 0 to keep a post, ``reserve_change`` to send a person on standby, else ``change``."""
    if (w, g) in problem.previous:
        return 0
    return weights.reserve_change if w in problem.on_standby else weights.change
