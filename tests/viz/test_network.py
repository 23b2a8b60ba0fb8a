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
    assert net.options["physics"] == {"enabled": False}  # a layout computed in Python
    assert all("x" in n and "y" in n for n in net.nodes + net.groups)
    physics = cg.viz.network(toy, collapse=None, layout="physics")
    assert physics.options["physics"]["enabled"] is True  # on request, frozen once stable


def test_tooltips_hand_worked(toy):
    nodes = by_id(cg.viz.network(toy, collapse=None, lang="en"))
    assert nodes["H1"]["title"] == (
        "<b>hub one</b><br>hub<br>Division: unit 990101 / unit 990101001<br>Members: 1"
        "<br>Incubated: 0<br>Funding received (yuan): 10,000"
    )
    assert nodes[D1]["title"] == (
        "<b>unit 990101</b><br>district<br>Communities: 3<br>Covered by a hub: 2"
        "<br>Hubs: 1<br>Organizations: 2<br>Double-click to close the unit again."
    )
    assert nodes["H2"]["title"].startswith(
        "<b>hub two</b><br>hub<br>Division: unit 990102 / unit 990102001 / unit 990102001001<br>"
    )
    assert nodes[D2]["title"].endswith(
        "Communities: 3<br>Covered by a hub: 1<br>Hubs: 1<br>Organizations: 2"
        "<br>Double-click to close the unit again."
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


def first_view(net):
    """Ids visible on first view, as the page computes them (tests/viz/_network.js)."""
    opened = set(net.page["open"])
    nodes = [n["id"] for n in net.nodes
             if n["cgPinned"] or all(g in opened for g in n["cgChain"])]  # fmt: skip
    groups = [g["id"] for g in net.groups
              if g["id"] not in opened and all(c in opened for c in g["cgChain"][:-1])]  # fmt: skip
    return sorted(nodes + groups)


def test_groups_and_their_chains(toy):
    net = cg.viz.network(toy, collapse=None, lang="en")
    assert sorted(g["id"] for g in net.groups) == sorted(
        "\u2295" + i for i in ["9901", D1, D2, S11, S12, S21]
    )
    nodes = by_id(net)
    city, d1, s11 = "\u22959901", "\u2295" + D1, "\u2295" + S11
    assert nodes["M1"]["cgChain"] == [city, d1, s11]  # located where its hub is
    assert nodes["P"]["cgChain"] == [city, d1, s11]  # a program sits where it funds
    assert nodes["K"]["cgChain"] == [city]
    assert nodes[S11]["cgChain"] == [city, d1, s11] and nodes[S11]["cgUnitOf"] == s11
    group = {g["id"]: g for g in net.groups}[s11]
    assert group["label"] == "unit 990101001\n2 comm. · 1 hubs"
    assert group["title"] == (
        "<b>unit 990101001</b><br>street, closed<br>Division: unit 990101<br>Communities: 2"
        "<br>Covered by a hub: 2<br>Hubs: 1<br>Incubation centers: 0<br>Organizations: 2"
        "<br>Member organizations inside: 1<br>Programs: 1<br>Funding received (yuan): 10,000"
        "<br>Double-click to open."
    )
    assert (group["shape"], group["color"]) == ("diamond", netmod.NODE_STYLES["street"]["color"])
    assert group["cgChain"] == [city, d1, s11] and group["cgUnit"] == S11


@pytest.mark.parametrize(
    ("limit", "opened", "pinned", "shown"),
    [
        (20, ["9901", D1, D2, S11, S12, S21], [], 18),  # everything fits: all open
        (10, ["9901", D1, D2], ["H1", "H2", "P"], 10),  # streets closed, hubs beside them
        (8, ["9901"], ["H1", "H2", "P"], 7),  # districts closed
        (3, [], ["K", "P"], 3),  # the city closed; the center, then the program, fit
    ],
)
def test_first_view_closes_to_the_level_that_fits(toy, limit, opened, pinned, shown):
    net = cg.viz.network(toy, collapse=None, visible_max=limit)
    assert sorted(net.page["open"]) == sorted("\u2295" + i for i in opened)
    assert sorted(n["id"] for n in net.nodes if n["cgPinned"]) == pinned
    assert len(first_view(net)) == shown <= limit


def test_first_view_of_wuhu_shows_districts_hubs_centers_programs():
    net = cg.viz.network(cg.datasets.wuhu(), lang="en")
    seen = first_view(net)
    cats = {n["id"]: n["cgCat"] for n in net.nodes + net.groups}
    count = {c: sum(cats[i] == c for i in seen) for c in set(cats.values())}
    assert len(seen) <= netmod.VISIBLE_MAX
    assert count["group:district"] == 9 and count["hub"] == 42 and count["center"] == 2
    assert count["program"] == 12  # the 16 programs but the 4 without a recipient
    assert sorted(i["name"] for i in net.isolated if i["kind"] == "program") == [
        f"社区微公益创投（{y}年）" for y in range(2016, 2020)
    ]
    assert not {i["id"] for i in net.isolated} & set(net.node_map)


def test_short_labels_and_full_names():
    g = cg.datasets.wuhu()
    nodes = by_id(cg.viz.network(g))
    named = {n["cgName"]: n["label"] for n in nodes.values()}
    assert named["鸠江区清水街道清苑社区社会组织联合会"] == "清苑社区"
    assert named["鸠江区官陡街道社区社会组织联合会"] == "官陡街道社区"
    assert named["芜湖市第一届社会组织公益创投"] == "第一届公益创投"
    assert named["芜湖市社会组织培育发展服务中心"] == "芜湖市培育发展服务中…"


def test_legend_is_the_style_table(toy):
    net = cg.viz.network(toy, collapse=None, lang="en")
    items = {i["label"]: i for i in net.legend[0]["items"]}
    for n in net.nodes:
        style = netmod.NODE_STYLES[n["cgCat"]]
        item = items[cg.catalog.label(n["cgCat"], "en")]
        assert (item["shape"], item["style"]) == (n["shape"], f"background:{n['color']}")
        assert (n["shape"], n["color"]) == (style["shape"], style["color"])
    merged = {i["label"]: i for i in net.legend[0]["items"] if i["shape"] == "diamond"}
    assert sorted(merged) == ["city (merged)", "district (merged)", "street (merged)"]
    assert merged["street (merged)"]["style"] == "background:#86acd6"
    assert [i["label"] for i in net.legend[1]["items"]] == [
        "contains", "located in", "incubates", "member of", "funds"
    ]  # fmt: skip


def test_isolated_nodes_are_listed_not_drawn(toy):
    nodes, edges = toy.to_frames()
    nodes = nodes.reset_index() if "id" not in nodes.columns else nodes
    lone = pd.DataFrame([{"id": "X", "kind": "org", "role": "agency", "name": HOSTILE}])
    g = cg.CivicGraph.from_frames(pd.concat([nodes, lone], ignore_index=True), edges)
    net = cg.viz.network(g, collapse=None, lang="en")
    assert "X" not in net.node_map and net.isolated == [
        {"id": "X", "name": HOSTILE, "kind": "agency"}
    ]
    page = net.generate_html()
    assert "Not drawn: 1 nodes without any tie" in page
    assert "<li>&lt;script&gt;alert(1)&lt;/script&gt; " in page


def test_layout_is_stable_and_labels_do_not_overlap(toy):
    from civicgraph.viz._layout import label_box

    a = cg.viz.network(toy, collapse=None)
    b = cg.viz.network(toy, collapse=None)
    assert [(n["x"], n["y"]) for n in a.nodes] == [(n["x"], n["y"]) for n in b.nodes]
    boxes = []
    for n in a.nodes:
        left, top, right, bottom = label_box(n["label"], n["font"]["size"], n["size"])
        boxes.append((n["x"] + left, n["y"] + top, n["x"] + right, n["y"] + bottom))
    clash = [
        (i, j)
        for i, p in enumerate(boxes)
        for j, q in enumerate(boxes[:i])
        if p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]
    ]
    assert clash == []
    xy = {n["id"]: np.array([n["x"], n["y"]]) for n in a.nodes}
    # organizations and programs sit beside their unit, nearer to it than to the others
    for org, unit in [("H1", S11), ("M2", S21), ("K", "9901")]:
        near = min(xy, key=lambda i: np.hypot(*(xy[i] - xy[org])) if i != org and i in
                   {"9901", D1, D2, S11, S12, S21} else np.inf)  # fmt: skip
        assert near == unit, (org, near)


