"""Command-line interface: thin; turns the library's errors into readable lines and exit codes.

Exit codes: 0 done; 2 invalid input or usage; 3 a plan was written but some posts are
short; 1 an unexpected internal error.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import __version__, i18n
from .errors import ElectionOpsError, InputError, UsageError
from .glossary import COMPARISON, SITE_KINDS, SOLVER_STATUS, ko
from .i18n import _, translated_command

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
            err_console.print("[bold red]" + _("error:") + f"[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except OSError as exc:  # the disk is full, a folder turned read-only: not a bug, but not the input either
            where = exc.filename or _("an output file")
            message = _("cannot write {file} ({problem}); earlier output is left as it was").format(
                file=escape(str(where)), problem=escape(str(exc.strerror or exc)))
            err_console.print("[bold red]" + _("error:") + f"[/] {message}", highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_INTERNAL) from None
        except Exception as exc:  # a bug: say so plainly; the traceback only on request
            if os.environ.get("ELECTION_OPS_DEBUG"):
                raise
            # the message is withheld: an exception's text may quote a row of the staff pool (personal data)
            err_console.print("[bold red]" + _("internal error:") + "[/] "
                              + _("{name} in election-ops\n  set ELECTION_OPS_DEBUG=1 to see the details and "
                                  "traceback, and report it").format(name=type(exc).__name__), highlight=False)
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper


def output_folder(out: Path) -> Path:
    """Refuse, before any work, an --out folder that is a file or lies inside one."""
    for path in (out, *out.parents):
        if path.exists() and not path.is_dir():
            raise UsageError(_("--out {out}: {path} is a file, not a folder; choose another --out").format(
                out=out, path=path))
    return out


def output_file(out: Path) -> Path:
    """Refuse, before any work, an --out file that is a folder or lies inside a file."""
    if out.is_dir():
        raise UsageError(_("--out {out}: is a folder; name a file, e.g. {example}").format(
            out=out, example=out / "staff.csv"))
    output_folder(out.parent)
    return out


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
    from .plan_folder import check_output_folder
    from .reports.files import write_csv
    from .reports.tables import demand_summary, requirements_frame, shifts_frame, sites_frame

    if out is not None:
        output_folder(out)
    inputs = load_inputs(scenario or default_scenario())
    if out is not None:  # never over an input (the district folder holds a sites.csv), never into a plan
        check_output_folder(out, inputs.input_files().values(), plan=False)
    result = plan_demand(inputs)
    _print_demand(inputs.scenario, demand_summary(result))
    if out is not None:
        write_csv(requirements_frame(result), out / "requirements.csv")
        write_csv(sites_frame(result), out / "sites.csv")
        write_csv(shifts_frame(result), out / "shifts.csv")
        console.print(_("wrote requirements.csv, sites.csv, shifts.csv to {folder}").format(folder=out))


def _print_demand(scenario, summary) -> None:
    korean = i18n.language() == "ko"
    table = Table(title=_("{scenario}: staff needed (필요 인원)").format(scenario=scenario.title or scenario.id))
    for name, justify in ((_("site kind"), "left"), (_("role"), "left"), ("역할", "left"), (_("sites"), "right"),
                          (_("required"), "right")):
        table.add_column(name, justify=justify)
    for kind, group in summary.groupby("site_kind", sort=False):
        kind_ko = group["site_kind_ko"].iloc[0]
        for _i, row in group.iterrows():
            table.add_row(kind_ko if korean else f"{kind} ({kind_ko})", row["role"], row["role_name"],
                          f"{row['sites']:,}", f"{row['required']:,}")
        total = _("{kind} total").format(kind=kind_ko if korean else kind)
        table.add_row("", "", f"[bold]{total}[/]", "", f"[bold]{group['required'].sum():,}[/]", end_section=True)
    poll = summary.loc[summary["site_kind"].isin(["polling", "early"]), "required"].sum()
    count = summary.loc[summary["site_kind"] == "counting", "required"].sum()
    table.add_row("", "", "[bold]" + _("poll (투표) = polling + early") + "[/]", "", f"[bold]{poll:,}[/]")
    table.add_row("", "", "[bold]" + _("count (개표)") + "[/]", "", f"[bold]{count:,}[/]")
    table.add_row("", "", "[bold]" + _("total (합계)") + "[/]", "", f"[bold]{poll + count:,}[/]")
    console.print(table)


SeedOpt = Annotated[int | None, typer.Option("--seed", min=0, max=2**31 - 1,
                                             help="Solver seed (default: the scenario's). Same inputs and seed, same roster.")]
TimeLimitOpt = Annotated[float | None, typer.Option("--time-limit", min=0.1, help="Seconds the solver may use (default: the scenario's).")]
StaffOpt = Annotated[Path | None, typer.Option("--staff", help="Staff pool CSV or xlsx; overrides the scenario's.")]
FreezeOpt = Annotated[Path | None, typer.Option(
    "--freeze", help="CSV/xlsx of posts to keep as they are (worker_id, site_id, role, shift), e.g. leads already appointed.")]


@app.command()
@reports_errors
def solve(
    scenario: ScenarioArg = None,
    out: Annotated[Path | None, typer.Option("--out", help="Plan folder. Default: out/<scenario id>/.")] = None,
    staff: StaffOpt = None,
    seed: SeedOpt = None,
    time_limit: TimeLimitOpt = None,
    freeze: FreezeOpt = None,
) -> None:
    """Assign the staff pool to every post (배치): writes roster.xlsx, assignments.csv and more.

    Exit code 3 when some posts stay short; the roster is still written and its 미충원 sheet says why.
    """
    from .pipeline import load_inputs, solve_plan, write_solved
    from .plan_folder import check_output_folder, folder_name

    if out is not None:
        output_folder(out)
    inputs = load_inputs(scenario or default_scenario(), staff=staff, with_staff=True)
    target = check_output_folder(out or Path("out") / folder_name(inputs.scenario.id),
                                 [*inputs.input_files().values(), freeze])
    with _solver_status(inputs) as progress:
        solved = solve_plan(inputs, seed=seed, time_limit=time_limit, freeze=freeze, progress=progress)
    write_solved(solved, target)
    demand_result, plan = solved.demand, solved.plan
    _print_plan(inputs.scenario, demand_result, plan, target, inputs.rules)
    if plan.short_posts:
        raise typer.Exit(EXIT_SHORT)


@contextlib.contextmanager
def _solver_status(inputs):
    """A spinner on stderr with the solver's best objective and bound as they improve."""
    from rich.status import Status

    solving = _("{scenario}: solving with {people} people ...").format(scenario=inputs.scenario.id,
                                                                        people=f"{len(inputs.workers):,}")
    with Status(solving, console=err_console) as status:

        def progress(objective: float, bound: float) -> None:
            status.update(_("{scenario}: best {objective}, bound {bound}").format(
                scenario=inputs.scenario.id, objective=f"{objective:,.0f}", bound=f"{bound:,.0f}"))

        yield progress


