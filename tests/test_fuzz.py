"""Fuzzing the loaders and the scenario parser: every broken input ends in an InputError or loads.

Hypothesis mutates copies of the shipped files (the district's CSVs, the staff pool as CSV
and xlsx, the scenario and rules YAML): columns dropped, renamed or doubled, cells replaced
by random text, huge or negative numbers, rows doubled, files truncated, re-encoded or
replaced by random bytes. Whatever comes in, the loader either returns a result or raises
the project's own ``InputError``: never a traceback from somewhere deeper.

Crashes these tests found are kept as ``@example`` cases or plain tests next to them.
The end of the file checks where a scenario's paths may point (``allow_outside_paths``).
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from election_ops.errors import InputError
from election_ops.io.district import load_district
from election_ops.io.rules import load_rules
from election_ops.io.scenario import load_scenario
from election_ops.io.staff import load_staff
from election_ops.pipeline import load_inputs, plan_demand
from projects import copy_project

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA = Path("data/precincts/geumcheon")
DISTRICT_FILES = ("dongs.csv", "precinct_history.csv", "dong_history.csv", "elections.csv", "sites.csv")
XLSX_ROWS = 8  # fewer for xlsx: a failing example prints its rows
STAFF_ROWS = 30  # the first rows of the shipped pool: small enough that a mutation often hits a checked cell

# ELECTION_OPS_FUZZ_EXAMPLES=2000 runs a longer campaign (the default keeps the file under a minute)
EXAMPLES = int(os.environ.get("ELECTION_OPS_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ_FEW = settings(max_examples=max(EXAMPLES // 2, 1), deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- random cell values and table mutations ----------------------------------------------

NASTY_CELLS = [
    "", " ", "-1", "-0", "0", "1e308", "-1e308", "1e309", "9" * 40, "-" + "9" * 40, "nan", "NaN", "inf", "-inf",
    "1,2,3", ",", "1.5", "0x10", "true", "None", "null", "=1+2", "+82", "@SUM(A1)", "'", '"', "\x00", "\ufeff",
    "독산9동", "*", ";", ";;", "가산동-0", "가산동-99999999999999999999", "\u200b", "\r", "a\nb", "12:00", "2022-02-30",
    # issue 10: NFD text, stray quotes, invisible controls, over-long text, huge numbers
    unicodedata.normalize("NFD", "독산1동"), unicodedata.normalize("NFD", "독산1동 주민센터"), '"abc', 'a"b"c', '""',
    "\x07", "\x1b[31m", "\x7f", "\u2028", "가" * 101, "x" * 40_000, "1" * 5000, "1e4000", "9" * 400 + ".5",
    "9999-12-31", "0001-01-01",
]

cell_text = st.one_of(
    st.sampled_from(NASTY_CELLS),
    st.text(max_size=12),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


@st.composite
def mutated_rows(draw, rows: list[list[str]]) -> list[list[str]]:
    """``rows`` (header first) after one to four random edits."""
    rows = [list(r) for r in rows]
    for _ in range(draw(st.integers(1, 4))):
        width = max(len(rows[0]), 1) if rows else 1
        op = draw(st.sampled_from(["drop_col", "rename_col", "dup_col", "cell", "cell", "cell", "dup_row",
                                   "drop_rows", "shuffle_header", "ragged"]))
        if not rows:
            break
        col = draw(st.integers(0, width - 1))
        if op == "drop_col":
            rows = [r[:col] + r[col + 1:] for r in rows]
        elif op == "rename_col" and col < len(rows[0]):
            rows[0][col] = draw(st.one_of(cell_text, st.sampled_from([c.upper() for c in rows[0]] or ["X"])))
        elif op == "dup_col":
            rows = [r + r[col:col + 1] for r in rows]
        elif op == "cell" and len(rows) > 1:
            r = draw(st.integers(1, len(rows) - 1))
            if col < len(rows[r]):
                rows[r][col] = draw(cell_text)
        elif op == "dup_row" and len(rows) > 1:
            rows.append(list(rows[draw(st.integers(1, len(rows) - 1))]))
        elif op == "drop_rows":
            keep = draw(st.integers(0, len(rows)))
            rows = rows[:keep]
        elif op == "shuffle_header":
            rows[0] = draw(st.permutations(rows[0]))
        elif op == "ragged" and len(rows) > 1:
            r = draw(st.integers(1, len(rows) - 1))
            rows[r] = rows[r][:col] if draw(st.booleans()) else rows[r] + [draw(cell_text)]
    return rows


def to_csv(rows: list[list[str]]) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@st.composite
def mutated_csv_bytes(draw, original: bytes) -> bytes:
    """A CSV file's bytes after table edits, then perhaps a byte-level accident."""
    rows = list(csv.reader(io.StringIO(original.decode("utf-8-sig"), newline="")))
    kind = draw(st.sampled_from(["table", "table", "table", "table", "encoding", "truncate", "bytes", "empty"]))
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    if kind == "empty":
        return draw(st.sampled_from([b"", b"\n", b"\r\n\r\n", b"\xef\xbb\xbf", b",,,\n", b"\x00"]))
    text = to_csv(draw(mutated_rows(rows)) if kind == "table" else rows)
    if kind == "encoding":
        encoding = draw(st.sampled_from(["cp949", "utf-16", "utf-16-le", "utf-32", "latin-1", "utf-8-sig", "euc-kr"]))
        if draw(st.booleans()):
            text = text.replace("\n", "\r\n")
        return text.encode(encoding, errors="replace")
    raw = text.encode("utf-8")
    if kind == "truncate":
        return raw[: draw(st.integers(0, len(raw)))]
    return raw


