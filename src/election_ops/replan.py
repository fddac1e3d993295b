"""Re-plan a solved roster when people drop out: keep every unaffected post, fill the freed ones.

Reads a plan folder written by ``solve`` (its summary.json names the scenario and staff
files), marks the absent people unavailable, and solves again with the earlier plan as
the starting point: every post given to someone who did not hold it costs
``weights.change``, far more than commute and far less than a shortfall. Also the home of
``--freeze`` for any solve: posts that must stay as they are.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, did_you_mean
from .io.tables import Column, read_table
from .plan_folder import read_plan
from .safe_write import restore
from .solution import Assignment, FixedPost, Plan

POST_COLUMNS = [Column("worker_id"), Column("site_id"), Column("role"), Column("shift")]


@dataclass(frozen=True)
class PlanFolder:
    """What replanning needs from an earlier plan's folder (read through ``plan_folder``)."""

    path: Path
    scenario: Path
    staff: Path
    staff_sha256: str | None
    posts: tuple[FixedPost, ...]
    absent: tuple[str, ...] = ()  # people already absent in the plan being changed (a replan of a replan)


def read_plan_folder(plan_dir: Path) -> PlanFolder:
    folder = read_plan(plan_dir)
    scenario, staff = folder.input_path("scenario"), folder.input_path("staff")
    posts = tuple(FixedPost(worker_id=p.worker_id, site_id=p.site_id, role=p.role, shift=p.shift)
                  for p in folder.posts())
    return PlanFolder(path=plan_dir, scenario=scenario, staff=staff,
                      staff_sha256=folder.summary.inputs["staff"].sha256, posts=posts, absent=folder.absent())


def read_posts(path: Path) -> tuple[FixedPost, ...]:
    """Posts from a CSV/xlsx with worker_id, site_id, role, shift (a --freeze list)."""
    return read_posts_with_rows(path)[0]


def read_posts_with_rows(path: Path) -> tuple[tuple[FixedPost, ...], tuple[int, ...]]:
    """``read_posts`` and the spreadsheet row of each post, so a check can name the row."""
    table = read_table(path, POST_COLUMNS, key=("worker_id", "site_id", "role", "shift"), what="list of posts",
                       extra_columns=True)
    posts = tuple(FixedPost(worker_id=restore(r["worker_id"]), site_id=restore(r["site_id"]), role=restore(r["role"]),
                            shift=restore(r["shift"])) for r in table.rows)
    return posts, table.row_numbers


def parse_absent(value: str, known_ids: set[str]) -> tuple[str, ...]:
    """Absent people from a CSV/xlsx with a worker_id column, or from comma-separated ids."""
    path = Path(value)
    if path.suffix.lower() in (".csv", ".xlsx", ".xlsm") or path.exists():
        table = read_table(path, [Column("worker_id")], key=("worker_id",), what="list of absent people",
                           extra_columns=True)
        ids = [(row, restore(r["worker_id"])) for row, r in table]
        source: str | Path = path
    else:
        ids = [(None, unicodedata.normalize("NFC", part.strip())) for part in value.split(",") if part.strip()]
        source = "--absent"
    if not ids:
        raise InputError(source, "no worker ids given", fix="list the absent people's worker ids")
    for row, worker_id in ids:
        if worker_id not in known_ids:
            raise InputError(source, "not a worker id of the staff pool", row=row, column="worker_id",
                             value=worker_id, fix=f"check the id against the staff file: {did_you_mean(worker_id, known_ids)}")
    return tuple(dict.fromkeys(worker_id for _, worker_id in ids))


@dataclass(frozen=True)
class Change:
    """One line of the task force's call list."""

    change: str  # absent, called, moved, released
    worker_id: str
    before: tuple[FixedPost, ...]
    after: tuple[Assignment, ...]


def plan_changes(before: tuple[FixedPost, ...], after: Plan, absent: tuple[str, ...]) -> list[Change]:
    """Who is newly called, who moves from where to where, whose post is freed: the difference of two plans."""
    old: dict[str, list[FixedPost]] = {}
    for post in before:
        old.setdefault(post.worker_id, []).append(post)
    new: dict[str, list[Assignment]] = {}
    for a in after.assignments:
        new.setdefault(a.worker_id, []).append(a)
    changes = []
    for worker_id in sorted(set(old) | set(new)):
        had = {_post_key(p): p for p in old.get(worker_id, ())}
        has = {_post_key(a): a for a in new.get(worker_id, ())}
        # posts kept are no change: list only what the person leaves and what they take
        was = tuple(sorted((p for k, p in had.items() if k not in has), key=_post_key))
        now = tuple(sorted((a for k, a in has.items() if k not in had), key=_post_key))
        if not was and not now:
            continue
        if worker_id in absent:
            kind = "absent"
        elif not was:
            kind = "called" if not had else "moved"  # a second post for someone already placed is a move too
        elif not now:
            kind = "released"
        else:
            kind = "moved"
        changes.append(Change(change=kind, worker_id=worker_id, before=was, after=now))
    return changes


def _post_key(post: FixedPost | Assignment) -> tuple[str, str, str]:
    return (post.site_id, post.role, post.shift)


def changed_assignments(before: tuple[FixedPost, ...], after: Plan) -> int:
    """Assignments of the new plan that the earlier plan did not have."""
    old = {(p.worker_id, *_post_key(p)) for p in before}
    return sum((a.worker_id, *_post_key(a)) not in old for a in after.assignments)
