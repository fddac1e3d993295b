"""Named tiny roster instances, built in code: a few sites in 금천구, five role rules, a handful of people.

No data files and no ``District``: each instance is a ``Demand`` built directly, the
``StaffingRules`` it was built from and a staff pool. Shifts come from
``demand.build_shifts`` on the 2022 presidential dates, so ``split_days`` and the
counting start time change them exactly as a rules file would:

    early   2022-03-04 05:00 - 2022-03-05 19:00  (one shift over both days)
    early-1 2022-03-04 05:00 - 19:00, early-2 2022-03-05 05:00 - 19:00  (split_days)
    eday    2022-03-09 05:00 - 20:00
    count   2022-03-09 18:00 - 04:00  (overlaps eday; ``count_start="21:00"`` makes it not)

Every named instance says in its docstring how big it is and which rule it exercises.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from election_ops.demand import Demand, SiteLoad, build_shifts
from election_ops.domain import (
    EarlyVotingRules,
    Election,
    ElectionKind,
    Limits,
    Requirement,
    RoleRule,
    ShiftTemplate,
    Site,
    SiteKind,
    StaffingRules,
    StaffKind,
    Worker,
)
from election_ops.io.staff import STAFF_COLUMNS

ELECTION = Election(id="2022-03-09-test", kind=ElectionKind.presidential, name="테스트 선거",
                    election_day=date(2022, 3, 9), early_days=(date(2022, 3, 4), date(2022, 3, 5)),
                    ballots_per_voter=1)

SITES = {
    "P-1": Site(id="P-1", kind=SiteKind.polling, name="독산1동 제1투표소", dong="독산1동", lon=126.8950, lat=37.4700,
                location_source="test", serves=("P-1",)),
    "P-2": Site(id="P-2", kind=SiteKind.polling, name="시흥1동 제1투표소", dong="시흥1동", lon=126.9050, lat=37.4500,
                location_source="test", serves=("P-2",)),
    "P-3": Site(id="P-3", kind=SiteKind.polling, name="독산3동 제1투표소", dong="독산3동", lon=126.9080, lat=37.4760,
                location_source="test", serves=("P-3",)),
    "E-1": Site(id="E-1", kind=SiteKind.early, name="독산1동 사전투표소", dong="독산1동", lon=126.8928, lat=37.4652,
                location_source="test", serves=("독산1동",)),
    "E-2": Site(id="E-2", kind=SiteKind.early, name="시흥1동 사전투표소", dong="시흥1동", lon=126.9020, lat=37.4480,
                location_source="test", serves=("시흥1동",)),
    "C": Site(id="C", kind=SiteKind.counting, name="개표소", dong="시흥1동", lon=126.9000, lat=37.4570,
              location_source="test", serves=("*",)),
}

ROLES = {
    "manager": RoleRule(site_kind=SiteKind.polling, role="manager", name="투표관리관", shift="eday", base=1, lead=True,
                        min_grade=6, experienced=True),
    "guide": RoleRule(site_kind=SiteKind.polling, role="guide", name="안내·질서유지", shift="eday", base=1),
    # same eligibility as guide: the model pools the two into one group and labels roles afterwards
    "register_check": RoleRule(site_kind=SiteKind.polling, role="register_check", name="명부대조·본인확인", shift="eday",
                               base=2),
    "early_guide": RoleRule(site_kind=SiteKind.early, role="early_guide", name="안내·질서유지", shift="early", base=1),
    "count_sorter": RoleRule(site_kind=SiteKind.counting, role="count_sorter", name="투표지분류기운영부", shift="count",
                             base=1, requires=("sorter",)),
    "count_guide": RoleRule(site_kind=SiteKind.counting, role="count_guide", name="안내·질서유지", shift="count", base=1),
}

# (lon, lat) of homes inside 금천구, a few hundred metres to a few km from the sites above
HOMES = [(126.8960, 37.4710), (126.9040, 37.4510), (126.8990, 37.4600), (126.9070, 37.4740),
         (126.8930, 37.4660), (126.9010, 37.4470), (126.8975, 37.4550), (126.9095, 37.4620)]


def person(worker_id: str, grade: int | None = 7, *, department: str = "총무과", experience: Iterable[str] = (),
           certifications: Iterable[str] = (), unavailable: Iterable[str] = (), home: int | tuple[float, float] = 0,
           preferred_dong: str | None = None, preferred_site_kind: SiteKind | None = None) -> Worker:
    """A worker; ``grade=None`` makes a 공무직 without a grade; ``home`` indexes HOMES or is (lon, lat)."""
    lon, lat = HOMES[home % len(HOMES)] if isinstance(home, int) else home
    return Worker(id=worker_id, name=f"직원{worker_id}", department=department,
                  staff_kind=StaffKind.general if grade is not None else StaffKind.public_service, grade=grade,
                  home_lon=lon, home_lat=lat, experience=tuple(experience), certifications=tuple(certifications),
                  unavailable=tuple(unavailable), preferred_dong=preferred_dong,
                  preferred_site_kind=preferred_site_kind)


def staffing_rules(roles: Iterable[RoleRule] = ROLES.values(), *, max_posts: int = 2, split_days: bool = False,
                   count_start: str = "18:00") -> StaffingRules:
    return StaffingRules(
        kind=ElectionKind.presidential,
        shifts=(ShiftTemplate(id="early", name="사전투표", day="early_days", start="05:00", end="19:00"),
                ShiftTemplate(id="eday", name="선거일투표", day="election_day", start="05:00", end="20:00"),
                ShiftTemplate(id="count", name="개표", day="election_day", start=count_start, end="04:00")),
        early_voting=EarlyVotingRules(split_days=split_days),
        roles=tuple(roles),
        limits=Limits(max_posts_per_worker=max_posts),
    )


@dataclass(frozen=True)
class Instance:
    """A tiny roster question: demand, the rules it came from, and the pool."""

    name: str
    demand: Demand
    rules: StaffingRules
    workers: tuple[Worker, ...]
    about: str = ""

    def required(self) -> dict[tuple[str, str, str], int]:
        return {(r.site_id, r.role, r.shift): r.required for r in self.demand.requirements}


def build(name: str, posts: Mapping[tuple[str, str], int], workers: Iterable[Worker], *,
          rules: StaffingRules | None = None, about: str = "", **rule_options) -> Instance:
    """``posts`` maps (site id, role id) to the people needed on each of the role's shifts.

    With ``split_days`` an early-voting role gets one requirement per early day.
    """
    rules = rules or staffing_rules(**rule_options)
    by_role = {r.role: r for r in rules.roles}
    shifts = build_shifts(ELECTION, rules)
    sites = tuple(dict.fromkeys(SITES[site_id] for site_id, _ in posts))
    requirements = []
    for (site_id, role), required in posts.items():
        rule = by_role[role]
        assert rule.site_kind is SITES[site_id].kind, (site_id, role)
        for shift in shifts[rule.shift]:
            requirements.append(Requirement(site_id=site_id, site_kind=rule.site_kind, role=role, role_name=rule.name,
                                            shift=shift.id, required=required, load=0.0))
    demand = Demand(shifts=tuple(s for group in shifts.values() for s in group), sites=sites,
                    requirements=tuple(requirements), loads={s.id: SiteLoad(voters=0.0) for s in sites})
    return Instance(name=name, demand=demand, rules=rules, workers=tuple(workers), about=about)


def write_staff_csv(workers: Iterable[Worker], path: Path) -> Path:
    """The pool in the staff file's columns (io.staff.STAFF_COLUMNS), as ``solve --staff`` would read it."""
    header = [c.name for c in STAFF_COLUMNS]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for w in workers:
            writer.writerow([w.id, w.name, w.department, w.staff_kind.value, "" if w.grade is None else w.grade,
                             f"{w.home_lon:.6f}", f"{w.home_lat:.6f}", ";".join(w.experience),
                             ";".join(w.certifications), ";".join(w.unavailable), w.preferred_dong or "",
                             w.preferred_site_kind.value if w.preferred_site_kind else ""])
    return path