# --- the district loaders ----------------------------------------------------------------


@pytest.fixture(scope="module")
def district_copy(tmp_path_factory) -> Path:
    """One copy of the district's files for the whole module; each example restores what it broke."""
    root = tmp_path_factory.mktemp("district")
    shutil.copytree(REPO_ROOT / DATA, root / DATA)
    return root / DATA


def _load_district(folder: Path):
    return load_district(folder / "dongs.csv", folder / "precinct_history.csv", folder / "dong_history.csv",
                         folder / "elections.csv", folder / "sites.csv", folder / "dongs.geojson")


def _loads_or_input_error(load, *args):
    """Call ``load``; an InputError is a fine answer, any other exception fails the test."""
    try:
        return load(*args)
    except InputError as exc:
        text = str(exc)
        assert text and "Traceback" not in text
        return None


def _with_file(path: Path, content: bytes, load, *args):
    original = path.read_bytes()
    path.write_bytes(content)
    try:
        return _loads_or_input_error(load, *args)
    finally:
        path.write_bytes(original)


@pytest.mark.parametrize("file", DISTRICT_FILES)
@FUZZ
@given(data=st.data())
def test_fuzzed_district_file_loads_or_raises_input_error(district_copy, file, data):
    path = district_copy / file
    content = data.draw(mutated_csv_bytes((REPO_ROOT / DATA / file).read_bytes()), label="content")
    _with_file(path, content, _load_district, district_copy)


@pytest.mark.parametrize("file", DISTRICT_FILES)
@FUZZ_FEW
@given(data=st.data())
def test_fuzzed_district_file_gives_demand_or_input_error(scenario_copy, file, data):
    """The same through the whole of ``demand``: what loads must also give a demand, or a clear error."""
    path = scenario_copy.parent / DATA / file
    content = data.draw(mutated_csv_bytes((REPO_ROOT / DATA / file).read_bytes()), label="content")
    _with_file(path, content, _load_all, scenario_copy / "2022-presidential.yaml")


@FUZZ_FEW
@given(content=st.one_of(
    st.binary(max_size=300),
    st.sampled_from([b"", b"{}", b"[]", b"null", b'{"type": "FeatureCollection", "features": []}',
                     (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": null, '
                      b'"properties": {"dong": "\xea\xb0\x80\xec\x82\xb0\xeb\x8f\x99"}}]}')]),
    st.integers(0, 20_000).map(lambda n: (REPO_ROOT / DATA / "dongs.geojson").read_bytes()[:n]),
))
def test_fuzzed_boundaries_load_or_raise_input_error(district_copy, content):
    _with_file(district_copy / "dongs.geojson", content, _load_district, district_copy)


