"""Reading the NBS division files and building the graph, at the three sizes.

- read: :func:`civicgraph.read_divisions` of the size's units (``within``; the files are
  national, so every size decompresses them whole) against pandas + a networkx DiGraph;
- build: :meth:`CivicGraph.from_frames` of the registry's node and edge tables (validated,
  with the admin tree and edge positions) against a networkx MultiDiGraph of the same
  tables with their kinds;
- synthetic: generating the registry itself (no baseline: networkx has no generator of it).

Targets (issue 2): national read <= 5 s and <= 1 GB peak memory.
"""

from __future__ import annotations

import pytest

import civicgraph as cg
from benchmarks._harness import record
from benchmarks.baselines import nx_build, nx_read_divisions


def n_comm(g: cg.CivicGraph) -> int:
    return int(g.tree.n_communities)


@pytest.fixture(scope="session")
def tables(registry):
    return registry.to_frames()


@pytest.mark.benchmark(group="read divisions")
def test_read_divisions(benchmark, size, divisions_path, admin):
    g = benchmark.pedantic(
        cg.read_divisions, args=(divisions_path,), kwargs={"within": size.within},
        rounds=min(size.rounds, 3), iterations=1,
    )  # fmt: skip
    assert g.n_nodes == admin.n_nodes
    record(benchmark, "read divisions", size, "civicgraph", n_comm(g))


@pytest.mark.benchmark(group="read divisions")
def test_read_divisions_networkx(benchmark, size, divisions_path, admin):
    if not size.baseline:
        pytest.skip("networkx baselines run at 1/100 and 1/10")
    G = benchmark.pedantic(
        nx_read_divisions, args=(divisions_path, size.within), rounds=1, iterations=1
    )
    assert sum(1 for _, lvl in G.nodes(data="level") if lvl == "community") == n_comm(admin)
    record(benchmark, "read divisions", size, "networkx", n_comm(admin))


@pytest.mark.benchmark(group="read divisions")
def test_read_divisions_peak_memory(benchmark, size, divisions_path, peak_rss):
    if size.within is not None:
        pytest.skip("peak memory is measured on the national files")
    code = f"import civicgraph as cg; cg.read_divisions({str(divisions_path)!r})"
    peak = benchmark.pedantic(peak_rss, args=(code,), rounds=1, iterations=1)
    base = peak_rss("import civicgraph")
    benchmark.extra_info.update(peak_rss_mib=round(peak, 1), import_rss_mib=round(base, 1))
    print(f"\nread_divisions peak RSS {peak:.0f} MiB (import alone {base:.0f} MiB)")
    assert peak < 1024


@pytest.mark.benchmark(group="synthetic registry")
def test_synthetic(benchmark, size, admin, registry):
    g = benchmark.pedantic(
        cg.datasets.synthetic, kwargs={"divisions": admin, "seed": 0, "validate": False},
        rounds=min(size.rounds, 3), iterations=1,
    )  # fmt: skip
    assert g == registry
    record(benchmark, "synthetic registry", size, "civicgraph", n_comm(g))


@pytest.mark.benchmark(group="build graph")
def test_build(benchmark, size, tables):
    nodes, edges = tables

    def build():
        g = cg.CivicGraph.from_frames(nodes, edges)  # validated
        g.tree  # noqa: B018 - the derived arrays are part of the build
        g.edge_positions  # noqa: B018
        return g

    g = benchmark.pedantic(build, rounds=min(size.rounds, 3), iterations=1)
    assert g.n_edges == len(edges)
    record(benchmark, "build graph", size, "civicgraph", n_comm(g))


@pytest.mark.benchmark(group="build graph")
def test_build_networkx(benchmark, size, tables, registry):
    if not size.baseline:
        pytest.skip("networkx baselines run at 1/100 and 1/10")
    nodes, edges = tables
    G = benchmark.pedantic(nx_build, args=(nodes, edges), rounds=1, iterations=1)
    assert G.number_of_edges() == len(edges)
    record(benchmark, "build graph", size, "networkx", n_comm(registry))
