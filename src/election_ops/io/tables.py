"""Read a CSV or xlsx table as Korean offices save them, and check every cell.

Accepts UTF-8 with or without BOM and CP949 (what Korean Excel writes), CRLF line
ends, and numbers stored as text (``1,234``). Rows are reported as a spreadsheet
numbers them: the header is row 1.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError

ENCODINGS = ("utf-8-sig", "cp949")


@dataclass(frozen=True)
class Column:
    name: str
    kind: type = str  # str, int, float or bool
    required: bool = True  # the column must be present
    nullable: bool = False  # a cell may be empty
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] | None = None
    hint: str = ""  # what a good value looks like, for the error message


@dataclass(frozen=True)
class Table:
    """The checked rows of one file; ``rows[i]`` came from spreadsheet row ``row_numbers[i]``."""

    path: Path
    columns: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]
    row_numbers: tuple[int, ...]
    labels: dict[str, str] | None = None  # column name -> the header as the file wrote it (e.g. grade -> 직급)

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        return iter(zip(self.row_numbers, self.rows))

    def label(self, column: str) -> str:
        return (self.labels or {}).get(column, column)

    def error(self, row: int, column: str, value: object, problem: str, fix: str) -> InputError:
        return InputError(self.path, problem, row=row, column=self.label(column), value=value, fix=fix)


def decode(path: Path, raw: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(
        path,
        "the file is neither UTF-8 nor CP949 text",
        fix="save it from Excel as 'CSV UTF-8 (쉼표로 분리)' or as .xlsx",
    )


def read_cells(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV or xlsx file, every cell as stripped text."""
    try:
        if not path.exists():
            raise InputError(path, "file not found", fix="check the path (paths in a scenario are relative to it)")
        if path.is_dir():
            raise InputError(path, "is a directory, not a table file", fix="name a .csv or .xlsx file")
        raw = None if path.suffix.lower() in (".xlsx", ".xlsm") else path.read_bytes()
    except OSError as exc:  # no permission, a name too long for the file system, ...
        raise InputError(path, f"cannot read the file ({exc.strerror or type(exc).__name__})",
                         fix="check the path and that you may read the file") from None
    if raw is None:
        records = _read_xlsx(path)
    else:
        text = decode(path, raw)
        try:
            records = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise InputError(path, f"not a readable CSV file ({exc})", fix="save it again as CSV") from None
    records = [[cell.strip() for cell in rec] for rec in records]
    while records and not any(records[-1]):
        records.pop()
    if not records:
        raise InputError(path, "the file is empty", fix="add a header row and data rows")
    return records[0], records[1:]


def _read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise InputError(path, f"not a readable xlsx workbook ({type(exc).__name__})", fix="open and save it in Excel") from None
    try:
        if not book.worksheets:
            raise InputError(path, "the workbook has no worksheet", fix="put the table on the first sheet")
        records = []
        # read-only mode parses a sheet only now, so a damaged sheet fails here, not in load_workbook
        for rec in book.worksheets[0].iter_rows(values_only=True):
            records.append(["" if v is None else _xlsx_text(v) for v in rec])
    except InputError:
        raise
    except Exception as exc:  # a broken sheet: XML ParseError, BadZipFile, zlib.error, ...
        raise InputError(path, f"not a readable xlsx workbook ({type(exc).__name__})", fix="open and save it in Excel") from None
    finally:
        book.close()
    return records


def _xlsx_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _convert(text: str, col: Column) -> Any:
    if col.kind is str:
        return text
    if col.kind is bool:
        lowered = text.lower()
        if lowered in ("true", "1", "yes", "y", "o"):
            return True
        if lowered in ("false", "0", "no", "n", "x"):
            return False
        raise ValueError("expected true or false")
    cleaned = text.replace(",", "")
    if col.kind is int:
        try:
            number = float(cleaned)
        except ValueError:
            raise ValueError("expected a whole number") from None
        if not math.isfinite(number) or not number.is_integer():
            raise ValueError("expected a whole number")
        if abs(number) > 2**53:
            raise ValueError("number is too large")
        return int(number)
    if col.kind is float:
        try:
            number = float(cleaned)
        except ValueError:
            raise ValueError("expected a number") from None
        if not math.isfinite(number):
            raise ValueError("expected a finite number")
        return number
    raise TypeError(col.kind)


def _suggest(name: str, known: set[str]) -> str | None:
    """The known column ``name`` was meant to be: the same letters in another case (ADM_CD2), else a close spelling."""
    by_lower = {k.lower(): k for k in sorted(known)}
    if name.lower() in by_lower:
        return by_lower[name.lower()]
    close = difflib.get_close_matches(name.lower(), sorted(by_lower), n=1)
    return by_lower[close[0]] if close else None


