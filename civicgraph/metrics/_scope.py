"""Hub scope: which communities each hub reaches. Shared by coverage, gaps, centrality
and funding metrics.

Definition (docs/metrics.md, DESIGN.md): a hub's scope is the set of communities under
the admin units of its ``serves`` edges where it has any; otherwise under the admin unit it
is ``located_in`` (a street-level federation covers its street's communities, a community
federation its community). Only hubs (and ties) active at ``as_of`` count.

Everything is integer arrays: a scope is a list of ``(hub, unit)`` pairs, and a unit's
communities are the contiguous range ``tree.communities[comm_lo[unit]:comm_hi[unit]]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._errors import SchemaError
from ..model import CivicGraph
from ..model.graph import DateLike
from ..schema import ADMIN_LEVELS, COL, EDGE_KINDS, NODE_KINDS, ORG_ROLES

__all__ = [
    "DEFINITIONS",
    "OrgTies",
    "Scope",
    "check_definition",
    "hub_scope",
    "index_of",
    "org_ties",
    "own_covered",
    "role_nodes",
    "role_ties",
    "serves_covered",
]

#: The two readings of "a community has a hub": ``"served"``, in some hub's scope (a
#: street federation serves its whole street); ``"own"``, a hub located in the community
#: itself (or serving exactly that community).
DEFINITIONS: tuple[str, ...] = ("served", "own")


def check_definition(definition: str) -> str:
    """``definition`` if it is one of :data:`DEFINITIONS`, else :class:`SchemaError`."""
    if definition not in DEFINITIONS:
        raise SchemaError(
            f"unknown coverage definition {definition!r}; use 'served' (in some hub's "
            "service area) or 'own' (a hub of the community's own)"
        )
    return definition


@dataclass(frozen=True)
class Scope:
    """``(hub, unit)`` pairs: hub ``hubs[i]`` covers the communities under ``units[i]``.

    Positions are node positions of the graph the scope was computed on; ``lo``/``hi``
    are the unit's community range in ``tree.communities``.
    """

    hubs: np.ndarray
    units: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    n_communities: int

    def covered(self) -> np.ndarray:
        """Boolean array over community ranks (``tree.communities`` order): covered."""
        # a difference array summed in place: national scopes have a few hundred thousand
        # ranges over 620,573 communities, and fresh memory is what costs (int64: numpy's
        # fast path of add.at; with int32 it is 20x slower)
        diff = np.zeros(self.n_communities + 1, dtype=np.int64)
        np.add.at(diff, self.lo, 1)
        np.subtract.at(diff, self.hi, 1)
        np.cumsum(diff, out=diff)
        return diff[:-1] > 0

    def coverers(self) -> np.ndarray:
        """How many hubs cover each community (community rank order)."""
        diff = np.zeros(self.n_communities + 1, dtype=np.int64)
        # a hub whose units nest or repeat counts once: merge per hub first
        lo, hi, _ = self.merged()
        np.add.at(diff, lo, 1)
        np.add.at(diff, hi, -1)
        return np.cumsum(diff[:-1])

    def merged(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each hub's ranges merged so they do not overlap: ``(lo, hi, hub)``."""
        if self.hubs.size == 0:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        df = pd.DataFrame({"hub": self.hubs, "lo": self.lo, "hi": self.hi})
        df = df[df["hi"] > df["lo"]].sort_values(["hub", "lo", "hi"], kind="stable")
        prev_hi = df.groupby("hub", sort=False)["hi"].cummax().groupby(df["hub"]).shift(1)
        start = np.maximum(df["lo"].to_numpy(), prev_hi.fillna(-1).to_numpy(dtype=np.int64))
        keep = df["hi"].to_numpy() > start
        return start[keep], df["hi"].to_numpy()[keep], df["hub"].to_numpy()[keep]

    def communities_per_hub(self, n_nodes: int, at: np.ndarray | None = None) -> np.ndarray:
        """Number of distinct communities each hub covers, by node position; only at the
        positions ``at`` (in their order) when given."""
        lo, hi, hub = self.merged()
        if at is None:
            return np.bincount(hub, weights=hi - lo, minlength=n_nodes).astype(np.int64)
        row = index_of(at, hub)
        keep = row >= 0
        return np.bincount(row[keep], weights=(hi - lo)[keep], minlength=at.size).astype(np.int64)


