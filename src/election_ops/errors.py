"""The project's own exception types, turned into exit codes by the CLI."""

from __future__ import annotations

from pathlib import Path


class ElectionOpsError(Exception):
    """Base of every error the CLI reports without a traceback."""

    exit_code = 1


class InputError(ElectionOpsError):
    """Bad input: says which file, row, column and value, what is wrong and how to fix it.

    Rows are numbered as a spreadsheet shows them: the header is row 1, the first data
    row is row 2.
    """

    exit_code = 2

    def __init__(
        self,
        file: str | Path | None,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        fix: str | None = None,
    ) -> None:
        self.file = str(file) if file is not None else None
        self.problem = problem
        self.row = row
        self.column = column
        self.value = value
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [self.file or "<input>"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = ", ".join(where)
        if self.value is not None:
            text += f", value {self.value!r}"
        text += f": {self.problem}"
        if self.fix:
            text += f"\n  fix: {self.fix}"
        return text


class UsageError(ElectionOpsError):
    """A command-line argument that makes no sense (exit code 2)."""

    exit_code = 2