def _print_cost(scenario, demand_result, rules, plan) -> None:
    """Allowances by role class (투표관리관, 투표사무원, 개표사무원) and, when the scenario sets one, the budget."""
    from .costs import cost_by_class
    from .glossary import ALLOWANCE_CLASSES

    classes = cost_by_class(demand_result, rules, plan)
    total = sum(c.required_krw for c in classes)
    parts = ", ".join(f"{ko(ALLOWANCE_CLASSES, c.role_class)} {c.required_krw:,}" for c in classes)
    console.print(_("allowances: {parts}; total {total} KRW").format(parts=parts, total=f"{total:,}"))
    if scenario.budget_krw is not None:
        left = scenario.budget_krw - total
        within = _("{amount} KRW under") if left >= 0 else _("{amount} KRW over")
        console.print(_("budget {budget} KRW: {within}").format(
            budget=f"{scenario.budget_krw:,}", within=within.format(amount=f"{abs(left):,}")))


def _print_plan(scenario, demand_result, plan, target: Path, rules=None) -> None:
    from collections import Counter

    assigned = Counter(a.site_kind for a in plan.assignments)
    korean = i18n.language() == "ko"
    table = Table(title=_("{scenario}: roster (배치 결과)").format(scenario=scenario.title or scenario.id))
    for name, justify in ((_("site kind"), "left"), (_("required"), "right"), (_("assigned"), "right"),
                          (_("short"), "right")):
        table.add_column(name, justify=justify)
    for kind in ("polling", "early", "counting"):
        required = sum(r.required for r in demand_result.requirements if r.site_kind.value == kind)
        if required:
            table.add_row(ko(SITE_KINDS, kind) if korean else kind, f"{required:,}", f"{assigned[kind]:,}",
                          f"{required - assigned[kind]:,}")
    total = demand_result.total()
    table.add_row("[bold]" + _("total") + "[/]", f"[bold]{total:,}[/]", f"[bold]{len(plan.assignments):,}[/]",
                  f"[bold]{total - len(plan.assignments):,}[/]")
    console.print(table)
    commutes = [a.commute_m for a in plan.assignments]
    if commutes:
        console.print(_("commute: mean {mean} m, max {max} m; people placed: {people}").format(
            mean=f"{sum(commutes) / len(commutes):,.0f}", max=f"{max(commutes):,}",
            people=len({a.worker_id for a in plan.assignments})))
    stats = plan.stats
    gap = _("unknown") if stats.gap != stats.gap else f"{stats.gap:.2%}"  # NaN: the solver gave no bound
    if korean:  # in words an official reads, as on the roster's 요약 sheet
        console.print(_("solver: {status} in {seconds} s, objective {objective}, gap {gap} ({variables} variables, "
                        "{constraints} constraints)").format(
            status=ko(SOLVER_STATUS, stats.status), seconds=f"{stats.solve_seconds:.2f}",
            objective=f"{stats.objective:,.0f}", gap=gap, variables=f"{stats.variables:,}",
            constraints=f"{stats.constraints:,}"))
    else:
        console.print(f"solver: {stats.status} in {stats.solve_seconds:.2f} s, objective {stats.objective:,.0f}, "
                      f"gap {gap} ({stats.variables:,} variables, {stats.constraints:,} constraints)")
    if stats.status == "UNKNOWN":
        err_console.print("[yellow]" + _("note:") + "[/] " + _(
            "the solver stopped before improving on its starting roster (the station-by-station baseline); "
            "raise --time-limit for a better plan"))
    if plan.shortfalls:
        short = _("{short} post(s) short, {standby} standby post(s) empty").format(
            short=f"{plan.short_posts:,}", standby=sum(s.short for s in plan.shortfalls if s.reserve))
        err_console.print(f"[bold yellow]{short}[/]: " + _("see the 미충원 sheet of {roster} or shortfalls.csv").format(
            roster=target / "roster.xlsx"))
    console.print(_("wrote the plan to {folder}").format(folder=target))
    _print_outputs(target)
    if rules is not None:
        _print_cost(scenario, demand_result, rules, plan)


