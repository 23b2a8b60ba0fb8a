"""Issue 13: definitions that say what the policy says, on hand-made graphs with known
answers and, for the unit types, on the real national division files."""

from __future__ import annotations

import pandas as pd
import pytest

import civicgraph as cg
from civicgraph.metrics._types import county_kind_codes, registration_codes, street_kind_codes
from civicgraph.metrics.rules import urban_units


def _contains(admin: list[tuple[str, str]]) -> list[dict]:
    """The ``contains`` edges of admin units given by code: parent = the code's prefix."""
    parent = {6: 4, 9: 6, 12: 9}
    return [
        {"source": i[: parent[len(i)]], "target": i, "kind": "contains"}
        for i, _ in admin
        if len(i) > 4
    ]


@pytest.fixture
def typed() -> cg.CivicGraph:
    """A city 9905 with no ``urban`` column at all: every type comes from the codes.

    ::

        9905
        ├── 990501 (01: city district)
        │   ├── 990501001 街道: 001 U, 002 U (AG agency, M member, award), 201 R; HS here
        │   └── 990501101 镇:  001 U (HX located in 990501, serves exactly this one)
        ├── 990521 (21: county)
        │   └── 990521201 乡:  001 U (HC), 201 R
        └── 990571 (71: zone)
            └── 990571400 other: 001 U

    HS has a civil-affairs credit code (registered), HC is filed (备案), HX unknown. AC
    is an agency located at city level that serves the township 990521201.
    """
    admin = [
        ("9905", "city"),
        ("990501", "district"),
        ("990521", "district"),
        ("990571", "district"),
        ("990501001", "street"),
        ("990501101", "street"),
        ("990521201", "street"),
        ("990571400", "street"),
        ("990501001001", "community"),
        ("990501001002", "community"),
        ("990501001201", "community"),
        ("990501101001", "community"),
        ("990521201001", "community"),
        ("990521201201", "community"),
        ("990571400001", "community"),
    ]
    nodes = [{"id": i, "kind": "admin", "level": lv, "name": f"u{i}"} for i, lv in admin]
    nodes += [
        {"id": "HS", "kind": "org", "role": "hub", "credit_code": "51340200MJ0000001X"},
        {"id": "HC", "kind": "org", "role": "hub", "registration": "filed"},
        {"id": "HX", "kind": "org", "role": "hub", "registration": "未知"},
        {"id": "AG", "kind": "org", "role": "agency"},
        {"id": "AC", "kind": "org", "role": "agency"},
        {"id": "M", "kind": "org", "role": "member", "registration": "已备案"},
        {"id": "AW", "kind": "program", "program_type": "demonstration_award"},
    ]
    edges = _contains(admin) + [
        {"source": "HS", "target": "990501001", "kind": "located_in"},
        {"source": "HC", "target": "990521201001", "kind": "located_in"},
        {"source": "HX", "target": "990501", "kind": "located_in"},
        {"source": "HX", "target": "990501101001", "kind": "serves"},
        {"source": "AG", "target": "990501001002", "kind": "located_in"},
        {"source": "AC", "target": "9905", "kind": "located_in"},
        {"source": "AC", "target": "990521201", "kind": "serves"},
        {"source": "M", "target": "990501001002", "kind": "located_in"},
        {"source": "AW", "target": "990501001002", "kind": "awards", "amount": 100000.0},
    ]
    return cg.CivicGraph.from_frames(pd.DataFrame(nodes), pd.DataFrame(edges))


# ----------------------------------------------------------------------------- item 1


