"""Solve the same ``LinearModel`` with HiGHS (through highspy), for the benchmark's comparison."""

from __future__ import annotations

import math
import time

import highspy
import numpy as np

from election_ops.model.cpsat import SolverResult
from election_ops.model.formulation import LinearModel


def solve_highs(lm: LinearModel, *, time_limit: float, threads: int = 2) -> SolverResult:
    started = time.perf_counter()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("threads", threads)
    h.setOptionValue("mip_rel_gap", 0.0)
    n = len(lm.names)
    objective = lm.objective()
    cost = np.zeros(n)
    for var, coef in objective.items():
        cost[var] = coef
    inf = highspy.kHighsInf
    h.addVars(n, np.array(lm.lower, dtype=float), np.array(lm.upper, dtype=float))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger))
    for _, idx, coefs, lo, hi in lm.rows:
        h.addRow(-inf if lo == -math.inf else lo, inf if hi == math.inf else hi, len(idx),
                 np.array(idx, dtype=np.int32), np.array(coefs, dtype=float))
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    name = {highspy.HighsModelStatus.kOptimal: "OPTIMAL"}.get(status, h.modelStatusToString(status))
    values = [round(v) for v in h.getSolution().col_value] if info.primal_solution_status else []
    if values and name != "OPTIMAL":
        name = "FEASIBLE"
    return SolverResult(status=name, values=values, objective=info.objective_function_value if values else math.nan,
                        best_bound=info.mip_dual_bound, seconds=time.perf_counter() - started)
