"""``election-ops roster import``: bring a hand-edited roster.xlsx back as a plan folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

roster_app = typer.Typer(help="Work with a roster workbook (배치표).", no_args_is_help=True)


@roster_app.command("import")
def roster_import(
    edited: Annotated[Path, typer.Argument(help="The edited roster.xlsx (its 투표소별 sheet is read).")],
    plan: Annotated[Path, typer.Option("--plan", help="The plan folder the roster was written from.")],
    out: Annotated[Path, typer.Option("--out", help="New plan folder for the edited roster.")],
) -> None:
    """Turn an edited 투표소별 sheet into a plan folder (배치표 가져오기); then run validate on it.

    Names typed over a row count when they name one person of the staff pool. Exit code 3 when posts are
    left empty; 2 when a row cannot be read (sheet and row named).
    """
    from .cli import EXIT_SHORT, console, output_folder, reports_errors
    from .plan_folder import check_output_folder

    @reports_errors
    def run() -> None:
        from .pipeline import write_solved
        from .roster_import import import_roster

        output_folder(out)
        check_output_folder(out, [edited, plan])
        solved, absent, extra, folder = import_roster(edited, plan)
        check_output_folder(out, [edited, plan, *(r.path for r in folder.summary.inputs.values())])
        write_solved(solved, out, extra_summary=extra, absent=absent)
        short = solved.plan.short_posts
        console.print(f"imported {len(solved.plan.assignments)} assignment(s) from {edited} into {out}"
                      + (f"; {short} post(s) left short" if short else ""))
        console.print(f"check it: election-ops validate {out}")
        if short:
            raise typer.Exit(EXIT_SHORT)

    run()
