"""The layers stay apart (io -> domain -> demand -> model -> solution -> reports), and the project's housekeeping
holds: one version, the licence file, ruff in ``make test``."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

from typer.testing import CliRunner

import election_ops
from election_ops.cli import app

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "election_ops"
runner = CliRunner()


def loaded_after(statement: str) -> set[str]:
    """The modules a fresh interpreter holds after ``statement`` (run in a subprocess: this one has them all)."""
    code = f"import sys\n{statement}\nprint('\\n'.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"})
    return set(done.stdout.split())


def test_importing_every_report_module_loads_no_solver():
    reports = sorted(p.stem for p in (SRC / "reports").glob("*.py") if p.stem != "__init__")
    assert {"changes", "maps", "roster", "comparison"} <= set(reports)
    modules = loaded_after("\n".join(f"import election_ops.reports.{name}" for name in reports))
    assert "election_ops.reports.changes" in modules
    assert not {m for m in modules if m.split(".")[0] == "ortools"}


def test_domain_does_not_import_the_waits():
    modules = loaded_after("import election_ops.domain")
    assert "election_ops.domain" in modules
    assert not {m for m in modules if m.startswith("election_ops.") and m != "election_ops.domain"}


def test_waits_is_a_package_of_small_modules():
    assert not (SRC / "waits.py").exists()
    files = sorted((SRC / "waits").glob("*.py"))
    assert {p.name for p in files} >= {"__init__.py", "queueing.py", "station.py", "plan.py"}
    assert all(len(p.read_text(encoding="utf-8").splitlines()) < 400 for p in files)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            out.add("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
    return out


def test_the_score_is_recomputed_without_the_formulation():
    imports = _imports(SRC / "model" / "scoring.py")
    assert not {i for i in imports if "formulation" in i}
    assert ".problem" in imports  # reads the problem's plain data only


def test_replan_computes_demand_once(tmp_path, monkeypatch, presidential_scenario):
    result = runner.invoke(app, ["solve", str(presidential_scenario), "--out", str(tmp_path / "plan")])
    assert result.exit_code == 0, result.output
    from election_ops import pipeline

    calls = []
    real = pipeline.compute_demand
    monkeypatch.setattr(pipeline, "compute_demand", lambda *a, **k: calls.append(1) or real(*a, **k))
    worker = (tmp_path / "plan" / "assignments.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    result = runner.invoke(app, ["replan", str(tmp_path / "plan"), "--absent", worker, "--out", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    assert len(calls) == 1


def test_the_version_lives_in_one_place():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "election_ops.__version__"}
    assert election_ops.__version__.count(".") == 2
    assert runner.invoke(app, ["--version"]).output.strip() == f"election-ops {election_ops.__version__}"


def test_the_declared_licence_file_is_there():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in text


def test_make_test_runs_ruff_before_pytest():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert any(d.startswith("ruff") for d in project["project"]["optional-dependencies"]["dev"])
    lines = (REPO / "Makefile").read_text(encoding="utf-8").split("\ntest:", 1)[1].split("\n\n", 1)[0].splitlines()
    ruff = next(i for i, line in enumerate(lines) if "ruff check" in line)
    pytest_ = next(i for i, line in enumerate(lines) if "pytest" in line)
    assert ruff < pytest_
