"""Gaps: communities (or streets) no hub reaches, with what is there to link and a priority."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from .._errors import SchemaError
from ..model import CivicGraph
from ..model.graph import DateLike, _key
from ..schema import ADMIN_LEVELS, COL, NODE_KINDS, STREET_KINDS
from ._scope import org_ties, role_nodes
from ._types import street_kind_codes
from ._units import (
    ancestor_at,
    ancestor_categorical,
    cached,
    categorical_at,
    counted_communities,
    covered_communities,
    id_categorical,
    located_among,
    located_orgs,
    money_edges,
    name_categorical,
    role_rank,
    with_example,
)
from .coverage import own_hubs

__all__ = ["gaps"]

_DISTRICT = ADMIN_LEVELS.index("district")
_STREET = ADMIN_LEVELS.index("street")

#: Yuan per unit of the funding term of the priority score.
FUNDING_SCALE = 10_000.0


@with_example
def gaps(
    g: CivicGraph,
    *,
    level: str = "community",
    urban_only: bool = False,
    as_of: DateLike | None = None,
    definition: str = "served",
    districts_only: bool = False,
) -> pd.DataFrame:
    """The units no hub reaches, each with its nearest hub, what is there, and a priority.

    Parameters
    ----------
    g : CivicGraph
    level : {"community", "street"}
        ``"community"``: uncovered communities. ``"street"``: streets without a hub of
        their own and without any covered community.
    urban_only : bool
        Only resident committees (urban communities); at street level, only street
        offices (街道), judged on their urban communities.
    as_of : date-like, optional
        Count only hubs, organizations and ties active (and money granted) on that day.
    definition : {"served", "own"}
        What a gap lacks (see :func:`~civicgraph.coverage`): ``"served"`` (default), in no
        hub's service area; ``"own"``, without a hub of its own.
    districts_only : bool
        Only communities under city districts (市辖区, county digits 01-20).

    Returns
    -------
    DataFrame
        Indexed by unit id, sorted by ``priority`` descending (ties: see Notes).
        Columns: ``name``, ``level``, ``district`` and ``street`` (ids of the unit's
        ancestors at those levels, the unit itself for a street, ``""`` if none),
        ``urban`` (resident committee; for a street: a street office, 街道),
        ``nearest_hub`` and ``nearest_hub_name`` (``""`` when no hub shares a root with
        the unit), ``hops`` (-1 then), ``members`` (member organizations located in the
        unit or under it), ``funding`` (yuan received in the unit), ``street_gaps``
        (gaps of the same street: counted communities of the unit's street that are
        gaps, the unit among them), ``priority``. The index and the id and name columns
        are categoricals over the graph's ids and names (built once per graph; national
        gap lists have hundreds of thousands of rows): compare and ``.loc`` with plain
        strings.

    Raises
    ------
    SchemaError
        ``level`` is neither ``"community"`` nor ``"street"``.

    Notes
    -----
    *Gap units.* A community is a gap when it is not covered in the reading
    ``definition`` (served: no active hub's scope covers it; own: no hub of its own). A
    street is a
    gap when no active hub is located in it or in one of its communities (see
    :func:`~civicgraph.street_target`) and none of its (counted) communities is covered
    (so a street served from outside is not a gap); streets without counted communities
    are left out.

    *Nearest hub.* Distance between two admin units is the number of tree edges on the
    path between them, :math:`d(x) + d(y) - 2\\,d(\\mathrm{lca}(x, y))` with :math:`d`
    the depth. The nearest hub of unit :math:`x` minimizes that distance to the unit the
    hub is located in (its first ``located_in`` edge); among hubs as near, one in the
    unit's own district comes first (a planner links a gap to a hub of its own district),
    then the smaller hub id.
    Computed without search: each admin unit :math:`a` keeps the minimum of
    :math:`(d(y), \\mathrm{id})` over hubs located under it (one reduction per tree level),
    and :math:`x` takes the minimum over its ancestors :math:`a` of
    :math:`(d(x) - 2 d(a) + d(y_a), o(a), \\mathrm{id})`, :math:`o(a) = 1` for ancestors
    above district level (their hubs may lie in another district), which is exact
    because the true lowest common ancestor is among them and every other ancestor
    over-estimates.

    *What is there.* ``members``: active organizations of role ``member`` located in the
    unit or under it. ``funding``: new money (grants and awards out of a program or a
    government organization, and organizations' own funds, so money is counted once; see
    :func:`~civicgraph.funding_flows`) awarded to the unit or under it, plus granted to
    organizations located there.

    *Priority.*

    .. math:: p = (1 + u)\\,(1 + \\ln(1 + m) + \\ln(1 + f / 10\\,000))\\,(1 + h)

    with :math:`u` = 1 for urban units (a resident committee; a street office for a
    street) else 0 (the policy targets urban communities),
    :math:`m` the member organizations present with no hub to link them, :math:`f` the
    funding in yuan already flowing in (activity a hub could build on), and :math:`h`
    the hops to the nearest hub (far from any hub means no neighbour can extend its
    reach; :math:`h = 2 D + 1` when no hub shares a root, :math:`D` the tree height).

    For a planner the priority reads: first the urban gaps, far from every hub, where
    member organizations and money are already there with no hub to link them. Equal
    priorities (most gaps have no member and no money) are ranked by ``street_gaps``,
    more first: one new street-level hub would close all of a street's gaps at once;
    then urban before rural, then pre-order (code order).

    Examples
    --------{example}
    >>> cg.gaps(g)[["name", "nearest_hub", "hops", "members", "street_gaps", "priority"]]
                          name nearest_hub  hops  members  street_gaps   priority
    id
    990101001001           Elm           H     2        1            1  10.158883
    990101002201  Pine village           H     4        0            1   5.000000
    """
    if level not in ("community", "street"):
        raise SchemaError(f"gaps are listed for level 'community' or 'street', not {level!r}")
    tree = g.tree
    comm = tree.communities
    covered = covered_communities(g, as_of=as_of, definition=definition)
    counted = counted_communities(g, urban_only=urban_only, districts_only=districts_only)
    covered = covered | ~counted  # communities not counted are never gaps
    # gaps per street: counted communities not covered, by street (pre-order prefix sums)
    cum_gap = np.concatenate(([0], np.cumsum(~covered)))
    street_of = ancestor_at(g, _STREET)
    if level == "community":
        units = comm[~covered]
        urban = g.urban[units]
        st = street_of[units]
        same_street = np.where(
            st >= 0,
            cum_gap[tree.comm_hi[np.maximum(st, 0)]] - cum_gap[tree.comm_lo[np.maximum(st, 0)]],
            1,
        )
    else:
        streets = tree.order[tree.level[tree.order] == _STREET]
        office = street_kind_codes(g)[streets] == STREET_KINDS.index("street_office")
        if urban_only:
            streets, office = streets[office], office[office]
        cum_n = np.concatenate(([0], np.cumsum(counted)))
        lo, hi = tree.comm_lo[streets], tree.comm_hi[streets]
        gap = (cum_n[hi] > cum_n[lo]) & (cum_gap[hi] - cum_gap[lo] == cum_n[hi] - cum_n[lo])
        gap &= own_hubs(g, as_of=as_of)[streets] == 0
        units = streets[gap]
        urban = office[gap]
        same_street = (cum_gap[hi] - cum_gap[lo])[gap]

    tin = tree.tin[units]  # arrays per unit are read by pre-order index
    hub_rank, hops = _nearest_hub(g, tin, as_of=as_of)
    leaves = level == "community"
    n_members = _under(g, ("members", _key(as_of)), tin, lambda: _members_at(g, as_of), leaves)
    funding = _under(g, ("money", _key(as_of)), tin, lambda: _money_at(g, as_of=as_of), leaves)

    priority, rank = _priority(
        urban, n_members, funding, hops, height=int(tree.depth.max(initial=0))
    )
    order = _ranking(rank, same_street, urban)
    # sort first, then build each column once
    units, urban, hub_rank, hops = units[order], urban[order], hub_rank[order], hops[order]
    return pd.DataFrame(
        {
            COL.NAME: name_categorical(g, units),
            COL.LEVEL: pd.Categorical.from_codes(np.zeros(units.size, np.int8), categories=[level]),
            "district": ancestor_categorical(g, _DISTRICT, units),
            "street": ancestor_categorical(g, _STREET, units),
            COL.URBAN: urban.astype(bool, copy=False),
            "nearest_hub": _hub_labels(g, hub_rank, COL.ID),
            "nearest_hub_name": _hub_labels(g, hub_rank, COL.NAME),
            "hops": hops,
            "members": n_members[order].astype(np.int64, copy=False),
            "funding": funding[order].astype(float, copy=False),
            "street_gaps": same_street[order].astype(np.int64, copy=False),
            "priority": priority[order],
        },
        index=pd.CategoricalIndex(
            id_categorical(g, units, lambda: tree.order, key=("admin",)), name=COL.ID
        ),
        copy=False,  # every column is new: a dict would be copied by default
    )


def _priority(
    urban: np.ndarray, members: np.ndarray, funding: np.ndarray, hops: np.ndarray, *, height: int
) -> tuple[np.ndarray, np.ndarray]:
    """The priority score of the docstring, and each unit's rank among the distinct
    scores (0: the highest).

    ``(1 + u) (1 + ln(1 + m) + ln(1 + f / 10,000)) (1 + h)``, :math:`h = 2 D + 1` where no
    hub was found. Most gaps have no member and no money: their score is the small
    integer ``(1 + u)(1 + h)``, so logarithms are taken, and distinct values found, only
    for the others; ranks come from the distinct values (no comparison sort of every
    score).
    """
    scale = hops + 1
    scale[hops < 0] = 2 * height + 2
    scale[urban] *= 2  # (1 + u)(1 + h): exact, as every factor is an integer
    priority = scale.astype(float)
    active = np.flatnonzero((members > 0) | (funding > 0))
    p = np.log1p(members[active], dtype=float)
    p += 1.0
    p += np.log1p(funding[active] / FUNDING_SCALE)
    p *= scale[active]  # (1 + u) is 1 or 2, so this equals multiplying one factor at a time
    priority[active] = p

    present = np.flatnonzero(np.bincount(scale, minlength=1))  # integer scores present
    ascending = np.unique(np.concatenate((present.astype(float), p)))
    top = ascending.size - 1  # rank 0 is the highest score
    small = np.uint16 if ascending.size < 2**16 else np.int64  # 16 bits: a radix sort
    rank_of = np.zeros(present.max(initial=0) + 1, dtype=small)
    rank_of[present] = top - np.searchsorted(ascending, present)
    rank = rank_of[scale]
    rank[active] = top - np.searchsorted(ascending, p)
    return priority, rank


def _ranking(rank: np.ndarray, same_street: np.ndarray, urban: np.ndarray) -> np.ndarray:
    """Order of the gaps: priority rank, then gaps of the same street (more first), then
    urban first, then as given (pre-order).

    Two stable sorts, the secondary key first: on 16-bit keys numpy's stable sort is a
    radix sort, cheaper on national gap lists than a comparison sort of one wide key.
    """
    most = int(same_street.max(initial=0)) + 1
    secondary = (most - same_street) * 2 + ~urban
    small = np.uint16 if 2 * most < 2**16 else np.int64
    first = np.argsort(secondary.astype(small), kind="stable")
    return first[np.argsort(rank[first], kind="stable")]


def _under(g: CivicGraph, key: tuple, tin: np.ndarray, per_unit, communities: bool) -> np.ndarray:
    """``per_unit()`` (values by pre-order index, ``tree.order``) summed over the subtree
    of each unit (given by pre-order index ``tin``).

    Both the values and their prefix sums are cached per graph and ``key``.
    ``communities``: the units are communities, leaves of the tree, so the sum is their
    own value.
    """
    values = cached(g, key, per_unit)
    if communities and _communities_are_leaves(g):
        return values[tin]
    tree = g.tree
    cum = cached(g, (*key, "prefix"), lambda: np.concatenate(([0], np.cumsum(values))))
    return cum[tree.tout[tree.order[tin]]] - cum[tin]


def _communities_are_leaves(g: CivicGraph) -> bool:
    """No admin unit under a community (true of every validated graph)."""
    tree = g.tree
    comm = tree.communities
    return cached(
        g, ("community-leaves",), lambda: bool((tree.tout[comm] - tree.tin[comm] == 1).all())
    )


def _members_at(g: CivicGraph, as_of: DateLike | None) -> np.ndarray:
    """Member organizations located at each admin unit, by pre-order index."""
    n = g.tree.order.size
    single = cached(g, ("member-locations",), lambda: _member_locations(g))
    if single is not None:  # count the active ties: no need to know which org is where
        lo, hi, tin = single
        if as_of is None:
            return np.bincount(tin, minlength=n)
        t = pd.Timestamp(as_of).as_unit("ns").value
        return np.bincount(tin[(lo <= t) & (t < hi)], minlength=n)
    _, at = located_orgs(g, roles=("member",), as_of=as_of)
    return np.bincount(g.tree.tin[at], minlength=n)


def _member_locations(g: CivicGraph) -> tuple[np.ndarray, ...] | None:
    """The members' ``located_in`` ties as ``(lo, hi, tin)`` (see ``OrgTies``; ``tin``: the
    unit's pre-order index) when no member has two of them (so each active tie is its
    member's location; true of most registries), else ``None``."""
    ties = org_ties(g)
    m = ~ties.serves & role_nodes(g, ("member",))[ties.u]
    u = ties.u[m]
    if u.size and np.bincount(u).max() > 1:
        return None
    out = ties.lo[m], ties.hi[m], g.tree.tin[ties.v[m]]
    for a in out:
        a.flags.writeable = False
    return out


def _hub_labels(g: CivicGraph, hub_rank: np.ndarray, column: str) -> pd.Categorical:
    """Ids or names (``column``) of hubs given by rank among hubs by id (``""`` where -1),
    as a categorical; codes are kept by rank, so a column is one small gather."""

    def compute():
        by_id, _ = role_rank(g, "hub")
        values = g._nodes[column].take(by_id).fillna("")
        codes, uniques = pd.factorize(pd.concat([values, pd.Series([""], dtype=values.dtype)]))
        return codes.astype(np.int64), uniques  # the last code, read at rank -1, is ""

    return categorical_at(g, ("hub-labels", column), compute, hub_rank)


def _money_at(g: CivicGraph, *, as_of: DateLike | None) -> np.ndarray:
    """New money received at each admin unit (by pre-order index): awards to it plus
    funds to orgs located in it."""
    v, amount, lo, hi = cached(g, ("money-ties",), lambda: _money_ties(g))
    if as_of is not None:
        t = pd.Timestamp(as_of).as_unit("ns").value
        on = (lo <= t) & (t < hi)
        v, amount = v[on], amount[on]
    _, unit, slot = located_among(g, ("money-recipients",), lambda: _recipients(g), as_of=as_of)
    # the unit money lands in: the target itself if an admin unit, else where it is
    # located (-1: an organization located nowhere, or a target that is neither)
    at = np.where(g.tree.level[v] >= 0, v, -1)
    s = slot[v]
    org = (at < 0) & (s >= 0)
    at[org] = unit[s[org]]  # no index into ``unit`` when no money reaches an organization
    ok = at >= 0
    return np.bincount(g.tree.tin[at[ok]], weights=amount[ok], minlength=g.tree.order.size)


def _recipients(g: CivicGraph) -> np.ndarray:
    """Bool by node position: organizations some new money goes to."""
    v, _, _, _ = cached(g, ("money-ties",), lambda: _money_ties(g))
    out = np.zeros(g.n_nodes, dtype=bool)
    out[v] = True
    return out & (g.kind_codes == NODE_KINDS.index("org"))


def _money_ties(g: CivicGraph) -> tuple[np.ndarray, ...]:
    """The new-money edges (see ``money_edges``), pulled out once per graph: target,
    amount (missing = 0) and the interval they count in (nanoseconds, open ends extreme)."""
    _, v = g.edge_positions
    rows = np.flatnonzero(money_edges(g) & (v >= 0))
    amount = np.nan_to_num(g._edges[COL.AMOUNT].to_numpy(dtype=float, na_value=np.nan)[rows])
    nat, top = np.iinfo(np.int64).min, np.iinfo(np.int64).max
    start = g._edges[COL.START].to_numpy(dtype="datetime64[ns]")[rows].view(np.int64)
    end = g._edges[COL.END].to_numpy(dtype="datetime64[ns]")[rows].view(np.int64)
    out = (v[rows], amount, start, np.where(end == nat, top, end))
    for a in out:
        a.flags.writeable = False
    return out


def _nearest_hub(
    g: CivicGraph, tin: np.ndarray, *, as_of: DateLike | None
) -> tuple[np.ndarray, np.ndarray]:
    """Nearest active hub and hops along the tree for each unit (by pre-order index
    ``tin``): the hub's rank among hubs by id (see ``role_rank``), -1 if none."""
    tree = g.tree
    by_id, rank = role_rank(g, "hub")
    n_hubs = max(by_id.size, 1)
    # key of a hub seen from an ancestor: (hops, outside its district?, id rank) in one
    # integer, hops in units of 2 n_hubs and "outside" adding n_hubs
    step = 2 * n_hubs
    inf = np.iinfo(np.int64).max

    def over_ancestors():
        # Everything by pre-order index (tin). key = depth of the hub's unit, then the
        # hub's id rank: a pair in one integer. best[a]: min key over hubs under a, each
        # hub's key carried up its ancestors (a few passes over the hubs, none over units).
        hubs, at = located_orgs(g, roles=("hub",), as_of=as_of)
        pre = _preorder_tree(g)
        best = np.full(pre.up.size, inf, dtype=np.int64)  # int64 whatever the tree's type
        key = np.multiply(tree.depth[at], step, dtype=np.int64) + rank[hubs]
        cur = tree.tin[at]
        while cur.size:
            np.minimum.at(best, cur, key)
            cur = pre.up[cur]
            key, cur = key[cur >= 0], cur[cur >= 0]
        # then min over ancestors a (self included) of best[a] - 2 d(a) step, plus n_hubs
        # where a is above district level (its hubs may lie in another district), top
        # down; the deepest units (most of them: communities) take their parent's at the
        # call
        val = best  # in place: fresh national-size arrays cost more than the arithmetic
        np.subtract(val, np.multiply(pre.depth, 2 * step, dtype=np.int64), out=val, where=val < inf)
        np.add(val, n_hubs, out=val, where=(val < inf) & pre.above_district)
        for at, parent in pre.layers[:-1]:
            val[at] = np.minimum(val[at], val[parent])
        val.flags.writeable = False
        return val

    val = cached(g, ("nearest-hub", _key(as_of)), over_ancestors)
    pre = _preorder_tree(g)
    best = val[tin]
    np.minimum(best, val[pre.up_or_self[tin]], out=best)
    missing = best == inf
    best[missing] = 0
    best += np.multiply(pre.depth[tin], step, dtype=np.int64)
    hops, rest = np.divmod(best, step)
    hub_rank = rest % n_hubs
    hops[missing] = -1
    hub_rank[missing] = -1
    return hub_rank, hops


class _Preorder(NamedTuple):
    """The admin tree by pre-order index (see :func:`_preorder_tree`)."""

    up: np.ndarray  # parent, -1 for roots
    up_or_self: np.ndarray  # parent, the unit itself for roots
    depth: np.ndarray
    above_district: np.ndarray  # admin level above district (city, province)
    layers: list  # per depth below the roots: (units at that depth, their parents)


def _preorder_tree(g: CivicGraph) -> _Preorder:
    """The admin tree by pre-order index: each unit's parent, its depth, and per depth
    below the roots the units at that depth with their parents (cached per graph)."""

    def compute():
        tree = g.tree
        depth = tree.depth[tree.order]
        parent = tree.parent[tree.order]
        up = np.where(parent >= 0, tree.tin[parent], -1).astype(np.int32)
        layers = []
        for d in range(1, int(depth.max(initial=0)) + 1):
            at = np.flatnonzero(depth == d).astype(np.int32)
            layers.append((at, up[at]))
        self_ = np.arange(up.size, dtype=np.int32)
        above = tree.level[tree.order] < _DISTRICT
        return _Preorder(up, np.where(up >= 0, up, self_), depth, above, layers)

    return cached(g, ("preorder-tree",), compute)
