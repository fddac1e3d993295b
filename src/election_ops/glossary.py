"""The one glossary: every Korean term a document shows, keyed by the English code machines use.

Workbooks, PDFs, HTML and the terminal take their Korean words from here, and CSV files
keep the codes. ``docs/glossary.md`` is generated from this module
(``python -m election_ops.glossary > docs/glossary.md``) and a test checks the two agree.

A leaf module: it imports nothing from the project, so any layer may use it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Term:
    code: str
    ko: str
    en: str


def _terms(*rows: tuple[str, str, str]) -> dict[str, Term]:
    return {code: Term(code, ko, en) for code, ko, en in rows}


# Each group: (title in docs/glossary.md, terms). Codes are unique within a group.
SITE_KINDS = _terms(
    ("polling", "투표소", "polling station (one per precinct, election day)"),
    ("early", "사전투표소", "early-voting station (one per 행정동, the early-voting days)"),
    ("counting", "개표소", "counting site (election night)"),
)
SITE_KIND_SHORT = _terms(  # the 구분 column: which day's work
    ("polling", "선거일", "election day"),
    ("early", "사전", "early voting"),
    ("counting", "개표", "counting"),
)
ROLES = _terms(
    ("manager", "투표관리관", "polling-station manager (lead)"),
    ("register_check", "명부대조·본인확인", "register check and identity"),
    ("ballot_issue", "투표용지교부", "ballot issue"),
    ("guide", "안내·질서유지", "guide and order"),
    ("covid_screening", "발열체크", "fever check at an entrance"),
    ("quarantine_support", "격리자투표지원", "support for voters in quarantine"),
    ("early_manager", "사전투표관리관", "early-voting station manager (lead)"),
    ("early_in_clerk", "관내선거인 본인확인·용지발급", "clerk for the station's own 동 (관내)"),
    ("early_out_clerk", "관외선거인 본인확인·회송용봉투", "clerk for voters from elsewhere (관외)"),
    ("early_guide", "안내·질서유지", "guide and order (early voting)"),
    ("reserve", "예비인력", "standby staff at the 동 주민센터, called on when someone drops out"),
    ("count_lead", "개표사무 총괄", "counting lead"),
    ("count_opening", "개함부", "ballot-box opening"),
    ("count_sorter", "투표지분류기운영부", "ballot-sorting machine"),
    ("count_review", "심사·집계부", "review and tally"),
    ("count_guide", "안내·질서유지", "guide and order (counting)"),
)
STAFF_GROUPS = _terms(  # how documents name people as a group
    ("manager", "투표관리관", "station managers (투표관리관, 사전투표관리관)"),
    ("clerk", "투표사무원", "polling and early-voting clerks, as a group"),
    ("counting", "개표사무원", "counting staff, as a group"),
    ("reserve", "예비인력", "standby staff"),
)
ALLOWANCE_CLASSES = _terms(  # costs.allowance_category
    ("manager", "투표관리관", "station managers: the manager's daily rate"),
    ("clerk", "투표사무원", "every other polling or early-voting post: the clerk's daily rate"),
    ("counting", "개표사무원", "counting-site posts: the counting rate"),
)
SHIFTS = _terms(
    ("early", "사전투표", "both early-voting days, one person"),
    ("early-1", "사전투표 1일차", "first early-voting day"),
    ("early-2", "사전투표 2일차", "second early-voting day"),
    ("eday", "선거일투표", "election day"),
    ("count", "개표", "counting, election night"),
)
STAFF_KINDS = _terms(
    ("일반직", "일반직", "graded civil servant (5급-9급)"),
    ("공무직", "공무직", "public-service worker, no grade"),
    ("기간제", "기간제", "fixed-term worker, no grade"),
)
SOLVER_STATUS = _terms(
    ("OPTIMAL", "최적 배치 (증명됨)", "optimal: no better plan exists"),
    ("FEASIBLE", "배치 완료 (시간 내 최선)", "feasible: the best plan found in the time allowed"),
    ("INFEASIBLE", "배치 불가", "infeasible: the rules cannot all hold"),
    ("MODEL_INVALID", "모형 오류", "the model is invalid (a bug)"),
    ("UNKNOWN", "결과 없음 (시간 부족)", "no plan found in the time allowed"),
    ("GREEDY", "간이 배치 (최적화 전)", "the greedy starting plan"),
)
SUMMARY = _terms(  # the 요약 sheet's solver block, in words an official reads
    ("status", "배치 결과", "solver status"),
    ("proven", "더 나은 배치가 없음을 확인", "optimality proven"),
    ("not_proven", "더 나은 배치가 있을 수 있음", "optimality not proven"),
    ("objective", "배치 점수 (낮을수록 좋음)", "objective value"),
    ("best_bound", "가능한 최선 점수", "best bound"),
    ("gap", "최선과의 차이", "optimality gap"),
    ("term", "점수 내역", "objective term"),
    ("solve_seconds", "계산 시간(초)", "solve time in seconds"),
)
OBJECTIVE_TERMS = _terms(
    ("shortfall", "미충원", "posts left empty"),
    ("commute", "통근거리", "commute, metres summed"),
    ("long_commute", "장거리 통근", "commute beyond the long-commute threshold"),
    ("worst_commute", "최장 통근거리", "the single longest commute"),
    ("fairness", "부서 간 형평", "departments above or below their share"),
    ("together", "담당 동 밖 배치", "posts outside the department's home 동"),
    ("preference", "선호 미반영", "preferences missed"),
    ("newcomers", "신규자 비중 초과", "first-timers beyond a station's share"),
    ("second_post", "2회 배치", "people given a second post"),
    ("change", "재배치 변경", "replanning: posts that changed hands"),
    ("reserve_change", "예비인력 투입", "replanning: standby staff moved to a post"),
    ("reserve_shortfall", "예비인력 미충원", "standby posts left empty"),
)
CHANGES = _terms(
    ("absent", "결원(불참)", "absent: drops out of the plan"),
    ("called", "신규 소집", "newly called in"),
    ("moved", "이동", "moved to another post"),
    ("released", "배치 해제", "released from a post"),
    ("short", "미충원", "a post still empty"),
)
SHORTFALL_REASONS = _terms(  # Shortfall.reason_code; {placeholders} are filled from Shortfall.reason_args
    ("standby_sent", "예비인력이 결원 자리로 투입됨: {people}", "standby (예비인력) sent to a freed post: {people}"),
    ("no_qualified", "인력풀에 요건({requirement})을 갖춘 사람이 없음",
     "no one in the staff pool meets the requirements ({requirement})"),
    ("all_unavailable", "요건을 갖춘 {qualified}명 모두 {shift} 근무 불가",
     "all {qualified} people who meet the requirements ({requirement}) are unavailable on shift {shift_code}"),
    ("all_taken", "근무 가능한 적격자 {available}명 모두 이미 배치됨{details}",
     "all {available} eligible, available people are taken{details_en}"),
    ("solver_stopped", "적격자 {free}명이 남았으나 계산 시간이 끝남 (--time-limit를 늘리세요)",
     "{free} eligible people were free but the solver stopped before placing them (raise --time-limit)"),
    ("not_offered", "적격자 {free}명이 남았으나 이 자리의 후보가 아님 (후보 목록 밖이거나 재배치에서 기존 자리 유지)",
     "{free} eligible people were free but not offered this post (outside its candidate list or held in place by a "
     "gentle replan)"),
    ("other", "사유 미상", "reason not recorded"),
)
REQUIREMENTS = _terms(  # parts of requirement_text
    ("min_grade", "{grade} 이상", "grade {grade} or above"),
    ("certification", "자격 {certs}", "certification {certs}"),
    ("experience", "{role} 경험", "experience as {role}"),
    ("none", "특별 요건 없음", "no special requirement"),
    ("overlapping", "{n}명은 겹치는 근무에 배치됨 (예: {places})", "{n} already hold a post on an overlapping shift (e.g. at {places})"),
    ("capped", "{n}명은 최대 {max}회 배치에 도달", "{n} already hold the maximum of {max} posts"),
)
WAIT_STAGES = _terms(
    ("register", "명부대조", "register check"),
    ("ballot", "투표용지교부", "ballot issue"),
    ("booth", "기표소", "voting booths"),
    ("early_in", "관내 발급", "early voting, own 동 (관내)"),
    ("early_out", "관외 발급", "early voting, from elsewhere (관외)"),
)
WAIT_NOTES = _terms(  # StationWait.note, in Korean
    ("room", "가장 붐비는 {hour}시 {worst}({stage}), 목표 {target}분 초과: 발급대를 늘리세요(공간 여유 있음)",
     "worst hour waits over target: staff more desks (the room has space)"),
    ("capacity", ("가장 붐비는 {hour}시 {worst}({stage}); 공간이 허용하는 발급대를 모두 운영해도 {best}: "
                  "투표소를 나누거나 더 넓은 장소로 옮기세요"),
     "worst hour waits over target even with every desk the room holds: split the station or a bigger room"),
    ("no_end", "대기가 끝나지 않음", "the line never clears"),
)
LOCATION_SOURCES = _terms(
    ("approximate", "위치 추정", "location estimated (the 동's centre or a geocoded address)"),
    ("surveyed", "확인된 위치", "location checked on site"),
)
DOCUMENT = _terms(  # headings and words the documents use
    ("election", "선거", "the election"),
    ("scenario", "시나리오", "planning scenario"),
    ("roster", "선거사무 인력 배치표", "the roster workbook"),
    ("report_time", "집합 시간", "reporting time: when to arrive, before the shift starts"),
    ("duty_hours", "근무 시간", "duty hours"),
    ("signature", "서명", "signature column"),
    ("contact", "연락처", "contact telephone"),
    ("short_name", "(미충원)", "an empty post's name cell"),
    ("unassigned", "미배치", "a person with no post"),
    ("budget", "예산", "budget (budget_krw)"),
    ("allowance", "수당", "allowance"),
    ("under_budget", "예산 이내", "under budget"),
    ("over_budget", "예산 초과", "over budget"),
    ("page_of", "&P / &N 쪽", "page X of Y"),
    ("yes", "예", "yes"),
    ("no", "아니오", "no"),
    # notices.pdf and report.html (docs/reports.md)
    ("notice", "선거사무 근무 안내", "notices.pdf: a person's duty notice"),
    ("report", "선거사무 인력 배치 보고서", "report.html of a plan"),
    ("comparison_report", "시나리오 비교 보고서", "report.html of a comparison"),
    ("site", "근무지", "the site of a post"),
    ("role", "역할", "role"),
    ("when", "근무 일시", "duty date(s) and hours"),
    ("place", "근무 장소", "where to go"),
    ("manager", "책임자", "the site's lead, whom a clerk reports to"),
    ("estimated_allowance", "수당(예상)", "estimated allowance of a post"),
    ("inquiries", "문의", "whom to call (the scenario's contact)"),
    ("election_office", "구청 선거 담당 부서", "the district's election office: whom to call without a contact"),
    ("unbounded_wait", "대기 해소 불가", "a wait that never clears (inf)"),
    ("no_prediction", "예측 없음", "no wait predicted"),
)

COMPARISON = _terms(  # comparison.xlsx: the figures (comparison.side_by_side) and the columns of its tables
    ("precincts (투표구)", "투표구 수", "precincts"),
    ("polling stations (투표소)", "투표소 수 (구 전체)", "polling stations"),
    ("electors per station, max", "투표소당 선거인 수 (최대)", "electors per station, max"),
    ("electors per station, mean", "투표소당 선거인 수 (평균)", "electors per station, mean"),
    ("busiest station", "선거인이 가장 많은 투표소", "busiest station (site id)"),
    ("worst-hour wait, worst station (min)", "가장 붐비는 시간 대기, 최악 투표소 (분)", "worst-hour wait at the worst station"),
    ("worst-wait station", "대기가 가장 긴 투표소", "worst-wait station (site id)"),
    ("expected wait, mean over stations (min)", "평균 예상 대기 (분)", "expected wait, mean over stations"),
    ("stations over the wait target", "목표 대기시간 초과 투표소 수", "stations over the wait target"),
    ("staff needed: polling", "필요 인원: 투표소", "staff needed at polling stations"),
    ("staff needed: early", "필요 인원: 사전투표소", "staff needed at early-voting stations"),
    ("staff needed: counting", "필요 인원: 개표소", "staff needed at the counting site"),
    ("staff needed: total", "필요 인원: 합계", "staff needed in all"),
    ("posts short (미충원)", "미충원", "posts left empty"),
    ("commute mean (m)", "평균 통근거리 (m)", "mean commute"),
    ("commute max (m)", "최대 통근거리 (m)", "longest commute"),
    ("department fairness: largest share gap (%p)", "부서 간 형평: 최대 비중 차이 (%p)", "largest department share gap"),
    ("estimated allowances (KRW)", "추정 수당 (원)", "estimated allowances"),
    ("solver", "배치 결과", "plan status and solve time"),
    ("figure", "항목", "figure"),
    ("plan", "시나리오", "plan (scenario id)"),
    ("dong", "동", "행정동"),
    ("stations", "투표소 수", "polling stations"),
    ("staff needed", "필요 인원", "staff needed"),
    ("worst-hour wait (min)", "가장 붐비는 시간 대기 (분)", "worst-hour wait"),
    ("at", "해당 투표소코드", "where (site id)"),
    ("expected wait, mean (min)", "평균 예상 대기 (분)", "expected wait, mean"),
    ("site_id", "투표소코드", "site id"),
    ("worst_wait_min", "최대 대기 (분)", "worst-hour wait"),
    ("expected_wait_min", "평균 대기 (분)", "expected wait"),
)

NATIONAL = _terms(  # the national workbook, page and comparison (country/): country.csv's columns and totals
    ("code", "코드", "count unit code"),
    ("sido", "시도", "province or metropolitan city (시도)"),
    ("sigungu", "구시군", "count unit (구시군)"),
    ("units", "구시군", "count units"),
    ("registered_electors", "선거인수", "registered electors"),
    ("stations_polling", "투표소", "polling stations"),
    ("stations_early", "사전투표소", "early-voting stations"),
    ("stations_counting", "개표소", "counting sites"),
    ("posts_polling", "투표소 인력", "posts at polling stations"),
    ("posts_early", "사전투표소 인력", "posts at early-voting stations"),
    ("posts_counting", "개표소 인력", "posts at counting sites"),
    ("posts_total", "필요 인력 계", "posts, all kinds"),
    ("people_placed", "배치 인원", "people placed"),
    ("posts_short", "미충원", "posts left empty"),
    *[(f"allowance_{code}_krw", f"수당: {term.ko}(원)", f"allowance, {code} class (KRW)")
      for code, term in ALLOWANCE_CLASSES.items()],
    ("allowance_total_krw", "수당 계(원)", "allowance, total (KRW)"),
    ("worst_wait_min", "최장 예상 대기(분)", "worst predicted hour's wait in the unit"),
    ("units_over_wait_limit", "대기 30분 초과 구시군", "units with a station whose worst hour waits over 30 minutes"),
    ("stations_over_wait_limit", "대기 30분 초과 투표소", "stations (any kind) whose worst hour waits over 30 minutes"),
    ("status", "상태", "the unit's status"),
    ("solve_seconds", "배치 계산(초)", "solver seconds"),
)
UNIT_STATUS = _terms(  # a unit's status in a country run
    ("planned", "배치 완료", "planned, nothing short"),
    ("short", "미충원 있음", "planned with posts left empty"),
    ("failed", "실패", "failed (the error is recorded)"),
    ("invalid", "검증 실패", "planned, but validate found a broken rule"),
)
UNIT_PROBLEMS = _terms(  # 점검 필요's 내용 for a unit that failed or did not validate; the error text stays in the CSV
    ("failed", "처리 중 오류로 배치하지 못함 (오류 내용은 전국 결과 CSV에 기록)", "the unit failed"),
    ("invalid", "배치표 검증에서 규칙 위반 발견 (내용은 전국 결과 CSV에 기록)", "validate found broken rules"),
)

GROUPS: dict[str, tuple[str, dict[str, Term]]] = {
    "site_kinds": ("Site kinds (투표소 종류)", SITE_KINDS),
    "site_kind_short": ("Site kinds, short (구분)", SITE_KIND_SHORT),
    "roles": ("Roles (역할)", ROLES),
    "staff_groups": ("Staff as a group", STAFF_GROUPS),
    "allowance_classes": ("Allowance classes (수당 구분)", ALLOWANCE_CLASSES),
    "shifts": ("Shifts (근무)", SHIFTS),
    "staff_kinds": ("Staff kinds (직종)", STAFF_KINDS),
    "solver_status": ("Plan status (배치 결과)", SOLVER_STATUS),
    "summary": ("Solver words in the summary (요약)", SUMMARY),
    "objective_terms": ("Objective terms (점수 내역)", OBJECTIVE_TERMS),
    "changes": ("Replan changes (변경 구분)", CHANGES),
    "shortfall_reasons": ("Shortfall reasons (미충원 사유)", SHORTFALL_REASONS),
    "requirements": ("Requirement and reason parts", REQUIREMENTS),
    "wait_stages": ("Wait stages (대기 단계)", WAIT_STAGES),
    "wait_notes": ("Wait notes (대기 비고)", WAIT_NOTES),
    "location_sources": ("Location sources (위치 출처)", LOCATION_SOURCES),
    "document": ("Document words", DOCUMENT),
    "comparison": ("Comparison figures (시나리오 비교)", COMPARISON),
    "national": ("National figures (전국)", NATIONAL),
    "unit_status": ("Unit status in a country run (상태)", UNIT_STATUS),
    "unit_problems": ("Why a unit needs a look (점검 필요)", UNIT_PROBLEMS),
}

REPORT_BEFORE_MIN = 30  # 집합 시간: people report this many minutes before their shift starts
WEEKDAYS_KO = "월화수목금토일"


def ko(group: dict[str, Term], code: str, default: str | None = None) -> str:
    """The Korean word for ``code`` in ``group``; ``default`` (or the code itself) when there is none."""
    term = group.get(code)
    if term is not None:
        return term.ko
    return code if default is None else default


def role_label(code: str, name: str | None = None) -> str:
    """A role's Korean name with its code beside it, e.g. ``투표관리관 (manager)``: the only way a code shows."""
    return f"{name or ko(ROLES, code)} ({code})"


