"""Atomic file output: write to a temporary file beside the target, then rename it into place.

A run killed mid-write leaves the earlier file intact and no half-written one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Keep a text cell from being read as a spreadsheet formula (CSV/formula injection).

    Text that starts with = + - @ (or a tab or carriage return) gets a leading apostrophe,
    the convention Excel itself uses for 'this is text'. Numbers pass through untouched.
    ``restore`` is its inverse.
    """
    if isinstance(value, str) and value.startswith((*FORMULA_PREFIXES, "'")):
        # text that already starts with an apostrophe gets one more, so ``restore`` can undo every case
        return "'" + value
    return value


def restore(text: str) -> str:
    """Undo ``neutralise``: the ONE place a read-back cell loses the apostrophe the export put before it.

    ``'=x`` reads as ``=x`` and ``''abc`` as ``'abc``; any other text, ``'abc`` included, is returned as it is.
    """
    if isinstance(text, str) and text.startswith("'") and text[1:].startswith((*FORMULA_PREFIXES, "'")):
        return text[1:]
    return text


def unsafe_name(text: str) -> str | None:
    """Why ``text`` cannot be one folder or file name inside an output folder; None when it can.

    A scenario id becomes out/<id>: it may not climb out (``..``), be absolute, hold a path separator,
    be hidden or empty, or hold control characters.
    """
    if not text or not text.strip():
        return "it is empty"
    if text in (".", "..") or "/" in text or "\\" in text or os.path.isabs(text):
        return "it holds a path (a separator, '..' or an absolute path)"
    if text.startswith("."):
        return "it starts with '.' (a hidden name)"
    if any(ord(ch) < 32 or ch == "\x7f" for ch in text):
        return "it holds a control character"
    if len(text.encode("utf-8")) > 200:
        return "it is longer than a file name may be"
    return None


def _umask() -> int:
    """The process umask (reading it means setting it: set 0 and put it straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path; on success it replaces ``target``, on failure it is removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        # mkstemp makes the file 0600; give the output the mode a plain open() would have
        os.chmod(tmp_path, 0o666 & ~_umask())
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_atomic(target: Path, write: Callable[[Path], None]) -> None:
    with atomic_path(target) as tmp:
        write(tmp)


def write_text_atomic(target: Path, text: str) -> None:
    write_atomic(target, lambda tmp: tmp.write_text(text, encoding="utf-8", newline=""))
