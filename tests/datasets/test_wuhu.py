"""cg.datasets.wuhu(): the report's figures, exactly, and the data conventions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import civicgraph as cg
from civicgraph.io._codes import is_valid_credit_code
from civicgraph.metrics._scope import hub_scope

AS_OF = "2019-08-31"


@pytest.fixture(scope="module")
def g() -> cg.CivicGraph:
    return cg.datasets.wuhu()


@pytest.fixture(scope="module")
def tables(g):
    nodes, edges = g.nodes, g.edges
    edges["source_kind"] = edges["source"].map(nodes["kind"]).astype(str)
    edges["program_type"] = edges["source"].map(nodes["program_type"])
    return nodes, edges


def test_same_object_and_valid(g):
    assert cg.datasets.wuhu() is g
    assert g._problems() == []
    assert g.counts()["admin"] == {
        "total": 1039, "city": 1, "district": 9, "street": 79, "community": 950
    }  # fmt: skip


def test_program_totals(tables):
    nodes, edges = tables
    money = edges[edges["kind"].isin(["funds", "awards"]) & (edges["source_kind"] == "program")]
    by_type = money.groupby("program_type")["amount"].agg(["sum", "count"])
    assert by_type.loc["cradle"].tolist() == [700_000, 14]
    assert by_type.loc["demonstration_award"].tolist() == [5_800_000, 30]
    vp = money[money["program_type"] == "venture_philanthropy"]
    level = vp["source"].map(nodes["funder_level"])
    funder = vp["source"].map(nodes["funder"])
    city = vp[level == "city"]
    assert (city["amount"].sum(), len(city)) == (6_300_000, 80)
    assert city["source"].map(nodes["year"]).unique().tolist() == [2015, 2016, 2017, 2018, 2019]
    yj = vp[funder == "gov-340209"]
    assert (yj["amount"].sum(), len(yj), yj["source"].nunique()) == (1_360_000, 39, 2)
    assert vp[funder == "gov-340207"]["amount"].sum() == 700_000
    assert vp[funder == "gov-340281"]["amount"].sum() == 200_000
    # one funds edge per project, each with a project name and its program
    assert vp["project"].notna().all() and (vp["program"] == vp["source"]).all()


def test_hubs_centers_and_coverage(g, tables):
    nodes, edges = tables
    active = g.active_nodes(AS_OF)
    assert int((g.mask(kind="org", role="hub") & active).sum()) == 42
    hubs = nodes[nodes["role"] == "hub"]
    assert hubs["start"].notna().all() and (hubs["start"] <= AS_OF).all()
    per_year = hubs["start"].dt.year.value_counts().sort_index().cumsum().tolist()
    assert per_year == [14, 20, 27, 35, 42]  # growth 2015 -> 2019
    centers = nodes[nodes["role"] == "center"]
    assert sorted(centers["level"].astype(str)) == ["city", "district"]
    loc = edges[edges["kind"] == "located_in"].set_index("source")["target"]
    assert loc["center-3402"] == "3402" and loc["center-340209"] == "340209"
    scope = hub_scope(g, as_of=AS_OF)
    urban = g.urban[g.tree.communities]
    assert (int((scope.covered() & urban).sum()), int(urban.sum())) == (77, 320)


def test_named_orgs_and_ties(tables):
    nodes, edges = tables
    ties = set(zip(edges["source"], edges["target"], edges["kind"].astype(str)))
    assert ("op-cihang", "center-3402", "operates") in ties
    assert ("op-xinnuanhuakai", "center-340209", "operates") in ties
    assert nodes.loc["center-3402", "start"] == pd.Timestamp("2016-01-01")
    for a in ("agency-xinxiwang", "agency-xiangrikui", "agency-yiqun"):
        assert ("center-3402", a, "incubates") in ties and nodes.loc[a, "role"] == "agency"
    for o, role in (("member-zhihua", "member"), ("member-yangguang", "member"),
                    ("member-xinlianxin", "member"), ("agency-ailin", "agency")):  # fmt: skip
        assert ("center-340209", o, "incubates") in ties and nodes.loc[o, "role"] == role
    loc = edges[edges["kind"] == "located_in"].set_index("source")["target"]
    assert loc[["hub-qingyuan", "hub-wanchun", "hub-hongmei", "hub-binjiang"]].tolist() == [
        "340207005001", "340207005015", "340202018003", "340209001010"
    ]  # fmt: skip
    assert nodes.loc["hub-qingyuan", "name"] == "鸠江区清水街道清苑社区社会组织联合会"
    named = nodes.loc[["gov-3402", "center-3402", "op-cihang", "hub-binjiang"], "synthetic"]
    assert not named.any()


def test_award_spending_rule(tables):
    nodes, edges = tables
    awards = edges[edges["kind"] == "awards"].set_index("target")["amount"]
    assert awards.index.is_unique and len(awards) == 30
    assert {"340202018003", "340209001010"} <= set(awards.index)
    spend = edges[(edges["kind"] == "funds") & (edges["source_kind"] == "admin")]
    assert spend["program"].str.startswith("prog-award-").all()
    assert (spend["target"].map(nodes["kind"]) == "org").all()
    assert set(spend["purpose"]) == {"purchase_of_services", "community_fund"}
    total = spend.groupby("source")["amount"].sum()
    pos = spend[spend["purpose"] == "purchase_of_services"].groupby("source")["amount"].sum()
    assert (total.reindex(awards.index) == awards).all()  # each award spent in full
    share = pos.reindex(awards.index) / awards
    assert int((share < 0.5).sum()) == 3 and share.min() > 0.3


def test_members_regrants_and_flags(g, tables):
    nodes, edges = tables
    member_of = edges[edges["kind"] == "member_of"]
    assert (member_of["target"].map(nodes["role"]) == "hub").all()
    inc = set(zip(edges.loc[edges["kind"] == "incubates", "source"],
                  edges.loc[edges["kind"] == "incubates", "target"]))  # fmt: skip
    assert all((h, m) in inc for m, h in zip(member_of["source"], member_of["target"]))
    lonely = nodes[nodes["note"] == "no hub in its community yet"].index
    assert len(lonely) == 10 and not set(lonely) & set(member_of["source"])
    regrant = edges[(edges["kind"] == "funds") & (edges["source"].map(nodes["role"]) == "hub")]
    assert len(regrant) > 0
    assert (regrant["program"].map(nodes["program_type"]) == "micro_venture_philanthropy").all()
    assert (edges["start"].dropna() <= AS_OF).all()
    syn = nodes[(nodes["kind"] == "org") & nodes["synthetic"]]
    assert len(syn) == 38 + 5 + int((nodes["role"] == "member").sum()) - 3
    codes = syn["credit_code"].dropna()
    assert len(codes) == 38 and all(map(is_valid_credit_code, codes))
    assert codes.str[2:6].eq("3402").all()
    assert set(np.unique(nodes["source_ref"].dropna().str[-1])) >= set("一二三四")
