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
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import MAX_QUOTED_CHARS, InputError, quoted
from .files import MIB, XLSX_UNPACKED_LIMIT, read_input

ENCODINGS = ("utf-8-sig", "cp949")
MAX_TEXT = 500  # characters in a checked cell unless its column says otherwise (docs/data.md, "Input limits")
EXCEL_CELL_CHARS = 32_767  # what one spreadsheet cell holds: a longer cell could not be written back unchanged
# C0 controls but tab and line ends, and DEL: invisible, and NUL cuts text short in C libraries and file names
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_FIX = "delete the invisible character (it often comes from copying out of another program)"
LINE_BREAKS = re.compile("[\t\n\r\x85\u2028\u2029]")  # allowed in free text only, never in a checked column
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"})


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
    max_length: int = MAX_TEXT  # characters; a longer value is refused, never cut
    personal: bool = False  # personal data (a name): an error names the cell but never quotes it


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
    """Header and rows of a CSV or xlsx file, every cell as stripped, NFC-normalised text.

    Refuses a special or oversized file (``files.read_input``), a control character (NUL,
    ...) anywhere and a cell longer than Excel's ``EXCEL_CELL_CHARS``, naming row and column.
    """
    xlsx = path.suffix.lower() in (".xlsx", ".xlsm")
    raw = read_input(path, "xlsx" if xlsx else "csv")
    records = _read_xlsx(path, raw) if xlsx else _read_csv(path, decode(path, raw))
    records = [[cell.strip() for cell in rec] for rec in records]
    while records and not any(records[-1]):
        records.pop()
    if not records:
        raise InputError(path, "the file is empty", fix="add a header row and data rows")
    return records[0], records[1:]


def _read_csv(path: Path, text: str) -> list[list[str]]:
    if not unicodedata.is_normalized("NFC", text):  # text from a Mac: 독산1동 as decomposed jamo
        text = unicodedata.normalize("NFC", text)
    bad = CONTROL.search(text)
    if bad is not None:  # NUL stops the csv module: swap it for another control character to find the cell
        _refuse_control(path, list(csv.reader(io.StringIO(text.replace("\x00", "\x01"), newline=""))), bad.group())
    records: list[list[str]] = []
    # strict: a quote that is never closed is an error at its row, not one cell holding the rest of the file
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for record in reader:
            records.append(record)  # noqa: PERF402 - the rows read so far number the failing one
    except csv.Error as exc:
        row = len(records) + 1
        message = str(exc)
        if "unexpected end of data" in message:
            problem, fix = 'a quote (") opened in this row is never closed', 'close the quote, or delete the stray "'
        elif "expected after" in message:
            problem, fix = 'a quoted cell goes on after its closing quote', 'quote the whole cell: "like this"'
        elif "field larger than field limit" in message:
            problem, fix = "a cell is too long", f"keep every cell under {EXCEL_CELL_CHARS:,} characters"
        else:
            problem, fix = "not a readable CSV file", "save it again as CSV"
        raise InputError(path, problem, row=row, fix=fix) from None
    _check_lengths(path, records)
    return records


def _refuse_control(path: Path, records: list[list[str]], char: str) -> None:
    for r, record in enumerate(records, start=1):
        for c, cell in enumerate(record):
            if CONTROL.search(cell):
                raise InputError(path, f"the cell holds a control character (U+{ord(char):04X})", row=r,
                                 column=_column_name(records, c),
                                 fix=CONTROL_FIX)
    raise InputError(path, f"the file holds a control character (U+{ord(char):04X})",
                     fix=CONTROL_FIX)


def _check_lengths(path: Path, records: list[list[str]]) -> None:
    for r, record in enumerate(records, start=1):
        for c, cell in enumerate(record):
            if len(cell) > EXCEL_CELL_CHARS:
                raise InputError(path, f"the cell has {len(cell):,} characters, more than a spreadsheet cell holds "
                                 f"({EXCEL_CELL_CHARS:,})", row=r, column=_column_name(records, c),
                                 fix="shorten it; no value of this table is that long")


def _column_name(records: list[list[str]], c: int) -> str:
    """The header's name for column ``c``, or its position when the header cell is no plain short name
    (a quote opened in the header can make it hold the rows below: never quote those)."""
    header = records[0] if records else []
    name = header[c].strip() if c < len(header) else ""
    if not name or len(name) > MAX_QUOTED_CHARS or LINE_BREAKS.search(name) or CONTROL.search(name):
        return f"column {c + 1}"
    return name


