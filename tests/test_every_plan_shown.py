"""Every plan the product writes can be drawn and compared: lines that never clear, short plans, the reserves.

Two solves for the file: the reserves scenario, and the presidential election with a 600-person pool
(59 posts short, two stations with no ballot clerk: their line never clears).
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from matplotlib.colors import to_rgba
from typer.testing import CliRunner

from election_ops.cli import app
from election_ops.pipeline import load_inputs, plan_demand
from election_ops.reports.maps import UNBOUNDED_COLOUR
from election_ops.waits import UNBOUNDED_KO, WaitModel, demand_waits, station_waits

matplotlib.use("Agg")
runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]


def test_reserves_scenario_predicts_finite_early_voting_waits():
    """The standby role sits at early-voting stations on election day: that is no third voting day."""
    inputs = load_inputs(REPO / "scenarios" / "2022-presidential-reserves.yaml")
    plain = load_inputs(REPO / "scenarios" / "2022-presidential.yaml")
    waits = {w.site_id: w for w in demand_waits(plan_demand(inputs), ballots_per_voter=7,
                                                early_voting=inputs.rules.early_voting, model=inputs.rules.waits)}
    same = {w.site_id: w for w in demand_waits(plan_demand(plain), ballots_per_voter=7,
                                               early_voting=plain.rules.early_voting, model=plain.rules.waits)}
    early = [s for s, w in waits.items() if w.site_kind == "early"]
    assert len(early) == 10
    for site in early:
        assert math.isfinite(waits[site].worst_wait_min)
        assert waits[site].worst_wait_min == same[site].worst_wait_min  # standby changes no line


def test_a_stage_without_clerks_never_clears_and_says_so():
    wait = station_waits("X-1", "polling", 2000, 7, {"register_check": 2}, WaitModel())
    assert wait.unbounded and math.isinf(wait.worst_wait_min)
    assert UNBOUNDED_KO in wait.note and "ballot" in wait.note
    row = wait.row()
    assert math.isinf(row["worst_wait_min"]) and row["over_target"] is True
    staffed = station_waits("X-1", "polling", 2000, 7, {"register_check": 2, "ballot_issue": 2}, WaitModel())
    assert not staffed.unbounded and UNBOUNDED_KO not in staffed.note


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("shown")
    pool = root / "pool600.csv"
    result = runner.invoke(app, ["staff", "generate", "--out", str(pool), "--size", "600",
                                 "--scenario", str(REPO / "scenarios" / "2022-presidential.yaml")])
    assert result.exit_code == 0, result.output
    short = root / "short"
    result = runner.invoke(app, ["solve", str(REPO / "scenarios" / "2022-presidential.yaml"), "--staff", str(pool),
                                 "--out", str(short), "--time-limit", "20"])
    assert result.exit_code == 3, result.output
    reserves = root / "reserves"
    result = runner.invoke(app, ["solve", str(REPO / "scenarios" / "2022-presidential-reserves.yaml"),
                                 "--out", str(reserves), "--time-limit", "20"])
    assert result.exit_code == 0, result.output
    return {"short": short, "reserves": reserves, "root": root}


def test_reserves_plan_writes_no_unbounded_wait_and_draws(plans, tmp_path):
    waits = pd.read_csv(plans["reserves"] / "waits.csv")
    assert waits["worst_wait_min"].map(math.isfinite).all()
    result = runner.invoke(app, ["map", str(plans["reserves"]), "--out", str(tmp_path / "map.png")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "map.png").stat().st_size > 10_000


def test_short_plan_with_unbounded_lines_draws_with_their_own_colour(plans, tmp_path, monkeypatch):
    waits = pd.read_csv(plans["short"] / "waits.csv")
    unbounded = set(waits.loc[waits["worst_wait_min"].map(math.isinf), "site_id"])
    assert unbounded  # written as inf, read back as infinity
    assert all(UNBOUNDED_KO in n for n in waits.loc[waits["site_id"].isin(unbounded), "note"])

    import matplotlib.pyplot as plt

    figures: list = []
    close = plt.close
    monkeypatch.setattr(plt, "close", figures.append)
    try:
        result = runner.invoke(app, ["map", str(plans["short"]), "--out", str(tmp_path / "map.png")])
        assert result.exit_code == 3, result.output  # the plan's own code: drawn, and still short
        assert "internal error" not in result.output
        (ax, *_) = figures[-1].axes
        purple = [c for c in ax.collections if c.get_label().endswith(UNBOUNDED_KO)]
        assert sum(len(c.get_offsets()) for c in purple) == len(unbounded)
        assert all(tuple(rgba) == to_rgba(UNBOUNDED_COLOUR) for c in purple for rgba in c.get_facecolors())
        labels = [t.get_text() for t in ax.texts]
        assert {f"{site} {UNBOUNDED_KO}" for site in unbounded} <= set(labels)
    finally:
        for figure in figures:
            close(figure)


def test_compare_shows_unbounded_lines_and_exits_with_the_plans_code(plans):
    out = plans["root"] / "compare"
    result = runner.invoke(app, ["compare", str(plans["reserves"]), str(plans["short"]), "--out", str(out)])
    assert result.exit_code == 3, result.output
    text = (out / "comparison.md").read_text(encoding="utf-8")
    assert UNBOUNDED_KO in text and "inf" not in text.replace("info", "")
    assert (out / "comparison.xlsx").exists()


def test_roster_names_the_unbounded_line(plans):
    from openpyxl import load_workbook

    book = load_workbook(plans["short"] / "roster.xlsx", read_only=True)
    cells = {str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None}
    assert UNBOUNDED_KO in cells