# --- named instances ---------------------------------------------------------------------------------------


def surplus() -> Instance:
    """1 polling site, 2 guide posts, 4 people who may all hold them: coverage is exact (2, not 4)."""
    return build("surplus", {("P-1", "guide"): 2}, [person(f"W{i}", home=i) for i in range(1, 5)])


def exact_fit() -> Instance:
    """1 polling site, 2 guide posts, 2 eligible people: both placed, nothing short (the neighbour of surplus)."""
    return build("exact_fit", {("P-1", "guide"): 2}, [person("W1"), person("W2", home=1)])


def nobody_qualified() -> Instance:
    """1 polling site, 1 manager post (6급 or above, past 투표관리관); 3 people, none qualified:
    a 9급 past manager, a 6급 first-timer, a 공무직 without a grade."""
    return build("nobody_qualified", {("P-1", "manager"): 1},
                 [person("W1", 9, experience=["manager"]), person("W2", 6, home=1),
                  person("W3", None, experience=["manager"], home=2)])


def one_qualified() -> Instance:
    """nobody_qualified plus a 6급 past manager, who gets the post (the neighbour where eligibility holds)."""
    base = nobody_qualified()
    return build("one_qualified", {("P-1", "manager"): 1},
                 [*base.workers, person("W4", 6, experience=["manager"], home=3)])


def all_unavailable() -> Instance:
    """1 polling site, 1 guide post on election day; both eligible people are unavailable on eday."""
    return build("all_unavailable", {("P-1", "guide"): 1},
                 [person("W1", unavailable=["eday"]), person("W2", unavailable=["count", "eday"], home=1)])


def eday_and_count_one_person() -> Instance:
    """1 polling guide post (eday 05-20h) and 1 counting guide post (count 18-04h), one person:
    the shifts overlap, so one post stays short as 'overlapping'."""
    return build("eday_and_count_one_person", {("P-1", "guide"): 1, ("C", "count_guide"): 1}, [person("W1")])


