import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

import civicgraph as cg
from civicgraph.metrics.centrality import PAGERANK_BLOCK_MAX, pagerank, reach

ENGINES = ["networkx"]
try:
    import igraph  # noqa: F401

    ENGINES.append("igraph")
except ImportError:
    pass


def test_toy_exact_values(toy):
    t = cg.hub_centrality(toy)
    assert list(t.index) == ["H1", "H2", "K"]
    assert list(t.columns) == [
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
    ]
    assert t["members"].tolist() == [1, 1, 1]
    assert t["reach"].tolist() == [1, 1, 2]  # K reaches H1 and H1's member M1
    assert t["communities"].tolist() == [2, 1, 6]
    assert t["level"].astype(str).tolist() == ["street", "community", "city"]
    # tie graph: H1, H2, K, M1, M2, P; H1 joins M1, K and P: 3 of the C(5,2)=10 pairs
    assert t["betweenness"].tolist() == [pytest.approx(0.3), 0.0, 0.0]
    assert t["betweenness_samples"].tolist() == [6, 6, 6]
    # K sits in the city, H1 in district 990101, P is a program: no tie joins two
    # districts; H1's ties to K and to P, and K's to H1, are vertical
    assert t["brokerage"].tolist() == [0, 0, 0]
    assert t["vertical"].tolist() == [2, 0, 1]
    assert t["pagerank"].sum() < 1


def test_toy_pagerank_by_hand(toy):
    # credit ties M1->H1, H1->K, M2->H2, P->H1 on 6 nodes; solve the linear system
    ids = ["H1", "H2", "K", "M1", "M2", "P"]
    a = np.zeros((6, 6))
    for s, t in [("M1", "H1"), ("H1", "K"), ("M2", "H2"), ("P", "H1")]:
        a[ids.index(s), ids.index(t)] = 1
    alpha = 0.85
    # x = alpha*(a^T x) + alpha*dangling(x)/n + (1-alpha)/n with dangling = H2, K
    dang = np.zeros(6)
    dang[[1, 2]] = 1
    m = np.eye(6) - alpha * a.T - alpha * np.outer(np.ones(6), dang) / 6
    x = np.linalg.solve(m, np.full(6, (1 - alpha) / 6))
    t = cg.hub_centrality(toy)
    np.testing.assert_allclose(t["pagerank"].to_numpy(), x[[0, 1, 2]], atol=1e-10)


def test_as_of_drops_hubs_not_started(toy):
    t = cg.hub_centrality(toy, as_of="2018-01-01")
    assert list(t.index) == ["H1", "K"]
    assert t["communities"].tolist() == [2, 6]
    t = cg.hub_centrality(toy, as_of="2016-02-01")  # K incubates H1 from 2016-03-01
    assert t.loc["K", "members"] == 0 and t.loc["K", "reach"] == 0


def _chain_graph():
    """K incubates H and G; H incubates A; A incubates B; B member of G; X member of H."""
    ids = ["K", "H", "G", "A", "B", "X"]
    roles = ["center", "hub", "hub", "member", "member", "member"]
    nodes = pd.DataFrame({"id": ids, "kind": "org", "role": roles})
    edges = pd.DataFrame(
        [
            ("K", "H", "incubates"),
            ("K", "G", "incubates"),
            ("H", "A", "incubates"),
            ("A", "B", "incubates"),
            ("B", "G", "member_of"),
            ("X", "H", "member_of"),
        ],
        columns=["source", "target", "kind"],
    )
    return cg.CivicGraph.from_frames(nodes, edges)


def test_reach_counts_shared_descendants_once():
    g = _chain_graph()
    t = cg.hub_centrality(g)
    assert t["members"].to_dict() == {"H": 2, "G": 1, "K": 2}
    # K: H, G, A, B, X (B reached twice: via H->A->B and via G)
    assert t["reach"].to_dict() == {"H": 3, "G": 1, "K": 5}


