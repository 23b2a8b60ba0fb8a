"""Reading the NBS division files and building the graph, at the three sizes.

- read: :func:`civicgraph.read_divisions` of the size's units (``within``; the files are
  national, so every size decompresses them whole) against pandas + a networkx DiGraph;
- build: :meth:`CivicGraph.from_frames` of the registry's node and edge tables (validated,
  with the admin tree and edge positions) against a networkx MultiDiGraph of the same
  tables with their kinds;
- synthetic: generating the registry itself (no baseline: networkx has no generator of it).

Targets (issue 2): national read <= 5 s and <= 1 GB peak memory.

- fast path (issue 16): ``read_divisions(national, within="34")`` and without ``within``
  by the Arrow reader against the pandas reader it replaced
  (``tests/_pandas_divisions.py``'s ``pandas_read_folder`` and :func:`_pandas_resolve` here,
  kept as the baseline; the rest of the read is the
  same code), rounds interleaved, min and median printed at the end
  (``python -m pytest benchmarks/bench_divisions.py -k fast_path -s``).
"""

from __future__ import annotations

import statistics
import time
from unittest import mock

import pandas as pd
import pytest

import civicgraph as cg
from benchmarks._harness import machine, record
from benchmarks.baselines import nx_build, nx_read_divisions
from civicgraph.io import divisions
from civicgraph.io._tables import read_csv_any
from tests._pandas_divisions import pandas_read_folder

FAST: dict[str, tuple[list[float], list[float], int]] = {}


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


# ------------------------------------------------------------------- fast path (issue 16)


def _pandas_resolve(path, single, within):
    """``_resolve`` of commit 9cdf477: the names down to the streets read for a code too."""
    if single is None and divisions.normalize_code(within) is None:
        try:
            units = divisions._unit_names(path, None, down_to="district")
            return divisions.resolve_within(within, units)
        except cg.ValidationError as exc:
            if exc.problems[0].template != "unknown_division.within_name":
                raise
    levels = divisions.ADMIN_LEVELS[: divisions.ADMIN_LEVELS.index("street") + 1]
    units = pd.concat(
        [
            read_csv_any(divisions._level_file(path, lvl), usecols=["code", "name"])
            for lvl in levels
        ],
        ignore_index=True,
    ).astype("str")
    units = units[units["code"].str.len() <= 9].drop_duplicates("code")
    return divisions.resolve_within(within, units)


def _pandas_read(path, within):
    with (
        mock.patch.object(divisions, "_read_folder", pandas_read_folder),
        mock.patch.object(divisions, "_resolve", _pandas_resolve),
    ):
        return cg.read_divisions(path, within=within)


@pytest.mark.parametrize("within", ["34", None], ids=["within=34", "national"])
def test_read_divisions_fast_path(divisions_path, within):
    rounds = 7
    new, old = [], []
    g = cg.read_divisions(divisions_path, within=within)  # warm the page cache
    for _ in range(rounds):  # interleaved: the machine is shared
        t = time.perf_counter()
        g = cg.read_divisions(divisions_path, within=within)
        new.append(time.perf_counter() - t)
        t = time.perf_counter()
        g_old = _pandas_read(divisions_path, within)
        old.append(time.perf_counter() - t)
    assert g == g_old
    FAST["34" if within else "None"] = (old, new, g.n_nodes)


def teardown_module():
    if not FAST:
        return
    print(f"\n\nmachine: {machine()}\n")
    print(
        "| within | units | pandas reader min / median (s) | Arrow reader min / median (s) "
        "| speed-up (median) |"
    )
    print("|---|---:|---:|---:|---:|")
    for within, (old, new, n) in FAST.items():
        print(
            f"| {within} | {n:,} | {min(old):.3f} / {statistics.median(old):.3f} "
            f"| {min(new):.3f} / {statistics.median(new):.3f} "
            f"| {statistics.median(old) / statistics.median(new):.1f}x |"
        )
