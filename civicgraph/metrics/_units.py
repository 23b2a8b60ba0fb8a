"""Integer helpers shared by the coverage-type metrics (coverage, gaps, placement, summary).

Everything works on node positions and the :class:`~civicgraph.model.AdminTree` arrays:
"under a unit" is a contiguous range of the pre-order (``tin``/``tout``) or of the
community order (``comm_lo``/``comm_hi``), so per-unit totals are prefix-sum differences.
"""

from __future__ import annotations

import numpy as np

from .._errors import SchemaError
from ..model import CivicGraph
from ..model.graph import DateLike
from ..schema import ADMIN_LEVELS, NODE_KINDS, ORG_ROLES

__all__ = [
    "check_level",
    "counted_communities",
    "first_location",
    "id_rank",
    "money_edges",
    "subtree_sum",
]


def check_level(level: str, *, allowed: tuple[str, ...] = ADMIN_LEVELS) -> int:
    """Index of ``level`` in ``ADMIN_LEVELS``; :class:`SchemaError` naming the choices."""
    if level not in allowed:
        raise SchemaError(f"unknown admin level {level!r}; use one of {', '.join(allowed)}")
    return ADMIN_LEVELS.index(level)


def counted_communities(g: CivicGraph, *, urban_only: bool) -> np.ndarray:
    """Bool per community rank: the communities a metric counts (urban ones if asked)."""
    comm = g.tree.communities
    return g.urban[comm] if urban_only else np.ones(comm.size, dtype=bool)


def first_location(
    g: CivicGraph, *, roles: tuple[str, ...], as_of: DateLike | None = None
) -> np.ndarray:
    """Admin unit each org of ``roles`` (active at ``as_of``) is located in, by position.

    ``-1`` for other nodes and for orgs without an active ``located_in`` edge to an admin
    unit. An org with several such edges counts at the first one (edge-table order), so
    every org is counted once.
    """
    n = g.n_nodes
    org = np.zeros(n, dtype=bool)
    for role in roles:
        org |= g.role_codes == ORG_ROLES.index(role)
    org &= (g.kind_codes == NODE_KINDS.index("org")) & g.active_nodes(as_of)
    u, v = g.edge_positions
    m = g.edge_mask("located_in", as_of=as_of) & (u >= 0) & (v >= 0)
    m[m] = org[u[m]] & (g.tree.level[v[m]] >= 0)
    unit = np.full(n, -1, dtype=np.int64)
    # reversed assignment: the first edge of an org is written last and wins
    unit[u[m][::-1]] = v[m][::-1]
    return unit


def subtree_sum(g: CivicGraph, values: np.ndarray) -> np.ndarray:
    """For every node, the sum of ``values`` over its admin subtree (itself included).

    ``values`` is indexed by node position; only admin entries are read. Non-admin nodes
    get 0.
    """
    tree = g.tree
    cum = np.concatenate(([0], np.cumsum(values[tree.order])))
    out = np.zeros(g.n_nodes, dtype=cum.dtype)
    admin = tree.tin >= 0
    out[admin] = cum[tree.tout[admin]] - cum[tree.tin[admin]]
    return out


def id_rank(g: CivicGraph, positions: np.ndarray) -> np.ndarray:
    """Rank of each of ``positions``' ids among them, in sorted id order (tie-breaking)."""
    rank = np.empty(positions.size, dtype=np.int64)
    rank[np.argsort(g.ids[positions].astype(str), kind="stable")] = np.arange(positions.size)
    return rank


def money_edges(g: CivicGraph, *, as_of: DateLike | None = None) -> np.ndarray:
    """Bool over edge rows: new money (``funds``/``awards`` out of a program or government).

    Money is counted once: funds out of organizations and admin units re-spend money an
    earlier edge already brought in, so they are flows, not new money (COMMON conventions).
    """
    u, _ = g.edge_positions
    m = g.edge_mask(("funds", "awards"), as_of=as_of) & (u >= 0)
    src = np.maximum(u, 0)
    program = g.kind_codes[src] == NODE_KINDS.index("program")
    gov = (g.kind_codes[src] == NODE_KINDS.index("org")) & (
        g.role_codes[src] == ORG_ROLES.index("government")
    )
    return m & (program | gov)


#: A small graph the metric docstrings share (one district, two streets, three
#: communities, a hub, a member organization and a program).
EXAMPLE = """
    >>> import pandas as pd
    >>> import civicgraph as cg
    >>> nodes = pd.DataFrame({
    ...     "id": ["990101", "990101001", "990101002", "990101001001", "990101001002",
    ...            "990101002201", "H", "M", "P"],
    ...     "kind": ["admin"] * 6 + ["org", "org", "program"],
    ...     "name": ["East district", "North street", "South street", "Elm", "Oak",
    ...              "Pine village", "Oak federation", "Oak choir", "cradle 2015"],
    ...     "level": ["district", "street", "street"] + ["community"] * 3 + [None] * 3,
    ...     "urban": [None, None, None, True, True, False, None, None, None],
    ...     "role": [None] * 6 + ["hub", "member", None],
    ...     "program_type": [None] * 8 + ["cradle"],
    ... })
    >>> edges = pd.DataFrame({
    ...     "source": ["990101", "990101", "990101001", "990101001", "990101002",
    ...                "H", "M", "M", "P"],
    ...     "target": ["990101001", "990101002", "990101001001", "990101001002",
    ...                "990101002201", "990101001002", "990101001001", "H", "H"],
    ...     "kind": ["contains"] * 5 + ["located_in", "located_in", "member_of", "funds"],
    ...     "amount": [None] * 8 + [50000.0],
    ... })
    >>> g = cg.CivicGraph.from_frames(nodes, edges)"""


def with_example(func):
    """Put :data:`EXAMPLE` where a docstring says ``{example}`` (shared doctest graph)."""
    func.__doc__ = func.__doc__.replace("{example}", EXAMPLE)
    return func
