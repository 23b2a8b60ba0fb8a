"""Shared structure of the organization network: where nodes sit, and the tie graph.

Used by the centrality, funding, rules, trend and platform metrics. Everything is integer
arrays over node positions; nothing loops per node or per edge.

*Location* of a node: an admin unit is located at itself; an organization at the admin unit
of its ``located_in`` tie (active at ``as_of``; where an organization has several, the last
edge row wins); a program at the location of its ``funder`` (an org or admin id in the
optional ``funder`` node column). Nodes without a location get ``-1``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa

from .._errors import SchemaError
from ..model import CivicGraph
from ..model.graph import DateLike
from ..schema import ADMIN_LEVELS, COL, EDGE_KINDS

if TYPE_CHECKING:  # scipy is imported where a matrix is made (it takes ~0.25 s to import)
    import scipy.sparse as sp

__all__ = [
    "FUNDER",
    "TIE_KINDS",
    "TieGraph",
    "children",
    "count_located_under",
    "id_column",
    "ids_at",
    "locations",
    "node_column",
    "tie_graph",
    "unit_at",
]

#: Edge kinds that make up the organization network (centrality runs on these).
TIE_KINDS: tuple[str, ...] = ("incubates", "member_of", "operates", "funds", "awards")

#: Optional program column: id of the funding government org or admin unit.
FUNDER = COL.FUNDER

_MONEY = ("funds", "awards")


def node_column(g: CivicGraph, column: str, *, at: np.ndarray | None = None) -> np.ndarray:
    """An optional node column as an object array by position (all ``None`` if absent).

    With ``at`` (positions, ``-1`` for none): the values at those positions only, ``None``
    at ``-1``; each distinct node's value is converted once and shared by its rows (a
    column of a national graph as Python objects is ~100 MiB).
    """
    if column not in g._nodes.columns:
        return np.full(g.n_nodes if at is None else np.shape(at), None, dtype=object)
    values = g._nodes[column]
    if at is None:
        return _objects(values)
    distinct, inverse = np.unique(at, return_inverse=True)
    out = _objects(values.take(np.maximum(distinct, 0))).copy()  # may be read-only
    out[distinct < 0] = None
    return out[inverse.reshape(np.shape(at))]


def _objects(values: pd.Series) -> np.ndarray:
    return values.astype(object).where(values.notna(), None).to_numpy(dtype=object)


def ids_at(g: CivicGraph, pos: np.ndarray) -> np.ndarray:
    """Node ids at positions as an object array, ``None`` where ``pos`` is ``-1``
    (``node_column(g, "id", at=pos)``: no Python string per node like ``g.ids``)."""
    return node_column(g, COL.ID, at=pos)


def id_column(g: CivicGraph, pos: np.ndarray):
    """Node ids at positions as a table column: the strings taken in Arrow (no Python
    object per row), missing where ``pos`` is ``-1``; what pandas makes of
    :func:`ids_at` (all missing: an object column of ``None``)."""
    pos = np.asarray(pos)
    if not (pos >= 0).any():
        return np.full(pos.shape, None, dtype=object)
    return pd.array(g._id_values.take(pa.array(np.maximum(pos, 0), mask=pos < 0)), dtype="str")


def locations(g: CivicGraph, *, as_of: DateLike | None = None) -> np.ndarray:
    """Admin position where each node sits (see the module docstring), ``-1`` where none."""
    tree = g.tree
    loc = np.where(tree.level >= 0, np.arange(g.n_nodes), -1)
    u, v = g.edge_positions
    m = g.edge_mask("located_in", as_of=as_of) & (u >= 0) & (v >= 0)
    m[m] = tree.level[v[m]] >= 0
    loc[u[m]] = v[m]
    if FUNDER not in g._nodes.columns:
        return loc
    funder = g._nodes[FUNDER]
    has = np.flatnonzero(funder.notna().to_numpy())  # programs only: no object column
    if has.size:
        fpos = g._lookup(pd.Index(funder.take(has).astype(str)))
        ok = fpos >= 0
        loc[has[ok]] = loc[fpos[ok]]
    return loc


def unit_at(g: CivicGraph, loc: np.ndarray, level: str) -> np.ndarray:
    """For each entry of ``loc`` (admin positions or ``-1``), its ancestor at ``level``
    (itself at that level; ``-1`` above it or without one).

    Walks up from the entries themselves, one tree level per pass: arrays the size of
    ``loc``, not of every node (``AdminTree.ancestor_at``).
    """
    tree = g.tree
    lv = ADMIN_LEVELS.index(level)
    cur = np.asarray(loc, dtype=np.int64).copy()
    for _ in range(int(tree.depth.max(initial=0)) + 1):
        up = np.flatnonzero(cur >= 0)
        up = up[tree.level[cur[up]] > lv]
        if not up.size:
            break
        cur[up] = tree.parent[cur[up]]
    ok = cur >= 0
    ok[ok] = tree.level[cur[ok]] == lv
    return np.where(ok, cur, -1)


def count_located_under(g: CivicGraph, loc: np.ndarray, units: np.ndarray) -> np.ndarray:
    """For each admin unit in ``units``: how many entries of ``loc`` (admin positions,
    ``-1`` ignored) lie in the unit or under it (pre-order ranges, no loop per unit)."""
    tree = g.tree
    tins = np.sort(tree.tin[loc[loc >= 0]])
    return np.searchsorted(tins, tree.tout[units]) - np.searchsorted(tins, tree.tin[units])


def children(g: CivicGraph, *, as_of: DateLike | None = None) -> sp.csr_matrix:
    """Boolean n×n CSR: ``[a, b]`` when ``a`` incubates ``b`` or ``b`` is a member of ``a``.

    Only ties active at ``as_of`` between nodes active at ``as_of``.
    """
    import scipy.sparse as sp

    u, v = g.edge_positions
    rows = np.flatnonzero(g.edge_mask(("incubates", "member_of"), as_of=as_of))
    a, b = u[rows], v[rows]
    member = g.edge_kind_codes[rows] == EDGE_KINDS.index("member_of")
    parent, child = np.where(member, b, a), np.where(member, a, b)
    del a, b, member, rows
    active = g.active_nodes(as_of)
    keep = (parent >= 0) & (child >= 0)
    keep[keep] = active[parent[keep]] & active[child[keep]]
    n = g.n_nodes
    c = sp.csr_matrix(
        (np.ones(int(keep.sum()), dtype=bool), (parent[keep], child[keep])), shape=(n, n)
    )
    c.sum_duplicates()
    return c


@dataclass(frozen=True)
class TieGraph:
    """The organization network as matrices over its own nodes.

    ``nodes`` are graph positions (tie-graph index ``i`` is node ``nodes[i]``), in
    position order. ``credit`` is the weighted directed matrix PageRank runs on and
    ``undirected`` the symmetric boolean pattern betweenness runs on (no self-loops), built
    from ``credit`` on each use (tie graphs are kept on the graph; this one need not be).
    """

    nodes: np.ndarray
    credit: sp.csr_matrix

    @property
    def n(self) -> int:
        return int(self.nodes.size)

    @property
    def undirected(self) -> sp.csr_matrix:
        """Every tie once each way, as a boolean pattern: ``credit``'s plus its transpose."""
        import scipy.sparse as sp

        k = self.n
        credit = self.credit
        ties = sp.csr_matrix(
            (np.ones(credit.nnz, dtype=bool), credit.indices, credit.indptr), shape=(k, k)
        )
        return (ties + ties.T).tocsr()


