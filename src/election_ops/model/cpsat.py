"""Solve a ``LinearModel`` with OR-Tools CP-SAT; turn its answer into plain values at once."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .formulation import LinearModel

INTERLEAVE = True
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


def solve_cpsat(lm: LinearModel, *, time_limit: float, seed: int = 0, workers: int = 2,
                hint: list[int] | None = None, progress: Callable[[float, float], None] | None = None) -> SolverResult:
    """Minimise ``lm``'s objective.

    ``interleave_search`` makes the parallel search deterministic (the same model and
    seed give the same answer, whatever the machine's timing), which an auditable
    roster needs; see docs/performance.md for what it costs.
    """
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
    if hint is not None:
        for var, value in zip(variables, hint):
            model.add_hint(var, value)

    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = time_limit
    params.num_workers = workers
    params.random_seed = seed
    params.interleave_search = INTERLEAVE
    import os
    for kv in os.environ.get("CPSAT", "").split(","):
        if kv:
            k, val = kv.split("=")
            setattr(params, k, type(getattr(params, k))(eval(val)))
    params.log_search_progress = False
    status = solver.solve(model, _Progress(progress) if progress else None)
    name = STATUS.get(status, str(status))
    if name in ("OPTIMAL", "FEASIBLE"):
        values = [int(solver.value(v)) for v in variables]
        objective_value, bound = solver.objective_value, solver.best_objective_bound
    else:
        values, objective_value, bound = [], math.nan, math.nan
    return SolverResult(status=name, values=values, objective=objective_value, best_bound=bound,
                        seconds=time.perf_counter() - started)
