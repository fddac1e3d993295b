"""Recompute the objective from a plan in plain Python, term by term, from docs/model.md alone.

Tests check it equals the solver's objective, so the model and its documentation cannot
drift apart; reports use the per-term breakdown to say why a plan costs what it costs.
Written apart from ``formulation.py`` on purpose (it imports nothing from it): a slip in one
is caught by the other.
"""

from __future__ import annotations

import math
from collections import defaultdict

from ..domain import Weights
from .problem import Problem


def score(problem: Problem, weights: Weights, chosen: list[tuple[int, int]]) -> dict[str, int]:
    """Points per objective term for the (worker, group) pairs in ``chosen``."""
    groups, workers = problem.groups, problem.workers
    filled: dict[int, int] = defaultdict(int)
    posts_of: dict[int, int] = defaultdict(int)
    for w, g in chosen:
        filled[g] += 1
        posts_of[w] += 1
    commutes = [problem.commute(w, g) for w, g in chosen]
    terms = {
        "shortfall": sum((weights.reserve_shortfall if g.reserve else weights.shortfall) * (g.demand - filled[g.index])
                         for g in groups),
        "commute": weights.commute * sum(commutes),
        # every metre beyond long_commute_m, per post
        "long_commute": weights.long_commute * sum(max(0, c - weights.long_commute_m) for c in commutes),
        "worst_commute": weights.worst_commute * max(commutes, default=0),
    }
    # |posts of a department - its fair share|, over every department with a share
    dept_posts: dict[str, int] = defaultdict(int)
    for w, _ in chosen:
        dept_posts[workers[w].department] += 1
    terms["fairness"] = weights.fairness * sum(abs(dept_posts[d] - t) for d, t in problem.fair_targets.items())
    terms["together"] = weights.together * sum(problem.away_from_home(w, g) for w, g in chosen)
    misses = 0
    for w, g in chosen:
        worker, site = workers[w], groups[g].site
        misses += worker.preferred_dong is not None and site.dong != worker.preferred_dong
        misses += worker.preferred_site_kind is not None and site.kind != worker.preferred_site_kind
    terms["preference"] = weights.preference * misses
    # first-timers beyond floor(newcomer_share x the posts of a site on a shift)
    posts_at: dict[tuple[str, str], int] = defaultdict(int)
    for group in groups:
        posts_at[(group.site.id, group.shift)] += group.demand
    newcomers: dict[tuple[str, str], int] = defaultdict(int)
    for w, g in chosen:
        if not workers[w].experience:
            newcomers[(groups[g].site.id, groups[g].shift)] += 1
    terms["newcomers"] = weights.newcomers * sum(
        max(0, n - math.floor(problem.newcomer_share * posts_at[key])) for key, n in newcomers.items())
    terms["second_post"] = weights.second_post * sum(max(0, n - 1) for n in posts_of.values())
    if problem.previous:
        # a post not held in the plan being changed: reserve_change from standby, else change
        terms["change"] = sum(0 if (w, g) in problem.previous
                              else weights.reserve_change if w in problem.on_standby else weights.change
                              for w, g in chosen)
    return terms