def _print_outputs(target: Path) -> None:
    """The closing lines: where the documents to hand out are."""
    for name, what in (("roster.xlsx", _("roster (배치표, a page per site)")), ("report.html", _("report")),
                       ("notices.pdf", _("notices (근무 안내, a page per person)"))):
        if (target / name).exists():
            console.print(f"  {what}: {target / name}")


@app.command()
@reports_errors
def replan(
    plan_dir: Annotated[Path, typer.Argument(help="A plan folder written by solve (or by an earlier replan).")],
    absent: Annotated[str, typer.Option("--absent", help="CSV/xlsx with a worker_id column, or comma-separated ids.")],
    out: Annotated[Path | None, typer.Option("--out", help="Folder for the new plan. Default: PLAN_DIR-replan.")] = None,
    seed: SeedOpt = None,
    time_limit: TimeLimitOpt = None,
    freeze: FreezeOpt = None,
) -> None:
    """Re-plan after people drop out (재배치): keep every unaffected post, fill the freed ones, list the changes.

    Writes the same files as solve, plus changes.csv and changes.xlsx (who is newly called, who moves where,
    which posts stay short). Exit code 3 when posts stay short.
    """
    from .checksums import file_sha256
    from .pipeline import load_inputs, solve_plan, write_solved
    from .plan_folder import check_output_folder
    from .replan import changed_assignments, parse_absent, plan_changes, read_plan_folder
    from .reports.changes import changes_frame, write_changes_csv, write_changes_xlsx

    if out is not None:
        output_folder(out)
    folder = read_plan_folder(plan_dir)
    inputs = load_inputs(folder.scenario, staff=folder.staff, with_staff=True)
    if folder.staff_sha256 and file_sha256(folder.staff) != folder.staff_sha256:
        err_console.print("[yellow]" + _("note:") + "[/] " + _("{file} changed since the plan was made; the new pool is used").format(
            file=escape(str(folder.staff))))
    ids = parse_absent(absent, {w.id for w in inputs.workers})
    target = check_output_folder(out or plan_dir.with_name(plan_dir.name + "-replan"),
                                 [*inputs.input_files().values(), freeze, plan_dir,
                                  Path(absent) if Path(absent).is_file() else None])
    # people absent in the plan being changed stay absent (a replan of a replan)
    still_absent = tuple(dict.fromkeys((*folder.absent, *ids)))
    with _solver_status(inputs) as progress:
        solved = solve_plan(inputs, seed=seed, time_limit=time_limit, freeze=freeze, previous=folder.posts,
                            absent=still_absent, progress=progress)
    inputs, demand_result, plan = solved.inputs, solved.demand, solved.plan
    changes = plan_changes(folder.posts, plan, ids)
    frame = changes_frame(changes, plan, inputs.workers)
    changed = changed_assignments(folder.posts, plan)
    by_change = {k: sum(c.change == k for c in changes) for k in ("absent", "called", "moved", "released")}
    summary = {"replan": {"based_on": str(plan_dir), "absent": len(ids), "changed_assignments": changed,
                          "people_changed": sum(c.change != "absent" for c in changes), "by_change": by_change}}
    election_day = inputs.scenario.election.election_day
    write_solved(solved, target, extra_summary=summary, absent=still_absent, extra_files={
        "changes.csv": lambda tmp: write_changes_csv(frame, tmp),
        "changes.xlsx": lambda tmp: write_changes_xlsx(frame, tmp, demand=demand_result, workers=inputs.workers,
                                                       election_day=election_day, plan=plan,
                                                       election=inputs.scenario.election.name)})
    _print_plan(inputs.scenario, demand_result, plan, target, inputs.rules)
    by = summary["replan"]["by_change"]
    console.print(_("changes: {absent} absent, {called} newly called, {moved} moved, {released} released; "
                    "{changed} assignment(s) changed (changes.xlsx)").format(
        absent=len(ids), called=by["called"], moved=by["moved"], released=by["released"], changed=changed))
    if plan.short_posts:
        raise typer.Exit(EXIT_SHORT)