def eday_and_late_count_one_person() -> Instance:
    """eday_and_count_one_person with the count starting at 21:00: no overlap, the one person holds both."""
    return build("eday_and_late_count_one_person", {("P-1", "guide"): 1, ("C", "count_guide"): 1}, [person("W1")],
                 count_start="21:00")


def two_sites_one_person() -> Instance:
    """2 polling sites with 1 guide post each on the same shift, one person: never both at once."""
    return build("two_sites_one_person", {("P-1", "guide"): 1, ("P-2", "guide"): 1}, [person("W1")])


def sorter_certification() -> Instance:
    """1 counting site, 1 sorter post (needs certification ``sorter``); 2 people: W1 without it (closer), W2 with."""
    return build("sorter_certification", {("C", "count_sorter"): 1},
                 [person("W1", home=(126.9001, 37.4571)), person("W2", certifications=["sorter"], home=3)])


def early_and_eday_one_person(max_posts: int) -> Instance:
    """1 early-voting guide post and 1 polling guide post, one person; cap ``max_posts``:
    with 1 a post stays short (the cap), with 2 the same person holds both."""
    return build(f"early_and_eday_one_person_cap{max_posts}", {("E-1", "early_guide"): 1, ("P-1", "guide"): 1},
                 [person("W1")], max_posts=max_posts)


def early_voting(split_days: bool, max_posts: int = 2, unavailable: Iterable[str] = ()) -> Instance:
    """1 early-voting station, 1 guide post, 2 people (W1 nearer); one shift over both days unless ``split_days``.

    W1 may be unavailable on some shifts (``unavailable``); W2 is free.
    """
    return build(f"early_voting_split{split_days}", {("E-1", "early_guide"): 1},
                 [person("W1", unavailable=unavailable, home=4), person("W2", home=7)],
                 split_days=split_days, max_posts=max_posts)


def pooled_roles() -> Instance:
    """1 polling site, 1 guide and 2 register-check posts (one pooled group of 3), 3 people: W1 a past
    register checker, W3 a past guide, W2 a first-timer: after solving, each is labelled with the role they know."""
    return build("pooled_roles", {("P-1", "guide"): 1, ("P-1", "register_check"): 2},
                 [person("W1", experience=["register_check"]), person("W2", home=1),
                  person("W3", experience=["guide"], home=2)])


def empty_pool() -> Instance:
    """1 polling guide post and 1 sorter post, nobody in the pool: both short, the model still solves."""
    return build("empty_pool", {("P-1", "guide"): 2, ("C", "count_sorter"): 1}, [])


def every_term() -> Instance:
    """3 polling sites, an early station and the counting site; 15 posts, 12 people from 4 departments with
    preferences, first-timers, two far homes and more posts than people: every objective term is non-zero
    (with ``long_commute_m`` lowered to 1,500 m)."""
    workers = [
        person("W01", 6, department="독산1동 주민센터", experience=["manager", "guide"], home=0, preferred_dong="독산1동"),
        person("W02", 5, department="독산1동 주민센터", experience=["count_guide"], certifications=["sorter"], home=4),
        person("W03", 7, department="독산1동 주민센터", home=2, preferred_site_kind=SiteKind.early),
        person("W04", 8, department="재무과", experience=["guide"], home=1, preferred_dong="독산3동"),
        person("W05", 9, department="재무과", home=5),
        person("W06", None, department="재무과", home=6, certifications=["sorter"]),
        person("W07", 6, department="재무과", experience=["manager"], home=(126.9300, 37.4350)),  # far south-east
        person("W08", 7, department="시흥1동 주민센터", home=1, preferred_site_kind=SiteKind.counting),
        person("W09", 9, department="시흥1동 주민센터", home=5, unavailable=["early"]),
        person("W10", 8, department="시흥1동 주민센터", home=3, unavailable=["eday"]),
        person("W11", 9, department="시흥1동 주민센터", home=(126.8700, 37.4850)),  # far north-west
        person("W12", 7, department="총무과", home=7),
    ]
    # 3 manager posts but only 2 people qualify (W01, W07): 1 short; the 12 fillable election-day and counting
    # posts need all 12 people, so the 2 early-voting posts go to people who also work then (second posts)
    posts = {("P-1", "manager"): 1, ("P-1", "guide"): 3, ("P-2", "manager"): 1, ("P-2", "guide"): 3,
             ("P-3", "manager"): 1, ("P-3", "guide"): 2, ("E-1", "early_guide"): 2, ("C", "count_sorter"): 1,
             ("C", "count_guide"): 1}
    return build("every_term", posts, workers, max_posts=2)


NAMED = {f.__name__: f for f in (surplus, exact_fit, nobody_qualified, one_qualified, all_unavailable,
                                 eday_and_count_one_person, eday_and_late_count_one_person, two_sites_one_person,
                                 sorter_certification, pooled_roles, empty_pool, every_term)}