# --- the staff loader: CSV and xlsx -------------------------------------------------------


def _staff_rows() -> list[list[str]]:
    text = (REPO_ROOT / "data/staff/geumcheon-2022.csv").read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))[: STAFF_ROWS + 1]


@pytest.fixture(scope="module")
def staff_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("staff")


@FUZZ
@given(data=st.data())
def test_fuzzed_staff_csv_loads_or_raises_input_error(presidential_inputs, staff_dir, data):
    original = to_csv(_staff_rows()).encode("utf-8")
    path = staff_dir / "staff.csv"
    path.write_bytes(data.draw(mutated_csv_bytes(original), label="content"))
    district = presidential_inputs.district if data.draw(st.booleans(), label="with district") else None
    _loads_or_input_error(load_staff, path, district)


xlsx_value = st.one_of(
    cell_text,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(),
    st.dates(),
    st.times(),
)


@FUZZ
@given(data=st.data())
def test_fuzzed_staff_xlsx_loads_or_raises_input_error(presidential_inputs, staff_dir, data):
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    rows = data.draw(mutated_rows(_staff_rows()[:XLSX_ROWS + 1]), label="rows")
    book = Workbook()
    sheet = book.active
    for r, row in enumerate(rows):
        values: list[object] = list(row)
        if r > 0 and values and data.draw(st.booleans(), label="typed cell"):
            # what Excel stores: a number, a date or an empty cell instead of text
            values[data.draw(st.integers(0, len(values) - 1))] = data.draw(xlsx_value)
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
    if data.draw(st.booleans(), label="empty sheet first"):
        book.create_sheet("빈 시트", 0)
    path = staff_dir / "staff.xlsx"
    book.save(path)
    _loads_or_input_error(load_staff, path, presidential_inputs.district)


@FUZZ_FEW
@given(content=st.one_of(
    st.binary(max_size=300),
    st.integers(0, 6000).map(lambda n: _shipped_xlsx()[:n]),
    st.tuples(st.integers(0, 6000), st.binary(min_size=1, max_size=8)).map(
        lambda t: _shipped_xlsx()[:t[0]] + t[1] + _shipped_xlsx()[t[0] + len(t[1]):]),
))
def test_broken_xlsx_bytes_raise_input_error(presidential_inputs, staff_dir, content):
    path = staff_dir / "broken.xlsx"
    path.write_bytes(content)
    _loads_or_input_error(load_staff, path, presidential_inputs.district)


_XLSX: list[bytes] = []


def _shipped_xlsx() -> bytes:
    """The first rows of the shipped pool saved as xlsx (made once)."""
    if not _XLSX:
        from openpyxl import Workbook

        book = Workbook()
        for row in _staff_rows():
            book.active.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        _XLSX.append(buffer.getvalue())
    return _XLSX[0]


# --- scenario and rules YAML --------------------------------------------------------------

