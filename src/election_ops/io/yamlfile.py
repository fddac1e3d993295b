"""Safe YAML reading with errors that name the file, the key path and the value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import InputError

MAX_INT = 2**53  # as for numbers in tables: beyond this an integer is no count, weight or seed anyone meant
MAX_DEPTH = 20  # scenario and rules files are a few levels deep


class _TextDatesLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so ids such as 2022-03-09 stay strings."""


_TextDatesLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        if not path.exists():
            raise InputError(path, "file not found", fix="check the path (a scenario names its files relative to itself)")
        if path.is_dir():
            raise InputError(path, "is a directory, not a YAML file", fix="name a .yaml file")
        raw = path.read_bytes()
    except OSError as exc:  # no permission, a name too long for the file system, ...
        raise InputError(path, f"cannot read the file ({exc.strerror or type(exc).__name__})",
                         fix="check the path and that you may read the file") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text", fix="save the file as UTF-8") from None
    try:
        data = yaml.load(text, Loader=_TextDatesLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise InputError(path, f"not valid YAML: {problem}", row=row, fix="check indentation and quoting near that line") from None
    except ValueError:  # int() refuses a number of more than 4300 digits
        raise InputError(path, "not valid YAML: a number with too many digits", fix="write a number of normal size") from None
    except RecursionError:  # the parser recurses once per level of [ or {
        raise InputError(path, f"not valid YAML: nested more than {MAX_DEPTH} levels deep",
                         fix="write a flat mapping of keys to values") from None
    if not isinstance(data, dict):
        raise InputError(path, "expected a mapping of keys to values at the top level", value=type(data).__name__,
                         fix="start the file with 'key: value' lines")
    _check_values(path, data)
    return data


def _check_values(path: Path, data: dict[str, Any]) -> None:
    """Refuse what no setting can mean and would fail far from the file: huge integers, absurd nesting.

    Walks each mapping and list once (YAML anchors may share them, even in a cycle).
    """
    seen: set[int] = set()
    stack: list[tuple[tuple, Any]] = [((), data)]
    while stack:
        keys, value = stack.pop()
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
            raise InputError(path, "number is too large", column=".".join(map(str, keys)) or None,
                             value=value if abs(value) < 10**30 else None,  # str() of a huge int fails
                             fix=f"write a number of at most {MAX_INT:,}")
        if isinstance(value, dict | list):
            if id(value) in seen:
                continue
            seen.add(id(value))
            if len(keys) >= MAX_DEPTH:
                raise InputError(path, f"nested more than {MAX_DEPTH} levels deep", column=".".join(map(str, keys)),
                                 fix="write a flat mapping of keys to values")
            items = list(value.items() if isinstance(value, dict) else enumerate(value))
            for k, _ in items:  # a key too: messages name it
                if isinstance(k, int) and not isinstance(k, bool) and abs(k) > MAX_INT:
                    raise InputError(path, "a key is a number too large", column=".".join(map(str, keys)) or None,
                                     fix="use a name as the key")
            stack.extend(((*keys, k), v) for k, v in items)


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
