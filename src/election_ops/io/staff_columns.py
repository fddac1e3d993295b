"""The staff list's columns as a district office writes them: Korean headers and Korean values.

One table of header aliases (사번 -> worker_id, 직급 -> grade, ...) and the Korean words
accepted in the coded columns (불가 근무: 선거일 -> eday, 경력: 투표관리관 -> manager).
Headers are compared NFC-normalised, without spaces, ``_``, ``*`` or case, so
``불가 근무``, ``불가근무`` and ``Home_Lon`` all match. The template
(``election-ops staff template``) writes the first Korean name of each column.
"""

from __future__ import annotations

import re
import unicodedata

# column -> accepted headers; the first Korean one is what the template writes
HEADERS: dict[str, tuple[str, ...]] = {
    "worker_id": ("사번", "직원번호", "개인번호", "직원id", "id"),
    "name": ("성명", "이름", "직원명"),
    "department": ("부서", "소속", "부서명", "소속부서", "근무부서"),
    "staff_kind": ("직종", "직원구분", "임용구분", "구분"),
    "grade": ("직급", "급"),
    "contact": ("연락처", "전화번호", "휴대전화", "휴대폰", "핸드폰", "휴대전화번호", "phone"),
    "address": ("주소", "거주지", "자택주소", "집주소", "주소지", "거주지주소", "home"),
    "home_lon": ("경도", "거주지경도", "lon", "longitude"),
    "home_lat": ("위도", "거주지위도", "lat", "latitude"),
    "experience": ("경력", "선거경력", "종사경력", "선거사무경력"),
    "certifications": ("자격", "자격사항", "교육이수"),
    "unavailable": ("불가 근무", "근무 불가", "불가"),
    "preferred_dong": ("희망 동", "희망 근무 동"),
    "preferred_site_kind": ("희망 근무지", "희망 시설", "희망 투표소"),
    "note": ("비고", "메모", "notes"),
}

# Korean words for the coded values
SHIFT_WORDS = {
    "사전투표": "early", "사전": "early", "사전투표일": "early",
    "사전1일차": "early-1", "사전투표1일차": "early-1", "사전1일": "early-1",
    "사전2일차": "early-2", "사전투표2일차": "early-2", "사전2일": "early-2",
    "선거일": "eday", "선거일투표": "eday", "본투표": "eday", "투표일": "eday",
    "개표": "count",
}
ROLE_WORDS = {  # role names of the shipped rules files (scenarios/rules/*.yaml)
    "투표관리관": ("manager",),
    "사전투표관리관": ("early_manager",),
    "명부대조": ("register_check",), "본인확인": ("register_check",), "명부대조·본인확인": ("register_check",),
    "투표용지교부": ("ballot_issue",),
    "안내": ("guide", "early_guide", "count_guide"), "안내·질서유지": ("guide", "early_guide", "count_guide"),
    "발열체크": ("covid_screening",),
    "격리자투표지원": ("quarantine_support",),
    "관내선거인": ("early_in_clerk",), "관외선거인": ("early_out_clerk",),
    "개표사무총괄": ("count_lead",), "개표총괄": ("count_lead",),
    "개함부": ("count_opening",),
    "심사·집계부": ("count_review",), "심사집계부": ("count_review",),
    "투표지분류기운영부": ("count_sorter",),
}
CERTIFICATION_WORDS = {"투표지분류기": "sorter", "분류기": "sorter", "투표지분류기운영": "sorter"}
STAFF_KIND_WORDS = {"general": "일반직", "public_service": "공무직", "fixed_term": "기간제", "일반": "일반직",
                    "공무": "공무직", "계약직": "기간제"}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _key(header: str) -> str:
    return re.sub(r"[\s_*·]+", "", nfc(header)).casefold()


_ALIASES = {_key(alias): column for column, aliases in HEADERS.items() for alias in (column, *aliases)}


def staff_column(header: str) -> str | None:
    """The staff column a header names (``직급`` -> ``grade``), or None for an unknown header."""
    return _ALIASES.get(_key(header))


def korean_header(column: str) -> str:
    """The header the template writes for a column."""
    return next((a for a in HEADERS[column] if re.search("[가-힣]", a)), column)


def _word(text: str) -> str:
    return re.sub(r"\s+", "", nfc(text))


def shift_id(item: str) -> str:
    """``선거일`` -> ``eday``; an id (``eday``) or an unknown word comes back as written."""
    return SHIFT_WORDS.get(_word(item), item)


def role_ids(item: str) -> tuple[str, ...]:
    """``투표관리관`` -> (``manager``,); a role id or an unknown name comes back as written."""
    return ROLE_WORDS.get(_word(item), (item,))


def certification_id(item: str) -> str:
    return CERTIFICATION_WORDS.get(_word(item), item)


def staff_kind_value(text: str) -> str:
    return STAFF_KIND_WORDS.get(_word(text), _word(text))
