"""One test per soft rule of the objective (docs/model.md, "Soft rules"): a roster that breaks the rule, its
passing neighbour, the points ``scoring.score`` gives each, and the solver choosing the neighbour when only that
rule (and the shortfall) carries weight."""

from __future__ import annotations

from instances import build, person

from election_ops.domain import SiteKind, Weights
from election_ops.model import solve as solve_module
from election_ops.model.problem import FixedPost, Problem, build_problem
from election_ops.model.scoring import score
from election_ops.model.solve import solve_roster

OFF = {"commute": 0, "long_commute": 0, "worst_commute": 0, "fairness": 0, "together": 0, "preference": 0,
       "newcomers": 0, "second_post": 0}
FAR = (126.9300, 37.4350)  # south-east corner, ~4.5 km from P-1


def only(term: str, **extra) -> Weights:
    """Default weights with every soft rule off except ``term`` (and the shortfall, always on)."""
    return Weights(**{**OFF, term: getattr(Weights(), term), **extra})


def pairs(problem: Problem, roster: list[tuple[str, str, str]]) -> list[tuple[int, int]]:
    """(worker id, site id, shift) -> the model's (worker, group) pairs."""
    worker = {w.id: i for i, w in enumerate(problem.workers)}
    group = {(g.site.id, g.shift): g.index for g in problem.groups}
    return sorted((worker[w], group[(s, shift)]) for w, s, shift in roster)


def check(inst, weights: Weights, term: str, violating: list, neighbour: list, **solve_options) -> None:
    problem = build_problem(inst.demand, inst.rules, inst.workers, **solve_options)
    bad = score(problem, weights, pairs(problem, violating))[term]
    good = score(problem, weights, pairs(problem, neighbour))[term]
    assert bad > 0 and good == 0, (bad, good)
    plan = solve_roster(inst.demand, inst.rules, inst.workers, weights, time_limit=20)
    assert sorted((a.worker_id, a.site_id, a.shift) for a in plan.assignments) == sorted(neighbour)
    assert plan.objective_terms[term] == 0


def test_shortfall():
    inst = build("shortfall", {("P-1", "guide"): 2}, [person("W1"), person("W2")])
    check(inst, only("commute"), "shortfall", [("W1", "P-1", "eday")], [("W1", "P-1", "eday"), ("W2", "P-1", "eday")])


def test_commute():
    inst = build("commute", {("P-1", "guide"): 1}, [person("W1", home=FAR), person("W2", home=0)])
    problem = build_problem(inst.demand, inst.rules, inst.workers)
    weights = only("commute")
    far = score(problem, weights, pairs(problem, [("W1", "P-1", "eday")]))["commute"]
    near = score(problem, weights, pairs(problem, [("W2", "P-1", "eday")]))["commute"]
    assert far > near > 0  # every metre counts: the neighbour is the shorter trip, not a zero
    plan = solve_roster(inst.demand, inst.rules, inst.workers, weights, time_limit=20)
    assert [a.worker_id for a in plan.assignments] == ["W2"]


def test_long_commute():
    inst = build("long_commute", {("P-1", "guide"): 1}, [person("W1", home=FAR), person("W2", home=4)])
    check(inst, only("long_commute"), "long_commute", [("W1", "P-1", "eday")], [("W2", "P-1", "eday")])


def test_worst_commute():
    inst = build("worst_commute", {("P-1", "guide"): 1, ("P-2", "guide"): 1},
                 [person("W1", home=FAR), person("W2", home=0), person("W3", home=1)])
    problem = build_problem(inst.demand, inst.rules, inst.workers)
    weights = only("worst_commute", worst_commute=5)
    far = score(problem, weights, pairs(problem, [("W1", "P-2", "eday"), ("W2", "P-1", "eday")]))["worst_commute"]
    near = score(problem, weights, pairs(problem, [("W2", "P-1", "eday"), ("W3", "P-2", "eday")]))["worst_commute"]
    assert far > near  # the longest single trip, not the sum
    plan = solve_roster(inst.demand, inst.rules, inst.workers, weights, time_limit=20)
    assert {a.worker_id for a in plan.assignments} == {"W2", "W3"}


