"""Demand: the published 2022 totals, the rule arithmetic, monotonicity and the shifts."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from election_ops.demand import build_shifts, compute_demand, role_headcount
from election_ops.domain import LoadMetric, RoleRule, SiteKind
from election_ops.errors import InputError
from election_ops.io.rules import load_rules
from election_ops.pipeline import plan_demand

POLL = (SiteKind.polling, SiteKind.early)


@pytest.fixture(scope="module", params=["presidential", "local"])
def inputs(request):
    return request.getfixturevalue(f"{request.param}_inputs")


def demand_for(inputs, *, rules=None, **assumptions):
    """Demand of the scenario with some assumptions changed (e.g. covid=False)."""
    s = inputs.scenario
    return compute_demand(inputs.district, s.election, rules or inputs.rules,
                          s.assumptions().model_copy(update=assumptions))


def by_post(demand) -> dict[tuple[str, str, str], int]:
    return {(r.site_id, r.role, r.shift): r.required for r in demand.requirements}


# --- the district's published plan -----------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "poll", "count"),
    [("presidential_inputs", 727, 72), ("local_inputs", 984, 85)],
    ids=["2022-03-09 presidential: 799", "2022-06-01 local: 1,069"],
)
def test_totals_equal_the_published_plan(request, fixture, poll, count):
    demand = plan_demand(request.getfixturevalue(fixture))
    assert demand.total(*POLL) == poll
    assert demand.total(SiteKind.counting) == count
    assert demand.total() == poll + count


def test_every_station_has_exactly_one_lead(inputs):
    demand = plan_demand(inputs)
    lead = {SiteKind.polling: "manager", SiteKind.early: "early_manager"}
    for site in demand.sites:
        if site.kind not in lead:
            continue
        rows = [r for r in demand.requirements if r.site_id == site.id and r.role == lead[site.kind]]
        assert [r.required for r in rows] == [1], site.id
    counts = Counter(r.role for r in demand.requirements)
    assert counts["manager"] == 61 and counts["early_manager"] == 10


def test_posts_are_on_their_site_kinds_shift(inputs):
    demand = plan_demand(inputs)
    shift_of = {SiteKind.polling: "eday", SiteKind.early: "early", SiteKind.counting: "count"}
    assert {s.id for s in demand.shifts} == set(shift_of.values())
    for r in demand.requirements:
        assert r.shift == shift_of[r.site_kind], r
        assert r.required > 0, r  # zero posts are left out
    assert {r.site_id for r in demand.requirements} == {s.id for s in demand.sites}


def test_polling_loads_cover_the_register_once(inputs):
    demand = plan_demand(inputs)
    register = sum(p.registered_electors for p in inputs.district.layout(inputs.scenario.register_election))
    for kind in SiteKind:
        sites = [s for s in demand.sites if s.kind is kind]
        assert sum(demand.loads[s.id].electors for s in sites) == register, kind


def test_covid_off_drops_exactly_the_covid_posts(inputs):
    covid_roles = {(r.site_kind, r.role) for r in inputs.rules.roles if r.covid}
    assert covid_roles == {(k, role) for k in POLL for role in ("covid_screening", "quarantine_support")}
    with_covid, without = demand_for(inputs, covid=True), demand_for(inputs, covid=False)

    covid_rows = [r for r in with_covid.requirements if (r.site_kind, r.role) in covid_roles]
    assert sum(r.required for r in covid_rows) == 2 * (61 + 10)  # one per entrance + one quarantine official
    assert not [r for r in without.requirements if (r.site_kind, r.role) in covid_roles]
    assert with_covid.total() - without.total() == sum(r.required for r in covid_rows)
    assert without.total(SiteKind.counting) == with_covid.total(SiteKind.counting)
    assert set(without.requirements) == set(with_covid.requirements) - set(covid_rows)


# --- monotonicity ----------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_demand_never_falls_when_electors_rise(inputs, data):
    register = inputs.scenario.register_election
    positions = [i for i, p in enumerate(inputs.district.precincts) if p.election == register]
    rises = data.draw(st.dictionaries(st.sampled_from(positions), st.integers(1, 20_000), min_size=1, max_size=12))
    precincts = list(inputs.district.precincts)
    for i, extra in rises.items():
        precincts[i] = precincts[i].model_copy(update={"registered_electors": precincts[i].registered_electors + extra})
    district = inputs.district.model_copy(update={"precincts": tuple(precincts)})

    before = plan_demand(inputs)
    s = inputs.scenario
    after = compute_demand(district, s.election, inputs.rules, s.assumptions())
    grown = by_post(after)
    for post, required in by_post(before).items():
        assert grown.get(post, 0) >= required, post
    for site_id, load in before.loads.items():
        assert after.loads[site_id].electors >= load.electors


def test_demand_never_falls_when_turnout_scale_rises(inputs):
    scales = (0.5, 0.8, 1.0, 1.25, 1.6, 2.0)
    demands = [demand_for(inputs, turnout_scale=x) for x in scales]
    for low, high in zip(demands, demands[1:]):
        grown = by_post(high)
        for post, required in by_post(low).items():
            assert grown.get(post, 0) >= required, post
        assert high.total() >= low.total()
    assert demands[-1].total() > demands[0].total()
    assert demands[scales.index(1.0)].total() == plan_demand(inputs).total()


# --- role_headcount: required = base + per_entrance x entrances + per_step x ceil((load - free) / step), <= max


def rule(**fields) -> RoleRule:
    return RoleRule(site_kind=SiteKind.polling, role="r", name="역할", shift="eday", **fields)


@pytest.mark.parametrize("load", [0.0, 500.0, 1e6])
def test_headcount_base_ignores_load_without_metric(load):
    assert role_headcount(rule(base=3), load, entrances=1) == 3
    assert role_headcount(rule(base=3, step=100), load, entrances=1) == 3  # load: none


@pytest.mark.parametrize(("entrances", "expected"), [(1, 2), (2, 3), (4, 5)])
def test_headcount_per_entrance(entrances, expected):
    assert role_headcount(rule(base=1, per_entrance=1), 0.0, entrances) == expected


@pytest.mark.parametrize(
    ("load", "expected"),
    [(0, 2), (800, 2), (800.5, 3), (1395, 3), (1395.5, 4), (1990, 4), (1991, 5)],
)
def test_headcount_free_and_step(load, expected):
    register_check = rule(base=2, load=LoadMetric.voters, free=800, step=595)
    assert role_headcount(register_check, load, entrances=1) == expected


@pytest.mark.parametrize(("load", "expected"), [(1500, 2), (1501, 4), (3000, 4), (3001, 6), (6000, 8)])
def test_headcount_per_step_adds_a_desk_of_two(load, expected):
    early_in_clerk = rule(base=2, load=LoadMetric.in_voters, free=1500, step=1500, per_step=2)
    assert role_headcount(early_in_clerk, load, entrances=1) == expected


@pytest.mark.parametrize(("load", "expected"), [(0, 0), (30_000, 5), (150_000, 25), (210_000, 35), (240_001, 40),
                                                (1e7, 40)])
def test_headcount_max_caps(load, expected):
    sorter = rule(load=LoadMetric.ballots, step=30_000, per_step=5, max=40)
    assert role_headcount(sorter, load, entrances=1) == expected


def test_headcount_ignores_float_noise_at_a_step_boundary():
    assert role_headcount(rule(load=LoadMetric.voters, step=600), 1800.0000000002, entrances=1) == 3
    assert role_headcount(rule(load=LoadMetric.voters, step=0.1), 0.1 + 0.2, entrances=1) == 3


# --- shifts ----------------------------------------------------------------------------


def test_shifts_presidential(presidential_inputs):
    shifts = {s.id: s for group in build_shifts(presidential_inputs.scenario.election,
                                                presidential_inputs.rules).values() for s in group}
    assert set(shifts) == {"early", "eday", "count"}
    # one early shift: the same people both days, 03-04 05:00 to 03-05 19:00
    assert (shifts["early"].start, shifts["early"].end) == (datetime(2022, 3, 4, 5), datetime(2022, 3, 5, 19))
    assert (shifts["eday"].start, shifts["eday"].end) == (datetime(2022, 3, 9, 5), datetime(2022, 3, 9, 20))
    # counting starts on election night and ends the next morning
    assert (shifts["count"].start, shifts["count"].end) == (datetime(2022, 3, 9, 18), datetime(2022, 3, 10, 4))
    assert shifts["count"].overlaps(shifts["eday"]) and shifts["eday"].overlaps(shifts["count"])
    assert not shifts["early"].overlaps(shifts["eday"])
    assert not shifts["early"].overlaps(shifts["count"])


def test_counting_ends_next_morning_local(local_inputs):
    count = plan_demand(local_inputs).shifts[-1]
    assert count.id == "count"
    assert (count.start, count.end) == (datetime(2022, 6, 1, 18), datetime(2022, 6, 2, 4))


def test_split_days_gives_one_shift_per_early_day_with_its_share(presidential_inputs):
    s = presidential_inputs.scenario
    split = load_rules(s.rules, {"early_voting": {"split_days": True}})
    shifts = build_shifts(s.election, split)["early"]
    assert [x.id for x in shifts] == ["early-1", "early-2"]
    assert [(x.start, x.end) for x in shifts] == [(datetime(2022, 3, 4, 5), datetime(2022, 3, 4, 19)),
                                                  (datetime(2022, 3, 5, 5), datetime(2022, 3, 5, 19))]

    joined, parted = plan_demand(presidential_inputs), demand_for(presidential_inputs, rules=split)
    share1, share2 = split.early_voting.day_shares
    for site in (x for x in parted.sites if x.kind is SiteKind.early):
        posts = {(r.role, r.shift): r for r in parted.requirements if r.site_id == site.id}
        assert {shift for _, shift in posts} == {"early-1", "early-2"}
        assert posts["early_manager", "early-1"].required == posts["early_manager", "early-2"].required == 1
        day1, day2 = posts["early_in_clerk", "early-1"].load, posts["early_in_clerk", "early-2"].load
        in_voters = parted.loads[site.id].in_voters
        assert day1 == pytest.approx(in_voters * share1, abs=0.05)
        assert day2 == pytest.approx(in_voters * share2, abs=0.05)
        # the single two-day shift is sized for the busier day
        unsplit = next(r for r in joined.requirements if r.site_id == site.id and r.role == "early_in_clerk")
        assert unsplit.shift == "early" and unsplit.load == pytest.approx(in_voters * max(share1, share2), abs=0.05)
    # polling and counting do not change
    assert parted.total(SiteKind.polling, SiteKind.counting) == joined.total(SiteKind.polling, SiteKind.counting)


def test_split_days_needs_one_share_per_day(presidential_inputs):
    s = presidential_inputs.scenario
    split = load_rules(s.rules, {"early_voting": {"split_days": True, "day_shares": [0.3, 0.3, 0.4]}})
    with pytest.raises(InputError) as info:
        demand_for(presidential_inputs, rules=split)
    assert info.value.column == "early_voting.day_shares"
