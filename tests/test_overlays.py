"""Scenario overlays and inheritance: merge, split, move, staff unavailability, ``base:`` chains.

Every overlay here is a small scenario file written into a copy of the project (scenarios/
and data/ under tmp_path, the ``project`` fixture) whose ``base:`` names a shipped scenario
by a relative path, so the real 금천구 data is planned with one change. (A scenario's paths
must stay inside its project folder unless it says ``allow_outside_paths: true``; the copy
keeps these tests independent of that rule.) Only demand is computed (no solver): the whole
file runs in a few seconds.
"""

from __future__ import annotations

import math
import shutil
import textwrap
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest

from election_ops.domain import SiteKind
from election_ops.errors import InputError
from election_ops.io.scenario import load_scenario
from election_ops.io.staff import load_staff
from election_ops.overlays import StaffChanges, apply_staff_changes
from election_ops.pipeline import load_inputs, plan_demand
from projects import copy_project

REPO = Path(__file__).resolve().parents[1]
WHOLE = ("scenarios", "data")  # the 금천구 data, the staff pool and the national tables
DATA = Path("data") / "precincts" / "geumcheon"
REGISTER = "2022-03-09"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path, WHOLE)


def write_scenario(folder: Path, text: str, *, name: str = "what-if.yaml",
                   base: str | None = "2022-presidential.yaml") -> Path:
    """A scenario file in ``folder``: ``base:`` (relative to the file) and then ``text``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    head = f'base: "{base}"\n' if base is not None else ""
    path.write_text(head + textwrap.dedent(text), encoding="utf-8")
    return path


def records(district, precinct: str) -> dict[str, object]:
    """A precinct's records by election."""
    return {p.election: p for p in district.precincts if p.id == precinct}


def site(district, site_id: str):
    return next((s for s in district.sites if s.id == site_id), None)


def required_at(demand) -> Counter:
    """People needed per site, all roles and shifts."""
    count: Counter = Counter()
    for r in demand.requirements:
        count[r.site_id] += r.required
    return count


def fixed_polling_posts(inputs, entrances: int = 1) -> int:
    """Posts every polling station needs whatever its size: base + per_entrance, COVID roles if on."""
    covid = inputs.scenario.covid
    return sum(r.base + r.per_entrance * entrances for r in inputs.rules.roles
               if r.site_kind is SiteKind.polling and (covid or not r.covid))


def largest_remainder(value: int, shares: list[str]) -> list[int]:
    """An independent largest-remainder split in exact arithmetic (ties: the earlier part)."""
    exact = [Fraction(s) * value for s in shares]
    parts = [math.floor(x) for x in exact]
    order = sorted(range(len(shares)), key=lambda k: (-(exact[k] - parts[k]), k))
    for k in order[: value - sum(parts)]:
        parts[k] += 1
    return parts


# --- merge -----------------------------------------------------------------------------


MERGES = [
    # the shipped 60-precinct layout: 독산1동-9 (new in 2022) back into 독산1동-3
    pytest.param("독산1동-3", ["독산1동-3", "독산1동-9"], id="dokssan1-3-and-9"),
    # three precincts, kept under the id of one that is not listed first
    pytest.param("가산동-2", ["가산동-1", "가산동-2", "가산동-3"], id="gasan-three-into-the-second"),
]


@pytest.mark.parametrize(("into", "parts"), MERGES)
def test_merge_adds_up_every_election(project, presidential_inputs, into, parts):
    path = write_scenario(project / "scenarios", f"layout:\n  merge:\n    - {{into: {into}, precincts: [{', '.join(parts)}]}}\n")
    before, after = presidential_inputs.district, load_inputs(path).district

    elections = sorted({p.election for p in before.precincts})
    merged = records(after, into)
    for election in elections:
        old = [r for pid in parts if (r := records(before, pid).get(election)) is not None]
        if not old:
            assert election not in merged
            continue
        new = merged[election]
        assert new.registered_electors == sum(r.registered_electors for r in old), election
        for column in ("eday_electors", "eday_votes"):  # the reference votes
            values = [getattr(r, column) for r in old]
            assert getattr(new, column) == (None if None in values else sum(values)), (election, column)
        assert (new.dong, new.number, new.derived) == (old[0].dong, int(into.rsplit("-", 1)[1]), True)
    for pid in set(parts) - {into}:
        assert records(after, pid) == {}, pid
    # every other precinct is untouched
    others = [p for p in before.precincts if p.id not in parts]
    assert sorted(others, key=repr) == sorted((p for p in after.precincts if p.id not in parts), key=repr)


