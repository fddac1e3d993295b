"""The assignment problem as plain arrays: post groups, workers and eligible candidate pairs.

Roles whose eligibility is identical (e.g. every clerk role at a polling station) are
pooled into one *group* per (site, shift, eligibility class): the model decides who
works where, and role labels inside a group are given afterwards (``labels``). That is
exact, because no rule or objective term tells pooled roles apart, and it cuts the
variables several-fold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..demand import Demand
from ..domain import RoleRule, Site, SiteKind, StaffingRules, Worker
from ..geo import distance_matrix_m
from ..solution import FixedPost  # plain data: replan and the reports use it without the solver
from .departments import allocate_home_dongs, fair_targets
from .eligibility import eligibility_class, is_available, is_eligible, overlap_cliques

# Candidate generation: each person is offered the sites nearest their home, and each
# group the people nearest it, so every post keeps a wide choice while far-away pairs
# that no sensible plan uses get no variable. The union of both lists is kept.
NEAREST_SITES = {"polling": 6, "early": 2, "counting": 1}
NEAREST_PEOPLE_FACTOR, NEAREST_PEOPLE_MIN = 3, 10


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
    eligible: dict[int, tuple[int, ...]]  # group -> every eligible, available worker (not only candidates)
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
                  *, widen: frozenset[int] = frozenset(), previous: tuple[FixedPost, ...] = (),
                  frozen: tuple[FixedPost, ...] = (), focus: tuple[FixedPost, ...] | None = None) -> Problem:
    """``widen`` names groups that get every eligible person as a candidate (used after a shortfall);
    ``previous`` is the plan being changed (replanning), ``frozen`` the posts that must not change;
    with ``focus``, only the groups of those posts get new candidates (a replan that keeps everyone else)."""
    groups = build_groups(demand, rules)
    sites = demand.sites
    site_index = {s.id: i for i, s in enumerate(sites)}
    homes = np.array([[w.home_lon, w.home_lat] for w in workers], dtype=float).reshape(-1, 2)
    places = np.array([[s.lon, s.lat] for s in sites], dtype=float)
    distance = distance_matrix_m(homes, places) if len(workers) else np.zeros((0, len(sites)), dtype=np.int64)

    # groups of one eligibility class on one shift accept the same people: check each person once per pair
    by_class: dict[tuple, tuple[int, ...]] = {}
    eligible: dict[int, tuple[int, ...]] = {}
    for g in groups:
        key = (eligibility_class(g.lead), g.shift)
        if key not in by_class:
            by_class[key] = tuple(w for w, worker in enumerate(workers)
                                  if is_eligible(worker, g.lead) and is_available(worker, g.shift))
        eligible[g.index] = by_class[key]

    targets = fair_targets(workers, sum(g.demand for g in groups))
    posts_by_dong: dict[str, int] = {}
    for g in groups:
        if g.site.kind is not SiteKind.counting:
            posts_by_dong[g.site.dong] = posts_by_dong.get(g.site.dong, 0) + g.demand
    home_dong = allocate_home_dongs(workers, sites, distance, posts_by_dong, targets)

    pairs: set[tuple[int, int]] = set()
    groups_by_site: dict[int, list[Group]] = {}
    for g in groups:
        groups_by_site.setdefault(site_index[g.site.id], []).append(g)
    eligible_sets = {g: set(ws) for g, ws in eligible.items()}
    for kind, nearest in NEAREST_SITES.items():
        kind_sites = np.array([i for i, s in enumerate(sites) if s.kind.value == kind], dtype=int)
        if len(kind_sites) == 0 or len(workers) == 0:
            continue
        order = np.argsort(distance[:, kind_sites], axis=1, kind="stable")[:, :nearest]
        for w, worker in enumerate(workers):
            offered = set(kind_sites[order[w]].tolist())
            wanted = {worker.preferred_dong, home_dong.get(worker.department)} - {None}
            offered |= {int(i) for i in kind_sites if sites[i].dong in wanted}
            for s in offered:
                for g in groups_by_site.get(s, ()):
                    if w in eligible_sets[g.index]:
                        pairs.add((w, g.index))
    for g in groups:
        people = np.array(eligible[g.index], dtype=int)
        if len(people) == 0:
            continue
        if g.index in widen:
            nearest_people = people
        else:
            keep = max(NEAREST_PEOPLE_FACTOR * g.demand, NEAREST_PEOPLE_MIN)
            d = distance[people, site_index[g.site.id]]
            nearest_people = people[np.argsort(d, kind="stable")[:keep]]
        pairs.update((int(w), g.index) for w in nearest_people)

    previous_pairs = _locate(previous, groups, workers, eligible, strict=False)
    frozen_pairs = _locate(frozen, groups, workers, eligible, strict=True)
    # people on standby may be sent to any post they qualify for on their shift, in their reserve's 동
    on_standby = {w for w, g in previous_pairs if groups[g].reserve}
    for w, g_reserve in [(w, g) for w, g in previous_pairs if groups[g].reserve]:
        reserve = groups[g_reserve]
        for g in groups:
            if g.shift == reserve.shift and g.site.dong == reserve.site.dong and w in eligible_sets[g.index]:
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


class FixedPostError(ValueError):
    """A frozen post that names no such post, or a person who may not hold it."""

    def __init__(self, post: FixedPost, problem: str) -> None:
        self.post, self.problem = post, problem
        super().__init__(f"{post.worker_id} at {post.site_id}/{post.role}/{post.shift}: {problem}")


def _locate(posts: tuple[FixedPost, ...], groups: tuple[Group, ...], workers: tuple[Worker, ...],
            eligible: dict[int, tuple[int, ...]], *, strict: bool) -> set[tuple[int, int]]:
    """(worker, group) pairs of ``posts``; ``strict`` raises for a post that cannot be kept, else it is skipped
    (in a replan, a post whose holder is absent or no longer eligible is simply free)."""
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
        if w not in eligible[g]:
            if strict:
                raise FixedPostError(post, "the person may not hold this post (eligibility or availability)")
            continue
        pairs.add((w, g))
    return pairs
