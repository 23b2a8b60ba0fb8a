"""Coverage of communities by hubs, per admin unit, and the one-hub-per-street target."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ..model import CivicGraph
from ..model.graph import DateLike, _key
from ..schema import ADMIN_LEVELS, COL
from ._units import (
    ancestor_at,
    cached,
    check_level,
    counted_communities,
    covered_communities,
    labels,
    located_orgs,
    with_example,
)

__all__ = ["coverage", "street_target"]

_STREET = ADMIN_LEVELS.index("street")


@with_example
def coverage(
    g: CivicGraph,
    *,
    level: str = "street",
    urban_only: bool = False,
    as_of: DateLike | None = None,
) -> pd.DataFrame:
    """Share of communities covered by a hub, for every admin unit of a level.

    Parameters
    ----------
    g : CivicGraph
    level : str
        An admin level (``"province"`` ... ``"community"``), or ``"all"`` for every admin
        unit of every level at once.
    urban_only : bool
        Count resident committees (urban communities) only: the report's "hubs cover 24%
        of urban communities".
    as_of : date-like, optional
        Count only hubs and ties active on that day.

    Returns
    -------
    DataFrame
        Indexed by unit id (index name ``id``), units in pre-order (each parent before its
        children), then a last row ``"total"`` for the whole graph. Columns: ``name``,
        ``level`` (a categorical), ``parent`` (parent unit id, ``""`` for roots and the
        total),
        ``communities`` (counted communities under the unit), ``covered`` (of those, how
        many are covered), ``share`` (``covered / communities``, 0.0 where the unit has no
        counted community), ``hubs`` (active hubs located in the unit or under it).

    Raises
    ------
    SchemaError
        ``level`` is not an admin level nor ``"all"``.

    Notes
    -----
    A community :math:`c` is covered when it lies in the scope of at least one active hub
    (the communities under the units of its ``serves`` edges, or else under the unit it
    is ``located_in``; see :func:`civicgraph.metrics._scope.hub_scope`). For a unit
    :math:`U` with counted communities :math:`C(U)` (all, or resident committees when
    ``urban_only``):

    .. math:: \\mathrm{share}(U) = \\frac{|\\{c \\in C(U) : c \\text{ covered}\\}|}{|C(U)|}

    A hub counts in ``hubs`` of every unit on the path from the unit it is located in up
    to the root (at its first ``located_in`` edge, so each hub once). Covered flags come
    from a difference array over the hubs' community ranges; per-unit totals are
    prefix-sum differences over each unit's contiguous community range, so the whole
    table, all levels, costs O(nodes + hub ranges).

    Examples
    --------{example}
    >>> cg.coverage(g)
                       name   level  parent  communities  covered     share  hubs
    id
    990101001  North street  street  990101            2        1  0.500000     1
    990101002  South street  street  990101            1        0  0.000000     0
    total             total   total                    3        1  0.333333     1
    """
    all_levels = level == "all"
    lvl = -1 if all_levels else check_level(level, allowed=(*ADMIN_LEVELS, "all"))
    covered = covered_communities(g, as_of=as_of)
    if urban_only:
        covered = covered & counted_communities(g, urban_only=True)
    cum_c = np.empty(covered.size + 1, dtype=np.int32)  # int32: half the memory traffic
    cum_c[0] = 0
    np.cumsum(covered, out=cum_c[1:])

    sk = _skeleton(g, lvl)
    n, denominator = _communities_under(g, lvl, sk, urban_only=urban_only)
    c = _range_sums(cum_c, sk.lo, sk.hi)
    # one constructor call (inserting columns one by one costs 10x more at scale); the
    # cached columns go in as Series, so copy-on-write keeps the cache safe from writes
    # into the result without copying them
    return pd.DataFrame(
        {
            **{name: sk.frame[name] for name in sk.frame.columns},
            "communities": n,
            "covered": c,
            "share": np.divide(c, denominator),  # covered is 0 where there is no community
            "hubs": _range_sums(_hub_prefix(g, as_of=as_of), sk.tin, sk.tout),
        },
        index=sk.frame.index,
        copy=False,
    )


def _range_sums(cum: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """``cum[hi] - cum[lo]`` for every unit, then the whole (``cum[-1]``, the total row).

    Written into one new array (``cum`` may be int32): on national tables every fresh
    temporary costs more (page faults) than the arithmetic.
    """
    out = np.empty(lo.size + 1, dtype=np.int64)
    out[:-1] = cum[hi]
    out[:-1] -= cum[lo]
    out[-1] = cum[-1]
    return out


def _communities_under(
    g: CivicGraph, lvl: int, sk: _Skeleton, *, urban_only: bool
) -> tuple[pd.Series, np.ndarray]:
    """Counted communities under each unit of the level, then the total, as a column of
    the skeleton's index; and ``max(count, 1)`` as floats (cached: the tree alone decides
    them).
    """

    def compute():
        counted = counted_communities(g, urban_only=urban_only)
        cum = np.concatenate(([0], np.cumsum(counted, dtype=np.int64)))
        n = _range_sums(cum, sk.lo, sk.hi)
        denominator = np.maximum(n, 1).astype(float)
        denominator.flags.writeable = False
        return pd.Series(n, index=sk.frame.index, name="communities"), denominator

    return cached(g, ("communities-under", lvl, urban_only), compute)


def _hub_prefix(g: CivicGraph, *, as_of: DateLike | None) -> np.ndarray:
    """Prefix sums over the pre-order of active hubs located at each admin unit (cached).

    Hubs located in or under unit ``u``: ``cum[tout[u]] - cum[tin[u]]``.
    """

    def compute():
        _, at = located_orgs(g, roles=("hub",), as_of=as_of)
        tin = g.tree.tin[at]
        cum = np.empty(g.tree.order.size + 1, dtype=np.int32)
        cum[0] = 0
        np.cumsum(np.bincount(tin, minlength=g.tree.order.size), out=cum[1:])
        cum.flags.writeable = False
        return cum

    return cached(g, ("hub-prefix", _key(as_of)), compute)


class _Skeleton(NamedTuple):
    """Units of one level in pre-order: their ranges and the name/level/parent columns."""

    lo: np.ndarray
    hi: np.ndarray
    tin: np.ndarray
    tout: np.ndarray
    frame: pd.DataFrame


def _skeleton(g: CivicGraph, lvl: int) -> _Skeleton:
    """The per-level part of the table that does not depend on hubs (built once).

    ``lvl`` -1 means every level. The string columns are the costly part of the table:
    like the label dictionaries (see ``_units.labels``) they depend on the node table
    alone and are kept apart from the per-date caches.
    """

    def compute():
        tree = g.tree
        units = tree.order if lvl < 0 else tree.order[tree.level[tree.order] == lvl]
        # Arrow takes in pre-order: units and parents are read nearly in storage order,
        # a few milliseconds for the country's 665,276 units
        ids, names = g._nodes[COL.ID], g._nodes[COL.NAME]
        frame = pd.DataFrame(
            {
                COL.NAME: _strings(names, units, "total"),
                COL.LEVEL: pd.Categorical.from_codes(
                    np.append(tree.level[units], len(ADMIN_LEVELS)),
                    categories=[*ADMIN_LEVELS, "total"],
                ),
                "parent": _strings(ids, tree.parent[units], ""),
            },
            index=pd.Index(_strings(ids, units, "total"), name=COL.ID),
        )
        return _Skeleton(
            tree.comm_lo[units], tree.comm_hi[units], tree.tin[units], tree.tout[units], frame
        )

    return labels(g, ("coverage-skeleton", lvl), compute)


def _strings(column: pd.Series, positions: np.ndarray, last: str):
    """The Arrow strings of ``column`` at ``positions`` (``""`` at -1 and where missing),
    then ``last`` (the total row)."""
    values = pd.Index(column.array.take(positions, allow_fill=True, fill_value=""))
    return values.fillna("").append(pd.Index([last], dtype=values.dtype)).array


def own_hubs(g: CivicGraph, *, as_of: DateLike | None = None) -> np.ndarray:
    """Active hubs per street (by node position) located in the street or in a community of it."""
    _, at = located_orgs(g, roles=("hub",), as_of=as_of)
    st = ancestor_at(g, _STREET)[at]
    return np.bincount(st[st >= 0], minlength=g.n_nodes)


@with_example
def street_target(
    g: CivicGraph, *, as_of: DateLike | None = None, urban_only: bool = False
) -> pd.DataFrame:
    """Streets (townships) with and without a hub of their own.

    The 2018 Wuhu policy: every urban street (township) registers one hub organization.

    Parameters
    ----------
    g : CivicGraph
    as_of : date-like, optional
        Count only hubs and ties active on that day.
    urban_only : bool
        Keep only urban streets: streets with at least one resident committee.

    Returns
    -------
    DataFrame
        Indexed by street id, in pre-order: ``name``, ``district`` (parent unit id),
        ``communities``, ``urban_communities``, ``hubs`` (active hubs of its own),
        ``has_hub`` (bool). ``.attrs`` holds the whole-graph figures: ``streets``,
        ``with_hub`` and ``share`` (``with_hub / streets``, 0.0 without streets).

    Notes
    -----
    A street's own hubs are the active hubs ``located_in`` the street itself or one of its
    communities (a hub is counted at its first ``located_in`` edge). Hubs that only
    *serve* the street, or sit in the district above it, do not count: the policy asks
    for a hub registered in every street.

    .. math:: \\mathrm{share} = \\frac{|\\{s : \\mathrm{hubs}(s) \\ge 1\\}|}{|\\{s\\}|}

    Examples
    --------{example}
    >>> t = cg.street_target(g)
    >>> t[["hubs", "has_hub"]]
               hubs  has_hub
    id
    990101001     1     True
    990101002     0    False
    >>> t.attrs["share"]
    0.5
    """
    tree = g.tree
    streets = tree.order[tree.level[tree.order] == _STREET]
    n_comm = tree.comm_hi[streets] - tree.comm_lo[streets]
    cum_u = np.concatenate(([0], np.cumsum(g.urban[tree.communities])))
    n_urban = cum_u[tree.comm_hi[streets]] - cum_u[tree.comm_lo[streets]]
    if urban_only:
        keep = n_urban > 0
        streets, n_comm, n_urban = streets[keep], n_comm[keep], n_urban[keep]
    hubs = own_hubs(g, as_of=as_of)[streets]
    parent = tree.parent[streets]
    out = pd.DataFrame(
        {
            COL.NAME: g._nodes[COL.NAME].to_numpy(dtype=object)[streets],
            "district": np.where(parent >= 0, g.ids[np.maximum(parent, 0)], ""),
            "communities": n_comm.astype(np.int64),
            "urban_communities": n_urban.astype(np.int64),
            "hubs": hubs.astype(np.int64),
            "has_hub": hubs > 0,
        },
        index=pd.Index(g.ids[streets], name=COL.ID, dtype=object),
    )
    with_hub = int(out["has_hub"].sum())
    out.attrs.update(
        streets=len(out), with_hub=with_hub, share=with_hub / len(out) if len(out) else 0.0
    )
    return out
