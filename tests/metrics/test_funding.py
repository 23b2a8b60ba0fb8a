import math

import pandas as pd
import pytest

import civicgraph as cg
from civicgraph.metrics.funding import RECORD_COLUMNS, money_records


def _rows(df, cols):
    return [tuple(r) for r in df[cols].itertuples(index=False)]


def test_flows_by_program_and_year(funded):
    f = cg.funding_flows(funded)
    assert list(f.columns) == [
        "program",
        "year",
        "flow",
        "new_money",
        "amount",
        "count",
        "recipients",
    ]
    assert _rows(f, list(f.columns)) == [
        ("AW", 2018, "award", True, 300000.0, 2, 2),
        ("AW", 2018, "spending", False, 200000.0, 4, 3),
        ("CR", 2015, "grant", True, 300000.0, 1, 1),
        ("CR", 2015, "regrant", False, 300000.0, 2, 2),
        ("MV", 2019, "regrant", False, 10000.0, 2, 2),
        ("VD", 2018, "grant", True, 40000.0, 2, 2),
        ("VP", 2017, "grant", True, 150000.0, 3, 3),
    ]
    # money counted once: the new money adds up to what entered the system
    assert f.loc[f["new_money"], "amount"].sum() == 790000.0


def test_flows_by_recipient_place_and_level(funded):
    f = cg.funding_flows(funded, by="district")
    new = f[f["new_money"]]
    per = new.groupby("district", dropna=False)["amount"].sum()
    # D1: VP 150k (M1, A1, H1), VD 40k, AW to c111 200k; D2: AW to c211 100k; CR: no place
    assert per.loc["990101"] == 390000.0 and per.loc["990102"] == 100000.0
    assert per[per.index.isna()].tolist() == [300000.0]
    assert _rows(new[new["district"] == "990101"], ["flow", "amount"]) == [
        ("grant", 190000.0),
        ("award", 200000.0),
    ]
    district_only = cg.funding_flows(funded, by=["funder_level", "program_type"], level="district")
    assert _rows(district_only, ["funder_level", "program_type", "flow", "amount"]) == [
        ("district", "venture_philanthropy", "grant", 40000.0)
    ]


def test_flows_by_role_and_flow(funded):
    f = cg.funding_flows(funded, by=("flow", "role"))
    assert list(f.columns[:3]) == ["flow", "role", "new_money"]
    got = {(r.flow, r.role): r.amount for r in f.itertuples()}
    assert got == {
        ("grant", "program"): 300000.0,
        ("grant", "member"): 90000.0,
        ("grant", "agency"): 80000.0,
        ("grant", "hub"): 20000.0,
        ("award", "community"): 300000.0,
        ("regrant", "hub"): 300000.0,
        ("regrant", "member"): 10000.0,
        ("spending", "agency"): 120000.0,
        ("spending", "member"): 80000.0,
    }


def test_flows_refuse_unknown_keys(funded):
    with pytest.raises(cg.SchemaError, match=r"cannot group by \['county'\]"):
        cg.funding_flows(funded, by=("county",))


def test_money_records_columns_are_the_full_records_columns(funded):
    full = money_records(funded)
    assert tuple(full.columns) == RECORD_COLUMNS
    some = ["community", "program_type", "flow", "year", "recipient"]
    pd.testing.assert_frame_equal(money_records(funded, some), full[some])
    with pytest.raises(cg.SchemaError, match=r"no column\(s\) \['county'\]"):
        money_records(funded, ["amount", "county"])


def test_concentration_per_program(funded):
    c = cg.funding_concentration(funded)
    assert list(c.index) == ["AW", "CR", "MV", "VD", "VP", "total"]
    assert list(c.columns) == ["name", "program_type", "recipients", "amount", "gini", "hhi"]
    # VP: 20k, 50k, 80k -> Gini = 2(20+100+240)/(3*150) - 4/3 ; HHI = (4+25+64)/225
    assert c.loc["VP", "gini"] == pytest.approx(2 * 360 / 450 - 4 / 3)
    assert c.loc["VP", "hhi"] == pytest.approx(93 / 225)
    # CR pays 200k and 100k itself; MV is paid out by H1 in two equal parts
    assert c.loc["CR", "gini"] == pytest.approx(1 / 6)
    assert c.loc["CR", "hhi"] == pytest.approx(5 / 9)
    assert (c.loc["MV", "gini"], c.loc["MV", "hhi"], c.loc["MV", "recipients"]) == (0.0, 0.5, 2)
    assert c.loc["AW", "amount"] == 300000.0 and c.loc["AW", "hhi"] == pytest.approx(5 / 9)
    assert c.loc["total", "amount"] == 790000.0
    assert c.loc["VP", "program_type"] == "venture_philanthropy"


def test_reach_share_and_as_of(funded):
    # covered: c111, c112 (H1's street), c211 (H2); new money in communities:
    # covered 50k M1 + 10k M2 + 200k c111 + 100k c211, uncovered 30k M4 (c121)
    assert cg.funding_reach(funded) == pytest.approx(30000 / 390000)
    # before H2 started, c211's 100k award went to a community without a hub
    assert cg.funding_reach(funded, as_of="2018-01-01") == pytest.approx(130000 / 390000)
    d = cg.funding_reach(funded, detail=True)
    assert d["amount"].to_dict() == {
        "covered": 360000.0,
        "uncovered": 30000.0,
        "not_in_a_community": 400000.0,
    }
    assert d["share"].sum() == pytest.approx(1.0)


def test_reach_without_money_in_communities_is_nan(toy):
    assert math.isnan(cg.funding_reach(toy))  # P funds H1, which sits in a street


def test_a_graph_without_money_gives_empty_tables():
    g = cg.CivicGraph.from_frames(pd.DataFrame({"id": ["A"], "kind": ["org"], "role": ["hub"]}))
    f = cg.funding_flows(g)
    assert f.empty and list(f.columns[-3:]) == ["amount", "count", "recipients"]
    assert cg.funding_concentration(g).empty
    assert math.isnan(cg.funding_reach(g))
    t = cg.hub_centrality(g)
    assert t.loc["A", ["members", "reach", "betweenness_samples", "brokerage"]].tolist() == [
        0,
        0,
        1,
        0,
    ]