def test_reach_agrees_with_networkx_descendants():
    rng = np.random.default_rng(7)
    n = 300
    # random DAG: edges from lower to higher index
    u = rng.integers(0, n, 900)
    v = rng.integers(0, n, 900)
    keep = u < v
    c = sp.csr_matrix((np.ones(keep.sum(), dtype=bool), (u[keep], v[keep])), shape=(n, n))
    rows = np.arange(0, n, 7)
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    G.add_edges_from(zip(u[keep].tolist(), v[keep].tolist()))
    expected = [len(nx.descendants(G, int(r))) for r in rows]
    assert reach(c, rows).tolist() == expected


@pytest.mark.parametrize("n", [5, 60, 800])
@pytest.mark.parametrize("seed", [1, 2])
def test_pagerank_agrees_with_networkx(n, seed):
    rng = np.random.default_rng(seed)
    m = 3 * n
    u, v = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = u != v
    w = rng.uniform(0.1, 1000, m)[keep]
    G = nx.DiGraph()
    G.add_nodes_from(range(n))  # some nodes stay dangling
    for a, b, x in zip(u[keep].tolist(), v[keep].tolist(), w.tolist()):
        G.add_edge(a, b, weight=G.get_edge_data(a, b, {"weight": 0})["weight"] + x)
    a = nx.to_scipy_sparse_array(G, nodelist=range(n), weight="weight")
    ours = pagerank(a, tol=1e-13)
    ref = nx.pagerank(G, weight="weight", tol=1e-14, max_iter=5000)
    np.testing.assert_allclose(ours, [ref[i] for i in range(n)], rtol=0, atol=1e-10)


def test_pagerank_gives_up_with_a_plain_message():
    a = sp.csr_matrix(np.array([[0, 1.0], [1.0, 0]]))
    assert pagerank(a).tolist() == [0.5, 0.5]
    # a cycle longer than the exactly solved blocks, with a self-loop: iterated
    n = PAGERANK_BLOCK_MAX + 36
    ring = sp.csr_matrix((np.ones(n), (np.arange(n), (np.arange(n) + 1) % n)), shape=(n, n))
    with pytest.raises(cg.CivicGraphError, match="did not converge in 1 iterations"):
        pagerank(ring + sp.csr_matrix(([5.0], ([0], [0])), shape=(n, n)), max_iter=1)


def _nx_pagerank(a) -> np.ndarray:
    G = nx.from_scipy_sparse_array(a, create_using=nx.DiGraph)
    ref = nx.pagerank(G, weight="weight", tol=1e-15, max_iter=10_000)
    return np.array([ref[i] for i in range(a.shape[0])])


def _stars(rng, k: int, first: int):
    """``k`` hub-and-member cycles (members -> hub, hub -> some members), weighted."""
    rows, cols = [], []
    for h in range(k):
        hub = first + h * 6
        members = hub + 1 + np.arange(rng.integers(1, 6))
        rows += members.tolist() + [hub] * (members.size - 1)
        cols += [hub] * members.size + members[1:].tolist()
    return rows, cols


def test_pagerank_small_components_are_exact_in_a_few_sweeps():
    rng = np.random.default_rng(3)
    # sources -> star cycles -> a chain of two -> a 2-cycle with a self-loop; isolated and
    # dangling nodes; longest chain of components: 5, so 5 sweeps are exact (power
    # iteration needs about 180 for this accuracy)
    rows, cols = _stars(rng, 30, 10)
    n = 10 + 30 * 6 + 4 + 5
    hubs = 10 + 6 * np.arange(30)
    rows += list(range(8)) + hubs.tolist() + [190, 191, 192, 193, 193]
    cols += rng.choice(hubs, 8).tolist() + [190] * 30 + [191, 192, 193, 192, 193]
    w = rng.uniform(0.5, 50.0, len(rows))
    a = sp.csr_matrix((w, (rows, cols)), shape=(n, n))
    ours = pagerank(a, max_iter=5)
    np.testing.assert_allclose(ours, _nx_pagerank(a), rtol=0, atol=1e-13)
    assert ours.sum() == pytest.approx(1.0, abs=1e-14)


