"""Safe YAML reading with errors that name the file, the key path and the value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import InputError


class _TextDatesLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so ids such as 2022-03-09 stay strings."""


_TextDatesLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise InputError(path, "file not found", fix="check the path (a scenario names its files relative to itself)")
    if path.is_dir():
        raise InputError(path, "is a directory, not a YAML file", fix="name a .yaml file")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text", fix="save the file as UTF-8") from None
    try:
        data = yaml.load(text, Loader=_TextDatesLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise InputError(path, f"not valid YAML: {problem}", row=row, fix="check indentation and quoting near that line") from None
    if not isinstance(data, dict):
        raise InputError(path, "expected a mapping of keys to values at the top level", value=type(data).__name__,
                         fix="start the file with 'key: value' lines")
    return data


def validate_model(model: type[BaseModel], data: dict[str, Any], path: Path, fix: str = "correct the value"):
    """Build a pydantic model, turning its first error into an InputError with the key path."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        column = ".".join(str(p) for p in err["loc"]) or None
        value = err.get("input")
        if isinstance(value, dict | list):
            value = None
        problem = err["msg"]
        if err["type"] == "value_error":  # a validator's own ValueError: pydantic prefixes 'Value error, '
            problem = problem.removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            problem, fix = "unknown key", "remove it or fix its spelling"
        elif err["type"] == "missing":
            fix = f"add '{column}'"
        raise InputError(path, problem, column=column, value=value, fix=fix) from None