def _check_unpacked(path: Path, raw: bytes) -> None:
    """Refuse an xlsx whose parts unpack to more than ``XLSX_UNPACKED_LIMIT`` (read from the zip's directory)."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InputError(path, "not a readable xlsx workbook (not a zip archive)", fix="open and save it in Excel") from None
    if unpacked > XLSX_UNPACKED_LIMIT:
        raise InputError(path, f"the workbook unpacks to {unpacked / MIB:,.0f} MiB, above the limit of "
                               f"{XLSX_UNPACKED_LIMIT // MIB:,} MiB", fix="check that it is the right file")


def _read_xlsx(path: Path, raw: bytes) -> list[list[str]]:
    """The first sheet's cells as text; a formula without a stored result, or with an error, is refused by cell."""
    from openpyxl import load_workbook

    _check_unpacked(path, raw)
    books = []
    try:
        # the cached results (what Excel last computed) and, alongside, the formulas: a formula cell
        # with no cached result was written by a program and never computed, so its value is unknown
        for data_only in (True, False):
            books.append(load_workbook(io.BytesIO(raw), read_only=True, data_only=data_only))
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a broken file
        for book in books:
            book.close()
        raise InputError(path, f"not a readable xlsx workbook ({type(exc).__name__})", fix="open and save it in Excel") from None
    values, formulas = books
    try:
        if not values.worksheets:
            raise InputError(path, "the workbook has no worksheet", fix="put the table on the first sheet")
        sheet = values.worksheets[0]
        records: list[list[str]] = []
        # read-only mode parses a sheet only now, so a damaged sheet fails here, not in load_workbook
        rows = zip(sheet.iter_rows(values_only=True), formulas.worksheets[0].iter_rows(values_only=True))
        for r, (cached, written) in enumerate(rows, start=1):
            record = []
            for c, value in enumerate(cached):
                formula = written[c] if c < len(written) else None
                if formula is not None and (value is None or value in EXCEL_ERRORS) and _is_formula(formula):
                    _refuse_formula(path, sheet.title, records, record, r, c, value)
                text = "" if value is None else _xlsx_text(value)
                if len(text) > EXCEL_CELL_CHARS:
                    raise InputError(path, f"the cell has more than {EXCEL_CELL_CHARS:,} characters", row=r,
                                     column=_column_name(records or [record], c), fix="shorten it")
                bad = CONTROL.search(text)
                if bad is not None:
                    raise InputError(path, f"the cell holds a control character (U+{ord(bad.group()):04X})", row=r,
                                     column=_column_name(records or [record], c), fix=CONTROL_FIX)
                record.append(unicodedata.normalize("NFC", text))
            records.append(record)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken sheet: XML ParseError, BadZipFile, zlib.error, ...
        raise InputError(path, f"not a readable xlsx workbook ({type(exc).__name__})", fix="open and save it in Excel") from None
    finally:
        values.close()
        formulas.close()
    return records


def _is_formula(written: object) -> bool:
    return not isinstance(written, str) or written.startswith("=")  # ArrayFormula and the like, or '=...'


def _refuse_formula(path: Path, sheet: str, records: list[list[str]], record: list[str], r: int, c: int,
                    value: object) -> None:
    from openpyxl.utils import get_column_letter

    cell = f"{get_column_letter(c + 1)}{r}"
    what = "has no stored result" if value is None else f"results in the error {value}"
    raise InputError(path, f"sheet '{sheet}', cell {cell}: a formula that {what}", row=r,
                     column=_column_name(records or [record], c),
                     fix="open the file in Excel and save it (so the formulas are computed), or write the values "
                         "instead of formulas")


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
                raise InputError(path, f"column {i + 1} has no header in row 1 but this row has a value in it",
                                 row=offset + 2, column=f"column {i + 1}",
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
        if LINE_BREAKS.search(text):  # a quoted header cell running over lines would quote the rows below
            raise InputError(path, f"header cell {position} runs over several lines", row=1, column=f"column {position}",
                             fix='write each column name on row 1 only; check for a stray quote (")')
        if name in seen:
            same = (f"{quoted(seen[name])} and {quoted(text)} both mean '{name}'" if seen[name] != text
                    else f"column {quoted(name)} appears twice")
            raise InputError(path, f"{same} in the header", row=1, fix="delete one of them")
        seen[name] = text
        if name not in known and not extra_columns:
            close = _suggest(name, known)
            fix = f"rename it to '{close}'" if close else f"remove it; this {what} has columns: {', '.join(c.name for c in columns)}"
            # the header row may be a person's row when the file has no header: quote the cell cut short
            raise InputError(path, f"unknown column {quoted(text)} (header position {position})", row=1,
                             column=text if len(text) <= MAX_QUOTED_CHARS else f"column {position}", fix=fix)
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
            label = labels.get(col.name, col.name)  # the header as the file wrote it (직급 for grade)
            if text == "":
                if col.nullable or not col.required:  # optional columns may be left blank
                    row[col.name] = None
                    continue
                raise InputError(path, "empty cell", row=line, column=label, fix=f"fill in a value {col.hint}".strip())
            shown = None if col.personal else text  # the offending value, unless it is personal data
            if len(text) > col.max_length:
                raise InputError(path, f"the text has {len(text):,} characters, more than the {col.max_length:,} "
                                 f"allowed in this column", row=line, column=label, value=shown,
                                 fix=f"shorten it {col.hint}".strip())
            if LINE_BREAKS.search(text):  # never quoted: a quote opened here may have swallowed the rows below
                raise InputError(path, "the cell holds a line break or tab", row=line, column=label,
                                 fix='write the value on one line; check for a stray quote (") in this row')
            try:
                value = _convert(text, col)
            except ValueError as exc:
                raise InputError(path, str(exc), row=line, column=label, value=shown,
                                 fix=f"write a valid value {col.hint}".strip()) from None
            if col.choices is not None and value not in col.choices:
                raise InputError(path, "not an allowed value", row=line, column=label, value=shown,
                                 fix=f"use one of: {', '.join(col.choices)}")
            if col.min is not None and value < col.min:
                problem = "negative count" if col.min == 0 else f"below the minimum {col.min:g}"
                raise InputError(path, problem, row=line, column=label, value=shown,
                                 fix=f"write a value of at least {col.min:g} {col.hint}".strip())
            if col.max is not None and value > col.max:
                raise InputError(path, f"above the maximum {col.max:g}", row=line, column=label, value=shown,
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
