"""Integer helpers shared by the coverage-type metrics (coverage, gaps, placement, summary).

Everything works on node positions and the :class:`~civicgraph.model.AdminTree` arrays:
"under a unit" is a contiguous range of the pre-order (``tin``/``tout``) or of the
community order (``comm_lo``/``comm_hi``), so per-unit totals are prefix-sum differences.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._errors import SchemaError
from ..model import CivicGraph
from ..model._columns import _unique_categories
from ..model.graph import DateLike, _key
from ..schema import ADMIN_LEVELS, COL, EDGE_KINDS, NODE_KINDS, ORG_ROLES
from ._scope import (
    check_definition,
    hub_scope,
    org_ties,
    own_covered,
    role_nodes,
    serves_covered,
)

__all__ = [
    "FLOWS",
    "NEW_MONEY",
    "ancestor_categorical",
    "cached",
    "categorical_at",
    "ancestor_at",
    "check_level",
    "check_role",
    "covered_communities",
    "counted_communities",
    "located_among",
    "id_categorical",
    "money_edges",
    "money_flows",
    "name_categorical",
    "labels",
    "located_orgs",
    "role_rank",
]


#: How many derived arrays a graph keeps per metric family (oldest dropped first).
CACHE_SIZE = 64


def cached(g: CivicGraph, key: tuple, compute):
    """``compute()`` once per graph and ``key``; later calls return the stored value.

    A graph is immutable, so arrays derived from it (a hub scope at a date, where each
    org is located, per-level name columns) stay valid; like :meth:`CivicGraph.adjacency`
    they are kept on the graph. Callers must not modify what they get back.
    """
    store = g.__dict__.setdefault("_metrics_cache", {})
    if key not in store:
        if len(store) >= CACHE_SIZE:
            store.pop(next(iter(store)))
        store[key] = compute()
    return store[key]


def labels(g: CivicGraph, key: tuple, compute):
    """Like :func:`cached`, for the graph's label dictionaries: the categories (ids, names)
    of the string columns metrics return, and the codes into them by node position.

    They depend on the node table alone, cost a hash of every admin id or name to build
    (about a second on the national registry) and are few, so they live in their own
    store: a run of per-date calls, which fills :func:`cached`'s store with arrays of
    each date, never evicts them.
    """
    store = g.__dict__.setdefault("_labels", {})
    if key not in store:
        store[key] = compute()
    return store[key]


def covered_communities(
    g: CivicGraph,
    *,
    as_of: DateLike | None = None,
    definition: str = "served",
    roles: tuple[str, ...] = ("hub",),
) -> np.ndarray:
    """Bool per community rank: covered at ``as_of`` in the reading ``definition`` (see
    ``_scope.DEFINITIONS``) by active organizations of ``roles`` (cached, read-only).

    For hubs "served" is the hub scope (:func:`~._scope.hub_scope`); for any other role
    it is the communities an organization is located in or serves (``serves`` edges
    expanded to the communities under them): an agency sitting at city level does not
    serve every community of the city.
    """
    check_definition(definition)

    def compute():
        if definition == "own":
            out = own_covered(g, as_of=as_of, roles=roles)
        elif tuple(roles) != ("hub",):  # other roles: where they are or what they serve
            out = own_covered(g, as_of=as_of, roles=roles)
            out |= serves_covered(g, as_of=as_of, roles=roles)
        else:
            out = hub_scope(g, as_of=as_of, roles=roles).covered()
        out.flags.writeable = False
        return out

    return cached(g, ("covered", _key(as_of), definition, *sorted(roles)), compute)


def check_role(role: str) -> str:
    """``role`` if it is an organization role, else :class:`SchemaError` naming the roles."""
    if role not in ORG_ROLES:
        raise SchemaError(f"unknown org role {role!r}; use one of {', '.join(ORG_ROLES)}")
    return role


def check_level(level: str, *, allowed: tuple[str, ...] = ADMIN_LEVELS) -> int:
    """Index of ``level`` in ``ADMIN_LEVELS``; :class:`SchemaError` naming the choices."""
    if level not in allowed:
        raise SchemaError(f"unknown admin level {level!r}; use one of {', '.join(allowed)}")
    return ADMIN_LEVELS.index(level)


def counted_communities(
    g: CivicGraph, *, urban_only: bool, districts_only: bool = False
) -> np.ndarray:
    """Bool per community rank: the communities a metric counts (urban ones if asked;
    only those under a city district, 市辖区, with ``districts_only``)."""
    comm = g.tree.communities
    if not urban_only and not districts_only:
        return np.ones(comm.size, dtype=bool)

    def compute():
        out = g.urban[comm] if urban_only else np.ones(comm.size, dtype=bool)
        if districts_only:
            from ._types import city_district_communities

            out = out & city_district_communities(g)
        out.flags.writeable = False
        return out

    return cached(g, ("counted-communities", urban_only, districts_only), compute)


def located_among(
    g: CivicGraph, key: tuple, nodes, *, as_of: DateLike | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where the organizations ``nodes()`` marks (bool by node position) are located at
    ``as_of``: ``(orgs, unit, slot)``, the orgs' positions (in position order), the admin
    unit of each (``-1``: no active ``located_in`` edge to an admin unit) and each node's
    index in ``orgs`` (``-1`` for other nodes).

    An org with several such edges counts at the first one (edge-table order), so every
    org is counted once. Only those organizations' ties are read; ``key`` names the set:
    its ties and slots are kept per graph, the units per date (all read-only).
    """
    orgs, slot = labels(g, ("slots", *key), lambda: _slots(nodes()))

    def compute():
        ties = org_ties(g).of(key, nodes)
        m = ties.active(as_of) & ~ties.serves
        unit = np.full(orgs.size, -1, dtype=np.int64)
        unit[slot[ties.u[m]][::-1]] = ties.v[m][::-1]  # reversed: the first edge wins
        unit.flags.writeable = False
        return unit

    return orgs, cached(g, ("located", key, _key(as_of)), compute), slot


