"""notices.pdf: one page per person placed (근무 안내), to hand out or send.

One PDF for the whole plan, one A4 page per person, sorted by department then name, so
each department can print its own run of pages. Each page says, in Korean: who, which
post (site and role), the date(s), reporting time (집합 시간), duty hours, the place, the
site's manager, the estimated allowance and whom to call.

The font is NanumGothic (SIL Open Font License), taken from the koreanize-matplotlib
package the maps already depend on, embedded as a subset. The PDF's dates come from the
election, never the clock, so one plan always gives the same bytes.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

from .context import REPORT_BEFORE_MIN, TERMS, PlanContext, date_ko, kind_ko, place_text, reporting_time, when_text, won
from .roster import contact_of

KST = timezone(timedelta(hours=9))
FAMILY = "NanumGothic"
MARGIN = 20  # mm
LABEL_W = 32  # mm: the label column of a post's table
LINE_H = 7.5  # mm


def nanum_font(bold: bool = False) -> Path:
    """The bundled NanumGothic TTF (shipped inside koreanize-matplotlib; found without importing matplotlib)."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("koreanize-matplotlib is not installed: it carries the Korean font (reinstall the package)")
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / (
        "NanumGothicBold.ttf" if bold else "NanumGothic.ttf")
    if not path.is_file():
        raise RuntimeError(f"the Korean font {path.name} is missing from koreanize-matplotlib (reinstall it)")
    return path


def write_notices_pdf(path: Path, ctx: PlanContext) -> int:
    """Write the notices to ``path`` as it stands (the plan writer stages it as a temp file); returns pages."""
    from fpdf import FPDF

    election = ctx.scenario.election
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_creation_date(datetime.combine(election.election_day, time(), tzinfo=KST))
    pdf.set_title(f"{election.name} {TERMS['notice']}")
    pdf.set_subject(ctx.scenario.title or ctx.scenario.id)
    pdf.set_author("election-ops")
    pdf.set_creator("election-ops")
    pdf.set_lang("ko")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.add_font(FAMILY, "", str(nanum_font()))
    pdf.add_font(FAMILY, "B", str(nanum_font(bold=True)))
    people = sorted(ctx.posts_by_worker, key=lambda wid: (ctx.department(wid), ctx.name(wid), wid))
    for worker_id in people:
        _page(pdf, ctx, worker_id)
    with _quiet_font_subsetting():
        pdf.output(str(path))
    return len(people)


@contextlib.contextmanager
def _quiet_font_subsetting():
    """fontTools logs a warning per font table it cannot subset (NanumGothic's TSI* hinting sources): noise."""
    logger = logging.getLogger("fontTools.subset")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


NOTES = (f"{TERMS['report_time']}은 근무 시작 {REPORT_BEFORE_MIN}분 전입니다.",
         "수당은 규정 일당에 근무일 수를 곱한 예상 금액이며, 실제 지급액은 선거 담당 부서가 확정합니다.",
         "근무가 어려워지면 바로 책임자 또는 선거 담당 부서에 알려 주십시오.",
         "이 안내문에는 개인정보가 있습니다. 근무가 끝나면 파기해 주십시오.")


def _page(pdf, ctx: PlanContext, worker_id: str) -> None:
    # text() and rect() only: fpdf2's cell() costs ~5x and multi_cell() ~100x more (docs/reports.md, speed)
    election = ctx.scenario.election
    worker = ctx.people.get(worker_id)
    posts = ctx.posts_by_worker[worker_id]
    width = pdf.w - 2 * MARGIN
    pdf.add_page()
    pdf.set_text_color(90, 90, 90)
    pdf.set_font(FAMILY, "", 9)
    _line(pdf, width, 5, f"{election.name} · {date_ko(election.election_day)}")
    pdf.ln(4)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FAMILY, "B", 20)
    title = TERMS["notice"]
    _text(pdf, pdf.l_margin + (width - pdf.get_string_width(title)) / 2, pdf.get_y(), 12, title)
    pdf.set_y(pdf.get_y() + 12)
    pdf.ln(6)
    pdf.set_font(FAMILY, "B", 15)
    _line(pdf, width, 9, f"{ctx.name(worker_id)} 님")
    pdf.set_font(FAMILY, "", 10.5)
    grade = ""
    if worker is not None:
        grade = f"{worker.grade}급" if worker.grade is not None else worker.staff_kind.value
    _line(pdf, width, 6, " · ".join(x for x in (ctx.department(worker_id), grade, f"직원번호 {worker_id}") if x))
    pdf.ln(3)
    _line(pdf, width, 6, f"아래와 같이 선거사무 근무를 안내합니다. {TERMS['report_time']}까지 {TERMS['place']}에 "
                         "도착해 주십시오.")
    pdf.ln(3)
    for number, post in enumerate(posts, start=1):
        _post_table(pdf, ctx, post, width, f"근무 {number}" if len(posts) > 1 else "근무")
    if len(posts) > 1:
        pdf.set_font(FAMILY, "B", 11)
        _line(pdf, width, 8, f"수당 합계(예상): {won(sum(ctx.allowance(p) for p in posts))}")
    pdf.ln(2)
    pdf.set_font(FAMILY, "B", 11)
    _line(pdf, width, 7, f"{TERMS['inquiries']}: {ctx.contact}")
    pdf.set_font(FAMILY, "", 9)
    pdf.set_text_color(70, 70, 70)
    pdf.ln(1)
    for note in NOTES:
        _line(pdf, width, 5, f"- {note}")
    pdf.set_text_color(0, 0, 0)


