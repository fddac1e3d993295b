"""Solve a ``LinearModel`` with OR-Tools CP-SAT; turn its answer into plain values at once."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .formulation import LinearModel

# Measured on the 2022 elections (docs/performance.md): one worker with the LP at every
# node and presolve off proves optimality fastest on this near-integral model, and one
# worker is deterministic: the same model and seed give the same roster on any machine.
# Probing finds nothing on it (no conflicts at all) and cost a fifth of the time on the large units.
TUNED_PARAMETERS = {
    "num_workers": 1,
    "linearization_level": 2,
    "add_lp_constraints_lazily": False,
    "cp_model_presolve": False,
    "cp_model_probing_level": 0,
    "log_search_progress": False,
}

STATUS = {
    cp_model.OPTIMAL: "OPTIMAL",
    cp_model.FEASIBLE: "FEASIBLE",
    cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.MODEL_INVALID: "MODEL_INVALID",
    cp_model.UNKNOWN: "UNKNOWN",
}


@dataclass(frozen=True)
class SolverResult:
    status: str
    values: list[int]
    objective: float
    best_bound: float
    seconds: float


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: Callable[[float, float], None]) -> None:
        super().__init__()
        self._report = report

    def on_solution_callback(self) -> None:
        self._report(self.ObjectiveValue(), self.BestObjectiveBound())


def solve_cpsat(lm: LinearModel, *, time_limit: float, seed: int = 0, overrides: dict | None = None,
                hint: dict[int, int] | None = None, progress: Callable[[float, float], None] | None = None) -> SolverResult:
    """Minimise ``lm``'s objective with CP-SAT; ``overrides`` replaces any tuned parameter (the benchmark uses it)."""
    started = time.perf_counter()
    model = cp_model.CpModel()
    variables = [
        model.new_bool_var(name) if (lo, hi) == (0, 1) else model.new_int_var(lo, hi, name)
        for name, lo, hi in zip(lm.names, lm.lower, lm.upper)
    ]
    for name, idx, coefs, lo, hi in lm.rows:
        expr = cp_model.LinearExpr.weighted_sum([variables[i] for i in idx], coefs)
        if lo == hi:
            model.add(expr == int(lo)).with_name(name)
        else:
            if lo != -math.inf:
                model.add(expr >= int(math.ceil(lo))).with_name(name)
            if hi != math.inf:
                model.add(expr <= int(math.floor(hi))).with_name(name)
    objective = lm.objective()
    model.minimize(cp_model.LinearExpr.weighted_sum([variables[i] for i in objective], list(objective.values())))
    for index, value in sorted((hint or {}).items()):
        model.add_hint(variables[index], value)

    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = time_limit
    params.random_seed = seed
    for key, value in {**TUNED_PARAMETERS, **(overrides or {})}.items():
        setattr(params, key, value)
    status = solver.solve(model, _Progress(progress) if progress else None)
    name = STATUS.get(status, str(status))
    if name in ("OPTIMAL", "FEASIBLE"):
        values = [int(solver.value(v)) for v in variables]
        objective_value, bound = solver.objective_value, solver.best_objective_bound
    else:
        values, objective_value, bound = [], math.nan, math.nan
    return SolverResult(status=name, values=values, objective=objective_value, best_bound=bound,
                        seconds=time.perf_counter() - started)