yaml_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=10),
    st.sampled_from(["", "2022-03-09", "2022-02-30", "../../etc/passwd", "/etc/passwd", ".", "..", "rules", "~",
                     "9999-12-31", "0001-01-01", "\x00", "a\x00b", "\x07", "Eday", "EDAY", "early-9",
                     unicodedata.normalize("NFD", "독산1동"), "x" * 20_000]),
)
yaml_value = st.recursive(
    yaml_scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def _paths(value, prefix=()) -> list[tuple]:
    """Every key path into a nested mapping/list (the root excluded)."""
    out = []
    if isinstance(value, dict):
        for k, v in value.items():
            out.append((*prefix, k))
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.append((*prefix, i))
            out.extend(_paths(v, (*prefix, i)))
    return out


@st.composite
def mutated_mapping(draw, original: dict) -> dict:
    """``original`` after one to three edits at random key paths: delete, replace, wrap, rename, add."""
    data = yaml.safe_load(yaml.safe_dump(original, allow_unicode=True))  # a deep copy
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        op = draw(st.sampled_from(["delete", "replace", "replace", "wrap_list", "wrap_dict", "rename", "add"]))
        if op == "delete":
            del parent[key]
        elif op == "replace":
            parent[key] = draw(yaml_value)
        elif op == "wrap_list":
            parent[key] = [parent[key]]
        elif op == "wrap_dict":
            parent[key] = {draw(st.text(max_size=4)): parent[key]}
        elif op == "rename" and isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = parent.pop(key)
        elif op == "add" and isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = draw(yaml_value)
    return data


def _load_all(scenario: Path):
    """Everything a scenario drives before the solver: its files, the district, the rules and demand."""
    return plan_demand(load_inputs(scenario))


@pytest.fixture(scope="module")
def scenario_copy(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("project"), ("scenarios", str(DATA))) / "scenarios"


@FUZZ
@given(data=st.data())
def test_fuzzed_scenario_loads_or_raises_input_error(scenario_copy, data):
    original = yaml.safe_load((scenario_copy / "2022-presidential.yaml").read_text(encoding="utf-8"))
    mutated = data.draw(mutated_mapping(original), label="scenario")
    path = scenario_copy / "fuzzed.yaml"
    path.write_text(yaml.safe_dump(mutated, allow_unicode=True), encoding="utf-8")
    _loads_or_input_error(_load_all, path)


@FUZZ
@given(data=st.data())
def test_fuzzed_rules_load_or_raise_input_error(scenario_copy, data):
    original = yaml.safe_load((scenario_copy / "rules/presidential-2022.yaml").read_text(encoding="utf-8"))
    rules = scenario_copy / "rules/presidential-2022.yaml"
    content = yaml.safe_dump(data.draw(mutated_mapping(original), label="rules"), allow_unicode=True)
    _with_file(rules, content.encode("utf-8"), _load_all, scenario_copy / "2022-presidential.yaml")


@FUZZ
@given(data=st.data())
def test_fuzzed_rule_overrides_load_or_raise_input_error(scenario_copy, data):
    overrides = data.draw(st.one_of(
        yaml_value,
        st.fixed_dictionaries({"roles": st.dictionaries(
            st.sampled_from(["polling.manager", "polling.register_check", "counting.count_sorter", "early.x"]),
            st.dictionaries(st.sampled_from(["base", "step", "free", "per_step", "max", "load", "shift", "min_grade"]),
                            yaml_value, max_size=3), max_size=2)}),
        st.fixed_dictionaries({}, optional={"limits": yaml_value, "early_voting": yaml_value, "shifts": yaml_value}),
    ), label="rule_overrides")
    path = scenario_copy / "overrides.yaml"
    path.write_text(yaml.safe_dump({"base": "2022-presidential.yaml", "rule_overrides": overrides},
                                   allow_unicode=True), encoding="utf-8")
    _loads_or_input_error(_load_all, path)


@FUZZ
@given(text=st.one_of(
    st.text(max_size=200),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    st.lists(st.sampled_from(["a:", " b: 1", "- x", "{", "}", "[", "]", "&a", "*a", "*b", "!!str", "? c", ": d",
                              "---", "...", "%YAML 1.1", "\t", "'", '"', "|", ">", "<<: *a", "!!binary AAA"]),
             max_size=12).map("\n".join),
))
def test_random_yaml_text_raises_input_error_or_loads(scenario_copy, text):
    path = scenario_copy / "random.yaml"
    path.write_text(text, encoding="utf-8")
    _loads_or_input_error(load_scenario, path)
    _loads_or_input_error(load_rules, path)


@FUZZ_FEW
@given(raw=st.one_of(st.binary(max_size=200), st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe\x00\x00",
                                                               "id: 한글".encode("cp949"),
                                                               "id: x".encode("utf-16")])))
def test_random_yaml_bytes_raise_input_error_or_load(scenario_copy, raw):
    path = scenario_copy / "bytes.yaml"
    path.write_bytes(raw)
    _loads_or_input_error(load_scenario, path)
    _loads_or_input_error(load_rules, path)


