"""comparison.md and comparison.xlsx: the side-by-side view of several plans."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..glossary import COMPARISON, ROLES, SITE_KINDS, SOLVER_STATUS, ko
from ..safe_write import write_atomic, write_text_atomic
from .roster import Formats, PageSetup, new_workbook, table_sheet


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value).replace("|", "\\|")


def markdown_table(frame: pd.DataFrame, index_name: str | None = None) -> str:
    """A GitHub-flavoured Markdown table (pandas' to_markdown needs the optional tabulate)."""
    columns = ([index_name] if index_name is not None else []) + [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    for idx, row in frame.iterrows():
        cells = ([_cell_text(" / ".join(idx) if isinstance(idx, tuple) else idx)] if index_name is not None else [])
        cells += [_cell_text(v) for v in row.tolist()]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_comparison_md(path: Path, *, headline: pd.DataFrame, roles: pd.DataFrame, dongs: pd.DataFrame,
                        worst: pd.DataFrame, focus: list[str], maps: dict[str, str]) -> None:
    parts = ["# Scenario comparison (시나리오 비교)", "", markdown_table(headline, "figure"), ""]
    if focus and len(dongs):
        parts += [f"## Where the layouts differ: {', '.join(focus)}", "",
                  "Per 동 whose polling stations differ between the plans.", "",
                  markdown_table(dongs.set_index(["dong", "plan"]), "동 / plan"), ""]
    if len(worst):
        parts += ["## Worst predicted waits (대기시간 상위 투표소)", "", markdown_table(worst), ""]
    parts += ["## Staff needed per site kind and role (역할별 필요 인원)", "", markdown_table(roles, "site kind / role"), ""]
    if maps:
        parts += ["## Maps (지도)", "", "Stations sized by electors and coloured by the predicted worst-hour wait.", ""]
        parts += [f"### {name}\n\n![{name}]({path})\n" for name, path in maps.items()]
    write_text_atomic(path, "\n".join(parts))


def write_comparison_xlsx(path: Path, *, headline: pd.DataFrame, roles: pd.DataFrame, dongs: pd.DataFrame,
                          worst: pd.DataFrame) -> None:
    """comparison.xlsx in Korean (words from the glossary); each figure's English code in a 코드 column at the end.

    Every sheet prints landscape, one page wide, its header row on every page.
    """
    page = PageSetup("시나리오 비교")
    plans = [str(c) for c in headline.columns]

    def write(tmp: Path) -> None:
        book = new_workbook(tmp, title="시나리오 비교")
        try:
            fmt = Formats(book)
            rows = [[ko(COMPARISON, str(idx)), *figure_in_words(str(idx), _values(row)), str(idx)]
                    for idx, row in headline.iterrows()]
            table_sheet(book.add_worksheet("비교"), fmt, ["항목", *plans, "코드"], rows, page=page,
                        widths=[40, *[22] * len(plans), 30])
            if len(dongs):
                table_sheet(book.add_worksheet("동별"), fmt, [ko(COMPARISON, str(c)) for c in dongs.columns],
                            [_values(row) for _, row in dongs.iterrows()], page=page)
            if len(worst):
                table_sheet(book.add_worksheet("대기시간"), fmt, [ko(COMPARISON, str(c)) for c in worst.columns],
                            [_values(row) for _, row in worst.iterrows()], page=page)
            table_sheet(book.add_worksheet("역할별"), fmt, ["구분", "역할", *plans, "구분코드", "역할코드"],
                        [[ko(SITE_KINDS, idx[0]), ko(ROLES, idx[1]), *_values(row), *idx]
                         for idx, row in roles.iterrows()], page=page)
        finally:
            book.close()

    write_atomic(path, write)


def figure_in_words(name: str, values: list) -> list:
    """A figure's values as an official reads them: the plan status in words, not the solver's."""
    if name != "solver":
        return values
    out = []
    for value in values:
        status, _, seconds = str(value or "").partition(" ")
        out.append(f"{ko(SOLVER_STATUS, status)}, {seconds.removesuffix('s')}초" if seconds else ko(SOLVER_STATUS, status))
    return out


def _values(row: pd.Series) -> list:
    out = []
    for v in row.tolist():
        if v is None or (isinstance(v, float) and pd.isna(v)):
            out.append(None)
        elif hasattr(v, "item"):
            out.append(v.item())
        else:
            out.append(v)
    return out
