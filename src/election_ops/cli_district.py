"""``election-ops district``: list Korea's 250 count units and start a planning folder for any of them."""

from __future__ import annotations

import csv
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from .cli import console, reports_errors
from .i18n import _

district_app = typer.Typer(help="Any of Korea's 250 count units (개표 단위): list them, start a planning folder.",
                           no_args_is_help=True)
LIST_COLUMNS = ("code", "sido", "sigungu", "precincts", "emd", "registered_electors")


class ListFormat(str, Enum):
    table = "table"
    csv = "csv"


@district_app.command("list")
@reports_errors
def district_list(
    sido: Annotated[str | None, typer.Option("--sido", help="Only this 시도, e.g. 서울특별시 or 서울.")] = None,
    format: Annotated[ListFormat, typer.Option("--format", help="table (for reading) or csv (for tools).")] = ListFormat.table,
) -> None:
    """Every count unit (구시군; a 시 with 일반구 counts per 구) with its 2022 precincts, 읍면동 and electors."""
    from .districts import list_units

    units = list_units(sido)
    if format is ListFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(LIST_COLUMNS)
        for u in units:
            writer.writerow([getattr(u, c) for c in LIST_COLUMNS])
        return
    table = Table(title=f"count units (개표 단위), 2022-03-09: {len(units)}")
    for column in LIST_COLUMNS:
        table.add_column(column, justify="right" if column in ("precincts", "emd", "registered_electors") else "left")
    for u in units:
        table.add_row(u.code, u.sido, u.sigungu, str(u.precincts), str(u.emd), f"{u.registered_electors:,}")
    console.print(table)


@district_app.command("init")
@reports_errors
def district_init(
    unit: Annotated[str, typer.Argument(help="A code (11620), a full name ('서울특별시 관악구') or a unique name (관악구).")],
    out: Annotated[Path, typer.Option("--out", help="New (or empty) folder to write.")],
    seed: Annotated[int, typer.Option("--seed", min=0, max=2**31 - 1, help="Seed of the synthetic staff pool.")] = 0,
) -> None:
    """Write a planning folder for one count unit: its data, a 2022 scenario, the rules and a synthetic staff pool."""
    from .districts import init_unit, resolve_unit

    info = resolve_unit(unit)
    scenario = init_unit(info.code, out, seed=seed)
    console.print(_("wrote {name} ({code}): {precincts} precincts, {emd} 읍면동, {electors} electors to {folder}").format(
        name=info.full_name, code=info.code, precincts=info.precincts, emd=info.emd,
        electors=f"{info.registered_electors:,}", folder=out))
    console.print(_("next: election-ops solve {scenario}").format(scenario=scenario))