PYTHON_TAGS = [
    "!!python/object/apply:os.makedirs [{marker}]",
    "!!python/object/apply:subprocess.check_output [[mkdir, {marker}]]",
    "!!python/object/new:os.makedirs [{marker}]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!python/object:election_ops.io.scenario.Scenario {{id: x}}",
    "!!python/tuple [1, 2]",
    "!!python/none ''",
]


@pytest.mark.parametrize("tag", PYTHON_TAGS)
@pytest.mark.parametrize("where", ["top", "title", "weights", "rules file"])
def test_python_tags_are_refused_by_the_safe_loader(scenario_copy, tmp_path, tag, where):
    marker = tmp_path / "pwned"
    value = tag.format(marker=marker)
    scenario = scenario_copy / "tagged.yaml"
    rules = scenario_copy / "rules/tagged.yaml"
    if where == "top":
        scenario.write_text(f"{value}\n", encoding="utf-8")
    elif where == "title":
        scenario.write_text(f"base: 2022-presidential.yaml\ntitle: {value}\n", encoding="utf-8")
    elif where == "weights":
        scenario.write_text(f"base: 2022-presidential.yaml\nweights:\n  commute: {value}\n", encoding="utf-8")
    else:
        shipped = (scenario_copy / "rules/presidential-2022.yaml").read_text(encoding="utf-8")
        rules.write_text(shipped.replace("kind: presidential", f"kind: {value}", 1), encoding="utf-8")
        scenario.write_text("base: 2022-presidential.yaml\nrules: rules/tagged.yaml\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_inputs(scenario)
    assert "not valid YAML" in info.value.problem
    assert not marker.exists()


@FUZZ_FEW
@given(tag=st.sampled_from(PYTHON_TAGS), data=st.data())
def test_python_tags_anywhere_in_a_scenario_are_refused(scenario_copy, tmp_path_factory, tag, data):
    marker = tmp_path_factory.getbasetemp() / "pwned-fuzz"
    original = yaml.safe_load((scenario_copy / "2022-presidential.yaml").read_text(encoding="utf-8"))
    lines = yaml.safe_dump(original, allow_unicode=True, default_flow_style=False).splitlines()
    scalar_lines = [i for i, line in enumerate(lines) if ": " in line and not line.rstrip().endswith(":")]
    i = data.draw(st.sampled_from(scalar_lines), label="line")
    key = lines[i].split(": ", 1)[0]
    lines[i] = f"{key}: {tag.format(marker=marker)}"
    path = scenario_copy / "tagged-fuzz.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_scenario(path)
    assert not marker.exists()


# --- crashes the fuzzing found, kept as plain regression tests ---------------------------


def test_xlsx_with_a_damaged_sheet_raises_input_error(staff_dir):
    """Found by test_broken_xlsx_bytes_raise_input_error: openpyxl's read-only mode parses a sheet
    only when its rows are read, so a damaged sheet raised ParseError past the load_workbook guard."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(_shipped_xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]  # cut off mid-row: the XML never closes
            out.writestr(item, content)
    path = staff_dir / "damaged-sheet.xlsx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(InputError) as info:
        load_staff(path, None)
    assert info.value.file == str(path)
    assert "not a readable xlsx workbook (ParseError)" in info.value.problem


@pytest.mark.parametrize(
    ("text", "column", "problem"),
    [
        pytest.param("seed: " + "1" * 5000, None, "a number with too many digits", id="5000-digit-int"),
        pytest.param("seed: 0x" + "f" * 5000, "seed", "number is too large", id="huge-hex-int"),
        pytest.param("seed: 100000000000000000000", "seed", "number is too large", id="seed-1e20"),
        pytest.param("weights: {commute: 1000000000000000000000}", "weights.commute", "number is too large",
                     id="weight-1e21"),
        pytest.param("rule_overrides: {roles: {polling.guide: {base: 1000000000000000000000000000000}}}",
                     "rule_overrides.roles.polling.guide.base", "number is too large", id="rule-base-1e30"),
        pytest.param("title: " + "[" * 2000 + "]" * 2000, None, "nested more than 20 levels deep",
                     id="deep-flow-nesting"),
        pytest.param("rule_overrides: " + "{a: " * 30 + "1" + "}" * 30, "rule_overrides" + ".a" * 19,
                     "nested more than 20 levels deep", id="nesting-over-the-limit"),
        pytest.param("rule_overrides: &a {a: *a, b: 100000000000000000000}", "rule_overrides.b",
                     "number is too large", id="cyclic-anchor"),
        pytest.param("rule_overrides:\n  ? 0x" + "f" * 5000 + "\n  : 1", "rule_overrides",
                     "a key is a number too large", id="huge-key"),
    ],
)
def test_yaml_numbers_and_nesting_no_setting_can_mean_raise_input_error(scenario_copy, text, column, problem):
    """Found by fuzzing the YAML: a 5000-digit integer raised ValueError inside PyYAML, deep nesting a
    RecursionError, and integers beyond 2**53 loaded and crashed the solver (seed, weights, role counts)."""
    path = scenario_copy / "numbers.yaml"
    path.write_text(f"base: 2022-presidential.yaml\n{text}\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_scenario(path)
    assert info.value.file == str(path)
    assert info.value.column == column
    assert problem in info.value.problem
    assert len(str(info.value)) < 500


def test_yaml_integers_up_to_2_53_still_load(scenario_copy):
    """The YAML reader lets 2**53 through (a rules or scenario field may bound it further)."""
    path = scenario_copy / "big-but-fine.yaml"
    path.write_text("base: 2022-presidential.yaml\nweights: {long_commute_m: 9007199254740992}\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as info:  # the reader passed it on; the Weights bound refuses it, by name
        load_scenario(path)
    assert info.value.column == "weights.long_commute_m"
    path.write_text("base: 2022-presidential.yaml\ntime_limit: 9007199254740992\n", encoding="utf-8")
    assert load_scenario(path).time_limit == 2**53


LONG_NAME = "a" * 300 + ".csv"  # longer than a file name may be (255 bytes on most file systems)


@pytest.mark.parametrize(
    ("text", "file", "column"),
    [
        pytest.param(f"rules: {LONG_NAME}", LONG_NAME, None, id="rules"),
        pytest.param(f"data: {{sites: ../data/precincts/geumcheon/{LONG_NAME}}}", LONG_NAME, None, id="data.sites"),
        pytest.param(f"staff: ../data/{LONG_NAME}", LONG_NAME, None, id="staff"),
        pytest.param(f"base: {LONG_NAME}", "name-too-long.yaml", "base", id="base"),
    ],
)
def test_a_file_name_too_long_raises_input_error(scenario_copy, text, file, column):
    """Found by fuzzing the scenario: Path.exists() raises OSError (ENAMETOOLONG) rather than return False."""
    path = scenario_copy / "name-too-long.yaml"
    path.write_text(f"base: 2022-presidential.yaml\n{text}\n" if column is None else f"{text}\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_inputs(path, with_staff=True)
    assert Path(info.value.file).name == file
    assert info.value.column == column


def test_a_boundaries_file_name_too_long_raises_input_error(scenario_copy):
    path = scenario_copy / "long-boundaries.yaml"
    path.write_text(f"base: 2022-presidential.yaml\ndata: {{boundaries: {'b' * 300}.geojson}}\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_inputs(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
@pytest.mark.parametrize("name", ["2022-presidential.yaml", "rules/presidential-2022.yaml"])
def test_an_unreadable_file_raises_input_error(scenario_copy, tmp_path, name):
    project = tmp_path / "project"
    shutil.copytree(scenario_copy.parent, project)
    target = project / "scenarios" / name
    target.chmod(0)
    try:
        with pytest.raises(InputError) as info:
            load_inputs(project / "scenarios/2022-presidential.yaml")
        assert Path(info.value.file).name == target.name
        assert "cannot read the file" in info.value.problem
    finally:
        target.chmod(0o644)


# --- where a scenario's paths may point ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "column", "value", "problem"),
    [
        pytest.param("data: {sites: ../../etc/passwd}", "data.sites", "../../etc/passwd", "outside the project folder",
                     id="dot-dot-out-of-the-project"),
        pytest.param("data: {dongs: /etc/passwd}", "data.dongs", "/etc/passwd", "an absolute path", id="absolute"),
        pytest.param("rules: ../../rules.yaml", "rules", "../../rules.yaml", "outside the project folder",
                     id="rules"),
        pytest.param("staff: ../../../home/staff.csv", "staff", "../../../home/staff.csv",
                     "outside the project folder", id="staff"),
        pytest.param("data: {sites: ../data/../../x/sites.csv}", "data.sites", "../data/../../x/sites.csv",
                     "outside the project folder", id="dot-dot-in-the-middle"),
    ],
)
def test_a_path_outside_the_project_is_refused(scenario_copy, text, column, value, problem):
    path = scenario_copy / "outside.yaml"
    path.write_text(f"base: 2022-presidential.yaml\n{text}\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_scenario(path)
    err = info.value
    assert (Path(err.file).name, err.column, err.value) == ("outside.yaml", column, value)
    assert problem in err.problem
    assert "allow_outside_paths: true" in err.fix
    assert f"column '{column}'" in str(err)


@pytest.mark.parametrize("base", ["../../elsewhere/base.yaml", "/etc/base.yaml"])
def test_a_base_outside_the_project_is_refused(scenario_copy, base):
    path = scenario_copy / "outside-base.yaml"
    path.write_text(f"base: {base}\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_scenario(path)
    assert (info.value.column, info.value.value) == ("base", base)


def test_allow_outside_paths_lets_a_scenario_use_files_elsewhere(scenario_copy, tmp_path):
    """Shared data in another folder, named deliberately: an absolute path and one via .. both load."""
    elsewhere = tmp_path / "shared"
    shutil.copytree(scenario_copy.parent / DATA, elsewhere)
    relative = os.path.relpath(elsewhere / "sites.csv", scenario_copy)
    path = scenario_copy / "shared-data.yaml"
    path.write_text(f"base: 2022-presidential.yaml\nallow_outside_paths: true\n"
                    f"data: {{dongs: {elsewhere / 'dongs.csv'}, sites: {relative}}}\n", encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.allow_outside_paths is True
    assert scenario.data.dongs == elsewhere / "dongs.csv"
    assert Path(os.path.abspath(scenario.data.sites)) == elsewhere / "sites.csv"
    assert load_inputs(path).district.name == "금천구"


def test_allow_outside_paths_covers_only_the_file_that_says_it(scenario_copy, tmp_path):
    """A base that allows outside paths does not open them to a scenario built on it."""
    (scenario_copy / "open-base.yaml").write_text("base: 2022-presidential.yaml\nallow_outside_paths: true\n",
                                                  encoding="utf-8")
    child = scenario_copy / "child.yaml"
    child.write_text("base: open-base.yaml\nstaff: /etc/staff.csv\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_scenario(child)
    assert (Path(info.value.file).name, info.value.column) == ("child.yaml", "staff")
    child.write_text("base: open-base.yaml\n", encoding="utf-8")
    assert load_scenario(child).allow_outside_paths is False


def test_allow_outside_paths_must_be_a_boolean(scenario_copy):
    path = scenario_copy / "allow-yes.yaml"
    path.write_text("base: 2022-presidential.yaml\nallow_outside_paths: 'yes'\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_scenario(path)
    assert (info.value.column, info.value.value) == ("allow_outside_paths", "yes")


def test_shipped_scenarios_keep_their_paths_inside_the_project(repo_root):
    for path in sorted((repo_root / "scenarios").glob("*.yaml")):
        scenario = load_scenario(path)
        assert scenario.allow_outside_paths is False, path.name
        for name, file in scenario.input_files().items():
            assert Path(os.path.abspath(file)).is_relative_to(repo_root), (path.name, name)


# --- issue 10: names never leak, NFD reads as NFC, every input error exits 2 ---------------

LEAK_NAMES = [a + b + c for a, b, c in itertools.product("곽탁편", "늘뫼솔찬빛", "얀휘늘뫼솔") if b != c][:25]
LEAK_HEADER = ["worker_id", "name", "department", "staff_kind", "grade", "home_lon", "home_lat", "experience",
               "certifications", "unavailable", "preferred_dong", "preferred_site_kind"]


def _leak_rows() -> list[list[str]]:
    """A generated pool whose names appear in no message text, so any hit is a leaked name."""
    return [LEAK_HEADER] + [[f"W{i:04d}", name, "독산1동 주민센터" if i % 2 else "마을자치과", "일반직", str(6 + i % 4),
                             f"{126.89 + i * 0.001:.6f}", f"{37.46 + i * 0.0005:.6f}", "guide", "", "eday" if i % 5 else "",
                             "", ""] for i, name in enumerate(LEAK_NAMES, start=1)]


@st.composite
def quote_accidents(draw, rows: list[list[str]]) -> str:
    """CSV text with stray quotes, NULs or controls typed into random cells (what csv.writer would never write)."""
    text = to_csv(rows)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(['"', '"', '""', "\x00", "\x07", "\n", '"\n'])) + text[at:]
    return text


@FUZZ
@given(data=st.data())
def test_fuzzed_staff_errors_never_quote_another_row(presidential_inputs, staff_dir, data):
    """Whatever breaks the pool, an error shows at most the offending row's own data, never another's name."""
    rows = data.draw(mutated_rows(_leak_rows()), label="rows")
    structural = data.draw(st.booleans(), label="quote accidents")
    text = data.draw(quote_accidents(rows), label="text") if structural else to_csv(rows)
    path = staff_dir / "leak.csv"
    path.write_text(text, encoding="utf-8")
    try:
        load_staff(path, presidential_inputs.district)
    except InputError as exc:
        message = str(exc)
        leaked = {n for n in LEAK_NAMES if n in message}
        assert len(message) < 2000
        if leaked and not structural:  # rows are the file's records: the offending row's own cells only
            assert exc.row is not None and exc.column != "name", message
            assert leaked <= set(rows[exc.row - 1]), message
        assert len(leaked) <= 1, message


@FUZZ
@given(data=st.data())
def test_nfd_cells_read_as_their_nfc_text(presidential_inputs, staff_dir, data):
    """Decomposing any cells (text from a Mac) changes nothing the loader returns."""
    rows = _leak_rows()
    decomposed = [[unicodedata.normalize("NFD", c) if data.draw(st.booleans()) else c for c in r] for r in rows]
    plain, mac = staff_dir / "nfc.csv", staff_dir / "nfd.csv"
    plain.write_text(to_csv(rows), encoding="utf-8")
    mac.write_text(to_csv(decomposed), encoding="utf-8")
    assert load_staff(mac, presidential_inputs.district) == load_staff(plain, presidential_inputs.district)


@FUZZ_FEW
@given(data=st.data())
def test_fuzzed_scenario_values_exit_0_or_2(scenario_copy, data):
    """Through the command line: a special character, NFD text, a huge or out-of-range number ends in 0 or 2."""
    from typer.testing import CliRunner

    from election_ops.cli import app

    key = data.draw(st.sampled_from([
        ("election", "election_day"), ("election", "early_days"), ("election", "id"), ("election", "ballots_per_voter"),
        ("staff_changes", "seed"), ("staff_changes", "shifts"), ("staff_changes", "unavailable_share"),
        ("seed",), ("id",), ("title",), ("turnout_scale",), ("time_limit",), ("register_election",),
        ("weights", "commute"), ("layout", "move"),
    ]), label="key")
    value = data.draw(st.one_of(yaml_scalar, st.lists(yaml_scalar, max_size=3),
                                st.integers().map(lambda n: n * 10**20)), label="value")
    change: dict = {"base": "2022-presidential.yaml"}
    node = change
    for k in key[:-1]:
        node = node.setdefault(k, {})
    node[key[-1]] = value
    path = scenario_copy / "cli-fuzzed.yaml"
    path.write_text(yaml.safe_dump(change, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(app, ["demand", str(path)])
    assert result.exit_code in (0, 2), result.output
    assert "internal error" not in result.output
