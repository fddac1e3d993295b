"""The assignment problem as plain arrays: post groups, workers and candidate pairs.

Roles whose eligibility is identical (e.g. every clerk role at a polling station) are
pooled into one *group* per (site, shift, eligibility class): the model decides who
works where, and role labels inside a group are given afterwards (``labels``). That is
exact, because no rule or objective term tells pooled roles apart, and it cuts the
variables several-fold.

Only *candidate* pairs get a variable, and they are chosen per group, so the model's
size follows the posts, not the pool: each group is offered its cheapest eligible,
available people (by the pair's own points: commute, long commute, away from the
department's home 동, missed preferences), ``CANDIDATE_FACTOR`` x its demand of them
(at least ``CANDIDATE_MIN``), and more where a matching of posts to candidates shows
the candidates cannot cover the posts the pool could (``_widen_to_cover``). A pool of
200,000 gives the model no more variables than a pool of 2,000. See docs/model.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..demand import Demand
from ..domain import RoleRule, Site, SiteKind, StaffingRules, Weights, Worker
from ..geo import distance_matrix_m
from ..solution import FixedPost  # plain data: replan and the reports use it without the solver
from .departments import allocate_home_dongs, fair_targets
from .eligibility import PoolColumns, eligibility_class, overlap_cliques

# Candidates per group: its CANDIDATE_FACTOR x demand cheapest eligible people (at least CANDIDATE_MIN).
# Measured on the 2022 elections (docs/performance.md): enough that the pruned optimum equals the optimum
# over every eligible pair, few enough that the model stays small whatever the pool.
CANDIDATE_FACTOR, CANDIDATE_MIN = 16, 16
DEPARTMENT_FACTOR = 1  # and each department its cheapest members, about its fair share of the group's posts
WIDEN_FACTOR = 4  # each widening of a group multiplies its candidates by this (up to every eligible person)
EVERY_ELIGIBLE = 99  # a widening level that offers a group every eligible person (the unpruned model)


@dataclass(frozen=True)
class Group:
    """Posts of one eligibility class at one site on one shift."""

    index: int
    site: Site
    shift: str
    rules: tuple[RoleRule, ...]  # the pooled roles, in rules-file order
    required: tuple[int, ...]  # posts per role, aligned with ``rules``

    @property
    def demand(self) -> int:
        return sum(self.required)

    @property
    def lead(self) -> RoleRule:
        return self.rules[0]

    @property
    def reserve(self) -> bool:
        return self.lead.reserve


@dataclass(frozen=True)
class Problem:
    workers: tuple[Worker, ...]
    groups: tuple[Group, ...]
    sites: tuple[Site, ...]
    cliques: tuple[tuple[str, ...], ...]  # shift ids that overlap; one post per person in each
    distance: np.ndarray  # metres, workers x sites
    site_index: dict[str, int]
    pairs: tuple[tuple[int, int], ...]  # (worker index, group index), sorted
    eligible: dict[int, np.ndarray]  # group -> every eligible, available worker (sorted indices; not only candidates)
    max_posts: int
    newcomer_share: float
    fair_targets: dict[str, int]  # department -> its share of all posts
    home_dong: dict[str, str]  # department -> the 동 whose stations it is in charge of
    previous: frozenset[tuple[int, int]] = frozenset()  # replanning: (worker, group) pairs of the plan being changed
    frozen: frozenset[tuple[int, int]] = frozenset()  # pairs that must stay as they are
    on_standby: frozenset[int] = frozenset()  # replanning: people who held a reserve post in the earlier plan

    def away_from_home(self, worker: int, group: int) -> bool:
        """A polling or early post outside the department's home 동 (the counting site is everyone's)."""
        site = self.groups[group].site
        return site.kind is not SiteKind.counting and site.dong != self.home_dong.get(self.workers[worker].department)

    def commute(self, worker: int, group: int) -> int:
        return int(self.distance[worker, self.site_index[self.groups[group].site.id]])


def build_groups(demand: Demand, rules: StaffingRules) -> tuple[Group, ...]:
    rule_by_key = {(r.site_kind, r.role): r for r in rules.roles}
    pooled: dict[tuple, list[tuple[RoleRule, int]]] = {}
    sites = {s.id: s for s in demand.sites}
    for req in demand.requirements:
        rule = rule_by_key[(req.site_kind, req.role)]
        key = (req.site_id, req.shift, eligibility_class(rule))
        pooled.setdefault(key, []).append((rule, req.required))
    groups = []
    for index, ((site_id, shift, _), items) in enumerate(pooled.items()):
        groups.append(Group(index=index, site=sites[site_id], shift=shift, rules=tuple(r for r, _ in items),
                            required=tuple(n for _, n in items)))
    return tuple(groups)


def build_problem(demand: Demand, rules: StaffingRules, workers: tuple[Worker, ...],
                  *, weights: Weights | None = None, widen: Mapping[int, int] | frozenset[int] = frozenset(),
                  previous: tuple[FixedPost, ...] = (), frozen: tuple[FixedPost, ...] = (),
                  focus: tuple[FixedPost, ...] | None = None) -> Problem:
    """``weights`` rank each group's candidates (the scenario's; the defaults when None). ``widen`` maps a group
    to how many times its candidates were widened after a shortfall (``WIDEN_FACTOR`` more each time); a set
    of groups offers them every eligible person. ``previous`` is the plan being changed (replanning),
    ``frozen`` the posts that must not change; with ``focus``, only the groups of those posts get new
    candidates (a replan that keeps everyone else)."""
    weights = weights if weights is not None else Weights()
    levels = dict.fromkeys(widen, EVERY_ELIGIBLE) if isinstance(widen, (set, frozenset)) else dict(widen)
    groups = build_groups(demand, rules)
    sites = demand.sites
    site_index = {s.id: i for i, s in enumerate(sites)}
    homes = np.column_stack([np.fromiter((w.home_lon for w in workers), dtype=float, count=len(workers)),
                             np.fromiter((w.home_lat for w in workers), dtype=float, count=len(workers))])
    places = np.array([[s.lon, s.lat] for s in sites], dtype=float).reshape(-1, 2)
    distance = distance_matrix_m(homes, places)

    # groups of one eligibility class on one shift accept the same people: one boolean column per pair
    pool = PoolColumns(workers)
    masks = {g.index: pool.mask(g.lead, g.shift) for g in groups}
    by_mask: dict[int, np.ndarray] = {}
    eligible = {g: by_mask.setdefault(id(m), np.flatnonzero(m)) for g, m in masks.items()}

    targets = fair_targets(workers, sum(g.demand for g in groups))
    posts_by_dong: dict[str, int] = {}
    for g in groups:
        if g.site.kind is not SiteKind.counting:
            posts_by_dong[g.site.dong] = posts_by_dong.get(g.site.dong, 0) + g.demand
    home_dong = allocate_home_dongs(workers, sites, distance, posts_by_dong, targets)

    ranking = _Ranking(workers, sites, distance, home_dong, weights)
    shares = _DepartmentShares(workers, targets)
    offered = {}
    for g in sorted(groups, key=lambda g: (site_index[g.site.id], g.index)):  # one site's costs at a time
        people = eligible[g.index]
        offered[g.index] = np.union1d(ranking.cheapest(people, g, _offer_size(g, levels.get(g.index, 0))),
                                      shares.offer(people, g, ranking))
    offered = _widen_to_cover(groups, demand.shifts, eligible, offered, ranking, levels)
    pairs = {(int(w), g) for g, ws in offered.items() for w in ws}

    previous_pairs = _locate(previous, groups, workers, masks, strict=False)
    frozen_pairs = _locate(frozen, groups, workers, masks, strict=True)
    # people on standby may be sent to any post they qualify for on their shift, in their reserve's 동
    on_standby = {w for w, g in previous_pairs if groups[g].reserve}
    for w, g_reserve in [(w, g) for w, g in previous_pairs if groups[g].reserve]:
        reserve = groups[g_reserve]
        for g in groups:
            if g.shift == reserve.shift and g.site.dong == reserve.site.dong and masks[g.index][w]:
                pairs.add((w, g.index))
    if focus is not None:
        group_of = {(g.site.id, rule.role, g.shift): g.index for g in groups for rule in g.rules}
        open_groups = {group_of.get((p.site_id, p.role, p.shift)) for p in focus}
        keeping = {w for w, _ in frozen_pairs}  # people who keep their posts take no other
        pairs = {(w, g) for w, g in pairs if (g in open_groups or groups[g].reserve) and w not in keeping}
    pairs.update(previous_pairs | frozen_pairs)

    return Problem(workers=workers, groups=groups, sites=sites, cliques=tuple(overlap_cliques(demand.shifts)),
                   distance=distance, site_index=site_index, pairs=tuple(sorted(pairs)), eligible=eligible,
                   max_posts=rules.limits.max_posts_per_worker, newcomer_share=rules.limits.newcomer_share,
                   fair_targets=targets, home_dong=home_dong, previous=frozenset(previous_pairs),
                   frozen=frozenset(frozen_pairs), on_standby=frozenset(on_standby))


def _offer_size(group: Group, level: int) -> int:
    """How many candidates a group is offered after ``level`` widenings."""
    return max(CANDIDATE_FACTOR * group.demand, CANDIDATE_MIN) * WIDEN_FACTOR ** min(level, 30)


class _Ranking:
    """Each group's eligible people in order of what the pair alone would cost in the objective.

    The terms that belong to a pair (commute, the long-commute excess, a post away from the
    department's home 동, missed preferences; ``formulation`` has them term by term) are
    computed with array operations over the group's eligible people, never person by person.
    """

    def __init__(self, workers: tuple[Worker, ...], sites: tuple[Site, ...], distance: np.ndarray,
                 home_dong: dict[str, str], weights: Weights) -> None:
        self.distance, self.weights = distance, weights
        self.site_index = {s.id: i for i, s in enumerate(sites)}
        dongs = {d: i for i, d in enumerate(sorted({s.dong for s in sites} | set(home_dong.values())))}
        self.site_dong = np.array([dongs[s.dong] for s in sites], dtype=np.int32)
        dept_home = {d: dongs[k] for d, k in home_dong.items()}
        self.home = np.fromiter((dept_home.get(w.department, -1) for w in workers), dtype=np.int32, count=len(workers))
        # a preferred 동 with no site is missed everywhere: any code no site has will do
        self.preferred_dong = np.fromiter((-1 if w.preferred_dong is None else dongs.get(w.preferred_dong, -2)
                                           for w in workers), dtype=np.int32, count=len(workers))
        kinds = {k: i for i, k in enumerate(SiteKind)}
        self.preferred_kind = np.fromiter((-1 if w.preferred_site_kind is None else kinds[w.preferred_site_kind]
                                           for w in workers), dtype=np.int32, count=len(workers))
        self.kind_code = kinds
        self._cached, self._cost = -1, np.zeros(0, dtype=np.int64)

    def cost(self, people: np.ndarray, group: Group) -> np.ndarray:
        """Points of each of ``people`` holding one of ``group``'s posts (the pair's terms only)."""
        column = self.site_index[group.site.id]
        if self._cached != column:  # computed for the whole pool once per site: a group's people are a slice
            self._cached, self._cost = column, self._site_cost(group.site, column)
        return self._cost[people]

    def _site_cost(self, site: Site, column: int) -> np.ndarray:
        w = self.weights
        metres = self.distance[:, column].astype(np.int64)
        cost = w.commute * metres + w.long_commute * np.maximum(0, metres - w.long_commute_m)
        dong = self.site_dong[column]
        if site.kind is not SiteKind.counting:
            cost += w.together * (self.home != dong)
        misses = ((self.preferred_dong != -1) & (self.preferred_dong != dong)).astype(np.int64)
        misses += (self.preferred_kind != -1) & (self.preferred_kind != self.kind_code[site.kind])
        return cost + w.preference * misses

    def cheapest(self, people: np.ndarray, group: Group, count: int) -> np.ndarray:
        """The ``count`` cheapest of ``people`` (sorted indices), ties to the lower index: the same every run."""
        if count >= len(people):
            return people
        cost = self.cost(people, group)
        if count == 1:  # the common case for a department's share; argmin takes the first (lowest) index
            return people[[int(np.argmin(cost))]]
        threshold = np.partition(cost, count - 1)[count - 1]
        below = np.flatnonzero(cost < threshold)
        tied = np.flatnonzero(cost == threshold)[: count - len(below)]
        return people[np.sort(np.concatenate([below, tied]))]


class _DepartmentShares:
    """Every department's cheapest eligible members for every group, about its fair share of the group's posts
    (``DEPARTMENT_FACTOR`` x demand x the department's share of all posts, at least one). Fairness asks each
    department to take its share somewhere, so each must be offered near every post, not only where it is
    the cheapest overall. Bounded by groups x departments, whatever the pool."""

    def __init__(self, workers: tuple[Worker, ...], targets: dict[str, int]) -> None:
        self.names = sorted(d for d, t in targets.items() if t > 0)
        self.targets, self.total = targets, sum(targets.values())
        code = {d: i for i, d in enumerate(self.names)}
        self.dept = np.fromiter((code.get(w.department, -1) for w in workers), dtype=np.int32, count=len(workers))
        self._split: dict[int, list[np.ndarray]] = {}  # one eligible set -> its people by department

    def offer(self, people: np.ndarray, group: Group, ranking: _Ranking) -> np.ndarray:
        if not self.names:
            return np.zeros(0, dtype=np.int64)
        key = id(people)
        if key not in self._split:
            order = people[np.argsort(self.dept[people], kind="stable")]
            bounds = np.searchsorted(self.dept[order], np.arange(-1, len(self.names) + 1))
            self._split[key] = [order[bounds[i + 1]:bounds[i + 2]] for i in range(len(self.names))]
        chosen = [np.zeros(0, dtype=np.int64)]
        for members, name in zip(self._split[key], self.names):
            share = -(-DEPARTMENT_FACTOR * group.demand * self.targets[name] // self.total)  # ceiling
            if len(members):
                chosen.append(ranking.cheapest(members, group, share))
        return np.concatenate(chosen)


def _widen_to_cover(groups: tuple[Group, ...], shifts, eligible: dict[int, np.ndarray],
                    offered: dict[int, np.ndarray], ranking: _Ranking, levels: dict[int, int]) -> dict[int, np.ndarray]:
    """Offer more people to groups whose candidates cannot cover their posts although the pool could.

    The nearest people of neighbouring groups overlap, so a group can be short in the pruned
    model while the pool has people to spare. For each set of overlapping shifts (one post per
    person there), posts are matched to candidates; when a post stays unmatched, every group
    its search reached (a set whose candidates together are fewer than its posts) is offered
    ``WIDEN_FACTOR`` times more people, until the matching covers every post or no group of such
    a set has an eligible person the search did not reach (then the pool itself is short there,
    and offering more people would only grow the model).
    """
    offered = dict(offered)
    for clique in overlap_cliques(shifts):
        members = [g for g in groups if g.shift in clique]
        while True:
            grow = {}
            for stuck, reached in _uncovered(members, offered):
                seen = np.fromiter(reached, dtype=np.int64, count=len(reached))
                for g in stuck:
                    if g not in grow and not np.isin(eligible[g], seen, assume_unique=True).all():
                        grow[g] = groups[g]
            if not grow:
                break
            for g in grow.values():
                levels[g.index] = levels.get(g.index, 0) + 1
                offered[g.index] = ranking.cheapest(eligible[g.index], g, _offer_size(g, levels[g.index]))
    return offered


def _uncovered(groups: list[Group], offered: dict[int, np.ndarray]) -> list[tuple[set[int], set[int]]]:
    """Where a maximum matching of posts to candidates (one post per person) leaves posts short: for each, the
    groups reachable by an alternating path and the people they reached (together too few for their posts)."""
    holder: dict[int, int] = {}  # person -> group
    load = dict.fromkeys((g.index for g in groups), 0)
    demand = {g.index: g.demand for g in groups}
    candidates = {g.index: offered[g.index].tolist() for g in groups}
    # the scarcest groups first, so the greedy start leaves few posts for augmenting paths
    order = sorted(demand, key=lambda g: (len(candidates[g]) / max(demand[g], 1), g))
    for g in order:
        for w in candidates[g]:
            if load[g] == demand[g]:
                break
            if w not in holder:
                holder[w] = g
                load[g] += 1
    stuck: set[int] = set()
    found = []
    for g in order:
        while load[g] < demand[g] and g not in stuck:
            reached = _augment(g, candidates, holder, load, demand)
            if reached is not None:
                stuck |= reached
                found.append((reached, {w for h in reached for w in candidates[h]}))
    return found


def _augment(start: int, candidates: dict[int, list[int]], holder: dict[int, int], load: dict[int, int],
             demand: dict[int, int]) -> set[int] | None:
    """One more post of ``start`` matched along an alternating path (None), or the groups the search reached."""
    parent: dict[int, tuple[int, int | None]] = {start: (-1, None)}  # group -> (person it came through, group)
    queue = [start]
    for g in queue:
        for w in candidates[g]:
            h = holder.get(w)
            if h is None:
                # flip the path: w joins g, the person g came through moves on to g's parent group, ...
                person, group = w, g
                while group != -1:
                    came_through, before = parent[group]
                    holder[person] = group
                    person, group = came_through, before if before is not None else -1
                load[start] += 1
                return None
            if h != g and h not in parent and load[h] > 0:
                parent[h] = (w, g)
                queue.append(h)
    return set(queue)


class FixedPostError(ValueError):
    """A frozen post that names no such post, or a person who may not hold it."""

    def __init__(self, post: FixedPost, problem: str) -> None:
        self.post, self.problem = post, problem
        super().__init__(f"{post.worker_id} at {post.site_id}/{post.role}/{post.shift}: {problem}")


def _locate(posts: tuple[FixedPost, ...], groups: tuple[Group, ...], workers: tuple[Worker, ...],
            masks: dict[int, np.ndarray], *, strict: bool) -> set[tuple[int, int]]:
    """(worker, group) pairs of ``posts``; ``strict`` raises for a post that cannot be kept, else it is skipped
    (in a replan, a post whose holder is absent or no longer eligible is simply free)."""
    if not posts:
        return set()
    worker_index = {w.id: i for i, w in enumerate(workers)}
    group_of = {(g.site.id, rule.role, g.shift): g.index for g in groups for rule in g.rules}
    pairs = set()
    for post in posts:
        w = worker_index.get(post.worker_id)
        g = group_of.get((post.site_id, post.role, post.shift))
        if w is None or g is None:
            if strict:
                raise FixedPostError(post, "no such person in the pool" if w is None else "no such post in the demand")
            continue
        if not masks[g][w]:
            if strict:
                raise FixedPostError(post, "the person may not hold this post (eligibility or availability)")
            continue
        pairs.add((w, g))
    return pairs
