"""``country compare A B``: what a rule change costs nationally, per 시도 and in total.

Reads two country runs' outputs (country.csv, country.json) and writes the differences
(B minus A) in the same formats: country_comparison.csv, country_comparison_roles.csv,
country_comparison.xlsx and report.html.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..glossary import NATIONAL, ko
from ..io.files import read_input, read_json
from ..reports.files import write_csv
from ..safe_write import neutralise, write_atomic, write_text_atomic
from .national import COUNTRY_COLUMNS
from .national_report import KIND_KO

MEASURES = {code: ko(NATIONAL, code) for code in (
    "registered_electors", "stations_polling", "stations_early", "posts_polling", "posts_early", "posts_counting",
    "posts_total", "people_placed", "posts_short", "allowance_manager_krw", "allowance_clerk_krw",
    "allowance_counting_krw", "allowance_total_krw", "stations_over_wait_limit")}
NATIONAL = "전국"


def read_run(folder: Path) -> tuple[pd.DataFrame, dict]:
    csv, totals = folder / "country.csv", folder / "country.json"
    for path in (csv, totals):
        if not path.is_file():
            raise InputError(path, "not a country run's output (the file is missing)",
                             fix="point at a folder written by `election-ops country plan --out DIR`")
    frame = pd.read_csv(io.BytesIO(read_input(csv, "csv")), dtype={"code": str}, keep_default_na=False)
    missing = [c for c in ("code", "sido", *MEASURES) if c not in frame.columns]
    if missing:
        raise InputError(csv, "columns missing", column=missing[0], fix="run `country plan` again into that folder")
    national = read_json(totals)
    if not isinstance(national, dict):
        raise InputError(totals, "not a country run's totals", fix="run `country plan` again into that folder")
    for column in MEASURES:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").fillna(0).astype(int)
    return frame, national


def compare_runs(a_dir: Path, b_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Per 시도 (and 전국) the measures of A, B and B − A; the roles table; which units each run covers."""
    a, a_nat = read_run(a_dir)
    b, b_nat = read_run(b_dir)
    only_a, only_b = sorted(set(a.code) - set(b.code)), sorted(set(b.code) - set(a.code))
    common = sorted(set(a.code) & set(b.code))
    a, b = a[a.code.isin(common)], b[b.code.isin(common)]
    sums_a, sums_b = a.groupby("sido")[list(MEASURES)].sum(), b.groupby("sido")[list(MEASURES)].sum()
    sums_a.loc[NATIONAL], sums_b.loc[NATIONAL] = sums_a.sum(), sums_b.sum()
    rows = []
    for sido in [*sorted(s for s in sums_a.index if s != NATIONAL), NATIONAL]:
        row = {"sido": sido}
        for m in MEASURES:
            va, vb = int(sums_a.loc[sido, m]), int(sums_b.loc[sido, m]) if sido in sums_b.index else 0
            row.update({f"{m}_a": va, f"{m}_b": vb, f"{m}_diff": vb - va})
        rows.append(row)
    roles_a, roles_b = a_nat.get("posts_by_role", {}), b_nat.get("posts_by_role", {})
    names = {**a_nat.get("role_names", {}), **b_nat.get("role_names", {})}
    role_rows = [{"site_kind": k.split(":")[0], "role": k.split(":")[1], "role_name": names.get(k, ""),
                  "posts_a": int(roles_a.get(k, 0)), "posts_b": int(roles_b.get(k, 0)),
                  "posts_diff": int(roles_b.get(k, 0)) - int(roles_a.get(k, 0))}
                 for k in sorted(set(roles_a) | set(roles_b))]
    coverage = {"units_compared": len(common), "only_in_a": only_a, "only_in_b": only_b}
    return pd.DataFrame(rows), pd.DataFrame(role_rows), coverage


def write_comparison(out: Path, a_dir: Path, b_dir: Path) -> tuple[pd.DataFrame, dict]:
    table, roles, coverage = compare_runs(a_dir, b_dir)
    out.mkdir(parents=True, exist_ok=True)
    write_csv(table, out / "country_comparison.csv")
    write_csv(roles, out / "country_comparison_roles.csv")
    labels = {"a": _label(a_dir), "b": _label(b_dir)}
    _write_xlsx(out / "country_comparison.xlsx", table, roles, labels, coverage)
    _write_html(out / "report.html", table, roles, labels, coverage)
    return table, coverage


def _label(folder: Path) -> str:
    return folder.resolve().name


def _korean_table(table: pd.DataFrame) -> tuple[list[str], list[list]]:
    headers = ["시도"]
    for label in MEASURES.values():
        headers += [f"{label} A", f"{label} B", f"{label} 차이"]
    rows = [[r["sido"], *[r[f"{m}_{s}"] for m in MEASURES for s in ("a", "b", "diff")]]
            for r in table.to_dict("records")]
    return headers, rows


