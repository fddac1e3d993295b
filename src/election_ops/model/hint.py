"""A complete starting solution for CP-SAT from (worker, group) pairs, e.g. the greedy baseline's.

Every variable of the formulation gets a value that, with the pairs, satisfies every row:
the shortfall is what the pairs leave empty, and each soft rule's auxiliary variable takes
the smallest value its rows allow. CP-SAT checks a complete hint first, so even a very short
time limit returns at least this roster (docs/model.md, "Solving").
"""

from __future__ import annotations

from collections import defaultdict

from .formulation import Formulation, newcomer_caps
from .problem import Problem


def with_pairs(problem: Problem, pairs: list[tuple[int, int]]) -> Problem:
    """The problem with ``pairs`` among its candidates (greedy may pick an eligible person outside them)."""
    from dataclasses import replace

    missing = set(pairs) - set(problem.pairs)
    if not missing:
        return problem
    return replace(problem, pairs=tuple(sorted(set(problem.pairs) | missing)))


def complete_hint(problem: Problem, formulation: Formulation, chosen: list[tuple[int, int]]) -> dict[int, int]:
    """Variable index -> value for the roster ``chosen`` (pairs without a variable are left out)."""
    v = formulation.vars
    chosen = [pair for pair in chosen if pair in v.x]
    picked = set(chosen)
    hint = {var: int(pair in picked) for pair, var in v.x.items()}
    filled: dict[int, int] = defaultdict(int)
    posts_of: dict[int, int] = defaultdict(int)
    for w, g in chosen:
        filled[g] += 1
        posts_of[w] += 1
    for g, var in v.short.items():
        hint[var] = max(0, problem.groups[g].demand - filled[g])
    dept_posts: dict[str, int] = defaultdict(int)
    for w, _ in chosen:
        dept_posts[problem.workers[w].department] += 1
    for dept, var in v.fair_over.items():
        hint[var] = max(0, dept_posts[dept] - problem.fair_targets[dept])
    for dept, var in v.fair_under.items():
        hint[var] = max(0, problem.fair_targets[dept] - dept_posts[dept])
    if v.worst is not None:
        hint[v.worst] = max((problem.commute(w, g) for w, g in chosen), default=0)
    for w, var in v.second.items():
        hint[var] = max(0, posts_of[w] - 1)
    caps = newcomer_caps(problem)
    newcomers: dict[tuple[str, str], int] = defaultdict(int)
    for w, g in chosen:
        if problem.workers[w].first_timer:
            newcomers[(problem.groups[g].site.id, problem.groups[g].shift)] += 1
    for key, var in v.newcomer_excess.items():
        hint[var] = max(0, newcomers[key] - caps[key])
    return hint