@app.command()
@reports_errors
def validate(
    plan_dir: Annotated[Path, typer.Argument(help="A plan folder written by solve.")],
    staff: StaffOpt = None,
) -> None:
    """Check a plan against its inputs and itself, without the solver (검증).

    Re-derives demand, roles and shifts from the inputs the plan records (refusing inputs that changed),
    re-checks every hard rule (frozen posts kept, absent people holding nothing included), summary.json
    against the files, and roster.xlsx against assignments.csv. Exit code 0 when the plan is sound;
    2 when a rule is broken or a file is unreadable; 3 when the plan is sound but posts are short.
    """
    from .validate import validate_report

    report = validate_report(plan_dir, staff)
    for note in report.notes:
        err_console.print(f"[yellow]note:[/] {escape(note)}", highlight=False)
    for violation in report.violations:
        err_console.print(str(violation), highlight=False, markup=False)
    if report.violations:
        count = _("{n} violation(s)").format(n=len(report.violations))
        err_console.print(f"[bold red]{count}[/] " + _("in {folder}").format(folder=escape(str(plan_dir))))
        raise typer.Exit(EXIT_INPUT)
    standby = [s for s in report.shortfalls if s.reserve]
    if report.short_posts:
        for short in report.shortfalls:
            if not short.reserve:
                err_console.print(f"short: {short}", highlight=False, markup=False)
        count = _("{n} post(s) short").format(n=report.short_posts)
        err_console.print(f"[bold yellow]{count}[/] " + _("in {folder}").format(folder=escape(str(plan_dir))) + ": "
                          + _("every hard rule holds, but the plan leaves these posts empty (see shortfalls.csv)"))
        raise typer.Exit(EXIT_SHORT)
    extra = f" ({sum(s.short for s in standby)} standby post(s) empty)" if standby else ""
    console.print(_("{folder}: every hard rule holds and every post is filled").format(folder=plan_dir) + extra)