def test_types_from_codes(typed):
    ids = ["990501001", "990501101", "990521201", "990571400"]
    kinds = street_kind_codes(typed)[typed.positions(ids)]
    assert [cg.schema.STREET_KINDS[k] for k in kinds] == [
        "street_office",
        "town",
        "township",
        "other",
    ]
    counties = county_kind_codes(typed)[typed.positions(["990501", "990521", "990571"])]
    assert [cg.schema.COUNTY_KINDS[k] for k in counties] == ["city_district", "county", "zone"]
    # no urban column: resident committees from the code (001-199), not "no urban at all"
    comm = [i for i in typed.ids if len(i) == 12]
    urban = dict(zip(comm, typed.urban[typed.positions(comm)]))
    assert [c for c, u in urban.items() if u] == [
        "990501001001",
        "990501001002",
        "990501101001",
        "990521201001",
        "990571400001",
    ]
    # urban units by type: the 街道 and the 市辖区, not the town with a resident committee
    units = urban_units(typed)[typed.positions(ids + ["990501", "990521"])]
    assert units.tolist() == [True, False, False, False, True, False]


def test_registration_status(typed):
    status = registration_codes(typed)[typed.positions(["HS", "HC", "HX", "AG", "M", "9905"])]
    # registered (credit code 5...), filed, unknown (未知 is no status), unknown, filed
    # (已备案, as a registry writes it), not an organization
    assert status.tolist() == [0, 1, -1, -1, 1, -1]


# ----------------------------------------------------------------------------- item 2


@pytest.mark.parametrize(
    ("definition", "districts_only", "communities", "covered"),
    [
        # served: HS's street (001, 002), HX's served community, HC's own
        ("served", False, 5, 4),
        # own: HC located in its community, HX serving exactly 990501101001
        ("own", False, 5, 2),
        ("served", True, 3, 3),
        ("own", True, 3, 1),
    ],
)
def test_both_readings(typed, definition, districts_only, communities, covered):
    total = cg.coverage(
        typed,
        level="all",
        urban_only=True,
        definition=definition,
        districts_only=districts_only,
    ).loc["total"]
    assert (total["communities"], total["covered"]) == (communities, covered)
    t = cg.trend(
        typed, "coverage", years=[2019], definition=definition, districts_only=districts_only
    )
    assert t["coverage"].tolist() == [covered / communities]


def test_readings_in_gaps_placement_and_summary(typed):
    assert list(cg.gaps(typed, urban_only=True).index) == ["990571400001"]
    own = cg.gaps(typed, urban_only=True, definition="own")
    assert set(own.index) == {"990501001001", "990501001002", "990571400001"}
    assert list(cg.gaps(typed, urban_only=True, districts_only=True).index) == []
    # "own": a new hub gives one community a hub of its own
    placed = cg.place_hubs(typed, k=5, urban_only=True, definition="own")
    assert placed["gained"].tolist() == [1, 1, 1]
    assert placed["covered"].tolist() == [3, 4, 5]
    t = {(r.section, r.item): r.value for r in cg.summary(typed).itertuples()}
    assert t[("coverage", "share in a hub's service area")] == 4 / 5
    assert t[("coverage", "share with a hub of their own")] == 2 / 5
    assert t[("coverage", "city districts: urban communities")] == 3
    assert t[("coverage", "city districts: share in a hub's service area")] == 1.0
    assert t[("coverage", "city districts: share with a hub of their own")] == 1 / 3
    assert t[("organizations", "registered organizations")] == 1
    assert t[("organizations", "filed organizations")] == 2  # HC and M
    assert t[("organizations", "registered hubs")] == 1
    with pytest.raises(cg.SchemaError, match="unknown coverage definition 'mine'"):
        cg.coverage(typed, definition="mine")


def test_coverage_by_any_role(typed):
    # AG sits in 990501001002; AC sits at city level (covering nothing by that) and
    # serves the township's two communities
    agency = cg.coverage(typed, level="all", role="agency").loc["total"]
    assert (agency["covered"], agency["hubs"]) == (3, 2)
    own = cg.coverage(typed, level="all", role="agency", definition="own").loc["total"]
    assert own["covered"] == 1
    with pytest.raises(cg.SchemaError, match="unknown org role 'school'"):
        cg.coverage(typed, role="school")


# ----------------------------------------------------------------------------- items 3, 4


