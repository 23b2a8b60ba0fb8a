"""Every public metric on random registries with each kind of money (hypothesis seeds).

A registry whose only money is awards to admin units once crashed ``gaps`` (an index
into an empty array) and the report dropped its gaps section; each shape of money —
grants to organizations, awards to admin units, re-grants, all of them, none — is run
through every metric of the contract and through the report.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import civicgraph as cg
from tests._random_graphs import random_registry
from tests.metrics.test_contract import METRICS

SHAPES = ("funds", "awards", "regrants", "all", "none")


@settings(max_examples=12, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1), st.sampled_from(SHAPES))
def test_every_metric_on_every_money_shape(seed, money):
    g = random_registry(seed, n_orgs=12, money=money)
    for name, (call, columns, index_name) in METRICS.items():
        result = call(g)
        assert [c for c in columns if c not in result.columns] == [], name
        assert result.index.name == index_name, name
        numbers = result.select_dtypes("number")
        assert not numbers.isna().any().any(), (name, money)
    # new money (out of programs) is counted once, whatever its shape
    new = g.edges[g.edges["kind"].isin(["funds", "awards"])]
    sources = g.nodes.loc[new["source"].astype(str), "kind"].to_numpy()
    total = float(new.loc[sources == "program", "amount"].sum())
    detail = cg.funding_reach(g, detail=True)
    assert detail["amount"].sum() == pytest.approx(total)
    share = cg.funding_reach(g)
    assert type(share) is float
    in_communities = detail.loc[["covered", "uncovered"], "amount"].sum()
    assert np.isnan(share) if in_communities == 0 else 0.0 <= share <= 1.0
    gaps = cg.gaps(g)
    # the money at a gap is the awards to it plus the grants to organizations in it
    if money == "none":
        assert gaps["funding"].sum() == 0.0
    awarded = new[(new["kind"] == "awards").to_numpy() & (sources == "program")]
    for unit, amount in awarded.groupby("target")["amount"].sum().items():
        if unit in gaps.index and g.nodes.loc[unit, "level"] == "community":
            assert gaps.loc[unit, "funding"] >= amount


def _awards_only(wuhu_small) -> cg.CivicGraph:
    """组织 H1 联合会 and M1 in 340209001010, 关系 M1→H1 加入, 资金 P2→中南街道滨江社区 30万."""
    nodes, edges = wuhu_small.to_frames()
    orgs = pd.DataFrame(
        {
            "id": ["H1", "M1", "P2"],
            "kind": ["org", "org", "program"],
            "name": ["联合会", "M1", "三社联动示范社区"],
            "role": ["hub", "member", None],
        }
    )
    ties = pd.DataFrame(
        {
            "source": ["H1", "M1", "M1", "P2"],
            "target": ["340209001010", "340209001010", "H1", "340209001010"],
            "kind": ["located_in", "located_in", "member_of", "awards"],
            "amount": [np.nan, np.nan, np.nan, 300000.0],
        }
    )
    return cg.CivicGraph.from_frames(pd.concat([nodes, orgs]), pd.concat([edges, ties]))


@pytest.fixture(scope="module")
def wuhu_small():
    return cg.read_divisions(cg.datasets.wuhu_divisions_path(), within="340209")


def test_gaps_when_the_only_money_is_an_award(wuhu_small):
    g = _awards_only(wuhu_small)
    gaps = cg.gaps(g, level="street")
    assert "340209001" not in gaps.index  # 中南街道 has its hub
    community = cg.gaps(g)
    assert "340209001010" not in community.index  # covered
    assert community["funding"].sum() == 0.0  # the award went to a covered community
    # a gap with an award: move the award to a community without a hub
    other = community.index[0]
    nodes, edges = g.to_frames()
    edges.loc[edges["kind"] == "awards", "target"] = other
    moved = cg.CivicGraph.from_frames(nodes, edges)
    assert cg.gaps(moved).loc[other, "funding"] == 300000.0
    # the report keeps its gaps section (it dropped it when the metric raised)
    html = cg.report(g, lang="en")
    assert f"{len(community):,} uncovered units" in html
