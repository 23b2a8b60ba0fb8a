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
    assert list(bar.x) == ["甲区", "乙区"]
    assert list(bar.y) == [66.7, 0.0]
    assert [list(r) for r in bar.customdata] == [[2, 3, 2], [0, 2, 0]]
    assert fig.layout.title.text == "按区县统计的社区覆盖率"
    assert fig.layout.shapes[0].y0 == pytest.approx(40.0)  # the total line


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
    assert list(fig.data[0].link.value) == [100.0, 50.0, 100.0, 50.0]


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
