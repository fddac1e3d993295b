"""``election-ops country``: plan many count units on a distributed engine, and compare two national runs."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from .cli import EXIT_SHORT, console, err_console, output_folder, reports_errors
from .errors import UsageError
from .i18n import _

country_app = typer.Typer(help="Plan every count unit of the country (전국) and compare national runs.",
                          no_args_is_help=True)


@country_app.command("plan")
@reports_errors
def country_plan(
    out: Annotated[Path, typer.Option("--out", help="Folder for units/<code>/ and the national outputs.")],
    scenario_template: Annotated[Path | None, typer.Option(
        "--scenario-template", help="YAML of scenario keys laid over every unit's scenario (e.g. covid: false).")] = None,
    units: Annotated[str | None, typer.Option("--units", help="Comma-separated unit codes (default: all 250).")] = None,
    sido: Annotated[str | None, typer.Option("--sido", help="Only the units of this 시도.")] = None,
    engine: Annotated[str, typer.Option("--engine", help="dask (default), local (in-process) or process.")] = "dask",
    address: Annotated[str | None, typer.Option("--address", help="A running Dask scheduler, e.g. tcp://host:8786.")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=256, help="Worker processes on this machine.")] = 2,
    seed: Annotated[int, typer.Option("--seed", min=0, max=2**31 - 1, help="Staff pool and solver seed.")] = 0,
    time_limit: Annotated[float | None, typer.Option("--time-limit", min=0.1, help="Solver limit per unit (s).")] = None,
    notices: Annotated[bool, typer.Option(
        "--notices", help="Also write each unit's notices.pdf (a page per person; adds about a third to the run).")] = False,
) -> None:
    """Plan every selected unit (init, demand, solve, validate, roster) and write the national totals.

    A rerun skips the units already planned from the same inputs; a failed unit is recorded and the rest go on.
    """
    from .country.run import plan_country

    output_folder(out)
    progress = _Progress(workers)
    run = plan_country(out, units=units, sido=sido, template=scenario_template, engine=engine, workers=workers,
                       address=address, seed=seed, time_limit=time_limit, notices=notices, on_plan=progress.start,
                       on_result=progress.done)
    progress.close()
    _print_national(run, out)
    if run.failed or any(r.get("status") in ("short", "invalid") for r in run.records):
        raise typer.Exit(EXIT_SHORT)


class _Progress:
    """Units done, failed, running and the time left, on stderr, as results arrive."""

    def __init__(self, workers: int) -> None:
        self.workers, self.total, self.todo, self.finished, self.failed = workers, 0, 0, 0, 0
        self.started = time.perf_counter()
        self.status = None

    def start(self, total: int, todo: int) -> None:
        from rich.status import Status

        self.total, self.todo = total, todo
        if total - todo:
            err_console.print(_("{done} of {total} unit(s) already planned from the same inputs: skipped").format(
                done=total - todo, total=total))
        self.status = Status(self._line(), console=err_console)
        self.status.start()

    def done(self, record: dict) -> None:
        self.finished += 1
        self.failed += record.get("status") == "failed"
        if record.get("status") == "failed":
            err_console.print(_("unit {code} failed: {error}").format(code=record["code"], error=record.get("error", "")),
                              markup=False, highlight=False)
        if self.status:
            self.status.update(self._line())

    def _line(self) -> str:
        elapsed = time.perf_counter() - self.started
        running = min(self.workers, self.todo - self.finished)
        left = ""
        if self.finished:
            left = _(", about {seconds} s left").format(
                seconds=f"{elapsed / self.finished * (self.todo - self.finished):,.0f}")
        return _("units: {finished}/{todo} done, {failed} failed, {running} running{left} ({elapsed} s)").format(
            finished=self.finished, todo=self.todo, failed=self.failed, running=running, left=left,
            elapsed=f"{elapsed:,.0f}")

    def close(self) -> None:
        if self.status:
            self.status.stop()


def _print_national(run, out: Path) -> None:
    from rich.table import Table

    from .country.national import totals

    t = totals(run.records)
    table = Table(title=_("national plan: {units} count unit(s)").format(units=t["units"]))
    table.add_column("")
    table.add_column(_("total"), justify="right")
    for label, key in ((_("polling stations"), "stations_polling"), (_("early-voting stations"), "stations_early"),
                       (_("counting sites"), "stations_counting"), (_("posts, polling"), "posts_polling"),
                       (_("posts, early voting"), "posts_early"), (_("posts, counting"), "posts_counting"),
                       (_("posts, total"), "posts_total"), (_("people placed"), "people_placed"),
                       (_("posts short"), "posts_short"), (_("allowance, managers (KRW)"), "allowance_manager_krw"),
                       (_("allowance, clerks (KRW)"), "allowance_clerk_krw"),
                       (_("allowance, counting (KRW)"), "allowance_counting_krw"),
                       (_("allowance, total (KRW)"), "allowance_total_krw")):
        table.add_row(label, f"{t[key]:,}")
    console.print(table)
    console.print(_("units: {planned} planned, {short} short, {failed} failed; {now} planned now, {reused} reused; "
                    "{seconds} s").format(planned=t["units_planned"], short=t["units_short"], failed=t["units_failed"],
                                          now=run.planned_now, reused=run.skipped, seconds=f"{run.seconds:,.1f}"))
    console.print(_("wrote country.csv, country.xlsx and report.html to {folder}").format(folder=out))


@country_app.command("compare")
@reports_errors
def country_compare(
    run_a: Annotated[Path, typer.Argument(help="A folder written by `country plan` (A).")],
    run_b: Annotated[Path, typer.Argument(help="Another one (B); differences are B − A.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the comparison files.")] = Path("out/country-compare"),
) -> None:
    """Compare two national runs (e.g. with and without COVID roles): posts and allowance per 시도 and nationally."""
    from .country.compare import NATIONAL, write_comparison

    output_folder(out)
    for run in (run_a, run_b):
        if out.resolve() == run.resolve():
            raise UsageError(_("--out {out} is one of the runs being compared; write the comparison elsewhere").format(
                out=out))
    table, coverage = write_comparison(out, run_a, run_b)
    row = table[table.sido == NATIONAL].iloc[0]
    console.print(_("compared {units} unit(s): posts {a} -> {b} ({diff}), allowance {cost_a} -> {cost_b} KRW "
                    "({cost_diff})").format(
        units=coverage["units_compared"], a=f"{row['posts_total_a']:,}", b=f"{row['posts_total_b']:,}",
        diff=f"{row['posts_total_diff']:+,}", cost_a=f"{row['allowance_total_krw_a']:,}",
        cost_b=f"{row['allowance_total_krw_b']:,}", cost_diff=f"{row['allowance_total_krw_diff']:+,}"))
    console.print(_("wrote country_comparison.csv, country_comparison.xlsx and report.html to {folder}").format(
        folder=out))