def test_one_street_target(typed):
    t = cg.street_target(typed)  # 街道, 镇, 乡: not the zone's unit 400
    assert t["hubs"].to_dict() == {"990501001": 1, "990501101": 0, "990521201": 1}
    assert t.attrs == {"streets": 3, "with_hub": 2, "share": 2 / 3}
    assert t["street_kind"].astype(str).tolist() == ["street_office", "town", "township"]
    assert cg.street_target(typed, street_types=("街道",)).attrs["share"] == 1.0
    assert cg.street_target(typed, street_types=["town", "乡"]).attrs["streets"] == 2
    assert cg.street_target(typed, street_types=None).attrs["streets"] == 4
    reg = cg.street_target(typed, registered_only=True)  # HC is only filed
    assert reg["hubs"].to_dict() == {"990501001": 1, "990501101": 0, "990521201": 0}
    v = cg.check_rules(typed, [r for r in cg.DEFAULT_RULES if r.id == "street_hub"])
    assert v["node"].tolist() == ["990501101"]  # the same streets as the target
    with pytest.raises(cg.SchemaError, match="unknown street type"):
        cg.street_target(typed, street_types=("村",))


# ----------------------------------------------------------------------------- item 9


def test_three_sectors(typed):
    t = cg.three_sectors(typed, urban_only=True)
    assert list(t.index) == [
        "990501001001",
        "990501001002",
        "990501101001",
        "990521201001",
        "990571400001",
    ]
    row = t.loc["990501001002"]
    assert (row["hub_own"], row["hub_served"], row["members"], row["has_agency"]) == (
        False,
        True,
        1,
        True,
    )
    assert row["demonstration"] and row["linked"]
    assert t["linked"].sum() == 1
    assert t["has_agency"].tolist() == [False, True, False, True, False]  # AG; AC serves 990521201
    assert t.attrs == {
        "communities": 5,
        "hub_own": 2,
        "hub_served": 4,
        "community_orgs": 1,
        "has_agency": 2,
        "demonstration": 1,
        "linked": 1,
    }


# ----------------------------------------------------------------------------- items 6, 7, 8


@pytest.fixture
def ranked() -> cg.CivicGraph:
    """Two districts; hub A in district unit 990602 itself, hub B in 990601001001; M (in
    990602) is a member of B, program P funds B. Street 990601002 has one uncovered
    community, 990601003 two; every gap is urban at 4 hops from A and from B."""
    admin = [
        ("9906", "city"),
        ("990601", "district"),
        ("990602", "district"),
        ("990601001", "street"),
        ("990601002", "street"),
        ("990601003", "street"),
        ("990601001001", "community"),
        ("990601002001", "community"),
        ("990601003001", "community"),
        ("990601003002", "community"),
    ]
    nodes = [{"id": i, "kind": "admin", "level": lv, "name": i} for i, lv in admin]
    nodes += [
        {"id": "A", "kind": "org", "role": "hub", "name": "hub A"},
        {"id": "B", "kind": "org", "role": "hub", "name": "hub B"},
        {"id": "M", "kind": "org", "role": "member"},
        {"id": "P", "kind": "program", "program_type": "venture_philanthropy"},
    ]
    edges = _contains(admin) + [
        {"source": "A", "target": "990602", "kind": "located_in"},
        {"source": "B", "target": "990601001001", "kind": "located_in"},
        {"source": "M", "target": "990602", "kind": "located_in"},
        {"source": "M", "target": "B", "kind": "member_of"},
        {"source": "P", "target": "B", "kind": "funds", "amount": 1000.0},
        {"source": "B", "target": "M", "kind": "funds", "amount": 400.0},
        {"source": "A", "target": "M", "kind": "funds", "amount": 300.0},
    ]
    return cg.CivicGraph.from_frames(pd.DataFrame(nodes), pd.DataFrame(edges))


def test_gaps_ties_and_nearest_hub_of_the_same_district(ranked):
    gp = cg.gaps(ranked)
    # equal priorities (2)(1 + 4): the street with two gaps first, then code order
    assert list(gp.index) == ["990601003001", "990601003002", "990601002001"]
    assert gp["street_gaps"].tolist() == [2, 2, 1]
    assert gp["priority"].tolist() == [10.0, 10.0, 10.0]
    # A (990602) and B (990601001001) are both 4 hops away: B is in the same district
    assert set(gp["nearest_hub"]) == {"B"} and set(gp["hops"]) == {4}


