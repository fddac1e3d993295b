"""Scenario files: which election, which data, which rules, which assumptions.

A scenario names its files by paths relative to itself. It may name a ``base``
scenario and change only what differs; nested mappings merge key by key.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

from pydantic import Field

from ..domain import Assumptions, Election, Frozen, Weights
from ..overlays import LayoutChanges, StaffChanges
from ..errors import InputError
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
    seed: int = 0
    weights: Weights = Weights()
    time_limit: Annotated[float, Field(gt=0)] = 60.0  # seconds; the solver stops earlier once it proves optimality
    rule_overrides: dict = Field(default_factory=dict)
    layout: LayoutChanges = LayoutChanges()
    staff_changes: StaffChanges = StaffChanges()
    bases: tuple[Path, ...] = ()  # the base scenario files, nearest first (set by load_scenario)

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


def _resolve_paths(raw: dict, folder: Path) -> dict:
    """Paths written in a scenario file are relative to that file."""
    raw = dict(raw)
    if isinstance(raw.get("data"), dict):
        raw["data"] = {k: (_relative_to(folder, v) if isinstance(v, str) else v) for k, v in raw["data"].items()}
    for key in PATH_KEYS:
        if isinstance(raw.get(key), str):
            raw[key] = _relative_to(folder, raw[key])
    return raw


def _read_chain(path: Path, seen: tuple[Path, ...]) -> tuple[dict, tuple[Path, ...]]:
    resolved = path.resolve()
    if resolved in seen:
        chain = " -> ".join(p.name for p in (*seen, resolved))
        raise InputError(path, f"scenario bases form a cycle ({chain})", column="base", fix="remove one of the 'base' keys")
    raw = _resolve_paths(read_yaml(path), path.parent)
    base = raw.pop("base", None)
    if base is None:
        return raw, ()
    if not isinstance(base, str):
        raise InputError(path, "base must be a file name", column="base", value=base, fix="write e.g. base: 2022-local.yaml")
    base_path = path.parent / base
    if not base_path.exists():
        raise InputError(path, "base scenario not found", column="base", value=base,
                         fix=f"name an existing scenario file relative to {path.parent}")
    parent, bases = _read_chain(base_path, (*seen, resolved))
    parent.pop("id", None)
    parent.pop("title", None)
    return deep_merge(parent, raw), (_relative_to(path.parent, base), *bases)


def load_scenario(path: Path) -> Scenario:
    raw, bases = _read_chain(path, ())
    raw["bases"] = bases
    raw.setdefault("id", path.stem)
    raw["path"] = path
    return validate_model(Scenario, raw, path)