def index_of(at: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Index in ``at`` (distinct node positions) of each of ``positions``, -1 where absent:
    a sorted look-up, no array over every node."""
    if at.size == 0:
        return np.full(positions.size, -1, dtype=np.int64)
    order = np.argsort(at, kind="stable")
    srt = at[order]
    i = np.minimum(np.searchsorted(srt, positions), srt.size - 1)
    return np.where(srt[i] == positions, order[i], -1)


@dataclass(frozen=True)
class OrgTies:
    """Every ``located_in`` and ``serves`` edge from an organization to an admin unit, in
    edge-table order, with the days it counts: pulled out of the edge table once per graph
    so that a metric at a new date filters these instead of every edge.

    A tie counts from ``lo`` (inclusive) to ``hi`` (exclusive), in nanoseconds: the later
    of its own and its organization's start, the earlier of the two ends (open ends are the
    extreme int64 values).
    """

    u: np.ndarray
    v: np.ndarray
    serves: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    gone: np.ndarray | None = None  # the organization's status says it ended (注销, 撤销)
    _subsets: dict = field(default_factory=dict, repr=False, compare=False)

    def active(self, as_of: DateLike | None) -> np.ndarray:
        """Ties active at ``as_of`` whose organization is active too (all when ``None``,
        but those of organizations whose status says they ended)."""
        if as_of is None:
            return np.ones(self.u.size, dtype=bool) if self.gone is None else ~self.gone
        t = pd.Timestamp(as_of).as_unit("ns").value
        return (self.lo <= t) & (t < self.hi)

    def of(self, key: tuple, nodes) -> OrgTies:
        """The ties of the organizations ``nodes()`` marks (bool by node position), kept
        per ``key``: per-date work on them scales with those organizations, not all."""
        if key not in self._subsets:
            m = nodes()[self.u]
            self._subsets[key] = OrgTies(
                self.u[m],
                self.v[m],
                self.serves[m],
                self.lo[m],
                self.hi[m],
                None if self.gone is None else self.gone[m],
            )
        return self._subsets[key]


def role_nodes(g: CivicGraph, roles: tuple[str, ...]) -> np.ndarray:
    """Bool by node position: an organization with one of ``roles``."""
    m = np.isin(g.role_codes, [ORG_ROLES.index(r) for r in roles])
    return m & (g.kind_codes == NODE_KINDS.index("org"))


def role_ties(g: CivicGraph, roles: tuple[str, ...]) -> OrgTies:
    """The :class:`OrgTies` of the organizations of ``roles`` (kept on the graph)."""
    key = ("roles", *sorted(roles))
    return org_ties(g).of(key, lambda: role_nodes(g, roles))


def org_ties(g: CivicGraph) -> OrgTies:
    """The graph's :class:`OrgTies`, built on first use and kept on the graph."""
    cache = g.__dict__.setdefault("_org_ties", {})
    if "ties" not in cache:
        u, v = g.edge_positions
        kinds = g.edge_kind_codes
        serves_code = EDGE_KINDS.index("serves")
        m = np.isin(kinds, [EDGE_KINDS.index("located_in"), serves_code]) & (u >= 0) & (v >= 0)
        rows = np.flatnonzero(m)
        rows = rows[
            (g.kind_codes[u[rows]] == NODE_KINDS.index("org")) & (g.tree.level[v[rows]] >= 0)
        ]
        nodes, edges = g._nodes, g._edges

        nat, top = np.iinfo(np.int64).min, np.iinfo(np.int64).max

        def ns(col: pd.Series, at: np.ndarray, open_end: int) -> np.ndarray:
            x = col.to_numpy(dtype="datetime64[ns]")[at].view(np.int64)
            return np.where(x == nat, open_end, x)

        ur = u[rows]
        gone, undated = g._ended
        cache["ties"] = OrgTies(
            u=ur,
            v=v[rows],
            serves=kinds[rows] == serves_code,
            lo=np.maximum(ns(edges[COL.START], rows, nat), ns(nodes[COL.START], ur, nat)),
            hi=np.where(
                undated[ur],
                nat,
                np.minimum(ns(edges[COL.END], rows, top), ns(nodes[COL.END], ur, top)),
            ),
            gone=gone[ur] if gone.any() else None,
        )
    return cache["ties"]


def hub_scope(
    g: CivicGraph,
    *,
    as_of: DateLike | None = None,
    roles: tuple[str, ...] = ("hub",),
    hubs: np.ndarray | None = None,
) -> Scope:
    """The :class:`Scope` of the graph's hubs (orgs with one of ``roles``) at ``as_of``.

    ``hubs`` restricts the scope to these node positions (after the role filter).
    """
    tree = g.tree
    ties = role_ties(g, roles)
    m = ties.active(as_of)
    if hubs is not None:
        only = np.zeros(g.n_nodes, dtype=bool)
        only[hubs] = True
        m &= only[ties.u]
    has_serves = np.zeros(g.n_nodes, dtype=bool)
    has_serves[ties.u[m & ties.serves]] = True
    use = m & (ties.serves | ~has_serves[ties.u])
    hub_pos, unit_pos = ties.u[use], ties.v[use]
    return Scope(
        hubs=hub_pos,
        units=unit_pos,
        lo=tree.comm_lo[unit_pos],
        hi=tree.comm_hi[unit_pos],
        n_communities=tree.n_communities,
    )


def own_covered(
    g: CivicGraph, *, as_of: DateLike | None = None, roles: tuple[str, ...] = ("hub",)
) -> np.ndarray:
    """Bool per community rank (``tree.communities`` order): the community has an active
    organization of ``roles`` of its own, one ``located_in`` the community itself or with
    a ``serves`` edge to exactly that community (the ``"own"`` reading of coverage)."""
    tree = g.tree
    ties = role_ties(g, roles)
    v = ties.v[ties.active(as_of)]
    v = v[tree.level[v] == ADMIN_LEVELS.index("community")]
    out = np.zeros(tree.n_communities, dtype=bool)
    out[tree.comm_lo[v]] = True
    return out


def serves_covered(
    g: CivicGraph, *, as_of: DateLike | None = None, roles: tuple[str, ...] = ("hub",)
) -> np.ndarray:
    """Bool per community rank: under a unit of an active ``serves`` edge of an
    organization of ``roles`` (the ``located_in`` fallback of :func:`hub_scope` left out:
    it is the hubs' rule, a federation covering the unit it sits in)."""
    tree = g.tree
    ties = role_ties(g, roles)
    m = ties.active(as_of) & ties.serves
    units = ties.v[m]
    scope = Scope(ties.u[m], units, tree.comm_lo[units], tree.comm_hi[units], tree.n_communities)
    return scope.covered()
