"""The scenario template of a country run: the same scenario keys laid over every unit's own scenario.

Only keys that mean the same in every unit are allowed (turnout, COVID roles, rule
overrides, weights, ...); paths, the election and the layout belong to the unit.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..errors import InputError

ALLOWED_KEYS = ("title", "turnout_scale", "covid", "weights", "time_limit", "rule_overrides", "staff_changes")


def read_template(path: Path) -> str:
    """The template's text, checked: a mapping of allowed keys that loads over a real unit's scenario."""
    import yaml

    from ..io.yamlfile import read_yaml

    data = read_yaml(path)
    for key in data:
        if key not in ALLOWED_KEYS:
            raise InputError(path, "this key cannot be set for every unit in a country run", column=str(key),
                             fix=f"use only {', '.join(ALLOWED_KEYS)} (the rest comes from each unit's own data)")
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=True)


def check_template_on(unit_code: str, template: str, path: Path) -> None:
    """Load the template over one real unit's scenario, so a bad value stops the run before any work."""
    from ..districts import init_unit
    from ..pipeline import load_inputs
    from .unit_task import _apply_template

    with tempfile.TemporaryDirectory(prefix="election-ops-template-") as tmp:
        scenario = _apply_template(init_unit(unit_code, Path(tmp) / "district"), template)
        try:
            load_inputs(scenario)
        except InputError as exc:
            raise InputError(path, f"the template does not load over unit {unit_code}: {exc.problem}",
                             column=exc.column, value=exc.value, fix=exc.fix) from None
