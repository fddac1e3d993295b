"""The national workbook (country.xlsx) and the national page (report.html), in Korean.

The page is one file that works offline: inline CSS, an inline SVG map of the count units
(coloured by posts per 1,000 electors, or by worst predicted wait), no script from
anywhere else. Unit outlines come from the shipped, simplified count-unit outlines.
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import pandas as pd

from ..costs import ROLE_CLASSES
from ..glossary import ALLOWANCE_CLASSES, DOCUMENT, NATIONAL, SITE_KINDS, UNIT_PROBLEMS, UNIT_STATUS, ko
from ..reports.palette import wait_colour, wait_legend
from ..reports.roster import text_width
from ..reports.svgmap import Projection
from ..safe_write import neutralise, write_atomic, write_text_atomic
from .figures import WAIT_LIMIT_MIN
from .national import worst_wait as _wait

KIND_KO = {code: term.ko for code, term in SITE_KINDS.items()}
CLASS_KO = {code: term.ko for code, term in ALLOWANCE_CLASSES.items()}
STATUS_KO = {code: term.ko for code, term in UNIT_STATUS.items()}
SIDO_COLUMNS = {code: ko(NATIONAL, code) for code in (
    "sido", "units", "registered_electors", "stations_polling", "stations_early", "stations_counting",
    "posts_polling", "posts_early", "posts_counting", "posts_total", "people_placed", "posts_short",
    "allowance_total_krw", "units_over_wait_limit", "stations_over_wait_limit")}
UNIT_COLUMNS = {code: ko(NATIONAL, code) for code in (
    "code", "sido", "sigungu", "registered_electors", "stations_polling", "stations_early", "posts_total",
    "posts_polling", "posts_early", "posts_counting", "people_placed", "posts_short", "allowance_total_krw",
    "worst_wait_min", "status", "solve_seconds")}
TOTAL_ROWS = ("registered_electors", "stations_polling", "stations_early", "stations_counting", "posts_polling",
              "posts_early", "posts_counting", "posts_total", "people_placed", "posts_short",
              *[f"allowance_{k}_krw" for k in ROLE_CLASSES], "allowance_total_krw", "units_over_wait_limit",
              "stations_over_wait_limit")


def _per_thousand(record: dict) -> float:
    electors = int(record.get("registered_electors") or 0)
    return 1000 * int(record.get("posts_total") or 0) / electors if electors else 0.0


def _wait_text(value: float) -> str:
    return ko(DOCUMENT, "unbounded_wait") if math.isinf(value) else f"{value:,.1f}"


def write_country_xlsx(path: Path, records: list[dict], national: dict, sido: pd.DataFrame) -> None:
    import xlsxwriter

    def build(tmp: Path) -> None:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                              "default_format_properties": {"font_name": "맑은 고딕", "font_size": 10}})
        head = book.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1, "text_wrap": True,
                                "valign": "vcenter"})
        number = book.add_format({"num_format": "#,##0", "border": 1})
        text = book.add_format({"border": 1})
        decimal = book.add_format({"num_format": "#,##0.0", "border": 1})

        def sheet(name: str, headers: list[str], rows: list[list], widths: list[int]) -> None:
            ws = book.add_worksheet(name)
            ws.set_landscape()
            ws.set_paper(9)
            ws.fit_to_pages(1, 0)
            ws.repeat_rows(0)
            ws.set_header(f"&L전국 선거사무 인력 배치 &R{name}")
            ws.set_footer("&C&P / &N 쪽")
            ws.freeze_panes(1, 0)
            for c, (h, w) in enumerate(zip(headers, widths, strict=True)):
                ws.write_string(0, c, h, head)
                ws.set_column(c, c, w)
            # LibreOffice does not grow a row for wrapped text: make the header tall enough for its longest label
            lines = max(math.ceil(text_width(h) / max(w - 1, 1)) for h, w in zip(headers, widths, strict=True))
            ws.set_row(0, 15 * max(lines, 1))
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row):
                    if isinstance(value, bool) or value is None:
                        ws.write_blank(r, c, None, text)
                    elif isinstance(value, int):
                        ws.write_number(r, c, value, number)
                    elif isinstance(value, float):
                        ws.write_number(r, c, value, decimal)
                    else:
                        ws.write_string(r, c, str(neutralise(value)), text)

        summary = [
            ["구시군(개표 단위)", national["units"]],
            *[[STATUS_KO[s], national[f"units_{s}"]] for s in ("planned", "short", "failed", "invalid")],
            *[[ko(NATIONAL, key), national[key]] for key in TOTAL_ROWS],
        ]
        sheet("전국", ["항목", "값"], summary, [28, 18])
        sido_rows = [[_cell(row[k]) for k in SIDO_COLUMNS] for row in sido.to_dict("records")]
        sheet("시도별", list(SIDO_COLUMNS.values()), sido_rows, [16] + [12] * (len(SIDO_COLUMNS) - 1))
        unit_rows = [[_unit_cell(r, k) for k in UNIT_COLUMNS] for r in records]
        sheet("구시군별", list(UNIT_COLUMNS.values()), unit_rows, [8, 14, 16] + [11] * (len(UNIT_COLUMNS) - 3))
        sheet("역할별", ROLE_HEADERS, _role_rows(national), [14, 34, 12])
        sheet("점검 필요", ATTENTION_HEADERS, _attention_rows(records), [8, 14, 16, 12, 10, 16, 60])
        book.close()

    write_atomic(path, build)


def _cell(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _unit_cell(record: dict, key: str):
    if key == "status":
        return STATUS_KO.get(record.get(key), record.get(key))
    if key == "worst_wait_min":
        wait = _wait(record)
        return ko(DOCUMENT, "unbounded_wait") if math.isinf(wait) else round(wait, 1)
    if key == "solve_seconds":
        return float(record.get(key) or 0.0)
    value = record.get(key)
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


ROLE_HEADERS = ["구분", "역할", "인원"]
ATTENTION_HEADERS = [*(ko(NATIONAL, k) for k in ("code", "sido", "sigungu", "status", "posts_short", "worst_wait_min")),
                     "내용"]


def _role_rows(national: dict) -> list[list]:
    """역할별: site kind, the role's Korean name and its posts, nationally (the workbook's sheet and the page)."""
    return [[KIND_KO.get(key.split(":")[0], key.split(":")[0]), national["role_names"].get(key, ""), posts]
            for key, posts in national["posts_by_role"].items()]


def _attention_rows(records: list[dict]) -> list[list]:
    """점검 필요: the units short, failed or with a wait over the limit, and why (the workbook's sheet and the page)."""
    return [[r["code"], r["sido"], r["sigungu"], STATUS_KO.get(r.get("status"), r.get("status")),
             int(r.get("posts_short") or 0), _wait_text(_wait(r)), _problem_ko(r)]
            for r in records if _needs_attention(r)]


def _needs_attention(record: dict) -> bool:
    return record.get("status") != "planned" or _wait(record) > WAIT_LIMIT_MIN


def _problem_ko(record: dict) -> str:
    parts = []
    # the error itself is English and technical: it stays in country.csv and failed/<code>.json
    if record.get("status") in ("failed", "invalid"):
        parts.append(ko(UNIT_PROBLEMS, record["status"]))
    if int(record.get("posts_short") or 0):
        parts.append(f"미충원 {int(record['posts_short']):,}명")
    wait = _wait(record)
    if wait > WAIT_LIMIT_MIN:
        site = record.get("worst_wait_site", "")
        parts.append(f"{site} 예상 대기 {_wait_text(wait)}{'' if math.isinf(wait) else '분'}")
    return "; ".join(parts)


# --- the page -------------------------------------------------------------------------------------------------------

def write_country_html(path: Path, records: list[dict], national: dict, sido: pd.DataFrame,
                       outlines: dict | None = None) -> None:
    if outlines is None:
        outlines = _shipped_outlines()
    by_code = {r["code"]: r for r in records}
    svg = _map_svg(outlines, by_code) if outlines else "<p>구시군 경계 자료가 없어 지도를 그리지 않았습니다.</p>"
    cards = [(ko(NATIONAL, key), national[key]) for key in ("units", "stations_polling", "stations_early",
                                                             "posts_total", "posts_short", "allowance_total_krw")]
    card_html = "".join(f'<div class="card"><div class="v">{v:,}</div><div class="k">{html.escape(k)}</div></div>'
                        for k, v in cards)
    sido_table = _table(list(SIDO_COLUMNS.values()), [[_fmt(row[k]) for k in SIDO_COLUMNS]
                                                      for row in sido.to_dict("records")])
    attention = _attention_rows(records)
    attention_html = (_table(ATTENTION_HEADERS, [[_fmt(v) for v in row] for row in attention])
                      if attention else "<p>미충원이나 30분 넘는 대기가 예상되는 구시군이 없습니다.</p>")
    roles = _table(ROLE_HEADERS, [[_fmt(v) for v in row] for row in _role_rows(national)])
    money = _table(["수당 구분", "금액(원)"], [[CLASS_KO[k], _fmt(national[f"allowance_{k}_krw"])] for k in ROLE_CLASSES]
                   + [["계", _fmt(national["allowance_total_krw"])]])
    page = _PAGE.format(cards=card_html, map=svg, sido=sido_table, attention=attention_html, roles=roles,
                        money=money, units=national["units"])
    write_text_atomic(path, page)


def _fmt(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, (int, float)):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return str(value)  # plain text: _table escapes every cell


def _table(headers: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>"
                                    for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


PER_THOUSAND_BINS = (4.0, 5.0, 6.0, 7.0)
PER_THOUSAND_COLOURS = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")


def _bin_colour(value: float, bins: tuple, colours: tuple) -> str:
    for limit, colour in zip(bins, colours, strict=False):
        if value < limit:
            return colour
    return colours[len(bins)]


def _map_svg(outlines: dict, by_code: dict) -> str:
    features = []
    for feature in outlines.get("features", []):
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        features.append((str(feature["properties"].get("code") or feature["properties"].get("sgg")), polygons))
    project = Projection([pt for _, polygons in features for poly in polygons for ring in poly for pt in ring],
                         width=640.0, pad=4.0)

    def xy(lon: float, lat: float) -> str:
        x, y = project(lon, lat)
        return f"{x:.1f},{y:.1f}"

    paths = []
    for code, polygons in features:
        record = by_code.get(code)
        d = " ".join("M" + " L".join(xy(*pt) for pt in ring) + "Z" for poly in polygons for ring in poly)
        if record is None:
            paths.append(f'<path d="{d}" class="off"/>')
            continue
        per_k, wait = _per_thousand(record), _wait(record)
        c1 = _bin_colour(per_k, PER_THOUSAND_BINS, PER_THOUSAND_COLOURS)
        c2 = wait_colour(wait)
        label = (f"{record['sido']} {record['sigungu']}: 선거인 1천 명당 인력 {per_k:.1f}명, "
                 f"최장 예상 대기 {_wait_text(wait)}{'' if math.isinf(wait) else '분'}, "
                 f"{STATUS_KO.get(record.get('status'), record.get('status'))}")
        paths.append(f'<path d="{d}" style="fill:{c1}" data-a="{c1}" data-b="{c2}">'
                     f"<title>{html.escape(label)}</title></path>")
    legend_a = "".join(f'<span><i style="background:{c}"></i>{t}</span>' for c, t in zip(
        PER_THOUSAND_COLOURS, ("4명 미만", "4–5명", "5–6명", "6–7명", "7명 이상"), strict=True))
    legend_b = "".join(f'<span><i style="background:{c}"></i>{html.escape(t)}</span>' for c, t in wait_legend()[:-1])
    return (f'<div class="mapbar"><button id="ma" class="on">선거인 1천 명당 인력</button>'
            f'<button id="mb">최장 예상 대기</button></div>'
            f'<svg id="map" viewBox="0 0 {project.width:.0f} {project.height:.0f}" role="img" aria-label="구시군 지도">'
            f'{"".join(paths)}</svg>'
            f'<div class="legend" id="la">{legend_a}</div><div class="legend" id="lb" hidden>{legend_b}</div>')


def _shipped_outlines() -> dict:
    from ..districts.korea import _features

    return {"features": list(_features("units.geojson.gz"))}


_PAGE = """<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>전국 선거사무 인력 배치 보고서</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{{font-family:"Noto Sans KR","NanumGothic","Malgun Gothic",sans-serif;margin:24px;color:#222;max-width:1200px}}
h1{{font-size:22px}} h2{{font-size:17px;margin-top:28px;border-bottom:2px solid #DDE6F0;padding-bottom:4px}}
.cards{{display:flex;flex-wrap:wrap;gap:10px}} .card{{background:#f4f7fb;border-radius:8px;padding:10px 16px;min-width:120px}}
.card .v{{font-size:22px;font-weight:bold}} .card .k{{color:#555;font-size:13px}}
.wrap{{display:flex;gap:24px;flex-wrap:wrap}} #map{{width:560px;max-width:100%;background:#f8fbff;border:1px solid #ccd}}
#map path{{stroke:#667;stroke-width:.3}} #map path.off{{fill:#eee}} #map path:hover{{stroke:#000;stroke-width:1.2}}
.legend span{{margin-right:10px;font-size:13px}} .legend i{{display:inline-block;width:12px;height:12px;margin-right:4px;
vertical-align:middle;border:1px solid #999}}
.mapbar button{{border:1px solid #99a;background:#fff;padding:4px 10px;margin:0 4px 6px 0;cursor:pointer}}
.mapbar button.on{{background:#3182bd;color:#fff}}
table{{border-collapse:collapse;font-size:13px;margin:6px 0}} th,td{{border:1px solid #ccd;padding:3px 7px}}
th{{background:#DDE6F0}} td{{text-align:right}} td:nth-child(-n+3){{text-align:left}}
</style></head><body>
<h1>전국 선거사무 인력 배치 보고서</h1>
<p>구시군(개표 단위) {units}곳의 배치 결과를 모았습니다. 각 구시군의 배치표와 보고서는 <code>units/&lt;코드&gt;/plan/</code>에 있습니다.</p>
<div class="cards">{cards}</div>
<div class="wrap"><div><h2>지도</h2>{map}</div>
<div><h2>수당</h2>{money}<h2>역할별 인원</h2>{roles}</div></div>
<h2>시도별</h2>{sido}
<h2>점검 필요 구시군</h2>{attention}
<script>
(function(){{var a=document.getElementById('ma'),b=document.getElementById('mb');if(!a)return;
function show(k){{document.querySelectorAll('#map path[data-a]').forEach(function(p){{p.style.fill=p.getAttribute(k)}});
a.className=k==='data-a'?'on':'';b.className=k==='data-b'?'on':'';
document.getElementById('la').hidden=k!=='data-a';document.getElementById('lb').hidden=k!=='data-b';}}
a.onclick=function(){{show('data-a')}};b.onclick=function(){{show('data-b')}};}})();
</script>
</body></html>
"""