def _post_table(pdf, ctx: PlanContext, post, width: float, caption: str) -> None:
    site = ctx.sites.get(post.site_id)
    shift = ctx.shifts.get(post.shift)
    managers = ctx.managers(post)
    if ctx.is_lead(post):
        manager = f"본인 ({ctx.role_name(post)}): 선거 담당 부서에 보고"
    elif managers:
        lead = next(p for p in ctx.staff_by_site[post.site_id] if p.worker_id == managers[0])
        manager = f"{ctx.role_name(lead)} {ctx.name(managers[0])} ({ctx.department(managers[0])})"
        phone = contact_of(ctx.people.get(managers[0]))  # when the staff file has a contact column
        if phone:
            manager += f" · {phone}"
    else:
        manager = TERMS["election_office"]
    rows = [
        (TERMS["site"], f"{site.name if site else post.site_id} ({kind_ko(post.site_kind)})"),
        (TERMS["role"], ctx.role_name(post)),
        (TERMS["when"], when_text(shift) if shift else post.shift),
        (TERMS["report_time"], reporting_time(shift) if shift else ""),
        (TERMS["place"], place_text(site) if site else post.site_id),
        (TERMS["manager"], manager),
        (TERMS["estimated_allowance"], won(ctx.allowance(post))),
    ]
    x, y = pdf.l_margin, pdf.get_y()
    pdf.set_font(FAMILY, "B", 11)
    pdf.set_fill_color(230, 236, 245)
    pdf.rect(x, y, width, LINE_H, style="DF")
    _text(pdf, x + 1.5, y, LINE_H, caption)
    y += LINE_H
    pdf.set_fill_color(245, 245, 245)
    value_w = width - LABEL_W
    for label, value in rows:
        pdf.set_font(FAMILY, "", 10.5)
        lines = [part for text in value.split("\n") for part in _wrap(pdf, text, value_w - 3)]
        height = LINE_H * len(lines)
        pdf.rect(x, y, LABEL_W, height, style="DF")
        pdf.rect(x + LABEL_W, y, value_w, height)
        for k, text in enumerate(lines):
            _text(pdf, x + LABEL_W + 1.5, y + LINE_H * k, LINE_H, text)
        pdf.set_font(FAMILY, "B", 10.5)
        _text(pdf, x + 1.5, y, height, label)
        y += height
    pdf.set_xy(x, y + 4)


def _text(pdf, x: float, top: float, height: float, text: str) -> None:
    """Text vertically centred in a box of ``height`` from ``top``: text() is ~5x cheaper than cell()."""
    pdf.text(x, top + height / 2 + pdf.font_size * 0.35, text)


def _line(pdf, width: float, height: float, text: str) -> None:
    """One line of text, wrapped onto more only when it does not fit (rare: long names or departments)."""
    for part in _wrap(pdf, text, width):
        _text(pdf, pdf.l_margin, pdf.get_y(), height, part)
        pdf.set_xy(pdf.l_margin, pdf.get_y() + height)


def _wrap(pdf, text: str, width: float) -> list[str]:
    """Greedy word wrap in the current font; a word longer than the line is cut by characters."""
    if pdf.get_string_width(text) <= width:
        return [text]
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if pdf.get_string_width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for char in word:
            if current and pdf.get_string_width(current + char) > width:
                lines.append(current)
                current = ""
            current += char
    if current:
        lines.append(current)
    return lines or [""]
