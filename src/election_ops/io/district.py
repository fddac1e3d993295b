"""Load one district's data files into a checked ``District``."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ..domain import District, Dong, DongRecord, ElectionKind, ElectionRecord, PrecinctRecord, Site, SiteKind
from ..errors import InputError
from ..geo import METRIC_CRS, to_metric
from .boundaries import read_dong_boundaries
from .tables import Column, Table, read_table

DONG_COLUMNS = [
    Column("dong", hint="(the 행정동 name, e.g. 독산1동)"),
    Column("nec_name"),
    Column("adm_cd2"),
    Column("nec_code", required=False),
    Column("district"),
    Column("province", required=False),
]
PRECINCT_COLUMNS = [
    Column("election", hint="(date of the election, YYYY-MM-DD)"),
    Column("precinct_id", hint="(<동>-<number>, e.g. 독산1동-3)"),
    Column("dong"),
    Column("number", int, min=1),
    Column("nec_name", required=False),
    Column("registered_electors", int, min=0),
    Column("absentee_registered", int, required=False, nullable=True, min=0),
    Column("eday_electors", int, nullable=True, min=0),
    Column("eday_votes", int, nullable=True, min=0),
    Column("derived", bool, required=False),
]
DONG_HISTORY_COLUMNS = [
    Column("election"),
    Column("dong"),
    Column("registered_electors", int, min=0),
    Column("eday_electors", int, required=False, nullable=True, min=0),
    Column("eday_votes", int, nullable=True, min=0),
    Column("early_in_votes", int, nullable=True, min=0),
    Column("derived", bool, required=False),
]
ELECTION_COLUMNS = [
    Column("election"),
    Column("kind", choices=tuple(k.value for k in ElectionKind)),
    Column("name"),
    Column("early_out_votes", int, nullable=True, min=0),
    Column("absentee_votes", int, required=False, nullable=True, min=0),
    Column("overseas_votes", int, required=False, nullable=True, min=0),
    Column("registered_electors", int, nullable=True, min=0),
    Column("total_votes", int, nullable=True, min=0),
]
SITE_COLUMNS = [
    Column("site_id"),
    Column("site_kind", choices=tuple(k.value for k in SiteKind)),
    Column("name"),
    Column("dong"),
    Column("lon", float, min=-180, max=180, hint="(WGS84 longitude in degrees, about 124-132 in Korea)"),
    # swapped lon/lat fail this range check before _check_inside can say so: the hint must say it
    Column("lat", float, min=-90, max=90,
           hint="(WGS84 latitude in degrees, about 33-39 in Korea; a value near 127 means lon and lat are swapped)"),
    Column("location_source", hint="(approximate or surveyed)"),
    Column("serves", hint="(precinct ids for a polling station, 동 names for an early-voting station, * for the counting site; separate several with ;)"),
    Column("entrances", int, required=False, min=1),
]

# A station may stand this far outside the 동 polygons (simplified boundaries, roads on the edge).
BOUNDARY_TOLERANCE_M = 300.0


def _build(model, table: Table, row: int, **fields):
    try:
        return model(**fields)
    except ValidationError as exc:
        err = exc.errors()[0]
        column = str(err["loc"][0]) if err["loc"] else None
        raise InputError(table.path, err["msg"], row=row, column=column, value=err.get("input"),
                         fix="correct the value") from None


def load_district(
    dongs: Path, precincts: Path, dong_history: Path, elections: Path, sites: Path, boundaries: Path
) -> District:
    dong_table = read_table(dongs, DONG_COLUMNS, key=("dong",), what="dong table")
    dong_list = tuple(_build(Dong, dong_table, n, id=r["dong"], nec_name=r["nec_name"], code=r["adm_cd2"]) for n, r in dong_table)
    districts = {r["district"] for r in dong_table.rows}
    if len(districts) != 1:
        raise InputError(dongs, f"rows name {len(districts)} districts ({', '.join(sorted(districts))})", column="district",
                         fix="keep one district per data folder")
    known_dongs = {d.id for d in dong_list}

    def check_dong(table: Table, row: int, value: str, column: str = "dong") -> None:
        if value not in known_dongs:
            raise table.error(row, column, value, "unknown 동",
                              f"use one of the 동 in {dongs.name}: {', '.join(sorted(known_dongs))}")

    precinct_table = read_table(precincts, PRECINCT_COLUMNS, key=("election", "precinct_id"), what="precinct table")
    precinct_list = []
    for n, r in precinct_table:
        check_dong(precinct_table, n, r["dong"])
        expected_id = f"{r['dong']}-{r['number']}"
        if r["precinct_id"] != expected_id:
            raise precinct_table.error(n, "precinct_id", r["precinct_id"], "does not match its dong and number",
                                       f"write '{expected_id}'")
        precinct_list.append(_build(PrecinctRecord, precinct_table, n, election=r["election"], id=r["precinct_id"],
                                    dong=r["dong"], number=r["number"], registered_electors=r["registered_electors"],
                                    eday_electors=r["eday_electors"], eday_votes=r["eday_votes"],
                                    derived=bool(r.get("derived"))))

    history_table = read_table(dong_history, DONG_HISTORY_COLUMNS, key=("election", "dong"), what="dong history")
    history = []
    for n, r in history_table:
        check_dong(history_table, n, r["dong"])
        history.append(_build(DongRecord, history_table, n, election=r["election"], dong=r["dong"],
                              registered_electors=r["registered_electors"], eday_votes=r["eday_votes"],
                              early_in_votes=r["early_in_votes"], derived=bool(r.get("derived"))))

    election_table = read_table(elections, ELECTION_COLUMNS, key=("election",), what="election table")
    election_list = tuple(
        _build(ElectionRecord, election_table, n, election=r["election"], kind=r["kind"], name=r["name"],
               registered_electors=r["registered_electors"], total_votes=r["total_votes"],
               early_out_votes=r["early_out_votes"])
        for n, r in election_table
    )

    site_table = read_table(sites, SITE_COLUMNS, key=("site_id",), what="site table")
    outline = _district_outline(boundaries, known_dongs)
    site_list = []
    precinct_ids = {p.id for p in precinct_list}
    for n, r in site_table:
        check_dong(site_table, n, r["dong"])
        serves = tuple(s.strip() for s in r["serves"].split(";") if s.strip())
        kind = SiteKind(r["site_kind"])
        for item in serves:
            if kind is SiteKind.polling and item not in precinct_ids:
                raise site_table.error(n, "serves", item, "unknown precinct", f"use a precinct_id of {precincts.name}")
            if kind is SiteKind.early and item not in known_dongs:
                check_dong(site_table, n, item, "serves")
            if kind is SiteKind.counting and item != "*" and item not in known_dongs:
                check_dong(site_table, n, item, "serves")
        if not serves:
            raise site_table.error(n, "serves", r["serves"], "serves nothing", "name what the site serves")
        _check_inside(site_table, n, r["lon"], r["lat"], outline)
        site_list.append(_build(Site, site_table, n, id=r["site_id"], kind=kind, name=r["name"], dong=r["dong"],
                                lon=r["lon"], lat=r["lat"], location_source=r["location_source"], serves=serves,
                                entrances=r.get("entrances") or 1))

    return District(name=districts.pop(), dongs=dong_list, precincts=tuple(precinct_list), dong_history=tuple(history),
                    elections=election_list, sites=tuple(site_list))


def _district_outline(path: Path, known_dongs: set[str]):
    """The district's outline in metres (EPSG:5179), buffered by the tolerance."""
    frame = read_dong_boundaries(path)
    unknown = sorted(set(frame["dong"]) - known_dongs)
    if unknown:
        raise InputError(path, "feature for an unknown 동", column="dong", value=unknown[0],
                         fix="use the 동 names of the dong table")
    return frame.to_crs(METRIC_CRS).union_all().buffer(BOUNDARY_TOLERANCE_M)


def _inside(outline, lon: float, lat: float) -> bool:
    """Whether a WGS84 point lies within the district's (buffered, metric) outline."""
    from shapely.geometry import Point

    x, y = to_metric(lon, lat)
    return outline.contains(Point(float(x), float(y)))


def _check_inside(table: Table, row: int, lon: float, lat: float, outline) -> None:
    if not _inside(outline, lon, lat):
        raise table.error(row, "lon", f"{lon}, {lat}", "site lies outside the district's 동 boundaries",
                          "check the coordinates (WGS84: lon about 126-130, lat about 33-39 in Korea) and that lon/lat are not swapped")


def check_points_inside(boundaries: Path, district: District, points: list[tuple[str, float, float]],
                        source: str | Path) -> None:
    """Refuse a point (e.g. a station a scenario moves or adds) outside the district's 동 boundaries."""
    if not points:
        return  # no need to read the boundaries again
    outline = _district_outline(boundaries, {d.id for d in district.dongs})
    for column, lon, lat in points:
        if not _inside(outline, lon, lat):
            raise InputError(source, "the point lies outside the district's 동 boundaries", column=column,
                             value=f"{lon}, {lat}",
                             fix="check the coordinates (WGS84 lon, lat) and that they are not swapped")