def test_own_funds_are_new_money(ranked):
    f = cg.funding_flows(ranked, by="recipient")
    flows = {(r.recipient, r.flow): r.amount for r in f.itertuples()}
    # B received P's money: its payment is passed on; A has no recorded income
    assert flows == {("B", "grant"): 1000.0, ("M", "regrant"): 400.0, ("M", "own_funds"): 300.0}
    assert f.loc[f["new_money"], "amount"].sum() == 1300.0
    t = {(r.section, r.item, r.unit): r.value for r in cg.summary(ranked).itertuples()}
    assert t[("programs", "total", "yuan")] == 1300.0


def test_brokerage_is_bridging(ranked):
    h = cg.hub_centrality(ranked)
    # B (district 990601) ties to M (990602): bridging; to P (a program): vertical
    assert h.loc["B", "brokerage"] == 1 and h.loc["B", "vertical"] == 1
    assert h.loc["A", "brokerage"] == 0  # A and M are both in 990602


# ----------------------------------------------------------------------------- national


@pytest.mark.national
def test_type_classes_on_the_national_files(divisions_path, national):
    """The code classes, counted from the files with plain string slicing, are the types
    read_divisions gives; and the names agree with them as docs/metrics.md says."""

    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(divisions_path / f"{name}.csv.gz", dtype=str, usecols=["code", "name"])

    streets, counties, villages = read("streets"), read("areas"), read("villages")
    s = streets["code"].str[6:9].astype(int)
    classes = {
        "街道": s.between(1, 99),
        "镇": s.between(100, 199),
        "乡": s.between(200, 399),
        "other": (s >= 400) | (s == 0),  # one code ends in 000
    }
    c = counties["code"].str[4:6].astype(int)
    c_class = pd.cut(c, [0, 20, 70, 80, 99], labels=["市辖区", "县", "开发区", "县级市"])
    v = villages["code"].str[9:12].astype(int)

    assert sum(m.sum() for m in classes.values()) == len(streets)
    office = classes["街道"]
    assert office.sum() == 9066
    assert streets["name"][office].str.endswith("街道").sum() == 9001
    # names agree with the classes below 400: every 镇 is 100-199, every 乡 200-399
    town, township = (streets["name"].str.endswith(x) & (s < 400) for x in ("镇", "乡"))
    assert s[town].between(100, 199).all() and town.sum() == 21366
    assert classes["镇"].sum() == 21377
    assert s[township].between(200, 399).all() and township.sum() == 8044
    assert classes["乡"].sum() == 8198
    nodes = national._nodes
    street_kind = nodes.loc[nodes["level"] == "street", "street_kind"].value_counts()
    assert street_kind.to_dict() == {
        "street_office": int(office.sum()),
        "town": int(classes["镇"].sum()),
        "township": int(classes["乡"].sum()),
        "other": int(classes["other"].sum()),
    }
    county_kind = nodes.loc[nodes["level"] == "district", "county_kind"].value_counts()
    assert county_kind.to_dict() == {
        "city_district": int((c_class == "市辖区").sum()),
        "county": int((c_class == "县").sum()),
        "zone": int((c_class == "开发区").sum()),
        "county_city": int((c_class == "县级市").sum()),
    }
    assert counties["name"][c_class == "县级市"].str.endswith("市").mean() > 0.99
    assert counties["name"][c_class == "市辖区"].str.endswith("区").mean() > 0.9
    # communities: 001-199 居委会, 200-399 村委会 (Kinmen's 000 counts as urban)
    assert int(v.between(200, 399).sum()) + int((v >= 400).sum()) == len(v) - 124650
    urban = national.urban[national.tree.communities]
    assert int(urban.sum()) == int((v <= 199).sum()) == 124650
    rural = villages["name"][v >= 200]
    assert rural.str.contains("村").mean() > 0.95
