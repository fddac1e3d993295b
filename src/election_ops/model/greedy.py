"""The baseline the optimiser is measured against: how offices plan today, as a program.

Existing tools (and most hand planning) go station by station: each site in turn takes,
for each of its posts, the nearest eligible, available applicants who are still free.
That is what ``greedy_assign`` does, so the benchmark can say how much the model gains
over it on the same ``Problem``, scored by the same ``scoring.score``:

* sites in the order of ``problem.sites``; a site's groups in group-index order; standby
  groups (``reserve``, 예비인력) only after every real post, in a second pass in the same order;
* posts that must not change (``problem.frozen``, from ``--freeze``) are placed first;
* each group takes up to ``group.demand`` people from ``problem.eligible[g]`` (everyone
  eligible and available, not only the model's candidate pairs), nearest first, ties
  broken by worker id;
* a person is skipped who already holds a post on an overlapping shift (one post per
  ``problem.cliques`` set) or already holds ``problem.max_posts`` posts.

Posts left empty simply stay empty: ``score`` counts them as shortfall. No solver, no
randomness: the same problem always gives the same pairs.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from .problem import Problem


def _conflicting_shifts(problem: Problem) -> dict[str, frozenset[str]]:
    """Shift -> every shift that shares an overlap clique with it (itself included)."""
    out: dict[str, set[str]] = defaultdict(set)
    for clique in problem.cliques:
        for shift in clique:
            out[shift].update(clique)
    for group in problem.groups:  # a shift in no clique still conflicts with itself
        out[group.shift].add(group.shift)
    return {shift: frozenset(others) for shift, others in out.items()}


def greedy_assign(problem: Problem) -> list[tuple[int, int]]:
    """(worker index, group index) pairs chosen station by station, nearest people first; sorted."""
    conflicts = _conflicting_shifts(problem)
    # rank of each worker by id, so a stable sort on (distance, id rank) breaks ties by id
    id_rank = np.empty(len(problem.workers), dtype=np.int64)
    id_rank[sorted(range(len(problem.workers)), key=lambda w: problem.workers[w].id)] = np.arange(len(problem.workers))
    groups_by_site: dict[str, list[int]] = defaultdict(list)
    for group in problem.groups:
        groups_by_site[group.site.id].append(group.index)

    shifts_held: dict[int, list[str]] = defaultdict(list)
    filled: dict[int, int] = defaultdict(int)
    chosen: list[tuple[int, int]] = []
    for w, g in sorted(problem.frozen):
        shifts_held[w].append(problem.groups[g].shift)
        filled[g] += 1
        chosen.append((w, g))
    for reserve in (False, True):
        for site in problem.sites:
            column = problem.site_index[site.id]
            for g in sorted(groups_by_site.get(site.id, ())):
                group = problem.groups[g]
                people = np.asarray(problem.eligible.get(g, ()), dtype=np.int64)
                if group.reserve != reserve or filled[g] >= group.demand or len(people) == 0:
                    continue
                order = people[np.lexsort((id_rank[people], problem.distance[people, column]))]
                clash = conflicts[group.shift]
                for w in order.tolist():
                    held = shifts_held[w]
                    if len(held) >= problem.max_posts or any(s in clash for s in held):
                        continue
                    held.append(group.shift)
                    chosen.append((w, g))
                    filled[g] += 1
                    if filled[g] == group.demand:
                        break
    return sorted(chosen)
