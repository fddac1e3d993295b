"""Throw-away copies of the shipped project for tests that break inputs or write beside them.

The shipped scenarios name their files relative to themselves, so a copy of ``scenarios/``
and the ``data/`` they read loads the copied files, and a test may break any of them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
# what the 금천구 scenarios read: the district's data and the committed staff pool
GEUMCHEON = ("scenarios", "data/precincts", "data/staff")


def copy_project(root: Path, parts: tuple[str, ...] = GEUMCHEON) -> Path:
    """``parts`` of the repository (folders) copied under ``root``; returns ``root``."""
    for part in parts:
        shutil.copytree(REPO_ROOT / part, root / part)
    return root


def solve_presidential(project: Path, out: Path) -> Path:
    """The copied 2022 presidential scenario solved through the CLI into ``out`` (a 10 s limit: ~2 s)."""
    from typer.testing import CliRunner

    from election_ops.cli import app

    result = CliRunner().invoke(app, ["solve", str(project / "scenarios/2022-presidential.yaml"), "--out", str(out),
                                      "--time-limit", "10"])
    assert result.exit_code == 0, result.output
    return out
