"""election-ops rules calibrate: fit a rules parameter to a district's published total."""

from __future__ import annotations

from typer.testing import CliRunner

from election_ops.calibration import calibrate
from election_ops.cli import app
from election_ops.domain import SiteKind
from election_ops.pipeline import load_inputs, plan_demand

runner = CliRunner()


def test_calibrate_finds_the_published_presidential_poll_total(presidential_scenario):
    result = calibrate(presidential_scenario, "roles.polling.register_check.step", 727, lo=800, hi=1100)
    assert result.kinds == (SiteKind.polling, SiteKind.early)
    assert result.current == 930 and result.current_total == 727
    assert result.hits == ((906, 954),)  # the range docs/demand.md records
    assert result.suggested == 930
    assert result.override(930) == {"roles": {"polling.register_check": {"step": 930}}}


def test_calibrate_command_prints_the_range_and_writes_a_scenario(copy_district):
    scenario = copy_district / "scenarios" / "2022-presidential.yaml"
    out = copy_district / "scenarios" / "calibrated.yaml"
    result = runner.invoke(app, ["rules", "calibrate", str(scenario), "--param", "roles.counting.count_opening.step",
                                 "--target", "73", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "gives 73" in result.output
    written = load_inputs(out)
    assert written.scenario.bases  # builds on the scenario it calibrated
    demand = plan_demand(written)
    assert demand.total(SiteKind.counting) == 73
    assert demand.total(SiteKind.polling, SiteKind.early) == 727  # nothing else changed


def test_calibrate_says_when_no_value_hits_and_exits_2(presidential_scenario, tmp_path):
    out = tmp_path / "x.yaml"
    result = runner.invoke(app, ["rules", "calibrate", str(presidential_scenario), "--param",
                                 "roles.polling.register_check.step", "--target", "5000", "--out", str(out)])
    assert result.exit_code == 2
    assert "no value of roles.polling.register_check.step" in result.output and "5000" in result.output
    assert not out.exists()
    result = runner.invoke(app, ["rules", "calibrate", str(presidential_scenario), "--param", "roles.polling.nope.step",
                                 "--target", "727"])
    assert result.exit_code == 2 and "no role polling.nope" in result.output


def test_a_non_role_parameter_is_calibrated_too(presidential_scenario):
    result = calibrate(presidential_scenario, "early_voting.out_of_district_ratio", 727)
    assert any(a <= 0.35 <= b for a, b in result.hits)
    assert result.by == 0.001