@app.command()
@reports_errors
def compare(
    scenarios: Annotated[list[Path], typer.Argument(help="Scenario files or plan folders to compare (two or more).")],
    out: Annotated[Path, typer.Option("--out", help="Folder for comparison.md, comparison.xlsx and one plan per scenario.")] = Path("out/compare"),
    seed: SeedOpt = None,
    time_limit: TimeLimitOpt = None,
) -> None:
    """Compare scenarios side by side (시나리오 비교): staff, waits, shortfalls, commute, fairness, cost.

    A scenario is solved into OUT/<scenario id>/ unless a plan there was made from the same input files; a plan
    folder is read as it is.
    """
    from .comparison import (
        changed_dongs,
        dong_table,
        plan_is_short,
        read_plan_files,
        role_table,
        side_by_side,
        worst_stations,
    )
    from .pipeline import load_inputs
    from .plan_folder import check_output_folder, folder_name, is_plan_folder, read_plan
    from .reports.comparison import write_comparison_md, write_comparison_xlsx
    from .reports.html_report import write_comparison_html

    if len(scenarios) < 2:
        raise UsageError(_("compare needs two or more scenarios or plan folders"))
    output_folder(out)
    # Every argument is read and checked before anything is solved or written: a typo in the last one
    # costs nothing.
    given, sources = [], []
    for item in scenarios:
        if item.is_dir():
            given.append(read_plan(item).path)
            sources.append(("plan", item))
        elif is_plan_folder(item.parent) and item.name == "summary.json":
            given.append(item.parent)
            sources.append(("plan", item.parent))
        else:
            inputs = load_inputs(item, with_staff=True)
            folder_name(inputs.scenario.id)
            sources.append(("scenario", inputs))
    run_inputs = [p for kind, src in sources if kind == "scenario" for p in src.input_files().values()]
    check_output_folder(out, run_inputs, plan=False)
    plans, used = [], {f.resolve() for f in given}
    for kind, src in sources:
        folder = src if kind == "plan" else _solved_folder(src, out, seed, time_limit, used)
        used.add(Path(folder).resolve())
        plans.append(read_plan_files(folder))
    names = [p.name for p in plans]
    if len(set(names)) < len(names):
        plans = [read_plan_files(p.folder, f"{p.name} ({k})") for k, p in enumerate(plans, start=1)]
    headline, roles = side_by_side(plans), role_table(plans)
    focus = changed_dongs(plans)
    dongs, worst = dong_table(plans, focus), worst_stations(plans)
    maps = {}
    for k, p in enumerate(plans, start=1):
        # maps go under OUT, never into a folder the user passed in
        image = out / "maps" / f"{k}-{_file_part(p.name)}.png"
        _draw_map(p.folder, image)
        maps[p.name] = str(image.relative_to(out))
    write_comparison_md(out / "comparison.md", headline=headline, roles=roles, dongs=dongs, worst=worst,
                        focus=focus, maps=maps)
    write_comparison_xlsx(out / "comparison.xlsx", headline=headline, roles=roles, dongs=dongs, worst=worst)
    write_comparison_html(out / "report.html", plans)
    if i18n.language() == "ko":  # the figures' Korean names and the plan status in words, as in comparison.xlsx
        from .reports.comparison import figure_in_words

        headline = headline.astype(object)
        for name in headline.index:
            headline.loc[name] = figure_in_words(str(name), list(headline.loc[name]))
        headline = headline.rename(index=lambda name: ko(COMPARISON, str(name)))
        dongs = dongs.rename(columns=lambda name: ko(COMPARISON, str(name)))
    _print_frame(_("Scenario comparison (시나리오 비교)"), headline)
    if len(dongs):
        _print_frame(_("Where the layouts differ: {dongs}").format(dongs=", ".join(focus)),
                     dongs.set_index(list(dongs.columns[:2])))
    console.print(_("wrote comparison.md, comparison.xlsx and report.html to {folder}").format(folder=out))
    if any(plan_is_short(p) for p in plans):  # the plans' own code: a short plan is shown, and still short
        raise typer.Exit(EXIT_SHORT)


def _file_part(name: str) -> str:
    """A plan's display name as part of a file name: path separators and control characters become '_'."""
    return "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in name).lstrip(".") or "plan"


