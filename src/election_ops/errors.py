"""The project's own exception types, turned into exit codes by the CLI."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from pathlib import Path

# An error quotes at most this much of the offending value: enough to find it, never a run of other rows
# (a broken quote can make one "cell" of a whole file).
MAX_QUOTED_CHARS = 40


def quoted(value: object, limit: int = MAX_QUOTED_CHARS) -> str:
    """``repr(value)``, cut to ``limit`` characters of the value with its full length said."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]!r}… ({len(value):,} characters)"
    try:
        text = repr(value)
    except ValueError:  # str() of an int of more than 4300 digits
        return f"<a number of {value.bit_length():,} bits>" if isinstance(value, int) else "<unprintable>"
    return text if len(text) <= limit + 2 else text[:limit] + "…"


def close_matches(name: object, known: Iterable[str], n: int = 3) -> list[str]:
    """The ``known`` ids ``name`` was probably meant to be: the same letters in another case first, then close spellings."""
    known = sorted(set(known))
    text = unicodedata.normalize("NFC", str(name)).strip()
    same_case = [k for k in known if k.lower() == text.lower()]
    if same_case:  # Eday -> eday: the one meant, without look-alikes beside it
        return same_case[:n]
    by_lower: dict[str, str] = {}
    for k in known:
        by_lower.setdefault(k.lower(), k)
    close = [by_lower[c] for c in difflib.get_close_matches(text.lower(), list(by_lower), n=n, cutoff=0.6)]
    return list(dict.fromkeys(same_case + close))[:n]


def did_you_mean(name: object, known: Iterable[str], what: str = "one of") -> str:
    """A fix text: the close matches of ``name`` if any, else the known ids (at most 20 of them)."""
    known = sorted(set(known))
    close = close_matches(name, known)
    if close:
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    shown = ", ".join(known[:20]) + (f", ... ({len(known)} in all)" if len(known) > 20 else "")
    return f"use {what}: {shown}" if known else "there is nothing it could name"


class ElectionOpsError(Exception):
    """Base of every error the CLI reports without a traceback."""

    exit_code = 1


class InputError(ElectionOpsError):
    """Bad input: says which file, row, column and value, what is wrong and how to fix it.

    Rows are numbered as a spreadsheet shows them: the header is row 1, the first data
    row is row 2. The value is quoted cut to ``MAX_QUOTED_CHARS``; pass ``value=None`` for
    a cell of personal data (a name).
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
            where.append(f"column '{_cut(self.column)}'")
        text = ", ".join(where)
        if self.value is not None:
            text += f", value {quoted(self.value)}"
        text += f": {self.problem}"
        if self.fix:
            text += f"\n  fix: {self.fix}"
        return text


def _cut(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


class UsageError(ElectionOpsError):
    """A command-line argument that makes no sense (exit code 2)."""

    exit_code = 2
