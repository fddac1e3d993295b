"""``election-ops staff``: the staff pool (인력풀): a synthetic pool, or the template an office fills in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .cli import console, output_file, reports_errors
from .errors import UsageError
from .i18n import _

staff_app = typer.Typer(help="Work with the staff pool (인력풀).", no_args_is_help=True)


@staff_app.command("generate")
@reports_errors
def staff_generate(
    out: Annotated[Path, typer.Option("--out", help="CSV file to write.")],
    scenario: Annotated[Path | None, typer.Option("--scenario", help="Scenario whose district the pool lives in.")] = None,
    district: Annotated[str | None, typer.Option("--district", help="Or a count unit (code or name, as in 'district init').")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed gives the same pool.")] = 2022,
    size: Annotated[int | None, typer.Option("--size", min=1, help="Number of people (default: sized for the district's demand).")] = None,
    departments: Annotated[Path | None, typer.Option("--departments", help="Departments file (department, kind, size). Default: a generic set of 구청/시청/군청 divisions.")] = None,
) -> None:
    """Write a realistic synthetic staff pool (the real list is personal data we do not ship)."""
    import tempfile

    from .pipeline import load_inputs, plan_demand
    from .staffgen import generate_sized_pool, write_generic_departments, write_staff_csv

    output_file(out)
    if (scenario is None) == (district is None):
        raise UsageError("name the district the pool is for: --scenario FILE or --district UNIT (one of them)")
    with tempfile.TemporaryDirectory() as tmp:
        if district is not None:
            from .districts.init import write_unit_data

            scenario = write_unit_data(district, Path(tmp) / "unit")
        if departments is None:
            departments = Path(tmp) / "departments.csv"
            write_generic_departments(departments)
        inputs = load_inputs(scenario)
        frame = generate_sized_pool(inputs.district, inputs.scenario.data.boundaries, departments,
                                    plan_demand(inputs) if size is None else None, inputs.rules, seed=seed, size=size)
    write_staff_csv(frame, out)
    console.print(_("wrote {n} people to {file}").format(n=f"{len(frame):,}", file=out))


@staff_app.command("template")
@reports_errors
def staff_template(
    out: Annotated[Path, typer.Option("--out", help="Excel file to write, e.g. 직원명단.xlsx.")],
    scenario: Annotated[Path | None, typer.Option(
        "--scenario", help="Scenario whose 동 fill the 희망 동 list (default: none, free text).")] = None,
) -> None:
    """Write the Excel template an office fills in with its own staff list (직원명단 양식).

    Korean headers, a 작성요령 sheet with examples, and lists for 직종, 직급 and 희망 근무지.
    Homes may be addresses or 동 names; solve --staff FILE reads the filled-in file.
    """
    from .io.staff_template import write_staff_template

    if out.suffix.lower() != ".xlsx":
        raise UsageError(_("--out {out}: the template is an Excel file; name it .xlsx, e.g. 직원명단.xlsx").format(out=out))
    output_file(out)
    dongs: tuple[str, ...] = ()
    if scenario is not None:
        from .pipeline import load_inputs

        dongs = tuple(d.id for d in load_inputs(scenario).district.dongs)
    write_staff_template(out, dongs)
    console.print(_("wrote the staff list template to {file} (sheets 직원명단, 작성요령)").format(file=out))
