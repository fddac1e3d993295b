"""Safe YAML reading with errors that name the file, the key path and the value."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import InputError, quoted
from .files import read_input

MAX_INT = 2**53  # as for numbers in tables: beyond this an integer is no count, weight or seed anyone meant
MAX_DEPTH = 20  # scenario and rules files are a few levels deep
MAX_TEXT = 10_000  # characters in one YAML string (the longest note in the shipped rules is under 1,000)
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # NUL and other invisible controls; tab and line ends pass


class _TextDatesLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text (ids such as 2022-03-09 stay strings), normalises text to NFC
    and refuses a key written twice in one mapping (the last would silently win)."""

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict:
        if isinstance(node, yaml.MappingNode):
            first: dict[Any, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue  # '<<: *base' merges on purpose: later keys override it
                key = self.construct_object(key_node, deep=True)
                try:
                    line = first.get(key)
                except TypeError:  # an unhashable key: the base class says so
                    continue
                if line is not None:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {quoted(key)} is written twice (first on line {line})",
                        key_node.start_mark)
                first[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def _nfc_str(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return unicodedata.normalize("NFC", loader.construct_scalar(node))  # text from a Mac may be decomposed (NFD)


_TextDatesLoader.add_constructor("tag:yaml.org,2002:str", _nfc_str)
_TextDatesLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path) -> dict[str, Any]:
    raw = read_input(path, "yaml")  # a regular file of bounded size, or an InputError naming it
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text", fix="save the file as UTF-8") from None
    try:
        data = yaml.load(text, Loader=_TextDatesLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "invalid YAML"
        if "written twice" in problem:
            raise InputError(path, problem, row=row, fix="keep one of them (YAML would silently use the last)") from None
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
        if isinstance(value, str):
            _check_text(path, keys, value)
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
                if isinstance(k, str):
                    _check_text(path, (*keys, "<key>"), k)
                if isinstance(k, int) and not isinstance(k, bool) and abs(k) > MAX_INT:
                    raise InputError(path, "a key is a number too large", column=".".join(map(str, keys)) or None,
                                     fix="use a name as the key")
            stack.extend(((*keys, k), v) for k, v in items)


def _check_text(path: Path, keys: tuple, text: str) -> None:
    column = ".".join(map(str, keys)) or None
    if len(text) > MAX_TEXT:
        raise InputError(path, f"the text has {len(text):,} characters, more than the {MAX_TEXT:,} allowed",
                         column=column, value=text, fix="shorten it")
    bad = CONTROL.search(text)
    if bad is not None:
        raise InputError(path, f"the text holds a control character (U+{ord(bad.group()):04X})", column=column,
                         fix="delete the invisible character (a \\0 or \\x.. escape in a quoted string writes one)")


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
