"""Benchmark the roster model: CP-SAT (tuned), HiGHS and the greedy baseline on the same problems.

    .venv/bin/python bench/bench.py                      # 2022 presidential, 2022 local, local x2, local x4
    .venv/bin/python bench/bench.py --quick              # the two real elections only
    .venv/bin/python bench/bench.py --sweep              # + CP-SAT parameter alternatives on the real elections
    .venv/bin/python bench/bench.py --json out.json      # the figures as JSON too
    .venv/bin/python bench/bench.py --pools              # + pools of 1,300 to 200,000 people (bench/pools.py)

Each instance's ``Problem`` and ``LinearModel`` are built once; CP-SAT (``solve_cpsat`` with
the tuned defaults), HiGHS (``bench/highs_model.solve_highs``, 2 threads) and the greedy
baseline (``model.greedy``) all answer that same model, and every answer is re-scored with
``model.scoring.score`` so the figures are comparable term by term.

The synthetic instances tile the 2022 local scenario: copy n (n = 2, 3, ...) of its sites,
동, departments and people gets the suffix ``#n`` and is shifted east by (n - 1) x (district
width + 1 km), so copies never share a 동 or a department and barely share commutes.
See docs/performance.md for a measured run.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import math
import os
import platform
import resource
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))  # highs_model sits beside this file

from highs_model import solve_highs  # noqa: E402 - after the sys.path line above
from pools import POOL_SIZES, measure, print_pools  # noqa: E402 - after the sys.path line above

from election_ops.demand import Demand  # noqa: E402 - after the sys.path line above
from election_ops.domain import Weights, Worker  # noqa: E402 - after the sys.path line above
from election_ops.model.cpsat import TUNED_PARAMETERS, SolverResult, solve_cpsat  # noqa: E402 - after the sys.path line above
from election_ops.model.formulation import Formulation, formulate  # noqa: E402 - after the sys.path line above
from election_ops.model.greedy import greedy_assign  # noqa: E402 - after the sys.path line above
from election_ops.model.problem import Problem, build_problem  # noqa: E402 - after the sys.path line above
from election_ops.model.scoring import score  # noqa: E402 - after the sys.path line above
from election_ops.pipeline import load_inputs, plan_demand  # noqa: E402 - after the sys.path line above

SCENARIOS = {"2022-presidential": "scenarios/2022-presidential.yaml", "2022-local": "scenarios/2022-local.yaml"}
TILES = (2, 4)
HIGHS_THREADS = 2

# CP-SAT's own defaults for the parameters TUNED_PARAMETERS changes (num_workers pinned to this
# machine's 2 cores, so the figure means the same elsewhere).
DEFAULTS = {"num_workers": 2, "linearization_level": 1, "add_lp_constraints_lazily": True, "cp_model_presolve": True,
            "cp_model_probing_level": 2}
ONE_LIN2 = {**DEFAULTS, "num_workers": 1, "linearization_level": 2}
SWEEP = (
    ("default (2-worker portfolio)", DEFAULTS),
    ("default + interleave_search", {**DEFAULTS, "interleave_search": True}),
    ("1 worker, linearization_level 2", ONE_LIN2),
    ("  + symmetry_level 0", {**ONE_LIN2, "symmetry_level": 0}),
    ("  + presolve off", {**ONE_LIN2, "cp_model_presolve": False}),
    ("  + add_lp_constraints_lazily off", {**ONE_LIN2, "add_lp_constraints_lazily": False}),
    ("  presolve off + LP eager, probing on", {**ONE_LIN2, "cp_model_presolve": False,
                                                "add_lp_constraints_lazily": False}),
    ("tuned (presolve off + LP eager + probing off)", {}),
)
SWEEP_SEEDS, REPEAT_BELOW_S = 3, 15.0
MINMAX_WORST_COMMUTE = 10  # points per metre of the single worst commute, replacing the long-commute term


@dataclasses.dataclass(frozen=True)
class Instance:
    name: str
    demand: Demand
    rules: object
    workers: tuple[Worker, ...]
    weights: Weights


# --- instances -------------------------------------------------------------------------------------------


def real_instances() -> dict[str, Instance]:
    out = {}
    for name, path in SCENARIOS.items():
        inputs = load_inputs(ROOT / path, with_staff=True)
        out[name] = Instance(name, plan_demand(inputs), inputs.rules, inputs.workers, inputs.scenario.weights)
    return out


def _suffix_department(department: str, dongs: set[str], suffix: str) -> str:
    """``독산1동 주민센터`` -> ``독산1동#2 주민센터`` (keeps the <동> 주민센터 convention), else append."""
    for dong in sorted(dongs, key=len, reverse=True):
        if department.startswith(dong + " "):
            return dong + suffix + department[len(dong):]
    return department + suffix


