"""Find the values of one rule parameter that make a scenario's demand hit a published total.

    python scripts/calibrate_rules.py scenarios/2022-presidential.yaml \\
        --param polling.register_check.step --kinds polling,early --target 727 --lo 200 --hi 6000

Prints every interval of values (on a grid of --by) whose demand total equals the target;
the rules files record the value chosen (a round number inside the widest interval).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from election_ops.demand import compute_demand
from election_ops.domain import SiteKind
from election_ops.io.rules import apply_overrides, parse_rules
from election_ops.io.yamlfile import read_yaml
from election_ops.pipeline import load_inputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", type=Path)
    parser.add_argument("--param", required=True, help="<site_kind>.<role>.<field>, e.g. polling.register_check.step")
    parser.add_argument("--kinds", required=True, help="site kinds summed, e.g. polling,early")
    parser.add_argument("--target", type=int, required=True)
    parser.add_argument("--lo", type=float, default=100)
    parser.add_argument("--hi", type=float, default=10000)
    parser.add_argument("--by", type=float, default=10)
    args = parser.parse_args()

    inputs = load_inputs(args.scenario)
    scenario = inputs.scenario
    site_kind, role, field = args.param.rsplit(".", 2)
    kinds = tuple(SiteKind(k) for k in args.kinds.split(","))
    raw = read_yaml(scenario.rules)
    hits, value = [], args.lo
    while value <= args.hi:
        data = apply_overrides(raw, {"roles": {f"{site_kind}.{role}": {field: value}}}, scenario.rules)
        if scenario.rule_overrides:
            data = apply_overrides(data, scenario.rule_overrides, scenario.rules)
        rules = parse_rules(data, scenario.rules)
        total = compute_demand(inputs.district, scenario.election, rules, scenario.assumptions()).total(*kinds)
        if total == args.target:
            hits.append(value)
        value = round(value + args.by, 9)
    if not hits:
        print(f"no value of {args.param} in [{args.lo}, {args.hi}] gives {args.target}")
        raise SystemExit(1)
    intervals, start = [], hits[0]
    for prev, cur in zip(hits, hits[1:] + [None]):
        if cur is None or round(cur - prev, 9) > args.by:
            intervals.append((start, prev))
            start = cur
    for lo, hi in intervals:
        print(f"{args.param} in [{lo:g}, {hi:g}] gives {args.target}")


if __name__ == "__main__":
    main()
