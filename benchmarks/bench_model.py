"""CivicGraph id look-ups and validation on a national-size synthetic registry.

Run by hand (about a minute, ~2.5 GB)::

    python -m pytest benchmarks/bench_model.py --benchmark-enable -s

The registry: ``cg.datasets.synthetic()`` on its generated national tree (31 provinces,
about 1.76M nodes and 3.6M edges), saved as Parquet so that a fresh process can load it and
validate it (peak memory ``VmHWM``, its mark reset after loading). Baseline: ``pandas.Index.get_indexer``
on the same Arrow string columns (the look-up before), index build included.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import civicgraph as cg


def summary(ts):
    return f"min {min(ts):.2f} s, median {float(np.median(ts)):.2f} s"


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    g = cg.datasets.synthetic(validate=False)
    folder = tmp_path_factory.mktemp("national")
    nodes, edges = g.to_frames()
    nodes.to_parquet(folder / "nodes.parquet")
    edges.to_parquet(folder / "edges.parquet")
    print(f"\n{g!r}")
    return g, nodes, edges, folder


@pytest.mark.benchmark(group="model-lookup")
def test_edge_positions(benchmark, national, timings):
    g, nodes, edges = national[:3]
    expected = g.edge_positions  # seeded by synthetic(): known, not looked up

    def ours():
        fresh = cg.CivicGraph.from_frames(nodes, edges, validate=False)
        return fresh.edge_positions

    u, v = benchmark.pedantic(ours, rounds=3, iterations=1)
    np.testing.assert_array_equal(u, expected[0])
    np.testing.assert_array_equal(v, expected[1])

    def pandas_way():
        index = pd.Index(nodes["id"])
        return index.get_indexer(edges["source"]), index.get_indexer(edges["target"])

    t_pandas = timings(pandas_way, 2)
    t_ours = benchmark.stats.stats.min
    figures = {
        "ours": f"min {t_ours:.2f} s, median {benchmark.stats.stats.median:.2f} s",
        "pandas_get_indexer": summary(t_pandas),
        "speedup": round(min(t_pandas) / t_ours, 1),
    }
    benchmark.extra_info.update(figures)
    print(f"\nedge positions of {len(edges):,} edges over {len(nodes):,} nodes: {figures}")
    assert min(t_pandas) >= 2 * t_ours


@pytest.mark.benchmark(group="model-validation")
def test_validation(benchmark, national, peak_rss):
    _, nodes, edges, folder = national
    benchmark.pedantic(
        cg.CivicGraph.from_frames, args=(nodes, edges), kwargs={"validate": True}, rounds=2
    )
    # a fresh process loads the frames, resets its peak-memory mark (Linux clear_refs),
    # then validates: the peak counts the frames held plus what validation adds
    load = (
        "import gc, pandas as pd, civicgraph as cg\n"
        f"nodes = pd.read_parquet({str(folder / 'nodes.parquet')!r})\n"
        f"edges = pd.read_parquet({str(folder / 'edges.parquet')!r})\n"
        "gc.collect()\n"
        "open('/proc/self/clear_refs', 'w').write('5')\n"
    )
    loaded = peak_rss(load)
    peak = peak_rss(load + "g = cg.CivicGraph.from_frames(nodes, edges, validate=True)")
    figures = {
        "time": f"min {benchmark.stats.stats.min:.2f} s, median {benchmark.stats.stats.median:.2f} s",
        "rss_frames_loaded_mib": round(loaded),
        "peak_rss_validating_mib": round(peak),
    }
    benchmark.extra_info.update(figures)
    print(f"\nfrom_frames(validate=True) on {len(nodes):,} nodes, {len(edges):,} edges: {figures}")
    assert peak < 1024
