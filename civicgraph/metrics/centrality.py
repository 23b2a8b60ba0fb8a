"""Hub and center centrality: members, incubation reach, communities served, PageRank,
betweenness and brokerage across districts (docs/metrics-centrality.md)."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from .._errors import CivicGraphError
from ..model import CivicGraph
from ..model.graph import DateLike, _key
from ..schema import ADMIN_LEVELS, COL, NODE_KINDS
from ._scope import hub_scope, index_of
from ._ties import TieGraph, active_org_mask, children, locations, tie_graph, unit_at
from ._units import cached

__all__ = ["hub_centrality", "pagerank", "reach"]

_DISTRICT = ADMIN_LEVELS.index("district")

#: Tie graphs with at most this many nodes get exact betweenness by default.
EXACT_BETWEENNESS_MAX = 5000
#: Sources sampled for betweenness on larger tie graphs by default.
DEFAULT_SAMPLES = 256

_COLUMNS = (
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
)


# ----------------------------------------------------------------------------- pagerank

#: Strongly connected components up to this many nodes are solved exactly (dense inverse)
#: in PageRank's block iteration; larger ones are iterated node by node.
PAGERANK_BLOCK_MAX = 64
#: At most this many dense block entries (float64) per node of the graph.
_BLOCK_ENTRIES_PER_NODE = 16


def pagerank(
    a: sp.spmatrix,
    *,
    alpha: float = 0.85,
    tol: float = 1e-10,
    max_iter: int = 1000,
) -> np.ndarray:
    """PageRank of a weighted directed adjacency matrix, as an exact linear solve.

    Parameters
    ----------
    a : scipy sparse matrix
        ``a[i, j]`` is the weight of the tie ``i -> j``.
    alpha : float
        Damping factor.
    tol : float
        Bound on the L1 error of the result: stop once ``‖x − x*‖₁ ≤ tol`` is proven
        (``x*`` the exact PageRank). Power iteration stopped at an L1 change below ``tol``
        only guarantees ``α/(1−α)·tol`` (networkx also multiplies its ``tol`` by the node
        count, which at a million nodes stops after one iteration).
    max_iter : int
        Give up (raise :class:`CivicGraphError`) after this many block sweeps.

    Returns
    -------
    numpy.ndarray
        The ranks, summing to 1.

    Notes
    -----
    PageRank is the fixed point of power iteration (the iteration of
    ``networkx.pagerank``: uniform teleport, dangling nodes spread uniformly):
    ``x = α Pᵀx + c/n · 1`` with ``P = D⁻¹A`` (``D`` the out-weights; rows of dangling
    nodes zero) and the scalar ``c = α Σ_{dangling} x + 1 − α``. So
    ``x = c/n · (I − αPᵀ)⁻¹ 1``: ``x`` is ``y`` solving ``(I − αPᵀ) y = 1``, divided by
    its sum (``c`` only scales). ``M = I − αPᵀ`` is a nonsingular M-matrix
    (``‖αPᵀ‖₁ ≤ α < 1``).

    ``y`` is found by block Jacobi over the strongly connected components: ``M = B − N``
    with ``B`` the diagonal blocks of ``M`` on components of at most
    :data:`PAGERANK_BLOCK_MAX` nodes (inverted exactly, batched by size) and ``N`` the
    rest; ``y ← B⁻¹(1 + N y)``. Ties between components form a DAG, so when every
    component is small, the sweep count is at most the longest chain of components plus one
    and the result is exact to rounding (a national registry: single orgs and hub-member
    cycles, 3 sweeps instead of ~140 power iterations); inside larger components it
    converges at least as fast as Jacobi (a regular splitting of an M-matrix). It stops at
    the first
    sweep whose residual ``r = 1 − My`` (``= N(y_k − y_{k−1})``, free) satisfies
    ``‖r‖₁/(1−α) ≤ tol·Σy/2``: then ``‖y − y*‖₁ ≤ ‖M⁻¹‖₁‖r‖₁ ≤ tol·Σy/2`` and the
    normalized ``x`` is within ``tol`` of ``x*`` in L1. Everything is float64.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> a = sp.csr_matrix([[0, 1.0], [1.0, 0]])
    >>> pagerank(a).round(3).tolist()
    [0.5, 0.5]
    >>> pagerank(sp.csr_matrix([[0, 1.0], [0, 0]])).round(4).tolist()
    [0.3509, 0.6491]
    """
    a = sp.csr_array(a, dtype=float)
    n = a.shape[0]
    if n == 0:
        return np.zeros(0)
    counts = np.diff(a.indptr)
    out = np.zeros(n)  # out-weights: row sums
    if a.nnz:
        out[counts > 0] = np.add.reduceat(a.data, a.indptr[:-1][counts > 0])
    scale = np.divide(alpha, out, out=np.zeros(n), where=out != 0)
    del out
    data = np.repeat(scale, counts)
    data *= a.data  # α p_ij, row by row
    del scale
    _, label = connected_components(a, directed=True, connection="strong")
    blocks = _Blocks(a.indptr, a.indices, data, label, counts)
    del label, counts
    # N: every tie not inside an inverted block, applied as ``y @ N`` (scipy scatters over
    # the rows reading ``y`` in order, about twice as fast as ``N.T @ y`` here)
    data[blocks.pop_inner()] = 0.0
    nmat = sp.csr_array((data, a.indices, a.indptr), shape=(n, n))
    del data
    one = np.ones(n)
    y = blocks.solve(one)
    z = np.zeros(n)
    bound = tol * (1.0 - alpha) / 2.0
    for _ in range(max_iter):
        z_new = y @ nmat
        if np.abs(z_new - z).sum() <= bound * y.sum():
            return y / y.sum()
        z = z_new
        y = blocks.solve(one + z)
    raise CivicGraphError(
        f"PageRank did not converge in {max_iter} iterations; raise max_iter or tol"
    )


class _Blocks:
    """The block diagonal ``B`` of ``I − αPᵀ`` over small strongly connected components
    (CSR ``indptr``, ``indices`` and ``data`` = ``α p_ij``; ``label``: component of each
    node): singletons as a diagonal, other components as dense inverses grouped by size."""

    def __init__(self, indptr, indices, data, label, counts):
        n = label.size
        size = np.bincount(label)
        node_size = size[label].astype(np.int32)
        small = node_size <= _block_max(size, n)
        row = np.repeat(np.arange(n, dtype=np.int32), counts)  # each CSR entry's row
        #: ties inside an inverted block (by CSR entry): see :meth:`pop_inner`
        self._inner = small[row] & (label[row] == label[indices])
        r, c, d = row[self._inner], indices[self._inner], data[self._inner]
        del row
        # singletons: 1 − α p_vv (self-loops)
        loop = node_size[r] == 1
        self.inv_diag = np.ones(n)
        if loop.any():
            self.inv_diag /= 1.0 - np.bincount(r[loop], weights=d[loop], minlength=n)
            r, c, d = r[~loop], c[~loop], d[~loop]
        multi = np.flatnonzero(small & (node_size > 1))
        del small
        # nodes grouped by component size, then component: each group one (k, s) array
        order = multi[np.argsort(node_size[multi] * np.int64(size.size) + label[multi])]
        sizes, first, count = np.unique(node_size[order], return_index=True, return_counts=True)
        offset = np.empty(n, dtype=np.int64)  # place among the nodes of its size group
        offset[order] = np.arange(order.size) - np.repeat(first, count)
        self.groups = []
        edge_size = node_size[r]
        del node_size
        for s, lo, hi in zip(sizes.tolist(), first.tolist(), (first + count).tolist()):
            members = order[lo:hi].reshape(-1, s)
            k = members.shape[0]
            m = edge_size == s
            ri, ci = offset[r[m]], offset[c[m]]
            # B[block, local(j), local(i)] = −α p_ij (B = I − αPᵀ), duplicates summed
            flat = (ri // s) * s * s + (ci % s) * s + ri % s
            blk = -np.bincount(flat, weights=d[m], minlength=k * s * s).reshape(k, s, s)
            blk[:, np.arange(s), np.arange(s)] += 1.0
            self.groups.append((members, np.linalg.inv(blk)))

    def pop_inner(self) -> np.ndarray:
        """Boolean per CSR entry: the tie lies inside an inverted block (handed over once:
        the sweeps do not need it)."""
        inner, self._inner = self._inner, None
        return inner

    def solve(self, v: np.ndarray) -> np.ndarray:
        """``B⁻¹ v``."""
        out = v * self.inv_diag
        for members, inv in self.groups:
            out[members] = np.matmul(inv, v[members][..., None])[..., 0]
        return out


def _block_max(size: np.ndarray, n: int) -> int:
    """Largest component size to invert: at most ``PAGERANK_BLOCK_MAX`` and within
    ``_BLOCK_ENTRIES_PER_NODE`` dense entries per node in all."""
    counts = np.bincount(size, minlength=PAGERANK_BLOCK_MAX + 1)[: PAGERANK_BLOCK_MAX + 1]
    s = np.arange(counts.size)
    entries = np.cumsum(counts * s * s)
    fits = np.flatnonzero(entries <= _BLOCK_ENTRIES_PER_NODE * max(n, 64))
    return int(fits[-1]) if fits.size else 1


# ----------------------------------------------------------------------------- reach


def reach(c: sp.csr_matrix, rows: np.ndarray) -> np.ndarray:
    """How many nodes each of ``rows`` reaches over the boolean matrix ``c`` (itself not
    counted), by breadth-first frontiers of all rows at once (sparse products)."""
    k = rows.size
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    c = sp.csr_matrix(c, dtype=np.float32)
    frontier = c[rows]
    frontier.data[:] = 1
    seen = frontier.copy()
    while frontier.nnz:
        nxt = frontier @ c
        nxt.data[:] = 1
        nxt = (nxt - nxt.multiply(seen)).tocsr()
        nxt.eliminate_zeros()
        frontier = nxt
        seen = seen + frontier
    seen = seen.tocsr()
    self_hit = np.asarray(seen[np.arange(k), rows]).ravel() > 0
    return np.diff(seen.indptr).astype(np.int64) - self_hit


# ----------------------------------------------------------------------------- betweenness


def _betweenness(
    ties: TieGraph, und: sp.csr_matrix, k: int | None, seed: int | None, engine: str
) -> tuple[np.ndarray, int]:
    """Normalized betweenness of every tie-graph node and the number of sources used
    (``und``: ``ties.undirected``).

    Exact (Brandes) when ``k`` is None or not less than the node count; otherwise from
    ``k`` sources drawn as ``random.Random(seed).sample(range(n), k)`` (the draw
    ``networkx.betweenness_centrality(k=k, seed=seed)`` makes on the same node order),
    rescaled as networkx does.
    """
    n = ties.n
    out = np.zeros(n)
    if n < 3:
        return out, n
    exact = k is None or k >= n
    if exact:
        sources = np.arange(n)
    else:
        sources = np.asarray(random.Random(seed).sample(range(n), k), dtype=np.int64)
    # only the components holding a source contribute
    _, label = connected_components(und, directed=False)
    keep = np.isin(label, np.unique(label[sources]))
    sub_nodes = np.flatnonzero(keep)
    sub = und[sub_nodes][:, sub_nodes].tocoo()
    local = np.full(n, -1, dtype=np.int64)
    local[sub_nodes] = np.arange(sub_nodes.size)
    upper = sub.row < sub.col
    eu, ev = sub.row[upper], sub.col[upper]
    src_local = local[sources]
    raw = _raw_betweenness(sub_nodes.size, eu, ev, src_local, engine)
    out[sub_nodes] = raw
    # networkx's rescaling (endpoints excluded): ordered-pair sums / number of pairs
    m = n - 1
    if exact:
        return out / (m * (m - 1)), n
    is_source = np.zeros(n, dtype=bool)
    is_source[sources] = True
    ks = sources.size
    scale_source = 1.0 / ((ks - 1) * (m - 1)) if ks > 1 else np.nan
    out = out * np.where(is_source, scale_source, 1.0 / (ks * (m - 1)))
    return out, ks


def _raw_betweenness(
    n: int, eu: np.ndarray, ev: np.ndarray, sources: np.ndarray, engine: str
) -> np.ndarray:
    """Sum over ``sources`` s and all targets t of σ_st(v)/σ_st (ordered pairs)."""
    if engine not in ("auto", "igraph", "networkx"):
        raise CivicGraphError(f"unknown engine {engine!r}; use 'auto', 'igraph' or 'networkx'")
    ig = None
    if engine in ("auto", "igraph"):
        try:
            import igraph as ig
        except ImportError:
            if engine == "igraph":
                raise CivicGraphError(
                    "engine='igraph' needs the igraph package: pip install 'civicgraph[igraph]'"
                ) from None
    if ig is not None:
        # a list of int tuples is igraph's fastest input (an ndarray is ~3x slower)
        h = ig.Graph(n=n, edges=list(zip(eu.tolist(), ev.tolist())), directed=False)
        # igraph halves subset betweenness on undirected graphs; undo it
        return 2.0 * np.asarray(h.betweenness(directed=False, sources=sources.tolist()))
    import networkx as nx

    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_edges_from(zip(eu.tolist(), ev.tolist()))
    if sources.size == n:
        b = nx.betweenness_centrality(G, normalized=False)
        return 2.0 * np.array([b[i] for i in range(n)])
    b = nx.betweenness_centrality_subset(G, sources.tolist(), list(range(n)), normalized=False)
    # the subset variant halves undirected sums too
    return 2.0 * np.array([b[i] for i in range(n)])


# ----------------------------------------------------------------------------- brokerage


def _brokerage(
    g: CivicGraph, ties: TieGraph, und: sp.csr_matrix, loc: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per tie-graph node: ``(brokerage, vertical)``, neighbours each counted once.

    ``brokerage``: neighbours that are organizations or admin units located in another
    district than the node's own (both located at district level or below).
    ``vertical``: neighbours across levels, where one of the two is a program or is
    located above district level (a city center, a city program's money).

    ``und``: ``ties.undirected``; ``loc``: :func:`~civicgraph.metrics._ties.locations` of
    every node."""
    nodes = ties.nodes
    loc = loc[nodes]
    program = g.kind_codes[nodes] == NODE_KINDS.index("program")
    district = unit_at(g, loc, "district").astype(np.int32)
    district[program] = -1  # programs bridge no district: their ties are vertical
    above = program | ((loc >= 0) & (g.tree.level[np.maximum(loc, 0)] < _DISTRICT))
    starts = np.repeat(np.arange(nodes.size), np.diff(und.indptr))
    cols = und.indices
    cross = (district[starts] >= 0) & (district[cols] >= 0) & (district[starts] != district[cols])
    vertical = above[starts] | above[cols]
    del starts, cols

    def per_row(flags: np.ndarray) -> np.ndarray:
        before = np.zeros(flags.size + 1, dtype=np.int32)  # flags before each entry
        np.cumsum(flags, out=before[1:])
        return before[und.indptr[1:]] - before[und.indptr[:-1]]

    return per_row(cross), per_row(vertical)