@pytest.mark.parametrize(("into", "parts"), MERGES)
def test_merge_drops_stations_and_the_kept_one_serves_the_merged_precinct(project, presidential_inputs, into, parts):
    path = write_scenario(project / "scenarios", f"layout:\n  merge:\n    - {{into: {into}, precincts: [{', '.join(parts)}]}}\n")
    inputs = load_inputs(path)
    before, after = presidential_inputs.district, inputs.district

    dropped = set(parts) - {into}  # in the shipped data each station is named after the precinct it serves
    assert {s.id for s in before.sites} - {s.id for s in after.sites} == dropped
    assert {s.id for s in after.sites} - {s.id for s in before.sites} == set()
    kept = site(after, into)
    assert kept.serves == (into,)
    assert (kept.lon, kept.lat, kept.name) == (site(before, into).lon, site(before, into).lat, site(before, into).name)
    polling = [s for s in after.sites if s.kind is SiteKind.polling]
    assert len(polling) == 61 - len(dropped)
    assert sorted(p for s in polling for p in s.serves) == sorted(p.id for p in after.layout(REGISTER))

    base_demand, demand = plan_demand(presidential_inputs), plan_demand(inputs)
    old_at, new_at = required_at(base_demand), required_at(demand)
    # the merged station needs at least what each former station needed
    for pid in parts:
        assert new_at[into] >= old_at[pid], pid
    assert demand.loads[into].electors == sum(base_demand.loads[p].electors for p in parts)
    # the merged precinct's turnout is the parts' pooled rate at the reference election (the parts that existed)
    reference = presidential_inputs.scenario.reference_election
    then = [r for pid in parts if (r := records(before, pid).get(reference)) is not None]
    rate = sum(r.eday_votes for r in then) / sum(r.registered_electors for r in then)
    assert demand.loads[into].voters == pytest.approx(demand.loads[into].electors * rate)
    # every other site (early voting and counting included) needs exactly what it did
    assert {k: v for k, v in new_at.items() if k not in parts} == {k: v for k, v in old_at.items() if k not in parts}
    assert demand.total() == base_demand.total() - sum(old_at[p] for p in parts) + new_at[into]


def test_merge_of_the_60_layout_saves_exactly_one_stations_fixed_posts(repo_root, presidential_inputs):
    """2022-presidential-60: one station fewer, and the merged one's load-driven posts add up exactly."""
    inputs = load_inputs(repo_root / "scenarios" / "2022-presidential-60.yaml")
    fixed = fixed_polling_posts(presidential_inputs)
    assert fixed == 8  # manager 1 + register_check 2 + ballot_issue 1 + guide 2 + fever check 1 + quarantine 1
    base_demand, demand = plan_demand(presidential_inputs), plan_demand(inputs)
    assert base_demand.total() - demand.total() == fixed
    assert (base_demand.total(), demand.total()) == (799, 791)
    assert demand.loads["독산1동-3"].electors == 4967 + 5061 == 10_028


def test_merge_keeps_a_station_that_serves_other_precincts_too(project):
    """Once a bug: a merge dropped the whole station of a merged-away precinct, orphaning the others it served."""
    sites_csv = project / DATA / "sites.csv"
    lines = sites_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [line.replace(",독산1동-2,1", ",독산1동-2;독산1동-8,1") if line.startswith("독산1동-2,") else line
             for line in lines if not line.startswith("독산1동-8,")]
    sites_csv.write_text("".join(lines), encoding="utf-8")
    path = write_scenario(project / "scenarios", """\
        layout:
          merge:
            - {into: 독산1동-3, precincts: [독산1동-3, 독산1동-8]}
        """)
    inputs = load_inputs(path)
    assert site(inputs.district, "독산1동-2").serves == ("독산1동-2",)
    assert site(inputs.district, "독산1동-3").serves == ("독산1동-3",)
    demand = plan_demand(inputs)  # every precinct still has its station
    assert demand.loads["독산1동-3"].electors == 4967 + 3697


