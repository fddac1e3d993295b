"""Replanning the real presidential plan after people drop out, checked from the files alone.

One solve per module; the absences are 10 % of the people the plan placed, drawn with a
seeded RNG. Everything is read back from the plan folders (assignments.csv, changes.csv,
changes.xlsx, summary.json), the way the task force sees them.
"""

from __future__ import annotations

import csv
import json
import random
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from election_ops.cli import app

runner = CliRunner()
REPO_ROOT = Path(__file__).resolve().parents[1]
STAFF = REPO_ROOT / "data" / "staff" / "geumcheon-2022.csv"
SEED = 2022
Post = tuple[str, str, str]  # site_id, role, shift


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def posts_by_worker(plan: Path) -> dict[str, set[Post]]:
    out: dict[str, set[Post]] = defaultdict(set)
    for r in read_rows(plan / "assignments.csv"):
        out[r["worker_id"]].add((r["site_id"], r["role"], r["shift"]))
    return dict(out)


def assignments(plan: Path) -> set[tuple[str, str, str, str]]:
    return {(w, *p) for w, posts in posts_by_worker(plan).items() for p in posts}


def solve(scenario: Path, out: Path, *options: str) -> Path:
    result = runner.invoke(app, ["solve", str(scenario), "--out", str(out), *options])
    assert result.exit_code == 0, result.output
    return out


def replan(plan: Path, absent: list[str], out: Path, *options: str) -> Path:
    file = out.parent / f"{out.name}-absent.csv"
    file.write_text("worker_id\n" + "\n".join(absent) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["replan", str(plan), "--absent", str(file), "--out", str(out), *options])
    assert result.exit_code == 0, result.output
    return out