def tie_graph(
    g: CivicGraph, *, as_of: DateLike | None = None, weight: str | None = "amount"
) -> TieGraph:
    """The tie graph: see the Notes of :func:`civicgraph.hub_centrality`.

    Nodes: every endpoint of an active tie of :data:`TIE_KINDS` plus every active hub and
    center. Credit direction: ``member_of`` member -> hub, ``incubates`` reversed
    (incubated org -> incubator), ``operates`` reversed (center -> operator), ``funds`` and
    ``awards`` funder -> recipient. Weights: 1 per non-money tie; a node's money ties
    together weigh 1, split in proportion to ``weight`` (equal split where the node's
    money ties carry no amount). ``weight=None``: every tie weighs 1.
    """
    import scipy.sparse as sp

    n = g.n_nodes
    active = g.active_nodes(as_of)
    u, v = g.edge_positions
    rows = np.flatnonzero(g.edge_mask(TIE_KINDS, as_of=as_of))
    a, b = u[rows], v[rows]
    ok = (a >= 0) & (b >= 0) & (a != b)
    ok[ok] = active[a[ok]] & active[b[ok]]
    rows, a, b = rows[ok], a[ok], b[ok]
    kind = g.edge_kind_codes[rows]
    flip = np.isin(kind, [EDGE_KINDS.index("incubates"), EDGE_KINDS.index("operates")])
    src, dst = np.where(flip, b, a), np.where(flip, a, b)
    del a, b, flip
    money = np.isin(kind, [EDGE_KINDS.index(k) for k in _MONEY])
    w = np.ones(rows.size)
    ms = src[money]
    if weight is not None and weight not in g._edges.columns:
        raise SchemaError(
            f"the edges have no column {weight!r} to weigh money ties by; "
            "use weight='amount' or weight=None"
        )
    if weight is not None:
        amount = pd.to_numeric(g._edges[weight].take(rows[money]), errors="coerce").to_numpy(
            dtype=float, na_value=np.nan
        )
        amount = np.nan_to_num(amount, nan=0.0)
        total = np.bincount(ms, weights=amount, minlength=n)[ms]
        count = np.bincount(ms, minlength=n)[ms]
        mw = np.where(total > 0, amount / np.where(total > 0, total, 1.0), 0.0)
        w[money] = np.where(total > 0, mw, 1.0 / np.maximum(count, 1))
    del rows, kind, money, ms

    member = np.zeros(n, dtype=bool)
    member[src] = True
    member[dst] = True
    for role in ("hub", "center"):
        member |= g.mask(kind="org", role=role) & active
    nodes = np.flatnonzero(member)
    index = np.full(n, -1, dtype=np.int32)  # tie-graph index of each node
    index[nodes] = np.arange(nodes.size, dtype=np.int32)
    k = nodes.size
    credit = sp.csr_matrix((w, (index[src], index[dst])), shape=(k, k))
    del w, src, dst, index
    credit.sum_duplicates()  # leaves views into the longer arrays: kept compact below
    return TieGraph(nodes=nodes, credit=credit.copy())


def active_org_mask(g: CivicGraph, role: str, *, as_of: DateLike | None = None) -> np.ndarray:
    """Boolean over positions: organizations of ``role`` active at ``as_of``."""
    return g.mask(kind="org", role=role) & g.active_nodes(as_of)


def names(g: CivicGraph, pos: np.ndarray) -> np.ndarray:
    """Node names at positions (``None`` where missing)."""
    return node_column(g, COL.NAME, at=pos)
