"""report.html: one self-contained page per plan (and one per comparison) that a 구청장 or the 선관위 can read.

One file, no network at view time: CSS, script, map and charts are inline (the map is SVG
drawn from the district's 동 boundaries), there is no CDN, web font or tile server. Korean
throughout. The page holds names (a station's staff list on click), like roster.xlsx.

Everything comes from the plan; no clock, so the same plan gives the same bytes.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from html import escape
from pathlib import Path

from .. import __version__
from ..costs import estimated_cost
from ..glossary import COMPARISON, OBJECTIVE_TERMS, ko
from ..io.boundaries import read_dong_outlines
from .context import STAGE_KO, STATUS_KO, TERMS, PlanContext, date_ko, kind_ko, minutes_ko, won
from .svgmap import MapStation, Series, bar_chart_svg, legend_html, map_svg, wait_chart_svg

WORST_IN_CHART = 5
SHORT = ko(OBJECTIVE_TERMS, "shortfall")  # 미충원

CSS = """
*{box-sizing:border-box}
body{font-family:"Malgun Gothic","맑은 고딕","Apple SD Gothic Neo","Noto Sans CJK KR","NanumGothic",sans-serif;
margin:0;color:#222;background:#f6f7f9;line-height:1.5}
header{background:#1f3b63;color:#fff;padding:18px 28px}
header h1{margin:0;font-size:1.5em}header p{margin:4px 0 0;opacity:.9}
main{max-width:1280px;margin:0 auto;padding:16px 24px 40px}
section{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:14px 18px;margin:16px 0}
h2{font-size:1.15em;margin:0 0 10px;color:#1f3b63}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px}
.card{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:10px 12px}
.card b{display:block;font-size:1.45em}.card span{color:#555;font-size:.9em}
.card.bad b{color:#b2182b}.card.good b{color:#1a7837}
.mapwrap{display:grid;grid-template-columns:minmax(0,3fr) minmax(260px,2fr);gap:16px;align-items:start}
svg.map{width:100%;height:auto;background:#eef3f8;border:1px solid #ccd;border-radius:4px}
.dong{fill:#fafafa;stroke:#777;stroke-width:1}
.dong.hl{fill:#fff3e0;stroke:#e65100;stroke-width:2.5}
.dlabel{font-size:12px;fill:#333;text-anchor:middle;paint-order:stroke;stroke:#fff;stroke-width:3px;pointer-events:none}
.st{cursor:pointer}.st:hover>*,.st:focus>*,.st.sel>*{stroke:#000;stroke-width:3}
.legend{display:flex;flex-wrap:wrap;gap:6px 14px;font-size:.85em;margin:8px 0}
.legend .cap{font-weight:bold}.key i{display:inline-block;width:12px;height:12px;border:1px solid #333;
margin-right:4px;vertical-align:-1px}.shape{margin-right:3px}
#detail h3{margin:0 0 4px}#detail td:nth-child(3){white-space:nowrap}#detail .muted{color:#666}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border:1px solid #d5d9e0;padding:4px 7px;text-align:left;vertical-align:top}
th{background:#eef1f6;position:sticky;top:0}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr.over td{background:#fdecea}tr.inf td{background:#efe7f7}
.scroll{max-height:460px;overflow:auto}
.finding{border-left:6px solid #e65100;background:#fff8f0}
.finding p.big{font-size:1.15em;margin:4px 0 10px}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px}
svg.chart,svg.bars{width:100%;height:auto}svg.chart{max-width:860px}
.grid{stroke:#e3e6ea}.axis{stroke:#555}.target{stroke:#b2182b;stroke-dasharray:5 4}
.tick,.blabel,.bvalue{font-size:11px;fill:#444}
a.site{color:#1f3b63;cursor:pointer;text-decoration:underline}
footer{color:#777;font-size:.8em;text-align:center;margin:20px}
@media print{.scroll{max-height:none;overflow:visible}section{break-inside:avoid}}
"""

# Fills the side panel from the embedded data with textContent only (names are data, never markup).
SCRIPT = """
(function(){
  var data = JSON.parse(document.getElementById('stations').textContent);
  var panel = document.getElementById('detail');
  function el(tag, text, cls){var e=document.createElement(tag); if(text!==undefined) e.textContent=text;
    if(cls) e.className=cls; return e;}
  function show(id){
    var s = data[id]; if(!s || !panel) return;
    document.querySelectorAll('.st.sel').forEach(function(g){g.classList.remove('sel');});
    document.querySelectorAll('.st[data-id="'+CSS.escape(id)+'"]').forEach(function(g){g.classList.add('sel');});
    panel.textContent='';
    panel.appendChild(el('h3', s.name));
    panel.appendChild(el('div', s.kind+' · '+s.dong+' · '+id, 'muted'));
    var facts = el('p');
    facts.textContent = s.facts.join(' · ');
    panel.appendChild(facts);
    if(!s.staff){return;}
    if(s.staff.length===0){panel.appendChild(el('p','배치된 근무자가 없습니다.'));return;}
    var t = el('table'), head = el('tr');
    ['근무','역할','성명','부서'].forEach(function(h){head.appendChild(el('th',h));});
    t.appendChild(head);
    s.staff.forEach(function(r){var tr=el('tr'); r.forEach(function(c){tr.appendChild(el('td',c));}); t.appendChild(tr);});
    panel.appendChild(t);
  }
  document.querySelectorAll('.st').forEach(function(g){
    g.addEventListener('click', function(){show(g.getAttribute('data-id'));});
    g.addEventListener('keydown', function(e){if(e.key==='Enter'){show(g.getAttribute('data-id'));}});
  });
  document.querySelectorAll('a.site').forEach(function(a){
    a.addEventListener('click', function(){show(a.getAttribute('data-id'));
      var m=document.getElementById('mapsec'); if(m){m.scrollIntoView();}});
  });
  var first = document.body.getAttribute('data-first');
  if(first){show(first);}
})();
"""


def write_report_html(path: Path, ctx: PlanContext) -> None:
    """Write one plan's report to ``path`` as it stands (the plan writer stages it as a temp file)."""
    path.write_text(plan_report_html(ctx), encoding="utf-8", newline="\n")


def plan_report_html(ctx: PlanContext) -> str:
    from ..waits import worst_first

    scenario, election = ctx.scenario, ctx.scenario.election
    outlines = read_dong_outlines(scenario.data.boundaries)
    waits = ctx.waits_by_site
    required = Counter()
    for r in ctx.demand.requirements:
        required[r.site_id] += r.required
    assigned = Counter(a.site_id for a in ctx.plan.assignments)
    short = Counter()
    for s in ctx.plan.shortfalls:
        if not s.reserve:
            short[s.site_id] += s.short

    stations, data = [], {}
    for site in ctx.demand.sites:
        load = ctx.demand.loads.get(site.id)
        w = waits.get(site.id)
        worst = w.worst_wait_min if w is not None else None
        facts = [f"선거인 {load.electors:,}명" if load and load.electors else "",
                 f"예상 투표자 {load.voters:,.0f}명" if load and load.voters else "",
                 f"필요 {required[site.id]:,}명 · 배치 {assigned[site.id]:,}명" + (
                     f" · {SHORT} {short[site.id]:,}명" if short[site.id] else "")]
        if w is not None:
            facts.append(_worst_fact(worst) + (f" ({w.worst_hour}, {STAGE_KO.get(w.bottleneck, w.bottleneck)})"
                                               if w.worst_hour and math.isfinite(worst) else ""))
        facts = [f for f in facts if f]
        stations.append(MapStation(id=site.id, name=site.name, kind=site.kind.value, lon=site.lon, lat=site.lat,
                                   worst_wait=worst, electors=load.electors if load else 0,
                                   label=f"{site.name}: " + " · ".join(facts)))
        data[site.id] = {
            "name": site.name, "kind": kind_ko(site.kind.value), "dong": site.dong, "facts": facts,
            "staff": [[ctx.shifts[a.shift].name if a.shift in ctx.shifts else a.shift, ctx.role_name(a),
                       ctx.name(a.worker_id), ctx.department(a.worker_id)] for a in ctx.staff_by_site.get(site.id, [])],
        }
    ranked = worst_first(ctx.waits)
    target = ctx.rules.waits.target_wait_min

    title = f"{election.name} {TERMS['report']}"
    early = election.early_days
    subtitle = (f"{scenario.title or scenario.id} · 선거일 {date_ko(election.election_day)} · 사전투표 "
                f"{date_ko(early[0])}" + (f"–{date_ko(early[-1])}" if len(early) > 1 else ""))
    body = [_cards(ctx, ranked, target),
            _map_section(outlines, stations),
            _chart_section(ctx, ranked, target),
            _station_table(ctx, required, assigned, short),
            _department_table(ctx),
            _shortfall_table(ctx)]
    first = ranked[0].site_id if ranked else (ctx.demand.sites[0].id if ctx.demand.sites else "")
    return _page(title, subtitle, "".join(body), data, first=first,
                 footer=f"election-ops {__version__} · 시나리오 {scenario.id} · seed {scenario.seed}")


def _worst_fact(minutes: float | None) -> str:
    """최장 대기 12분; an unbounded wait says so in its own words."""
    return TERMS["unbounded_wait"] if minutes is not None and math.isinf(minutes) else f"최장 대기 {minutes_ko(minutes)}"


def _page(title: str, subtitle: str, body: str, data: dict, *, first: str = "", footer: str = "") -> str:
    return ("<!DOCTYPE html>\n"
            f'<html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
            f"<title>{escape(title)}</title><style>{CSS}</style></head>"
            f'<body data-first="{escape(first)}"><header><h1>{escape(title)}</h1><p>{escape(subtitle)}</p></header>'
            f"<main>{body}</main><footer>{escape(footer)}</footer>"
            f'<script type="application/json" id="stations">{_json(data)}</script>'
            f"<script>{SCRIPT}</script></body></html>\n")


def _json(value) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' can end it early."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _site_name(ctx: PlanContext, site_id: str) -> str:
    site = ctx.sites.get(site_id)
    return site.name if site else site_id


def _card(value: str, label: str, tone: str = "") -> str:
    return f'<div class="card {tone}"><b>{escape(value)}</b><span>{escape(label)}</span></div>'


def _cards(ctx: PlanContext, ranked: list, target: float) -> str:
    demand, plan = ctx.demand, ctx.plan
    commutes = [a.commute_m for a in plan.assignments]
    kinds = Counter(s.kind.value for s in demand.sites)
    over = [w for w in ranked if not w.meets_target]
    cost = estimated_cost(demand, ctx.rules).get("total", 0)
    cards = [
        _card(f"{demand.total():,}명", "필요 인원"),
        _card(f"{len(plan.assignments):,}명", "배치 인원"),
        _card(f"{plan.short_posts:,}명", SHORT, "bad" if plan.short_posts else "good"),
        _card(f"{len({a.worker_id for a in plan.assignments}):,}명", "근무자 수"),
        _card(f"{kinds.get('polling', 0):,} / {kinds.get('early', 0):,}", "투표소 / 사전투표소"),
        _card(minutes_ko(ranked[0].worst_wait_min) if ranked else "-",
              f"가장 긴 예상 대기 ({_site_name(ctx, ranked[0].site_id)})" if ranked else "가장 긴 예상 대기",
              "bad" if over else "good"),
        _card(f"{len(over):,}곳", f"대기 목표 {target:g}분 초과", "bad" if over else "good"),
        _card(f"{sum(commutes) / len(commutes):,.0f}m" if commutes else "-", "평균 통근거리"),
        _card(f"{max(commutes):,}m" if commutes else "-", "최장 통근거리"),
        _card(won(cost), "예상 수당 합계"),
        _card(STATUS_KO.get(plan.stats.status, plan.stats.status), "배치 결과"),
    ]
    return f'<section><h2>요약</h2><div class="cards">{"".join(cards)}</div></section>'


def _map_section(outlines, stations: list[MapStation]) -> str:
    svg = map_svg(outlines, stations, caption="투표소 지도")
    return (f'<section id="mapsec"><h2>지도: 투표소별 예상 대기</h2><div class="mapwrap"><div>{svg}{legend_html()}'
            f'</div><div id="detail"><p class="muted">지도에서 투표소를 누르면 근무자 명단이 보입니다.</p></div></div>'
            f"</section>")


def _chart_section(ctx: PlanContext, ranked: list, target: float) -> str:
    worst = [w for w in ranked if w.hourly_min][:WORST_IN_CHART]
    if not worst:
        return ""
    hours = [ctx.rules.waits.hour_label(k) for k in range(max(len(w.hourly_min) for w in worst))]
    series = [Series(f"{_site_name(ctx, w.site_id)} ({minutes_ko(w.worst_wait_min)})", tuple(w.hourly_min))
              for w in worst]
    return (f"<section><h2>시간대별 예상 대기: 대기가 가장 긴 {len(worst)}곳</h2>"
            f"{wait_chart_svg(series, hours, target=target)}</section>")


def _site_link(site_id: str) -> str:
    return f'<a class="site" data-id="{escape(site_id)}">{escape(site_id)}</a>'


def _table(columns: list[str], rows: list[str], numeric: set[int] = frozenset(), scroll: bool = True) -> str:
    head = "".join(f'<th class="n">{escape(c)}</th>' if k in numeric else f"<th>{escape(c)}</th>"
                   for k, c in enumerate(columns))
    table = f'<table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    return f'<div class="scroll">{table}</div>' if scroll else table


def _row(cells: list, numeric: set[int], cls: str = "", raw: set[int] = frozenset()) -> str:
    out = []
    for k, c in enumerate(cells):
        text = c if k in raw else escape(str(c))
        out.append(f'<td class="n">{text}</td>' if k in numeric else f"<td>{text}</td>")
    return f'<tr class="{cls}">' + "".join(out) + "</tr>" if cls else "<tr>" + "".join(out) + "</tr>"


def _station_table(ctx: PlanContext, required: Counter, assigned: Counter, short: Counter) -> str:
    columns = ["코드", "이름", "구분", "동", "선거인수", "예상 투표자", "필요", "배치", "부족", "최장 대기", "시간대", "병목"]
    numeric = {4, 5, 6, 7, 8}
    rows = []
    for site in ctx.demand.sites:
        load = ctx.demand.loads.get(site.id)
        w = ctx.waits_by_site.get(site.id)
        cls = ""
        if w is not None and math.isinf(w.worst_wait_min):
            cls = "inf"
        elif w is not None and not w.meets_target:
            cls = "over"
        rows.append(_row([_site_link(site.id), site.name, kind_ko(site.kind.value), site.dong,
                          f"{load.electors:,}" if load and load.electors else "",
                          f"{load.voters:,.0f}" if load and load.voters else "",
                          f"{required[site.id]:,}", f"{assigned[site.id]:,}",
                          f"{short[site.id]:,}" if short[site.id] else "",
                          minutes_ko(w.worst_wait_min) if w else "", w.worst_hour if w else "",
                          STAGE_KO.get(w.bottleneck, w.bottleneck) if w else ""], numeric, cls, raw={0}))
    return f"<section><h2>투표소별 현황</h2>{_table(columns, rows, numeric)}</section>"


def _department_table(ctx: PlanContext) -> str:
    pool = Counter(w.department for w in ctx.workers)
    posts = Counter(ctx.department(a.worker_id) for a in ctx.plan.assignments)
    people = Counter(ctx.department(wid) for wid in ctx.posts_by_worker)
    n_pool, n_posts = sum(pool.values()) or 1, sum(posts.values()) or 1
    columns = ["부서", "인력풀", "근무자", "배치(건)", "인력풀 비율", "배치 비율"]
    numeric = {1, 2, 3, 4, 5}
    rows = [_row([d, f"{pool[d]:,}", f"{people[d]:,}", f"{posts[d]:,}", f"{100 * pool[d] / n_pool:.1f}%",
                  f"{100 * posts[d] / n_posts:.1f}%"], numeric)
            for d in sorted(set(pool) | set(posts))]
    return f"<section><h2>부서별 배치</h2>{_table(columns, rows, numeric)}</section>"


def _shortfall_table(ctx: PlanContext) -> str:
    shortfalls = ctx.plan.shortfalls
    if not shortfalls:
        return f"<section><h2>{SHORT}</h2><p>모든 자리가 채워졌습니다.</p></section>"
    names = {(r.site_kind.value, r.role): r.name for r in ctx.rules.roles}
    columns = ["코드", "근무지", "역할", "근무", "필요", "배치", "부족", "사유"]
    numeric = {4, 5, 6}
    rows = []
    for s in shortfalls:
        site = ctx.sites.get(s.site_id)
        shift = ctx.shifts.get(s.shift)
        role = names.get((s.site_kind, s.role), s.role) + (" (예비)" if s.reserve else "")
        rows.append(_row([_site_link(s.site_id), site.name if site else s.site_id, role,
                          shift.name if shift else s.shift, s.required, s.assigned, s.short, s.reason_ko()],
                         numeric, raw={0}))
    return f"<section><h2>{SHORT} ({ctx.plan.short_posts:,}명)</h2>{_table(columns, rows, numeric)}</section>"


# --- the comparison report ------------------------------------------------------------------



def write_comparison_html(path: Path, plans: list) -> None:
    """report.html of ``compare``: the plans (comparison.PlanFiles) side by side, the changed 동 first."""
    from ..safe_write import write_text_atomic

    write_text_atomic(path, comparison_report_html(plans))


def comparison_report_html(plans: list) -> str:
    from ..comparison import changed_dongs, side_by_side

    focus = changed_dongs(plans)
    headline = side_by_side(plans)
    targets = [float((p.summary.get("waits") or {}).get("target_min") or 30) for p in plans]
    target = targets[0] if targets else 30.0
    body = [_finding_section(plans, focus, target)]
    columns = ["항목", *[p.name for p in plans]]
    numeric = set(range(1, len(columns)))
    rows = [_row([ko(COMPARISON, str(idx)), *[_value_text(v) for v in row.tolist()]], numeric)
            for idx, row in headline.iterrows()]
    titles = "".join(f"<li><b>{escape(p.name)}</b>: {escape(str((p.summary.get('scenario') or {}).get('title') or ''))}</li>"
                     for p in plans)
    body.append(f"<section><h2>시나리오 비교</h2><ul>{titles}</ul>{_table(columns, rows, numeric, scroll=False)}</section>")
    maps, data = [], {}
    for k, p in enumerate(plans):
        stations = _plan_stations(p, k, data)
        outlines = _plan_outlines(p)
        maps.append(f"<div><h3>{escape(p.name)}</h3>{map_svg(outlines, stations, svg_id=f'map{k}', highlight=focus, caption=p.name)}</div>")
    body.append('<section id="mapsec"><h2>지도: 투표소별 예상 대기' + (f" (강조: {escape(', '.join(focus))})" if focus else "")
                + f'</h2><div class="cols">{"".join(maps)}</div>{legend_html()}'
                f'<div id="detail"><p class="muted">지도에서 투표소를 누르면 수치가 보입니다.</p></div></section>')
    body.append(_worst_section(plans))
    title = TERMS["comparison_report"]
    subtitle = " ↔ ".join(p.name for p in plans)
    return _page(title, subtitle, "".join(body), data, footer=f"election-ops {__version__}")


def _value_text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float) and math.isinf(value):
        return TERMS["unbounded_wait"]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, bool):
        return "예" if value else "아니오"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    text = str(value)
    for code, words in STATUS_KO.items():
        text = text.replace(code, words)
    return text


def _plan_outlines(plan) -> list:
    boundaries = Path(str((plan.summary.get("inputs") or {}).get("boundaries", {}).get("path", "")))
    return read_dong_outlines(boundaries) if boundaries.is_file() else []


def _wait_value(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _plan_stations(plan, k: int, data: dict) -> list[MapStation]:
    waits = {}
    if plan.waits is not None:
        waits = {str(r.site_id): r for r in plan.waits.itertuples(index=False)}
    need = plan.requirements.groupby("site_id")["required"].sum().to_dict()
    got = plan.requirements.groupby("site_id")["assigned"].sum().to_dict() if "assigned" in plan.requirements else {}
    out = []
    for row in plan.sites.itertuples(index=False):
        w = waits.get(str(row.site_id))
        worst = _wait_value(w.worst_wait_min) if w is not None else None
        electors = int(row.electors) if hasattr(row, "electors") and row.electors == row.electors else 0
        facts = [f"선거인 {electors:,}명" if electors else "", f"필요 {int(need.get(row.site_id, 0)):,}명"
                 + (f" · 배치 {int(got.get(row.site_id, 0)):,}명" if got else "")]
        if w is not None:
            facts.append(_worst_fact(worst) + (f" ({w.worst_hour})" if worst is not None
                                                          and math.isfinite(worst) and isinstance(w.worst_hour, str) else ""))
        facts = [f for f in facts if f]
        key = f"{k}:{row.site_id}"
        out.append(MapStation(id=key, name=str(row.name), kind=str(row.site_kind), lon=float(row.lon),
                              lat=float(row.lat), worst_wait=worst, electors=electors,
                              label=f"{plan.name} · {row.name}: " + " · ".join(facts)))
        data[key] = {"name": str(row.name), "kind": kind_ko(str(row.site_kind)), "dong": str(row.dong),
                     "facts": [plan.name, *facts]}
    return out


def _finding_section(plans: list, focus: list[str], target: float) -> str:
    """Per changed 동: each plan's stations and worst wait, in one sentence and one bar chart."""
    if not focus:
        return ('<section class="finding"><h2>핵심 차이</h2><p class="big">비교한 시나리오 사이에 투표소 배치가 '
                "달라진 동이 없습니다.</p></section>")
    parts = ['<section class="finding"><h2>핵심 차이: 투표소 배치가 달라진 동</h2>']
    for k, dong in enumerate(focus):
        bars, sentences = [], []
        for p in plans:
            polling = p.sites[(p.sites["site_kind"] == "polling") & (p.sites["dong"] == dong)]
            ids = set(polling["site_id"].astype(str))
            worst, at = None, ""
            if p.waits is not None:
                w = p.waits[p.waits["site_id"].astype(str).isin(ids)]
                if len(w):
                    row = w.sort_values(["worst_wait_min", "site_id"], ascending=[False, True]).iloc[0]
                    worst, at = _wait_value(row["worst_wait_min"]), str(row["site_id"])
            names = dict(zip(polling["site_id"].astype(str), polling["name"].astype(str)))
            bars.append((p.name, worst))
            most = int(polling["electors"].max()) if len(polling) else 0
            sentences.append(f"<li><b>{escape(p.name)}</b>: 투표소 {len(polling)}곳, 투표소당 선거인 최대 "
                             f"{most:,}명, 가장 긴 예상 대기 <b>{escape(minutes_ko(worst))}</b>"
                             + (f" ({escape(names.get(at, at))})" if at else "") + "</li>")
        finite = [v for _, v in bars if v is not None]
        headline = ""
        if len(finite) >= 2:
            lo, hi = min(finite), max(finite)
            headline = (f"<p class=\"big\"><b>{escape(dong)}</b>: 가장 긴 예상 대기가 시나리오에 따라 "
                        f"<b>{escape(minutes_ko(lo))}</b>에서 <b>{escape(minutes_ko(hi))}</b>까지 달라집니다 "
                        f"(목표 {target:g}분).</p>")
        parts.append(f'{headline}<div class="cols"><ul>{"".join(sentences)}</ul>'
                     f'<div>{bar_chart_svg(bars, target=target, svg_id=f"bars{k}")}</div></div>')
    parts.append("</section>")
    return "".join(parts)


def _worst_section(plans: list) -> str:
    cols = []
    for p in plans:
        if p.waits is None or not len(p.waits):
            continue
        names = dict(zip(p.sites["site_id"].astype(str), p.sites["name"].astype(str)))
        worst = p.waits.sort_values(["worst_wait_min", "site_id"], ascending=[False, True]).head(WORST_IN_CHART)
        rows = [_row([names.get(str(r.site_id), str(r.site_id)), minutes_ko(_wait_value(r.worst_wait_min)),
                      str(r.worst_hour) if isinstance(r.worst_hour, str) else "",
                      minutes_ko(_wait_value(r.expected_wait_min))], {1, 3},
                     "inf" if math.isinf(float(r.worst_wait_min)) else "")
                for r in worst.itertuples(index=False)]
        cols.append(f"<div><h3>{escape(p.name)}</h3>{_table(['투표소', '최장 대기', '시간대', '평균 대기'], rows, {1, 3})}</div>")
    return f'<section><h2>대기가 가장 긴 투표소</h2><div class="cols">{"".join(cols)}</div></section>' if cols else ""
