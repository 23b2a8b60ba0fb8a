"""The district map: polygons from the maps extra, units without one listed, hubs as points."""

from __future__ import annotations

import pandas as pd
import pytest

import civicgraph as cg
from civicgraph.viz import maps

pytestmark = pytest.mark.skipif(not maps.available(), reason="pip install 'civicgraph[maps]'")


@pytest.fixture(scope="module")
def wuhu():
    return cg.datasets.wuhu()


def test_wuhu_districts_drawn_zones_listed(wuhu):
    cov = cg.coverage(wuhu, level="district")
    fig, missing = maps.district_map(cov, lang="zh")
    # 9 county-level units: 7 with a polygon, the two development zones (71, 72) without
    assert list(missing.index) == ["340271", "340272"]
    fills = [tr for tr in fig.data if tr.fill == "toself"]
    assert len(fills) == 7
    assert all(tr.fillcolor.startswith("rgb(") for tr in fills)  # colours, not numbers
    names = {tr.name.split(":")[0] for tr in fills}
    assert names == set(cov.loc[["340202", "340207", "340209", "340210", "340212", "340223",
                                 "340281"], "name"])  # fmt: skip
    yj = next(tr for tr in fills if tr.name.startswith("弋江区"))
    assert yj.name == f"弋江区: {100 * cov.loc['340209', 'share']:.1f}%"
    assert fig.layout.xaxis.visible is False and fig.layout.geo.visible is None  # plain axes


def test_hub_points_from_registry_columns(wuhu):
    nodes, edges = wuhu.to_frames()
    nodes = nodes.reset_index() if "id" not in nodes.columns else nodes
    hubs = nodes.index[nodes["role"] == "hub"][:3]
    nodes["经度"] = pd.NA
    nodes["纬度"] = pd.NA
    nodes["坐标系"] = pd.NA
    nodes.loc[hubs, "经度"] = [118.38, 118.40, 118.42]
    nodes.loc[hubs, "纬度"] = [31.33, 31.35, 31.37]
    nodes.loc[hubs, "坐标系"] = ["WGS-84", "GCJ-02", None]
    g = cg.CivicGraph.from_frames(nodes, edges)
    pts = maps.hub_points(g)
    assert list(pts.index) == list(nodes.loc[hubs, "id"])
    assert pts["lng"].iloc[0] == 118.38 and pts["lat"].iloc[2] == 31.37  # WGS-84 as given
    # GCJ-02 shifted back to WGS-84: about 500 m south-west around Wuhu
    assert 118.394 < pts["lng"].iloc[1] < 118.396 and 31.351 < pts["lat"].iloc[1] < 31.353
    fig, _ = maps.district_map(cg.coverage(g, level="district"), hubs=pts, lang="en")
    (dots,) = [tr for tr in fig.data if tr.mode == "markers" and tr.name == "Hubs"]
    assert len(dots.x) == 3
    assert maps.hub_points(wuhu).empty  # no coordinate columns: no points


def test_without_the_extra_the_report_says_how_to_get_it(toy, monkeypatch):
    monkeypatch.setattr(maps, "available", lambda: False)
    page = cg.report(toy, lang="zh")
    assert 'pip install "civicgraph[maps]"' in page.replace("&#34;", '"')
    assert 'id="cg-map-1"' not in page
