"""Speed of the example-data builders (outside the default test selection).

Measured once with N = 60,000 (loaded 2-core machine): synthetic 0.65 s median, the
networkx baseline 10.7 s (ratio about 16), wuhu() uncached 0.42 s.

Run: ``python -m pytest benchmarks/bench_datasets.py --benchmark-enable``. The baseline is
networkx building a MultiDiGraph of the same edges (no attributes) in the same run, so the
ratio says how the vectorized builder compares with merely loading the ties into networkx.
"""

from __future__ import annotations

import networkx as nx
import pytest

import civicgraph as cg

N = 20_000  # whole cities, about 1/30 of the country


@pytest.fixture(scope="module")
def edges():
    e = cg.datasets.synthetic(N, seed=0, validate=False).edges
    return list(zip(e["source"], e["target"]))


def test_synthetic(benchmark):
    g = benchmark(cg.datasets.synthetic, N, seed=0, validate=False)
    assert g.tree.n_communities >= N


def test_networkx_baseline(benchmark, edges):
    G = benchmark.pedantic(lambda: nx.MultiDiGraph(edges), rounds=3)
    assert G.number_of_edges() == len(edges)


def test_wuhu_uncached(benchmark):
    g = benchmark(cg.datasets.wuhu.__wrapped__)
    assert g.counts()["org"]["hub"] == 42