def ten_percent(plan: Path) -> list[str]:
    people = sorted(posts_by_worker(plan))
    return sorted(random.Random(SEED).sample(people, len(people) // 10))


@pytest.fixture(scope="module")
def presidential(tmp_path_factory, presidential_scenario) -> tuple[Path, Path, list[str]]:
    """(the plan, its replan after 10 % absences, the absent ids)."""
    root = tmp_path_factory.mktemp("replan")
    plan = solve(presidential_scenario, root / "plan")
    absent = ten_percent(plan)
    return plan, replan(plan, absent, root / "replan"), absent


def test_the_absences_are_ten_percent_of_the_people_placed(presidential):
    plan, _, absent = presidential
    people = posts_by_worker(plan)
    assert len(absent) == len(people) // 10 == 79
    assert set(absent) <= set(people)


def test_replan_keeps_every_unaffected_assignment(presidential):
    plan, new, absent = presidential
    gone = set(absent)
    kept = {a for a in assignments(plan) if a[0] not in gone}
    assert kept <= assignments(new)
    assert not {a for a in assignments(new) if a[0] in gone}  # and the absent hold nothing


def test_replan_changes_at_most_n_posts_when_unassigned_staff_exist(presidential):
    plan, new, absent = presidential
    before, after = assignments(plan), assignments(new)
    with STAFF.open(encoding="utf-8", newline="") as fh:
        pool = {r["worker_id"] for r in csv.DictReader(fh)}
    unplaced = pool - {a[0] for a in before}
    assert len(unplaced) >= len(absent)  # the premise: people without a post to call in
    freed = sum(1 for a in before if a[0] in set(absent))
    assert freed == len(absent)  # in this plan each person holds one post

    changed = len(after - before)
    summary = json.loads((new / "summary.json").read_text(encoding="utf-8"))["replan"]
    assert summary["changed_assignments"] == changed
    assert changed <= len(absent)
    assert summary["absent"] == len(absent)
    assert summary["by_change"]["moved"] == 0 and summary["by_change"]["released"] == 0
    assert read_rows(new / "shortfalls.csv") == []  # every freed post filled


def test_changes_csv_is_exactly_the_difference_between_the_plans(presidential):
    plan, new, absent = presidential
    old, now = posts_by_worker(plan), posts_by_worker(new)
    rows = read_rows(new / "changes.csv")
    listed: dict[str, tuple[str, set[Post], set[Post]]] = {}
    for r in rows:
        if r["change"] == "short":
            continue
        kind, was, gets = listed.setdefault(r["worker_id"], (r["change"], set(), set()))
        assert r["change"] == kind, r  # one kind per person
        if r["from_site_id"]:
            was.add((r["from_site_id"], r["from_role"], r["from_shift"]))
        if r["to_site_id"]:
            gets.add((r["to_site_id"], r["to_role"], r["to_shift"]))

    expected = {}
    for worker in set(old) | set(now):
        was, gets = old.get(worker, set()), now.get(worker, set())
        if was == gets:
            continue
        kind = ("absent" if worker in absent else "called" if not was else "released" if not gets else "moved")
        expected[worker] = (kind, was, gets)
    assert listed == expected

    # in words: every absent person's post is listed as absent, every new assignment as called or moved
    for worker in absent:
        assert listed[worker] == ("absent", old[worker], set())
    for a in assignments(new) - assignments(plan):
        assert listed[a[0]][0] in ("called", "moved") and a[1:] in listed[a[0]][2]
    assert [r for r in rows if r["change"] == "short"] == []


def test_changes_csv_departments_and_commutes_match_the_new_plan(presidential):
    _, new, _ = presidential
    placed = {(r["worker_id"], r["site_id"], r["role"], r["shift"]): r for r in read_rows(new / "assignments.csv")}
    for r in read_rows(new / "changes.csv"):
        if r["change"] in ("called", "moved"):
            row = placed[(r["worker_id"], r["to_site_id"], r["to_role"], r["to_shift"])]
            assert (r["department"], r["commute_m"]) == (row["department"], row["commute_m"])


def test_the_replanned_plan_passes_validate(presidential):
    _, new, _ = presidential
    result = runner.invoke(app, ["validate", str(new)])
    assert result.exit_code == 0, result.output


def test_replan_is_deterministic(presidential, tmp_path):
    plan, new, absent = presidential
    again = replan(plan, absent, tmp_path / "again")
    for name in ("assignments.csv", "changes.csv", "shortfalls.csv"):
        assert (again / name).read_bytes() == (new / name).read_bytes(), name


def test_replan_of_a_replan_keeps_the_second_plan(presidential, tmp_path):
    """A second round of absences starts from the replanned folder and keeps everything else of it."""
    _, new, absent = presidential
    more = sorted(random.Random(SEED + 1).sample(sorted(set(posts_by_worker(new)) - set(absent)), 5))
    third = replan(new, more, tmp_path / "third")
    assert {a for a in assignments(new) if a[0] not in more} <= assignments(third)
    assert len(assignments(third) - assignments(new)) <= 5


def test_changes_xlsx_has_names_and_changes_csv_has_none(presidential):
    from openpyxl import load_workbook

    _, new, _ = presidential
    names = {r["worker_id"]: r["name"] for r in read_rows(STAFF)}
    changed = {r["worker_id"] for r in read_rows(new / "changes.csv") if r["worker_id"]}
    book = load_workbook(new / "changes.xlsx", read_only=True)
    sheet = book.worksheets[0]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    book.close()
    assert {"빠지는 사람", "들어오는 사람", "빠지는 직원번호", "직원번호"} <= set(header)
    by_id = {r[header.index("직원번호")]: r[header.index("들어오는 사람")] for r in rows if r[header.index("직원번호")]}
    by_id.update({r[header.index("빠지는 직원번호")]: r[header.index("빠지는 사람")] for r in rows
                  if r[header.index("빠지는 직원번호")]})
    assert set(by_id) == changed
    assert all(by_id[w] == names[w] for w in changed)
    kinds = {r[header.index("변경")] for r in rows}
    assert kinds and all("→" in k or k in ("신규 소집", "이동") or k.startswith("미충원") for k in kinds), kinds
    paired = [r for r in rows if r[header.index("빠지는 직원번호")] and r[header.index("직원번호")]]
    assert paired  # someone absent, and who takes their post, on one line
    ws = load_workbook(new / "changes.xlsx")["변경내역"]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$1"
    assert "&P / &N" in ws.oddFooter.center.text and "제20대 대통령선거" in ws.oddHeader.left.text
    sites = [r[header.index("투표소코드")] for r in rows]
    assert len(set(sites)) == len([s for k, s in enumerate(sites) if k == 0 or sites[k - 1] != s])

    text = (new / "changes.csv").read_text(encoding="utf-8")
    assert "name" not in read_rows(new / "changes.csv")[0]
    assert not [names[w] for w in changed if names[w] in text]
    assert not [names[w] for w in changed if names[w] in (new / "assignments.csv").read_text(encoding="utf-8")]


def test_freeze_keeps_frozen_posts_in_a_solve_with_another_seed(presidential, presidential_scenario, tmp_path):
    plan, _, _ = presidential
    managers = sorted((r for r in read_rows(plan / "assignments.csv") if r["role"] == "manager"),
                      key=lambda r: r["site_id"])
    frozen = random.Random(SEED).sample(managers, 5)
    freeze = tmp_path / "freeze.csv"
    with freeze.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, ["worker_id", "site_id", "role", "shift"], extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(frozen)
    second = solve(presidential_scenario, tmp_path / "second", "--seed", "17", "--freeze", str(freeze))
    held = assignments(second)
    for r in frozen:
        assert (r["worker_id"], r["site_id"], r["role"], r["shift"]) in held
    assert runner.invoke(app, ["validate", str(second)]).exit_code == 0


def test_freeze_in_a_replan_keeps_the_frozen_posts(presidential, tmp_path):
    """--freeze in a replan: the named posts stay, whatever the replan does around them."""
    plan, _, absent = presidential
    kept = [r for r in read_rows(plan / "assignments.csv") if r["worker_id"] not in absent][:3]
    freeze = tmp_path / "freeze.csv"
    freeze.write_text("worker_id,site_id,role,shift\n" + "".join(
        f"{r['worker_id']},{r['site_id']},{r['role']},{r['shift']}\n" for r in kept), encoding="utf-8")
    new = replan(plan, absent[:5], tmp_path / "frozen", "--freeze", str(freeze))
    held = assignments(new)
    assert all((r["worker_id"], r["site_id"], r["role"], r["shift"]) in held for r in kept)


def test_local_replan_changes_no_more_posts_than_the_absent_held(local_scenario, tmp_path):
    """In the local election some people hold two posts: N absences free more than N posts, and the
    replan changes at most as many as were freed."""
    plan = solve(local_scenario, tmp_path / "local")
    absent = ten_percent(plan)
    new = replan(plan, absent, tmp_path / "local-replan")
    before, after = assignments(plan), assignments(new)
    freed = sum(1 for a in before if a[0] in set(absent))
    assert freed >= len(absent)
    assert {a for a in before if a[0] not in set(absent)} <= after
    assert len(after - before) <= freed
    assert runner.invoke(app, ["validate", str(new)]).exit_code == 0


# --- when people without a post cannot fill the gaps: the full model moves people ----------


@pytest.fixture(scope="module")
def forced_moves(presidential, tmp_path_factory) -> tuple[Path, Path, list[str]]:
    """Five election-day managers absent, and with them every unplaced person of grade 6 or higher:
    no one left without a post may lead a station, so the gentle stage leaves posts short and the
    full model gives the freed manager posts to people who already hold a post."""
    plan, _, _ = presidential
    staff = read_rows(STAFF)
    placed = posts_by_worker(plan)
    managers = sorted(r["worker_id"] for r in read_rows(plan / "assignments.csv") if r["role"] == "manager")[:5]
    senior = [s["worker_id"] for s in staff if s["worker_id"] not in placed and s["grade"] and int(s["grade"]) <= 6]
    absent = sorted(managers + senior)
    return plan, replan(plan, absent, tmp_path_factory.mktemp("moves") / "replan"), absent


def test_the_full_stage_fills_what_the_gentle_one_cannot(forced_moves):
    plan, new, absent = forced_moves
    summary = json.loads((new / "summary.json").read_text(encoding="utf-8"))["replan"]
    assert summary["by_change"]["called"] + summary["by_change"]["moved"] > 0
    assert read_rows(new / "shortfalls.csv") == []
    gone = set(absent)
    before, after = assignments(plan), assignments(new)
    assert {a for a in before if a[0] not in gone} <= after  # still: nobody unaffected loses a post
    assert len(after - before) <= sum(1 for a in before if a[0] in gone)
    assert runner.invoke(app, ["validate", str(new)]).exit_code == 0


def test_changes_csv_lists_only_the_posts_that_changed(forced_moves):
    plan, new, _ = forced_moves
    old, now = posts_by_worker(plan), posts_by_worker(new)
    if not any(old.get(w, set()) & posts and old.get(w, set()) != posts for w, posts in now.items()):
        pytest.skip("no one kept a post while taking another: the case this test is about did not arise")
    for r in read_rows(new / "changes.csv"):
        if r["change"] == "short":
            continue
        worker = r["worker_id"]
        if r["from_site_id"]:
            assert (r["from_site_id"], r["from_role"], r["from_shift"]) not in now.get(worker, set()), r
        if r["to_site_id"]:
            assert (r["to_site_id"], r["to_role"], r["to_shift"]) not in old.get(worker, set()), r
