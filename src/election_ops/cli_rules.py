"""``election-ops rules``: fit the staffing rules to a district's own published totals."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .cli import console, output_file, reports_errors
from .errors import UsageError
from .i18n import _

rules_app = typer.Typer(help="Work with the staffing rules (배치 기준).", no_args_is_help=True)


@rules_app.command("calibrate")
@reports_errors
def rules_calibrate(
    scenario: Annotated[Path, typer.Argument(help="Scenario file whose district and rules are calibrated.")],
    param: Annotated[str, typer.Option(
        "--param", help="Rules parameter to fit: roles.<site_kind>.<role>.<field>, e.g. roles.polling.register_check.step, "
                        "or a dotted key such as early_voting.out_of_district_ratio.")],
    target: Annotated[int, typer.Option("--target", min=0, help="The office's published total, e.g. 727.")],
    kinds: Annotated[str | None, typer.Option(
        "--kinds", help="Site kinds the total covers, comma-separated (default: polling,early for a polling or "
                        "early role, counting for a counting role).")] = None,
    lo: Annotated[float | None, typer.Option("--lo", help="Smallest value tried (default: a third of the current).")] = None,
    hi: Annotated[float | None, typer.Option("--hi", help="Largest value tried (default: three times the current).")] = None,
    by: Annotated[float | None, typer.Option("--by", help="Resolution (default: 1 for whole-number fields).")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Write a scenario that builds on SCENARIO with the value set (rule_overrides).")] = None,
    value: Annotated[float | None, typer.Option(
        "--value", help="The value --out writes (default: a round value in the widest interval).")] = None,
) -> None:
    """Find the values of one rules parameter that make the demand total hit a published figure (보정).

    The shipped rules are calibrated to 금천구's published 2022 totals (docs/demand.md); run this with your
    district's scenario and its own published total. Exit code 2 when no value in the range hits the target.
    """
    from .calibration import calibrate, calibrated_scenario
    from .domain import SiteKind
    from .safe_write import write_text_atomic

    if out is not None:
        output_file(out)
    site_kinds = None
    if kinds:
        names = [k.strip() for k in kinds.split(",") if k.strip()]
        valid = {k.value: k for k in SiteKind}
        unknown = [k for k in names if k not in valid]
        if unknown or not names:
            raise UsageError(_("--kinds {kinds}: use polling, early and/or counting, comma-separated").format(kinds=kinds))
        site_kinds = tuple(valid[k] for k in names)
    result = calibrate(scenario, param, target, kinds=site_kinds, lo=lo, hi=hi, by=by)
    kinds_text = "+".join(k.value for k in result.kinds)
    now = f"{result.current:g}" if result.current is not None else "(not set)"
    console.print(f"{result.param}: now {now}, giving {result.current_total} ({kinds_text}); target {result.target}")
    if not result.hits:
        raise UsageError(f"no value of {result.param} in [{result.lo:g}, {result.hi:g}] gives {result.target} "
                         f"({kinds_text}): the totals there run from {result.totals[0]} to {result.totals[1]}; "
                         "widen --lo/--hi, calibrate another parameter, or check --target and --kinds")
    for a, b in result.hits:
        console.print(f"{result.param} in [{a:g}, {b:g}] gives {result.target}", highlight=False)
    chosen = value if value is not None else result.suggested
    console.print(f"suggested: {result.suggested:g} (scanned [{result.lo:g}, {result.hi:g}] by {result.by:g}, "
                  f"{result.evaluations} demand computations)")
    if out is not None:
        if not any(a <= chosen <= b for a, b in result.hits):
            raise UsageError(_("--value {value} does not give {target}; pick one inside the ranges above").format(
                value=f"{chosen:g}", target=result.target))
        write_text_atomic(out, calibrated_scenario(result, scenario, out, chosen))
        console.print(_("wrote {file}: builds on {scenario} with {param} = {value}").format(
            file=out, scenario=scenario, param=result.param, value=f"{chosen:g}"))
