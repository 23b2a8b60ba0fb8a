import numpy as np
import pandas as pd
import pytest

import civicgraph as cg

COLUMNS = ["step", "unit", "name", "level", "gained", "covered", "coverage"]


def test_toy_greedy(toy):
    p = cg.place_hubs(toy, k=3)
    assert list(p.columns) == COLUMNS
    # uncovered: c121 (S12), c212 and c213 (S21); nothing left after two hubs
    assert p["unit"].tolist() == ["990102001", "990101002"]
    assert p["gained"].tolist() == [2, 1]
    assert p["covered"].tolist() == [5, 6]
    assert p["coverage"].tolist() == pytest.approx([5 / 6, 1.0])
    assert p.attrs["start_coverage"] == 0.5


def test_toy_target_urban_and_as_of(toy):
    assert cg.place_hubs(toy, target=0.8)["unit"].tolist() == ["990102001"]
    assert len(cg.place_hubs(toy, target=0.5)) == 0  # already there
    u = cg.place_hubs(toy, k=5, urban_only=True)
    assert u["unit"].tolist() == ["990102001"] and u["coverage"].tolist() == [1.0]
    # before H2 started, S21's three communities are all uncovered
    old = cg.place_hubs(toy, k=1, as_of="2018-01-01")
    assert old["gained"].tolist() == [3]


def test_cap_and_weights(toy):
    p = cg.place_hubs(toy, k=3, candidates="district", max_communities=1)
    # gains D1 1, D2 1: tie to the smaller id; then D2 twice (one community each)
    assert p["unit"].tolist() == ["990101", "990102", "990102"]
    assert p["gained"].tolist() == [1, 1, 1]
    # explicit nested list with a cap: same choices by the heap's re-evaluation
    q = cg.place_hubs(toy, k=3, candidates=["990102001", "990102"], max_communities=1)
    assert q["unit"].tolist() == ["990102", "990102"]  # then nothing is left under them
    assert q["gained"].tolist() == [1, 1]
    w = pd.Series({"990102001201": 5.0, "990102001002": 1.0, "990101002201": 2.0})
    pw = cg.place_hubs(toy, k=2, candidates="district", max_communities=1, weights=w)
    assert pw["unit"].tolist() == ["990102", "990101"]
    assert pw["gained"].tolist() == [5.0, 2.0]
    assert pw["coverage"].tolist() == pytest.approx([5 / 8, 7 / 8])


def test_weight_column_and_explicit_candidates(two_districts):
    nodes, edges = two_districts.to_frames()
    nodes["population"] = np.where(nodes["id"] == "990201002202", 900.0, 100.0)
    g = cg.CivicGraph.from_frames(nodes, edges)
    p = cg.place_hubs(g, k=1, weights="population")
    assert p["unit"].tolist() == ["990201002"]  # a22 alone outweighs b11 + b12
    assert p["gained"].tolist() == [900.0]
    # nested explicit candidates: the district B holds both of B1's gaps
    q = cg.place_hubs(g, k=2, candidates=["990202", "990202001", "990201002202"])
    assert q["unit"].tolist() == ["990202", "990201002202"]
    assert q["gained"].tolist() == [2, 1]


def test_with_hubs_reproduces_the_table(two_districts):
    g = two_districts
    p = cg.place_hubs(g, k=2)
    assert p["unit"].tolist() == ["990202001", "990201002"]
    after = cg.coverage(g.with_hubs(p["unit"]), level="city")
    assert after.at["total", "covered"] == p["covered"].iloc[-1] == 8


def test_errors(toy):
    with pytest.raises(cg.CivicGraphError, match="give k"):
        cg.place_hubs(toy)
    with pytest.raises(cg.CivicGraphError, match="between 0 and 1"):
        cg.place_hubs(toy, target=24)
    with pytest.raises(cg.SchemaError, match="must be admin units"):
        cg.place_hubs(toy, k=1, candidates=["H1"])
    with pytest.raises(cg.SchemaError, match="no node column 'population'"):
        cg.place_hubs(toy, k=1, weights="population")
    with pytest.raises(cg.CivicGraphError, match="must not be negative"):
        cg.place_hubs(toy, k=1, weights=pd.Series({"990101002201": -1.0}))


def _reference_greedy(ref, candidates, k, urban_only):
    """Plain greedy on networkx descendants: max new communities, ties to smaller id."""
    covered = set(ref.covered)
    chosen = []
    for _ in range(k):
        best = min(candidates, key=lambda u: (-len(ref.communities(u, urban_only) - covered), u))
        gain = len(ref.communities(best, urban_only) - covered)
        if gain == 0:
            break
        covered |= ref.communities(best)
        chosen.append((best, gain))
    return chosen


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("level", ["street", "district"])
def test_agrees_with_networkx(random_graph, nx_reference, seed, level):
    g = random_graph(seed)
    as_of = "2019-06-01" if seed % 2 else None
    urban_only = seed % 3 == 0
    ref = nx_reference(g, as_of=as_of)
    p = cg.place_hubs(g, k=6, candidates=level, urban_only=urban_only, as_of=as_of)
    expected = _reference_greedy(ref, ref.units(level), 6, urban_only)
    assert list(zip(p["unit"], p["gained"])) == expected
    # the scenario graph has exactly the coverage the table promises
    if len(p):
        g2 = g.with_hubs(p["unit"])
        cov = cg.coverage(g2, level="city", urban_only=urban_only, as_of=as_of)
        assert cov.at["total", "covered"] == p["covered"].iloc[-1]
        assert (np.diff(p["covered"]) > 0).all()


@pytest.mark.parametrize("seed", range(3))
def test_nested_candidates_agree_with_networkx(random_graph, nx_reference, seed):
    g = random_graph(seed)
    ref = nx_reference(g)
    rng = np.random.default_rng(seed)
    cands = sorted(rng.choice(sorted(ref.level), size=25, replace=False).tolist())
    p = cg.place_hubs(g, k=5, candidates=cands)
    assert list(zip(p["unit"], p["gained"])) == _reference_greedy(ref, cands, 5, False)
