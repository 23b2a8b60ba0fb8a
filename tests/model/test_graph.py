import networkx as nx
import numpy as np
import pandas as pd
import pytest

import civicgraph as cg


def test_repr_and_counts(toy):
    assert repr(toy).startswith("<CivicGraph: 18 nodes (admin 12: city 1, district 2, street 3")
    c = toy.counts()
    assert c["org"] == {"total": 5, "center": 1, "hub": 2, "member": 2}
    assert c["edges"]["contains"] == 11
    assert "<table>" in toy._repr_html_()


def test_frames_round_trip(toy):
    nodes, edges = toy.to_frames()
    again = cg.CivicGraph.from_frames(nodes, edges)
    assert again == toy
    pd.testing.assert_frame_equal(again.to_frames()[0], nodes)
    pd.testing.assert_frame_equal(again.to_frames()[1], edges)


def test_networkx_round_trip(toy):
    G = toy.to_networkx()
    assert isinstance(G, nx.MultiDiGraph)
    assert G.number_of_nodes() == 18 and G.number_of_edges() == 18
    assert G.nodes["H1"] == {
        "kind": "org",
        "name": "hub one",
        "role": "hub",
        "start": pd.Timestamp("2016-01-01"),
    }
    (attrs,) = [d for _, _, d in G.edges("P", data=True)]
    assert attrs["amount"] == 10000.0 and attrs["kind"] == "funds"
    back = cg.CivicGraph.from_networkx(G)
    assert set(back.ids) == set(toy.ids)
    a = back.edges.sort_values(["source", "target"]).reset_index(drop=True)
    b = toy.edges.sort_values(["source", "target"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(back.nodes.sort_index(), toy.nodes.sort_index())


def test_to_networkx_edge_kinds(toy):
    G = toy.to_networkx(edge_kinds=["member_of"])
    assert sorted(G.edges()) == [("M1", "H1"), ("M2", "H2")]
    with pytest.raises(cg.SchemaError, match="unknown edge kind 'knows'"):
        toy.to_networkx(edge_kinds=["knows"])


def test_adjacency(toy):
    a = toy.adjacency("funds", weight="amount")
    p, h = toy.positions(["P", "H1"])
    assert a[p, h] == 10000.0 and a.nnz == 1
    m = toy.adjacency(["member_of", "incubates"])
    assert m.nnz == 3
    assert toy.adjacency("member_of") is toy.adjacency("member_of")  # cached


def test_tree(toy):
    t = toy.tree
    ids = toy.ids
    assert [ids[i] for i in t.order][:4] == ["9901", "990101", "990101001", "990101001001"]
    d1 = toy.positions(["990101"])[0]
    assert t.comm_hi[d1] - t.comm_lo[d1] == 3
    street = t.ancestor_at(3)
    c = toy.positions(["990102001201"])[0]
    assert ids[street[c]] == "990102001"
    assert street[toy.positions(["9901"])[0]] == -1


def test_as_of(toy):
    g = toy.as_of("2018-06-01")
    assert "H2" not in set(g.ids)  # hub two starts in 2019
    assert g.counts()["edges"]["funds"] == 1
    g2 = toy.as_of("2016-02-01")
    assert "incubates" not in g2.counts()["edges"]  # the tie starts in March
    assert "funds" not in g2.counts()["edges"]
    assert toy.as_of("2020-01-01").n_nodes == toy.n_nodes


def test_within(toy):
    g = toy.within("990102")
    assert set(g.ids) == {
        "990102",
        "990102001",
        "990102001001",
        "990102001002",
        "990102001201",
        "H2",
        "M2",
    }
    with pytest.raises(cg.SchemaError, match="not an admin unit"):
        toy.within("H1")


def test_with_hubs(toy):
    g = toy.with_hubs(["990101002", "990101002"])
    assert g.counts()["org"]["hub"] == 4
    new = g.nodes[g.nodes["scenario"]]
    assert list(new.index) == ["new-hub-990101002", "new-hub-990101002-2"]
    assert toy.counts()["org"]["hub"] == 2  # the original is unchanged
    with pytest.raises(cg.SchemaError, match="only be placed in admin units"):
        toy.with_hubs(["H1"])


def _bad(nodes_extra=(), edges_extra=()):
    nodes = pd.DataFrame(
        [
            {"id": "a", "kind": "admin", "level": "city"},
            {"id": "b", "kind": "admin", "level": "district"},
            {"id": "o", "kind": "org", "role": "hub"},
            {"id": "q", "kind": "org", "role": "member"},
            *nodes_extra,
        ]
    )
    edges = pd.DataFrame([{"source": "a", "target": "b", "kind": "contains"}, *edges_extra])
    return nodes, edges


@pytest.mark.parametrize(
    ("nodes_extra", "edges_extra", "match"),
    [
        ([{"id": "a", "kind": "admin", "level": "city"}], [], "duplicate node id"),
        ([{"id": "x", "kind": "person"}], [], "unknown node kind"),
        ([{"id": "x", "kind": "org", "role": "boss"}], [], "organization without a known role"),
        ([{"id": "x", "kind": "admin"}], [], "admin unit without a known level"),
        ([], [{"source": "o", "target": "zz", "kind": "located_in"}], "target is not a known"),
        ([], [{"source": "o", "target": "b", "kind": "likes"}], "unknown edge kind"),
        ([], [{"source": "b", "target": "o", "kind": "located_in"}], "must start at a org"),
        ([], [{"source": "b", "target": "a", "kind": "contains"}], "same or a higher level"),
        (
            [],
            [
                {"source": "o", "target": "q", "kind": "incubates"},
                {"source": "q", "target": "o", "kind": "incubates"},
            ],
            "'incubates' ties form a cycle",
        ),
        ([], [{"source": "o", "target": "o", "kind": "incubates"}], "a self-loop"),
        ([], [{"source": "o", "target": "q", "kind": "funds", "amount": -5}], "negative amount"),
        (
            [],
            [
                {
                    "source": "o",
                    "target": "b",
                    "kind": "located_in",
                    "start": "2019-01-01",
                    "end": "2018-01-01",
                }
            ],
            "end date before start",
        ),
        (
            [{"id": "c", "kind": "admin", "level": "district"}],
            [
                {"source": "a", "target": "c", "kind": "contains"},
                {"source": "b", "target": "c", "kind": "contains"},
            ],
            "more than one parent",
        ),
    ],
)
def test_validation_errors(nodes_extra, edges_extra, match):
    nodes, edges = _bad(nodes_extra, edges_extra)
    with pytest.raises(cg.ValidationError, match=match):
        cg.CivicGraph.from_frames(nodes, edges)


def test_all_problems_at_once():
    nodes, edges = _bad(
        [{"id": "a", "kind": "admin", "level": "city"}, {"id": "x", "kind": "person"}],
        [{"source": "o", "target": "zz", "kind": "located_in"}],
    )
    with pytest.raises(cg.ValidationError) as e:
        cg.CivicGraph.from_frames(nodes, edges)
    assert sorted(p.code for p in e.value.problems) == [
        "duplicate_id",
        "missing_node",
        "unknown_kind",
    ]
    frame = e.value.to_frame()
    assert list(frame.columns)[:4] == ["file", "sheet", "row", "column"]


def test_missing_column():
    with pytest.raises(cg.SchemaError, match="no column 'kind'"):
        cg.CivicGraph.from_frames(pd.DataFrame({"id": ["a"]}))


def test_immutability_of_tables(toy):
    nodes = toy.nodes
    nodes.loc["H1", "name"] = "changed"
    assert toy.nodes.loc["H1", "name"] == "hub one"
    assert np.array_equal(toy.positions(["H1", "9901"]), [12, 0])


def test_edge_positions_lookup_first_unknown_missing():
    # repeated id "a" -> its first position; unknown and missing endpoints -> -1, also when
    # a node has a missing id; an object column of non-strings is read as text
    nodes = pd.DataFrame(
        {"id": ["a", "b", "a", None, "7"], "kind": ["admin"] * 5, "level": ["city"] * 5}
    )
    edges = pd.DataFrame(
        {
            "source": ["a", "b", "zz", None, "7"],
            "target": ["b", "a", "a", "b", "a"],
            "kind": ["contains"] * 5,
        }
    )
    g = cg.CivicGraph.from_frames(nodes, edges, validate=False)
    u, v = g.edge_positions
    assert u.tolist() == [0, 1, -1, -1, 4] and v.tolist() == [1, 0, 0, 1, 0]
    assert u.dtype == np.int64
    assert g._lookup(np.array([7, "b", None], dtype=object)).tolist() == [4, 1, -1]
    with pytest.raises(cg.ValidationError) as e:
        cg.CivicGraph.from_frames(nodes, edges)
    dup = [p for p in e.value.problems if p.code == "duplicate_id"]
    assert [p.row for p in dup] == [2]
    assert sorted(p.code for p in e.value.problems if p.code == "missing_node") == [
        "missing_node",
        "missing_node",
    ]
