"""Coverage and gaps on a national-size registry, against the plain networkx way.

Targets (issue 3): ``coverage(level="all")`` <= 20 ms and >= 300x faster than networkx;
``gaps`` <= 0.1 s. Run with ``python -m pytest benchmarks/bench_coverage.py
--benchmark-enable``.

The registry: the real NBS 2023 divisions (620,573 communities) plus 1,000,000
organizations generated here with numpy (seeded): 100,000 hubs (70% located in a
random community, 30% in a random street) and 900,000 member organizations in random
communities.

Timings of civicgraph are *warm*: the graph's derived arrays (admin tree, edge
positions, and the per-graph caches the metrics keep: hub scope, locations, name
columns) exist from an earlier call, as in a notebook or a report that asks several
questions of one graph. The first (*cold*) call on a fresh graph is measured once and
reported in ``extra_info``.

The networkx baseline runs on a 1/20 slice (the first cities in code order holding
~31,000 communities, with their organizations) because the plain way takes minutes at
national scale; the ratio is per community: ``(nx_seconds / slice_communities) /
(cg_seconds / national_communities)``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import civicgraph as cg

DIVISIONS = Path(
    os.environ.get(
        "CIVICGRAPH_DIVISIONS",
        Path(__file__).resolve().parents[2] / "shared" / "data" / "cn-divisions-2023",
    )
)
N_HUBS, N_MEMBERS = 100_000, 900_000
SLICE = 20
RESULTS: dict[str, float] = {}


def _frames(divisions: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The national node and edge tables with 1M generated organizations."""
    if not (divisions / "villages.csv.gz").exists():
        pytest.fail(f"the national division files are not at {divisions}")
    nodes, edges = cg.read_divisions(divisions).to_frames()
    rng = np.random.default_rng(2019)
    level = nodes["level"].astype(str).to_numpy()
    ids = nodes["id"].to_numpy(dtype=object)
    comm, street = ids[level == "community"], ids[level == "street"]
    hub_ids = np.char.add("H", np.arange(N_HUBS).astype(str)).astype(object)
    member_ids = np.char.add("M", np.arange(N_MEMBERS).astype(str)).astype(object)
    in_street = rng.random(N_HUBS) < 0.3
    hub_at = np.where(in_street, rng.choice(street, N_HUBS), rng.choice(comm, N_HUBS))
    orgs = pd.DataFrame(
        {
            "id": np.concatenate([hub_ids, member_ids]),
            "kind": "org",
            "role": np.repeat(["hub", "member"], [N_HUBS, N_MEMBERS]),
            "name": np.concatenate([hub_ids, member_ids]),
        }
    )
    located = pd.DataFrame(
        {
            "source": orgs["id"],
            "target": np.concatenate([hub_at, rng.choice(comm, N_MEMBERS)]),
            "kind": "located_in",
        }
    )
    return (
        pd.concat([nodes, orgs], ignore_index=True),
        pd.concat([edges, located], ignore_index=True),
    )


def _fresh(nodes: pd.DataFrame, edges: pd.DataFrame) -> cg.CivicGraph:
    g = cg.CivicGraph.from_frames(nodes, edges, validate=False)
    g.tree  # noqa: B018 - structural arrays every metric shares
    g.edge_positions  # noqa: B018
    return g


@pytest.fixture(scope="module")
def tables():
    return _frames(DIVISIONS)


@pytest.fixture(scope="module")
def registry(tables):
    return _fresh(*tables)


@pytest.fixture(scope="module")
def nx_slice(registry):
    """networkx DiGraph (contains + located_in) of the first cities holding 1/20 of the
    communities, the slice's hub locations and its community count."""
    g = registry
    t = g.tree
    cities = t.order[t.level[t.order] == cg.schema.ADMIN_LEVELS.index("city")]
    counts = t.comm_hi[cities] - t.comm_lo[cities]
    take = cities[: int(np.searchsorted(np.cumsum(counts), t.n_communities / SLICE)) + 1]
    keep = np.zeros(g.n_nodes, dtype=bool)
    for c in take:
        keep[t.order[t.tin[c] : t.tout[c]]] = True
    u, v = g.edge_positions
    contains = g.edge_mask("contains") & keep[u] & keep[v]
    located = g.edge_mask("located_in") & keep[v]
    G = nx.DiGraph()
    G.add_edges_from(zip(g.ids[u[contains]], g.ids[v[contains]]))
    G.add_nodes_from(g.ids[t.order[keep[t.order]]])
    roles = g.nodes["role"].astype(str).to_numpy()
    org_loc = {
        "hub": dict(
            zip(g.ids[u[located & (roles[u] == "hub")]], g.ids[v[located & (roles[u] == "hub")]])
        ),
        "member": dict(
            zip(
                g.ids[u[located & (roles[u] == "member")]],
                g.ids[v[located & (roles[u] == "member")]],
            )
        ),
    }
    level = dict(zip(g.ids[t.order], np.asarray(cg.schema.ADMIN_LEVELS)[t.level[t.order]]))
    n_comm = int(counts[: take.size].sum())
    return G, org_loc, level, n_comm


