"""Graph formats: GraphML, GEXF, node-link JSON and parquet."""

from __future__ import annotations

import json

import networkx as nx
import pandas as pd
import pytest

import civicgraph as cg


@pytest.fixture
def small() -> cg.CivicGraph:
    """A city, a district, a hub with Chinese text, a program funding it, extras of
    several dtypes (boolean, float, text, datetime)."""
    nodes = pd.DataFrame(
        {
            "id": ["3402", "340202", "h1", "p1"],
            "kind": ["admin", "admin", "org", "program"],
            "name": ["芜湖市", "镜湖区", "滨江社区联合会", "公益创投"],
            "level": ["city", "district", None, None],
            "urban": [None, None, None, None],
            "role": [None, None, "hub", None],
            "start": [None, None, "2018-06-01", "2019-01-01"],
            "synthetic": pd.array([None, None, True, False], dtype="boolean"),
            "members": [None, None, 12.0, None],
            "year": pd.array([None, None, None, 2019], dtype="Int64"),
        }
    )
    edges = pd.DataFrame(
        {
            "source": ["3402", "h1", "p1"],
            "target": ["340202", "340202", "h1"],
            "kind": ["contains", "located_in", "funds"],
            "amount": [None, None, 12000.0],
            "start": [None, None, "2019-08-31"],
            "project": [None, None, "邻里互助"],
        }
    )
    return cg.CivicGraph.from_frames(nodes, edges)


def test_graphml(tmp_path, small):
    path = cg.write_graphml(small, tmp_path / "g.graphml")
    G = nx.read_graphml(path, force_multigraph=True)
    assert sorted(G.nodes) == ["3402", "340202", "h1", "p1"]
    assert G.nodes["h1"] == {
        "kind": "org",
        "name": "滨江社区联合会",
        "role": "hub",
        "start": "2018-06-01",
        "synthetic": True,
        "members": 12.0,
    }
    assert G.nodes["3402"] == {"kind": "admin", "name": "芜湖市", "level": "city"}
    (attrs,) = G.get_edge_data("p1", "h1").values()
    assert attrs == {
        "kind": "funds",
        "amount": 12000.0,
        "start": "2019-08-31",
        "project": "邻里互助",
    }
    assert G.number_of_edges() == 3


def test_gexf(tmp_path, small):
    path = cg.write_gexf(small, tmp_path / "g.gexf")
    G = nx.read_gexf(path)
    assert G.number_of_nodes() == 4 and G.number_of_edges() == 3
    assert G.nodes["p1"]["year"] == 2019
    assert G.nodes["h1"]["start"] == "2018-06-01"
    assert "nan" not in path.read_text(encoding="utf-8").lower()


def test_node_link(tmp_path, small):
    path = tmp_path / "g.json"
    data = cg.write_node_link(small, path)
    text = path.read_text(encoding="utf-8")
    assert "滨江社区联合会" in text  # not \\u-escaped
    assert json.loads(text) == data
    assert {n["id"]: n.get("start") for n in data["nodes"]} == {
        "3402": None,
        "340202": None,
        "h1": "2018-06-01",
        "p1": "2019-01-01",
    }
    assert [(e["source"], e["target"], e["kind"]) for e in data["edges"]] == [
        ("3402", "340202", "contains"),
        ("h1", "340202", "located_in"),
        ("p1", "h1", "funds"),
    ]
    G = nx.node_link_graph(data, edges="edges")
    assert cg.CivicGraph.from_networkx(G).n_edges == 3


def test_parquet_round_trip(tmp_path, small):
    folder = cg.write_parquet(small, tmp_path / "pq")
    assert sorted(p.name for p in folder.iterdir()) == ["edges.parquet", "nodes.parquet"]
    back = cg.read_parquet(folder)
    pd.testing.assert_frame_equal(back._nodes, small._nodes)
    pd.testing.assert_frame_equal(back._edges, small._edges)
    assert back == small


def test_parquet_round_trip_registry(tmp_path):
    admin = cg.read_divisions(cg.datasets.wuhu_divisions_path(), within="340202")
    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "组织.csv").write_text(
        "编号,组织名称,组织类型,所在社区,电话\nh1,方塘社区联合会,联合会,方塘社区,0553\n",
        encoding="utf-8",
    )
    g = cg.read_registry(folder, divisions=admin)
    back = cg.read_parquet(cg.write_parquet(g, tmp_path / "pq"))
    assert back == g


def test_read_parquet_missing(tmp_path):
    with pytest.raises(cg.DataNotFoundError, match="lacks nodes.parquet, edges.parquet"):
        cg.read_parquet(tmp_path)
