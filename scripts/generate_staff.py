"""Regenerate the synthetic staff pool (인력풀) from a scenario's district data.

Run from the repository root:

    python scripts/generate_staff.py [--seed 2022] [--size 1300] [--out data/staff/geumcheon-2022.csv]

Deterministic: the same arguments and data files give a byte-identical CSV.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from election_ops.pipeline import load_inputs
from election_ops.staffgen import DEFAULT_DONG_CENTER_SIZE, generate_staff, write_staff_csv


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--size", type=int, default=1300, help="number of people in the pool")
    parser.add_argument("--out", type=Path, default=Path("data/staff/geumcheon-2022.csv"))
    parser.add_argument("--scenario", type=Path, default=Path("scenarios/2022-presidential.yaml"),
                        help="scenario whose district data (동, electors, boundaries) the pool is drawn from")
    parser.add_argument("--departments", type=Path, default=Path("data/staff/departments.csv"))
    parser.add_argument("--dong-center-size", type=int, default=DEFAULT_DONG_CENTER_SIZE,
                        help="staff per 동 주민센터, relative to the division sizes")
    args = parser.parse_args()
    if args.size < 1:
        parser.error("--size must be at least 1")

    inputs = load_inputs(args.scenario)
    frame = generate_staff(inputs.district, inputs.scenario.data.boundaries, args.departments, seed=args.seed,
                           size=args.size, dong_center_size=args.dong_center_size)
    write_staff_csv(frame, args.out)
    print(f"wrote {len(frame)} people to {args.out}")


if __name__ == "__main__":
    main()