# --- split -----------------------------------------------------------------------------


SPLIT = """\
    layout:
      split:
        - precinct: 가산동-1
          parts:
            - {id: 가산동-1, share: 0.5}
            - {id: 가산동-7, share: 0.3}
            - {id: 가산동-8, share: 0.2, name: 가산디지털단지 새 투표소, lon: 126.8805, lat: 37.4775}
    """
SHARES = ["0.5", "0.3", "0.2"]
PART_IDS = ["가산동-1", "가산동-7", "가산동-8"]


@pytest.fixture(scope="module")
def split_inputs(tmp_path_factory):
    return load_inputs(write_scenario(copy_project(tmp_path_factory.mktemp("split"), WHOLE) / "scenarios", SPLIT))


def test_split_shares_the_figures_exactly_by_largest_remainder(presidential_inputs, split_inputs):
    before, after = presidential_inputs.district, split_inputs.district
    original = records(before, "가산동-1")
    assert len(original) == 6  # every election of the data
    for election, record in original.items():
        parts = [records(after, pid)[election] for pid in PART_IDS]
        for column in ("registered_electors", "eday_electors", "eday_votes"):
            value = getattr(record, column)
            got = [getattr(p, column) for p in parts]
            if value is None:
                assert got == [None] * 3, (election, column)
                continue
            assert sum(got) == value, (election, column)
            assert got == largest_remainder(value, SHARES), (election, column)
            for share, part in zip(SHARES, got):
                assert abs(part - Fraction(share) * value) < 1
        assert all(p.derived and p.dong == "가산동" for p in parts)
        assert [p.number for p in parts] == [1, 7, 8]
    assert len(after.layout(REGISTER)) == 63


def test_split_stations_appear_beside_the_original_or_where_stated(presidential_inputs, split_inputs):
    original = site(presidential_inputs.district, "가산동-1")
    after = split_inputs.district
    first, beside, placed = (site(after, pid) for pid in PART_IDS)
    assert first.serves == ("가산동-1",) and (first.lon, first.lat) == (original.lon, original.lat)
    assert beside.serves == ("가산동-7",)
    assert (beside.lon, beside.lat, beside.location_source) == (original.lon, original.lat, "approximate")
    assert (beside.kind, beside.dong, beside.name, beside.entrances) == (SiteKind.polling, "가산동", "가산동 제7투표소",
                                                                          original.entrances)
    assert placed.serves == ("가산동-8",)
    assert (placed.lon, placed.lat, placed.location_source) == (126.8805, 37.4775, "scenario")
    assert placed.name == "가산디지털단지 새 투표소"
    assert len([s for s in after.sites if s.kind is SiteKind.polling]) == 63


def test_split_keeps_the_turnout_rate_so_voters_split_by_share(presidential_inputs, split_inputs):
    reference = presidential_inputs.scenario.reference_election
    old = records(presidential_inputs.district, "가산동-1")[reference]
    rate = old.eday_votes / old.registered_electors
    for pid in PART_IDS:
        part = records(split_inputs.district, pid)[reference]
        # votes and electors are each off their exact share by under one person
        assert part.eday_votes / part.registered_electors == pytest.approx(rate, abs=2 / part.registered_electors)
    base_demand, demand = plan_demand(presidential_inputs), plan_demand(split_inputs)
    voters = base_demand.loads["가산동-1"].voters
    assert sum(demand.loads[p].voters for p in PART_IDS) == pytest.approx(voters, abs=2)
    for share, pid in zip(SHARES, PART_IDS):
        assert demand.loads[pid].voters == pytest.approx(float(share) * voters, abs=1.5), pid
        assert demand.loads[pid].electors == largest_remainder(5223, SHARES)[PART_IDS.index(pid)]
    # the early-voting station of the 동 and the counting site see the same electors
    assert demand.loads["가산동-사전"].voters == pytest.approx(base_demand.loads["가산동-사전"].voters)
    assert demand.loads["개표소"].voters == pytest.approx(base_demand.loads["개표소"].voters)


