"""The networkx way of each benchmarked computation: the baselines civicgraph is timed
against (benchmarks/) and the speed guard of the default test run compares with
(tests/test_speed_guard.py).

Each baseline is what a researcher would write with pandas and networkx alone: read the
tables, build a networkx graph, walk it with networkx algorithms and Python sets or dicts.
The ``*_view`` helpers prepare the networkx graph of a civicgraph graph (not timed: a
baseline's own build is timed by ``nx_build``); the other functions are the timed part.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

import civicgraph as cg

LEVEL_FILES = (
    ("province", "provinces", None),
    ("city", "cities", "provinceCode"),
    ("district", "areas", "cityCode"),
    ("street", "streets", "areaCode"),
    ("community", "villages", "streetCode"),
)


def nx_read_divisions(path: Path, within: str | None = None) -> nx.DiGraph:
    """The NBS files with pandas, the units under ``within``, a DiGraph parent -> child."""
    G = nx.DiGraph()
    for level, stem, parent in LEVEL_FILES:
        t = pd.read_csv(Path(path) / f"{stem}.csv.gz", dtype=str)
        if within is not None:
            t = t[t["code"].str.startswith(within) | (t["code"] == within[: len(t["code"][0])])]
        G.add_nodes_from((c, {"level": level, "name": n}) for c, n in zip(t["code"], t["name"]))
        if parent is not None:
            G.add_edges_from(zip(t[parent], t["code"]))
    return G


def nx_build(nodes: pd.DataFrame, edges: pd.DataFrame) -> nx.MultiDiGraph:
    """A MultiDiGraph of the same node and edge tables, with kind, level, role, amount."""
    G = nx.MultiDiGraph()
    attrs = nodes[["kind", "level", "role"]].astype(object)
    G.add_nodes_from(zip(nodes["id"], attrs.to_dict("records")))
    G.add_edges_from(
        (s, t, {"kind": k, "amount": a})
        for s, t, k, a in zip(edges["source"], edges["target"], edges["kind"], edges["amount"])
    )
    return G


# ---------------------------------------------------------------------------- coverage


def tree_view(g: cg.CivicGraph):
    """The containment DiGraph, {hub: unit}, {member: unit} and {unit: level} of ``g``."""
    u, v = g.edge_positions
    ids = g.ids
    contains = g.edge_mask("contains")
    located = g.edge_mask("located_in")
    role = g._nodes["role"].astype(object).to_numpy()
    G = nx.DiGraph()
    admin = np.flatnonzero(g.mask(kind="admin"))
    G.add_nodes_from(ids[admin])
    G.add_edges_from(zip(ids[u[contains]], ids[v[contains]]))
    hubs = located & (role[u] == "hub")
    members = located & (role[u] == "member")
    level = dict(zip(ids[admin], g._nodes["level"].astype(object).to_numpy()[admin]))
    return (
        G,
        dict(zip(ids[u[hubs]], ids[v[hubs]])),
        dict(zip(ids[u[members]], ids[v[members]])),
        level,
    )


def _covered(G: nx.DiGraph, hubs: dict, comms: set) -> set:
    covered: set = set()
    for unit in set(hubs.values()):
        covered |= ({unit} | nx.descendants(G, unit)) & comms
    return covered


def nx_coverage(G: nx.DiGraph, hubs: dict, level: dict) -> dict:
    """Per unit: (communities, covered, hubs) from descendants of every hub unit and unit."""
    comms = {n for n in G if level[n] == "community"}
    covered = _covered(G, hubs, comms)
    hubs_at: dict[str, int] = defaultdict(int)
    for unit in hubs.values():
        hubs_at[unit] += 1
    out = {}
    for unit in G:
        under = {unit} | nx.descendants(G, unit)
        mine = under & comms
        out[unit] = (len(mine), len(mine & covered), sum(hubs_at.get(x, 0) for x in under))
    return out


def nx_gaps(G: nx.DiGraph, hubs: dict, members: dict, level: dict) -> dict:
    """Per uncovered community: (nearest hub, hops, members), multi-source BFS on the tree."""
    comms = {n for n in G if level[n] == "community"}
    covered = _covered(G, hubs, comms)
    dist, paths = nx.multi_source_dijkstra(G.to_undirected(as_view=True), set(hubs.values()))
    at_unit: dict = {}
    for h, unit in sorted(hubs.items()):
        at_unit.setdefault(unit, h)
    n_members: dict[str, int] = defaultdict(int)
    for unit in members.values():
        n_members[unit] += 1
    return {
        c: (at_unit[paths[c][0]], dist[c], n_members.get(c, 0))
        for c in comms - covered
        if c in dist
    }


def nx_place_hubs(G: nx.DiGraph, hubs: dict, level: dict, k: int) -> list[int]:
    """Greedy maximum coverage over streets with Python sets: the gain of every step."""
    comms = {n for n in G if level[n] == "community"}
    covered = _covered(G, hubs, comms)
    streets = sorted(n for n in G if level[n] == "street")
    under = {s: (set(G.successors(s)) & comms) - covered for s in streets}
    gains = []
    for _ in range(k):
        best = max(streets, key=lambda s: len(under[s]))  # first maximum: smallest id
        gain = under[best]
        if not gain:
            break
        gains.append(len(gain))
        covered |= gain
        for s in streets:
            under[s] -= gain
    return gains


# ---------------------------------------------------------------------------- centrality


def credit_view(a) -> nx.DiGraph:
    """The weighted DiGraph of a tie graph's credit matrix (same node numbering)."""
    coo = a.tocoo()
    G = nx.DiGraph()
    G.add_nodes_from(range(a.shape[0]))
    G.add_weighted_edges_from(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist()))
    return G


def nx_pagerank(G: nx.DiGraph, tol: float) -> np.ndarray:
    """networkx PageRank to the same absolute L1 tolerance (networkx's is ``tol * N``)."""
    r = nx.pagerank(G, weight="weight", tol=tol / G.number_of_nodes(), max_iter=10_000)
    return np.array([r[i] for i in range(G.number_of_nodes())])


# ---------------------------------------------------------------------------- funding


def nx_funding_flows(G: nx.MultiDiGraph) -> dict:
    """Money of funds/awards edges by (program, year): amount, count, recipients."""
    out: dict = defaultdict(lambda: [0.0, 0, set()])
    kind = G.nodes(data="kind")
    for s, t, d in G.edges(data=True):
        if d["kind"] not in ("funds", "awards"):
            continue
        program = s if kind[s] == "program" else d.get("program")
        start = d.get("start")
        year = None if start is None or pd.isna(start) else start.year
        row = out[program, year]
        row[0] += d["amount"]
        row[1] += 1
        row[2].add(t)
    return out


def money_view(g: cg.CivicGraph) -> nx.MultiDiGraph:
    """A MultiDiGraph of the money edges (funds, awards) with amount, start, program."""
    e = g.edges
    e = e[e["kind"].isin(["funds", "awards"])]
    G = nx.MultiDiGraph()
    G.add_nodes_from(zip(g.ids, ({"kind": k} for k in g._nodes["kind"].astype(object))))
    G.add_edges_from(
        (s, t, {"kind": k, "amount": a, "start": d, "program": p})
        for s, t, k, a, d, p in zip(
            e["source"], e["target"], e["kind"].astype(object), e["amount"], e["start"],
            e["program"] if "program" in e else [None] * len(e),
        )
    )  # fmt: skip
    return G