class _Args(dict):
    def __missing__(self, key: str) -> str:  # a template never fails on a missing detail
        return ""


def shortfall_reason(code: str, args: dict | tuple = (), *, lang: str = "ko") -> str:
    """A shortfall reason in Korean (or English) from its code and details."""
    term = SHORTFALL_REASONS.get(code) or SHORTFALL_REASONS["other"]
    return (term.ko if lang == "ko" else term.en).format_map(_Args(dict(args)))


def grade_ko(grade: int) -> str:
    return f"{grade}급"


def wait_note_ko(*, meets_target: bool, capacity_limited: bool, worst_min: float, best_min: float, hour: str,
                 stage: str, target_min: float) -> str:
    """StationWait.note in Korean: why a station misses its target and what would fix it ('' when it meets it)."""
    if meets_target:
        return ""

    def minutes(x: float) -> str:
        return ko(WAIT_NOTES, "no_end") if math.isinf(x) else f"{x:,.0f}분 대기"

    args = {"hour": hour.split(":")[0].lstrip("0") or "0", "worst": minutes(worst_min),
            "stage": ko(WAIT_STAGES, stage), "target": f"{target_min:g}", "best": minutes(best_min)}
    return ko(WAIT_NOTES, "capacity" if capacity_limited else "room").format_map(_Args(args))


