from math import log

import networkx as nx
import numpy as np
import pytest

import civicgraph as cg

COLUMNS = [
    "name",
    "level",
    "district",
    "street",
    "urban",
    "nearest_hub",
    "nearest_hub_name",
    "hops",
    "members",
    "funding",
    "street_gaps",
    "priority",
]


def _hub_rows(df):
    return [(i, df.at[i, "nearest_hub"], int(df.at[i, "hops"])) for i in df.index]


def test_toy_community_gaps(toy):
    gp = cg.gaps(toy)
    assert list(gp.columns) == COLUMNS
    # c212: (1+1)(1)(1+2) = 6; c121: (1)(1)(1+3) = 4; c213: (1)(1)(1+2) = 3
    assert _hub_rows(gp) == [
        ("990102001002", "H2", 2),
        ("990101002201", "H1", 3),
        ("990102001201", "H2", 2),
    ]
    assert gp["priority"].tolist() == [6.0, 4.0, 3.0]
    assert gp.at["990101002201", "district"] == "990101"
    assert gp.at["990101002201", "street"] == "990101002"
    assert gp.at["990102001002", "nearest_hub_name"] == "hub two"
    assert gp["members"].tolist() == [0, 0, 0]


def test_toy_as_of_and_urban(toy):
    gp = cg.gaps(toy, as_of="2018-01-01")  # H2 not yet started: H1 is nearest to all
    assert dict(zip(gp.index, gp["hops"])) == {
        "990101002201": 3,
        "990102001001": 5,
        "990102001002": 5,
        "990102001201": 5,
    }
    assert set(gp["nearest_hub"]) == {"H1"}
    assert list(cg.gaps(toy, urban_only=True).index) == ["990102001002"]


def test_toy_street_gaps(toy):
    gp = cg.gaps(toy, level="street")
    assert _hub_rows(gp) == [("990101002", "H1", 2)]
    assert gp.at["990101002", "street"] == "990101002"
    # urban for a street means a street office (街道, code 001-099), as 990101002 is,
    # though its one community is a village: (1 + 1)(1)(1 + 2)
    assert gp.at["990101002", "urban"]
    assert gp.at["990101002", "priority"] == 6.0


def test_two_districts(two_districts):
    gp = cg.gaps(two_districts)
    assert _hub_rows(gp) == [
        ("990202001001", "HB", 3),
        ("990201002202", "HC", 2),
        ("990202001201", "HB", 3),
    ]
    assert gp["members"].tolist() == [2, 1, 0]
    # award 100,000 + P1 grant 20,000; the community's 60,000 to MB2 is a flow
    assert gp["funding"].tolist() == [120000.0, 8000.0, 0.0]
    assert gp["priority"].tolist() == pytest.approx(
        [
            2 * (1 + log(3) + log(13)) * 4,
            (1 + log(2) + log(1.8)) * 3,
            4.0,
        ]
    )
    st = cg.gaps(two_districts, level="street")
    assert _hub_rows(st) == [("990202001", "HB", 2)]
    assert st.at["990202001", "members"] == 2 and st.at["990202001", "funding"] == 120000.0
    assert st.at["990202001", "urban"]


def test_no_hub_anywhere(toy):
    nodes, edges = toy.to_frames()
    g = cg.CivicGraph.from_frames(nodes, edges[edges["kind"] != "located_in"])
    gp = cg.gaps(g)
    assert len(gp) == 6
    assert (gp["hops"] == -1).all() and (gp["nearest_hub"] == "").all()
    # h = 2 * height + 1 = 7 for a city-rooted tree of height 3
    assert gp.at["990101002201", "priority"] == 8.0


def test_bad_level(toy):
    with pytest.raises(cg.SchemaError, match="'community' or 'street'"):
        cg.gaps(toy, level="district")


def _reference_gaps(g, ref, urban_only):
    """Uncovered communities with nearest hub (hops, id), members and funding, on networkx."""
    und = ref.tree.to_undirected()
    money = _funding(g, ref)
    out = {}
    for c in sorted(ref.comms):
        if c in ref.covered or (urban_only and not ref.urban[c]):
            continue
        dist = nx.single_source_shortest_path_length(und, c)
        cands = sorted((dist[ref.loc[h]], h) for h in ref.hubs if ref.loc[h] in dist)
        hops, hub = cands[0] if cands else (-1, "")
        out[c] = (hub, hops, ref.located_under(c, "member"), money.get(c, 0.0))
    return out


def _funding(g, ref):
    """New money (out of a program or a government org) landing in each admin unit."""
    kinds = g.nodes["kind"].astype(str).to_dict()
    money = {}
    for r in ref.edges.itertuples():
        if r.kind not in ("funds", "awards") or not ref.active(r.start, r.end):
            continue
        if not (kinds[r.source] == "program" or ref.role[r.source] == "government"):
            continue
        unit = r.target if r.target in ref.level else ref.loc.get(r.target)
        money[unit] = money.get(unit, 0.0) + r.amount
    return money


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("as_of", [None, "2018-06-01"])
def test_agrees_with_networkx(random_graph, nx_reference, seed, as_of):
    g = random_graph(seed)
    ref = nx_reference(g, as_of=as_of)
    urban_only = seed % 2 == 1
    gp = cg.gaps(g, as_of=as_of, urban_only=urban_only)
    got = {
        i: (r.nearest_hub, r.hops, r.members, r.funding) for i, r in zip(gp.index, gp.itertuples())
    }
    assert got == _reference_gaps(g, ref, urban_only)
    p = gp["priority"].to_numpy()
    assert (np.diff(p) <= 0).all()


@pytest.mark.parametrize("seed", range(4))
def test_street_gaps_agree_with_networkx(random_graph, nx_reference, seed):
    g = random_graph(seed)
    ref = nx_reference(g)
    gp = cg.gaps(g, level="street")
    expected = {
        s
        for s in ref.units("street")
        if ref.communities(s) and not ref.communities(s) & ref.covered and ref.own_hubs(s) == 0
    }
    assert set(gp.index) == expected


@pytest.mark.parametrize("as_of", [None, "2018-06-01"])
def test_members_counted_alike_with_one_or_several_locations(monkeypatch, as_of):
    """Where every member has one location (wuhu), counting its active ties directly
    gives what the general first-active-location path gives."""
    from civicgraph.metrics import gaps

    g = cg.datasets.wuhu()
    assert gaps._member_locations(g) is not None
    fast = cg.gaps(g, as_of=as_of)
    assert fast["members"].sum() > 0
    monkeypatch.setattr(gaps, "_member_locations", lambda g: None)
    general = cg.gaps(cg.datasets.wuhu(), as_of=as_of)
    assert fast.equals(general)
