"""A seeded, realistic staff pool (인력풀) for a district office.

The real pool is personal data the planner never ships, so tests, demos and the
default scenario use this synthetic one. Everything comes from one seed: the same
seed, size and input files give the same table, on any machine and any day.

Each column draws from its own child stream of ``numpy.random.default_rng(seed)``,
so changing how one column is drawn leaves the others as they were.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .domain import District, SiteKind, StaffKind
from .errors import InputError
from .geo import METRIC_CRS, WGS84
from .io.boundaries import read_dong_boundaries
from .io.tables import Column, read_table
from .safe_write import write_atomic

STAFF_FRAME_COLUMNS = (
    "worker_id", "name", "department", "staff_kind", "grade", "home_lon", "home_lat", "experience",
    "certifications", "unavailable", "preferred_dong", "preferred_site_kind",
)

# Past-election role ids by site kind; the first of each is the site's lead role.
DEFAULT_ROLES: Mapping[SiteKind, tuple[str, ...]] = {
    SiteKind.polling: ("manager", "register_check", "ballot_issue", "guide", "covid_screening", "quarantine_support"),
    SiteKind.early: ("early_manager", "early_in_clerk", "early_out_clerk", "early_guide"),
    SiteKind.counting: ("count_lead", "count_opening", "count_sorter", "count_review", "count_guide"),
}
SORTER_ROLE = "count_sorter"  # those who ran a sorting machine are the likeliest to be trained on it
SORTER_CERTIFICATION = "sorter"

DEPARTMENT_KINDS = ("division", "dong_center")
DEPARTMENT_COLUMNS = [
    Column("department", hint="(e.g. 마을자치과)"),
    Column("kind", choices=DEPARTMENT_KINDS),
    Column("size", int, min=1, hint="(number of staff, e.g. 25)"),
]
DEFAULT_DONG_CENTER_SIZE = 25

# A generic set of divisions (과) of a 구청, 시청 or 군청, with typical relative sizes: the departments of
# a synthetic pool for a district whose own list we do not have (district init). Not any real office's list.
GENERIC_DIVISIONS = (
    ("기획예산과", 26), ("감사과", 12), ("총무과", 34), ("행정지원과", 22), ("재무과", 22), ("세무과", 36),
    ("민원과", 30), ("자치행정과", 22), ("문화관광과", 24), ("체육진흥과", 16), ("교육지원과", 14),
    ("일자리경제과", 24), ("복지정책과", 28), ("사회복지과", 32), ("노인장애인과", 26), ("아동보육과", 24),
    ("여성가족과", 18), ("환경위생과", 26), ("자원순환과", 30), ("공원녹지과", 24), ("도시계획과", 20),
    ("건축과", 28), ("주택과", 20), ("토지정보과", 18), ("교통과", 30), ("건설과", 28), ("안전총괄과", 20),
    ("농업정책과", 18), ("보건행정과", 24), ("건강증진과", 30),
)
# Pool size per post of the district's demand before the eligibility check (금천구: 799 posts, 1,300 people).
POOL_PER_POST = 1.6
MIN_POOL = 150
# Each role class needs this many eligible people per post it must fill (+ a few): absences, shift clashes.
ELIGIBLE_PER_POST = 1.5
ELIGIBLE_SPARE = 3

# Surnames by their share of the population (통계청 2015 census), the rest spread evenly.
SURNAME_SHARES = (
    ("김", 21.5), ("이", 14.7), ("박", 8.4), ("최", 4.7), ("정", 4.3), ("강", 2.4), ("조", 2.1), ("윤", 2.0),
    ("장", 2.0), ("임", 1.7), ("한", 1.5), ("오", 1.5), ("서", 1.5), ("신", 1.5), ("권", 1.4), ("황", 1.4),
    ("안", 1.4), ("송", 1.3), ("류", 1.2), ("전", 1.1), ("홍", 1.1), ("고", 0.9), ("문", 0.9), ("양", 0.9),
    ("손", 0.9), ("배", 0.8), ("백", 0.8), ("허", 0.6), ("유", 0.6), ("남", 0.5), ("심", 0.5), ("노", 0.4),
    ("하", 0.4), ("곽", 0.4), ("성", 0.4), ("차", 0.4), ("주", 0.4), ("우", 0.4), ("구", 0.4), ("민", 0.3),
    ("나", 0.3), ("진", 0.3), ("지", 0.3), ("엄", 0.3), ("채", 0.3), ("원", 0.3), ("천", 0.2), ("방", 0.2),
)
GIVEN_FIRST = tuple("민서지현수영준우진재성정동상경은혜윤하유예주도태승한세소미선희연아나호석종병")
GIVEN_SECOND = tuple("민서지현수영준우진재성호훈빈혁규환희연아은경숙미정주원윤석철기용찬")

STAFF_KIND_SHARES = ((StaffKind.general, 0.80), (StaffKind.public_service, 0.12), (StaffKind.fixed_term, 0.08))
GRADE_SHARES = ((5, 0.04), (6, 0.22), (7, 0.30), (8, 0.26), (9, 0.18))

# Chance of never having worked an election; juniors and fixed-term staff are the newcomers.
FIRST_TIMER_BY_GRADE = {5: 0.08, 6: 0.12, 7: 0.20, 8: 0.33, 9: 0.45}
FIRST_TIMER_BY_KIND = {StaffKind.public_service: 0.28, StaffKind.fixed_term: 0.60}

# Chance that an experienced person has led a site of a kind, by grade: leads are 5-6급, a few 7급.
LEAD_CHANCE_BY_GRADE = {
    SiteKind.polling: {5: 0.70, 6: 0.65, 7: 0.15, 8: 0.02},
    SiteKind.early: {5: 0.35, 6: 0.15, 7: 0.03},
    SiteKind.counting: {5: 0.55, 6: 0.04},
}
# Relative weight of each site kind's clerk roles among past work: most people served at a polling station.
CLERK_WEIGHT_BY_KIND = {SiteKind.polling: 3.0, SiteKind.early: 2.0, SiteKind.counting: 1.5}
COVID_ROLE_WEIGHT = 0.4  # COVID roles existed only in 2020-2022
MAX_CLERK_ROLES = 3

SORTER_CHANCE_WITH_SORTER_EXPERIENCE = 0.45
SORTER_CHANCE_OTHERWISE = 0.037

UNAVAILABLE_SHARE = 0.08
UNAVAILABLE_TWO_SHIFTS_SHARE = 0.3
SHIFT_REFUSAL_WEIGHTS = (("early", 0.35), ("eday", 0.25), ("count", 0.40))  # the overnight count is refused most

PREFERRED_DONG_SHARE = 0.20
PREFERRED_SITE_KIND_SHARE = 0.10
PREFERRED_SITE_KIND_WEIGHTS = ((SiteKind.polling, 0.5), (SiteKind.early, 0.25), (SiteKind.counting, 0.25))

INSIDE_SHARE = 0.75
RING_INNER_M = 300.0
RING_OUTER_M = 4000.0

STREAMS = ("department", "staff_kind", "grade", "home", "experience", "certification", "unavailable",
           "preference", "name")


@dataclass(frozen=True)
class Department:
    name: str
    kind: str
    size: int
    dong: str | None = None  # the 동 a 주민센터 serves


@dataclass(frozen=True)
class Homes:
    lon: np.ndarray
    lat: np.ndarray
    dong: np.ndarray  # object array: the home 동, or None outside the district


def generate_staff(
    district: District,
    boundaries: Path,
    departments: Path,
    *,
    seed: int,
    size: int,
    dong_center_size: int = DEFAULT_DONG_CENTER_SIZE,
    roles: Mapping[SiteKind, Sequence[str]] = DEFAULT_ROLES,
) -> pd.DataFrame:
    """A synthetic staff pool of exactly ``size`` people, identical for identical arguments."""
    if size < 1:
        raise ValueError(f"size must be at least 1, got {size}")
    streams = dict(zip(STREAMS, np.random.default_rng(seed).spawn(len(STREAMS))))
    dept_list = read_departments(departments, district, dong_center_size)
    polygons = dong_polygons(boundaries, district)

    dept_index = _draw_departments(streams["department"], dept_list, size)
    kinds = _draw_choice(streams["staff_kind"], STAFF_KIND_SHARES, size)
    grades = _draw_grades(streams["grade"], kinds)
    homes = _draw_homes(streams["home"], polygons, _elector_weights(district), size)
    experience = _draw_experience(streams["experience"], kinds, grades, roles)
    certifications = _draw_certifications(streams["certification"], experience)
    unavailable = _draw_unavailable(streams["unavailable"], size)
    preferred_dong, preferred_kind = _draw_preferences(streams["preference"], dept_list, dept_index, homes, district)

    width = max(4, len(str(size)))
    frame = pd.DataFrame({
        "worker_id": [f"W{i:0{width}d}" for i in range(1, size + 1)],
        "name": _draw_names(streams["name"], size),
        "department": [dept_list[i].name for i in dept_index],
        "staff_kind": [k.value for k in kinds],
        "grade": pd.array(grades, dtype="Int64"),
        "home_lon": np.round(homes.lon, 6),
        "home_lat": np.round(homes.lat, 6),
        "experience": [";".join(e) for e in experience],
        "certifications": [";".join(c) for c in certifications],
        "unavailable": [";".join(u) for u in unavailable],
        "preferred_dong": preferred_dong,
        "preferred_site_kind": preferred_kind,
    })
    return frame[list(STAFF_FRAME_COLUMNS)]


def write_generic_departments(path: Path) -> None:
    """The generic division list as a departments file (department, kind, size)."""
    frame = pd.DataFrame([{"department": n, "kind": "division", "size": z} for n, z in GENERIC_DIVISIONS])
    write_atomic(path, lambda tmp: frame.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n"))


def pool_size_for(posts: int) -> int:
    """The starting pool size for a demand of ``posts`` posts (rounded up to tens)."""
    return max(MIN_POOL, int(-(-posts * POOL_PER_POST // 10) * 10))


def eligible_shortfalls(frame: pd.DataFrame, needs: Mapping[tuple, int]) -> list[tuple]:
    """Role classes (min_grade, requires, experienced role) with too few eligible people in ``frame``.

    ``needs`` maps a class to the posts of that class; a class is short when fewer than
    ELIGIBLE_PER_POST x posts + ELIGIBLE_SPARE people could hold them.
    """
    grades = pd.to_numeric(frame["grade"], errors="coerce")
    experience = frame["experience"].fillna("").map(lambda t: set(filter(None, str(t).split(";"))))
    certs = frame["certifications"].fillna("").map(lambda t: set(filter(None, str(t).split(";"))))
    short = []
    for (min_grade, requires, role), posts in sorted(needs.items(), key=str):
        ok = pd.Series(True, index=frame.index)
        if min_grade is not None:
            ok &= grades.le(min_grade).fillna(False)
        if requires:
            ok &= certs.map(set(requires).issubset)
        if role is not None:
            ok &= experience.map(lambda e, r=role: r in e)
        if int(ok.sum()) < ELIGIBLE_PER_POST * posts + ELIGIBLE_SPARE:
            short.append((min_grade, requires, role))
    return short


def generate_sized_pool(district: District, boundaries: Path, departments: Path, demand, rules, *, seed: int,
                        size: int | None = None) -> pd.DataFrame:
    """A synthetic pool sized for ``demand``: POOL_PER_POST people per post, grown by a quarter until every
    role class (grade, certification, past role) has enough eligible people (see eligible_shortfalls).
    A given ``size`` is used as it is."""
    from .model.eligibility import eligibility_class

    if size is not None:
        return generate_staff(district, boundaries, departments, seed=seed, size=size)
    by_role = {(r.site_kind, r.role): r for r in rules.roles}
    needs: dict[tuple, int] = {}
    for req in demand.requirements:
        key = eligibility_class(by_role[(req.site_kind, req.role)])
        needs[key] = needs.get(key, 0) + req.required
    size = pool_size_for(sum(needs.values()))
    for _ in range(12):  # each round adds a quarter; 12 rounds is 14x, far beyond any unit seen
        frame = generate_staff(district, boundaries, departments, seed=seed, size=size)
        if not eligible_shortfalls(frame, needs):
            break
        size = int(-(-size * 1.25 // 10) * 10)
    return frame


def write_staff_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a pool as UTF-8 (no BOM) CSV with LF line ends and 6-decimal coordinates, atomically."""
    write_atomic(path, lambda tmp: frame.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n",
                                                float_format="%.6f"))


