"""Scenario overlays: change the precinct layout or the staff pool before planning.

Pure functions from domain objects to domain objects. A scenario states the changes
(``layout``, ``staff_changes``); ``pipeline`` applies them right after loading, so demand,
solver and reports see an ordinary district and pool.

- merge: several precincts become one, with the id and station of ``into``; their
  figures add up in every election where they exist, so turnout rates stay right;
- split: one precinct becomes several, each part taking its ``share`` of the electors
  (and of the votes in every election where the precinct exists); a new part gets a
  station at the given point, or beside the original station;
- move: a station gets new coordinates;
- staff unavailability: a seeded share of the pool cannot work the given shifts.
"""

from __future__ import annotations

import math
from typing import Annotated

import numpy as np
from pydantic import Field, model_validator

from .domain import District, Frozen, PrecinctRecord, Site, SiteKind, Worker
from .errors import InputError, did_you_mean


class Merge(Frozen):
    into: str  # the merged precinct's id; its station serves the merged precinct
    precincts: tuple[str, ...]


class SplitPart(Frozen):
    id: str
    share: Annotated[float, Field(gt=0, le=1)]
    name: str | None = None  # the new station's name
    lon: float | None = None  # the new station's location; default: beside the original one
    lat: float | None = None

    @model_validator(mode="after")
    def _point_or_none(self) -> SplitPart:
        if (self.lon is None) != (self.lat is None):  # half a point would silently keep the original's other half
            raise ValueError("give both lon and lat of the new station, or neither (it then stands beside the original)")
        return self


class Split(Frozen):
    precinct: str
    parts: tuple[SplitPart, ...]


class Move(Frozen):
    site: str
    lon: float
    lat: float


class LayoutChanges(Frozen):
    merge: tuple[Merge, ...] = ()
    split: tuple[Split, ...] = ()
    move: tuple[Move, ...] = ()

    def is_empty(self) -> bool:
        return not (self.merge or self.split or self.move)

    def points(self) -> list[tuple[str, float, float]]:
        """Every location the changes give, with the key it was written under (for error messages)."""
        found = [(f"layout.move.{i}", m.lon, m.lat) for i, m in enumerate(self.move)]
        for i, split in enumerate(self.split):
            found += [(f"layout.split.{i}.parts.{k}", p.lon, p.lat) for k, p in enumerate(split.parts)
                      if p.lon is not None and p.lat is not None]
        return found


class StaffChanges(Frozen):
    unavailable_share: Annotated[float, Field(ge=0, le=1)] = 0.0
    seed: Annotated[int, Field(ge=0, le=2**32 - 1)] = 0  # numpy's generator takes no negative seed
    shifts: tuple[str, ...] = ("early", "eday", "count")  # what the chosen people cannot work; checked against the rules


def apply_layout(district: District, changes: LayoutChanges, register_election: str, source: str) -> District:
    """``district`` with ``changes`` applied, in the order merge, split, move."""
    precincts = list(district.precincts)
    sites = list(district.sites)
    current = {p.id for p in precincts if p.election == register_election}
    for i, merge in enumerate(changes.merge):
        precincts, sites = _merge(precincts, sites, merge, current, f"layout.merge.{i}", source)
        current = {p.id for p in precincts if p.election == register_election}
    for i, split in enumerate(changes.split):
        precincts, sites = _split(precincts, sites, split, current, register_election, f"layout.split.{i}", source)
        current = {p.id for p in precincts if p.election == register_election}
    for i, move in enumerate(changes.move):
        sites = _move(sites, move, f"layout.move.{i}", source)
    return district.model_copy(update={"precincts": tuple(precincts), "sites": tuple(sites)})


