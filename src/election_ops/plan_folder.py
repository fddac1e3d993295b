"""The plan folder: the ONE place a plan's files are read back and a plan folder is written.

A plan folder holds the files ``reports.plan_files.write_plan`` composes (requirements.csv,
sites.csv, shifts.csv, assignments.csv, shortfalls.csv, roles.csv, roster.xlsx, waits.csv,
and for some runs frozen.csv, absent.csv, changes.csv/xlsx) and summary.json, which
records the inputs (path and sha256 of each), the solver result and the file list with
each file's sha256. See docs/plan-folder.md.

Writing: the whole folder is built in a hidden sibling folder and swapped in with one
rename, under a lock file beside the target. A reader sees the old plan or the new one,
never a mix; files of an earlier run never survive; two writers never interleave (the
second waits for the first, then replaces its plan whole).

Reading: ``read_plan`` checks the folder is a plan and gives a ``PlanFolder`` with a typed
summary; its ``rows``/``frame``/``posts`` read the CSVs, undoing the formula-injection
apostrophe with ``safe_write.restore``. Nothing here imports the solver or pandas at load.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import json
import math
import os
import shutil
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .checksums import file_sha256
from .errors import InputError, UsageError
from .safe_write import restore, unsafe_name

SUMMARY = "summary.json"
FROZEN = "frozen.csv"
ABSENT = "absent.csv"
PLAN_FORMAT = 2  # summary.json's "plan_format"; 1 (absent) = written before the file list existed
POST_FIELDS = ("worker_id", "site_id", "role", "shift")
FIX_PLAN = "write the plan again (election-ops solve --out ...) or point at the folder that holds it"
LOCK_WAIT_S = float(os.environ.get("ELECTION_OPS_LOCK_WAIT", "300"))


# --- reading ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InputRecord:
    """One input file of the run that made the plan: where it was and its sha256 then."""

    name: str
    path: Path
    sha256: str | None


@dataclass(frozen=True)
class Summary:
    """The typed part of summary.json every command relies on; ``raw`` keeps the rest."""

    raw: dict
    scenario_id: str
    title: str
    seed: int | None
    status: str
    shortfall_count: int | None
    standby_empty: int | None
    max_posts_per_worker: int | None
    inputs: dict[str, InputRecord]
    files: dict[str, str]  # file name -> sha256; empty for a plan written before the list existed
    wait_target_min: float

    @property
    def plan_format(self) -> int:
        return int(self.raw.get("plan_format") or 1)


@dataclass(frozen=True)
class Post:
    """One row of assignments.csv (or frozen.csv): ``row`` as a spreadsheet numbers it."""

    worker_id: str
    site_id: str
    role: str
    shift: str
    row: int = 0
    site_kind: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.site_id, self.role, self.shift)


@dataclass(frozen=True)
class PlanFolder:
    path: Path
    summary: Summary
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def file(self, name: str) -> Path:
        """``name`` in the folder; an InputError naming it when it is missing."""
        path = self.path / name
        if not path.is_file():
            raise InputError(path, "missing from the plan folder", fix=FIX_PLAN)
        return path

    def has(self, name: str) -> bool:
        return (self.path / name).is_file()

    def rows(self, name: str, columns: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
        """Typed rows of a plan CSV as (spreadsheet row, {column: value}); see ``read_rows``."""
        return read_rows(self.file(name), columns)

    def frame(self, name: str):
        """A plan CSV as a pandas DataFrame: ids as text, injection apostrophes undone, NFC text."""
        import io

        import pandas as pd

        from .io.files import read_input

        path = self.file(name)
        raw = read_input(path, "csv")  # a regular file of bounded size: a FIFO put in a plan folder cannot hang us
        try:
            # ids stay text ("007" is not 7); only an empty cell is missing ("NA" is a name, not a gap)
            frame = pd.read_csv(io.BytesIO(raw), dtype={c: str for c in TEXT_COLUMNS}, keep_default_na=False, na_values=[""])
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise InputError(path, f"not a readable CSV file ({type(exc).__name__})", fix=FIX_PLAN) from None
        for column in frame.columns:
            if frame[column].dtype == object:
                frame[column] = frame[column].map(lambda v: _nfc(restore(v)) if isinstance(v, str) else v)
        return frame

    def posts(self) -> tuple[Post, ...]:
        """assignments.csv, one Post per row."""
        if "posts" not in self._cache:
            self._cache["posts"] = tuple(
                Post(r["worker_id"], r["site_id"], r["role"], r["shift"], row, r["site_kind"])
                for row, r in self.rows("assignments.csv", {**dict.fromkeys(POST_FIELDS, str), "site_kind": str}))
        return self._cache["posts"]

    def frozen(self) -> tuple[Post, ...]:
        """The posts the run was told to keep (--freeze); none when it was not."""
        if not self.has(FROZEN):
            return ()
        return tuple(Post(r["worker_id"], r["site_id"], r["role"], r["shift"], row)
                     for row, r in self.rows(FROZEN, dict.fromkeys(POST_FIELDS, str)))

    def absent(self) -> tuple[str, ...]:
        """The people a replan was told are absent (this replan's and its base plans'); none for a solve."""
        if not self.has(ABSENT):
            return ()
        return tuple(r["worker_id"] for _, r in self.rows(ABSENT, {"worker_id": str}))

    def input_path(self, name: str) -> Path:
        """The recorded path of input ``name``; an InputError when the plan names none or it is gone."""
        record = self.summary.inputs.get(name)
        where = self.path / SUMMARY
        if record is None:
            raise InputError(where, f"the plan records no '{name}' input", column=f"inputs.{name}",
                             fix="solve the scenario again to write a complete plan")
        if not record.path.exists():
            raise InputError(where, "the plan names an input file that is not there", column=f"inputs.{name}.path",
                             value=str(record.path), fix="restore the file, or solve the scenario again")
        return record.path

    def changed_inputs(self, overrides: dict[str, Path] | None = None) -> list[tuple[str, Path, str]]:
        """Inputs whose file is missing or differs from the recorded sha256: (name, path, what changed)."""
        out = []
        for name, record in sorted(self.summary.inputs.items()):
            path = (overrides or {}).get(name, record.path)
            try:
                actual = file_sha256(path)
            except OSError:
                out.append((name, path, "is missing or unreadable"))
                continue
            if record.sha256 is not None and actual != record.sha256:
                out.append((name, path, (f"changed since the plan was made (sha256 now {actual[:12]}..., "
                                         f"recorded {record.sha256[:12]}...)")))
        return out

    def changed_files(self) -> list[tuple[str, str]]:
        """Files of the list in summary.json that are missing or no longer match their sha256."""
        out = []
        for name, digest in sorted(self.summary.files.items()):
            path = self.path / name
            if not path.is_file():
                out.append((name, "is missing"))
            elif file_sha256(path) != digest:
                out.append((name, "was changed after the plan was written"))
        return out


# columns always read as text
TEXT_COLUMNS = ("site_id", "worker_id", "role", "shift", "site_kind", "department", "dong", "name", "serves",
                "role_name", "reason", "note", "change", "from_site_id", "to_site_id", "location_source")


def is_plan_folder(path: Path) -> bool:
    """A folder with a summary.json that is a plan's (a JSON object recording the plan's inputs)."""
    summary = Path(path) / SUMMARY
    if not summary.is_file():
        return False
    try:
        data = json.loads(summary.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and isinstance(data.get("inputs"), dict)


def read_plan(path: Path) -> PlanFolder:
    """The plan folder at ``path``; an InputError (exit 2) naming what is wrong when it is not one."""
    path = Path(path)
    if not path.is_dir():
        problem = "not a folder (nothing is there)" if not path.exists() else "not a folder"
        raise InputError(path, f"{problem}: expected a plan folder (one that holds summary.json)",
                         fix="name the folder a 'solve' wrote, e.g. out/2022-presidential")
    summary_path = path / SUMMARY
    if not summary_path.is_file():
        raise InputError(summary_path, "not a plan folder: summary.json is missing",
                         fix="name the folder a 'solve' wrote, e.g. out/2022-presidential")
    return PlanFolder(path=path, summary=parse_summary(summary_path))


def _input_path(folder: Path, entry: dict) -> Path:
    """The recorded absolute path; when that is gone, the path relative to the plan folder (the tree was moved)."""
    recorded = Path(entry["path"])
    relative = entry.get("relative")
    if not recorded.exists() and isinstance(relative, str):
        moved = (folder / relative).resolve()
        if moved.exists():
            return moved
    return recorded


def parse_summary(path: Path) -> Summary:
    from .io.files import read_input

    try:
        data = json.loads(read_input(path, "json").decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(path, "not valid JSON (UnicodeDecodeError)", fix=FIX_PLAN) from None
    except OSError as exc:
        raise InputError(path, f"cannot read the file ({exc.strerror})", fix=FIX_PLAN) from None
    except ValueError as exc:
        raise InputError(path, f"not valid JSON ({type(exc).__name__})", fix=FIX_PLAN) from None
    if not isinstance(data, dict):
        raise InputError(path, "not a plan summary (expected a JSON object)", fix=FIX_PLAN)
    inputs = {}
    raw_inputs = data.get("inputs") or {}
    if not isinstance(raw_inputs, dict):
        raise InputError(path, "'inputs' is not a mapping of input files", column="inputs", fix=FIX_PLAN)
    for name, entry in raw_inputs.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            raise InputError(path, "an input without a path", column=f"inputs.{name}", fix=FIX_PLAN)
        digest = entry.get("sha256")
        inputs[name] = InputRecord(name, _input_path(path.parent, entry), digest if isinstance(digest, str) else None)
    files = data.get("files") or {}
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise InputError(path, "'files' is not a list of file checksums", column="files", fix=FIX_PLAN)
    scenario = data.get("scenario") if isinstance(data.get("scenario"), dict) else {}
    limits = data.get("limits") if isinstance(data.get("limits"), dict) else {}
    waits = data.get("waits") if isinstance(data.get("waits"), dict) else {}
    target = waits.get("target_min")
    return Summary(
        raw=data, scenario_id=str(scenario.get("id") or path.parent.name), title=str(scenario.get("title") or ""),
        seed=_int_or_none(scenario.get("seed")), status=str(data.get("status") or ""),
        shortfall_count=_int_or_none(data.get("shortfall_count")),
        standby_empty=_int_or_none(data.get("standby_empty")),
        max_posts_per_worker=_int_or_none(limits.get("max_posts_per_worker")), inputs=inputs, files=dict(files),
        wait_target_min=float(target) if isinstance(target, (int, float)) and not isinstance(target, bool) else 30.0)


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def read_rows(path: Path, columns: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """Rows of a plan CSV as (spreadsheet row number, {column: value}); extra columns are ignored.

    ``columns`` maps a name to its kind: str, str | None, int, int | None, bool or datetime.
    A missing column or a cell of the wrong kind is an InputError naming file, row and column.
    """
    from .io.tables import read_cells

    header, records = read_cells(path)  # InputError naming the file when it is missing or unreadable
    for name in columns:
        if name not in header:
            raise InputError(path, f"missing column '{name}'", row=1, column=name, fix=FIX_PLAN)
    rows = []
    for offset, record in enumerate(records):
        if not any(record):
            continue
        line = offset + 2
        cells = dict(zip(header, record + [""] * (len(header) - len(record))))
        rows.append((line, {name: _value(path, line, name, _nfc(restore(cells[name])), kind)
                            for name, kind in columns.items()}))
    return rows


def _value(path: Path, line: int, column: str, text: str, kind: Any) -> Any:
    nullable = kind in (int | None, str | None)
    if text == "":
        if nullable:
            return None
        if kind is not str:
            raise InputError(path, "empty cell", row=line, column=column, fix=FIX_PLAN)
    try:
        if kind in (str, str | None):
            return text
        if kind in (int, int | None):
            number = float(text)
            if not number.is_integer():
                raise ValueError
            return int(number)
        if kind is bool:
            lowered = text.lower()
            if lowered not in ("true", "false"):
                raise ValueError
            return lowered == "true"
        if kind is datetime:
            return datetime.fromisoformat(text)
    except (ValueError, OverflowError):
        expected = {bool: "true or false", datetime: "a date and time (YYYY-MM-DDTHH:MM)"}.get(kind, "a whole number")
        raise InputError(path, f"expected {expected}", row=line, column=column, value=text, fix=FIX_PLAN) from None
    raise TypeError(kind)


# --- where output may go ----------------------------------------------------------------------------------


def folder_name(text: str) -> str:
    """A scenario id as one folder name: refused (exit 2) when it could leave the folder it is put in."""
    why = unsafe_name(text)
    if why is not None:
        raise UsageError(f"scenario id {text!r} cannot name an output folder: {why}; give the scenario an id "
                         "such as 2022-presidential")
    return text


def check_output_folder(out: Path, inputs: Iterable[Path | None] = (), *, option: str = "--out",
                        plan: bool = True) -> Path:
    """Refuse, before any work, an output folder that would damage something.

    It may not be a file or lie inside one; it may not be, or hold, an input of the run (``inputs``);
    with ``plan`` (a plan is written there) it must be new, empty or already a plan folder; without it
    (other files are written there) it may not be a plan folder, which only a plan may replace.
    """
    out = Path(out)
    for path in (out, *out.parents):
        if path.exists() and not path.is_dir():
            raise UsageError(f"{option} {out}: {path} is a file, not a folder; choose another {option}")
    resolved = out.resolve()
    for source in inputs:
        if source is None:
            continue
        src = Path(source).resolve()
        if src == resolved or resolved in src.parents:
            what = "is" if src == resolved else "holds"
            raise UsageError(f"{option} {out} {what} an input of this run ({source}); writing there would "
                             f"overwrite or mix with it: choose a new folder, e.g. out/<name>")
    if not out.is_dir():
        return out
    if plan:
        if not is_plan_folder(out) and any(_visible(out)):
            example = min(p.name for p in _visible(out))
            raise UsageError(f"{option} {out} is a folder that is neither empty nor a plan (it holds {example}, ...); "
                             "a plan folder is replaced whole, so choose a new or empty folder")
    elif is_plan_folder(out):
        raise UsageError(f"{option} {out} is a plan folder; only a plan may replace its files: "
                         "choose another folder")
    return out


def check_output_file(out: Path, inputs: Iterable[Path | None] = (), *, option: str = "--out") -> Path:
    """Refuse an output file that is a folder, lies inside a file, or is an input of the run."""
    out = Path(out)
    if out.is_dir():
        raise UsageError(f"{option} {out}: is a folder; name a file")
    for path in out.parents:
        if path.exists() and not path.is_dir():
            raise UsageError(f"{option} {out}: {path} is a file, not a folder; choose another {option}")
    resolved = out.resolve()
    for source in inputs:
        if source is not None and Path(source).resolve() == resolved:
            raise UsageError(f"{option} {out} is an input of this run; choose another file name")
    return out


def _visible(folder: Path) -> Iterator[Path]:
    return (p for p in folder.iterdir() if not p.name.startswith("."))


# --- writing ----------------------------------------------------------------------------------------------


def write_plan_folder(target: Path, files: dict[str, Callable[[Path], None]], summary: dict, *,
                      inputs: Iterable[Path | None] = ()) -> None:
    """Write a whole plan folder: every file of ``files`` (name -> writer of a path) plus summary.json.

    The files are written into a hidden sibling folder; summary.json gets the file list with each
    file's sha256; then the sibling is swapped in for ``target`` with one rename. A failure part-way
    leaves ``target`` as it was. Holding the lock beside ``target``, a second writer waits for the
    first (up to ELECTION_OPS_LOCK_WAIT seconds, then exit 2), and the last to finish wins whole.
    """
    target = Path(os.path.abspath(target))
    for name in files:
        if name in (SUMMARY, "", ".", "..") or "/" in name or "\\" in name or name.startswith("."):
            raise ValueError(f"not a plan file name: {name!r}")
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(target):
        check_output_folder(target, inputs)  # again under the lock: another run may have written meanwhile
        _sweep(parent, target.name)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=parent))
        try:
            for name, write in files.items():
                write(staging / name)
            listing = {name: file_sha256(staging / name) for name in sorted(files)}
            content = {**json_safe(summary), "plan_format": PLAN_FORMAT, "files": listing}
            (staging / SUMMARY).write_text(json.dumps(content, indent=2, ensure_ascii=False, sort_keys=True,
                                                      allow_nan=False) + "\n", encoding="utf-8", newline="\n")
            mask = _umask()
            for path in staging.iterdir():
                with open(path, "rb+") as fh:
                    os.fsync(fh.fileno())
                os.chmod(path, 0o666 & ~mask)
            os.chmod(staging, 0o777 & ~mask)  # mkdtemp makes it 0700
            _swap_in(staging, target)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def writer_lock(target: Path, wait_s: float | None = None) -> Iterator[None]:
    """An exclusive lock on ``.<target>.lock`` beside ``target``; released when the process ends, even killed."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock, the swap still keeps the folder whole
        yield
        return
    wait_s = LOCK_WAIT_S if wait_s is None else wait_s
    lock_path = target.parent / f".{target.name}.lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise UsageError(f"{target}: another election-ops run is writing this folder (lock {lock_path} "
                                     f"held for over {wait_s:g} s); wait for it to finish, or choose another --out") \
                        from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _sweep(parent: Path, name: str) -> None:
    """Remove staging folders a killed run left behind (safe: we hold the lock, so none is live)."""
    for pattern in (f".{name}.new-*", f".{name}.old-*"):
        for stale in parent.glob(pattern):
            shutil.rmtree(stale, ignore_errors=True)


def _swap_in(staging: Path, target: Path) -> None:
    """Put ``staging`` at ``target``: atomically exchanged where the system can, else two quick renames."""
    if not target.exists() and not target.is_symlink():
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the old plan
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    os.rmdir(old)
    os.rename(target, old)
    os.rename(staging, target)
    shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): swap two folders in one step; False where unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def json_safe(value):
    """NaN and infinities become None (JSON null); numpy scalars plain numbers."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):  # a numpy scalar
        return json_safe(value.item())
    return value


def write_posts_csv(path: Path, posts: Iterable[Any]) -> None:
    """frozen.csv: worker_id, site_id, role, shift (ids only), injection-safe like every plan CSV."""
    _write_csv(path, POST_FIELDS, [[getattr(p, f) for f in POST_FIELDS] for p in posts])


def write_absent_csv(path: Path, worker_ids: Iterable[str]) -> None:
    _write_csv(path, ("worker_id",), [[w] for w in worker_ids])


def _write_csv(path: Path, header: tuple[str, ...], rows: list[list[str]]) -> None:
    import csv

    from .safe_write import neutralise

    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([[neutralise(v) for v in row] for row in rows])
