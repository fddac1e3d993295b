"""greedy_assign, the baseline of today's tools: station by station, nearest eligible free people first.

The tiny problems here are written by hand (no geometry, no solver): distances in metres
are given directly, so each test can say exactly who is nearest.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from election_ops.domain import RoleRule, Site, SiteKind, Weights, Worker
from election_ops.model.greedy import greedy_assign
from election_ops.model.problem import Group, Problem
from election_ops.model.scoring import score

CLIQUES = (("early",), ("eday", "count"))  # election day and the count overlap; early voting does not
SHIFT_OF_KIND = {SiteKind.polling: "eday", SiteKind.early: "early", SiteKind.counting: "count"}


def site(site_id: str, kind: SiteKind = SiteKind.polling) -> Site:
    return Site(id=site_id, kind=kind, name=site_id, dong="가동", lon=126.9, lat=37.5, location_source="test",
                serves=(site_id,))


def worker(worker_id: str) -> Worker:
    return Worker(id=worker_id, name="-", department="총무과", home_lon=126.9, home_lat=37.5, experience=("guide",))


def problem(worker_ids: list[str], sites: list[Site], demand: dict[str, int], distance: list[list[int]],
            eligible: dict[str, list[int]] | None = None, max_posts: int = 2, reserves: frozenset[str] = frozenset(),
            frozen: frozenset[tuple[int, int]] = frozenset()) -> Problem:
    """One group per site (its kind's shift); ``distance`` is workers x sites; everyone eligible unless told;
    the groups of the sites in ``reserves`` are standby (예비인력) groups."""
    groups = []
    for i, s in enumerate(sites):
        rule = RoleRule(site_kind=s.kind, role="guide", name="안내", shift=SHIFT_OF_KIND[s.kind],
                        reserve=s.id in reserves)
        groups.append(Group(index=i, site=s, shift=SHIFT_OF_KIND[s.kind], rules=(rule,), required=(demand[s.id],)))
    everyone = tuple(range(len(worker_ids)))
    elig = {g.index: tuple((eligible or {}).get(g.site.id, everyone)) for g in groups}
    pairs = tuple(sorted((w, g) for g, ws in elig.items() for w in ws))
    return Problem(workers=tuple(worker(w) for w in worker_ids), groups=tuple(groups), sites=tuple(sites),
                   cliques=CLIQUES, distance=np.array(distance, dtype=np.int64).reshape(len(worker_ids), len(sites)),
                   site_index={s.id: i for i, s in enumerate(sites)}, pairs=pairs, eligible=elig,
                   max_posts=max_posts, newcomer_share=0.5, fair_targets={"총무과": sum(demand.values())},
                   home_dong={"총무과": "가동"}, frozen=frozen)


def ids(p: Problem, pairs: list[tuple[int, int]]) -> list[tuple[str, str]]:
    return sorted((p.workers[w].id, p.groups[g].site.id) for w, g in pairs)


def test_takes_the_nearest_eligible_people_and_no_more_than_required():
    # W0 is nearest but not eligible; W1 and W3 are next; W2 is far
    p = problem(["W0", "W1", "W2", "W3"], [site("P1")], {"P1": 2}, [[50], [100], [900], [200]],
                eligible={"P1": [1, 2, 3]})
    pairs = greedy_assign(p)
    assert ids(p, pairs) == [("W1", "P1"), ("W3", "P1")]
    assert len(pairs) == p.groups[0].demand


def test_ties_are_broken_by_worker_id_not_by_position():
    p = problem(["B", "A", "C"], [site("P1")], {"P1": 1}, [[100], [100], [100]])
    assert ids(p, greedy_assign(p)) == [("A", "P1")]


def test_sites_go_in_order_so_an_earlier_site_takes_a_person_a_later_one_is_nearer():
    # W1 lives next to P2, but P1 comes first and W1 is its nearest too
    p = problem(["W1", "W2"], [site("P1"), site("P2")], {"P1": 1, "P2": 1}, [[300, 10], [400, 5_000]])
    assert ids(p, greedy_assign(p)) == [("W1", "P1"), ("W2", "P2")]


def test_no_two_posts_on_overlapping_shifts():
    # one person, nearest to both: election day (P1) and the count (C) overlap, so the count stays short
    p = problem(["W1"], [site("P1"), site("C", SiteKind.counting)], {"P1": 1, "C": 1}, [[100, 100]])
    pairs = greedy_assign(p)
    assert ids(p, pairs) == [("W1", "P1")]
    assert score(p, Weights(), pairs)["shortfall"] == Weights().shortfall


def test_a_second_post_on_a_separate_shift_is_taken_up_to_the_cap():
    sites = [site("E1", SiteKind.early), site("P1")]
    two = problem(["W1"], sites, {"E1": 1, "P1": 1}, [[100, 100]], max_posts=2)
    assert ids(two, greedy_assign(two)) == [("W1", "E1"), ("W1", "P1")]
    one = problem(["W1", "W2"], sites, {"E1": 1, "P1": 1}, [[100, 100], [900, 900]], max_posts=1)
    assert ids(one, greedy_assign(one)) == [("W1", "E1"), ("W2", "P1")]


def test_standby_posts_come_after_every_real_post():
    # R1 (standby) is listed first and W1 is nearest to it, but the real post P1 takes W1 first
    p = problem(["W1", "W2"], [site("R1"), site("P1")], {"R1": 1, "P1": 1}, [[10, 100], [20, 5_000]],
                reserves=frozenset({"R1"}))
    assert ids(p, greedy_assign(p)) == [("W1", "P1"), ("W2", "R1")]


def test_frozen_posts_are_kept_and_count_towards_the_post():
    # W2 is frozen at P1 although W1 is nearer: P1 is full, and W1 goes to P2
    p = problem(["W1", "W2"], [site("P1"), site("P2")], {"P1": 1, "P2": 1}, [[10, 20], [900, 900]],
                frozen=frozenset({(1, 0)}))
    assert ids(p, greedy_assign(p)) == [("W1", "P2"), ("W2", "P1")]


def test_is_deterministic_and_scoreable():
    rng = np.random.default_rng(7)
    sites = [site("E1", SiteKind.early), site("P1"), site("P2"), site("C", SiteKind.counting)]
    workers = [f"W{i:02d}" for i in range(12)]
    p = problem(workers, sites, {"E1": 2, "P1": 3, "P2": 3, "C": 4},
                rng.integers(100, 3_000, size=(12, 4)).tolist(), eligible={"C": [0, 1, 2, 3, 4, 5]})
    pairs = greedy_assign(p)
    assert pairs == greedy_assign(p) == sorted(pairs)
    assert sum(score(p, Weights(), pairs).values()) > 0


def test_on_the_shipped_presidential_scenario_every_hard_rule_holds(presidential_scenario: Path):
    from election_ops.model.problem import build_problem
    from election_ops.pipeline import load_inputs, plan_demand

    inputs = load_inputs(presidential_scenario, with_staff=True)
    p = build_problem(plan_demand(inputs), inputs.rules, inputs.workers)
    pairs = greedy_assign(p)
    per_group = Counter(g for _, g in pairs)
    assert all(per_group[g.index] <= g.demand for g in p.groups)
    assert all(w in p.eligible[g] for w, g in pairs)
    shifts: dict[int, list[str]] = {}
    for w, g in pairs:
        shifts.setdefault(w, []).append(p.groups[g].shift)
    for held in shifts.values():
        assert len(held) <= p.max_posts
        assert all(sum(s in clique for s in held) <= 1 for clique in p.cliques)


def test_bench_quick_prints_a_line_for_each_real_election(repo_root: Path):
    pytest.importorskip("highspy")
    run = subprocess.run([sys.executable, str(repo_root / "bench" / "bench.py"), "--quick", "--time-limit", "20"],
                         capture_output=True, text=True, timeout=300, cwd=repo_root)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("machine:")
    for election in ("2022-presidential", "2022-local"):
        for solver in ("cpsat", "highs", "greedy"):
            assert any(line.split()[:2] == [election, solver] for line in lines), (election, solver, run.stdout)
    assert "MISMATCH" not in run.stdout
    assert "x2" not in run.stdout  # --quick: no synthetic districts