def test_pagerank_error_bound_holds_on_a_large_component():
    rng = np.random.default_rng(4)
    n = 400  # one big strongly connected part (iterated) beside exact small blocks
    u, v = rng.integers(0, 300, 1200), rng.integers(0, 300, 1200)
    rows, cols = _stars(rng, 15, 300)
    rows, cols = u.tolist() + rows, v.tolist() + cols
    a = sp.csr_matrix((rng.uniform(0.1, 10.0, len(rows)), (rows, cols)), shape=(n, n))
    exact = _nx_pagerank(a)
    np.testing.assert_allclose(pagerank(a, tol=1e-13), exact, rtol=0, atol=1e-13)
    for tol in (1e-3, 1e-6):
        assert np.abs(pagerank(a, tol=tol) - exact).sum() <= tol


# ------------------------------------------------------------- random civic graphs


def random_civic(seed: int, n_hubs: int, n_members: int) -> cg.CivicGraph:
    """A random city: 3 districts x 4 streets x 5 communities, a city center, a center in
    two districts, hubs, members, programs with grants, awards and regrants."""
    rng = np.random.default_rng(seed)
    admin = [("99", "city", None)]
    for d in range(3):
        did = f"99{d:02d}"
        admin.append((did, "district", "99"))
        for s in range(4):
            sid = f"{did}{s:03d}"
            admin.append((sid, "street", did))
            admin += [(f"{sid}{c:03d}", "community", sid) for c in range(5)]
    nodes = [{"id": i, "kind": "admin", "level": lv} for i, lv, _ in admin]
    edges = [{"source": p, "target": i, "kind": "contains"} for i, _, p in admin if p]
    streets = [i for i, lv, _ in admin if lv == "street"]
    comms = [i for i, lv, _ in admin if lv == "community"]
    centers = [("KC", "99"), ("K0", "9900"), ("K1", "9901")]
    for k, where in centers:
        nodes.append({"id": k, "kind": "org", "role": "center"})
        edges.append({"source": k, "target": where, "kind": "located_in"})
    nodes.append({"id": "OP", "kind": "org", "role": "operator"})
    edges.append({"source": "OP", "target": "KC", "kind": "operates"})
    hubs = [f"H{i}" for i in range(n_hubs)]
    places = streets + comms
    for h in hubs:
        nodes.append({"id": h, "kind": "org", "role": "hub"})
        edges.append({"source": h, "target": str(rng.choice(places)), "kind": "located_in"})
        if rng.random() < 0.7:
            k = centers[rng.integers(0, 3)][0]
            edges.append({"source": k, "target": h, "kind": "incubates"})
    for i in range(n_members):
        m = f"M{i}"
        nodes.append({"id": m, "kind": "org", "role": "member"})
        if rng.random() < 0.8:
            edges.append({"source": m, "target": str(rng.choice(comms)), "kind": "located_in"})
        h = str(rng.choice(hubs))
        edges.append({"source": m, "target": h, "kind": "member_of"})
        if rng.random() < 0.2:
            edges.append({"source": str(rng.choice(hubs)), "target": m, "kind": "incubates"})
        if rng.random() < 0.3:
            edges.append(
                {
                    "source": h,
                    "target": m,
                    "kind": "funds",
                    "amount": float(rng.integers(1, 50)) * 100,
                }
            )
    for p in range(4):
        pid = f"P{p}"
        nodes.append({"id": pid, "kind": "program", "funder": "99" if p < 2 else "9900"})
        for h in rng.choice(hubs, size=min(5, len(hubs)), replace=False):
            edges.append(
                {
                    "source": pid,
                    "target": str(h),
                    "kind": "funds",
                    "amount": float(rng.integers(1, 100)) * 1000,
                }
            )
    nodes.append({"id": "AW", "kind": "program"})
    for c in rng.choice(comms, size=3, replace=False):
        edges.append({"source": "AW", "target": str(c), "kind": "awards", "amount": 200000.0})
        m = f"M{rng.integers(0, n_members)}"
        edges.append({"source": str(c), "target": m, "kind": "funds", "amount": 50000.0})
    return cg.CivicGraph.from_frames(pd.DataFrame(nodes), pd.DataFrame(edges))