# --- inputs -----------------------------------------------------------------------------------


def read_departments(path: Path, district: District, dong_center_size: int) -> list[Department]:
    """The office's divisions from ``path`` plus one 주민센터 per 동 of the district."""
    table = read_table(path, DEPARTMENT_COLUMNS, key=("department",), what="department table")
    centers = {f"{d.id} 주민센터": d.id for d in district.dongs}
    listed = []
    for row, r in table:
        if r["department"] in centers:
            raise table.error(row, "department", r["department"], "a 동 주민센터 is listed",
                              "delete the row: the generator adds one 주민센터 per 동 (size: dong_center_size)")
        listed.append(Department(r["department"], r["kind"], r["size"]))
    if not listed:
        raise InputError(path, "the department table has no rows", fix="add one row per division")
    return listed + [Department(name, "dong_center", dong_center_size, dong) for name, dong in centers.items()]


def dong_polygons(path: Path, district: District):
    """Each 동's polygon in metres (EPSG:5179), as a GeoSeries in the district's 동 order."""
    frame = read_dong_boundaries(path)
    by_dong = frame.to_crs(METRIC_CRS).dissolve(by="dong").geometry
    missing = [d.id for d in district.dongs if d.id not in by_dong.index]
    if missing:
        raise InputError(path, "no polygon for a 동 of the district", column="dong", value=missing[0],
                         fix="add a feature for every 동 of the dong table")
    return by_dong.reindex([d.id for d in district.dongs])


