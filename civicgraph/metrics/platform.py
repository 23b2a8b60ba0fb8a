"""The three-level incubation platform: city center -> district center -> hubs.

:func:`platform` gives one row per district (which levels exist, how many organizations
each level incubated); :func:`platform_chains` lists the chains center -> hub -> member.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model import CivicGraph
from ..model.graph import DateLike
from ..schema import ADMIN_LEVELS, COL
from ._ties import (
    active_org_mask,
    children,
    count_located_under,
    locations,
    node_column,
    unit_at,
)

__all__ = ["platform", "platform_chains"]

_CITY = ADMIN_LEVELS.index("city")


def _tiers(g: CivicGraph, as_of: DateLike | None):
    """Location, district and city of every node, and masks of city centers, district
    centers and hubs active at ``as_of``."""
    loc = locations(g, as_of=as_of)
    district = unit_at(g, loc, "district")
    city = unit_at(g, loc, "city")
    lvl = np.where(loc >= 0, g.tree.level[np.maximum(loc, 0)], -1)
    center = active_org_mask(g, "center", as_of=as_of)
    city_center = center & (lvl >= 0) & (lvl <= _CITY)
    district_center = center & (lvl > _CITY)
    hub = active_org_mask(g, "hub", as_of=as_of)
    return loc, district, city, city_center, district_center, hub


def platform(g: CivicGraph, *, as_of: DateLike | None = None) -> pd.DataFrame:
    """The three-level platform in each district.

    Parameters
    ----------
    g : CivicGraph
    as_of : date, optional
        Only organizations and ties active on that day.

    Returns
    -------
    DataFrame
        Indexed by district id (every district-level unit, pre-order): ``name``,
        ``city`` (its city's id), ``city_centers`` (active centers located at its city or
        above), ``district_centers`` (centers located in the district or under it),
        ``hubs`` (hubs located in the district or under it), ``levels`` (how many of the
        three levels exist, 0-3), ``complete`` (all three), and the distinct organizations
        of the district incubated by each level: ``city_incubated``,
        ``district_incubated``, ``hub_incubated`` (a hub's members count as incubated by
        it).

    Notes
    -----
    An incubated organization belongs to the district it is located in; one with no
    location to the district of its incubator (a city center has none: such ties are left
    out). Ties are ``incubates`` (and ``member_of`` for hubs), active at ``as_of``.

    Examples
    --------
    >>> import pandas as pd
    >>> import civicgraph as cg
    >>> nodes = pd.DataFrame({
    ...     "id": ["C", "D", "KC", "KD", "H", "M"],
    ...     "kind": ["admin", "admin", "org", "org", "org", "org"],
    ...     "level": ["city", "district", None, None, None, None],
    ...     "role": [None, None, "center", "center", "hub", "member"],
    ... })
    >>> edges = pd.DataFrame({
    ...     "source": ["C", "KC", "KD", "H", "KD", "M"],
    ...     "target": ["D", "C", "D", "D", "H", "H"],
    ...     "kind": ["contains", "located_in", "located_in", "located_in", "incubates",
    ...              "member_of"],
    ... })
    >>> p = cg.platform(cg.CivicGraph.from_frames(nodes, edges))
    >>> p[["levels", "complete", "city_incubated", "district_incubated", "hub_incubated"]]
        levels  complete  city_incubated  district_incubated  hub_incubated
    id
    D        3      True               0                   1              1
    """
    tree = g.tree
    loc, district, city, city_center, district_center, hub = _tiers(g, as_of)
    units = np.flatnonzero(g.mask(level="district"))
    units = units[np.argsort(tree.tin[units], kind="stable")]
    n = g.n_nodes

    def located_under(mask: np.ndarray) -> np.ndarray:
        return count_located_under(g, loc[mask], units)

    city_of = tree.parent[units]
    # city centers: located at the city (or above it: a province-level center counts)
    cc = np.zeros(n, dtype=np.int64)
    cc_loc = loc[city_center]
    np.add.at(cc, cc_loc[cc_loc >= 0], 1)
    above = np.zeros(units.size, dtype=np.int64)
    cur = city_of.copy()
    while (cur >= 0).any():
        ok = cur >= 0
        above[ok] += cc[cur[ok]]
        cur[ok] = tree.parent[cur[ok]]

    c = children(g, as_of=as_of).tocoo()
    parent, child = c.row, c.col
    where = np.where(district[child] >= 0, district[child], district[parent])

    def incubated(tier: np.ndarray) -> np.ndarray:
        m = tier[parent] & (where >= 0)
        pairs = np.unique(np.stack([where[m], child[m]]), axis=1)
        return np.bincount(pairs[0], minlength=n)[units] if pairs.size else np.zeros(units.size)

    dc = located_under(district_center)
    hubs = located_under(hub)
    levels = (above > 0).astype(np.int64) + (dc > 0) + (hubs > 0)
    return pd.DataFrame(
        {
            "name": node_column(g, COL.NAME, at=units),
            "city": np.where(city_of >= 0, g.ids[np.maximum(city_of, 0)], None),
            "city_centers": above,
            "district_centers": dc,
            "hubs": hubs,
            "levels": levels,
            "complete": levels == 3,
            "city_incubated": incubated(city_center).astype(np.int64),
            "district_incubated": incubated(district_center).astype(np.int64),
            "hub_incubated": incubated(hub).astype(np.int64),
        },
        index=pd.Index(g.ids[units], name=COL.ID),
    )


def platform_chains(g: CivicGraph, *, as_of: DateLike | None = None) -> pd.DataFrame:
    """Chains center -> hub -> member, one row per chain.

    Returns
    -------
    DataFrame
        Columns ``district`` (the hub's district id), ``center``, ``center_level``
        (``"city"`` or ``"district"``), ``hub``, ``member``; ordered by hub, then center,
        then member (node order). A hub no center incubated has ``center`` missing; a hub
        with no members has ``member`` missing. Members are organizations a hub incubates
        or that are members of it.

    Examples
    --------
    >>> import pandas as pd
    >>> import civicgraph as cg
    >>> nodes = pd.DataFrame({"id": ["K", "H", "M1", "M2"], "kind": "org",
    ...                       "role": ["center", "hub", "member", "member"]})
    >>> edges = pd.DataFrame({"source": ["K", "M1", "H"], "target": ["H", "H", "M2"],
    ...                       "kind": ["incubates", "member_of", "incubates"]})
    >>> platform_chains(cg.CivicGraph.from_frames(nodes, edges))
      district center center_level hub member
    0     None      K         None   H     M1
    1     None      K         None   H     M2
    """
    _, district, _, city_center, district_center, hub = _tiers(g, as_of)
    c = children(g, as_of=as_of).tocoo()
    parent, child = c.row, c.col
    any_center = active_org_mask(g, "center", as_of=as_of)
    up = pd.DataFrame({"center": parent, "hub": child})
    up = up[any_center[parent] & hub[child]]
    down = pd.DataFrame({"hub": parent, "member": child})
    down = down[hub[parent]]
    hubs = pd.DataFrame({"hub": np.flatnonzero(hub)})
    chains = hubs.merge(up, on="hub", how="left").merge(down, on="hub", how="left")
    chains = chains.sort_values(["hub", "center", "member"], kind="stable", na_position="first")
    ids = g.ids

    def id_or_none(pos: pd.Series) -> np.ndarray:
        p = pos.to_numpy(dtype=float)
        ok = ~np.isnan(p)
        out = np.full(p.size, None, dtype=object)
        out[ok] = ids[p[ok].astype(np.int64)]
        return out

    cpos = chains["center"].to_numpy(dtype=float)
    level = np.full(cpos.size, None, dtype=object)
    known = ~np.isnan(cpos)
    ci = cpos[known].astype(np.int64)
    level[known] = np.where(
        city_center[ci], "city", np.where(district_center[ci], "district", None)
    )
    hpos = chains["hub"].to_numpy(dtype=np.int64)
    d = district[hpos]
    return pd.DataFrame(
        {
            "district": np.where(d >= 0, ids[np.maximum(d, 0)], None),
            "center": id_or_none(chains["center"]),
            "center_level": level,
            "hub": ids[hpos],
            "member": id_or_none(chains["member"]),
        }
    )
