"""Coverage of communities by hubs, per admin unit, and the one-hub-per-street target."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..model import CivicGraph
from ..model.graph import DateLike, _key
from ..schema import ADMIN_LEVELS, COL, STREET_KINDS
from ._types import ALL_STREET_TYPES, registered, street_kind_codes, street_type_mask
from ._units import (
    ancestor_at,
    cached,
    check_level,
    check_role,
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
    definition: str = "served",
    districts_only: bool = False,
    role: str = "hub",
) -> pd.DataFrame:
    """Share of communities covered by a hub, for every admin unit of a level.

    Parameters
    ----------
    g : CivicGraph
    level : str
        An admin level (``"province"`` ... ``"community"``), or ``"all"`` for every admin
        unit of every level at once.
    urban_only : bool
        Count resident committees (urban communities, codes 001-199) only: the report's
        "hubs cover 24% of urban communities".
    as_of : date-like, optional
        Count only hubs and ties active on that day.
    definition : {"served", "own"}
        ``"served"`` (default): a community is covered when it lies in some hub's service
        area (a street federation covers its whole street). ``"own"``: when it has a hub
        of its own, located in the community (or serving exactly that community).
    districts_only : bool
        Count only communities under city districts (市辖区, county digits 01-20), the
        usual meaning of 城市社区 in a city report.
    role : str
        Which organizations cover: ``"hub"`` (default), or any role, e.g. ``"agency"``.
        For a role other than hub, "served" means located in the community or serving
        it (``serves`` edges to it or to a unit above it): the hubs' rule that a
        federation covers the unit it sits in is not theirs, so an agency sitting at
        city level covers no community unless it serves some.

    Returns
    -------
    DataFrame
        Indexed by unit id (index name ``id``), units in pre-order (each parent before its
        children), then a last row ``"total"`` for the whole graph. Columns: ``name``,
        ``level`` (a categorical), ``parent`` (parent unit id, ``""`` for roots and the
        total),
        ``communities`` (counted communities under the unit), ``covered`` (of those, how
        many are covered), ``share`` (``covered / communities``, 0.0 where the unit has no
        counted community), ``hubs`` (active organizations of ``role`` located in the unit
        or under it).

    Raises
    ------
    SchemaError
        ``level`` is not an admin level nor ``"all"``, ``definition`` is neither
        ``"served"`` nor ``"own"``, or ``role`` is no organization role.

    Notes
    -----
    *Served* (the default): a community :math:`c` is covered when it lies in the scope of
    at least one active hub (the communities under the units of its ``serves`` edges, or
    else under the unit it is ``located_in``; see
    :func:`civicgraph.metrics._scope.hub_scope`). *Own*: :math:`c` is covered when an
    active hub has a ``located_in`` or ``serves`` edge to :math:`c` itself. The report's
    "社区枢纽型社会组织在城市社区中的覆盖率达到24%" can be read either way. For a unit
    :math:`U` with counted communities :math:`C(U)` (all, or resident committees when
    ``urban_only``; only those under a 市辖区 when ``districts_only``):

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
    >>> own = cg.coverage(g, definition="own")  # H is located in Oak: Oak has its own hub
    >>> own.loc["990101001", "covered"], own.loc["990101001", "hubs"]
    (np.int64(1), np.int64(1))
    """
    all_levels = level == "all"
    lvl = -1 if all_levels else check_level(level, allowed=(*ADMIN_LEVELS, "all"))
    check_role(role)
    covered = covered_communities(g, as_of=as_of, definition=definition, roles=(role,))
    if urban_only or districts_only:
        covered = covered & counted_communities(
            g, urban_only=urban_only, districts_only=districts_only
        )
    cum_c = np.empty(covered.size + 1, dtype=np.int32)  # int32: half the memory traffic
    cum_c[0] = 0
    np.cumsum(covered, out=cum_c[1:])

    sk = _skeleton(g, lvl)
    n, denominator = _communities_under(
        g, lvl, sk, urban_only=urban_only, districts_only=districts_only
    )
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
            "hubs": _range_sums(_hub_prefix(g, as_of=as_of, role=role), sk.tin, sk.tout),
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
    g: CivicGraph, lvl: int, sk: _Skeleton, *, urban_only: bool, districts_only: bool = False
) -> tuple[pd.Series, np.ndarray]:
    """Counted communities under each unit of the level, then the total, as a column of
    the skeleton's index; and ``max(count, 1)`` as floats (cached: the tree alone decides
    them).
    """

    def compute():
        counted = counted_communities(g, urban_only=urban_only, districts_only=districts_only)
        cum = np.concatenate(([0], np.cumsum(counted, dtype=np.int64)))
        n = _range_sums(cum, sk.lo, sk.hi)
        denominator = np.maximum(n, 1).astype(float)
        denominator.flags.writeable = False
        return pd.Series(n, index=sk.frame.index, name="communities"), denominator

    return cached(g, ("communities-under", lvl, urban_only, districts_only), compute)


def _hub_prefix(g: CivicGraph, *, as_of: DateLike | None, role: str = "hub") -> np.ndarray:
    """Prefix sums over the pre-order of active organizations of ``role`` (hubs) located
    at each admin unit (cached).

    Hubs located in or under unit ``u``: ``cum[tout[u]] - cum[tin[u]]``.
    """

    def compute():
        _, at = located_orgs(g, roles=(role,), as_of=as_of)
        tin = g.tree.tin[at]
        cum = np.empty(g.tree.order.size + 1, dtype=np.int32)
        cum[0] = 0
        np.cumsum(np.bincount(tin, minlength=g.tree.order.size), out=cum[1:])
        cum.flags.writeable = False
        return cum

    return cached(g, ("hub-prefix", _key(as_of), role), compute)


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


def own_hubs(
    g: CivicGraph, *, as_of: DateLike | None = None, registered_only: bool = False
) -> np.ndarray:
    """Active hubs per street (by node position) located in the street or in a community of
    it; only registered (登记) hubs with ``registered_only``."""
    hubs, at = located_orgs(g, roles=("hub",), as_of=as_of)
    if registered_only:
        at = at[registered(g)[hubs]]
    st = ancestor_at(g, _STREET)[at]
    return np.bincount(st[st >= 0], minlength=g.n_nodes)


@with_example
def street_target(
    g: CivicGraph,
    *,
    as_of: DateLike | None = None,
    urban_only: bool = False,
    street_types: Iterable[str] | None = ALL_STREET_TYPES,
    registered_only: bool = False,
) -> pd.DataFrame:
    """Street-level units with and without a hub of their own.

    The 2018 Wuhu target: 力争每个城市街道（乡镇）注册登记1家枢纽型社区社会组织, every
    urban street (township) registers one hub organization.

    Parameters
    ----------
    g : CivicGraph
    as_of : date-like, optional
        Count only hubs and ties active on that day.
    urban_only : bool
        Street offices (街道) only: the same as ``street_types=("街道",)``.
    street_types : iterable of str, optional
        Which street-level units the target counts, by type from the code (or the
        ``street_kind`` column): ``"街道"`` (street office, code 001-099), ``"镇"``
        (100-199), ``"乡"`` (200-399), ``"其他"`` (400+: farms, zone units), or the codes
        ``"street_office"``, ``"town"``, ``"township"``, ``"other"``. Default
        ``("街道", "镇", "乡")``: every street-level unit, the report's 街道（乡镇）.
        ``None``: every street-level unit, ``"其他"`` too. Units whose type is unknown
        (no ``street_kind``, an id that is no 9-digit code) are always counted.
    registered_only : bool
        Count only hubs that are registered (登记), not those only filed (备案) or of
        unknown status (see ``registration`` in docs/registry-format.md).

    Returns
    -------
    DataFrame
        Indexed by street id, in pre-order: ``name``, ``district`` (parent unit id),
        ``street_kind`` (categorical, missing where unknown), ``communities``,
        ``urban_communities``, ``hubs`` (active hubs of its own, registered ones only
        with ``registered_only``), ``has_hub`` (bool). ``.attrs`` holds the whole-graph
        figures: ``streets``, ``with_hub`` and ``share`` (``with_hub / streets``, 0.0
        without streets).

    Raises
    ------
    SchemaError
        An unknown street type.

    Notes
    -----
    A street's own hubs are the active hubs ``located_in`` the street itself or one of its
    communities (a hub is counted at its first ``located_in`` edge). Hubs that only
    *serve* the street, or sit in the district above it, do not count: the policy asks
    for a hub registered in every street. The same definition is the ``street_hub`` rule
    of :func:`~civicgraph.check_rules`.

    .. math:: \\mathrm{share} = \\frac{|\\{s : \\mathrm{hubs}(s) \\ge 1\\}|}{|\\{s\\}|}

    Examples
    --------{example}
    >>> t = cg.street_target(g)
    >>> t[["street_kind", "hubs", "has_hub"]]
                 street_kind  hubs  has_hub
    id
    990101001  street_office     1     True
    990101002  street_office     0    False
    >>> t.attrs["share"]
    0.5
    """
    tree = g.tree
    if urban_only:
        street_types = ("街道",)
    keep = street_type_mask(g, street_types)
    streets = tree.order[keep[tree.order]]
    n_comm = tree.comm_hi[streets] - tree.comm_lo[streets]
    cum_u = np.concatenate(([0], np.cumsum(g.urban[tree.communities])))
    n_urban = cum_u[tree.comm_hi[streets]] - cum_u[tree.comm_lo[streets]]
    hubs = own_hubs(g, as_of=as_of, registered_only=registered_only)[streets]
    parent = tree.parent[streets]
    out = pd.DataFrame(
        {
            COL.NAME: g._nodes[COL.NAME].to_numpy(dtype=object)[streets],
            "district": np.where(parent >= 0, g.ids[np.maximum(parent, 0)], ""),
            COL.STREET_KIND: pd.Categorical.from_codes(
                street_kind_codes(g)[streets], categories=list(STREET_KINDS)
            ),
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
