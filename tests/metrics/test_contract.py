"""Contract of every public metric (as scikit-network's test_API): on the Wuhu example
and on a random registry, each returns a DataFrame with its documented columns, a unique
index (node ids where rows are nodes), no missing numbers, and leaves the graph unchanged."""

from __future__ import annotations

import pandas as pd
import pytest

import civicgraph as cg
from tests._random_graphs import random_registry

#: metric name -> (call, documented columns, index name or None)
METRICS = {
    "coverage": (
        lambda g: cg.coverage(g, level="all"),
        ["name", "level", "parent", "communities", "covered", "share", "hubs"],
        "id",
    ),
    "street_target": (
        cg.street_target,
        ["name", "district", "street_kind", "communities", "urban_communities", "hubs", "has_hub"],
        "id",
    ),
    "three_sectors": (
        cg.three_sectors,
        [
            "name",
            "district",
            "street",
            "urban",
            "hub_own",
            "hub_served",
            "members",
            "community_orgs",
            "has_agency",
            "demonstration",
            "linked",
        ],
        "id",
    ),
    "gaps": (
        cg.gaps,
        [
            "name",
            "level",
            "district",
            "street",
            "urban",
            "nearest_hub",
            "nearest_hub_name",
            "hops",
            "members",
            "funding",
            "street_gaps",
            "priority",
        ],
        "id",
    ),
    "place_hubs": (
        lambda g: cg.place_hubs(g, k=3),
        ["step", "unit", "name", "level", "gained", "covered", "coverage"],
        None,
    ),
    "summary": (cg.summary, ["section", "item", "value", "unit", "note"], None),
    "hub_centrality": (
        cg.hub_centrality,
        [
            "name",
            "role",
            "level",
            "members",
            "reach",
            "communities",
            "pagerank",
            "betweenness",
            "betweenness_samples",
            "brokerage",
            "vertical",
        ],
        "id",
    ),
    "funding_flows": (cg.funding_flows, ["program", "year", "amount", "count"], None),
    "funding_concentration": (cg.funding_concentration, ["gini", "hhi"], "id"),
    "check_rules": (
        cg.check_rules,
        ["rule", "node", "name", "message", "value", "threshold"],
        None,
    ),
    "trend": (lambda g: cg.trend(g, "hubs"), ["hubs"], "year"),
    "platform": (cg.platform, ["name", "hubs", "levels", "complete"], "id"),
    "platform_chains": (cg.platform_chains, ["district", "center", "hub", "member"], None),
}


@pytest.fixture(scope="module", params=["wuhu", "random"])
def graph(request):
    return cg.datasets.wuhu() if request.param == "wuhu" else random_registry(7)


@pytest.mark.parametrize("name", sorted(METRICS))
def test_metric_contract(graph, name):
    call, columns, index_name = METRICS[name]
    before = graph.to_frames()
    result = call(graph)
    assert isinstance(result, pd.DataFrame)
    assert [c for c in columns if c not in result.columns] == []
    assert result.index.is_unique
    assert result.index.name == index_name
    numbers = result.select_dtypes("number")
    assert not numbers.isna().any().any(), numbers.columns[numbers.isna().any()].tolist()
    if index_name == "id":  # rows are nodes of the graph (plus coverage's total row)
        ids = set(graph.ids) | {"total"}
        assert set(result.index.astype(str)) <= ids
    after = graph.to_frames()
    pd.testing.assert_frame_equal(before[0], after[0])
    pd.testing.assert_frame_equal(before[1], after[1])


def test_every_public_metric_is_in_the_contract():
    """Every function exported by a metrics module and by civicgraph, taking the graph
    first, is checked above (funding_reach returns a plain float, checked below)."""
    import importlib
    import inspect
    import pkgutil

    import civicgraph.metrics as metrics

    found = set()
    for mod in pkgutil.iter_modules(metrics.__path__):
        if mod.name.startswith("_"):
            continue
        module = importlib.import_module(f"civicgraph.metrics.{mod.name}")
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj) and name in cg.__all__:
                params = list(inspect.signature(obj).parameters)
                if params and params[0] == "g":
                    found.add(name)
    assert found - {"funding_reach"} == set(METRICS)


def test_scalar_figures_are_plain_python(graph):
    share = cg.funding_reach(graph)
    assert type(share) is float
