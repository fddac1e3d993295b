"""Benchmark `district init` + `solve` for a sample of Korea's count units, and init for all 250.

    .venv/bin/python bench/bench_districts.py                 # the sample below, then 경기 화성시 (the largest)
    .venv/bin/python bench/bench_districts.py --units 11620 42770
    .venv/bin/python bench/bench_districts.py --all-init      # + initialise every one of the 250 units (~20 min)
    .venv/bin/python bench/bench_districts.py --all-solve     # + init, solve and validate all 250 (about an hour)
    .venv/bin/python bench/bench_districts.py --json out.json

Each unit is initialised into a fresh temporary folder with ``init_unit`` (as
``election-ops district init`` does), then solved through the same pipeline as
``election-ops solve`` (inputs, demand, roster; plan files are not written) and timed
phase by phase. See docs/performance.md for a measured run.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

from election_ops.districts import init_unit, list_units, resolve_unit
from election_ops.pipeline import load_inputs, plan_demand, plan_roster

# One of each hard kind, and the largest unit last.
SAMPLE = (
    "11545",  # 서울 금천구 (the reference district)
    "11620",  # 서울 관악구
    "11740",  # 서울 강동구: 동 without polygon
    "41111",  # 수원시장안구: a 시 counted per 일반구
    "36110",  # 세종특별자치시: 읍, 면 and 동
    "50110",  # 제주시: islands
    "42770",  # 강원 정선군: rural, long distances
    "47130",  # 경북 경주시: KOSTAT 2018 polygons
    "46910",  # 전남 신안군: islands, KOSTAT 2018 polygons
)


def largest_unit() -> str:
    return max(list_units(), key=lambda u: u.registered_electors).code


def run_unit(code: str, root: Path, time_limit: float) -> dict:
    info = resolve_unit(code)
    start = time.perf_counter()
    scenario = init_unit(code, root / code)
    init_s = time.perf_counter() - start
    start = time.perf_counter()
    inputs = load_inputs(scenario, with_staff=True)
    demand = plan_demand(inputs)
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    plan = plan_roster(inputs, demand, time_limit=time_limit)
    solve_s = time.perf_counter() - start
    return {"code": code, "unit": info.full_name, "precincts": info.precincts, "emd": info.emd,
            "electors": info.registered_electors, "posts": demand.total(), "people": len(inputs.workers),
            "init_s": round(init_s, 2), "load_demand_s": round(load_s, 2), "solve_s": round(solve_s, 2),
            "status": plan.stats.status, "gap": round(plan.stats.gap, 4), "short": plan.short_posts,
            "variables": plan.stats.variables}


def run_all_init(root: Path) -> dict:
    start = time.perf_counter()
    slowest = (0.0, "")
    for unit in list_units():
        t = time.perf_counter()
        init_unit(unit.code, root / "all" / unit.code)
        slowest = max(slowest, (time.perf_counter() - t, unit.full_name))
    total = time.perf_counter() - start
    return {"units": 250, "total_s": round(total, 1), "mean_s": round(total / 250, 2),
            "slowest_s": round(slowest[0], 2), "slowest_unit": slowest[1]}


def run_all_solve(root: Path, time_limit: float) -> dict:
    """Every unit through the commands a user runs: district init, solve (plan files written), validate."""
    from typer.testing import CliRunner

    from election_ops.cli import app

    runner, codes, failures = CliRunner(), {}, []
    start = time.perf_counter()
    for unit in list_units():
        folder = root / "solve" / unit.code
        steps = (["district", "init", unit.code, "--out", str(folder)],
                 ["solve", str(folder / "scenarios" / "2022-presidential.yaml"), "--out", str(folder / "plan"),
                  "--time-limit", str(time_limit)],
                 ["validate", str(folder / "plan")])
        for step in steps:
            result = runner.invoke(app, step)
            if result.exit_code != 0:
                failures.append(f"{unit.full_name}: {step[0]} exit {result.exit_code}")
                break
        codes[unit.code] = result.exit_code
    total = time.perf_counter() - start
    return {"units": len(codes), "all_valid": sum(c == 0 for c in codes.values()), "failures": failures,
            "total_s": round(total, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", nargs="+", help="unit codes or names (default: the sample and the largest; "
                        "'none' for none)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per solve (default 60)")
    parser.add_argument("--all-init", action="store_true", help="also initialise all 250 units and time it")
    parser.add_argument("--all-solve", action="store_true", help="also init, solve and validate all 250 units")
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this file too")
    args = parser.parse_args(argv)
    if args.units == ["none"]:
        units = []
    else:
        units = [resolve_unit(u).code for u in args.units] if args.units else [*SAMPLE, largest_unit()]
    print(f"machine: {platform.machine()}, Python {platform.python_version()}; time limit {args.time_limit:g} s")
    header = ("unit", "precincts", "emd", "electors", "posts", "people", "init s", "load+demand s", "solve s",
              "status", "gap", "short")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for code in units:
            r = run_unit(code, Path(tmp), args.time_limit)
            rows.append(r)
            print(f"| {r['unit']} ({r['code']}) | {r['precincts']} | {r['emd']} | {r['electors']:,} | {r['posts']:,} | "
                  f"{r['people']:,} | {r['init_s']:.2f} | {r['load_demand_s']:.2f} | {r['solve_s']:.2f} | "
                  f"{r['status']} | {r['gap']:.2%} | {r['short']} |", flush=True)
        result = {"units": rows}
        if args.all_solve:
            result["all_solve"] = a = run_all_solve(Path(tmp), args.time_limit)
            print(f"all {a['units']} units: init + solve + validate passed for {a['all_valid']} in {a['total_s']:,} s")
            for failure in a["failures"]:
                print(f"  failed: {failure}")
        if args.all_init:
            result["all_init"] = run_all_init(Path(tmp))
            a = result["all_init"]
            print(f"all 250 units initialised in {a['total_s']:,} s (mean {a['mean_s']} s, slowest "
                  f"{a['slowest_s']} s: {a['slowest_unit']})")
    result["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(f"peak memory (ru_maxrss): {result['peak_rss_mib']} MiB")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
