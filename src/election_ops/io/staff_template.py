"""The staff list template an office fills in (``election-ops staff template``): Korean headers,
a 작성요령 sheet with examples, and data validation for the coded columns.

The first sheet is the list itself (what ``io/staff.py`` reads); the examples sit on the
second sheet, so a forgotten example never becomes a person.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from ..domain import StaffKind
from ..safe_write import atomic_path
from .staff_columns import korean_header

LIST_SHEET, GUIDE_SHEET, LISTS_SHEET = "직원명단", "작성요령", "목록"
MAX_ROWS = 5000  # rows given data validation
GRADES = tuple(f"{g}급" for g in range(1, 10))
SITE_KINDS = ("투표소", "사전투표소", "개표소")

# column, required, what to write (Korean: the office reads it), example
COLUMNS: list[tuple[str, str, str, str]] = [
    ("worker_id", "필수", "직원마다 다른 번호(사번). 문자로 입력", "W0001"),
    ("name", "필수", "성명. 배치표에만 쓰이고 기록·오류 메시지에는 나오지 않음", "홍길동"),
    ("department", "필수", "부서 또는 동 주민센터 (예: 총무과, 독산1동 주민센터). 동 주민센터 직원은 가능하면 자기 동에 배치", "독산1동 주민센터"),
    ("staff_kind", "선택", "일반직, 공무직, 기간제 중 하나 (목록에서 선택). 비우면 일반직", "일반직"),
    ("grade", "일반직 필수", "1급~9급 (목록에서 선택). 투표관리관은 6급 이상", "7급"),
    ("contact", "선택", "연락처. 배치표·안내문에만 쓰이고 기록·오류 메시지에는 나오지 않음", "010-0000-0000"),
    ("address", "주소 또는 경도·위도", ("거주지: 도로명주소(동을 괄호에), 지번주소, 행정동·법정동 이름, 또는 시군구. "
                                 "동까지 알면 동 대표점, 시군구만 알면 시군구 대표점으로 통근거리를 추정"),
     "서울특별시 금천구 시흥대로 73길 5 (독산동)"),
    ("home_lon", "선택", "거주지 경도 (WGS84, 124~132). 위도와 함께 쓰면 주소보다 우선", ""),
    ("home_lat", "선택", "거주지 위도 (WGS84, 33~39)", ""),
    ("experience", "선택", ("과거 선거사무 경력 역할, ;로 구분 (예: 투표관리관; 사전투표관리관; 개표사무총괄; 개함부; 안내). "
                          "관리관·총괄은 같은 역할 경력이 있어야 배치"), "투표관리관; 안내"),
    ("certifications", "선택", "자격, ;로 구분 (투표지분류기: 분류기 운영 교육 이수)", ""),
    ("unavailable", "선택", "근무할 수 없는 날, ;로 구분: 사전투표(이틀 모두), 사전1일차, 사전2일차, 선거일, 개표", "개표"),
    ("preferred_dong", "선택", "희망 근무 동 (관할 동 이름)", "독산1동"),
    ("preferred_site_kind", "선택", "희망 근무지: 투표소, 사전투표소, 개표소 (목록에서 선택)", ""),
    ("note", "선택", "비고 (읽지 않음)", ""),
]
EXAMPLES = [  # more ways to give a home, shown on the 작성요령 sheet
    ["W0002", "김영희", "총무과", "일반직", "6급", "", "서울특별시 관악구 신림동 1422-5", "", "", "", "", "", "", "투표소", ""],
    ["W0003", "이철수", "가산동 주민센터", "공무직", "", "", "가산동", "", "", "", "", "사전1일차", "", "", ""],
    ["W0004", "박민수", "세무1과", "기간제", "", "", "경기도 광명시", "", "", "", "투표지분류기", "선거일", "", "개표소", ""],
    ["W0005", "최지은", "복지정책과", "일반직", "8급", "", "", "126.9001", "37.4602", "", "", "", "", "", ""],
]
NOTES = [
    "작성요령",
    "1. 첫 번째 시트(직원명단)에 한 사람당 한 줄씩 입력합니다. 머리글(첫 줄)은 바꾸지 마십시오.",
    ("2. 거주지는 주소 칸에 적습니다: 도로명주소(동을 괄호에 넣으면 동까지 반영), 지번주소, 동 이름(예: 독산1동, 신림동), "
     "또는 시군구. 동 이름만 쓰면 관할 구의 동으로 봅니다. 좌표를 알면 경도·위도 칸을 씁니다."),
    "3. 동이나 시군구 대표점으로 잡은 거주지의 통근거리는 추정치로 표시됩니다(배치표·summary.json).",
    "4. 위치를 찾을 수 없는 주소는 행 번호와 함께 오류로 알려 드립니다. 시군구와 동을 함께 적어 주십시오.",
    "5. 영어 머리글(worker_id, name, department, staff_kind, grade, home_lon, home_lat, ...)도 읽습니다.",
    "6. 성명과 연락처는 개인정보입니다: 배치표에만 쓰이고 로그나 오류 메시지에는 나오지 않습니다.",
    "",
    "열 설명",
]


def write_staff_template(path: Path, dongs: tuple[str, ...] = ()) -> None:
    """Write the template to ``path`` (xlsx); ``dongs`` fills the 희망 동 list (empty: free text)."""
    headers = [korean_header(column) for column, *_ in COLUMNS]
    col = {column: i for i, (column, *_) in enumerate(COLUMNS)}
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp))
        header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "font_name": "맑은 고딕"})
        text = book.add_format({"num_format": "@", "font_name": "맑은 고딕"})
        plain = book.add_format({"font_name": "맑은 고딕"})
        title = book.add_format({"bold": True, "font_size": 14, "font_name": "맑은 고딕"})

        sheet = book.add_worksheet(LIST_SHEET)
        for c, name in enumerate(headers):
            sheet.write_string(0, c, name, header)
            width = 40 if COLUMNS[c][0] == "address" else 14
            sheet.set_column(c, c, width, text if COLUMNS[c][0] not in ("home_lon", "home_lat") else plain)
        sheet.freeze_panes(1, 0)

        guide = book.add_worksheet(GUIDE_SHEET)
        lists = book.add_worksheet(LISTS_SHEET)  # long lists live here (a validation formula is short)
        for r, value in enumerate(dongs):
            lists.write_string(r, 0, value)
        lists.hide()

        def choose(column: str, source, message: str) -> None:
            c = col[column]
            sheet.data_validation(1, c, MAX_ROWS, c, {
                "validate": "list", "source": source, "input_title": headers[c][:32], "input_message": message[:255],
                "error_title": "목록에 없는 값", "error_message": f"{headers[c]}: 목록에서 선택하십시오"[:255]})

        choose("staff_kind", [k.value for k in StaffKind], "일반직, 공무직, 기간제 중 선택 (비우면 일반직)")
        choose("grade", list(GRADES), "1급~9급 (공무직·기간제는 비워도 됨)")
        choose("preferred_site_kind", list(SITE_KINDS), "희망 근무지 (선택)")
        if dongs:
            choose("preferred_dong", f"={LISTS_SHEET}!$A$1:$A${len(dongs)}", "관할 동 중 선택 (선택)")
        for column, low, high in (("home_lon", 124, 132), ("home_lat", 33, 39)):
            c = col[column]
            sheet.data_validation(1, c, MAX_ROWS, c, {
                "validate": "decimal", "criteria": "between", "minimum": low, "maximum": high,
                "error_title": "좌표 범위", "error_message": f"{headers[c]}: WGS84 도 단위 ({low}~{high})"})
        for column in ("address", "experience", "unavailable"):
            c = col[column]
            sheet.data_validation(1, c, MAX_ROWS, c, {
                "validate": "any", "input_title": headers[c][:32],
                "input_message": next(n for k, _, n, _ in COLUMNS if k == column)[:255]})

        guide.set_column(0, 0, 16)
        guide.set_column(1, 1, 18)
        guide.set_column(2, 2, 100)
        guide.write_string(0, 0, NOTES[0], title)
        for r, line in enumerate(NOTES[1:], start=1):
            guide.write_string(r, 0, line, plain)
        row = len(NOTES)
        for c, name in enumerate(("머리글", "필수 여부", "설명")):
            guide.write_string(row, c, name, header)
        for column, need, note, _ in COLUMNS:
            row += 1
            guide.write_string(row, 0, korean_header(column), plain)
            guide.write_string(row, 1, need, plain)
            guide.write_string(row, 2, note, plain)
        row += 2
        guide.write_string(row, 0, "작성 예시 (이 시트의 예시는 읽지 않습니다)", title)
        row += 1
        for c, name in enumerate(headers):
            guide.write_string(row, c, name, header)
        for values in [[example for *_, example in COLUMNS], *EXAMPLES]:
            row += 1
            for c, value in enumerate(values):
                guide.write_string(row, c, value, plain)
        book.close()
