"""notices.pdf and report.html: what they say, that they say it in Korean, and the same bytes every time.

The plan is the shipped presidential scenario solved for real (conftest ``solved_presidential``).
The browser checks of report.html are in test_browser.py (test_documents.py covers the workbooks).
"""

from __future__ import annotations

import csv
import dataclasses
import math
import re
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from election_ops.pipeline import station_waits_of, write_solved
from election_ops.reports.context import PlanContext, reporting_time, when_text
from election_ops.reports.html_report import plan_report_html
from election_ops.reports.notices import write_notices_pdf
from election_ops.reports.palette import UNBOUNDED_COLOUR, WAIT_COLOURS, wait_colour
from election_ops.reports.svgmap import MapStation, map_svg


@pytest.fixture(scope="module")
def ctx(solved_presidential) -> PlanContext:
    inputs = solved_presidential.inputs
    return PlanContext(scenario=inputs.scenario, demand=solved_presidential.demand, rules=inputs.rules,
                       workers=inputs.workers, plan=solved_presidential.plan, waits=station_waits_of(solved_presidential))


@pytest.fixture(scope="module")
def pages(written_plan) -> list[str]:
    return [page.extract_text() for page in PdfReader(written_plan / "notices.pdf").pages]


def _assignments(folder: Path) -> list[dict[str, str]]:
    with open(folder / "assignments.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_plan_folder_holds_both_documents(written_plan):
    assert (written_plan / "notices.pdf").stat().st_size > 10_000
    assert (written_plan / "report.html").stat().st_size > 10_000
    assert not list(written_plan.glob(".*.tmp"))


def test_one_notice_page_per_person_placed(pages, written_plan, ctx):
    people = {row["worker_id"] for row in _assignments(written_plan)}
    assert len(pages) == len(people) == 799
    ids = [re.search(r"직원번호 (\S+)", text).group(1) for text in pages]
    assert sorted(ids) == sorted(people)


def test_notices_are_sorted_by_department_then_name(pages, ctx):
    ids = [re.search(r"직원번호 (\S+)", text).group(1) for text in pages]
    keys = [(ctx.department(i), ctx.name(i), i) for i in ids]
    assert keys == sorted(keys)


def test_a_notice_says_who_where_when_and_what_it_pays(pages, ctx):
    """Every page names the person, their department, site, role, dates, times, place, manager and allowance."""
    for text in pages:
        worker_id = re.search(r"직원번호 (\S+)", text).group(1)
        flat = text.replace("\n", " ")
        assert f"{ctx.name(worker_id)} 님" in flat
        assert ctx.department(worker_id) in flat
        for post in ctx.posts_by_worker[worker_id]:
            shift = ctx.shifts[post.shift]
            assert ctx.sites[post.site_id].name in flat
            assert ctx.role_name(post) in flat
            for expected in (when_text(shift), reporting_time(shift), f"{ctx.allowance(post):,}원"):
                assert expected in flat, (worker_id, expected)
        for label in ("근무 안내", "집합 시간", "근무 일시", "근무 장소", "책임자", "수당(예상)", "문의"):
            assert label in flat
        assert not re.search(r"[A-Za-z]{4,}", flat), flat  # Korean only (ids such as W0423 are short)


def test_a_clerk_is_told_to_call_the_station_manager(pages, ctx):
    manager_of: dict[tuple[str, str], set[str]] = {}  # the counting site has two leads: either will do
    for a in ctx.plan.assignments:
        if ctx.is_lead(a):
            manager_of.setdefault((a.site_id, a.shift), set()).add(ctx.name(a.worker_id))
    checked = 0
    for text in pages:
        worker_id = re.search(r"직원번호 (\S+)", text).group(1)
        post = ctx.posts_by_worker[worker_id][0]
        if ctx.is_lead(post) or (post.site_id, post.shift) not in manager_of:
            continue
        flat = text.replace("\n", " ")
        assert any(name in flat for name in manager_of[(post.site_id, post.shift)]), worker_id
        checked += 1
    assert checked > 600


def test_times_read_as_the_roster_writes_them(ctx):
    """The glossary's formats (as on roster.xlsx); 집합 시간 is REPORT_BEFORE_MIN before the start."""
    from election_ops.glossary import REPORT_BEFORE_MIN

    eday, early, count = ctx.shifts["eday"], ctx.shifts["early"], ctx.shifts["count"]
    assert REPORT_BEFORE_MIN == 30
    assert (when_text(eday), reporting_time(eday)) == ("2022. 3. 9.(수) 05:00–20:00", "04:30")
    assert (when_text(early), reporting_time(early)) == ("2022. 3. 4.(금)–3. 5.(토) 매일 05:00–19:00", "매일 04:30")
    assert (when_text(count), reporting_time(count)) == ("2022. 3. 9.(수) 18:00–익일 04:00", "17:30")


def test_allowances_add_up_to_the_plans_cost(ctx):
    """With no post short, the notices' allowances add up to the cost estimate in summary.json."""
    from election_ops.costs import estimated_cost

    assert not ctx.plan.shortfalls
    assert sum(ctx.allowance(a) for a in ctx.plan.assignments) == estimated_cost(ctx.demand, ctx.rules)["total"]


def test_the_scenario_contact_is_printed(ctx, tmp_path):
    scenario = ctx.scenario.model_copy(update={"contact": "행정지원과 선거팀 02-2627-0000"})
    few = dataclasses.replace(ctx, scenario=scenario)
    assert write_notices_pdf(tmp_path / "n.pdf", few) == 799
    text = PdfReader(tmp_path / "n.pdf").pages[0].extract_text()
    assert "문의: 행정지원과 선거팀 02-2627-0000" in text


def test_same_plan_same_bytes(solved_presidential, written_plan, tmp_path):
    write_solved(solved_presidential, tmp_path / "again")
    for name in ("notices.pdf", "report.html"):
        assert (tmp_path / "again" / name).read_bytes() == (written_plan / name).read_bytes(), name
    assert b"/CreationDate (D:20220309000000+09'00')" in (written_plan / "notices.pdf").read_bytes()


def test_report_is_korean_and_self_contained(written_plan):
    html = (written_plan / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="ko">' in html
    # no file, style sheet, font, image or script from anywhere: only the SVG namespace names a URL
    assert set(re.findall(r"https?://[^\s\"'<>)]+", html)) == {"http://www.w3.org/2000/svg"}
    assert not re.search(r"<link|<img|<iframe|@import|url\(|src=", html)
    for heading in ("요약", "지도: 투표소별 예상 대기", "시간대별 예상 대기", "투표소별 현황", "부서별 배치", "미충원"):
        assert heading in html
    assert html.count('class="dong') == 10  # 금천구's 동 outlines
    assert html.count('class="st"') == 72  # 61 polling stations, 10 early-voting stations, the counting site


def test_report_escapes_names(ctx):
    """A name written as markup lands as text, in the table and in the data the map's panel reads."""
    bait = "</script><script>alert(1)</script><b>"
    first = ctx.plan.assignments[0].worker_id
    workers = tuple(w.model_copy(update={"name": bait}) if w.id == first else w for w in ctx.workers)
    html = plan_report_html(dataclasses.replace(ctx, workers=workers))
    assert bait not in html
    assert html.count("<script") == 2  # the data block and the page's own script
    assert "\\u003c/script\\u003e" in html


def test_unbounded_waits_have_their_own_colour_and_words(ctx):
    """A wait that never clears is drawn in its own colour and read as 대기 해소 불가, not as a huge number."""
    assert wait_colour(math.inf) == UNBOUNDED_COLOUR not in WAIT_COLOURS
    assert [wait_colour(v) for v in (0, 4.9, 5, 29.9, 30, 59, 60, 10_000)] == [
        WAIT_COLOURS[0], WAIT_COLOURS[0], WAIT_COLOURS[1], WAIT_COLOURS[2], WAIT_COLOURS[3], WAIT_COLOURS[3],
        WAIT_COLOURS[4], WAIT_COLOURS[4]]
    svg = map_svg([("동", [[(0, 0), (1, 0), (1, 1), (0, 0)]])],
                  [MapStation("a", "A", "polling", 0.5, 0.5, math.inf, 100), MapStation("b", "B", "polling", 0.2, 0.1, 3, 50)])
    assert svg.count(f'fill="{UNBOUNDED_COLOUR}"') == 1
    worst = ctx.waits[0]
    stuck = dataclasses.replace(worst, worst_wait_min=math.inf,
                                hourly_min=(1.0, math.inf, *worst.hourly_min[2:]))
    html = plan_report_html(dataclasses.replace(ctx, waits=(stuck, *ctx.waits[1:])))
    assert f'fill="{UNBOUNDED_COLOUR}"' in html
    assert "대기 해소 불가" in html.split('id="mapsec"')[0]  # the summary card
    assert "맨 위: 대기 해소 불가" in html  # the chart says where an unbounded hour is drawn
    assert 'class="inf"' in html  # the station's row in the table


def test_report_counts_match_the_plan(written_plan, ctx):
    html = (written_plan / "report.html").read_text(encoding="utf-8")
    assert "799명" in html  # required and assigned
    assigned = Counter(a["site_id"] for a in _assignments(written_plan))
    assert sum(assigned.values()) == 799
    assert html.count('data-id="') >= 72


def test_shortfalls_are_listed_with_korean_reasons(ctx):
    from election_ops.solution import Shortfall

    short = Shortfall("가산동-1", "polling", "manager", "eday", 1, 0, "no one in the staff pool meets the requirements",
                      reason_code="no_qualified", reason_args=(("requirement", "6급 이상"),))
    html = plan_report_html(dataclasses.replace(ctx, plan=dataclasses.replace(ctx.plan, shortfalls=(short,))))
    section = html[html.index("<h2>미충원 (1명)</h2>"):]
    assert "인력풀에 요건(6급 이상)을 갖춘 사람이 없음" in section
    assert "가산동 제1투표소" in section and "투표관리관" in section
    assert "staff pool" not in html


def test_a_managers_phone_is_printed_when_the_staff_file_has_one(ctx, tmp_path):
    """A person's ``contact`` (the staff file's 연락처 column); the notice shows the manager's."""
    fresh = dataclasses.replace(ctx)
    site = "가산동-1"
    lead = next(a.worker_id for a in fresh.staff_by_site[site] if fresh.is_lead(a))
    worker = fresh.people[lead]
    fresh.people[lead] = worker.model_copy(update={"contact": "010-1234-5678"})
    clerk = next(a.worker_id for a in fresh.staff_by_site[site] if not fresh.is_lead(a))
    write_notices_pdf(tmp_path / "n.pdf", fresh)
    pages = [p.extract_text() for p in PdfReader(tmp_path / "n.pdf").pages]
    page = next(t for t in pages if f"직원번호 {clerk}" in t)
    assert f"{worker.name} ({worker.department}) · 010-1234-5678" in page.replace("\n", " ")
