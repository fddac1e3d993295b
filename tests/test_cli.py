"""The command line: version, help, demand output files and how bad input is reported."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from election_ops import __version__
from election_ops.cli import app

runner = CliRunner()
COMMANDS = sorted(typer.main.get_command(app).commands)
ISO_MINUTE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"election-ops {__version__}\n"


def test_python_dash_m_version(repo_root):
    done = subprocess.run([sys.executable, "-m", "election_ops", "--version"], capture_output=True, text=True,
                          timeout=120, cwd=repo_root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"election-ops {__version__}"


def test_demand_command_exists():
    assert "demand" in COMMANDS


@pytest.mark.parametrize("command", [[]] + [[c] for c in COMMANDS], ids=["app"] + COMMANDS)
def test_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("scenario", "poll", "count", "election_day"),
    [("2022-presidential.yaml", 727, 72, "2022-03-09"), ("2022-local.yaml", 984, 85, "2022-06-01")],
)
def test_demand_writes_requirements_sites_and_shifts(repo_root, tmp_path, scenario, poll, count, election_day):
    out = tmp_path / "out"
    result = runner.invoke(app, ["demand", str(repo_root / "scenarios" / scenario), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert str(poll) in result.output and str(count) in result.output

    req = pd.read_csv(out / "requirements.csv", encoding="utf-8")
    assert list(req.columns[:5]) == ["site_id", "site_kind", "role", "shift", "required"]
    assert req["required"].dtype.kind == "i" and (req["required"] > 0).all()
    totals = req.groupby("site_kind")["required"].sum()
    assert totals["polling"] + totals["early"] == poll
    assert totals["counting"] == count

    sites = pd.read_csv(out / "sites.csv", encoding="utf-8", dtype={"lon": float, "lat": float})
    assert list(sites.columns[:7]) == ["site_id", "site_kind", "name", "dong", "lon", "lat", "location_source"]
    assert sites["site_kind"].value_counts().to_dict() == {"polling": 61, "early": 10, "counting": 1}
    assert sites["site_id"].is_unique and set(req["site_id"]) == set(sites["site_id"])
    assert sites["lon"].between(126.8, 127.0).all() and sites["lat"].between(37.4, 37.5).all()
    assert set(sites["location_source"]) == {"approximate"}

    shifts = pd.read_csv(out / "shifts.csv", encoding="utf-8", dtype=str)
    assert list(shifts.columns[:3]) == ["shift", "start", "end"]
    assert set(shifts["shift"]) == {"early", "eday", "count"} == set(req["shift"])
    assert shifts["start"].str.match(ISO_MINUTE).all() and shifts["end"].str.match(ISO_MINUTE).all()
    eday = shifts.set_index("shift").loc["eday"]
    assert (eday["start"], eday["end"]) == (f"{election_day}T05:00", f"{election_day}T20:00")
    assert shifts.set_index("shift").loc["count", "start"] == f"{election_day}T18:00"


def test_demand_without_arguments_plans_the_default_scenario():
    result = runner.invoke(app, ["demand"])
    assert result.exit_code == 0, result.output
    assert "727" in result.output


def _break_sites(root: Path) -> Path:
    sites = root / "data/precincts/geumcheon/sites.csv"
    sites.write_text(sites.read_text(encoding="utf-8").replace(",가산동,126.884195,", ",가산9동,126.884195,", 1),
                     encoding="utf-8")
    return root / "scenarios/2022-presidential.yaml"


def _break_yaml(root: Path) -> Path:
    scenario = root / "scenarios/2022-presidential.yaml"
    scenario.write_text(scenario.read_text(encoding="utf-8").replace("turnout_scale:", "turnout_scal:"),
                        encoding="utf-8")
    return scenario


@pytest.mark.parametrize(
    ("break_", "names"),
    [
        (_break_sites, ["sites.csv", "row 3", "column 'dong'", "'가산9동'", "unknown 동"]),
        (_break_yaml, ["2022-presidential.yaml", "column 'turnout_scal'", "unknown key"]),
        (lambda root: root / "scenarios/no-such-scenario.yaml", ["no-such-scenario.yaml", "file not found"]),
    ],
    ids=["bad-data-file", "bad-scenario-key", "missing-scenario"],
)
def test_invalid_scenario_exits_2_with_a_readable_message_and_no_output(copy_district, break_, names):
    scenario = break_(copy_district)
    out = copy_district / "out"
    result = runner.invoke(app, ["demand", str(scenario), "--out", str(out)])
    assert result.exit_code == 2
    text = " ".join(result.output.split())  # rich may wrap long lines
    assert text.startswith("error:")
    for name in names:
        assert name in text
    assert "fix:" in text
    assert "Traceback" not in result.output
    assert not out.exists()