def tile(base: Instance, k: int) -> Instance:
    """k copies of ``base`` side by side, west to east; copy n > 1 suffixed ``#n``."""
    demand, workers = base.demand, base.workers
    lons = [s.lon for s in demand.sites] + [w.home_lon for w in workers]
    lats = [s.lat for s in demand.sites] + [w.home_lat for w in workers]
    km_in_lon = 1000.0 / (111_320.0 * math.cos(math.radians(sum(lats) / len(lats))))
    step = max(lons) - min(lons) + km_in_lon
    dongs = {s.dong for s in demand.sites}
    precincts = {p for s in demand.sites for p in s.serves}
    sites, requirements, loads, people = [], [], {}, []
    for n in range(1, k + 1):
        suffix, shift = ("" if n == 1 else f"#{n}"), (n - 1) * step

        def sfx(value: str | None, suffix: str = suffix) -> str | None:
            return None if value is None else value + suffix

        for s in demand.sites:
            serves = tuple(p + suffix if p in precincts and p != "*" else p for p in s.serves)
            sites.append(s.model_copy(update={"id": s.id + suffix, "dong": s.dong + suffix, "lon": s.lon + shift,
                                              "serves": serves, "name": s.name + suffix}))
        requirements += [r.model_copy(update={"site_id": r.site_id + suffix}) for r in demand.requirements]
        loads.update({site_id + suffix: load for site_id, load in demand.loads.items()})
        people += [w.model_copy(update={"id": w.id + suffix, "home_lon": w.home_lon + shift,
                                        "department": _suffix_department(w.department, dongs, suffix),
                                        "preferred_dong": sfx(w.preferred_dong)}) for w in workers]
    tiled = dataclasses.replace(demand, sites=tuple(sites), requirements=tuple(requirements), loads=loads)
    return Instance(f"{base.name} x{k}", tiled, base.rules, tuple(people), base.weights)


# --- measuring -------------------------------------------------------------------------------------------


@contextlib.contextmanager
def quiet_stdout():
    """HiGHS prints its banner from C++ on fd 1 whatever output_flag says; keep the table clean."""
    sys.stdout.flush()
    saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def chosen_pairs(form: Formulation, result: SolverResult) -> list[tuple[int, int]]:
    if not result.values:
        return []
    return sorted(pair for pair, var in form.vars.x.items() if result.values[var] == 1)


def shortfall_posts(problem: Problem, pairs: list[tuple[int, int]]) -> int:
    filled = np.zeros(len(problem.groups), dtype=np.int64)
    for _, g in pairs:
        filled[g] += 1
    return int(sum(max(0, g.demand - filled[g.index]) for g in problem.groups))


def gap(objective: float, bound: float) -> float:
    if math.isnan(objective) or math.isnan(bound):
        return math.nan
    return abs(objective - bound) / max(1.0, abs(objective))


def solver_figures(problem: Problem, weights: Weights, form: Formulation, result: SolverResult) -> dict:
    pairs = chosen_pairs(form, result)
    terms = score(problem, weights, pairs) if pairs else {}
    rescored = sum(terms.values()) if pairs else math.nan
    return {"status": result.status, "seconds": result.seconds, "objective": result.objective,
            "bound": result.best_bound, "gap": gap(result.objective, result.best_bound),
            "rescored": rescored, "mismatch": bool(pairs) and abs(rescored - result.objective) > 0.5,
            "shortfall": shortfall_posts(problem, pairs) if pairs else None, "terms": terms}


