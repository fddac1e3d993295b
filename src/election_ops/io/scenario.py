"""Scenario files: which election, which data, which rules, which assumptions.

A scenario names its files by paths relative to itself. It may name a ``base``
scenario and change only what differs; nested mappings merge key by key.

Those paths (data files, rules, staff, base) must stay inside the project folder, the
scenario file's grandparent (which holds scenarios/ and data/), and may not be absolute,
unless the file that writes them says ``allow_outside_paths: true``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

from pydantic import Field

from ..domain import Assumptions, Election, Frozen, Weights
from ..errors import InputError
from ..overlays import LayoutChanges, StaffChanges
from ..safe_write import unsafe_name
from .rules import deep_merge
from .yamlfile import read_yaml, validate_model

DATA_KEYS = ("dongs", "precincts", "dong_history", "elections", "sites", "boundaries")
PATH_KEYS = ("rules", "staff")


class DataFiles(Frozen):
    dongs: Path
    precincts: Path
    dong_history: Path
    elections: Path
    sites: Path
    boundaries: Path


class Scenario(Frozen):
    """A planning question: the election, its data, its rules and its assumptions."""

    id: str
    title: str = ""
    path: Path
    election: Election
    data: DataFiles
    rules: Path
    register_election: str  # electors come from this election's precinct figures
    reference_election: str  # expected turnout comes from this past election
    turnout_scale: Annotated[float, Field(gt=0, le=2)] = 1.0
    covid: bool = True
    staff: Path | None = None
    # Whom staff call about their duty (e.g. "행정지원과 선거팀 02-0000-0000"), printed on notices.pdf.
    contact: Annotated[str, Field(max_length=200)] = ""
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0  # CP-SAT's random seed is a 32-bit integer
    weights: Weights = Weights()
    budget_krw: Annotated[int, Field(ge=0, le=10**13)] | None = None  # allowance budget; the plan says how far under or over
    time_limit: Annotated[float, Field(gt=0)] = 60.0  # seconds; the solver stops earlier once it proves optimality
    rule_overrides: dict = Field(default_factory=dict)
    layout: LayoutChanges = LayoutChanges()
    staff_changes: StaffChanges = StaffChanges()
    bases: tuple[Path, ...] = ()  # the base scenario files, nearest first (set by load_scenario)
    # Paths may leave the project folder (the scenario file's grandparent) or be absolute only when the
    # file that writes them says so; a base's setting does not carry over to the scenarios built on it.
    allow_outside_paths: bool = False

    def assumptions(self) -> Assumptions:
        return Assumptions(register_election=self.register_election, reference_election=self.reference_election,
                           turnout_scale=self.turnout_scale, covid=self.covid)

    def input_files(self) -> dict[str, Path]:
        files = {"scenario": self.path, "rules": self.rules}
        files.update({f"base.{k}": p for k, p in enumerate(self.bases, start=1)})  # a changed base changes the plan
        files.update({k: getattr(self.data, k) for k in DATA_KEYS})
        if self.staff is not None:
            files["staff"] = self.staff
        return files


def _relative_to(folder: Path, name: str) -> Path:
    """``folder / name`` with ``..`` and ``.`` folded away, so messages show data/..., not scenarios/../data/..."""
    return Path(os.path.normpath(folder / name))


def _resolve_paths(raw: dict, path: Path) -> dict:
    """Paths written in a scenario file are relative to that file, and stay in its project folder."""
    raw = dict(raw)
    allow = _allow_outside(raw, path)
    if isinstance(raw.get("data"), dict):
        raw["data"] = {k: (_checked_path(path, f"data.{k}", v, allow) if isinstance(v, str) else v)
                       for k, v in raw["data"].items()}
    for key in PATH_KEYS:
        if isinstance(raw.get(key), str):
            raw[key] = _checked_path(path, key, raw[key], allow)
    return raw


def _allow_outside(raw: dict, path: Path) -> bool:
    allow = raw.get("allow_outside_paths", False)
    if not isinstance(allow, bool):
        raise InputError(path, "must be true or false", column="allow_outside_paths", value=allow,
                         fix="write allow_outside_paths: true to let this file's paths leave the project folder")
    return allow


def project_folder(path: Path) -> Path:
    """The folder a scenario's paths must stay in: the scenario file's grandparent (it holds scenarios/ and data/)."""
    return Path(os.path.abspath(path)).parent.parent


def _checked_path(path: Path, key: str, name: str, allow: bool) -> Path:
    """``name`` resolved against the scenario file; an absolute path, or one that leaves the project folder,
    only with ``allow_outside_paths: true`` (checked on the written text, not through symlinks)."""
    resolved = _relative_to(path.parent, name)
    if allow:
        return resolved
    root = project_folder(path)
    if os.path.isabs(name):
        problem = "an absolute path"
    elif not Path(os.path.abspath(resolved)).is_relative_to(root):
        problem = f"the path leads outside the project folder {root}"
    else:
        return resolved
    raise InputError(path, problem, column=key, value=name,
                     fix=f"write a path relative to {path.name} that stays inside {root}, or add "
                         "'allow_outside_paths: true' to the scenario to use it deliberately")


def _read_chain(path: Path, seen: tuple[Path, ...]) -> tuple[dict, tuple[Path, ...]]:
    resolved = path.resolve()
    if resolved in seen:
        chain = " -> ".join(p.name for p in (*seen, resolved))
        raise InputError(path, f"scenario bases form a cycle ({chain})", column="base", fix="remove one of the 'base' keys")
    raw = _resolve_paths(read_yaml(path), path)
    base = raw.pop("base", None)
    if base is None:
        return raw, ()
    if not isinstance(base, str):
        raise InputError(path, "base must be a file name", column="base", value=base, fix="write e.g. base: 2022-local.yaml")
    _checked_path(path, "base", base, _allow_outside(raw, path))
    base_path = path.parent / base
    try:
        found = base_path.is_file()
    except OSError:  # e.g. a name too long for the file system
        found = False
    if not found:
        raise InputError(path, "base scenario not found", column="base", value=base,
                         fix=f"name an existing scenario file relative to {path.parent}")
    parent, bases = _read_chain(base_path, (*seen, resolved))
    parent.pop("id", None)
    parent.pop("title", None)
    parent.pop("allow_outside_paths", None)  # each file's own setting covers its own paths only
    return deep_merge(parent, raw), (_relative_to(path.parent, base), *bases)


def load_scenario(path: Path) -> Scenario:
    raw, bases = _read_chain(path, ())
    raw["bases"] = bases
    raw.setdefault("id", path.stem)
    raw["path"] = path
    scenario = validate_model(Scenario, raw, path)
    why = unsafe_name(scenario.id)
    if why is not None:  # the id names the plan folder (out/<id>): it may never lead elsewhere
        raise InputError(path, f"the scenario id cannot name a folder: {why}", column="id", value=scenario.id,
                         fix="write a plain name, e.g. id: 2022-presidential-60")
    return scenario