def _elector_weights(district: District) -> np.ndarray:
    """Each 동's registered electors at the latest election in the precinct records."""
    if not district.precincts:
        return np.ones(len(district.dongs))
    latest = max(p.election for p in district.precincts)
    electors = {d.id: 0 for d in district.dongs}
    for precinct in district.layout(latest):
        electors[precinct.dong] += precinct.registered_electors
    weights = np.array([electors[d.id] for d in district.dongs], dtype=float)
    return weights if weights.sum() > 0 else np.ones(len(district.dongs))


# --- columns ----------------------------------------------------------------------------------


def _draw_choice(rng: np.random.Generator, shares: Sequence[tuple[object, float]], size: int) -> list:
    values = [v for v, _ in shares]
    p = np.array([s for _, s in shares], dtype=float)
    return [values[i] for i in rng.choice(len(values), size=size, p=p / p.sum())]


def _draw_departments(rng: np.random.Generator, departments: list[Department], size: int) -> np.ndarray:
    sizes = np.array([d.size for d in departments], dtype=float)
    return rng.choice(len(departments), size=size, p=sizes / sizes.sum())


def _draw_grades(rng: np.random.Generator, kinds: list[StaffKind]) -> list[int | None]:
    drawn = _draw_choice(rng, GRADE_SHARES, len(kinds))  # drawn for everyone so the stream does not depend on kinds
    return [g if k is StaffKind.general else None for g, k in zip(drawn, kinds)]


