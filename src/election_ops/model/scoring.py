"""Recompute the objective from a plan in plain Python, term by term.

Tests check it equals the solver's objective, so the model and its documentation cannot
drift apart; reports use the per-term breakdown to say why a plan costs what it costs.
"""

from __future__ import annotations

from collections import defaultdict

from ..domain import Weights
from .formulation import change_cost, long_commute_excess, newcomer_caps, preference_misses
from .problem import Problem


def score(problem: Problem, weights: Weights, chosen: list[tuple[int, int]]) -> dict[str, int]:
    """Points per objective term for the (worker, group) pairs in ``chosen``."""
    filled: dict[int, int] = defaultdict(int)
    posts_of: dict[int, int] = defaultdict(int)
    for w, g in chosen:
        filled[g] += 1
        posts_of[w] += 1
    terms = {
        "shortfall": sum((weights.reserve_shortfall if g.reserve else weights.shortfall) * (g.demand - filled[g.index])
                         for g in problem.groups),
        "commute": weights.commute * sum(problem.commute(w, g) for w, g in chosen),
        "long_commute": weights.long_commute * sum(long_commute_excess(problem, weights, w, g) for w, g in chosen),
        "worst_commute": weights.worst_commute * max((problem.commute(w, g) for w, g in chosen), default=0),
    }
    dept_posts: dict[str, int] = defaultdict(int)
    for w, _ in chosen:
        dept_posts[problem.workers[w].department] += 1
    targets = problem.fair_targets
    terms["fairness"] = weights.fairness * sum(abs(dept_posts[d] - t) for d, t in targets.items())
    terms["together"] = weights.together * sum(problem.away_from_home(w, g) for w, g in chosen)
    terms["preference"] = weights.preference * sum(preference_misses(problem, w, g) for w, g in chosen)
    newcomers: dict[tuple[str, str], int] = defaultdict(int)
    for w, g in chosen:
        if problem.workers[w].first_timer:
            newcomers[(problem.groups[g].site.id, problem.groups[g].shift)] += 1
    caps = newcomer_caps(problem)
    terms["newcomers"] = weights.newcomers * sum(max(0, n - caps[key]) for key, n in newcomers.items())
    terms["second_post"] = weights.second_post * sum(max(0, n - 1) for n in posts_of.values())
    if problem.previous:
        terms["change"] = sum(change_cost(problem, weights, w, g) for w, g in chosen)
    return terms
