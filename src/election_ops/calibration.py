"""Fit one rules parameter to a published total (``election-ops rules calibrate``).

The shipped rules were calibrated to 금천구's published 2022 totals (docs/demand.md).
Another district fits its own: scan one parameter (e.g. ``roles.polling.register_check.step``)
over a range, recompute the demand for each value and report every interval of values whose
total equals the office's published figure.

The scan is a coarse grid refined by bisection wherever the total changes between two grid
points, so it finds each change point to the ``by`` resolution in a few dozen demand
computations. It assumes the total does not leave and come back to the same value between
two neighbouring grid points (true of the monotone rules: a larger step never adds people).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from pathlib import Path

from .demand import compute_demand
from .domain import SiteKind
from .errors import InputError, UsageError
from .io.rules import apply_overrides, parse_rules
from .io.yamlfile import read_yaml

INT_FIELDS = ("base", "per_entrance", "per_step", "free", "step", "max")
COARSE_POINTS = 64


@dataclass(frozen=True)
class Calibration:
    param: str
    target: int
    kinds: tuple[SiteKind, ...]
    lo: float
    hi: float
    by: float
    current: float | None  # the value in the rules (after the scenario's overrides)
    current_total: int
    hits: tuple[tuple[float, float], ...]  # intervals [a, b] of values (on the grid) that give the target
    totals: tuple[int, int]  # the smallest and largest total seen over the range
    evaluations: int

    @property
    def suggested(self) -> float | None:
        """A round value in the middle of the widest interval (None when nothing hits)."""
        if not self.hits:
            return None
        lo, hi = max(self.hits, key=lambda h: (h[1] - h[0], -h[0]))
        mid = (lo + hi) / 2
        third = (hi - lo) / 3
        unit = 10.0 ** math.floor(math.log10(max(abs(mid), self.by)))
        while unit >= self.by:
            for step in (unit * 5, unit):
                value = round(round(mid / step) * step, 9)
                if mid - third <= value <= mid + third and lo <= value <= hi:
                    return _number(value, self.by)
            unit /= 10
        return _number(lo, self.by)

    def override(self, value: float) -> dict:
        """The scenario ``rule_overrides`` that set the parameter to ``value``."""
        return _override(_split(self.param), _number(value, self.by))


def _number(value: float, by: float) -> float | int:
    return round(value) if float(by).is_integer() and float(value).is_integer() else value


def _split(param: str) -> tuple[str, ...]:
    """``roles.polling.register_check.step`` (or ``polling.register_check.step``) -> its parts."""
    parts = tuple(param.split("."))
    if parts and parts[0] in {k.value for k in SiteKind} and len(parts) == 3:
        parts = ("roles", *parts)  # the form the old script took
    if not all(parts) or len(parts) < 2 or (parts[0] == "roles" and len(parts) != 4):
        raise UsageError(f"--param {param}: write roles.<site_kind>.<role>.<field> "
                         "(e.g. roles.polling.register_check.step) or a dotted rules key (e.g. early_voting.out_of_district_ratio)")
    return parts


def _override(parts: tuple[str, ...], value) -> dict:
    if parts[0] == "roles":
        return {"roles": {f"{parts[1]}.{parts[2]}": {parts[3]: value}}}
    out: dict = {parts[-1]: value}
    for key in reversed(parts[:-1]):
        out = {key: out}
    return out


def _current(data: dict, parts: tuple[str, ...], param: str, path: Path) -> float | None:
    if parts[0] == "roles":
        row = next((r for r in data.get("roles", []) if isinstance(r, dict)
                    and r.get("site_kind") == parts[1] and r.get("role") == parts[2]), None)
        if row is None:
            known = ", ".join(f"roles.{r.get('site_kind')}.{r.get('role')}" for r in data.get("roles", []) if isinstance(r, dict))
            raise UsageError(f"--param {param}: the rules file {path} has no role {parts[1]}.{parts[2]}; roles: {known}")
        value = row.get(parts[3])
    else:
        value = data
        for key in parts:
            value = value.get(key) if isinstance(value, dict) else None
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise UsageError(f"--param {param}: its value in {path} is {value!r}, not a number")
    return value


def calibrate(scenario_path: Path, param: str, target: int, *, kinds: tuple[SiteKind, ...] | None = None,
              lo: float | None = None, hi: float | None = None, by: float | None = None) -> Calibration:
    """Every interval of ``param`` values in [lo, hi] (on a grid of ``by``) whose demand total is ``target``."""
    from .pipeline import load_inputs

    inputs = load_inputs(scenario_path)  # checks the scenario, its data and its rules as they are
    scenario = inputs.scenario
    parts = _split(param)
    raw = read_yaml(scenario.rules)
    data = apply_overrides(raw, scenario.rule_overrides, scenario.rules) if scenario.rule_overrides else raw
    current = _current(data, parts, param, scenario.rules)
    if kinds is None:
        kind = parts[1] if parts[0] == "roles" else None
        kinds = (SiteKind.counting,) if kind == SiteKind.counting.value else (SiteKind.polling, SiteKind.early)
    integer = parts[0] == "roles" and parts[3] in INT_FIELDS
    if lo is None or hi is None:
        if not current:
            raise UsageError(f"--param {param} has no value in the rules to scan around; give --lo and --hi")
        lo = current / 3 if lo is None else lo
        hi = current * 3 if hi is None else hi
    if by is None:
        by = 1.0 if integer else 10.0 ** (math.floor(math.log10(max(abs(hi), 1e-9))) - 3)
    if not (by > 0 and hi >= lo):
        raise UsageError(f"the range [--lo {lo:g}, --hi {hi:g}] by {by:g} is empty; give --lo <= --hi and --by > 0")
    if integer:
        lo, hi, by = math.ceil(lo), math.floor(hi), max(1, round(by))
    elif lo is not None:  # grid values are whole multiples of by: 0.317, not 0.316667
        lo, hi = round(math.ceil(lo / by - 1e-9) * by, 9), round(math.floor(hi / by + 1e-9) * by, 9)

    cache: dict[int, int] = {}

    def total(k: int) -> int:  # k-th grid value
        if k not in cache:
            value = _number(round(lo + k * by, 9), by)
            try:
                rules = parse_rules(apply_overrides(data, _override(parts, value), scenario.rules), scenario.rules)
            except InputError as exc:
                raise UsageError(f"--param {param} = {value:g} is not a valid rules value ({exc.problem}); "
                                 "narrow --lo/--hi") from None
            cache[k] = compute_demand(inputs.district, scenario.election, rules, scenario.assumptions()).total(*kinds)
        return cache[k]

    n = math.floor((hi - lo) / by + 1e-9)
    grid = sorted({round(i * n / (COARSE_POINTS - 1)) for i in range(COARSE_POINTS)}) if n >= COARSE_POINTS else list(range(n + 1))

    def refine(a: int, b: int) -> None:
        if b - a <= 1 or total(a) == total(b):
            return
        m = (a + b) // 2
        total(m)
        refine(a, m)
        refine(m, b)

    total(grid[0])
    for a, b in itertools.pairwise(grid):
        total(a), total(b)
        refine(a, b)
    points = sorted(cache)
    hits: list[tuple[float, float]] = []
    start = None
    for i, k in enumerate(points):
        if cache[k] == target and start is None:
            start = k
        if start is not None and (cache[k] != target or i == len(points) - 1):
            end = k if cache[k] == target else points[i - 1]
            hits.append((_number(round(lo + start * by, 9), by), _number(round(lo + end * by, 9), by)))
            start = None
    current_total = compute_demand(inputs.district, scenario.election, inputs.rules, scenario.assumptions()).total(*kinds)
    return Calibration(param=".".join(parts), target=target, kinds=kinds, lo=lo, hi=hi, by=by, current=current,
                       current_total=current_total, hits=tuple(hits),
                       totals=(min(cache.values()), max(cache.values())), evaluations=len(cache))


def calibrated_scenario(result: Calibration, scenario_path: Path, out: Path, value: float) -> str:
    """The text of a scenario that builds on ``scenario_path`` with the parameter set to ``value``."""
    import os

    import yaml

    base = Path(os.path.relpath(scenario_path.resolve(), out.resolve().parent)).as_posix()
    kinds = "+".join(k.value for k in result.kinds)
    body = {"base": base, "rule_overrides": result.override(value)}
    return (f"# Written by election-ops rules calibrate: {result.param} = {value:g} gives {result.target} "
            f"({kinds});\n# values {', '.join(f'{a:g}-{b:g}' for a, b in result.hits)} all do.\n"
            + yaml.safe_dump(body, allow_unicode=True, sort_keys=False))