def test_split_of_a_precinct_new_since_the_reference_takes_its_dongs_rate(project, presidential_inputs):
    """독산1동-9 did not exist in 2017: both parts take 독산1동's 2017 rate, so voters split by electors."""
    path = write_scenario(project / "scenarios", """\
        layout:
          split:
            - {precinct: 독산1동-9, parts: [{id: 독산1동-9, share: 0.6}, {id: 독산1동-10, share: 0.4}]}
        """)
    demand, base = plan_demand(load_inputs(path)), plan_demand(presidential_inputs)
    a, b = demand.loads["독산1동-9"], demand.loads["독산1동-10"]
    assert (a.electors, b.electors) == (3037, 2024)  # 5,061 x 0.6 = 3,036.6 and x 0.4 = 2,024.4
    assert a.voters / a.electors == pytest.approx(base.loads["독산1동-9"].voters / 5061)
    assert b.voters / b.electors == pytest.approx(base.loads["독산1동-9"].voters / 5061)


# --- move ------------------------------------------------------------------------------


def test_move_changes_coordinates_and_marks_the_source(project, presidential_inputs):
    path = write_scenario(project / "scenarios", """\
        layout:
          move:
            - {site: 독산1동-3, lon: 126.8915, lat: 37.4630}
            - {site: 개표소, lon: 126.8930, lat: 37.4650}
        """)
    before, after = presidential_inputs.district, load_inputs(path).district
    for site_id, lon, lat in (("독산1동-3", 126.8915, 37.4630), ("개표소", 126.8930, 37.4650)):
        moved, old = site(after, site_id), site(before, site_id)
        assert (moved.lon, moved.lat, moved.location_source) == (lon, lat, "scenario")
        assert moved.model_copy(update={"lon": old.lon, "lat": old.lat, "location_source": old.location_source}) == old
    assert [s for s in after.sites if s.id not in ("독산1동-3", "개표소")] == \
        [s for s in before.sites if s.id not in ("독산1동-3", "개표소")]
    assert after.precincts == before.precincts


def test_layout_changes_apply_in_order_merge_split_move(project):
    """A split may reuse an id a merge freed; a move may place a station the split made."""
    path = write_scenario(project / "scenarios", """\
        layout:
          merge:
            - {into: 독산1동-3, precincts: [독산1동-3, 독산1동-9]}
          split:
            - {precinct: 독산1동-3, parts: [{id: 독산1동-3, share: 0.5}, {id: 독산1동-10, share: 0.5}]}
          move:
            - {site: 독산1동-10, lon: 126.8975, lat: 37.4690}
        """)
    district = load_inputs(path).district
    layout = {p.id: p for p in district.layout(REGISTER)}
    assert "독산1동-9" not in layout
    assert layout["독산1동-3"].registered_electors + layout["독산1동-10"].registered_electors == 10_028
    assert (site(district, "독산1동-10").lon, site(district, "독산1동-10").location_source) == (126.8975, "scenario")


# --- staff unavailability --------------------------------------------------------------


@pytest.fixture(scope="module")
def pool(presidential_inputs):
    """The shipped pool with nobody unavailable yet, so the overlay's marks are all there is."""
    workers = load_staff(REPO / "data" / "staff" / "geumcheon-2022.csv", presidential_inputs.district)
    return tuple(w.model_copy(update={"unavailable": ()}) for w in workers)


def marked(workers) -> set[str]:
    return {w.id for w in workers if w.unavailable}


@pytest.mark.parametrize("share", [0.0, 0.0004, 0.1, 0.25, 0.333, 1.0])
def test_unavailable_share_marks_exactly_that_many_people(pool, share):
    changed = apply_staff_changes(pool, StaffChanges(unavailable_share=share, seed=7))
    assert len(marked(changed)) == round(share * len(pool))
    assert len(changed) == len(pool) and [w.id for w in changed] == [w.id for w in pool]


def test_unavailable_people_depend_on_the_seed_only(pool):
    one = marked(apply_staff_changes(pool, StaffChanges(unavailable_share=0.1, seed=7)))
    again = marked(apply_staff_changes(pool, StaffChanges(unavailable_share=0.1, seed=7)))
    other = marked(apply_staff_changes(pool, StaffChanges(unavailable_share=0.1, seed=8)))
    assert one == again
    assert len(other) == len(one) == 130 and other != one