def run_instance(inst: Instance, time_limit: float) -> dict:
    started = time.perf_counter()
    problem = build_problem(inst.demand, inst.rules, inst.workers)
    built = time.perf_counter()
    form = formulate(problem, inst.weights)
    formulated = time.perf_counter()
    lm = form.model
    row = {
        "instance": inst.name, "posts": inst.demand.total(), "people": len(inst.workers),
        "sites": len(inst.demand.sites), "groups": len(problem.groups),
        "eligible_pairs": sum(len(ws) for ws in problem.eligible.values()), "candidate_pairs": len(problem.pairs),
        "variables": len(lm.names), "constraints": len(lm.rows), "nonzeros": sum(len(r[1]) for r in lm.rows),
        "build_problem_s": built - started, "formulate_s": formulated - built,
    }
    print(f"  {inst.name}: built ({row['build_problem_s']:.1f} s), solving ...", file=sys.stderr, flush=True)
    row["cpsat"] = solver_figures(problem, inst.weights, form, solve_cpsat(lm, time_limit=time_limit))
    with quiet_stdout():
        highs = solve_highs(lm, time_limit=time_limit, threads=HIGHS_THREADS)
    row["highs"] = solver_figures(problem, inst.weights, form, highs)
    t = time.perf_counter()
    pairs = greedy_assign(problem)
    seconds = time.perf_counter() - t
    terms = score(problem, inst.weights, pairs)
    row["greedy"] = {"seconds": seconds, "objective": sum(terms.values()), "shortfall": shortfall_posts(problem, pairs),
                     "terms": terms, "posts_filled": len(pairs)}
    return row