def test_balloon_rings_hand_worked():
    from civicgraph.viz._layout import PAD, balloon

    # a root with two children of radius 10 and one grandchild: children opposite each
    # other, as far from the root as the discs need; the grandchild straight below
    parent = np.array([-1, 0, 0, 1])
    foot = np.array([20.0, 10.0, 10.0, 5.0])
    xy = balloon(parent, foot, np.array([True, True, True, False]), np.ones(4, dtype=bool))
    assert xy[0].tolist() == [0.0, 0.0]
    r1, r2 = np.hypot(*xy[1]), np.hypot(*xy[2])
    # child 1's disc holds its grandchild: 10 + PAD + 2 * 5 = 26 (its ring, below it)
    assert r1 == pytest.approx(20 + 26 + PAD) and r2 == pytest.approx(r1)
    assert xy[1] == pytest.approx(-xy[2])
    assert xy[3] - xy[1] == pytest.approx([0, 10 + 5 + PAD])


def test_compact_removes_overlaps_and_keeps_parents_near():
    from civicgraph.viz._layout import PAD, compact

    rng = np.random.default_rng(3)
    xy = rng.normal(0, 30, (40, 2))
    boxes = np.tile([-20.0, -8.0, 20.0, 8.0], (40, 1))
    parent = np.r_[-1, np.zeros(39, dtype=int)]
    out = compact(xy, boxes, parent, aspect=1.7)
    assert out.tolist() == compact(xy, boxes, parent, aspect=1.7).tolist()
    left, right = out[:, 0] - 20, out[:, 0] + 20
    top, bottom = out[:, 1] - 8, out[:, 1] + 8
    hit = (
        (left[:, None] < right)
        & (left < right[:, None])
        & (top[:, None] < bottom)
        & (top < bottom[:, None])
    )
    np.fill_diagonal(hit, False)
    assert not hit.any()
    # no child farther from its parent than a column of all 40 boxes is tall
    assert np.hypot(*(out[1:] - out[0]).T).max() < 40 * (16 + PAD)
