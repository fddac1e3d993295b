"""Benchmark ``country plan``: every count unit through the engine, with per-unit times and peak memory.

    .venv/bin/python bench/country_bench.py                   # all 250 units, Dask, 2 workers
    .venv/bin/python bench/country_bench.py --units 20        # the 20 largest units only
    .venv/bin/python bench/country_bench.py --overhead 16     # + Dask vs a plain process pool on 16 units

Prints the wall time, the distribution of per-unit times (init + demand + solve + write + validate),
the slowest units, the peak memory of the whole process tree (sampled every 0.2 s) and, with
``--overhead``, the same units on a plain ``ProcessPoolExecutor`` and in-process. Every run
writes into a fresh temporary folder, so nothing is reused.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from election_ops.country.run import plan_country
from election_ops.districts import list_units


class TreeMemory:
    """Peak resident memory of this process and all its children (the engine's workers)."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(0.2)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def run(codes: list[str], engine: str, workers: int) -> tuple[float, list[dict], int]:
    with tempfile.TemporaryDirectory(prefix="country-bench-") as tmp, TreeMemory() as memory:
        started = time.perf_counter()
        result = plan_country(Path(tmp) / "run", units=",".join(codes), engine=engine, workers=workers)
        wall = time.perf_counter() - started
    return wall, result.records, memory.peak


def describe(label: str, wall: float, records: list[dict], peak: int) -> None:
    times = sorted(float(r.get("unit_seconds") or 0) for r in records)
    status = {s: sum(r.get("status") == s for r in records) for s in ("planned", "short", "failed", "invalid")}
    gaps = [r for r in records if r.get("gap") not in (None, 0, 0.0)]
    print(f"\n== {label}: {len(records)} units in {wall:,.1f} s wall, peak memory {peak / 2**30:.2f} GiB")
    print(f"   status: {status}; not proven optimal: {len(gaps)}")
    if times:
        q = statistics.quantiles(times, n=20) if len(times) > 1 else times * 19
        print(f"   per unit (s): min {times[0]:.1f}, median {statistics.median(times):.1f}, p90 {q[17]:.1f}, "
              f"max {times[-1]:.1f}, sum {sum(times):,.0f}")
        print(f"   solve only (s): sum {sum(float(r.get('solve_seconds') or 0) for r in records):,.0f}")
    slow = sorted(records, key=lambda r: -float(r.get("unit_seconds") or 0))[:8]
    print("   slowest: " + ", ".join(f"{r['sido']} {r['sigungu']} {float(r.get('unit_seconds') or 0):.1f} s "
                                    f"({r.get('posts_total', '?')} posts)" for r in slow))
    for r in gaps[:10]:
        print(f"   gap {r['code']} {r['sigungu']}: {r.get('gap')} ({r.get('solver_status')})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=0, help="only the N largest units (default: all)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--overhead", type=int, default=0, help="compare engines on this many units too")
    args = parser.parse_args(argv)
    units = sorted(list_units(), key=lambda u: -u.registered_electors)
    chosen = units[: args.units] if args.units else units
    codes = [u.code for u in chosen]
    wall, records, peak = run(codes, "dask", args.workers)
    describe(f"dask, {args.workers} workers", wall, records, peak)
    if args.overhead:
        # a spread of sizes: every k-th unit from the largest down
        step = max(1, len(units) // args.overhead)
        sample = [u.code for u in units[::step][: args.overhead]]
        for engine in ("dask", "process", "local"):
            wall, records, peak = run(sample, engine, args.workers)
            describe(f"overhead sample, {engine}", wall, records, peak)
    return 0


if __name__ == "__main__":
    sys.exit(main())
