"""The admin tree as integer arrays, built once per graph.

All arrays are indexed by node *position* (row number in the node table) so that metrics
can index them with the positions they already hold. Non-admin nodes carry ``-1``.

The pre-order makes "every community under this unit" one contiguous range of the
``communities`` array: ``communities[comm_lo[u]:comm_hi[u]]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..schema import ADMIN_LEVELS

__all__ = ["AdminTree", "build_tree"]

_COMMUNITY = ADMIN_LEVELS.index("community")


@dataclass(frozen=True, eq=False)
class AdminTree:
    """Integer structure of the admin hierarchy.

    Attributes
    ----------
    parent : int32 array
        Position of each node's admin parent, ``-1`` for roots and non-admin nodes.
    level : int8 array
        Index into :data:`civicgraph.schema.ADMIN_LEVELS`, ``-1`` for non-admin nodes.
    depth : int32 array
        Hops from the node's root (roots are 0), ``-1`` for non-admin nodes.
    order : int32 array
        Admin node positions in pre-order (parents before their children, each subtree
        contiguous).
    tin, tout : int32 arrays
        A node's first and one-past-last index in ``order`` (its subtree), ``-1`` for
        non-admin nodes.
    communities : int32 array
        Community positions in pre-order.
    comm_lo, comm_hi : int32 arrays
        Range of each admin node's communities in ``communities`` (``0, 0`` elsewhere).
    """

    parent: np.ndarray
    level: np.ndarray
    depth: np.ndarray
    order: np.ndarray
    tin: np.ndarray
    tout: np.ndarray
    communities: np.ndarray
    comm_lo: np.ndarray
    comm_hi: np.ndarray

    @property
    def n_communities(self) -> int:
        return int(self.communities.size)

    def community_rank(self) -> np.ndarray:
        """Rank of each community in ``communities`` by node position (``-1`` elsewhere)."""
        rank = np.full(self.parent.size, -1, dtype=np.int32)
        rank[self.communities] = np.arange(self.communities.size)
        return rank

    def ancestor_at(self, level: int) -> np.ndarray:
        """Position of each node's ancestor (or itself) at ``level``; ``-1`` where none.

        ``level`` is an index into ``ADMIN_LEVELS``. Nodes above that level get ``-1``.
        """
        n = self.parent.size
        cur = np.arange(n, dtype=np.int32)
        cur[self.level < 0] = -1
        # walk up while the current node is deeper than the level asked for
        for _ in range(int(self.depth.max(initial=0)) + 1):
            deeper = (cur >= 0) & (self.level[np.maximum(cur, 0)] > level)
            if not deeper.any():
                break
            cur[deeper] = self.parent[cur[deeper]]
        found = cur >= 0
        found[found] = self.level[cur[found]] == level
        return np.where(found, cur, -1)

    def count_under(self, mask: np.ndarray) -> np.ndarray:
        """For every node, how many of its subtree's communities ``mask`` marks.

        ``mask`` is a boolean array over node positions (only community entries are read).
        """
        marks = mask[self.communities].astype(np.int64)
        cum = np.concatenate(([0], np.cumsum(marks)))
        return cum[self.comm_hi] - cum[self.comm_lo]


def build_tree(parent: np.ndarray, level: np.ndarray) -> AdminTree:
    """Build the :class:`AdminTree` from parent positions and level codes.

    ``parent`` must be acyclic (the caller checks); ``level`` is ``-1`` for non-admin nodes.
    Vectorized: one pass per tree level, no loop per node.
    """
    n = parent.size
    parent = parent.astype(np.int32, copy=False)
    level = level.astype(np.int8, copy=False)
    is_admin = level >= 0
    admin = np.flatnonzero(is_admin).astype(np.int32)

    # depth by walking every node up to its root, one level at a time
    depth = np.where(is_admin, 0, -1).astype(np.int32)
    cur = np.where(is_admin, parent, -1)
    chain = [
        np.where(is_admin, np.arange(n, dtype=np.int32), -1)
    ]  # chain[k][i]: k-th ancestor of i
    while (cur >= 0).any():
        depth += cur >= 0
        chain.append(cur.copy())
        nxt = np.full(n, -1, dtype=np.int32)
        has = cur >= 0
        nxt[has] = parent[cur[has]]
        cur = nxt
    max_depth = int(depth.max(initial=0))

    # anc[d][i]: ancestor of i at depth d (itself at its own depth), -1 below its depth
    ancestors = np.stack(chain)  # ancestors[k, i]: k-th ancestor of i
    keys = []
    for d in range(max_depth + 1):
        k = depth - d
        ok = np.flatnonzero(is_admin & (k >= 0))
        col = np.full(n, -1, dtype=np.int32)
        col[ok] = ancestors[k[ok], ok]
        keys.append(col[admin])
    # lexsort: last key is primary, so pass the deepest first
    order = admin[np.lexsort(keys[::-1])] if admin.size else admin.astype(np.int32)

    tin = np.full(n, -1, dtype=np.int32)
    tin[order] = np.arange(order.size)
    size = np.where(is_admin, 1, 0).astype(np.int32)
    for d in range(max_depth, 0, -1):
        at = np.flatnonzero(depth == d)
        np.add.at(size, parent[at], size[at])
    tout = np.where(is_admin, tin + size, -1)

    is_comm = level[order] == _COMMUNITY
    communities = order[is_comm]
    cum = np.concatenate(([0], np.cumsum(is_comm)))
    comm_lo = np.zeros(n, dtype=np.int32)
    comm_hi = np.zeros(n, dtype=np.int32)
    comm_lo[admin] = cum[tin[admin]]
    comm_hi[admin] = cum[tout[admin]]
    return AdminTree(
        parent=np.where(is_admin, parent, -1),
        level=level,
        depth=depth,
        order=order,
        tin=tin,
        tout=tout,
        communities=communities,
        comm_lo=comm_lo,
        comm_hi=comm_hi,
    )
