"""validate: one test per hard rule, each the smallest violating plan and a neighbour that passes.

Every plan here is written by hand into tmp_path (no solver, no scenario): four people,
four posts at a polling station (P-1), an early-voting station (E-1) and the counting
site (C). The base plan is sound; each test changes one thing.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from election_ops.errors import InputError
from election_ops.validate import Violation, validate_plan

STAFF_HEADER = ["worker_id", "name", "department", "staff_kind", "grade", "home_lon", "home_lat", "experience",
                "certifications", "unavailable"]
STAFF = [
    # W1: 6급, a past 투표관리관, trained on the sorter
    {"worker_id": "W1", "name": "김일", "department": "총무과", "staff_kind": "일반직", "grade": "6",
     "experience": "manager", "certifications": "sorter", "unavailable": ""},
    # W2: 8급, has been a manager before but is too junior to be one
    {"worker_id": "W2", "name": "이이", "department": "재무과", "staff_kind": "일반직", "grade": "8",
     "experience": "manager;guide", "certifications": "", "unavailable": ""},
    # W3: 공무직 without a grade, sorter-trained, cannot do early voting
    {"worker_id": "W3", "name": "박삼", "department": "세무1과", "staff_kind": "공무직", "grade": "",
     "experience": "", "certifications": "sorter", "unavailable": "early"},
    # W4: 6급 first-timer, cannot do the count
    {"worker_id": "W4", "name": "최사", "department": "세무2과", "staff_kind": "일반직", "grade": "6",
     "experience": "", "certifications": "", "unavailable": "count"},
]
SHIFTS = [
    {"shift": "early", "start": "2022-03-04T05:00", "end": "2022-03-05T19:00", "name": "사전투표"},
    {"shift": "early-1", "start": "2022-03-04T05:00", "end": "2022-03-04T19:00", "name": "사전투표 1일차"},
    {"shift": "early-2", "start": "2022-03-05T05:00", "end": "2022-03-05T19:00", "name": "사전투표 2일차"},
    {"shift": "eday", "start": "2022-03-09T05:00", "end": "2022-03-09T20:00", "name": "선거일투표"},
    {"shift": "count", "start": "2022-03-09T18:00", "end": "2022-03-10T04:00", "name": "개표"},
]
ROLES = [
    {"site_kind": "polling", "role": "manager", "role_name": "투표관리관", "shift": "eday", "lead": "true",
     "min_grade": "6", "requires": "", "experienced": "true"},
    {"site_kind": "polling", "role": "guide", "role_name": "안내·질서유지", "shift": "eday", "lead": "false",
     "min_grade": "", "requires": "", "experienced": "false"},
    {"site_kind": "early", "role": "early_guide", "role_name": "안내·질서유지", "shift": "early", "lead": "false",
     "min_grade": "", "requires": "", "experienced": "false"},
    {"site_kind": "counting", "role": "count_sorter", "role_name": "투표지분류기운영부", "shift": "count",
     "lead": "false", "min_grade": "", "requires": "sorter", "experienced": "false"},
]
# (site_id, site_kind, role, shift, required)
POSTS = [
    ("P-1", "polling", "manager", "eday", 1),
    ("P-1", "polling", "guide", "eday", 2),
    ("E-1", "early", "early_guide", "early", 1),
    ("C", "counting", "count_sorter", "count", 1),
]
# (worker_id, site_id, role, shift): P-1 guide stays one short
ASSIGNMENTS = [
    ("W1", "P-1", "manager", "eday"),
    ("W2", "P-1", "guide", "eday"),
    ("W2", "E-1", "early_guide", "early"),
    ("W3", "C", "count_sorter", "count"),
]
KIND = {site: kind for site, kind, *_ in POSTS}


class PlanDir:
    """A hand-written plan folder: change the lists, then ``write``; counts and shortfalls follow the assignments."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.staff = copy.deepcopy(STAFF)
        self.shifts = copy.deepcopy(SHIFTS)
        self.roles = copy.deepcopy(ROLES)
        self.posts = list(POSTS)
        self.assignments = list(ASSIGNMENTS)
        self.max_posts = 2
        self.reason = "no eligible person free"

    @property
    def out(self) -> Path:
        return self.root / "plan"

    @property
    def staff_path(self) -> Path:
        return self.root / "staff.csv"

    def requirements(self) -> list[dict]:
        rows = []
        for site, kind, role, shift, required in self.posts:
            assigned = sum(1 for a in self.assignments if (a[1], a[2], a[3]) == (site, role, shift))
            rows.append({"site_id": site, "site_kind": kind, "role": role, "shift": shift, "required": required,
                         "assigned": assigned, "role_name": role, "load": 0.0})
        return rows

    def shortfalls(self, requirements: list[dict]) -> list[dict]:
        return [{"site_id": r["site_id"], "site_kind": r["site_kind"], "role": r["role"], "shift": r["shift"],
                 "required": r["required"], "assigned": r["assigned"], "short": r["required"] - r["assigned"],
                 "reason": self.reason} for r in requirements if r["required"] > r["assigned"]]

    def write(self, *, requirements: list[dict] | None = None, shortfalls: list[dict] | None = None) -> Path:
        self.out.mkdir(parents=True, exist_ok=True)
        staff = [{**{"home_lon": "126.90", "home_lat": "37.46"}, **row} for row in self.staff]
        _csv(self.staff_path, STAFF_HEADER, staff)
        requirements = self.requirements() if requirements is None else requirements
        shortfalls = self.shortfalls(requirements) if shortfalls is None else shortfalls
        _csv(self.out / "requirements.csv", ["site_id", "site_kind", "role", "shift", "required", "assigned",
                                              "role_name", "load"], requirements)
        _csv(self.out / "shortfalls.csv", ["site_id", "site_kind", "role", "shift", "required", "assigned", "short",
                                            "reason"], shortfalls)
        _csv(self.out / "shifts.csv", ["shift", "start", "end", "name"], self.shifts)
        _csv(self.out / "roles.csv", list(ROLES[0]), self.roles)
        _csv(self.out / "assignments.csv", ["worker_id", "site_id", "site_kind", "role", "shift", "commute_m",
                                             "department", "role_name"],
             [{"worker_id": w, "site_id": s, "site_kind": KIND.get(s, "polling"), "role": r, "shift": sh,
               "commute_m": 1000, "department": "", "role_name": r} for w, s, r, sh in self.assignments])
        short = sum(r["required"] - r["assigned"] for r in self.requirements() if r["required"] > r["assigned"])
        summary = {"status": "OPTIMAL", "limits": {"max_posts_per_worker": self.max_posts},
                   "shortfall_count": short, "standby_empty": 0,
                   "inputs": {"staff": {"path": str(self.staff_path),
                                        "sha256": hashlib.sha256(self.staff_path.read_bytes()).hexdigest()}}}
        (self.out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
        return self.out

    def rules(self, **kwargs) -> list[str]:
        return [v.rule for v in validate_plan(self.write(**kwargs))]


def _csv(path: Path, header: list[str], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def plan(tmp_path: Path) -> PlanDir:
    """The sound base plan: 4 people, 5 posts (one left short with a reason)."""
    return PlanDir(tmp_path)


def _replace(items: list, old, new) -> list:
    return [new if item == old else item for item in items]


def test_base_plan_passes(plan):
    assert plan.rules() == []


def test_violation_reads_as_one_line():
    assert str(Violation("grade", "worker W2", "needs 6급")) == "[grade] worker W2: needs 6급"


# --- every assignment names a post and a person ---------------------------------------------------


def test_assignment_to_a_post_that_is_not_required(plan):
    plan.assignments.append(("W4", "P-1", "ballot_issue", "eday"))
    assert plan.rules() == ["unknown_post"]


def test_assignment_to_a_required_post_passes(plan):
    plan.assignments.append(("W4", "P-1", "guide", "eday"))  # fills the short guide post
    assert plan.rules() == []


def test_assignment_of_someone_outside_the_pool(plan):
    plan.assignments = _replace(plan.assignments, ("W2", "P-1", "guide", "eday"), ("W9", "P-1", "guide", "eday"))
    assert plan.rules() == ["unknown_worker"]


def test_assignment_of_someone_in_the_pool_passes(plan):
    plan.assignments = _replace(plan.assignments, ("W2", "P-1", "guide", "eday"), ("W4", "P-1", "guide", "eday"))
    assert plan.rules() == []


# --- counts and shortfalls -------------------------------------------------------------------------


def test_assigned_column_disagrees_with_the_assignments(plan):
    requirements = plan.requirements()
    requirements[1]["assigned"] = 2  # P-1 guide: the file claims both posts filled; one row exists
    assert plan.rules(requirements=requirements, shortfalls=[]) == ["assigned_count"]


def test_assigned_column_that_agrees_passes(plan):
    requirements = plan.requirements()
    assert requirements[1]["assigned"] == 1
    assert plan.rules(requirements=requirements) == []


def test_more_people_than_required(plan):
    plan.assignments.append(("W4", "E-1", "early_guide", "early"))
    assert plan.rules() == ["over_assigned"]


def test_as_many_people_as_required_passes(plan):
    plan.assignments.append(("W4", "E-1", "early_guide", "early"))
    plan.posts = _replace(plan.posts, ("E-1", "early", "early_guide", "early", 1), ("E-1", "early", "early_guide", "early", 2))
    assert plan.rules() == []


def test_short_post_missing_from_shortfalls(plan):
    assert plan.rules(shortfalls=[]) == ["shortfall_missing"]


def test_shortfall_with_the_wrong_count(plan):
    shortfalls = plan.shortfalls(plan.requirements())
    shortfalls[0]["short"] = 2
    assert plan.rules(shortfalls=shortfalls) == ["shortfall_mismatch"]


def test_shortfall_without_a_reason(plan):
    plan.reason = ""
    assert plan.rules() == ["shortfall_reason"]


def test_shortfall_with_a_reason_passes(plan):
    plan.reason = "all 2 eligible, available people are taken"
    assert plan.rules() == []


def test_shortfall_row_for_a_post_that_is_not_short(plan):
    requirements = plan.requirements()
    shortfalls = plan.shortfalls(requirements)
    shortfalls.append({"site_id": "P-1", "site_kind": "polling", "role": "manager", "shift": "eday", "required": 1,
                       "assigned": 1, "short": 0, "reason": "none"})
    assert plan.rules(shortfalls=shortfalls) == ["shortfall_extra"]


def test_no_shortfall_rows_when_nothing_is_short_passes(plan):
    plan.assignments.append(("W4", "P-1", "guide", "eday"))
    assert plan.shortfalls(plan.requirements()) == []
    assert plan.rules() == []


# --- one post at a time ------------------------------------------------------------------------------


def test_two_posts_on_overlapping_shifts(plan):
    # W1 is election-day manager (05-20h) and would also run the sorter at the count (18-04h)
    plan.assignments = _replace(plan.assignments, ("W3", "C", "count_sorter", "count"), ("W1", "C", "count_sorter", "count"))
    assert plan.rules() == ["overlap"]


def test_two_posts_on_separate_shifts_passes(plan):
    # W2 already holds election day and early voting: shifts that do not overlap
    assert sorted(a[3] for a in plan.assignments if a[0] == "W2") == ["early", "eday"]
    assert plan.rules() == []


def test_two_posts_on_the_same_shift_overlap(plan):
    # W4 holds both guide posts at P-1 (no more posts than allowed, no post over its count)
    plan.assignments = _replace(plan.assignments, ("W2", "P-1", "guide", "eday"), ("W4", "P-1", "guide", "eday"))
    plan.assignments.append(("W4", "P-1", "guide", "eday"))
    assert plan.rules() == ["overlap"]


# --- eligibility: roles.csv ------------------------------------------------------------------------------


@pytest.mark.parametrize(("worker", "rules"), [
    ("W2", ["grade"]),  # 8급 with manager experience: too junior
    ("W3", ["grade", "experience"]),  # 공무직 without a grade (and never a manager)
    ("W4", ["experience"]),  # 6급 first-timer
    ("W1", []),  # 6급 past manager: the neighbour that passes
])
def test_manager_needs_grade_and_experience(plan, worker, rules):
    plan.assignments = _replace(plan.assignments, ("W1", "P-1", "manager", "eday"), (worker, "P-1", "manager", "eday"))
    # the one who leaves a post on an overlapping shift hands it to W1, now free
    if worker == "W2":
        plan.assignments = _replace(plan.assignments, ("W2", "P-1", "guide", "eday"), ("W1", "P-1", "guide", "eday"))
    if worker == "W3":
        plan.assignments = _replace(plan.assignments, ("W3", "C", "count_sorter", "count"), ("W1", "C", "count_sorter", "count"))
    assert plan.rules() == rules


def test_grade_rule_read_from_roles_csv(plan):
    plan.roles[0]["min_grade"] = "8"  # a looser rule lets the 8급 past manager in
    plan.assignments = _replace(plan.assignments, ("W1", "P-1", "manager", "eday"), ("W2", "P-1", "manager", "eday"))
    plan.assignments = _replace(plan.assignments, ("W2", "P-1", "guide", "eday"), ("W1", "P-1", "guide", "eday"))
    assert plan.rules() == []


def test_sorter_without_certification(plan):
    plan.staff[3]["unavailable"] = ""  # W4, free for the count but not trained on the sorter
    plan.assignments = _replace(plan.assignments, ("W3", "C", "count_sorter", "count"), ("W4", "C", "count_sorter", "count"))
    assert plan.rules() == ["certification"]


def test_sorter_with_certification_passes(plan):
    assert ("W3", "C", "count_sorter", "count") in plan.assignments
    assert plan.rules() == []


# --- availability ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("unavailable", "shift", "blocked"), [
    ("early", "early", True),
    ("early", "early-1", True),  # both early days: each day
    ("early-1", "early", True),  # one early day: the two-day shift
    ("early-2", "early", True),
    ("early-2", "early-1", False),  # the other day
    ("count", "early", False),
    ("eday", "early-2", False),
])
def test_unavailable_shift_blocks_a_post(plan, unavailable, shift, blocked):
    plan.staff[3]["unavailable"] = unavailable
    plan.posts = _replace(plan.posts, ("E-1", "early", "early_guide", "early", 1), ("E-1", "early", "early_guide", shift, 1))
    plan.assignments = _replace(plan.assignments, ("W2", "E-1", "early_guide", "early"), ("W4", "E-1", "early_guide", shift))
    assert plan.rules() == (["unavailable"] if blocked else [])


