"""Cost follows the posts: the 2022 presidential plan (799 posts) with staff pools of 1,300 to 200,000 people.

    .venv/bin/python bench/bench.py --pools                  # 1,300 / 10,000 / 50,000 / 200,000 people
    .venv/bin/python bench/pools.py 1300 10000               # some sizes only

Each pool is made once by the seeded generator (``election-ops staff generate --seed 2022
--size N``; the 1,300 one is byte for byte the shipped ``data/staff/geumcheon-2022.csv``)
and cached under ``<temp dir>/election-ops-bench/``, not in git. Each plan runs in a
subprocess of its own (``pools.py --run FILE``) that times its stages like ``election-ops
solve`` runs them; the parent reads that child's own resource use with ``os.wait4``: wall
seconds, CPU seconds (user + system: on a shared machine the fairer figure) and peak
resident memory. The child's address space is capped at ``MEMORY_CAP`` bytes, so a
regression fails with MemoryError instead of taking the machine.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "2022-presidential.yaml"
POOL_SIZES = (1_300, 10_000, 50_000, 200_000)
SEED = 2022
MEMORY_CAP = 6_000_000_000  # bytes of address space per plan (the target is 2 GiB resident)
TIME_LIMIT = 60.0
CACHE = Path(tempfile.gettempdir()) / "election-ops-bench"


def pool_file(size: int) -> Path:
    """The seeded pool of ``size`` people, generated on first use."""
    path = CACHE / f"staff-{size}-seed{SEED}.csv"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"  generating a pool of {size:,} people -> {path}", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "election_ops", "staff", "generate", "--out", str(path),
                        "--size", str(size), "--seed", str(SEED)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return path


def _stage(times: dict, name: str, started: tuple[float, float]) -> tuple[float, float]:
    now = (time.perf_counter(), time.process_time())
    times[name] = {"wall_s": now[0] - started[0], "cpu_s": now[1] - started[1]}
    return now


def run_plan(staff: Path) -> dict:
    """In the child: the stages of ``election-ops solve`` on ``staff``, timed one by one."""
    from election_ops.pipeline import Solved, load_inputs, plan_demand, plan_roster, write_solved

    times: dict = {}
    t = (time.perf_counter(), time.process_time())
    inputs = load_inputs(SCENARIO, staff=staff)
    t = _stage(times, "load", t)
    demand = plan_demand(inputs)
    plan = plan_roster(inputs, demand, time_limit=TIME_LIMIT)
    t = _stage(times, "plan", t)
    with tempfile.TemporaryDirectory() as out:
        write_solved(Solved(inputs=inputs, demand=demand, plan=plan), Path(out) / "plan")
    _stage(times, "write", t)
    s = plan.stats
    return {"people": len(inputs.workers), "posts": demand.total(), "status": s.status, "objective": s.objective,
            "bound": s.best_bound, "solver_s": s.solve_seconds, "variables": s.variables, "constraints": s.constraints,
            "short": sum(x.short for x in plan.shortfalls), "stages": times}


def measure(size: int) -> dict:
    """One plan in a fresh subprocess: its stages, and its own wall time, CPU time and peak memory."""
    staff = pool_file(size)

    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, __file__, "--run", str(staff)], cwd=ROOT, stdout=subprocess.PIPE)
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    row = {"size": size, "wall_s": time.perf_counter() - started, "cpu_s": usage.ru_utime + usage.ru_stime,
           "peak_rss_mib": usage.ru_maxrss / 1024, "exit": child.returncode}
    if child.returncode == 0:
        row.update(json.loads(output))
    return row


def print_pools(rows: list[dict]) -> None:
    def num(value, digits: int = 0) -> str:
        return "-" if value is None else f"{value:,.{digits}f}"

    def pair(stages: dict, key: str) -> str:
        return f"{num(stages[key]['wall_s'], 1)} / {num(stages[key]['cpu_s'], 1)}" if key in stages else "-"

    print(f"\nPool sizes: 2022 presidential, seeded pools (seed {SEED}); seconds wall / CPU, memory = peak RSS")
    headers = ["people", "status", "objective", "variables", "short", "load s", "plan s", "solver s", "write s",
               "total wall s", "total CPU s", "peak MiB"]
    lines = []
    for r in rows:
        st = r.get("stages", {})
        lines.append([num(r.get("people", r["size"])), r.get("status", f"exit {r['exit']}"), num(r.get("objective")),
                      num(r.get("variables")), num(r.get("short")), pair(st, "load"), pair(st, "plan"),
                      num(r.get("solver_s"), 2), pair(st, "write"), num(r["wall_s"], 1), num(r["cpu_s"], 1),
                      num(r["peak_rss_mib"])])
    widths = [max(len(h), *(len(x[i]) for x in lines)) for i, h in enumerate(headers)]
    for cells in (headers, ["-" * w for w in widths], *lines):
        print("  ".join(c.rjust(w) for c, w in zip(cells, widths)))


def main(argv: list[str]) -> int:
    if argv[:1] == ["--run"]:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))  # before anything big is made
        print(json.dumps(run_plan(Path(argv[1]))))
        return 0
    rows = [measure(int(size)) for size in (argv or POOL_SIZES)]
    print_pools(rows)
    return 0 if all(r["exit"] == 0 for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