def _write_xlsx(path: Path, table: pd.DataFrame, roles: pd.DataFrame, labels: dict, coverage: dict) -> None:
    import xlsxwriter

    def build(tmp: Path) -> None:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                              "default_format_properties": {"font_name": "맑은 고딕", "font_size": 10}})
        head = book.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1, "text_wrap": True})
        number = book.add_format({"num_format": "#,##0;[Red]-#,##0", "border": 1})
        text = book.add_format({"border": 1})
        ws = book.add_worksheet("개요")
        ws.set_column(0, 0, 30)
        ws.set_column(1, 1, 60)
        info = [["A", labels["a"]], ["B", labels["b"]], ["비교한 구시군", coverage["units_compared"]],
                ["A에만 있는 구시군", ", ".join(coverage["only_in_a"]) or "없음"],
                ["B에만 있는 구시군", ", ".join(coverage["only_in_b"]) or "없음"],
                ["읽는 법", "차이 = B − A. 음수는 B가 적게 필요함을 뜻합니다."]]
        for r, (k, v) in enumerate(info):
            ws.write_string(r, 0, k, head)
            (ws.write_number if isinstance(v, int) else ws.write_string)(r, 1, v if isinstance(v, int)
                                                                            else str(neutralise(v)), text)
        for name, (headers, rows) in (("시도별", _korean_table(table)),
                                      ("역할별", (["구분", "역할", "A", "B", "차이"],
                                                  [[KIND_KO.get(r["site_kind"], r["site_kind"]),
                                                    r["role_name"], r["posts_a"], r["posts_b"],
                                                    r["posts_diff"]] for r in roles.to_dict("records")]))):
            ws = book.add_worksheet(name)
            ws.set_landscape()
            ws.set_paper(9)
            ws.fit_to_pages(1, 0)
            ws.repeat_rows(0)
            ws.set_footer("&C&P / &N 쪽")
            ws.freeze_panes(1, 1)
            ws.set_column(0, 0, 16)
            ws.set_column(1, len(headers), 12)
            for c, h in enumerate(headers):
                ws.write_string(0, c, h, head)
            for r, row in enumerate(rows, start=1):
                for c, v in enumerate(row):
                    if isinstance(v, str):
                        ws.write_string(r, c, str(neutralise(v)), text)
                    else:
                        ws.write_number(r, c, int(v), number)
        book.close()

    write_atomic(path, build)


def _tone(diff: int) -> str:
    """The card's colour class: fewer is blue, more is red, no change is grey."""
    return "neg" if diff < 0 else ("pos" if diff > 0 else "zero")


def _write_html(path: Path, table: pd.DataFrame, roles: pd.DataFrame, labels: dict, coverage: dict) -> None:
    national = table[table.sido == NATIONAL].iloc[0]
    cards = "".join(
        f'<div class="card"><div class="v {_tone(national[f"{m}_diff"])}">{national[f"{m}_diff"]:+,}</div>'
        f'<div class="k">{html.escape(MEASURES[m])} ({national[f"{m}_a"]:,} → {national[f"{m}_b"]:,})</div></div>'
        for m in ("posts_total", "posts_polling", "posts_early", "allowance_total_krw", "stations_over_wait_limit"))
    shown = ("posts_total", "allowance_total_krw", "stations_over_wait_limit")
    head = "<th>시도</th>" + "".join(f"<th>{html.escape(h)}</th>" for m in shown
                                     for h in (f"{MEASURES[m]} A", "B", "차이"))
    body = "".join(
        f"<tr><td>{html.escape(r['sido'])}</td>"
        + "".join(f"<td>{r[f'{m}_a']:,}</td><td>{r[f'{m}_b']:,}</td><td>{r[f'{m}_diff']:+,}</td>" for m in shown)
        + "</tr>" for r in table.to_dict("records"))
    role_body = "".join(
        f"<tr><td>{html.escape(KIND_KO.get(r['site_kind'], r['site_kind']))}</td>"
        f"<td>{html.escape(r['role_name'])}</td><td>{r['posts_a']:,}</td>"
        f"<td>{r['posts_b']:,}</td><td>{r['posts_diff']:+,}</td></tr>" for r in roles.to_dict("records"))
    page = f"""<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>전국 배치 비교</title>
<style>body{{font-family:"Noto Sans KR","NanumGothic",sans-serif;margin:24px;color:#222;max-width:1100px}}
.cards{{display:flex;gap:10px;flex-wrap:wrap}}.card{{background:#f4f7fb;border-radius:8px;padding:10px 16px}}
.v{{font-size:22px;font-weight:bold}}.v.pos{{color:#b2182b}}.v.neg{{color:#2166ac}}.v.zero{{color:#777}}.k{{font-size:13px;color:#555}}
table{{border-collapse:collapse;font-size:13px;margin:8px 0}}th,td{{border:1px solid #ccd;padding:3px 7px;text-align:right}}
th{{background:#DDE6F0}}td:first-child{{text-align:left}}</style></head><body>
<h1>전국 배치 비교</h1>
<p>A: <b>{html.escape(labels['a'])}</b>, B: <b>{html.escape(labels['b'])}</b>. 차이 = B − A
(구시군 {coverage['units_compared']}곳 비교).</p>
<div class="cards">{cards}</div>
<h2>시도별</h2><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>
<h2>역할별</h2><table><thead><tr><th>구분</th><th>역할</th><th>A</th><th>B</th><th>차이</th></tr></thead>
<tbody>{role_body}</tbody></table>
</body></html>
"""
    write_text_atomic(path, page)


__all__ = ["COUNTRY_COLUMNS", "compare_runs", "write_comparison"]