def run_sweep(inst: Instance, time_limit: float) -> list[dict]:
    """CP-SAT parameter alternatives on one real election, plus the two model alternatives."""
    problem = build_problem(inst.demand, inst.rules, inst.workers)
    lm = formulate(problem, inst.weights).model
    out = []

    def record(label: str, model, overrides: dict, variables: int, solver: str = "cpsat") -> None:
        """Seed 0, and seeds 1 and 2 too when seed 0 took under REPEAT_BELOW_S (CP-SAT times vary by seed)."""
        print(f"  sweep {inst.name}: {label.strip()} ...", file=sys.stderr, flush=True)
        runs = []
        for seed in range(SWEEP_SEEDS if solver == "cpsat" else 1):
            if solver == "highs":
                with quiet_stdout():
                    r = solve_highs(model, time_limit=time_limit, threads=HIGHS_THREADS)
            else:
                r = solve_cpsat(model, time_limit=time_limit, seed=seed, overrides=overrides)
            runs.append(r)
            if r.seconds >= REPEAT_BELOW_S:
                break
        times = sorted(r.seconds for r in runs)
        last = runs[0]
        out.append({"instance": inst.name, "config": label, "solver": solver, "overrides": overrides,
                    "variables": variables, "runs": len(runs),
                    "optimal": sum(r.status == "OPTIMAL" for r in runs), "status": last.status,
                    "seconds": times[len(times) // 2], "seconds_min": times[0], "seconds_max": times[-1],
                    "objective": last.objective, "bound": last.best_bound, "gap": gap(last.objective, last.best_bound)})

    for label, overrides in SWEEP:
        record(label, lm, overrides, len(lm.names))
    wide = build_problem(inst.demand, inst.rules, inst.workers, widen=frozenset(g.index for g in problem.groups))
    wide_lm = formulate(wide, inst.weights).model
    record("tuned, every eligible pair a variable", wide_lm, {}, len(wide_lm.names))
    record("HiGHS, every eligible pair a variable", wide_lm, {}, len(wide_lm.names), solver="highs")
    minmax = inst.weights.model_copy(update={"long_commute": 0, "worst_commute": MINMAX_WORST_COMMUTE})
    mm_lm = formulate(problem, minmax).model
    record(f"tuned, exact min-max worst commute (x{MINMAX_WORST_COMMUTE}/m)", mm_lm, {}, len(mm_lm.names))
    record(f"HiGHS, exact min-max worst commute (x{MINMAX_WORST_COMMUTE}/m)", mm_lm, {}, len(mm_lm.names),
           solver="highs")
    return out


# --- printing --------------------------------------------------------------------------------------------


REPLAN_ABSENT_SHARE, REPLAN_SEED = 0.10, 2022


def run_replan(inst: Instance, time_limit: float) -> dict:
    """Solve, drop a seeded 10 % of the people placed, replan: time and how many posts changed."""
    from election_ops.model.problem import FixedPost
    from election_ops.model.solve import solve_roster
    from election_ops.overlays import mark_unavailable
    from election_ops.replan import changed_assignments

    plan = solve_roster(inst.demand, inst.rules, inst.workers, inst.weights, time_limit=time_limit)
    placed = sorted({a.worker_id for a in plan.assignments})
    rng = np.random.default_rng(REPLAN_SEED)
    absent = set(rng.choice(placed, size=round(REPLAN_ABSENT_SHARE * len(placed)), replace=False).tolist())
    workers = mark_unavailable(inst.workers, absent, tuple(s.id for s in inst.demand.shifts))
    before = tuple(FixedPost(a.worker_id, a.site_id, a.role, a.shift) for a in plan.assignments)
    started = time.perf_counter()
    after = solve_roster(inst.demand, inst.rules, workers, inst.weights, time_limit=time_limit, previous=before)
    seconds = time.perf_counter() - started
    freed = sum(a.worker_id in absent for a in plan.assignments)
    return {"instance": inst.name, "absent": len(absent), "freed_posts": freed, "seconds": seconds,
            "status": after.stats.status, "changed": changed_assignments(before, after),
            "short": after.short_posts}


def print_replans(rows: list[dict]) -> None:
    print("\nReplanning after a seeded 10 % of the people placed drop out (whole replan, both stages)")
    print(table(["instance", "absent", "freed posts", "seconds", "status", "changed posts", "still short"],
                [[r["instance"], _num(r["absent"]), _num(r["freed_posts"]), _num(r["seconds"], 2), r["status"],
                  _num(r["changed"]), _num(r["short"])] for r in rows]))


def machine() -> dict:
    def ver(package: str) -> str:
        try:
            return version(package)
        except PackageNotFoundError:
            return "not installed"

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {"cores": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "platform": platform.platform(),
            "ortools": ver("ortools"), "highspy": ver("highspy")}


def _num(value, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:,.{digits}f}"


def _pct(value) -> str:
    return "-" if value is None or math.isnan(value) else f"{100 * value:.2f}%"


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def print_results(rows: list[dict]) -> None:
    print("\nInstances (problem and model built once; times in seconds)")
    print(table(["instance", "posts", "people", "groups", "eligible", "candidates", "variables", "constraints",
                 "build", "formulate"],
                [[r["instance"], _num(r["posts"]), _num(r["people"]), _num(r["groups"]), _num(r["eligible_pairs"]),
                  _num(r["candidate_pairs"]), _num(r["variables"]), _num(r["constraints"]),
                  _num(r["build_problem_s"], 2), _num(r["formulate_s"], 2)] for r in rows]))
    print("\nSolvers (objective in points; 'rescored' = scoring.score over the chosen pairs)")
    out = []
    for r in rows:
        for solver in ("cpsat", "highs"):
            f = r[solver]
            check = "-" if math.isnan(f["rescored"]) else ("MISMATCH " + _num(f["rescored"]) if f["mismatch"] else "ok")
            out.append([r["instance"], solver, f["status"], _num(f["seconds"], 2), _num(f["objective"]),
                        _num(f["bound"]), _pct(f["gap"]), _num(f["shortfall"]), check])
        g = r["greedy"]
        worse = (g["objective"] - r["cpsat"]["objective"]) / r["cpsat"]["objective"] if r["cpsat"]["objective"] else math.nan
        out.append([r["instance"], "greedy", f"+{_pct(worse)} vs CP-SAT", _num(g["seconds"], 2), _num(g["objective"]),
                    "-", "-", _num(g["shortfall"]), "-"])
    print(table(["instance", "solver", "status", "seconds", "objective", "bound", "gap", "shortfall", "rescored"], out))


def print_terms(rows: list[dict]) -> None:
    print("\nObjective by term (points): CP-SAT / greedy")
    terms = list(rows[0]["greedy"]["terms"])
    print(table(["instance", *terms],
                [[r["instance"], *(f"{_num(r['cpsat']['terms'].get(t))} / {_num(r['greedy']['terms'][t])}"
                                    for t in terms)] for r in rows]))


def print_sweep(rows: list[dict]) -> None:
    print(f"\nCP-SAT parameter and model alternatives (overrides on top of TUNED_PARAMETERS; seconds = median of "
          f"seeds 0-{SWEEP_SEEDS - 1} when seed 0 took under {REPEAT_BELOW_S:g} s, else seed 0 alone)")
    print(table(["instance", "configuration", "variables", "optimal", "seconds", "min-max", "objective", "bound", "gap"],
                [[r["instance"], r["config"], _num(r["variables"]), f"{r['optimal']}/{r['runs']}",
                  _num(r["seconds"], 2), f"{r['seconds_min']:.1f}-{r['seconds_max']:.1f}", _num(r["objective"]),
                  _num(r["bound"]), _pct(r["gap"])] for r in rows]))


def _plain(value):
    """JSON without NaN: NaN (no solution, no bound) becomes null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="only the two real 2022 elections")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per solve (default 60)")
    parser.add_argument("--sweep", action="store_true", help="also measure CP-SAT parameter alternatives")
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this file too")
    parser.add_argument("--pools", nargs="*", type=int, metavar="SIZE",
                        help=f"also plan 2022 presidential with seeded pools of these sizes (default "
                             f"{', '.join(f'{n:,}' for n in POOL_SIZES)}), each in its own subprocess")
    parser.add_argument("--pools-only", action="store_true", help="only the pool sizes")
    args = parser.parse_args(argv)

    info = machine()
    print(f"machine: {info['cores']} cores ({info['cpu']}), Python {info['python']}, ortools {info['ortools']}, "
          f"highspy {info['highspy']}, {info['platform']}")
    print(f"CP-SAT tuned parameters: {TUNED_PARAMETERS}; HiGHS threads={HIGHS_THREADS}; "
          f"time limit {args.time_limit:g} s per solve", flush=True)

    started = time.perf_counter()
    pools = []
    if args.pools is not None or args.pools_only:
        pools = [measure(size) for size in (args.pools or POOL_SIZES)]
        print_pools(pools)
    if args.pools_only:
        if args.json:
            args.json.write_text(json.dumps(_plain({"machine": info, "pools": pools}), ensure_ascii=False, indent=2))
        return 0
    real = real_instances()
    instances = list(real.values())
    if not args.quick:
        instances += [tile(real["2022-local"], k) for k in TILES]
    rows = [run_instance(inst, args.time_limit) for inst in instances]
    print_results(rows)
    print_terms(rows)
    replans = [run_replan(inst, args.time_limit) for inst in real.values()]
    print_replans(replans)
    sweep = []
    if args.sweep:
        for inst in real.values():
            sweep += run_sweep(inst, args.time_limit)
        print_sweep(sweep)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    total = time.perf_counter() - started
    print(f"\npeak memory (ru_maxrss): {peak_mb:,.0f} MiB; whole run {total:,.1f} s")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(_plain({"machine": info, "time_limit": args.time_limit,
                                         "tuned_parameters": TUNED_PARAMETERS, "instances": rows, "replans": replans, "sweep": sweep, "pools": pools,
                                         "peak_rss_mib": peak_mb, "total_seconds": total}),
                                        ensure_ascii=False, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
