"""Voter waits: Erlang C against closed forms and a simulation, and the station model's promises.

The simulations here are written from scratch in this file (seeded numpy, FCFS servers
on a heap) and share no code with ``election_ops.waits``: they are the independent check.
"""

from __future__ import annotations

import heapq
import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from pydantic import ValidationError

from election_ops.waits import (
    DEFAULT_EARLY_PROFILE,
    DEFAULT_EDAY_PROFILE,
    WAITS_COLUMNS,
    ServiceTimes,
    SiteLimits,
    StationLimits,
    WaitModel,
    clerks_for_target,
    demand_waits,
    erlang_c,
    erlang_c_wait,
    station_waits,
    worst_first,
)

MODEL = WaitModel()
ONE = {"register_check": 2, "ballot_issue": 1}


# --- independent references -------------------------------------------------------------


def mmc_wq_closed_form(lam: Fraction, mu: Fraction, c: int) -> Fraction:
    """Textbook M/M/c (exact rational arithmetic): P0, then Lq, then Wq = Lq / λ."""
    a = lam / mu
    rho = a / c
    p0 = 1 / (sum(a**n / math.factorial(n) for n in range(c)) + a**c / (math.factorial(c) * (1 - rho)))
    lq = p0 * a**c * rho / (math.factorial(c) * (1 - rho) ** 2)
    return lq / lam