def _solved_folder(scenario, out: Path, seed: int | None, time_limit: float | None,
                   taken: set[Path] = frozenset()) -> Path:
    """OUT/<scenario id>: reused when its summary.json records the same input files (sha256) and seed.

    ``scenario`` is a scenario file or its loaded ``Inputs``. Two scenarios with one id (same file name
    in two folders), or a plan folder given at OUT/<id>, make it OUT/<id>-2, and so on.
    """
    from .pipeline import Inputs, load_inputs, solve_plan, write_solved
    from .plan_folder import check_output_folder, folder_name, is_plan_folder, read_plan

    inputs = scenario if isinstance(scenario, Inputs) else load_inputs(scenario, with_staff=True)
    name = folder_name(inputs.scenario.id)
    folder, n = out / name, 1
    while folder.resolve() in taken:
        n += 1
        folder = out / f"{name}-{n}"
    if is_plan_folder(folder) and (folder / "waits.csv").exists():
        try:
            recorded = read_plan(folder)
            files = inputs.input_files()
            same_inputs = (set(recorded.summary.inputs) == set(files)
                           and not recorded.changed_inputs(files) and not recorded.changed_files())
            same_seed = recorded.summary.seed == (inputs.scenario.seed if seed is None else seed)
            if same_inputs and same_seed:
                console.print(_("{scenario}: reusing the plan in {folder}").format(scenario=inputs.scenario.id,
                                                                                    folder=folder))
                return folder
        except (InputError, OSError):
            pass  # an unreadable earlier plan is simply solved again
    check_output_folder(folder, inputs.input_files().values())
    with _solver_status(inputs) as progress:
        solved = solve_plan(inputs, seed=seed, time_limit=time_limit, progress=progress)
    write_solved(solved, folder)
    console.print(_("{scenario}: solved ({status}) into {folder}").format(
        scenario=inputs.scenario.id, folder=folder,
        status=ko(SOLVER_STATUS, solved.plan.stats.status) if i18n.language() == "ko" else solved.plan.stats.status))
    return folder


def _print_frame(title: str, frame) -> None:
    table = Table(title=title)
    table.add_column("")
    for column in frame.columns:
        table.add_column(str(column), justify="right")
    for idx, row in frame.iterrows():
        label = " / ".join(map(str, idx)) if isinstance(idx, tuple) else str(idx)
        table.add_row(label, *["" if v is None or v != v else (f"{v:,}" if isinstance(v, int) else str(v)) for v in row.tolist()])
    console.print(table)


@app.command("map")
@reports_errors
def map_command(
    source: Annotated[Path | None, typer.Argument(help="A plan folder, or a scenario file (solved first). Default: the default scenario.", show_default=False)] = None,
    out: Annotated[Path, typer.Option("--out", help="PNG file to write.")] = Path("out/map.png"),
) -> None:
    """Draw a map (지도): 동 boundaries, stations sized by electors and coloured by predicted worst wait."""
    from .pipeline import load_inputs
    from .plan_folder import check_output_file, read_plan

    output_file(out)
    source = source or default_scenario()
    if source.is_dir():
        folder = source
        check_output_file(out, [r.path for r in read_plan(folder).summary.inputs.values()])
    else:
        inputs = load_inputs(source, with_staff=True)
        check_output_file(out, inputs.input_files().values())
        folder = _solved_folder(inputs, out.parent, None, None)
    count = _draw_map(folder, out)
    console.print(_("wrote {file} ({count} stations)").format(file=out, count=count))
    from .comparison import plan_is_short, read_plan_files

    if plan_is_short(read_plan_files(folder)):  # the plan's own code: drawn, and still short
        raise typer.Exit(EXIT_SHORT)


def _draw_map(folder: Path, out: Path) -> int:
    from .comparison import read_plan_files
    from .plan_folder import read_plan
    from .reports.maps import draw_plan_map

    plan = read_plan_files(folder)
    summary = read_plan(folder).summary
    boundaries = summary.inputs["boundaries"].path if "boundaries" in summary.inputs else Path("")
    if not boundaries.is_file():
        raise InputError(folder / "summary.json", "the 동 boundaries file it names is missing",
                         column="inputs.boundaries", value=str(boundaries), fix="solve the scenario again")
    return draw_plan_map(plan.sites, plan.waits, boundaries, out, title=summary.title or summary.scenario_id,
                         target_min=summary.wait_target_min)


# the sub-apps import the helpers above, so they come last
from .cli_district import district_app  # noqa: E402
from .cli_roster import roster_app  # noqa: E402
from .cli_rules import rules_app  # noqa: E402
from .cli_staff import staff_app  # noqa: E402

app.add_typer(roster_app, name="roster")
app.add_typer(staff_app, name="staff")
app.add_typer(rules_app, name="rules")
app.add_typer(district_app, name="district")
from .cli_country import country_app  # noqa: E402 - the command module imports this one's helpers

app.add_typer(country_app, name="country")


def run() -> None:  # pragma: no cover - the console entry (and python -m): help in the user's language
    translated_command(app)(prog_name="election-ops")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
