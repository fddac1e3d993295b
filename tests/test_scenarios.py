"""Every shipped scenario (scenarios/*.yaml) loads, has demand, solves without a shortfall and validates.

The demand checks are fast; the solve test solves each scenario once (1-3 s each on
the real data) into its own tmp folder and re-checks the plan with ``validate``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from election_ops.cli import app
from election_ops.domain import SiteKind
from election_ops.pipeline import load_inputs, plan_demand

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((REPO / "scenarios").glob("*.yaml"))
POLL = (SiteKind.polling, SiteKind.early)

# What each shipped scenario asks, as demand: (poll = polling + early, count, polling stations).
# The two base scenarios reproduce the district's published 2022 plans: 799 = 727 + 72 and 1,069 = 984 + 85.
EXPECTED = {
    "2022-presidential": (727, 72, 61),
    "2022-presidential-60": (727 - 8, 72, 60),  # one station fewer: its 8 fixed posts
    "2022-presidential-60-wait-target": (740, 75, 60),  # 60 stations, turnout +10 %, desks sized to the wait target
    "2022-presidential-high-turnout": (747, 75, 61),  # 10 % more voters than 2017
    "2022-presidential-reserves": (727 + 2 * 10, 72, 61),  # 2 standby people per 동, counted with the early kind
    "2022-local": (984, 85, 61),
    "2022-local-no-covid": (984 - 2 * 61 - 2 * 10, 85, 61),  # no fever check, no quarantine support
    "2022-local-short-staff": (984, 85, 61),  # a thinner pool, the same posts
}


def test_the_shipped_scenarios_are_all_known():
    """A new scenario file needs a line in EXPECTED (and a word in docs/scenarios.md)."""
    assert sorted(p.stem for p in SCENARIOS) == sorted(EXPECTED)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario_loads_and_has_demand(path):
    inputs = load_inputs(path)
    demand = plan_demand(inputs)
    poll, count, stations = EXPECTED[path.stem]
    assert (demand.total(*POLL), demand.total(SiteKind.counting)) == (poll, count)
    polling = [s for s in demand.sites if s.kind is SiteKind.polling]
    assert len(polling) == stations
    assert sum(s.kind is SiteKind.early for s in demand.sites) == 10
    assert inputs.scenario.id == path.stem and inputs.scenario.title
    assert all(r.required > 0 for r in demand.requirements)
    # every polling station's electors add up to the register, whatever the layout
    register = sum(p.registered_electors for p in inputs.district.layout(inputs.scenario.register_election))
    assert sum(demand.loads[s.id].electors for s in polling) == register


@pytest.mark.parametrize(("scenario", "poll", "count"), [("2022-presidential", 727, 72), ("2022-local", 984, 85)])
def test_base_scenarios_reproduce_the_published_totals(scenario, poll, count):
    demand = plan_demand(load_inputs(REPO / "scenarios" / f"{scenario}.yaml"))
    assert demand.total(*POLL) == poll
    assert demand.total(SiteKind.counting) == count


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario_solves_without_shortfall_and_validates(path, tmp_path):
    out = tmp_path / path.stem
    result = runner.invoke(app, ["solve", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output  # 3 would mean posts left short

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["shortfall_count"] == 0
    assert summary["status"] in ("OPTIMAL", "FEASIBLE")
    requirements = pd.read_csv(out / "requirements.csv")
    assert (requirements["assigned"] == requirements["required"]).all()
    poll, count, _ = EXPECTED[path.stem]
    assert requirements["required"].sum() == poll + count
    assert len(pd.read_csv(out / "shortfalls.csv")) == 0

    result = runner.invoke(app, ["validate", str(out)])
    assert result.exit_code == 0, result.output
    assert "every hard rule holds" in " ".join(result.output.split())

