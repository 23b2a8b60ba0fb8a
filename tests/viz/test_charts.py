"""Charts: values taken from the metric frames, labels translated, names escaped."""

from __future__ import annotations

import pandas as pd
import pytest

import civicgraph as cg
from tests._pages import HOSTILE


@pytest.fixture
def cov():
    return pd.DataFrame(
        {
            "name": ["市", "甲区", "乙区", "total"],
            "level": ["city", "district", "district", None],
            "parent": [None, "c", "c", None],
            "communities": [5, 3, 2, 5],
            "covered": [2, 2, 0, 2],
            "share": [0.4, 2 / 3, 0.0, 0.4],
            "hubs": [2, 2, 0, 2],
        },
        index=pd.Index(["c", "d1", "d2", "total"], name="id"),
    )


def test_coverage_bars(cov):
    fig = cg.viz.coverage_bars(cov.iloc[1:], lang="zh")
    bar = fig.data[0]
    assert bar.orientation == "h"
    assert list(bar.y) == ["乙区", "甲区"]  # least covered first
    assert list(bar.x) == [0.0, 66.7]
    assert [list(r) for r in bar.customdata] == [[0, 2, 0], [2, 3, 2]]
    assert fig.layout.title.text == "按区县统计的社区覆盖率"
    assert fig.layout.shapes[0].x0 == pytest.approx(40.0)  # the total line
    assert fig.layout.xaxis.range == (0, 105)  # from zero
    # colours as strings: numbers in marker.color make plotly.js log "Invalid color specifier"
    assert all(c.startswith("rgb(") for c in bar.marker.color)


def test_coverage_bars_bounded(cov):
    many = pd.DataFrame(
        {"name": [f"街道{i}" for i in range(40)], "level": "street", "communities": 1,
         "covered": [i % 2 for i in range(40)], "share": [float(i % 2) for i in range(40)]},
        index=pd.Index([f"s{i}" for i in range(40)], name="id"),
    )  # fmt: skip
    fig = cg.viz.coverage_bars(many, lang="en")
    assert len(fig.data[0].y) == 25
    assert list(fig.data[0].x[:20]) == [0.0] * 20  # the 20 uncovered first
    assert fig.layout.title.text.endswith("(the 25 least covered of 40)")


def test_coverage_tree_sizes_and_colours(cov):
    fig = cg.viz.coverage_tree(cov, kind="treemap", lang="en")
    tr = fig.data[0]
    assert (list(tr.ids), list(tr.parents)) == (["c", "d1", "d2"], ["", "c", "c"])
    assert list(tr.values) == [5.0, 3.0, 2.0]  # communities; parents add up their children
    assert list(tr.marker.colors) == pytest.approx([0.4, 2 / 3, 0.0])
    with pytest.raises(cg.SchemaError, match="kind='pie'"):
        cg.viz.coverage_tree(cov, kind="pie")


def test_sankey_names_are_text_roles_translated():
    flows = pd.DataFrame(
        {"program": [HOSTILE, "P2"], "district": ["D1", "D1"], "role": ["hub", None],
         "amount": [100.0, 50.0]}
    )  # fmt: skip
    fig = cg.viz.funding_sankey(flows, lang="zh")
    labels = list(fig.data[0].node.label)
    assert labels == ["&lt;script&gt;alert(1)&lt;/script&gt;", "P2", "D1", "枢纽型组织", "未知"]
    assert list(fig.data[0].link.value) == [0.01, 0.005, 0.01, 0.005]  # 万元 in zh
    assert fig.data[0].valuesuffix == " 万元"


def test_sankey_keeps_the_largest_and_groups_the_rest():
    flows = pd.DataFrame(
        {"program": [f"P{i}" for i in range(12)], "district": "D1", "role": "hub",
         "amount": [1000.0 * (12 - i) for i in range(12)]}
    )  # fmt: skip
    fig = cg.viz.funding_sankey(flows, lang="en", top=3)
    labels = list(fig.data[0].node.label)
    assert labels == ["P0", "P1", "P2", "other (9)", "D1", "hub"]
    assert list(fig.data[0].link.value)[:4] == [12000.0, 11000.0, 10000.0, 45000.0]
    assert fig.layout.height <= 720


def test_missing_columns_say_what_to_pass(cov):
    with pytest.raises(cg.SchemaError, match=r"funding_sankey needs the column\(s\) \['amount'\]"):
        cg.viz.funding_sankey(pd.DataFrame({"program": [], "district": [], "role": []}))
    with pytest.raises(cg.SchemaError, match="coverage_bars needs"):
        cg.viz.coverage_bars(cov.drop(columns="share"))


def test_trend_lines_sorted_by_x():
    df = pd.DataFrame({"year": [2019, 2017, 2018], "amount": [3.0, 1.0, 2.0]})
    fig = cg.viz.trend_lines(df, y="amount", lang="en")
    assert (list(fig.data[0].x), list(fig.data[0].y)) == ([2017, 2018, 2019], [1.0, 2.0, 3.0])
    assert fig.data[0].name == "amount (yuan)"
