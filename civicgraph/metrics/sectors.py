"""三社联动 (three-sector linkage): communities, social organizations and social work, per
community, with a city roll-up."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model import CivicGraph
from ..model.graph import DateLike
from ..schema import ADMIN_LEVELS, COL, EDGE_KINDS
from ._ties import node_column
from ._units import (
    ancestor_categorical,
    counted_communities,
    covered_communities,
    id_categorical,
    located_orgs,
    name_categorical,
    with_example,
)

__all__ = ["SECTOR_COLUMNS", "three_sectors"]

#: The flag columns of :func:`three_sectors`, in order.
SECTOR_COLUMNS: tuple[str, ...] = (
    "hub_own",
    "hub_served",
    "community_orgs",
    "has_agency",
    "demonstration",
    "linked",
)

_DISTRICT = ADMIN_LEVELS.index("district")
_STREET = ADMIN_LEVELS.index("street")


@with_example
def three_sectors(
    g: CivicGraph,
    *,
    as_of: DateLike | None = None,
    urban_only: bool = False,
    districts_only: bool = False,
) -> pd.DataFrame:
    """Per community, the three sectors of 三社联动: a hub, community organizations, social work.

    The report's fourth program links communities, social organizations and social work
    (社区、社会组织、社会工作 "三社联动"), and its next step is to bring social-work agencies
    into communities (引导社会工作服务机构进驻社区).

    Parameters
    ----------
    g : CivicGraph
    as_of : date-like, optional
        Count only organizations, ties and awards active on that day.
    urban_only : bool
        Resident committees (urban communities) only.
    districts_only : bool
        Communities under city districts (市辖区, county digits 01-20) only.

    Returns
    -------
    DataFrame
        Indexed by community id, in pre-order (code order): ``name``, ``district``,
        ``street`` (ancestor ids), ``urban``, ``hub_own`` (an active hub located in the
        community or serving exactly it), ``hub_served`` (in some active hub's service
        area: its own hub, or a street or district federation), ``members`` (active
        member organizations located in the community), ``community_orgs``
        (``members > 0``), ``has_agency`` (an active social-work agency located in the
        community, or serving it or a unit above it), ``demonstration`` (the community
        received a ``demonstration_award``), ``linked`` (all three sectors: a hub of
        its own or in reach, community organizations, an agency). ``.attrs`` holds the
        city roll-up: ``communities`` and, for each flag column, how many communities
        have it (plain ints).

    Notes
    -----
    ``hub_own`` and ``hub_served`` are the two readings of
    :func:`~civicgraph.coverage` (``definition="own"`` and ``"served"``); ``has_agency`` is
    an agency stationed in the community (``located_in``) or whose ``serves`` edges reach
    it. An agency located at city or district level without ``serves`` edges is not in
    any community: 进驻社区 means being in the community. ``demonstration``: an active
    ``awards`` edge to the community from a program of ``program_type``
    ``demonstration_award`` (三社联动示范社区).

    Examples
    --------{example}
    >>> t = cg.three_sectors(g)
    >>> t[["hub_own", "hub_served", "members", "has_agency", "linked"]]
                  hub_own  hub_served  members  has_agency  linked
    id
    990101001001    False       False        1       False   False
    990101001002     True        True        0       False   False
    990101002201    False       False        0       False   False
    >>> t.attrs["hub_served"], t.attrs["communities"]
    (1, 3)
    """
    tree = g.tree
    units, members, flags = sector_flags(
        g, as_of=as_of, urban_only=urban_only, districts_only=districts_only
    )
    out = pd.DataFrame(
        {
            COL.NAME: name_categorical(g, units),
            "district": ancestor_categorical(g, _DISTRICT, units),
            "street": ancestor_categorical(g, _STREET, units),
            COL.URBAN: g.urban[units],
            "hub_own": flags["hub_own"],
            "hub_served": flags["hub_served"],
            "members": members,
            **{k: flags[k] for k in SECTOR_COLUMNS[2:]},
        },
        index=pd.CategoricalIndex(
            id_categorical(g, units, lambda: tree.order, key=("admin",)), name=COL.ID
        ),
    )
    out.attrs.update(
        communities=int(units.size), **{k: int(np.count_nonzero(v)) for k, v in flags.items()}
    )
    return out


def sector_flags(
    g: CivicGraph, *, as_of: DateLike | None, urban_only: bool, districts_only: bool
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The counted communities (positions, pre-order), their member organizations and the
    flags of :data:`SECTOR_COLUMNS` (bool arrays over those communities): the table of
    :func:`three_sectors` without its label columns."""
    comm = g.tree.communities
    keep = counted_communities(g, urban_only=urban_only, districts_only=districts_only)
    rank = np.flatnonzero(keep)
    units = comm[rank]
    hub_own = covered_communities(g, as_of=as_of, definition="own")[rank]
    hub_served = covered_communities(g, as_of=as_of, definition="served")[rank]
    _, at = located_orgs(g, roles=("member",), as_of=as_of)
    members = np.bincount(at, minlength=g.n_nodes)[units].astype(np.int64)
    agency = covered_communities(g, as_of=as_of, roles=("agency",))[rank]
    flags = {
        "hub_own": hub_own,
        "hub_served": hub_served,
        "community_orgs": members > 0,
        "has_agency": agency,
        "demonstration": _demonstration(g, as_of)[units],
        "linked": (hub_own | hub_served) & (members > 0) & agency,
    }
    return units, members, flags


def _demonstration(g: CivicGraph, as_of: DateLike | None) -> np.ndarray:
    """Bool per node position: received an active ``awards`` edge from a
    ``demonstration_award`` program."""
    u, v = g.edge_positions
    m = g.edge_mask("awards", as_of=as_of) & (u >= 0) & (v >= 0)
    m &= g.edge_kind_codes == EDGE_KINDS.index("awards")
    rows = np.flatnonzero(m)
    kind = node_column(g, COL.PROGRAM_TYPE, at=u[rows])
    out = np.zeros(g.n_nodes, dtype=bool)
    out[v[rows][kind == "demonstration_award"]] = True
    return out