def test_unavailable_people_cannot_work_the_given_shifts(pool):
    changed = apply_staff_changes(pool, StaffChanges(unavailable_share=0.2, seed=1, shifts=("eday",)))
    people = [w for w in changed if w.unavailable]
    assert len(people) == 260 and all(w.unavailable == ("eday",) for w in people)
    every = apply_staff_changes(pool, StaffChanges(unavailable_share=0.2, seed=1))
    assert {w.id for w in every if w.unavailable} == {w.id for w in people}  # the same people, other shifts
    assert all(w.unavailable == ("early", "eday", "count") for w in every if w.unavailable)


def test_unavailability_keeps_what_a_person_already_had(pool):
    workers = tuple(w.model_copy(update={"unavailable": ("count",)}) for w in pool)
    changed = apply_staff_changes(workers, StaffChanges(unavailable_share=1.0, seed=0, shifts=("early", "count")))
    assert {w.unavailable for w in changed} == {("count", "early")}


def test_short_staff_scenario_marks_its_seeded_tenth(repo_root):
    base = load_inputs(repo_root / "scenarios" / "2022-local.yaml", with_staff=True)
    short = load_inputs(repo_root / "scenarios" / "2022-local-short-staff.yaml", with_staff=True)
    assert short.scenario.staff_changes == StaffChanges(unavailable_share=0.1, seed=7)
    assert short.workers == apply_staff_changes(base.workers, short.scenario.staff_changes)
    now_out = [a for a, b in zip(short.workers, base.workers) if a != b]
    assert 0 < len(now_out) <= 130
    assert all({"early", "eday", "count"} <= set(w.unavailable) for w in now_out)


# --- inheritance -----------------------------------------------------------------------


def test_base_inherits_everything_and_overrides_only_what_it_states(project):
    path = write_scenario(project / "scenarios", "turnout_scale: 1.2\nseed: 5\n")
    scenario, base = load_scenario(path), load_scenario(project / "scenarios" / "2022-presidential.yaml")
    assert (scenario.turnout_scale, scenario.seed) == (1.2, 5)
    assert scenario.id == "what-if" and scenario.path == path
    assert scenario.title == ""  # id and title belong to the file itself: never inherited
    not_inherited = {"id", "title", "path", "bases", "turnout_scale", "seed"}
    assert scenario.model_dump(exclude=not_inherited) == base.model_dump(exclude=not_inherited)
    assert scenario.bases == (base.path,)


def test_nested_mappings_merge_key_by_key(project, presidential_inputs):
    path = write_scenario(project / "scenarios", """\
        election: {ballots_per_voter: 2}
        weights: {fairness: 7}
        rule_overrides:
          roles: {polling.guide: {base: 3}}
          waits: {target_wait_min: 20, limits: {booths: 6}}
        """)
    inputs = load_inputs(path)
    scenario, base = inputs.scenario, presidential_inputs.scenario
    assert scenario.election == base.election.model_copy(update={"ballots_per_voter": 2})
    assert scenario.weights == base.weights.model_copy(update={"fairness": 7})
    assert scenario.data == load_scenario(project / "scenarios" / "2022-presidential.yaml").data
    guide = next(r for r in inputs.rules.roles if (r.site_kind, r.role) == (SiteKind.polling, "guide"))
    assert guide.base == 3 and guide.name == "안내·질서유지"
    assert inputs.rules.waits.target_wait_min == 20
    assert inputs.rules.waits.limits.booths == 6 and inputs.rules.waits.limits.register_desks == 4
    guides = [r.required for r in plan_demand(inputs).requirements if (r.site_kind, r.role) == (SiteKind.polling, "guide")]
    assert guides == [3] * 61