def nx_coverage(G, hubs: dict, level: dict) -> dict:
    """Plain coverage on networkx: descendants of every hub unit, then of every unit."""
    comms = {n for n in G if level[n] == "community"}
    covered = set()
    for unit in hubs.values():
        covered |= ({unit} | nx.descendants(G, unit)) & comms
    hubs_at: dict[str, int] = {}
    for unit in hubs.values():
        hubs_at[unit] = hubs_at.get(unit, 0) + 1
    out = {}
    for unit in G:
        under = {unit} | nx.descendants(G, unit)
        mine = under & comms
        out[unit] = (len(mine), len(mine & covered), sum(hubs_at.get(x, 0) for x in under))
    return out


def nx_gaps(G, hubs: dict, members: dict, level: dict) -> dict:
    """Plain gaps on networkx: uncovered communities, nearest hub by multi-source BFS."""
    comms = {n for n in G if level[n] == "community"}
    covered = set()
    for unit in hubs.values():
        covered |= ({unit} | nx.descendants(G, unit)) & comms
    dist, paths = nx.multi_source_dijkstra(G.to_undirected(as_view=True), set(hubs.values()))
    at_unit = {}
    for h, unit in sorted(hubs.items()):
        at_unit.setdefault(unit, h)
    n_members: dict[str, int] = {}
    for unit in members.values():
        n_members[unit] = n_members.get(unit, 0) + 1
    return {
        c: (at_unit[paths[c][0]], dist[c], n_members.get(c, 0))
        for c in comms - covered
        if c in dist
    }


def _record(benchmark, name: str, cold: float) -> None:
    benchmark.extra_info["cold_seconds"] = round(cold, 4)
    RESULTS[f"{name}_cold"] = cold


@pytest.mark.benchmark(group="coverage")
def test_coverage_all_levels(benchmark, tables):
    g = _fresh(*tables)
    t0 = time.perf_counter()
    cg.coverage(g, level="all")
    _record(benchmark, "coverage", time.perf_counter() - t0)
    cov = benchmark.pedantic(cg.coverage, args=(g,), kwargs={"level": "all"}, rounds=20)
    assert len(cov) == 665_276 + 1
    RESULTS["coverage"] = benchmark.stats.stats.min if benchmark.stats else np.nan
    print(f"\ncoverage(level='all'): cold {RESULTS['coverage_cold']:.3f} s")


@pytest.mark.benchmark(group="coverage")
def test_coverage_networkx_baseline(benchmark, nx_slice):
    G, org_loc, level, n_comm = nx_slice
    out = benchmark.pedantic(nx_coverage, args=(G, org_loc["hub"], level), rounds=1)
    assert len(out) == G.number_of_nodes()
    if benchmark.stats and "coverage" in RESULTS:
        per_nx = benchmark.stats.stats.min / n_comm
        per_cg = RESULTS["coverage"] / 620_573
        benchmark.extra_info.update(slice_communities=n_comm, ratio_per_community=per_nx / per_cg)
        print(f"\ncoverage: networkx/civicgraph per community = {per_nx / per_cg:.0f}x")


@pytest.mark.benchmark(group="gaps")
def test_gaps(benchmark, tables):
    g = _fresh(*tables)
    t0 = time.perf_counter()
    cg.gaps(g)
    _record(benchmark, "gaps", time.perf_counter() - t0)
    gp = benchmark.pedantic(cg.gaps, args=(g,), rounds=10)
    assert len(gp) > 0 and (gp["hops"] >= 0).all()
    RESULTS["gaps"] = benchmark.stats.stats.min if benchmark.stats else np.nan
    benchmark.extra_info["gap_rows"] = len(gp)
    print(f"\ngaps: {len(gp):,} rows, cold {RESULTS['gaps_cold']:.3f} s")


@pytest.mark.benchmark(group="gaps")
def test_gaps_networkx_baseline(benchmark, nx_slice):
    G, org_loc, level, n_comm = nx_slice
    out = benchmark.pedantic(nx_gaps, args=(G, org_loc["hub"], org_loc["member"], level), rounds=1)
    assert len(out) > 0
    if benchmark.stats and "gaps" in RESULTS:
        per_nx = benchmark.stats.stats.min / n_comm
        per_cg = RESULTS["gaps"] / 620_573
        benchmark.extra_info.update(slice_communities=n_comm, ratio_per_community=per_nx / per_cg)
        print(f"\ngaps: networkx/civicgraph per community = {per_nx / per_cg:.0f}x")