# ----------------------------------------------------------------------------- metric


def hub_centrality(
    g: CivicGraph,
    *,
    as_of: DateLike | None = None,
    weight: str | None = "amount",
    alpha: float = 0.85,
    tol: float = 1e-10,
    betweenness_k: int | None = None,
    seed: int | None = 0,
    engine: str = "auto",
) -> pd.DataFrame:
    """Centrality of every hub and incubation center.

    Parameters
    ----------
    g : CivicGraph
    as_of : date, optional
        Only nodes and ties active on that day.
    weight : str or None
        Edge column that weights money ties in PageRank (``"amount"``); ``None`` weighs
        every tie 1.
    alpha, tol : float
        PageRank damping factor and absolute L1 tolerance.
    betweenness_k : int, optional
        Number of sampled sources for betweenness. Default: exact when the tie graph has at
        most 5,000 nodes, else 256 sources.
    seed : int, optional
        Seed of the source sample.
    engine : {"auto", "igraph", "networkx"}
        Betweenness engine: igraph (the ``igraph`` extra) when installed, else networkx.

    Returns
    -------
    DataFrame
        Indexed by node id (hubs then centers, in node order): ``name``, ``role``,
        ``level`` (level of the unit the org is located in), ``members``, ``reach``,
        ``communities``, ``pagerank``, ``betweenness``, ``betweenness_samples``,
        ``brokerage``, ``vertical``.

    Notes
    -----
    The *child* relation: ``a → b`` when ``a`` incubates ``b`` or ``b`` is a member of
    ``a`` (``member_of`` reversed). ``members`` counts direct children; ``reach`` counts
    every node reachable over child ties (transitive incubation reach, the node itself
    excluded). ``communities``: communities in the node's scope (``serves`` else
    ``located_in``, see ``metrics/_scope.py``).

    The *tie graph* holds every endpoint of an active ``incubates``, ``member_of``,
    ``operates``, ``funds`` or ``awards`` tie, plus every active hub and center.

    PageRank runs on the tie graph directed the way credit flows: member → hub
    (``member_of``), incubated org → incubator (``incubates`` reversed), center → operator
    (``operates`` reversed), funder → recipient (``funds``, ``awards``). Weights: each
    non-money tie 1; a node's money ties together weigh 1, split by amount
    (``w_e = amount_e / Σ amount of the node's money ties``). With damping ``α``:
    ``PR(v) = (1−α)/N + α Σ_{u→v} PR(u) w_uv / W_u + α/N Σ_{dangling} PR(u)``,
    iterated until ``‖x_{k+1} − x_k‖₁ < tol``.

    Betweenness runs on the tie graph made undirected and unweighted:
    ``B(v) = Σ_{s≠v≠t} σ_st(v) / σ_st / ((N−1)(N−2))`` (networkx's normalization;
    unordered pairs counted once). Sampled with ``k`` sources, the source sums are
    rescaled as ``networkx.betweenness_centrality(k=k)`` does, and
    ``betweenness_samples`` says how many sources were used (``N`` when exact).

    ``brokerage`` measures bridging: the node's tie-graph neighbours (each once) that are
    organizations or admin units located in another district than the node's own, both
    located at district level or below. Ties to programs and to or from nodes above
    district level (a city center, city money) are vertical, not bridging: they are
    counted in ``vertical`` (neighbours where one of the two is a program or sits above
    district level). Ties to nodes with no known location count in neither.

    Examples
    --------
    >>> import pandas as pd
    >>> import civicgraph as cg
    >>> nodes = pd.DataFrame({
    ...     "id": ["C", "D", "K", "H", "M1", "M2"],
    ...     "kind": ["admin", "admin", "org", "org", "org", "org"],
    ...     "level": ["city", "district", None, None, None, None],
    ...     "role": [None, None, "center", "hub", "member", "member"],
    ... })
    >>> edges = pd.DataFrame({
    ...     "source": ["C", "K", "H", "K", "M1", "M2"],
    ...     "target": ["D", "C", "D", "H", "H", "H"],
    ...     "kind": ["contains", "located_in", "located_in", "incubates", "member_of",
    ...              "member_of"],
    ... })
    >>> t = cg.hub_centrality(cg.CivicGraph.from_frames(nodes, edges))
    >>> t[["role", "members", "reach", "betweenness", "brokerage", "vertical"]]
          role  members  reach  betweenness  brokerage  vertical
    id
    H      hub        2      2          1.0          0         1
    K   center        1      3          0.0          0         1
    """
    n = g.n_nodes
    rows = np.concatenate(
        [np.flatnonzero(active_org_mask(g, r, as_of=as_of)) for r in ("hub", "center")]
    )
    c = children(g, as_of=as_of)
    members = np.diff(c.indptr)[rows] - (c.diagonal()[rows] != 0).astype(np.int64)
    reached = reach(c, rows)
    del c
    communities = hub_scope(g, as_of=as_of, roles=("hub", "center")).communities_per_hub(n, at=rows)

    # the tie graph and its PageRank are built once per graph and options (kept on g)
    ties = cached(
        g, ("tie_graph", _key(as_of), weight), lambda: tie_graph(g, as_of=as_of, weight=weight)
    )
    # the rows' places in the tie graph (-1: not in it): values are read there, with no
    # array over every node (a national graph has 1.7M)
    tie_row = index_of(ties.nodes, rows)
    in_ties, tie_row = tie_row >= 0, np.maximum(tie_row, 0)

    def at_rows(values: np.ndarray) -> np.ndarray:
        return np.where(in_ties, values[tie_row], 0) if values.size else np.zeros(rows.size)

    pr = at_rows(
        cached(
            g,
            ("pagerank", _key(as_of), weight, alpha, tol),
            lambda: pagerank(ties.credit, alpha=alpha, tol=tol),
        )
    )
    if betweenness_k is None and ties.n > EXACT_BETWEENNESS_MAX:
        betweenness_k = DEFAULT_SAMPLES
    und = ties.undirected  # built once for betweenness and brokerage, not kept
    bt_tie, samples = _betweenness(ties, und, betweenness_k, seed, engine)
    bt = at_rows(bt_tie)
    where = locations(g, as_of=as_of)
    cross, vertical = _brokerage(g, ties, und, where)
    brok = at_rows(cross).astype(np.int64)
    vert = at_rows(vertical).astype(np.int64)
    del und

    loc = where[rows]
    level_names = np.array(ADMIN_LEVELS, dtype=object)
    lvl = g.tree.level[np.maximum(loc, 0)]
    level = np.where((loc >= 0) & (lvl >= 0), level_names[np.maximum(lvl, 0)], None)
    nodes = g._nodes
    out = pd.DataFrame(
        {
            "name": nodes[COL.NAME].iloc[rows].to_numpy(dtype=object),
            "role": nodes[COL.ROLE].iloc[rows].to_numpy(dtype=object),
            "level": pd.Categorical(level, categories=list(ADMIN_LEVELS), ordered=True),
            "members": members.astype(np.int64),
            "reach": reached,
            "communities": communities,
            "pagerank": pr,
            "betweenness": bt,
            "betweenness_samples": np.full(rows.size, samples, dtype=np.int64),
            "brokerage": brok,
            "vertical": vert,
        },
        index=g.index.take(rows),
    )
    return out[list(_COLUMNS)]