def simulate_mmc(lam: float, mu: float, c: int, customers: int, seed: int) -> float:
    """Mean wait in queue of a FCFS M/M/c queue, first 5 % of customers dropped as warm-up."""
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(1 / lam, customers))
    service = rng.exponential(1 / mu, customers)
    free = [0.0] * c
    waits = np.empty(customers)
    for i in range(customers):
        start = max(arrivals[i], heapq.heappop(free))
        waits[i] = start - arrivals[i]
        heapq.heappush(free, start + service[i])
    return float(waits[customers // 20:].mean())


def simulate_station_day(voters: float, profile, stages, days: int, seed: int) -> tuple[float, float]:
    """A day at a station: Poisson arrivals hour by hour, FCFS multi-server stages in series.

    ``stages`` lists (servers, mean service seconds). Returns (mean wait, worst hourly
    mean wait) in minutes over ``days`` simulated days, hours by arrival.
    """
    rng = np.random.default_rng(seed)
    hours = len(profile)
    total, count = np.zeros(hours), np.zeros(hours)
    for _ in range(days):
        t = np.sort(np.concatenate([rng.uniform(h, h + 1, rng.poisson(voters * p)) for h, p in enumerate(profile)]))
        hour = np.floor(t).astype(int)
        at = t * 60.0
        wait = np.zeros(len(t))
        for servers, seconds in stages:
            service = rng.exponential(seconds / 60.0, len(t))
            free = [0.0] * servers
            done = np.empty(len(t))
            for i in np.argsort(at, kind="stable"):
                start = max(at[i], heapq.heappop(free))
                wait[i] += start - at[i]
                done[i] = start + service[i]
                heapq.heappush(free, done[i])
            at = done
        np.add.at(total, hour, wait)
        np.add.at(count, hour, 1)
    return float(total.sum() / count.sum()), float(max(total / np.maximum(count, 1)))


# --- Erlang C ---------------------------------------------------------------------------


def test_mm1_is_rho_over_mu_minus_lambda():
    lam, mu = 0.8, 1.0
    assert erlang_c_wait(lam, mu, 1) == pytest.approx((lam / mu) / (mu - lam))  # 4.0
    assert erlang_c_wait(90, 120, 1) == pytest.approx(0.75 / 30)  # voters an hour: 1.5 minutes


def test_mm2_textbook_fractions():
    # λ = 2, μ = 1.5, c = 2: a = 4/3, ρ = 2/3, P(wait) = 8/15, Wq = 8/15 / (3 - 2) = 8/15
    assert erlang_c(2, 4 / 3) == pytest.approx(8 / 15)
    assert erlang_c_wait(2, 1.5, 2) == pytest.approx(8 / 15)


@pytest.mark.parametrize(("lam", "mu", "c"), [(2, 1, 3), (9, 4, 3), (7, 1, 8), (30, 1, 40), (1, 3, 5)])
def test_erlang_c_matches_the_p0_closed_form(lam, mu, c):
    exact = mmc_wq_closed_form(Fraction(lam), Fraction(mu), c)
    assert erlang_c_wait(lam, mu, c) == pytest.approx(float(exact), rel=1e-12)


def test_erlang_c_edges():
    assert erlang_c_wait(0, 1, 3) == 0
    assert erlang_c_wait(3, 1, 3) == math.inf  # unstable
    assert erlang_c_wait(1, 1, 0) == math.inf
    assert erlang_c(4, 4.0) == 1.0
    with pytest.raises(ValueError):
        erlang_c_wait(1, 0, 1)


@pytest.mark.parametrize(("lam", "mu", "c"), [(0.7, 1.0, 1), (2.25, 1.0, 3), (100.0, 30.0, 4)])
def test_erlang_c_matches_a_simulation_of_200k_customers(lam, mu, c):
    simulated = simulate_mmc(lam, mu, c, 200_000, seed=7)
    assert simulated == pytest.approx(erlang_c_wait(lam, mu, c), rel=0.05)


# --- the model's defaults -----------------------------------------------------------------


def test_profiles_are_twelve_shares_summing_to_one():
    for profile in (DEFAULT_EDAY_PROFILE, DEFAULT_EARLY_PROFILE, MODEL.eday_profile, MODEL.early_profile):
        assert len(profile) == 12
        assert math.fsum(profile) == pytest.approx(1.0, abs=1e-12)
        assert min(profile) > 0


def test_election_day_peaks_around_midday_and_rises_in_the_last_hour():
    p = DEFAULT_EDAY_PROFILE  # index 0 is 06:00-07:00
    peak = max(range(12), key=p.__getitem__)
    assert 3 <= peak <= 8  # 09:00-15:00
    assert max(p[:3]) < min(p[3:9])  # quieter before 09:00
    assert p[11] > p[10]  # a rise in the last hour


def test_early_voting_starts_slow_and_rises():
    p = DEFAULT_EARLY_PROFILE
    assert p[0] == min(p)
    assert max(p[7:11]) == max(p)  # the busiest hour is in the afternoon


def test_service_times_follow_the_nec_demonstration():
    s = ServiceTimes()
    assert s.seconds("register", 7) + s.seconds("ballot", 7) == pytest.approx(70)  # 68-71 s
    assert s.seconds("ballot", 1) == 10 and s.seconds("ballot", 7) == 40
    assert s.seconds("booth", 1) == 30 and s.seconds("booth", 7) == 60
    assert s.seconds("early_in", 7) == 60 and s.seconds("early_out", 7) == 90


def test_a_profile_must_sum_to_one():
    with pytest.raises(ValidationError, match="sum to 1"):
        WaitModel(eday_profile=(0.5, 0.4))
    rounded = WaitModel(early_profile=(0.333, 0.333, 0.333))  # rounding in a YAML file is forgiven
    assert math.fsum(rounded.early_profile) == pytest.approx(1.0)


def test_site_limits_override_only_what_they_name():
    model = WaitModel(site_limits={"독산1동-3": SiteLimits(register_desks=6)})
    assert model.limits_for("독산1동-3") == StationLimits(register_desks=6)
    assert model.limits_for("독산1동-4") == StationLimits()


def test_merged_lays_a_yaml_block_over_the_model():
    model = MODEL.merged({"target_wait_min": 20, "service": {"register_s": 40},
                          "site_limits": {"가산동-2": {"booths": 10}}})
    assert model.target_wait_min == 20
    assert model.service.register_s == 40 and model.service.ballot_base_s == 10
    assert model.limits_for("가산동-2").booths == 10
    with pytest.raises(ValidationError):
        MODEL.merged({"limits": {"register_desk": 3}})  # a typo is an error, not ignored


def test_a_partial_stage_mapping_keeps_the_other_defaults():
    model = WaitModel(clerks_per_desk={"early_out": 3})
    assert model.clerks_per_desk == {"register": 1, "ballot": 1, "early_in": 2, "early_out": 3}
    with pytest.raises(ValidationError, match="unknown stage"):
        WaitModel(stage_roles={"booth": "guide"})


# --- a station ----------------------------------------------------------------------------


def test_more_clerks_never_lengthen_the_line():
    for voters in (800, 2000, 3000, 4500):
        for ballots in (1, 7):
            for reg, bal in itertools.product(range(1, 6), range(1, 6)):
                w = station_waits("s", "polling", voters, ballots, {"register_check": reg, "ballot_issue": bal}, MODEL)
                more_reg = station_waits("s", "polling", voters, ballots,
                                         {"register_check": reg + 1, "ballot_issue": bal}, MODEL)
                more_bal = station_waits("s", "polling", voters, ballots,
                                         {"register_check": reg, "ballot_issue": bal + 1}, MODEL)
                for other in (more_reg, more_bal):
                    assert other.worst_wait_min <= w.worst_wait_min + 1e-9
                    assert other.expected_wait_min <= w.expected_wait_min + 1e-9


def test_clerks_beyond_the_desks_do_not_shorten_the_line():
    at_limit = station_waits("s", "polling", 4000, 1, {"register_check": 4, "ballot_issue": 1}, MODEL)
    beyond = station_waits("s", "polling", 4000, 1, {"register_check": 9, "ballot_issue": 1}, MODEL)
    assert beyond.worst_wait_min == at_limit.worst_wait_min
    assert beyond.expected_wait_min == at_limit.expected_wait_min
    assert beyond.servers["register"] == 4
    assert beyond.surplus_clerks == {"register_check": 5}


def test_early_desks_take_two_clerks():
    three = station_waits("s", "early", 2000, 1, {"early_in_clerk": 3, "early_out_clerk": 2}, MODEL, 0.25)
    two = station_waits("s", "early", 2000, 1, {"early_in_clerk": 2, "early_out_clerk": 2}, MODEL, 0.25)
    assert three.servers["early_in"] == two.servers["early_in"] == 1
    assert three.worst_wait_min == two.worst_wait_min


def test_seven_ballots_wait_longer_than_one():
    for kind, clerks, out in (("polling", {"register_check": 3, "ballot_issue": 2}, 0.0),
                              ("early", {"early_in_clerk": 4, "early_out_clerk": 2}, 0.26)):
        one = station_waits("s", kind, 2500, 1, clerks, MODEL, out)
        seven = station_waits("s", kind, 2500, 7, clerks, MODEL, out)
        assert seven.worst_wait_min > one.worst_wait_min
        assert seven.expected_wait_min > one.expected_wait_min


def test_an_overloaded_station_shows_a_long_finite_line():
    w = station_waits("s", "polling", 6000, 1, {"register_check": 2, "ballot_issue": 1}, MODEL)
    assert 60 < w.worst_wait_min < math.inf
    assert w.bottleneck == "register"
    assert w.hourly_min[-1] == max(w.hourly_min)  # the backlog carries to closing time
    assert w.worst_hour == "17:00"


def test_a_stage_without_clerks_never_clears():
    w = station_waits("s", "polling", 1000, 1, {"register_check": 2}, MODEL)
    assert w.worst_wait_min == math.inf and w.bottleneck == "ballot"


def test_an_empty_station_waits_nothing():
    w = station_waits("s", "polling", 0, 1, ONE, MODEL)
    assert (w.expected_wait_min, w.worst_wait_min, w.worst_hour, w.capacity_limited) == (0, 0, "", False)


def test_waits_are_only_for_voting_stations():
    with pytest.raises(ValueError, match="counting"):
        station_waits("개표소", "counting", 1000, 1, {}, MODEL)


def test_an_overgrown_precinct_must_be_split_not_given_more_clerks():
    """7,000 election-day voters: no staffing within one room meets 30 minutes; two rooms of 3,500 do."""
    plenty = {"register_check": 20, "ballot_issue": 20}
    whole = station_waits("big", "polling", 7000, 1, plenty, MODEL)
    assert not whole.meets_target
    assert whole.capacity_limited
    assert whole.best_worst_wait_min > 30
    assert "split" in whole.note and "big" in whole.note
    plan = clerks_for_target("big", "polling", 7000, 1, MODEL)
    assert plan.clerks is None and not plan.feasible
    assert "big" in plan.reason and "split" in plan.reason

    half = clerks_for_target("big-a", "polling", 3500, 1, MODEL)
    assert half.feasible
    split = station_waits("big-a", "polling", 3500, 1, half.clerks, MODEL)
    assert split.meets_target and not split.capacity_limited


def test_a_bigger_room_is_the_other_way_out():
    model = WaitModel(site_limits={"big": SiteLimits(register_desks=8, ballot_desks=6, booths=12)})
    assert clerks_for_target("big", "polling", 7000, 1, model).feasible


def test_understaffed_is_not_capacity_limited():
    w = station_waits("s", "polling", 3000, 1, {"register_check": 2, "ballot_issue": 1}, MODEL)
    assert not w.meets_target and not w.capacity_limited
    assert "staff more desks" in w.note


@pytest.mark.parametrize(("kind", "voters", "ballots", "out"),
                         [("polling", 1500, 1, 0.0), ("polling", 3000, 1, 0.0), ("polling", 2000, 7, 0.0),
                          ("early", 2500, 1, 0.26), ("early", 3000, 7, 0.26), ("early", 1200, 1, 0.0)])
def test_clerks_for_target_is_the_minimum(kind, voters, ballots, out):
    plan = clerks_for_target("s", kind, voters, ballots, MODEL, out)
    assert plan.feasible
    w = station_waits("s", kind, voters, ballots, plan.clerks, MODEL, out)
    assert w.worst_wait_min <= 30 and w.worst_wait_min == pytest.approx(plan.worst_wait_min)
    # one desk fewer at any stage misses the target
    for role, n in plan.clerks.items():
        per_desk = 2 if role.startswith("early") else 1
        if n >= per_desk:
            fewer = dict(plan.clerks, **{role: n - per_desk})
            assert station_waits("s", kind, voters, ballots, fewer, MODEL, out).worst_wait_min > 30
    # and no combination with fewer clerks in total meets it (brute force, independent of the search)
    roles = ("register_check", "ballot_issue") if kind == "polling" else ("early_in_clerk", "early_out_clerk")
    step = 1 if kind == "polling" else 2
    for counts in itertools.product(range(0, 4 * step + 1, step), repeat=2):
        if sum(counts) < sum(plan.clerks.values()):
            trial = dict(zip(roles, counts))
            assert station_waits("s", kind, voters, ballots, trial, MODEL, out).worst_wait_min > 30, trial


def test_an_early_station_without_out_of_district_voters_needs_no_out_desk():
    plan = clerks_for_target("s", "early", 1200, 1, MODEL, out_share=0.0)
    assert plan.clerks["early_out_clerk"] == 0


def test_a_lower_target_needs_more_clerks():
    loose = clerks_for_target("s", "polling", 3000, 1, MODEL)
    strict = clerks_for_target("s", "polling", 3000, 1, WaitModel(target_wait_min=2))
    assert sum(strict.clerks.values()) > sum(loose.clerks.values())


# --- the approximation against a simulated day ------------------------------------------


@pytest.mark.parametrize(("voters", "clerks", "worst_rel", "mean_rel"), [
    (3500, {"register_check": 4, "ballot_issue": 1}, 0.20, 0.25),  # close to saturation at the peak
    (7000, {"register_check": 4, "ballot_issue": 4}, 0.10, 0.10),  # overloaded from 09:00
    (2400, {"register_check": 3, "ballot_issue": 1}, 0.25, 0.25),  # comfortable
])
def test_the_hourly_model_tracks_a_simulated_day(voters, clerks, worst_rel, mean_rel):
    w = station_waits("s", "polling", voters, 1, clerks, MODEL)
    stages = [(w.servers[n], MODEL.service.seconds(n, 1)) for n in ("register", "ballot", "booth")]
    mean, worst = simulate_station_day(voters, MODEL.eday_profile, stages, days=20, seed=3)
    assert w.worst_wait_min == pytest.approx(worst, rel=worst_rel)
    assert w.expected_wait_min == pytest.approx(mean, rel=mean_rel)


# --- a whole plan -------------------------------------------------------------------------


def test_demand_waits_covers_every_voting_station(presidential_inputs):
    from election_ops.pipeline import plan_demand

    demand = plan_demand(presidential_inputs)
    waits = demand_waits(demand, ballots_per_voter=1, early_voting=presidential_inputs.rules.early_voting,
                         model=MODEL)
    voting = [s for s in demand.sites if str(s.kind) in ("polling", "early")]
    assert [w.site_id for w in waits] == [s.id for s in voting]
    assert {w.site_kind for w in waits} == {"polling", "early"}
    for w in waits:
        assert set(w.row()) == set(WAITS_COLUMNS)
        assert math.isfinite(w.worst_wait_min)
    ranked = worst_first(waits, 5)
    assert len(ranked) == 5 and ranked[0].worst_wait_min == max(w.worst_wait_min for w in waits)