def _slots(marked: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    orgs = np.flatnonzero(marked)
    slot = np.full(marked.size, -1, dtype=np.int32)
    slot[orgs] = np.arange(orgs.size, dtype=np.int32)
    orgs.flags.writeable = slot.flags.writeable = False
    return orgs, slot


def located_orgs(
    g: CivicGraph, *, roles: tuple[str, ...], as_of: DateLike | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Organizations of ``roles`` located at ``as_of`` (see :func:`located_among`) and the
    admin unit of each, as two position arrays (orgs in position order)."""
    key = ("roles", *sorted(roles))
    orgs, unit, _ = located_among(g, key, lambda: role_nodes(g, roles), as_of=as_of)
    keep = unit >= 0
    return orgs[keep], unit[keep]


def role_rank(g: CivicGraph, role: str) -> tuple[np.ndarray, np.ndarray]:
    """Orgs of ``role`` sorted by id, and each node's rank among them (-1 for others).

    For deterministic tie-breaking by id; cached per graph.
    """

    def compute():
        pos = np.flatnonzero(g.mask(kind="org", role=role))
        by_id = pos[np.argsort(g.index.take(pos).to_numpy(dtype=str), kind="stable")]
        rank = np.full(g.n_nodes, -1, dtype=np.int32)
        rank[by_id] = np.arange(by_id.size)
        return by_id, rank

    return labels(g, ("rank", role), compute)


def id_categorical(g: CivicGraph, positions: np.ndarray, within, *, key: tuple) -> pd.Categorical:
    """Ids of ``positions`` (``""`` where -1) as a categorical over ``within()``'s ids.

    ``within`` is a function returning positions that include every position asked for;
    categories are ``""`` then their ids, built once per graph and ``key``. Cheap for
    many rows: no strings copied per row.
    """

    def compute():
        within_pos = within()
        code_of = np.zeros(g.n_nodes + 1, dtype=np.int32)  # position -1 reads the last: ""
        code_of[within_pos] = np.arange(1, within_pos.size + 1)
        return code_of, pd.Index([""]).append(g.index.take(within_pos))

    return categorical_at(g, ("categories", *key), compute, positions)


def ancestor_categorical(g: CivicGraph, level: int, positions: np.ndarray) -> pd.Categorical:
    """Id of the ancestor at ``level`` (the unit itself at that level, ``""`` above it)
    of each of ``positions``, as a categorical over the ids of that level."""

    def compute():
        tree = g.tree
        within = tree.order[tree.level[tree.order] == level]
        code_of = np.zeros(g.n_nodes + 1, dtype=np.int64)  # position -1 reads the last: ""
        code_of[within] = np.arange(1, within.size + 1)
        return code_of[tree.ancestor_at(level)], pd.Index([""]).append(g.index.take(within))

    return categorical_at(g, ("ancestor", level), compute, positions)


def name_categorical(g: CivicGraph, positions: np.ndarray) -> pd.Categorical:
    """Names of admin ``positions`` as a categorical over the distinct admin names.

    Names repeat a lot (every city has its 城关镇 and 居委会), and codes into the distinct
    names are built once per graph: no strings copied per row. Missing names are ``""``.
    """

    def compute():
        admin = g.tree.order
        codes, uniques = pd.factorize(g._nodes[COL.NAME].take(admin).fillna(""))
        code_of = np.zeros(g.n_nodes, dtype=np.int32)
        code_of[admin] = codes
        return code_of, uniques

    return categorical_at(g, ("admin-names",), compute, positions)


def categorical_at(g: CivicGraph, key: tuple, compute, positions: np.ndarray) -> pd.Categorical:
    """A categorical of ``positions`` from a label dictionary: ``compute()`` returns the
    code at every position (node positions, or ranks: whatever ``positions`` index; -1
    reads the last) and the categories, kept per graph and ``key`` (see
    :func:`labels`) with codes in the integer type pandas keeps for that many categories,
    so building a column is one gather, no conversion and no validation (the categories
    are unique by construction: ids, or the uniques of a factorize)."""

    def dictionary():
        code_of, categories = compute()
        n = len(categories)
        small = next(t for t in (np.int8, np.int16, np.int32, np.int64) if n < np.iinfo(t).max)
        return code_of.astype(small), _unique_categories(categories)

    code_of, dtype = labels(g, key, dictionary)
    return pd.Categorical.from_codes(code_of[positions], dtype=dtype, validate=False)


def ancestor_at(g: CivicGraph, level: int) -> np.ndarray:
    """``g.tree.ancestor_at(level)``, cached per graph (read-only)."""

    def compute():
        out = g.tree.ancestor_at(level)
        out.flags.writeable = False
        return out

    return cached(g, ("ancestor", level), compute)


#: Flows of money records (``funds``/``awards`` edges); the first three are new money.
FLOWS: tuple[str, ...] = ("grant", "award", "own_funds", "regrant", "spending")
#: Indices into :data:`FLOWS` of new money.
NEW_MONEY = np.array([0, 1, 2], dtype=np.int8)


def money_flows(g: CivicGraph) -> np.ndarray:
    """Flow of every edge row, an index into :data:`FLOWS` (``-1``: not a money edge, or
    an end missing), kept on the graph (read-only).

    Out of an admin unit: ``spending`` (a community spending its award). Out of a program
    or a government organization that receives no money: ``grant`` (``funds``) or
    ``award`` (``awards``). Out of any other organization that receives no money:
    ``own_funds`` (a hub's own fund-raising or community fund: no recorded inflow, so the
    money is new). Out of a node that receives money: ``regrant`` (money passed on).
    """

    def compute():
        u, v = g.edge_positions
        kinds = g.edge_kind_codes
        money = np.isin(kinds, [EDGE_KINDS.index("funds"), EDGE_KINDS.index("awards")])
        money &= (u >= 0) & (v >= 0)
        rows = np.flatnonzero(money)
        src, dst = u[rows], v[rows]
        receives = np.zeros(g.n_nodes, dtype=bool)
        receives[dst] = True
        kind = g.kind_codes[src]
        gov = (kind == NODE_KINDS.index("org")) & (
            g.role_codes[src] == ORG_ROLES.index("government")
        )
        origin = ((kind == NODE_KINDS.index("program")) | gov) & ~receives[src]
        own = (kind == NODE_KINDS.index("org")) & ~gov & ~receives[src]
        awards = kinds[rows] == EDGE_KINDS.index("awards")
        flow = np.where(origin, np.where(awards, 1, 0), np.where(own, 2, 3))
        flow[kind == NODE_KINDS.index("admin")] = 4
        out = np.full(u.size, -1, dtype=np.int8)
        out[rows] = flow
        out.flags.writeable = False
        return out

    return cached(g, ("money-flows",), compute)


def money_edges(g: CivicGraph, *, as_of: DateLike | None = None) -> np.ndarray:
    """Bool over edge rows: new money (see :func:`money_flows`: grants and awards out of a
    program or government organization, and organizations' own funds).

    Money is counted once: money passed on by a node that received it, and an award
    spent by its community, re-spend money an earlier edge already brought in, so they
    are flows, not new money.
    """
    return g.edge_mask(("funds", "awards"), as_of=as_of) & np.isin(money_flows(g), NEW_MONEY)


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
    ...     "funder_level": [None] * 8 + ["district"],
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