def _merge(precincts: list[PrecinctRecord], sites: list[Site], merge: Merge, current: set[str], where: str,
           source: str) -> tuple[list[PrecinctRecord], list[Site]]:
    if merge.into not in merge.precincts:
        raise InputError(source, "'into' must be one of the merged precincts", column=f"{where}.into", value=merge.into,
                         fix=f"name one of: {', '.join(merge.precincts)}")
    if len(set(merge.precincts)) < 2:
        raise InputError(source, "a merge needs at least two different precincts", column=f"{where}.precincts",
                         fix="list the precincts that become one")
    for pid in merge.precincts:
        if pid not in current:
            raise InputError(source, "unknown precinct in a merge", column=f"{where}.precincts", value=pid,
                             fix=did_you_mean(pid, current, "a precinct of the register election"))
    dongs = {p.dong for p in precincts if p.id in merge.precincts}
    if len(dongs) > 1:
        raise InputError(source, "merged precincts lie in different 동", column=f"{where}.precincts",
                         value=", ".join(merge.precincts), fix="merge precincts of one 동 only")
    keep = [p for p in precincts if p.id not in merge.precincts]
    by_election: dict[str, list[PrecinctRecord]] = {}
    for p in precincts:
        if p.id in merge.precincts:
            by_election.setdefault(p.election, []).append(p)
    for parts in by_election.values():
        base = next((p for p in parts if p.id == merge.into), parts[0])
        keep.append(base.model_copy(update={
            "id": merge.into,
            "number": int(merge.into.rsplit("-", 1)[1]) if merge.into.rsplit("-", 1)[-1].isdigit() else base.number,
            "registered_electors": sum(p.registered_electors for p in parts),
            "eday_electors": _sum_or_none(p.eday_electors for p in parts),
            "eday_votes": _sum_or_none(p.eday_votes for p in parts),
            "derived": True,
        }))
    station_of = {pid: s.id for s in sites if s.kind is SiteKind.polling for pid in s.serves}
    if merge.into not in station_of:
        raise InputError(source, "no polling station serves the merged precinct", column=f"{where}.into", value=merge.into,
                         fix="add a station for it to the sites file")
    dropped = {station_of[p] for p in merge.precincts if p != merge.into and p in station_of} - {station_of[merge.into]}
    new_sites = []
    for site in sites:
        if site.id in dropped:
            if set(site.serves) <= set(merge.precincts):
                continue
            site = site.model_copy(update={"serves": tuple(p for p in site.serves if p not in merge.precincts)})
        if site.kind is SiteKind.polling and set(site.serves) & set(merge.precincts):
            serves = tuple(dict.fromkeys(merge.into if p in merge.precincts else p for p in site.serves))
            site = site.model_copy(update={"serves": serves})
        new_sites.append(site)
    return _ordered(keep, precincts), new_sites