def date_ko(day) -> str:
    """``2022. 3. 9.(수)``: the way Korean public documents write a date."""
    return f"{day.year}. {day.month}. {day.day}.({WEEKDAYS_KO[day.weekday()]})"


def shift_when_ko(start, end) -> str:
    """A shift's date(s) and hours: ``2022. 3. 9.(수) 05:00–20:00``, ``2022. 3. 4.(금)–3. 5.(토) 매일 05:00–19:00``,
    or ``2022. 3. 9.(수) 18:00–익일 04:00`` for a night shift."""
    hours = f"{start:%H:%M}–"
    if end.date() > start.date() and end.time() <= start.time():
        return f"{date_ko(start)} {hours}익일 {end:%H:%M}"
    if end.date() > start.date():
        return f"{date_ko(start)}–{end.month}. {end.day}.({WEEKDAYS_KO[end.weekday()]}) 매일 {hours}{end:%H:%M}"
    return f"{date_ko(start)} {hours}{end:%H:%M}"


def report_time_ko(start, end=None) -> str:
    """집합 시간: ``04:30`` (``매일 04:30`` for a shift over several days), REPORT_BEFORE_MIN before the start."""
    at = start - timedelta(minutes=REPORT_BEFORE_MIN)
    every = end is not None and end.date() > start.date() and end.time() > start.time()
    return f"{'매일 ' if every else ''}{at:%H:%M}"


def won(amount: float) -> str:
    """``1,234,000원``."""
    return f"{round(amount):,}원"


def markdown() -> str:
    """docs/glossary.md, generated."""
    lines = ["# Glossary (용어집)", "",
             "Every Korean term the documents show, with the English code the CSV files and the code use.",
             "Generated from `src/election_ops/glossary.py` (`python -m election_ops.glossary > docs/glossary.md`);",
             "a test checks this file matches it. Role names shown in a plan come from the rules file, which uses",
             "these names.", "",
             f"The reporting time (집합 시간) is {REPORT_BEFORE_MIN} minutes before a shift starts (`REPORT_BEFORE_MIN`).",
             ""]
    for title, terms in GROUPS.values():
        lines += [f"## {title}", "", "| code | 한국어 | English |", "|---|---|---|"]
        for term in terms.values():
            lines.append(f"| `{term.code}` | {term.ko.replace('|', '/')} | {term.en.replace('|', '/')} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(markdown(), end="")
