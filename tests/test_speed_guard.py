"""Speed guard of the default test run: nothing may get orders of magnitude slower.

Each check times civicgraph and the networkx way of the same computation
(benchmarks/baselines.py) in the same test on a small synthetic registry, and asserts a
ratio well below what the benchmarks measure (benchmarks/README.md), never an absolute
time: a loaded machine slows both sides alike. The whole file takes a few seconds.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

import civicgraph as cg
from benchmarks.baselines import (
    credit_view,
    nx_build,
    nx_coverage,
    nx_gaps,
    nx_pagerank,
    tree_view,
)
from civicgraph.metrics._ties import tie_graph
from civicgraph.metrics.centrality import pagerank


def best(f, rounds: int = 3) -> float:
    out = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        f()
        out = min(out, time.perf_counter() - t)
    return out


def cold(g: cg.CivicGraph, f):
    """``f`` on ``g`` without the metric caches of earlier calls."""

    def run():
        g.__dict__.pop("_metrics_cache", None)
        g.__dict__.pop("_adjacency_cache", None)
        return f(g)

    return run


@pytest.fixture(scope="module")
def registry() -> cg.CivicGraph:
    """About 1/100 of the country: generated divisions, ~6,000 communities."""
    g = cg.datasets.synthetic(6000, seed=0, validate=False)
    g.tree  # noqa: B018
    return g


@pytest.fixture(scope="module")
def view(registry):
    return tree_view(registry)


def new_dates(f):
    """``f(as_of=day)`` with a day of 2023 not asked before at every call (per-date
    caches miss, as in a time series)."""
    days = iter(pd.date_range("2023-01-01", periods=1000, freq="D"))
    return lambda: f(as_of=next(days))


def check(name: str, ours: float, ref: float, at_least: float) -> None:
    assert ref >= at_least * ours, (
        f"{name}: civicgraph {ours:.4f} s, networkx {ref:.4f} s: "
        f"{ref / ours:.1f}x faster, at least {at_least}x expected"
    )


def test_coverage_against_networkx(registry, view):
    """Measured ~110x cold (the graph's label dictionaries kept), ~120x at a new date and
    ~200x warm (a loaded 2-core machine)."""
    G, hubs, _, level = view
    ref = best(lambda: nx_coverage(G, hubs, level), rounds=1)
    check("coverage, cold", best(cold(registry, lambda g: cg.coverage(g, level="all"))), ref, 10)
    dated = best(new_dates(lambda **kw: cg.coverage(registry, level="all", **kw)))
    check("coverage, new date", dated, ref, 10)
    warm = best(lambda: cg.coverage(registry, level="all"))
    check("coverage, warm", warm, ref, 20)


def test_gaps_against_networkx(registry, view):
    """Measured ~20x cold, ~30x at a new date and ~55x warm."""
    G, hubs, members, level = view
    ref = best(lambda: nx_gaps(G, hubs, members, level), rounds=1)
    check("gaps, cold", best(cold(registry, cg.gaps)), ref, 3)
    check("gaps, new date", best(new_dates(lambda **kw: cg.gaps(registry, **kw))), ref, 3)
    check("gaps, warm", best(lambda: cg.gaps(registry)), ref, 5)


def test_pagerank_against_networkx(registry):
    """Measured ~5x (networkx's PageRank is scipy too: the cost is its dict graph)."""
    a = tie_graph(registry).credit
    G = credit_view(a)
    ours = best(lambda: pagerank(a, tol=1e-10))
    ref = best(lambda: nx_pagerank(G, 1e-10), rounds=1)
    np.testing.assert_allclose(pagerank(a, tol=1e-10), nx_pagerank(G, 1e-10), atol=1e-8)
    check("PageRank", ours, ref, 2)


def test_build_against_networkx(registry):
    """Measured ~28x."""
    nodes, edges = registry.to_frames()

    def build():
        g = cg.CivicGraph.from_frames(nodes, edges, validate=False)
        return g.tree, g.edge_positions

    ours = best(build)
    ref = best(lambda: nx_build(nodes, edges), rounds=1)
    check("build", ours, ref, 5)
