"""The documents in Korean: the glossary, a real roster with shortfalls read cell by cell, allowances and budget.

The plan is a real solve of the presidential scenario with a pool cut to 450 people, so
posts go short (with reasons) and waits run over target (with notes).
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime

import pytest
from openpyxl import load_workbook

from election_ops import glossary
from election_ops.costs import cost_by_class
from election_ops.glossary import SHORTFALL_REASONS, shortfall_reason, wait_note_ko
from election_ops.pipeline import Inputs, solve_plan, write_solved

ENGLISH_WORD = re.compile(r"[A-Za-z]{4,}")
HEADER_FILL = "FFDDEBF7"  # Formats.header: a header row's cells
BUDGET = 100_000_000


@pytest.fixture(scope="module")
def short_plan(presidential_inputs, tmp_path_factory):
    from election_ops.io.staff import load_staff

    staff = load_staff(presidential_inputs.scenario.staff, presidential_inputs.district)
    scenario = presidential_inputs.scenario.model_copy(update={"budget_krw": BUDGET})
    inputs = Inputs(scenario=scenario, district=presidential_inputs.district, rules=presidential_inputs.rules,
                    workers=staff[:450], staff_path=presidential_inputs.scenario.staff)
    solved = solve_plan(inputs, time_limit=5)
    out = tmp_path_factory.mktemp("short")
    write_solved(solved, out)
    return solved, out


def test_docs_glossary_is_generated_from_the_module(repo_root):
    assert (repo_root / "docs" / "glossary.md").read_text(encoding="utf-8") == glossary.markdown(), (
        "regenerate it: python -m election_ops.glossary > docs/glossary.md")


def test_glossary_holds_the_terms_the_issue_names():
    words = {t.ko for _, terms in glossary.GROUPS.values() for t in terms.values()}
    assert {"투표소", "사전투표소", "개표소", "투표관리관", "투표사무원", "예비인력", "최적 배치 (증명됨)",
            "더 나은 배치가 없음을 확인"} <= words
    for _, terms in glossary.GROUPS.values():
        assert all(code == t.code for code, t in terms.items())


def test_every_shortfall_reason_renders_without_placeholders():
    details = {"people": "W1", "requirement": "6급 이상", "qualified": "3", "shift": "선거일투표", "shift_code": "eday",
               "available": "2", "details": ": 2명은 최대 2회 배치에 도달", "details_en": ": 2 already hold the maximum",
               "free": "1"}
    for code in SHORTFALL_REASONS:
        text = shortfall_reason(code, details)
        assert "{" not in text and text and re.search("[가-힣]", text), code
        assert not ENGLISH_WORD.search(text.replace("time-limit", "")), (code, text)
    assert shortfall_reason("unknown-code", ()) == "사유 미상"


def test_wait_notes_in_korean():
    assert wait_note_ko(meets_target=True, capacity_limited=False, worst_min=5, best_min=5, hour="11:00",
                        stage="register", target_min=30) == ""
    note = wait_note_ko(meets_target=False, capacity_limited=True, worst_min=95.4, best_min=math.inf, hour="09:00",
                        stage="early_out", target_min=30)
    assert note.startswith("가장 붐비는 9시 95분 대기(관외 발급)") and "대기가 끝나지 않음" in note
    endless = wait_note_ko(meets_target=False, capacity_limited=False, worst_min=math.inf, best_min=math.inf,
                           hour="06:00", stage="ballot", target_min=30)
    assert endless.startswith("가장 붐비는 6시 대기가 끝나지 않음(투표용지교부), 목표 30분 초과")


def test_dates_and_hours_read_the_korean_way():
    assert glossary.shift_when_ko(datetime(2022, 3, 9, 6), datetime(2022, 3, 9, 19, 30)) == "2022. 3. 9.(수) 06:00–19:30"
    assert glossary.report_time_ko(datetime(2022, 3, 9, 6)) == "05:30"
    assert glossary.won(1234000) == "1,234,000원"


def test_no_english_word_in_the_roster_outside_code_and_id_columns(short_plan):
    _, out = short_plan
    book = load_workbook(out / "roster.xlsx")
    checked = 0
    for ws in book.worksheets:
        codes: set[int] = set()
        for row in ws.iter_rows():
            if any(c.fill.fgColor.rgb == HEADER_FILL for c in row if c.value is not None):
                codes = {c.column for c in row if isinstance(c.value, str) and ("코드" in c.value or "번호" in c.value)}
                continue
            for cell in row:
                if isinstance(cell.value, str) and cell.column not in codes:
                    checked += 1
                    assert not ENGLISH_WORD.search(cell.value), (ws.title, cell.coordinate, cell.value)
    assert checked > 5000


def test_shortfall_reasons_are_korean_in_the_roster_and_coded_in_the_csv(short_plan):
    solved, out = short_plan
    assert solved.plan.short_posts > 0
    ws = load_workbook(out / "roster.xlsx")["미충원"]
    header = [c.value for c in ws[1]]
    reasons = [row[header.index("사유")] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert reasons and all(re.search("[가-힣]", r) for r in reasons)
    csv_text = (out / "shortfalls.csv").read_text(encoding="utf-8")
    assert csv_text.splitlines()[0].endswith(",reason,reason_code")
    codes = {line.rsplit(",", 1)[1] for line in csv_text.splitlines()[1:]}
    assert codes and codes <= set(SHORTFALL_REASONS)


def test_summary_sheet_has_no_solver_jargon_and_shows_cost_and_budget(short_plan):
    solved, out = short_plan
    rows = [row for row in load_workbook(out / "roster.xlsx")["요약"].iter_rows(values_only=True)]
    text = " ".join(str(v) for row in rows for v in row if v is not None)
    for jargon in ("OPTIMAL", "FEASIBLE", "목적함수", "best bound", "하한", "최적성 격차"):
        assert jargon not in text
    labels = {row[0] for row in rows}
    assert {"투표관리관", "투표사무원", "개표사무원", "예산", "필요 수당"} <= labels
    classes = {c.role_class: c for c in cost_by_class(solved.demand, solved.inputs.rules, solved.plan)}
    total = sum(c.required_krw for c in classes.values())
    assert total == 123_490_000  # 71 managers, 656 clerk posts (+72 early: two days each), 72 counting posts
    assert classes["manager"].required_krw == 190_000 * (61 + 10 * 2)
    over = next(row for row in rows if row[0] and str(row[0]).startswith("예산 초과"))
    assert over[1] == total - BUDGET

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["budget"] == {"budget_krw": BUDGET, "cost_krw": total, "remaining_krw": BUDGET - total,
                                 "over": True}
    assert summary["cost_required_krw"] == total == summary["cost_krw"]["total"]
    assert summary["cost_by_class"]["clerk"]["rate_krw"] == 130_000
    assert summary["cost_assigned_krw"] < total  # posts short: the filled posts cost less


def test_roster_workbook_is_the_same_bytes_twice(short_plan, tmp_path):
    solved, out = short_plan
    write_solved(solved, tmp_path)
    assert (tmp_path / "roster.xlsx").read_bytes() == (out / "roster.xlsx").read_bytes()


def test_every_role_and_shift_of_the_shipped_rules_is_in_the_glossary(repo_root):
    from election_ops.io.rules import load_rules

    for path in sorted((repo_root / "scenarios" / "rules").glob("*.yaml")):
        rules = load_rules(path)
        assert {r.role for r in rules.roles} <= set(glossary.ROLES), path.name
        assert {s.id for s in rules.shifts} <= set(glossary.SHIFTS), path.name
