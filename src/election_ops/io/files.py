"""Open an input file safely: a regular file only, of a bounded size, read once.

Every loader reads its bytes through ``read_input`` (tables, xlsx, YAML, GeoJSON, the
freeze and absent lists), so a symlink to ``/dev/zero``, a FIFO with no writer, a
directory or a runaway file is refused by name before a byte is read, with exit code 2.
The limits (``LIMITS``) are far above any real district; docs/data.md lists them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import InputError

MIB = 1024 * 1024

# Bytes on disk per kind of input. A national staff pool of 1 million people is about 150 MB as CSV.
LIMITS = {
    "csv": 512 * MIB,
    "xlsx": 128 * MIB,
    "yaml": 4 * MIB,  # scenario and rules files are a few KB
    "geojson": 512 * MIB,
    "json": 64 * MIB,
}
XLSX_UNPACKED_LIMIT = 2048 * MIB  # what an xlsx's parts may unpack to in all (a "zip bomb" is refused)

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device (such as /dev/zero)"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def kind_of(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _refuse_special(path: Path, mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise InputError(path, f"is {kind_of(mode)}, not a regular file",
                         fix="name an ordinary file (a link to a device, pipe or folder is not read)")


def _check_size(path: Path, size: int, kind: str) -> None:
    limit = LIMITS[kind]
    if size > limit:
        raise InputError(path, f"the file is {size / MIB:,.1f} MiB, above the limit of {limit // MIB:,} MiB "
                               f"for a {kind} input", fix="check that it is the right file (docs/data.md lists the limits)")


def check_input(path: Path, kind: str) -> int:
    """Refuse a missing, special or oversized file before anything opens it; return its size in bytes."""
    try:
        info = os.stat(path)  # follows symlinks: a link to /dev/zero is a character device here
    except FileNotFoundError:
        raise InputError(path, "file not found", fix="check the path (a scenario names its files relative to itself)") from None
    except OSError as exc:  # no permission on a folder, a name too long, a symlink loop, ...
        raise InputError(path, f"cannot read the file ({exc.strerror or type(exc).__name__})",
                         fix="check the path and that you may read the file") from None
    _refuse_special(path, info.st_mode)
    _check_size(path, info.st_size, kind)
    return info.st_size


def read_input(path: Path, kind: str) -> bytes:
    """The bytes of ``path``, a regular file of at most ``LIMITS[kind]`` bytes.

    Opened non-blocking (a FIFO swapped in after the check cannot hang the open) and
    checked again on the open descriptor, then read to at most the limit.
    """
    check_input(path, kind)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputError(path, f"cannot read the file ({exc.strerror or type(exc).__name__})",
                         fix="check the path and that you may read the file") from None
    try:
        info = os.fstat(fd)
        _refuse_special(path, info.st_mode)
        _check_size(path, info.st_size, kind)
        chunks, left = [], LIMITS[kind] + 1
        while left > 0:
            chunk = os.read(fd, min(left, 16 * MIB))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise InputError(path, f"cannot read the file ({exc.strerror or type(exc).__name__})",
                         fix="check the path and that you may read the file") from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    _check_size(path, len(raw), kind)  # a file that grew while it was read
    return raw
