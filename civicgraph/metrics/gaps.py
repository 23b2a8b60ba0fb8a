"""Gaps: communities (or streets) no hub reaches, with what is there to link and a priority."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._errors import SchemaError
from ..model import CivicGraph
from ..model.graph import DateLike, _from_codes, _key
from ..schema import ADMIN_LEVELS, COL, ORG_ROLES
from ._units import (
    ancestor_at,
    cached,
    counted_communities,
    covered_communities,
    first_location,
    id_categorical,
    money_edges,
    name_categorical,
    preorder_prefix,
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
) -> pd.DataFrame:
    """The units no hub reaches, each with its nearest hub, what is there, and a priority.

    Parameters
    ----------
    g : CivicGraph
    level : {"community", "street"}
        ``"community"``: uncovered communities. ``"street"``: streets without a hub of
        their own and without any covered community.
    urban_only : bool
        Only resident committees (urban communities); at street level, only streets with
        at least one, judged on their urban communities.
    as_of : date-like, optional
        Count only hubs, organizations and ties active (and money granted) on that day.

    Returns
    -------
    DataFrame
        Indexed by unit id, sorted by ``priority`` descending (ties by id). Columns:
        ``name``, ``level``, ``district`` and ``street`` (ids of the unit's ancestors at
        those levels, the unit itself for a street, ``""`` if none), ``urban`` (resident
        committee; for a street: has one), ``nearest_hub`` and ``nearest_hub_name`` (``""``
        when no hub shares a root with the unit), ``hops`` (-1 then), ``members`` (member
        organizations located in the unit or under it), ``funding`` (yuan received in the
        unit), ``priority``. The index and the id and name columns are categoricals
        over the graph's ids and names (built once per graph; national gap lists have
        hundreds of thousands of rows): compare and ``.loc`` with plain strings.

    Raises
    ------
    SchemaError
        ``level`` is neither ``"community"`` nor ``"street"``.

    Notes
    -----
    *Gap units.* A community is a gap when no active hub's scope covers it. A street is a
    gap when no active hub is located in it or in one of its communities (see
    :func:`~civicgraph.street_target`) and none of its (counted) communities is covered
    (so a street served from outside is not a gap); streets without counted communities
    are left out.

    *Nearest hub.* Distance between two admin units is the number of tree edges on the
    path between them, :math:`d(x) + d(y) - 2\\,d(\\mathrm{lca}(x, y))` with :math:`d`
    the depth. The nearest hub of unit :math:`x` minimizes that distance to the unit the
    hub is located in (its first ``located_in`` edge), ties broken by the smaller hub id.
    Computed without search: each admin unit :math:`a` keeps the minimum of
    :math:`(d(y), \\mathrm{id})` over hubs located under it (one reduction per tree level),
    and :math:`x` takes the minimum over its ancestors :math:`a` of
    :math:`(d(x) - 2 d(a) + d(y_a), \\mathrm{id})`, which is exact because the true
    lowest common ancestor is among them and every other ancestor over-estimates.

    *What is there.* ``members``: active organizations of role ``member`` located in the
    unit or under it. ``funding``: new money (``funds`` / ``awards`` edges out of a program
    or a government organization, so money is counted once) awarded to the unit or under
    it, plus granted to organizations located there.

    *Priority.*

    .. math:: p = (1 + u)\\,(1 + \\ln(1 + m) + \\ln(1 + f / 10\\,000))\\,(1 + h)

    with :math:`u` = 1 for urban units else 0 (the policy targets urban communities),
    :math:`m` the member organizations present with no hub to link them, :math:`f` the
    funding in yuan already flowing in (activity a hub could build on), and :math:`h`
    the hops to the nearest hub (far from any hub means no neighbour can extend its
    reach; :math:`h = 2 D + 1` when no hub shares a root, :math:`D` the tree height).

    Examples
    --------{example}
    >>> cg.gaps(g)[["name", "nearest_hub", "hops", "members", "priority"]]
                          name nearest_hub  hops  members  priority
    id
    990101001001           Elm           H     2        1  10.158883
    990101002201  Pine village           H     4        0   5.000000
    """
    if level not in ("community", "street"):
        raise SchemaError(f"gaps are listed for level 'community' or 'street', not {level!r}")
    tree = g.tree
    comm = tree.communities
    counted = counted_communities(g, urban_only=urban_only)
    covered = covered_communities(g, as_of=as_of) & counted
    if level == "community":
        units = comm[counted & ~covered]
        urban = g.urban[units]
    else:
        streets = tree.order[tree.level[tree.order] == _STREET]
        cum_n = np.concatenate(([0], np.cumsum(counted)))
        cum_c = np.concatenate(([0], np.cumsum(covered)))
        cum_u = np.concatenate(([0], np.cumsum(g.urban[comm])))
        lo, hi = tree.comm_lo[streets], tree.comm_hi[streets]
        gap = (cum_n[hi] > cum_n[lo]) & (cum_c[hi] == cum_c[lo])
        gap &= own_hubs(g, as_of=as_of)[streets] == 0
        units = streets[gap]
        urban = (cum_u[hi] > cum_u[lo])[gap]

    hub, hops = _nearest_hub(g, units, as_of=as_of)
    n_members = _under(g, ("members", _key(as_of)), units, lambda: _members_at(g, as_of))
    funding = _under(g, ("money", _key(as_of)), units, lambda: _money_at(g, as_of=as_of))

    height = int(tree.depth.max(initial=0))
    h = np.where(hops >= 0, hops, 2 * height + 1)
    priority = (
        (1.0 + urban) * (1.0 + np.log1p(n_members) + np.log1p(funding / FUNDING_SCALE)) * (1.0 + h)
    )
    # sort first (ties keep pre-order), then build each column once
    order = _stable_descending(priority)
    units, urban, hub, hops = units[order], urban[order], hub[order], hops[order]
    hubs_by_id, _ = role_rank(g, "hub")

    def at_level(lvl: int):
        return lambda: tree.order[tree.level[tree.order] == lvl]

    district = ancestor_at(g, _DISTRICT)[units]
    street = ancestor_at(g, _STREET)[units]
    return pd.DataFrame(
        {
            COL.NAME: name_categorical(g, units),
            COL.LEVEL: pd.Categorical.from_codes(np.zeros(units.size, np.int8), categories=[level]),
            "district": id_categorical(g, district, at_level(_DISTRICT), key=("level", _DISTRICT)),
            "street": id_categorical(g, street, at_level(_STREET), key=("level", _STREET)),
            COL.URBAN: urban.astype(bool),
            "nearest_hub": id_categorical(g, hub, lambda: hubs_by_id, key=("role", "hub")),
            "nearest_hub_name": _hub_names(g, hub, hubs_by_id),
            "hops": hops,
            "members": n_members[order].astype(np.int64),
            "funding": funding[order].astype(float),
            "priority": priority[order],
        },
        index=pd.CategoricalIndex(
            id_categorical(g, units, lambda: tree.order, key=("admin",)), name=COL.ID
        ),
    )


def _stable_descending(values: np.ndarray) -> np.ndarray:
    """Order of ``values`` from largest to smallest, ties kept in their order.

    Priorities take few distinct values (most gaps have no members and no money), so
    sort their ranks: a stable radix sort when there are fewer than 65,536.
    """
    distinct, rank = np.unique(-values, return_inverse=True)
    if distinct.size < 2**16:
        rank = rank.astype(np.uint16)
    return np.argsort(rank, kind="stable")


def _under(g: CivicGraph, key: tuple, units: np.ndarray, per_unit) -> np.ndarray:
    """``per_unit()`` (values at admin units) summed over each unit's subtree.

    The pre-order prefix sums are cached per graph and ``key``.
    """
    cum = cached(g, key, lambda: preorder_prefix(g, per_unit()))
    return cum[g.tree.tout[units]] - cum[g.tree.tin[units]]


def _members_at(g: CivicGraph, as_of: DateLike | None) -> np.ndarray:
    """Member organizations located at each admin unit."""
    unit = first_location(g, roles=("member",), as_of=as_of)
    return np.bincount(unit[unit >= 0], minlength=g.n_nodes)


def _hub_names(g: CivicGraph, hub: np.ndarray, hubs_by_id: np.ndarray) -> pd.Categorical:
    """Names of ``hub`` positions (``""`` where -1) as a categorical (names may repeat)."""

    def compute():
        names = g._nodes[COL.NAME].take(hubs_by_id).fillna("").to_numpy(dtype=object)
        codes, uniques = pd.factorize(np.append(names, ""))
        code_of = np.full(g.n_nodes + 1, codes[-1], dtype=np.int32)
        code_of[hubs_by_id] = codes[:-1]
        return code_of, pd.Index(uniques)

    code_of, cats = cached(g, ("hub-names",), compute)
    return _from_codes(code_of[hub], cats)


def _money_at(g: CivicGraph, *, as_of: DateLike | None) -> np.ndarray:
    """New money received at each admin unit: awards to it plus funds to orgs located in it."""
    v, amount, lo, hi = cached(g, ("money-ties",), lambda: _money_ties(g))
    if as_of is not None:
        t = pd.Timestamp(as_of).as_unit("ns").value
        on = (lo <= t) & (t < hi)
        v, amount = v[on], amount[on]
    located = first_location(g, roles=ORG_ROLES, as_of=as_of)
    # the unit money lands in: the target itself if an admin unit, else where it is located
    at = np.where(g.tree.level[v] >= 0, v, located[v])
    ok = at >= 0
    return np.bincount(at[ok], weights=amount[ok], minlength=g.n_nodes)


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
    g: CivicGraph, units: np.ndarray, *, as_of: DateLike | None
) -> tuple[np.ndarray, np.ndarray]:
    """Nearest active hub (position, -1 if none) and hops along the tree for each unit."""
    tree = g.tree
    by_id, rank = role_rank(g, "hub")
    n_hubs = max(by_id.size, 1)
    inf = np.iinfo(np.int64).max

    def subtree_best():
        # key = depth of the hub's unit, then the hub's id rank: a pair in one integer
        loc = first_location(g, roles=("hub",), as_of=as_of)
        hubs = np.flatnonzero(loc >= 0)
        best = np.full(g.n_nodes, inf, dtype=np.int64)
        np.minimum.at(best, loc[hubs], tree.depth[loc[hubs]] * n_hubs + rank[hubs])
        for d in range(int(tree.depth.max(initial=0)), 0, -1):
            at = np.flatnonzero((best < inf) & (tree.depth == d))
            np.minimum.at(best, tree.parent[at], best[at])
        return best

    def over_ancestors():
        # min over ancestors a (self included) of best[a] - 2 d(a) n_hubs, top down
        best = subtree_best()
        depth = tree.depth
        val = np.where(best < inf, best - 2 * depth * n_hubs, inf)
        for d in range(1, int(depth.max(initial=0)) + 1):
            at = np.flatnonzero(depth == d)
            val[at] = np.minimum(val[at], val[tree.parent[at]])
        val.flags.writeable = False
        return val

    val = cached(g, ("nearest-hub", _key(as_of)), over_ancestors)[units]
    result = np.where(val < inf, val + tree.depth[units] * n_hubs, inf)
    found = result < inf
    hub = np.full(units.size, -1, dtype=np.int64)
    hops = np.full(units.size, -1, dtype=np.int64)
    hub[found] = by_id[result[found] % n_hubs]
    hops[found] = result[found] // n_hubs
    return hub, hops