def _split(precincts: list[PrecinctRecord], sites: list[Site], split: Split, current: set[str], register: str,
           where: str, source: str) -> tuple[list[PrecinctRecord], list[Site]]:
    if split.precinct not in current:
        raise InputError(source, "unknown precinct in a split", column=f"{where}.precinct", value=split.precinct,
                         fix=did_you_mean(split.precinct, current, f"a precinct of the register election {register}"))
    if len(split.parts) < 2:
        raise InputError(source, "a split needs at least two parts", column=f"{where}.parts", fix="list two or more parts")
    total = sum(p.share for p in split.parts)
    if not math.isclose(total, 1.0, abs_tol=1e-6):
        raise InputError(source, f"the parts' shares sum to {total:g}, not 1", column=f"{where}.parts",
                         fix="make the shares of the parts add up to 1")
    ids = [p.id for p in split.parts]
    taken = {p.id for p in precincts} - {split.precinct}
    for i, part in enumerate(split.parts):
        if part.id in taken or ids.count(part.id) > 1:
            raise InputError(source, "a part's id is already used", column=f"{where}.parts.{i}.id", value=part.id,
                             fix="give each new part an unused id such as <동>-<next number>")
        tail = part.id.rsplit("-", 1)
        if len(tail) != 2 or not tail[1].isdigit():
            raise InputError(source, "a precinct id must look like <동>-<number>", column=f"{where}.parts.{i}.id",
                             value=part.id, fix="e.g. 독산1동-10")
    shares = np.array([p.share for p in split.parts])
    out = [p for p in precincts if p.id != split.precinct]
    for record in (p for p in precincts if p.id == split.precinct):
        if any(not pid.startswith(record.dong + "-") for pid in ids):
            raise InputError(source, "a part's id names another 동", column=f"{where}.parts", value=", ".join(ids),
                             fix=f"start each id with {record.dong}-")
        columns = {c: _spread(getattr(record, c), shares) for c in ("registered_electors", "eday_electors", "eday_votes")}
        for k, part in enumerate(split.parts):
            out.append(record.model_copy(update={
                "id": part.id, "number": int(part.id.rsplit("-", 1)[1]), "derived": True,
                **{c: (None if values is None else values[k]) for c, values in columns.items()},
            }))
    station = next((s for s in sites if s.kind is SiteKind.polling and split.precinct in s.serves), None)
    if station is None:
        raise InputError(source, "no polling station serves the split precinct", column=f"{where}.precinct",
                         value=split.precinct, fix="add a station for it to the sites file")
    new_sites = []
    for site in sites:
        if site.id != station.id:
            new_sites.append(site)
            continue
        first, rest = split.parts[0], split.parts[1:]
        serves = tuple(first.id if p == split.precinct else p for p in site.serves)
        new_sites.append(site.model_copy(update={"serves": serves}))
        for part in rest:
            number = part.id.rsplit("-", 1)[1]
            new_sites.append(site.model_copy(update={
                "id": part.id, "serves": (part.id,), "name": part.name or f"{site.dong} 제{number}투표소",
                "lon": part.lon if part.lon is not None else site.lon,
                "lat": part.lat if part.lat is not None else site.lat,
                "location_source": "approximate" if part.lon is None else "scenario",
            }))
    return _ordered(out, precincts), new_sites


def _move(sites: list[Site], move: Move, where: str, source: str) -> list[Site]:
    known = {s.id for s in sites}
    if move.site not in known:
        raise InputError(source, "unknown site in a move", column=f"{where}.site", value=move.site,
                         fix=did_you_mean(move.site, known, "a site_id of the sites file"))
    return [s.model_copy(update={"lon": move.lon, "lat": move.lat, "location_source": "scenario"}) if s.id == move.site
            else s for s in sites]


def _spread(value: int | None, shares: np.ndarray) -> list[int] | None:
    """Split an integer by shares so the parts sum exactly to it (largest remainder)."""
    if value is None:
        return None
    exact = shares * value
    parts = np.floor(exact).astype(int)
    for k in np.argsort(-(exact - parts), kind="stable")[: value - int(parts.sum())]:
        parts[k] += 1
    return [int(x) for x in parts]


def _sum_or_none(values) -> int | None:
    values = list(values)
    return None if any(v is None for v in values) else sum(values)


def _ordered(records: list[PrecinctRecord], original: list[PrecinctRecord]) -> list[PrecinctRecord]:
    """Keep records in election, 동 and number order, with the 동 order of the original file."""
    dong_order = {d: i for i, d in enumerate(dict.fromkeys(p.dong for p in original))}
    return sorted(records, key=lambda p: (p.election, dong_order.get(p.dong, 99), p.number))


def mark_unavailable(workers: tuple[Worker, ...], ids: set[str], shifts: tuple[str, ...]) -> tuple[Worker, ...]:
    """The same pool with the people in ``ids`` unavailable on ``shifts`` (besides what they already were)."""
    return tuple(w.model_copy(update={"unavailable": tuple(dict.fromkeys(w.unavailable + shifts))}) if w.id in ids
                 else w for w in workers)


def apply_staff_changes(workers: tuple[Worker, ...], changes: StaffChanges) -> tuple[Worker, ...]:
    """Mark a seeded share of the pool unavailable (e.g. 10 % off sick), the same people for the same seed."""
    count = round(changes.unavailable_share * len(workers))
    if count == 0:
        return workers
    chosen = np.random.default_rng(changes.seed).choice(len(workers), size=count, replace=False)
    return mark_unavailable(workers, {workers[i].id for i in chosen.tolist()}, changes.shifts)