# --- posts per person --------------------------------------------------------------------------------------


def test_more_posts_than_the_limit(plan):
    plan.max_posts = 1  # W2 holds election day and early voting
    assert plan.rules() == ["max_posts"]


def test_posts_within_the_limit_pass(plan):
    plan.max_posts = 2
    assert plan.rules() == []


# --- the staff pool is the one the plan was made from ---------------------------------------------------


def test_staff_file_changed_since_the_plan(plan):
    out = plan.write()
    with open(plan.staff_path, "a", encoding="utf-8") as fh:
        fh.write("W5,정오,환경과,일반직,9,126.90,37.46,,,\n")
    violations = validate_plan(out)
    assert [v.rule for v in violations] == ["staff_changed"]
    assert "changed since the plan was made" in str(violations[0])


def test_staff_file_given_explicitly(plan, tmp_path):
    out = plan.write()
    moved = tmp_path / "elsewhere.csv"
    moved.write_bytes(plan.staff_path.read_bytes())
    plan.staff_path.unlink()
    assert validate_plan(out, staff=moved) == []


def test_violations_name_ids_never_names(plan):
    plan.assignments = _replace(plan.assignments, ("W1", "P-1", "manager", "eday"), ("W3", "P-1", "manager", "eday"))
    text = "\n".join(str(v) for v in validate_plan(plan.write()))
    assert "W3" in text
    assert not any(person["name"] in text for person in STAFF)


