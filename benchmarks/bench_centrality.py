"""Hub centrality and funding flows at the three sizes, against networkx.

- hub_centrality end to end (members, reach, communities, PageRank, betweenness from 256
  sampled sources, brokerage), cold;
- PageRank of the tie graph: civicgraph's power iteration against a plain scipy power
  iteration (target: within 1.2x; asserted at 1.5x, as the machine is shared) and ``networkx.pagerank`` on the same weighted DiGraph
  to the same absolute tolerance;
- sampled betweenness (256 sources): against ``networkx.betweenness_centrality(k=...)`` on
  the same undirected tie graph. networkx takes ~0.1 s per source at 1/10, so it runs 16
  sources and its time is scaled by 256/16 (a source's BFS costs the same whichever it is);
- funding_flows by program and year against a loop over a networkx MultiDiGraph's money
  edges.
"""

from __future__ import annotations

import time

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

import civicgraph as cg
from benchmarks._harness import record, time_cold
from benchmarks.baselines import credit_view, money_view, nx_funding_flows, nx_pagerank
from civicgraph.metrics._ties import tie_graph
from civicgraph.metrics.centrality import DEFAULT_SAMPLES, _betweenness, pagerank

TOL = 1e-10
NX_SOURCES = 16


def n_comm(g):
    return int(g.tree.n_communities)


@pytest.fixture(scope="session")
def ties(registry):
    return tie_graph(registry)


def plain_power_iteration(a: sp.csr_matrix, alpha: float = 0.85, tol: float = TOL):
    """The textbook scipy power iteration (networkx's own loop, with an absolute
    tolerance), nothing else: the 1.2x baseline."""
    n = a.shape[0]
    out = np.asarray(a.sum(axis=1)).ravel()
    p = sp.csr_array(sp.diags(np.divide(1.0, out, out=np.zeros(n), where=out != 0)) @ a)
    dangling = out == 0
    x = np.full(n, 1.0 / n)
    while True:
        new = alpha * (x @ p) + (alpha * x[dangling].sum() + 1 - alpha) / n
        if np.abs(new - x).sum() < tol:
            return new
        x = new


@pytest.mark.benchmark(group="hub_centrality")
def test_hub_centrality(benchmark, size, registry):
    t = time_cold(benchmark, size, cg.hub_centrality, registry)
    assert len(t) > 0 and t["pagerank"].sum() > 0
    record(benchmark, "hub_centrality", size, "civicgraph", n_comm(registry))


@pytest.mark.benchmark(group="pagerank")
def test_pagerank(benchmark, size, registry, ties):
    a = ties.credit
    ours = benchmark.pedantic(pagerank, args=(a,), kwargs={"tol": TOL}, rounds=3, iterations=1)
    record(benchmark, "PageRank of the tie graph", size, "civicgraph", n_comm(registry))
    plain = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        ref = plain_power_iteration(a)
        plain = min(plain, time.perf_counter() - t)
    np.testing.assert_allclose(ours, ref, atol=1e-12)
    ratio = benchmark.stats.stats.min / plain
    benchmark.extra_info.update(plain_scipy_seconds=plain, ratio_to_plain=ratio)
    print(f"\nPageRank {size.label}: {ratio:.2f}x a plain scipy power iteration")
    # target 1.2x (same iteration); 1.5x leaves room for a machine shared with other work
    assert benchmark.stats.stats.min <= 1.5 * plain + 0.02


@pytest.mark.benchmark(group="pagerank")
def test_pagerank_networkx(benchmark, size, registry, ties):
    if not size.baseline:
        pytest.skip("networkx baselines run at 1/100 and 1/10")
    G = credit_view(ties.credit)
    ref = benchmark.pedantic(nx_pagerank, args=(G, TOL), rounds=1, iterations=1)
    np.testing.assert_allclose(ref, pagerank(ties.credit, tol=TOL), atol=1e-8)
    record(benchmark, "PageRank of the tie graph", size, "networkx", n_comm(registry))


@pytest.mark.benchmark(group="betweenness")
def test_betweenness(benchmark, size, registry, ties):
    def sampled():  # the undirected pattern is built per call, as hub_centrality does
        return _betweenness(ties, ties.undirected, DEFAULT_SAMPLES, 0, "auto")

    values, k = benchmark.pedantic(sampled, rounds=1, iterations=1)
    assert k == min(DEFAULT_SAMPLES, ties.n) and values.max() > 0
    record(benchmark, "betweenness, 256 sources", size, "civicgraph", n_comm(registry))


@pytest.mark.benchmark(group="betweenness")
def test_betweenness_networkx(benchmark, size, registry, ties):
    if not size.baseline:
        pytest.skip("networkx baselines run at 1/100 and 1/10")
    G = nx.Graph(ties.undirected)
    benchmark.pedantic(
        nx.betweenness_centrality, args=(G,), kwargs={"k": NX_SOURCES, "seed": 0},
        rounds=1, iterations=1,
    )  # fmt: skip
    record(
        benchmark, "betweenness, 256 sources", size, "networkx", n_comm(registry),
        scale=DEFAULT_SAMPLES / NX_SOURCES,
    )  # fmt: skip


@pytest.mark.benchmark(group="funding_flows")
def test_funding_flows(benchmark, size, registry):
    f = time_cold(benchmark, size, cg.funding_flows, registry)
    assert f["amount"].sum() > 0
    record(benchmark, "funding_flows", size, "civicgraph", n_comm(registry))


@pytest.mark.benchmark(group="funding_flows")
def test_funding_flows_networkx(benchmark, size, registry):
    if not size.baseline:
        pytest.skip("networkx baselines run at 1/100 and 1/10")
    G = money_view(registry)
    out = benchmark.pedantic(nx_funding_flows, args=(G,), rounds=1, iterations=1)
    f = cg.funding_flows(registry)
    assert sum(r[1] for r in out.values()) == f["count"].sum()
    np.testing.assert_allclose(sum(r[0] for r in out.values()), f["amount"].sum())
    record(benchmark, "funding_flows", size, "networkx", n_comm(registry))