def test_a_chain_of_two_bases_resolves_each_files_paths_relative_to_itself(project, presidential_inputs):
    middle_dir = project / "what-ifs"
    middle_dir.mkdir()
    shutil.copy(project / DATA / "sites.csv", middle_dir / "my-sites.csv")
    middle = write_scenario(middle_dir, """\
        data: {sites: my-sites.csv}
        weights: {fairness: 7, together: 9}
        rule_overrides: {roles: {polling.guide: {base: 3}}}
        covid: false
        """, name="middle.yaml", base="../scenarios/2022-presidential.yaml")
    child = write_scenario(project / "scenarios", """\
        weights: {together: 1}
        rule_overrides: {roles: {polling.manager: {base: 2}}}
        staff: pool.csv
        """, name="child.yaml", base="../what-ifs/middle.yaml")
    shutil.copy(project / "data" / "staff" / "geumcheon-2022.csv", project / "scenarios" / "pool.csv")

    scenario = load_scenario(child)
    base = load_scenario(project / "scenarios" / "2022-presidential.yaml")
    assert scenario.bases == (middle, base.path)
    assert scenario.data.sites == middle_dir / "my-sites.csv"  # relative to middle.yaml
    assert scenario.data.precincts == base.data.precincts == project / DATA / "precinct_history.csv"  # the shipped one's
    assert scenario.rules == base.rules == project / "scenarios" / "rules" / "presidential-2022.yaml"
    assert scenario.staff == project / "scenarios" / "pool.csv"  # relative to child.yaml
    assert scenario.covid is False  # from the middle
    assert scenario.weights == base.weights.model_copy(update={"fairness": 7, "together": 1})
    assert scenario.rule_overrides == {"roles": {"polling.guide": {"base": 3}, "polling.manager": {"base": 2}}}
    rules = load_inputs(child).rules
    assert {r.role: r.base for r in rules.roles if r.site_kind is SiteKind.polling and r.role in ("guide", "manager")} \
        == {"guide": 3, "manager": 2}


def test_a_plans_input_files_include_every_base(project):
    """Once a bug: only the scenario file itself was recorded, so compare reused a plan after its base changed."""
    middle = write_scenario(project / "scenarios", "covid: false\n", name="middle.yaml")
    child = write_scenario(project / "scenarios", "seed: 3\n", name="child.yaml", base="middle.yaml")
    shipped = project / "scenarios" / "2022-presidential.yaml"
    files = load_scenario(child).input_files()
    assert files["scenario"] == child
    assert (files["base.1"], files["base.2"]) == (middle, shipped)
    assert "base.1" not in load_scenario(shipped).input_files()


# --- errors: each names the scenario file and the key ----------------------------------


@pytest.mark.parametrize(
    ("text", "column", "value", "problem"),
    [
        pytest.param("layout: {merge: [{into: 독산1동-3, precincts: [독산1동-3, 독산1동-12]}]}",
                     "layout.merge.0.precincts", "독산1동-12", "unknown precinct in a merge", id="merge-unknown-precinct"),
        pytest.param("layout: {merge: [{into: 독산1동-3, precincts: [독산1동-3, 독산2동-1]}]}",
                     "layout.merge.0.precincts", "독산1동-3, 독산2동-1", "different 동", id="merge-across-two-dong"),
        pytest.param("layout: {merge: [{into: 독산1동-4, precincts: [독산1동-3, 독산1동-9]}]}",
                     "layout.merge.0.into", "독산1동-4", "'into' must be one of", id="merge-into-not-listed"),
        pytest.param("layout: {merge: [{into: 독산1동-3, precincts: [독산1동-3, 독산1동-9]}],\n"
                     "         split: [{precinct: 독산1동-9, parts: [{id: 독산1동-9, share: 0.5}, {id: 독산1동-10, share: 0.5}]}]}",
                     "layout.split.0.precinct", "독산1동-9", "unknown precinct in a split", id="split-merged-away-precinct"),
        pytest.param("layout: {split: [{precinct: 가산동-9, parts: [{id: 가산동-9, share: 0.5}, {id: 가산동-10, share: 0.5}]}]}",
                     "layout.split.0.precinct", "가산동-9", "unknown precinct in a split", id="split-unknown-precinct"),
        pytest.param("layout: {split: [{precinct: 가산동-1, parts: [{id: 가산동-1, share: 0.5}, {id: 가산동-7, share: 0.4}]}]}",
                     "layout.split.0.parts", None, "sum to 0.9, not 1", id="split-shares-not-one"),
        pytest.param("layout: {split: [{precinct: 가산동-1, parts: [{id: 가산동-1, share: 0.5}, {id: 가산동-2, share: 0.5}]}]}",
                     "layout.split.0.parts.1.id", "가산동-2", "already used", id="split-part-id-in-use"),
        pytest.param("layout: {split: [{precinct: 가산동-1, parts: [{id: 가산동-1, share: 0.5}, {id: 독산1동-10, share: 0.5}]}]}",
                     "layout.split.0.parts", "가산동-1, 독산1동-10", "names another 동", id="split-part-in-another-dong"),
        pytest.param("layout: {move: [{site: 가산동-1, lon: 126.878, lat: 37.48}, {site: 가산동-사전2, lon: 126.88, lat: 37.48}]}",
                     "layout.move.1.site", "가산동-사전2", "unknown site in a move", id="move-unknown-site"),
        pytest.param("layout: {split: [{precinct: 가산동-1, parts: [{id: 가산동-1, share: 1.5}]}]}",
                     "layout.split.0.parts.0.share", 1.5, "less than or equal to 1", id="split-share-above-one"),
        pytest.param("layout: {split: [{precinct: 가산동-1, parts: [{id: 가산동-1, share: 0.5}, {id: 가산동-7, share: 0.5, lon: 126.88}]}]}",
                     "layout.split.0.parts.1", None, "give both lon and lat", id="split-part-half-a-point"),
        pytest.param("staff_changes: {unavailable_share: 0.1, seeed: 3}",
                     "staff_changes.seeed", 3, "unknown key", id="staff-changes-misspelt"),
    ],
)
def test_overlay_error_names_the_scenario_file_and_the_key(project, text, column, value, problem):
    path = write_scenario(project / "scenarios", text + "\n")
    with pytest.raises(InputError) as info:
        load_inputs(path)
    err = info.value
    assert Path(err.file) == path
    assert (err.column, err.value) == (column, value)
    assert problem in err.problem
    assert err.fix and err.exit_code == 2
    message = str(err)
    assert str(path) in message and f"column '{column}'" in message and "\n  fix: " in message