def _draw_homes(rng: np.random.Generator, polygons, weights: np.ndarray, size: int) -> Homes:
    """~75% inside the district (동 chosen by electors), the rest in a ring of neighbouring areas."""
    import geopandas as gpd

    inside = rng.random(size) < INSIDE_SHARE
    home_dong = np.full(size, None, dtype=object)
    home_dong[inside] = np.asarray(polygons.index, dtype=object)[rng.choice(len(weights), size=int(inside.sum()),
                                                                            p=weights / weights.sum())]
    x, y = np.empty(size), np.empty(size)
    for dong, polygon in polygons.items():
        chosen = home_dong == dong
        x[chosen], y[chosen] = _points_in(rng, polygon, int(chosen.sum()))
    outline = polygons.union_all()
    ring = outline.buffer(RING_OUTER_M).difference(outline.buffer(RING_INNER_M))
    x[~inside], y[~inside] = _points_in(rng, ring, int((~inside).sum()))
    wgs = gpd.GeoSeries(gpd.points_from_xy(x, y), crs=METRIC_CRS).to_crs(WGS84)
    return Homes(lon=wgs.x.to_numpy(), lat=wgs.y.to_numpy(), dong=home_dong)


def _points_in(rng: np.random.Generator, shape, count: int) -> tuple[np.ndarray, np.ndarray]:
    """``count`` uniform points inside ``shape`` by rejection from its bounding box."""
    import shapely

    min_x, min_y, max_x, max_y = shape.bounds
    xs, ys = [np.empty(0)], [np.empty(0)]
    found = 0
    while found < count:
        batch = 2 * (count - found) + 16
        x = rng.uniform(min_x, max_x, batch)
        y = rng.uniform(min_y, max_y, batch)
        keep = shapely.contains_xy(shape, x, y)
        xs.append(x[keep])
        ys.append(y[keep])
        found += int(keep.sum())
    return np.concatenate(xs)[:count], np.concatenate(ys)[:count]


def _first_timer_chance(kind: StaffKind, grade: int | None) -> float:
    if kind is StaffKind.general and grade is not None:
        return FIRST_TIMER_BY_GRADE[grade]
    return FIRST_TIMER_BY_KIND.get(kind, FIRST_TIMER_BY_GRADE[9])


