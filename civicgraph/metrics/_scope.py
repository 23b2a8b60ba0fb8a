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

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..model import CivicGraph
from ..model.graph import DateLike

__all__ = ["Scope", "hub_scope"]


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
        n = self.n_communities + 1
        # bincount, not np.add.at: same difference array, many times faster at scale
        diff = np.bincount(self.lo, minlength=n) - np.bincount(self.hi, minlength=n)
        return np.cumsum(diff[:-1]) > 0

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

    def communities_per_hub(self, n_nodes: int) -> np.ndarray:
        """Number of distinct communities each hub covers, by node position."""
        lo, hi, hub = self.merged()
        return np.bincount(hub, weights=hi - lo, minlength=n_nodes).astype(np.int64)


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
    active = g.active_nodes(as_of)
    is_hub = np.zeros(g.n_nodes, dtype=bool)
    for role in roles:
        is_hub |= g.mask(kind="org", role=role)
    is_hub &= active
    if hubs is not None:
        only = np.zeros(g.n_nodes, dtype=bool)
        only[hubs] = True
        is_hub &= only

    u, v = g.edge_positions
    admin_target = np.zeros(u.size, dtype=bool)
    ok = v >= 0
    admin_target[ok] = tree.level[v[ok]] >= 0
    serves = g.edge_mask("serves", as_of=as_of) & admin_target & (u >= 0)
    serves &= is_hub[np.maximum(u, 0)]
    located = g.edge_mask("located_in", as_of=as_of) & admin_target & (u >= 0)
    located &= is_hub[np.maximum(u, 0)]
    has_serves = np.zeros(g.n_nodes, dtype=bool)
    has_serves[u[serves]] = True
    located &= ~has_serves[np.maximum(u, 0)]
    use = serves | located
    hub_pos, unit_pos = u[use], v[use]
    return Scope(
        hubs=hub_pos,
        units=unit_pos,
        lo=tree.comm_lo[unit_pos],
        hi=tree.comm_hi[unit_pos],
        n_communities=tree.n_communities,
    )
