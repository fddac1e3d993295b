"""Shared fixtures: where the shipped scenarios are, and a throw-away copy of them to break."""

from __future__ import annotations

from pathlib import Path

import pytest
from projects import copy_project

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def presidential_scenario(repo_root: Path) -> Path:
    return repo_root / "scenarios" / "2022-presidential.yaml"


@pytest.fixture(scope="session")
def local_scenario(repo_root: Path) -> Path:
    return repo_root / "scenarios" / "2022-local.yaml"


@pytest.fixture(scope="session")
def presidential_inputs(presidential_scenario: Path):
    """The shipped presidential scenario, loaded once (frozen objects: safe to share)."""
    from election_ops.pipeline import load_inputs

    return load_inputs(presidential_scenario)


@pytest.fixture(scope="session")
def local_inputs(local_scenario: Path):
    """The shipped local-election scenario, loaded once (frozen objects: safe to share)."""
    from election_ops.pipeline import load_inputs

    return load_inputs(local_scenario)


@pytest.fixture
def copy_district(tmp_path: Path) -> Path:
    """A copy of scenarios/ and data/precincts/ under tmp_path; returns the copy's root.

    The scenarios name their files relative to themselves, so
    ``copy_district / "scenarios/2022-presidential.yaml"`` loads the copied data, and a
    test may break any file under ``copy_district / "data/precincts/geumcheon"``.
    """
    return copy_project(tmp_path, ("scenarios", "data/precincts"))


@pytest.fixture(scope="session")
def solved_presidential(presidential_scenario: Path):
    """The shipped presidential scenario solved for real (a few seconds), for the document tests."""
    from election_ops.pipeline import load_inputs, solve_plan

    return solve_plan(load_inputs(presidential_scenario, with_staff=True), time_limit=30)


@pytest.fixture(scope="session")
def written_plan(solved_presidential, tmp_path_factory) -> Path:
    """``solved_presidential`` written as a plan folder (roster.xlsx, notices.pdf, report.html, CSVs)."""
    from election_ops.pipeline import write_solved

    out = tmp_path_factory.mktemp("written-plan") / "plan"
    write_solved(solved_presidential, out)
    return out