def test_missing_base_is_named(project):
    path = write_scenario(project / "scenarios", "turnout_scale: 1.1\n", base="2022-presidentail.yaml")
    with pytest.raises(InputError) as info:
        load_scenario(path)
    err = info.value
    assert Path(err.file) == path and err.column == "base"
    assert err.value == "2022-presidentail.yaml"
    assert "base scenario not found" in err.problem


def test_cycle_of_bases_is_named(project):
    folder = project / "scenarios"
    a = write_scenario(folder, "seed: 1\n", name="a.yaml", base="b.yaml")
    write_scenario(folder, "seed: 2\n", name="b.yaml", base="c.yaml")
    write_scenario(folder, "seed: 3\n", name="c.yaml", base="a.yaml")
    with pytest.raises(InputError) as info:
        load_scenario(a)
    err = info.value
    assert Path(err.file) == a and err.column == "base"
    assert "cycle (a.yaml -> b.yaml -> c.yaml -> a.yaml)" in err.problem


def test_layout_error_in_a_base_names_the_scenario_loaded(project):
    """The overlay is applied to the merged scenario, so the error names the file that was loaded."""
    middle = write_scenario(project / "scenarios", "layout: {move: [{site: 없는곳, lon: 126.88, lat: 37.47}]}\n",
                            name="middle.yaml")
    child = write_scenario(project / "scenarios", "seed: 1\n", name="child.yaml", base=middle.name)
    with pytest.raises(InputError) as info:
        load_inputs(child)
    assert Path(info.value.file) == child and info.value.column == "layout.move.0.site"


# --- overlay points are checked like sites.csv rows ------------------------------------


@pytest.mark.parametrize("layout", [
    "move: [{site: 가산동-1, lon: 129.0, lat: 35.1}]",
    "split: [{precinct: 가산동-1, parts: [{id: 가산동-1, share: 0.5}, {id: 가산동-7, share: 0.5, lon: 129.0, lat: 35.1}]}]",
], ids=["move", "split"])
def test_an_overlay_point_outside_the_district_is_refused(project, layout):
    path = write_scenario(project / "scenarios", f"layout: {{{layout}}}\n")
    with pytest.raises(InputError) as info:
        load_inputs(path)
    assert Path(info.value.file) == path and "outside" in info.value.problem