def reference_networks(g: cg.CivicGraph):
    """The tie graph rebuilt from the edge table with networkx (independent of _ties)."""
    e = g.edges
    nodes = g.nodes
    ties = e[e["kind"].isin(["incubates", "member_of", "operates", "funds", "awards"])]
    key = set(ties["source"]) | set(ties["target"])
    key |= set(nodes.index[nodes["role"].isin(["hub", "center"])])
    order = [i for i in g.ids if i in key]  # tie-graph node order: node positions
    D = nx.DiGraph()
    D.add_nodes_from(order)
    money_total = (
        ties[ties["kind"].isin(["funds", "awards"])].groupby("source")["amount"].sum().to_dict()
    )
    for s, t, k, amt in ties[["source", "target", "kind", "amount"]].itertuples(index=False):
        if k in ("incubates", "operates"):
            s, t, w = t, s, 1.0
        elif k == "member_of":
            w = 1.0
        else:
            w = amt / money_total[s]
        old = D.get_edge_data(s, t, {"weight": 0.0})["weight"]
        D.add_edge(s, t, weight=old + w)
    U = nx.Graph()
    U.add_nodes_from(order)
    U.add_edges_from(D.edges())
    return D, U


@pytest.mark.parametrize(("seed", "n_hubs", "n_members"), [(1, 4, 10), (2, 12, 60), (3, 30, 250)])
def test_scores_agree_with_networkx_on_random_graphs(seed, n_hubs, n_members):
    g = random_civic(seed, n_hubs, n_members)
    D, U = reference_networks(g)
    pr = nx.pagerank(D, weight="weight", tol=1e-14, max_iter=5000)
    bt = nx.betweenness_centrality(U)
    for engine in ENGINES:
        t = cg.hub_centrality(g, tol=1e-13, engine=engine)
        np.testing.assert_allclose(t["pagerank"], [pr[i] for i in t.index], rtol=0, atol=1e-10)
        np.testing.assert_allclose(
            t["betweenness"], [bt[i] for i in t.index], rtol=1e-12, atol=1e-15
        )
        assert (t["betweenness_samples"] == len(U)).all()
    # members and reach against networkx on the child relation
    C = nx.DiGraph()
    C.add_nodes_from(g.ids)
    e = g.edges
    for s, t, k in e[["source", "target", "kind"]].itertuples(index=False):
        if k == "incubates":
            C.add_edge(s, t)
        elif k == "member_of":
            C.add_edge(t, s)
    t = cg.hub_centrality(g)
    assert t["members"].tolist() == [C.out_degree(i) for i in t.index]
    assert t["reach"].tolist() == [len(nx.descendants(C, i)) for i in t.index]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("k", [3, 20])
def test_sampled_betweenness_agrees_with_networkx(engine, k):
    g = random_civic(5, 15, 120)
    _, U = reference_networks(g)
    ref = nx.betweenness_centrality(U, k=k, seed=11)
    t = cg.hub_centrality(g, betweenness_k=k, seed=11, engine=engine)
    np.testing.assert_allclose(t["betweenness"], [ref[i] for i in t.index], rtol=1e-12)
    assert (t["betweenness_samples"] == k).all()


def test_unweighted_pagerank_counts_every_tie_once(toy):
    nodes, edges = toy.to_frames()
    extra = pd.DataFrame([{"source": "P", "target": "H2", "kind": "funds", "amount": 90000.0}])
    g = cg.CivicGraph.from_frames(nodes, pd.concat([edges, extra], ignore_index=True))
    weighted = cg.hub_centrality(g)
    plain = cg.hub_centrality(g, weight=None)
    # P's money goes 90% to H2 when weighted, half and half when not
    assert weighted.loc["H2", "pagerank"] > plain.loc["H2", "pagerank"]
    assert weighted.loc["H1", "pagerank"] < plain.loc["H1", "pagerank"]


def test_unknown_engine_is_refused(toy):
    with pytest.raises(cg.CivicGraphError, match="unknown engine 'gt'"):
        cg.hub_centrality(toy, engine="gt")


def test_unknown_weight_column_is_refused(toy):
    with pytest.raises(cg.SchemaError, match="no column 'yuan' to weigh money ties by"):
        cg.hub_centrality(toy, weight="yuan")


def test_graph_without_hubs_or_centers_gives_an_empty_table():
    admin = cg.read_divisions(cg.datasets.wuhu_divisions_path(), within="3402")
    t = cg.hub_centrality(admin)
    assert t.empty
    assert list(t.columns) == list(cg.hub_centrality(cg.datasets.wuhu()).columns)
