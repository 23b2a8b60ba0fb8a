"""cg.viz.network: drawn nodes and edges, collapsing, tooltips, escaping, layouts, errors."""

from __future__ import annotations

import importlib
import re

import numpy as np
import pandas as pd
import pytest

import civicgraph as cg
from civicgraph.viz._html import vis_js
from tests._pages import HOSTILE

netmod = importlib.import_module("civicgraph.viz.network")

D1, D2, S11, S12, S21 = "990101", "990102", "990101001", "990101002", "990102001"


def by_id(net):
    return {n["id"]: n for n in net.nodes}


def edge_set(net):
    return sorted((e["from"], e["to"]) for e in net.edges)


def test_uncollapsed_draws_every_node_and_edge(toy):
    net = cg.viz.network(toy, collapse=None, lang="en")
    assert sorted(by_id(net)) == sorted(toy.ids)
    assert len(net.edges) == toy.n_edges == 18
    assert net.options["physics"]["enabled"] is True  # small: physics, frozen once stable


def test_tooltips_hand_worked(toy):
    nodes = by_id(cg.viz.network(toy, collapse=None, lang="en"))
    assert nodes["H1"]["title"] == (
        "<b>hub one</b><br>hub<br>Division: unit 990101 / unit 990101001<br>Members: 1"
        "<br>Incubated: 0<br>Funding received (yuan): 10,000"
    )
    assert nodes[D1]["title"] == (
        "<b>unit 990101</b><br>district<br>Communities: 3<br>Covered by a hub: 2"
        "<br>Hubs: 1<br>Organizations: 2"
    )
    assert nodes["H2"]["title"].startswith(
        "<b>hub two</b><br>hub<br>Division: unit 990102 / unit 990102001 / unit 990102001001<br>"
    )
    assert nodes[D2]["title"].endswith(
        "Communities: 3<br>Covered by a hub: 1<br>Hubs: 1<br>Organizations: 2"
    )
    zh = by_id(cg.viz.network(toy, collapse=None, lang="zh"))
    assert zh["H1"]["title"].startswith("<b>hub one</b><br>枢纽型组织<br>所在区划: unit 990101")


def test_collapse_street_merges_units_and_orgs(toy):
    net = cg.viz.network(toy, collapse="street", lang="en")
    nodes = by_id(net)
    assert sorted(nodes) == sorted(["9901", D1, D2, S11, S12, S21, "K", "P"])
    assert {i for i, n in nodes.items() if n["shape"] == "diamond"} == {S11, S12, S21}
    assert edge_set(net) == sorted(
        [("9901", D1), ("9901", D2), (D1, S11), (D1, S12), (D2, S21), ("K", "9901"),
         ("K", S11), ("P", S11)]
    )  # fmt: skip
    assert nodes[S11]["label"] == "unit 990101001 (2)"
    assert nodes[S11]["title"] == (
        "<b>unit 990101001</b><br>street (merged)<br>Division: unit 990101<br>Communities: 2"
        "<br>Covered by a hub: 2<br>Hubs: 1<br>Organizations: 2<br>Units merged: 3"
        "<br>Members: 1<br>Incubated: 0<br>Funding received (yuan): 10,000"
    )
    assert all("x" in n and "y" in n for n in net.nodes)  # layout computed once
    assert net.options["physics"] == {"enabled": False}


def test_collapse_auto_follows_the_threshold(toy):
    assert len(cg.viz.network(toy, max_nodes=18).nodes) == 18
    assert len(cg.viz.network(toy, max_nodes=10).nodes) == 8  # streets
    net = cg.viz.network(toy, max_nodes=5)  # districts
    assert sorted(by_id(net)) == sorted(["9901", D1, D2, "K", "P"])
    assert edge_set(net) == sorted(
        [("9901", D1), ("9901", D2), ("K", "9901"), ("K", D1), ("P", D1)]
    )


def test_city_registry_collapses_to_streets(city):
    net = cg.viz.network(city)
    nodes = city.nodes
    above = int(nodes["level"].isin(["province", "city", "district"]).sum())
    streets = int((nodes["level"] == "street").sum())
    kept = int((nodes["role"] == "center").sum() + (nodes["kind"] == "program").sum())
    e = city.edges
    tied = set(e.loc[e["kind"].isin(["located_in", "serves", "member_of"]), "source"])
    unplaced = int(((nodes["kind"] == "org") & (nodes["role"] != "center")
                    & ~nodes.index.isin(tied)).sum())  # fmt: skip
    assert unplaced > 1
    assert len(net.nodes) == above + streets + kept + 1  # + one node for the unplaced
    diamonds = [n for n in net.nodes if n["shape"] == "diamond"]
    assert len(diamonds) == streets + 1
    counts = [int(re.search(r"\((\d+)\)$", n["label"]).group(1)) for n in diamonds]
    assert sum(counts) == int((nodes["kind"] == "org").sum()) - int(
        (nodes["role"] == "center").sum()
    )