def _drop_blank_columns(path: Path, header: list[str], records: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """Drop columns with a blank header and no data (Excel writes ``a,b,c,,``); a blank header over data is an error."""
    blank = [i for i, name in enumerate(header) if name == ""]
    if not blank:
        return header, records
    for i in blank:
        for offset, record in enumerate(records):
            if i < len(record) and record[i] != "":
                raise InputError(path, f"column {i + 1} has no header but has data "
                                 f"(row {offset + 2} has {record[i]!r})", row=1,
                                 fix="write the column's name in row 1, or delete the column")
    keep = [i for i, name in enumerate(header) if name != ""]
    width = len(header)
    # cells beyond the header's width are kept, so the too-many-cells check below still sees them
    trimmed = [[record[i] for i in keep if i < len(record)] + record[width:] for record in records]
    return [header[i] for i in keep], trimmed


def read_table(
    path: Path,
    columns: list[Column],
    *,
    key: tuple[str, ...] = (),
    what: str = "table",
    row_filter: Callable[[dict[str, str]], bool] | None = None,
    extra_columns: bool = False,
    header_alias: Callable[[str], str | None] | None = None,
) -> Table:
    """Read ``path`` and check it against ``columns``; ``key`` columns must be unique together.

    ``extra_columns`` lets other columns through unread (a list of absentees may carry names
    and reasons); otherwise an unknown column is an error, since it is usually a typo.
    ``header_alias`` maps a header as written (e.g. 직급) to a column name (grade), or None
    when it knows no such header; errors then name the column as the file wrote it.
    """
    header, records = read_cells(path)
    header, records = _drop_blank_columns(path, header, records)
    labels: dict[str, str] = {}
    written = list(header)
    if header_alias is not None:
        header = [header_alias(h) or h for h in header]
        labels = {name: text for name, text in zip(header, written) if name != text}
    known = {c.name for c in columns}
    seen: dict[str, str] = {}
    for position, (name, text) in enumerate(zip(header, written), start=1):
        if name in seen:
            same = f"'{seen[name]}' and '{text}' both mean '{name}'" if seen[name] != text else f"column '{name}' appears twice"
            raise InputError(path, f"{same} in the header", row=1, fix="delete one of them")
        seen[name] = text
        if name not in known and not extra_columns:
            close = _suggest(name, known)
            fix = f"rename it to '{close}'" if close else f"remove it; this {what} has columns: {', '.join(c.name for c in columns)}"
            raise InputError(path, f"unknown column '{text}' (header position {position})", row=1, column=text, fix=fix)
    for col in columns:
        if col.required and col.name not in seen:
            raise InputError(
                path, f"missing column '{col.name}'", row=1, column=col.name, fix=f"add a column '{col.name}' {col.hint}".strip()
            )

    rows, numbers, keys = [], [], {}
    for offset, record in enumerate(records):
        line = offset + 2
        if not any(record):
            continue  # blank lines are harmless
        if len(record) > len(header) and any(record[len(header):]):
            raise InputError(path, f"row has {len(record)} cells but the header has {len(header)}", row=line,
                             fix="remove the extra cells or quote values that contain commas")
        cells = dict(zip(header, record + [""] * (len(header) - len(record))))
        if row_filter is not None and not row_filter(cells):
            continue
        row: dict[str, Any] = {}
        for col in columns:
            text = cells.get(col.name, "")
            shown = labels.get(col.name, col.name)
            if text == "":
                if col.nullable or not col.required:  # optional columns may be left blank
                    row[col.name] = None
                    continue
                raise InputError(path, "empty cell", row=line, column=shown, fix=f"fill in a value {col.hint}".strip())
            try:
                value = _convert(text, col)
            except ValueError as exc:
                raise InputError(path, str(exc), row=line, column=shown, value=text,
                                 fix=f"write a valid value {col.hint}".strip()) from None
            if col.choices is not None and value not in col.choices:
                raise InputError(path, "not an allowed value", row=line, column=shown, value=text,
                                 fix=f"use one of: {', '.join(col.choices)}")
            if col.min is not None and value < col.min:
                problem = "negative count" if col.min == 0 else f"below the minimum {col.min:g}"
                raise InputError(path, problem, row=line, column=shown, value=text,
                                 fix=f"write a value of at least {col.min:g} {col.hint}".strip())
            if col.max is not None and value > col.max:
                raise InputError(path, f"above the maximum {col.max:g}", row=line, column=shown, value=text,
                                 fix=f"write a value of at most {col.max:g} {col.hint}".strip())
            row[col.name] = value
        if key:
            ident = tuple(row[k] for k in key)
            if ident in keys:
                raise InputError(path, f"duplicate {'/'.join(key)} (first seen in row {keys[ident]})", row=line,
                                 column=key[-1], value=ident[-1] if len(ident) == 1 else "/".join(map(str, ident)),
                                 fix="each must appear once: delete or rename the duplicate")
            keys[ident] = line
        rows.append(row)
        numbers.append(line)
    return Table(path=path, columns=tuple(header), rows=tuple(rows), row_numbers=tuple(numbers), labels=labels or None)
