"""Load a staffing rules file (one per election kind) into ``StaffingRules``."""

from __future__ import annotations

import re
from pathlib import Path

from ..domain import StaffingRules
from ..errors import InputError
from .yamlfile import read_yaml, validate_model

TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
SHIFT_DAYS = ("election_day", "early_days")


def load_rules(path: Path, overrides: dict | None = None) -> StaffingRules:
    data = read_yaml(path)
    if overrides:
        data = apply_overrides(data, overrides, path)
    return parse_rules(data, path)


def parse_rules(data: dict, path: Path) -> StaffingRules:
    """Check a rules mapping read from ``path`` (already merged with any overrides)."""
    data = {k: v for k, v in data.items() if k not in ("calibration", "notes")}  # for people, not the planner
    rules: StaffingRules = validate_model(StaffingRules, data, path)

    shift_ids = set()
    for i, shift in enumerate(rules.shifts):
        for field in ("start", "end"):
            if not TIME.match(getattr(shift, field)):
                raise InputError(path, "not a time of day", column=f"shifts.{i}.{field}", value=getattr(shift, field),
                                 fix="write HH:MM, e.g. 05:00")
        if shift.day not in SHIFT_DAYS:
            raise InputError(path, "unknown day", column=f"shifts.{i}.day", value=shift.day, fix=f"use one of: {', '.join(SHIFT_DAYS)}")
        if shift.id in shift_ids:
            raise InputError(path, "duplicate shift id", column=f"shifts.{i}.id", value=shift.id, fix="give each shift its own id")
        shift_ids.add(shift.id)
    seen = set()
    for i, role in enumerate(rules.roles):
        if role.shift not in shift_ids:
            raise InputError(path, "unknown shift", column=f"roles.{i}.shift", value=role.shift,
                             fix=f"use one of: {', '.join(sorted(shift_ids))}")
        if (role.site_kind, role.role) in seen:
            raise InputError(path, "duplicate role for this site kind", column=f"roles.{i}.role", value=role.role,
                             fix="list each (site_kind, role) once")
        seen.add((role.site_kind, role.role))
        if role.load.value != "none" and role.step is None:
            raise InputError(path, "a load without a step", column=f"roles.{i}.step", fix="add 'step: <people per extra post>' or set load: none")
    shares = rules.early_voting.day_shares
    if any(s < 0 for s in shares) or abs(sum(shares) - 1) > 1e-6:
        raise InputError(path, "early-voting day shares must be non-negative and sum to 1",
                         column="early_voting.day_shares", value=list(shares), fix="e.g. [0.44, 0.56]")
    return rules


def deep_merge(base: dict, change: dict) -> dict:
    """``base`` with ``change`` laid over it; nested mappings merge, everything else replaces."""
    merged = dict(base)
    for key, value in change.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def apply_overrides(data: dict, overrides: dict, path: Path) -> dict:
    """Lay a scenario's ``rule_overrides`` over a rules file.

    Roles are changed by key ``<site_kind>.<role>``, e.g. ``{roles: {polling.guide: {base: 3}}}``;
    everything else merges like nested mappings.
    """
    overrides = dict(overrides)
    role_changes = overrides.pop("roles", {}) or {}
    merged = deep_merge(data, overrides)
    if not isinstance(role_changes, dict):
        raise InputError(path, "rule_overrides.roles must map '<site_kind>.<role>' to changes",
                         column="rule_overrides.roles", fix="e.g. roles: {polling.guide: {base: 3}}")
    roles = [dict(r) if isinstance(r, dict) else r for r in merged.get("roles", [])]
    index = {f"{r.get('site_kind')}.{r.get('role')}": r for r in roles if isinstance(r, dict)}
    for key, change in role_changes.items():
        if key not in index:
            raise InputError(path, "rule_overrides names a role the rules file does not have",
                             column=f"rule_overrides.roles.{key}", fix=f"use one of: {', '.join(index)}")
        if not isinstance(change, dict):
            raise InputError(path, "expected a mapping of role fields", column=f"rule_overrides.roles.{key}",
                             value=change, fix="e.g. {step: 800}")
        index[key].update(change)
    merged["roles"] = roles
    return merged