def test_hostile_names_are_escaped(toy):
    nodes, edges = toy.to_frames()
    nodes = nodes.reset_index() if "id" not in nodes.columns else nodes
    nodes.loc[nodes["id"] == "H1", "name"] = HOSTILE
    g = cg.CivicGraph.from_frames(nodes, edges)
    net = cg.viz.network(g, collapse=None)
    assert by_id(net)["H1"]["title"].startswith("<b>&lt;script&gt;alert(1)&lt;/script&gt;</b>")
    page = net.generate_html()
    assert "alert(1)</script>" not in page and "<script>alert" not in page
    # only our own four script elements: vis-network, the drawing code, the data, the call
    assert page.replace(vis_js(), "").count("<script") == 4
    assert not re.search(r"<(script|link|img|iframe)[^>]*(src|href)=", page)
    frame = net._repr_html_()
    assert frame.startswith("<iframe srcdoc=") and "<script" not in frame


def test_size_and_color_by(toy):
    sizes = pd.Series({"H1": 4.0, "H2": 1.0})
    nodes = by_id(cg.viz.network(toy, collapse=None, size_by=sizes))
    assert (nodes["H1"]["size"], nodes["H2"]["size"], nodes["K"]["size"]) == (40.0, 23.0, 6.0)
    net = cg.viz.network(toy, collapse=None, color_by="district", lang="en")
    assert [i["label"] for i in net.legend[0]["items"]] == ["other", "unit 990101", "unit 990102"]
    assert by_id(net)["H1"]["color"] == by_id(net)[D1]["color"] != by_id(net)[D2]["color"]
    numeric = cg.viz.network(toy, collapse=None, color_by=pd.Series({"H1": 1.0, "H2": 3.0}))
    assert [i["label"] for i in numeric.legend[0]["items"]] == ["1", "3"]
    degree = by_id(cg.viz.network(toy, collapse=None, size_by="degree"))
    # degrees: H1 4 (the largest), the city 3, M1 1; size 6 + 34 sqrt(degree / 4)
    assert degree["H1"]["size"] == 40.0 and degree["M1"]["size"] == 23.0
    assert degree["9901"]["size"] == pytest.approx(6 + 34 * np.sqrt(0.75))


def test_hierarchical_layout_rows(toy):
    net = cg.viz.network(toy, collapse=None, layout="hierarchical")
    x = {n["id"]: n["x"] for n in net.nodes}
    y = {n["id"]: n["y"] for n in net.nodes}
    assert (y["9901"], y[D1], y[S11], y["990101001001"]) == (0.0, 160.0, 320.0, 480.0)
    assert y[D1] == y[D2] and x[D1] < x[D2]
    # leaves side by side; each unit above the middle of its leaves
    leaves = ["990101001001", "990101001002", "990101002201", "990102001001", "990102001002",
              "990102001201"]  # fmt: skip
    assert [x[i] for i in leaves] == sorted(x[i] for i in leaves)
    assert x[S11] == pytest.approx((x["990101001001"] + x["990101001002"]) / 2)
    assert y["H1"] == y[S11] + 60 and y["M1"] == y[S11] + 60  # under their street
    assert y["K"] == y["9901"] + 60
    assert y["P"] < 0  # programs in a row on top
    assert net.options["physics"] == {"enabled": False}


def test_edge_kinds_filter_and_styles(toy):
    net = cg.viz.network(toy, collapse=None, edge_kinds=["member_of", "funds"])
    assert edge_set(net) == [("M1", "H1"), ("M2", "H2"), ("P", "H1")]
    assert {e["color"]["color"] for e in net.edges} == {
        netmod.EDGE_STYLES["member_of"]["color"],
        netmod.EDGE_STYLES["funds"]["color"],
    }


def test_writes_only_with_a_path(toy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    net = cg.viz.network(toy)
    assert list(tmp_path.iterdir()) == []
    out = tmp_path / "net.html"
    cg.viz.network(toy, path=out)
    page = out.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "cgDrawNetwork" in page
    net.write_html(str(tmp_path / "again.html"))
    assert "vis-network" in (tmp_path / "again.html").read_text("utf-8")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"collapse": "village"}, "collapse='village'"),
        ({"layout": "circle"}, "layout='circle'"),
        ({"edge_kinds": ["friends"]}, r"unknown edge kind\(s\) \['friends'\]"),
        ({"size_by": "nope"}, "size_by='nope'"),
        ({"lang": "fr"}, "unknown language 'fr'"),
    ],
)
def test_errors(toy, kwargs, match):
    with pytest.raises(cg.SchemaError, match=match):
        cg.viz.network(toy, **kwargs)


def test_layout_places_leaves_on_the_outer_ring(toy):
    net = cg.viz.network(toy, collapse="street")
    xy = {n["id"]: np.hypot(n["x"], n["y"]) for n in net.nodes}
    assert xy[S11] == pytest.approx(xy[S12]) == pytest.approx(xy[S21])
    assert xy[D1] == pytest.approx(xy[D2])
    assert xy[D1] < xy[S11]
