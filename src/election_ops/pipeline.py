"""Wire the layers together: scenario file -> checked inputs -> demand."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .demand import Demand, compute_demand
from .domain import District, StaffingRules
from .io.district import load_district
from .io.rules import load_rules
from .io.scenario import Scenario, load_scenario


@dataclass(frozen=True)
class Inputs:
    scenario: Scenario
    district: District
    rules: StaffingRules


def load_inputs(scenario_path: Path) -> Inputs:
    scenario = load_scenario(scenario_path)
    data = scenario.data
    district = load_district(data.dongs, data.precincts, data.dong_history, data.elections, data.sites, data.boundaries)
    rules = load_rules(scenario.rules, scenario.rule_overrides)
    return Inputs(scenario=scenario, district=district, rules=rules)


def plan_demand(inputs: Inputs) -> Demand:
    s = inputs.scenario
    return compute_demand(inputs.district, s.election, inputs.rules, s.assumptions(),
                          scenario_file=str(s.path), rules_file=str(s.rules), sites_file=str(s.data.sites))