# --- the files themselves ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["assignments.csv", "requirements.csv", "shifts.csv", "roles.csv", "shortfalls.csv",
                                  "summary.json"])
def test_missing_plan_file_is_an_input_error_naming_it(plan, name):
    out = plan.write()
    (out / name).unlink()
    with pytest.raises(InputError) as err:
        validate_plan(out)
    assert name in str(err.value)
    assert err.value.exit_code == 2


def test_broken_plan_file_is_an_input_error(plan):
    out = plan.write()
    (out / "requirements.csv").write_text("site_id,role\nP-1,manager\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"requirements\.csv.*missing column"):
        validate_plan(out)


def test_unreadable_summary_is_an_input_error(plan):
    out = plan.write()
    (out / "summary.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"summary\.json"):
        validate_plan(out)


# --- independence: the second implementation agrees with the first, without importing it ----------------------


def test_availability_agrees_with_eligibility_module():
    from election_ops.model.eligibility import blocks
    from election_ops.validate import _blocks

    ids = ["early", "early-1", "early-2", "eday", "count"]
    for unavailable in ids:
        for shift in ids:
            assert _blocks(unavailable, shift) == blocks(unavailable, shift), (unavailable, shift)


def test_validate_imports_no_solver():
    code = ("import sys, election_ops.validate; "
            "bad = [m for m in sys.modules if m.startswith(('ortools', 'election_ops.model', 'election_ops.solve', "
            "'election_ops.eligibility'))]; print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