def test_fairness():
    workers = [person("W1", department="재무과"), person("W2", department="재무과"),
               person("W3", department="총무과"), person("W4", department="총무과")]
    inst = build("fairness", {("P-1", "guide"): 2}, workers)
    problem = build_problem(inst.demand, inst.rules, inst.workers)
    assert problem.fair_targets == {"재무과": 1, "총무과": 1}
    weights = only("fairness")
    assert score(problem, weights, pairs(problem, [("W1", "P-1", "eday"), ("W2", "P-1", "eday")]))["fairness"] == 2000
    assert score(problem, weights, pairs(problem, [("W1", "P-1", "eday"), ("W3", "P-1", "eday")]))["fairness"] == 0
    plan = solve_roster(inst.demand, inst.rules, inst.workers, weights, time_limit=20)
    assert sorted(w.department for w in workers if w.id in {a.worker_id for a in plan.assignments}) == ["재무과", "총무과"]


def test_together():
    workers = [person("W1", department="독산1동 주민센터", home=0), person("W2", department="시흥1동 주민센터", home=0)]
    inst = build("together", {("P-1", "guide"): 1, ("P-2", "guide"): 1}, workers)
    check(inst, only("together"), "together", [("W1", "P-2", "eday"), ("W2", "P-1", "eday")],
          [("W1", "P-1", "eday"), ("W2", "P-2", "eday")])


def test_preference():
    """W1 prefers P-2's 동, W2 P-1's: swapping them misses both preferences."""
    workers = [person("W1", home=0, preferred_dong="시흥1동"), person("W2", home=0, preferred_dong="독산1동")]
    inst = build("preference", {("P-2", "guide"): 1, ("P-1", "guide"): 1}, workers)
    check(inst, only("preference"), "preference", [("W1", "P-1", "eday"), ("W2", "P-2", "eday")],
          [("W1", "P-2", "eday"), ("W2", "P-1", "eday")])


def test_preferred_site_kind():
    workers = [person("W1", home=0, preferred_site_kind=SiteKind.early), person("W2", home=0)]
    inst = build("preference", {("P-1", "guide"): 1, ("E-1", "early_guide"): 1}, workers, max_posts=1)
    check(inst, only("preference"), "preference", [("W1", "P-1", "eday"), ("W2", "E-1", "early")],
          [("W1", "E-1", "early"), ("W2", "P-1", "eday")])


def test_newcomers():
    workers = [person("W1", home=0), person("W2", home=0), person("W3", home=0, experience=["guide"])]
    inst = build("newcomers", {("P-1", "guide"): 2}, workers)
    problem = build_problem(inst.demand, inst.rules, inst.workers)
    weights = only("newcomers")
    assert score(problem, weights, pairs(problem, [("W1", "P-1", "eday"), ("W2", "P-1", "eday")]))["newcomers"] == 1500
    assert score(problem, weights, pairs(problem, [("W1", "P-1", "eday"), ("W3", "P-1", "eday")]))["newcomers"] == 0
    plan = solve_roster(inst.demand, inst.rules, inst.workers, weights, time_limit=20)
    assert "W3" in {a.worker_id for a in plan.assignments} and plan.objective_terms["newcomers"] == 0


def test_second_post():
    inst = build("second_post", {("E-1", "early_guide"): 1, ("P-1", "guide"): 1},
                 [person("W1", home=0), person("W2", home=0)])
    problem = build_problem(inst.demand, inst.rules, inst.workers)
    weights = only("second_post")
    assert score(problem, weights, pairs(problem, [("W1", "E-1", "early"), ("W1", "P-1", "eday")]))["second_post"] == 3000
    assert score(problem, weights, pairs(problem, [("W1", "E-1", "early"), ("W2", "P-1", "eday")]))["second_post"] == 0
    plan = solve_roster(inst.demand, inst.rules, inst.workers, weights, time_limit=20)
    assert len({a.worker_id for a in plan.assignments}) == 2 and plan.objective_terms["second_post"] == 0


def test_change():
    """A replan's full stage: keeping W1 on its post costs nothing, giving the post to W2 costs ``change``."""
    inst = build("change", {("P-1", "guide"): 1}, [person("W1", home=FAR), person("W2", home=0)])
    previous = (FixedPost("W1", "P-1", "guide", "eday"),)
    weights = only("commute", change=Weights().change)  # commute pulls towards W2; change holds W1
    problem = build_problem(inst.demand, inst.rules, inst.workers, previous=previous)
    moved = score(problem, weights, pairs(problem, [("W2", "P-1", "eday")]))["change"]
    kept = score(problem, weights, pairs(problem, [("W1", "P-1", "eday")]))["change"]
    assert moved == weights.change and kept == 0
    stage = solve_module._solve(inst.demand, inst.rules, inst.workers, weights, 20, 0, None, previous, (), None)
    assert [a.worker_id for a in stage.plan.assignments] == ["W1"]
    assert stage.plan.objective_terms["change"] == 0