def _draw_experience(
    rng: np.random.Generator, kinds: list[StaffKind], grades: list[int | None], roles: Mapping[SiteKind, Sequence[str]]
) -> list[tuple[str, ...]]:
    """Role ids each person held before, in catalogue order; leads by grade, clerk roles for all."""
    order = [r for kind in SiteKind for r in roles.get(kind, ())]
    clerks, weights = _clerk_roles(roles)
    result = []
    for kind, grade in zip(kinds, grades):
        if rng.random() < _first_timer_chance(kind, grade):
            result.append(())
            continue
        count = int(rng.integers(1, MAX_CLERK_ROLES + 1))
        held = set(rng.choice(clerks, size=min(count, len(clerks)), replace=False, p=weights).tolist())
        for site_kind in SiteKind:
            site_roles = roles.get(site_kind, ())
            chance = LEAD_CHANCE_BY_GRADE[site_kind].get(grade, 0.0) if grade is not None else 0.0
            if site_roles and rng.random() < chance:
                held.add(site_roles[0])
        result.append(tuple(r for r in order if r in held))
    return result


def _clerk_roles(roles: Mapping[SiteKind, Sequence[str]]) -> tuple[list[str], np.ndarray]:
    """The non-lead role ids and how likely each is among a person's past work."""
    clerks, weights = [], []
    for site_kind in SiteKind:
        for role in list(roles.get(site_kind, ()))[1:]:
            clerks.append(role)
            covid_only = "covid" in role or "quarantine" in role
            weights.append(CLERK_WEIGHT_BY_KIND[site_kind] * (COVID_ROLE_WEIGHT if covid_only else 1.0))
    p = np.array(weights, dtype=float)
    return clerks, p / p.sum()


def _draw_certifications(rng: np.random.Generator, experience: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    chances = np.array([SORTER_CHANCE_WITH_SORTER_EXPERIENCE if SORTER_ROLE in e else SORTER_CHANCE_OTHERWISE
                        for e in experience])
    return [(SORTER_CERTIFICATION,) if hit else () for hit in rng.random(len(experience)) < chances]


def _draw_unavailable(rng: np.random.Generator, size: int) -> list[tuple[str, ...]]:
    shifts = [s for s, _ in SHIFT_REFUSAL_WEIGHTS]
    p = np.array([w for _, w in SHIFT_REFUSAL_WEIGHTS])
    result = []
    for has_any, two in zip(rng.random(size) < UNAVAILABLE_SHARE, rng.random(size) < UNAVAILABLE_TWO_SHIFTS_SHARE):
        picked = set(rng.choice(shifts, size=2 if two else 1, replace=False, p=p).tolist()) if has_any else set()
        result.append(tuple(s for s in shifts if s in picked))
    return result


def _draw_preferences(
    rng: np.random.Generator, departments: list[Department], dept_index: np.ndarray, homes: Homes, district: District
) -> tuple[list[str], list[str]]:
    """A preferred 동 (their 주민센터's, else their home's, else any) and a preferred site kind."""
    dong_ids = [d.id for d in district.dongs]
    wants_dong = rng.random(len(dept_index)) < PREFERRED_DONG_SHARE
    any_dong = rng.choice(len(dong_ids), size=len(dept_index))
    preferred_dong = []
    for i, d in enumerate(dept_index):
        own = departments[d].dong or homes.dong[i] or dong_ids[any_dong[i]]
        preferred_dong.append(own if wants_dong[i] else "")
    wants_kind = rng.random(len(dept_index)) < PREFERRED_SITE_KIND_SHARE
    kinds = _draw_choice(rng, PREFERRED_SITE_KIND_WEIGHTS, len(dept_index))
    return preferred_dong, [k.value if w else "" for k, w in zip(kinds, wants_kind)]


def _draw_names(rng: np.random.Generator, size: int) -> list[str]:
    surnames = _draw_choice(rng, SURNAME_SHARES, size)
    first = rng.choice(len(GIVEN_FIRST), size=size)
    second = rng.choice(len(GIVEN_SECOND), size=size)
    names = []
    for surname, a, b in zip(surnames, first, second):
        if GIVEN_SECOND[b] == GIVEN_FIRST[a]:  # 민민, 서서: not a name
            b = (b + 1) % len(GIVEN_SECOND)
        names.append(surname + GIVEN_FIRST[a] + GIVEN_SECOND[b])
    return names
