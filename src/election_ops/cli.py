"""Command-line interface: thin; turns the library's errors into readable lines and exit codes.

Exit codes: 0 done; 2 invalid input or usage; 3 a plan was written but some posts are
short; 1 an unexpected internal error.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from . import __version__
from .errors import ElectionOpsError

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT, EXIT_SHORT = 0, 1, 2, 3
DEFAULT_SCENARIO = "2022-presidential.yaml"

app = typer.Typer(
    name="election-ops",
    help="Plan election staffing for a district office: demand per site, role and shift, and rosters.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"election-ops {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Plan election staffing: demand per site, role and shift, and rosters."""


def reports_errors(command):
    """Print the project's own errors as one readable block and exit with their code; never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ElectionOpsError as exc:
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug: say so plainly; the traceback only on request
            if os.environ.get("ELECTION_OPS_DEBUG"):
                raise
            err_console.print(f"[bold red]internal error:[/] {type(exc).__name__}: {exc}\n"
                              "  set ELECTION_OPS_DEBUG=1 to see the traceback, and report it", highlight=False)
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper


def default_scenario() -> Path:
    """scenarios/2022-presidential.yaml in the current folder, else in the source checkout."""
    here = Path("scenarios") / DEFAULT_SCENARIO
    if here.exists():
        return here
    checkout = Path(__file__).resolve().parents[2] / "scenarios" / DEFAULT_SCENARIO
    return checkout if checkout.exists() else here


ScenarioArg = Annotated[
    Path | None,
    typer.Argument(help="Scenario file (YAML). Default: scenarios/2022-presidential.yaml.", show_default=False),
]


@app.command()
@reports_errors
def demand(
    scenario: ScenarioArg = None,
    out: Annotated[Path | None, typer.Option("--out", help="Folder for requirements.csv, sites.csv and shifts.csv.")] = None,
) -> None:
    """Work out how many people each site needs, per role and shift (수요 산정)."""
    from .pipeline import load_inputs, plan_demand
    from .reports.files import write_csv
    from .reports.tables import demand_summary, requirements_frame, shifts_frame, sites_frame

    inputs = load_inputs(scenario or default_scenario())
    result = plan_demand(inputs)
    _print_demand(inputs.scenario, demand_summary(result))
    if out is not None:
        write_csv(requirements_frame(result), out / "requirements.csv")
        write_csv(sites_frame(result), out / "sites.csv")
        write_csv(shifts_frame(result), out / "shifts.csv")
        console.print(f"wrote requirements.csv, sites.csv, shifts.csv to {out}")


def _print_demand(scenario, summary) -> None:
    table = Table(title=f"{scenario.title or scenario.id}: staff needed (필요 인원)")
    for name, justify in (("site kind", "left"), ("role", "left"), ("역할", "left"), ("sites", "right"), ("required", "right")):
        table.add_column(name, justify=justify)
    for kind, group in summary.groupby("site_kind", sort=False):
        for _, row in group.iterrows():
            table.add_row(f"{kind} ({row['site_kind_ko']})", row["role"], row["role_name"], str(row["sites"]), str(row["required"]))
        table.add_row("", "", f"[bold]{kind} total[/]", "", f"[bold]{group['required'].sum()}[/]", end_section=True)
    poll = summary.loc[summary["site_kind"].isin(["polling", "early"]), "required"].sum()
    count = summary.loc[summary["site_kind"] == "counting", "required"].sum()
    table.add_row("", "", "[bold]poll (투표) = polling + early[/]", "", f"[bold]{poll}[/]")
    table.add_row("", "", "[bold]count (개표)[/]", "", f"[bold]{count}[/]")
    table.add_row("", "", "[bold]total (합계)[/]", "", f"[bold]{poll + count}[/]")
    console.print(table)


def run() -> None:  # pragma: no cover - console entry for python -m
    app(prog_name="election-ops")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
