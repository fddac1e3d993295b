"""Cross-file checks: every id one input names must exist in another, or the input is refused.

A typo in an id would otherwise be silently ignored: ``staff_changes.shifts: [Eday]``
would block nobody, limits for a site id that does not exist would limit nothing. Each
error names the key and suggests the close matches (``did you mean 'eday'?``).
"""

from __future__ import annotations

from pathlib import Path

from .domain import District, Election, StaffingRules
from .errors import InputError, did_you_mean


def shift_ids(election: Election, rules: StaffingRules) -> set[str]:
    """Every shift id a person can be unavailable on: the rules' shift ids and each early day's (``early-1``...)."""
    ids = {tpl.id for tpl in rules.shifts}
    for tpl in rules.shifts:
        if tpl.day == "early_days":
            ids.update(f"{tpl.id}-{k}" for k in range(1, len(election.early_days) + 1))
    return ids


def check_staff_changes(shifts: tuple[str, ...], known: set[str], source: str | Path) -> None:
    for i, shift in enumerate(shifts):
        if shift not in known:
            raise InputError(source, "unknown shift id: the change would block nobody", column=f"staff_changes.shifts.{i}",
                             value=shift, fix=did_you_mean(shift, known))


def check_wait_ids(rules: StaffingRules, district: District, rules_path: Path, scenario_path: Path,
                   overrides: dict) -> None:
    """``waits.site_limits`` must name sites of the district, ``waits.stage_roles`` roles of the rules."""
    waits_override = overrides.get("waits") if isinstance(overrides, dict) else None
    waits_override = waits_override if isinstance(waits_override, dict) else {}

    def source(key: str) -> tuple[Path, str]:
        given = waits_override.get(key)  # a scenario's rule_overrides, else the rules file
        return (scenario_path, "rule_overrides.") if isinstance(given, dict) and given else (rules_path, "")

    sites = {s.id for s in district.sites}
    for site_id in rules.waits.site_limits:
        if site_id not in sites:
            path, prefix = source("site_limits")
            raise InputError(path, "limits for a site the district does not have: they would limit nothing",
                             column=f"{prefix}waits.site_limits", value=site_id,
                             fix=did_you_mean(site_id, sites, "a site_id of the sites file"))
    roles = {r.role for r in rules.roles}
    for stage, role in rules.waits.stage_roles.items():
        if role not in roles:
            path, prefix = source("stage_roles")
            raise InputError(path, "a role the rules file does not have", column=f"{prefix}waits.stage_roles.{stage}",
                             value=role, fix=did_you_mean(role, roles))
