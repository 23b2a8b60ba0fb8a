"""Reading the national NBS division files and building the graph from tables.

Targets (issue 2): read_divisions on the whole national data set <= 5 s and <= 1 GB peak
memory on the 2-core machine; building the graph from its tables <= 2 s. The networkx
baseline builds a DiGraph of the same containment edges in the same run.
"""

from __future__ import annotations

import networkx as nx
import pytest

import civicgraph as cg


@pytest.fixture(scope="module")
def tables(divisions_path):
    g = cg.read_divisions(divisions_path)
    return g.to_frames()


@pytest.mark.benchmark(group="divisions-read")
def test_read_divisions_national(benchmark, divisions_path, peak_rss):
    g = benchmark.pedantic(cg.read_divisions, args=(divisions_path,), rounds=3, iterations=1)
    assert g.counts()["admin"]["community"] == 620_573
    peak = peak_rss(f"import civicgraph as cg; cg.read_divisions({str(divisions_path)!r})")
    base = peak_rss("import civicgraph")
    benchmark.extra_info.update(peak_rss_mib=round(peak, 1), import_rss_mib=round(base, 1))
    print(f"\nread_divisions peak RSS {peak:.0f} MiB (import alone {base:.0f} MiB)")
    assert peak < 1024


@pytest.mark.benchmark(group="divisions-build")
def test_build_from_tables(benchmark, tables):
    nodes, edges = tables

    def build():
        g = cg.CivicGraph.from_frames(nodes, edges)  # validated
        g.tree  # noqa: B018 - the derived arrays are part of the build
        return g

    g = benchmark.pedantic(build, rounds=3, iterations=1)
    assert g.n_nodes == 665_276


@pytest.mark.benchmark(group="divisions-build")
def test_build_networkx_baseline(benchmark, tables):
    _, edges = tables
    pairs = list(zip(edges["source"], edges["target"], strict=True))
    G = benchmark.pedantic(nx.DiGraph, args=(pairs,), rounds=3, iterations=1)
    assert G.number_of_edges() == 665_245
