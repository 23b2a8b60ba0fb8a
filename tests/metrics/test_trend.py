import pandas as pd
import pytest

import civicgraph as cg


def test_years_default_to_the_years_the_data_spans(funded):
    # the city center KC starts on 2014-01-01; the last grants are of 2019
    t = cg.trend(funded, "hubs")
    assert list(t.index) == [2014, 2015, 2016, 2017, 2018, 2019]
    assert t["hubs"].tolist() == [0, 1, 1, 1, 2, 2]
    nodes = pd.DataFrame({"id": ["H1", "H2", "P"], "kind": ["org", "org", "program"],
                          "role": ["hub", "hub", None], "start": ["2019-05-01", "2021-01-01", None],
                          "year": [None, None, 2023]})  # fmt: skip
    later = cg.CivicGraph.from_frames(nodes)
    t = cg.trend(later, "hubs")
    assert list(t.index) == [2019, 2020, 2021, 2022, 2023]
    assert t["hubs"].tolist() == [1, 1, 2, 2, 2]


def test_built_in_metrics_per_year(funded):
    t = cg.trend(
        funded, ["hubs", "centers", "members", "funding", "coverage"], years=range(2015, 2020)
    )
    assert list(t.index) == [2015, 2016, 2017, 2018, 2019]
    assert t.index.name == "year"
    assert t["as_of"].tolist() == [pd.Timestamp(f"{y}-12-31") for y in range(2015, 2020)]
    assert t["hubs"].tolist() == [1, 1, 1, 2, 2]
    assert t["centers"].tolist() == [1, 1, 2, 2, 2]
    # M1 joins H1 in 2016, H1 incubates M2 in 2017, M3 joins H2 in 2018
    assert t["members"].tolist() == [0, 1, 2, 3, 3]
    # new money only: GOV->CR 300k (2015), VP 150k (2017), VD 40k + awards 300k (2018)
    assert t["funding"].tolist() == [300000.0, 0.0, 150000.0, 340000.0, 0.0]
    # urban communities c111, c112 (H1's street) and c211 (H2 from 2018)
    assert t["coverage"].tolist() == pytest.approx([2 / 3, 2 / 3, 2 / 3, 1.0, 1.0])


def test_month_day_and_callables(funded):
    def orgs(h):
        return int((h.nodes["kind"] == "org").sum())

    t = cg.trend(funded, ["funding", orgs], years=[2018, 2019], month_day="08-31")
    # January to August 2018 holds VD's 40k; the awards of 2018-09-01 are in no
    # January-August (2019 has only H1's regrants, money already counted)
    assert t["funding"].tolist() == [40000.0, 0.0]
    rolling = cg.trend(
        funded, "funding", years=[2018, 2019], month_day="08-31", funding_window="rolling"
    )
    # the 12 months before 2019-08-31 hold the awards of 2018-09-01
    assert rolling["funding"].tolist() == [40000.0, 300000.0]
    with pytest.raises(cg.SchemaError, match="unknown funding_window 'fiscal'"):
        cg.trend(funded, "funding", funding_window="fiscal")
    assert t["orgs"].tolist() == [11, 11]
    t = cg.trend(funded, orgs, years=range(2015, 2018))
    assert t["orgs"].tolist() == [4, 6, 8]


def test_undated_money_counts_in_its_program_year():
    nodes = pd.DataFrame(
        {"id": ["P", "O"], "kind": ["program", "org"], "role": [None, "hub"], "year": [2016, None]}
    )
    edges = pd.DataFrame({"source": ["P"], "target": ["O"], "kind": ["funds"], "amount": [5.0]})
    g = cg.CivicGraph.from_frames(nodes, edges)
    assert cg.trend(g, "funding", years=[2015, 2016, 2017])["funding"].tolist() == [0.0, 5.0, 0.0]


def test_trend_errors(funded):
    with pytest.raises(cg.SchemaError, match="unknown trend metric 'ngos'"):
        cg.trend(funded, "ngos")
    with pytest.raises(cg.SchemaError, match="month_day must look like '12-31'"):
        cg.trend(funded, "hubs", month_day="31/12")
