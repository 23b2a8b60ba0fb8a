import numpy as np
import pytest

import civicgraph as cg

S11, S12, S21 = "990101001", "990101002", "990102001"


def _rows(df, cols=("communities", "covered", "hubs")):
    return {i: tuple(int(df.at[i, c]) for c in cols) for i in df.index}


def test_toy_streets(toy):
    cov = cg.coverage(toy)
    assert list(cov.index) == [S11, S12, S21, "total"]
    assert list(cov.columns) == [
        "name",
        "level",
        "parent",
        "communities",
        "covered",
        "share",
        "hubs",
    ]
    assert _rows(cov) == {S11: (2, 2, 1), S12: (1, 0, 0), S21: (3, 1, 1), "total": (6, 3, 2)}
    assert cov["share"].tolist() == pytest.approx([1.0, 0.0, 1 / 3, 0.5])
    assert cov["parent"].tolist() == ["990101", "990101", "990102", ""]
    assert cov.index.name == "id"


def test_toy_districts_urban_and_as_of(toy):
    d = cg.coverage(toy, level="district")
    assert _rows(d) == {"990101": (3, 2, 1), "990102": (3, 1, 1), "total": (6, 3, 2)}
    u = cg.coverage(toy, urban_only=True)
    assert _rows(u) == {S11: (2, 2, 1), S12: (0, 0, 0), S21: (2, 1, 1), "total": (4, 3, 2)}
    assert u.at[S12, "share"] == 0.0  # no urban community: 0.0, not NaN
    assert u.at["total", "share"] == 0.75
    old = cg.coverage(toy, as_of="2018-01-01")  # H2 starts in 2019
    assert _rows(old) == {S11: (2, 2, 1), S12: (1, 0, 0), S21: (3, 0, 0), "total": (6, 2, 1)}


def test_toy_all_levels(toy):
    a = cg.coverage(toy, level="all")
    assert list(a.index[:4]) == ["9901", "990101", S11, "990101001001"]
    assert len(a) == 12 + 1
    assert _rows(a)["9901"] == (6, 3, 2)
    assert _rows(a)["990102001001"] == (1, 1, 1)
    assert _rows(a)["990102001002"] == (1, 0, 0)
    assert a.at["990102001001", "level"] == "community"
    assert a.at["9901", "parent"] == ""


def test_two_districts(two_districts):
    g = two_districts
    cov = cg.coverage(g)
    assert _rows(cov) == {
        "990201001": (3, 3, 1),
        "990201002": (2, 1, 1),
        "990202001": (2, 0, 0),
        "990202002": (1, 1, 1),
        "total": (8, 5, 3),
    }
    # HC has not started, HB is active
    assert _rows(cg.coverage(g, level="district", as_of="2019-01-01")) == {
        "990201": (5, 3, 1),
        "990202": (3, 1, 1),
        "total": (8, 4, 2),
    }
    # HB has ended, HC is active
    assert _rows(cg.coverage(g, level="city", as_of="2022-01-01")) == {
        "9902": (8, 4, 2),
        "total": (8, 4, 2),
    }


def test_street_target(toy, two_districts):
    t = cg.street_target(toy)
    assert t["hubs"].to_dict() == {S11: 1, S12: 0, S21: 1}
    assert t["has_hub"].tolist() == [True, False, True]
    assert t.attrs == {"streets": 3, "with_hub": 2, "share": 2 / 3}
    # urban_only: street offices (街道, codes 001-099), and S11, S12, S21 all are
    assert cg.street_target(toy, urban_only=True).attrs["share"] == 2 / 3
    assert cg.street_target(toy, as_of="2018-01-01").attrs["with_hub"] == 1
    t2 = cg.street_target(two_districts)
    # HA sits in a community of A1, HB in street B2 itself, HC in a community of A2
    assert t2["hubs"].to_dict() == {"990201001": 1, "990201002": 1, "990202001": 0, "990202002": 1}
    assert t2.at["990202001", "urban_communities"] == 1


def test_unknown_level(toy):
    with pytest.raises(cg.SchemaError, match="unknown admin level 'county'"):
        cg.coverage(toy, level="county")


def test_never_mutates(toy):
    before = toy.to_frames()
    cg.coverage(toy, level="all")
    cg.street_target(toy)
    after = toy.to_frames()
    assert before[0].equals(after[0]) and before[1].equals(after[1])


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("as_of", [None, "2019-06-01"])
@pytest.mark.parametrize("urban_only", [False, True])
def test_agrees_with_networkx(random_graph, nx_reference, seed, as_of, urban_only):
    g = random_graph(seed)
    ref = nx_reference(g, as_of=as_of)
    cov = cg.coverage(g, level="all", urban_only=urban_only, as_of=as_of)
    for u in ref.level:
        comms = ref.communities(u, urban_only)
        assert cov.at[u, "communities"] == len(comms), u
        assert cov.at[u, "covered"] == len(comms & ref.covered), u
        assert cov.at[u, "hubs"] == ref.located_under(u, "hub"), u
    total = {c for c in ref.comms if ref.urban[c] or not urban_only}
    assert cov.at["total", "covered"] == len(total & ref.covered)
    assert cov.at["total", "hubs"] == len(ref.hubs)
    t = cg.street_target(g, as_of=as_of)
    assert t["hubs"].to_dict() == {s: ref.own_hubs(s) for s in ref.units("street")}


@pytest.mark.parametrize("seed", range(3))
def test_adding_hubs_never_lowers_coverage(random_graph, seed):
    g = random_graph(seed)
    rng = np.random.default_rng(seed)
    before = cg.coverage(g, level="all")
    admin = before.index[:-1].to_numpy()
    g2 = g.with_hubs(rng.choice(admin, size=5))
    after = cg.coverage(g2, level="all")
    assert (after["covered"] >= before["covered"]).all()
    assert (after["hubs"] >= before["hubs"]).all()
    assert after.at["total", "hubs"] == before.at["total", "hubs"] + 5
