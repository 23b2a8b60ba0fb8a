"""Properties of the graph on random valid registries (hypothesis draws the seeds)."""

import networkx as nx
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import civicgraph as cg
from tests._random_graphs import random_registry

seeds = st.integers(min_value=0, max_value=2**32 - 1)
dates = st.dates(
    min_value=pd.Timestamp("2013-06-01").date(), max_value=pd.Timestamp("2022-01-01").date()
)
SETTINGS = settings(max_examples=25, deadline=None)


@SETTINGS
@given(seeds)
def test_frames_round_trip(seed):
    g = random_registry(seed)
    nodes, edges = g.to_frames()
    assert cg.CivicGraph.from_frames(nodes, edges) == g


@SETTINGS
@given(seeds)
def test_networkx_round_trip(seed):
    g = random_registry(seed)
    back = cg.CivicGraph.from_networkx(g.to_networkx())
    key = ["source", "target", "kind"]
    a = back.edges.sort_values(key).reset_index(drop=True)
    b = g.edges.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_like=True)
    pd.testing.assert_frame_equal(back.nodes.sort_index(), g.nodes.sort_index(), check_like=True)


@SETTINGS
@given(seeds)
def test_tree_ranges_match_networkx_descendants(seed):
    g = random_registry(seed)
    G = nx.DiGraph(g.to_networkx(edge_kinds=["contains"]))
    t = g.tree
    comm = set(g.ids[g.mask(level="community")])
    for p in np.flatnonzero(g.mask(kind="admin")):
        ids = set(g.ids[t.communities[t.comm_lo[p] : t.comm_hi[p]]])
        expect = ({g.ids[p]} | nx.descendants(G, g.ids[p])) & comm
        assert ids == expect


@SETTINGS
@given(seeds, st.randoms(use_true_random=False))
def test_row_order_does_not_change_the_graph(seed, rnd):
    g = random_registry(seed)
    nodes, edges = g.to_frames()
    n_order = list(range(len(nodes)))
    e_order = list(range(len(edges)))
    rnd.shuffle(n_order)
    rnd.shuffle(e_order)
    h = cg.CivicGraph.from_frames(nodes.iloc[n_order], edges.iloc[e_order])
    assert h.counts() == g.counts()

    # same parent of every admin unit, by id
    def parents(x):
        t = x.tree
        return {
            x.ids[i]: (x.ids[t.parent[i]] if t.parent[i] >= 0 else None)
            for i in np.flatnonzero(t.level >= 0)
        }

    assert parents(h) == parents(g)


@SETTINGS
@given(seeds, dates)
def test_as_of_slices_are_consistent(seed, day):
    g = random_registry(seed)
    when = pd.Timestamp(day)
    s = g.as_of(when)
    nodes = g.nodes
    alive = nodes[(nodes["kind"] == "admin") | (~(nodes["start"] > when) & ~(nodes["end"] <= when))]
    assert set(s.ids) == set(alive.index)
    assert s.as_of(when) == s  # slicing twice changes nothing
    e = s.edges
    assert (~(e["start"] > when) & ~(e["end"] <= when)).all()
    assert set(e["source"]) | set(e["target"]) <= set(s.ids)
