"""Regenerate the synthetic staff pool (인력풀) from a scenario's district data.

Run from the repository root:

    python scripts/generate_staff.py --scenario scenarios/2022-presidential.yaml \
        --departments data/staff/departments.csv --seed 2022 --size 1300 --out data/staff/geumcheon-2022.csv

(the shipped 금천구 pool). Without --size the pool is sized for the scenario's demand; without
--departments its divisions are a generic 구청/시청/군청 set.

Deterministic: the same arguments and data files give a byte-identical CSV.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from election_ops.pipeline import load_inputs, plan_demand
from election_ops.staffgen import (
    DEFAULT_DONG_CENTER_SIZE,
    generate_sized_pool,
    generate_staff,
    write_generic_departments,
    write_staff_csv,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--size", type=int, help="number of people in the pool (default: sized for the demand)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--scenario", type=Path, required=True,
                        help="scenario whose district data (동, electors, boundaries) the pool is drawn from")
    parser.add_argument("--departments", type=Path, help="departments file (default: a generic set of divisions)")
    parser.add_argument("--dong-center-size", type=int, default=DEFAULT_DONG_CENTER_SIZE,
                        help="staff per 동 주민센터, relative to the division sizes")
    args = parser.parse_args()
    if args.size is not None and args.size < 1:
        parser.error("--size must be at least 1")

    inputs = load_inputs(args.scenario)
    with tempfile.TemporaryDirectory() as tmp:
        departments = args.departments
        if departments is None:
            departments = Path(tmp) / "departments.csv"
            write_generic_departments(departments)
        if args.size is not None:
            frame = generate_staff(inputs.district, inputs.scenario.data.boundaries, departments, seed=args.seed,
                                   size=args.size, dong_center_size=args.dong_center_size)
        else:
            frame = generate_sized_pool(inputs.district, inputs.scenario.data.boundaries, departments,
                                        plan_demand(inputs), inputs.rules, seed=args.seed)
    write_staff_csv(frame, args.out)
    print(f"wrote {len(frame)} people to {args.out}")


if __name__ == "__main__":
    main()
