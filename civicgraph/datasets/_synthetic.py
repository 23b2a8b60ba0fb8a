"""A synthetic registry of any size, up to the whole country (see :func:`synthetic`).

Everything is built as integer arrays over node positions (admin units first, in
pre-order, then organizations by role, then programs): no Python loop per node or edge.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._errors import SchemaError
from ..io.divisions import read_divisions
from ..model import CivicGraph
from ..model._tree import build_tree
from ..schema import (
    ADMIN_LEVELS,
    COL,
    EDGE_KINDS,
    LEVEL_CODE_LENGTH,
    ORG_ROLES,
    STREET_KINDS,
    edge_kind_dtype,
    level_dtype,
    node_kind_dtype,
    role_dtype,
    street_kind_dtype,
)

__all__ = ["synthetic"]

PROVINCE, CITY, DISTRICT, STREET, COMMUNITY = range(5)
EPOCH = np.datetime64("2015-01-01", "D")
MEMBER_THEMES = np.array(
    ["志愿服务队", "老年协会", "文体队", "邻里互助会", "调解队", "书画社", "舞蹈队", "爱心帮扶队"]
)
#: Fan-outs of the generated tree (inclusive ranges), close to the national averages
#: (11 cities per province, 8.7 districts per city, 13.9 streets per district,
#: 15 communities per street).
FANOUT = {CITY: (6, 16), DISTRICT: (5, 12), STREET: (8, 20), COMMUNITY: (8, 22)}
#: Street kinds of generated streets and the share of urban communities in each.
STREET_KIND_P = np.array([0.3, 0.45, 0.25])  # street office, town, township
URBAN_P = np.array([0.95, 0.2, 0.03])
ROLE = {r: i for i, r in enumerate(ORG_ROLES)}
EDGE = {k: i for i, k in enumerate(EDGE_KINDS)}
PURPOSES = ("purchase_of_services", "other")
PROGRAMS = ("venture_philanthropy", "cradle", "demonstration_award", "micro_venture_philanthropy")


# ---------------------------------------------------------------------------- admin tree


def _rank_within(key: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within each run of equal ``key`` values (in stable sorted order)."""
    order = np.argsort(key, kind="stable")
    sk = key[order]
    first = np.concatenate(([True], sk[1:] != sk[:-1]))
    start = np.maximum.accumulate(np.where(first, np.arange(sk.size), 0))
    rank = np.empty(key.size, dtype=np.int64)
    rank[order] = np.arange(sk.size) - start
    return rank


def _generate_tree(n_provinces: int, rng: np.random.Generator):
    """Codes, levels and urban flags of a generated 5-level tree (codes valid by the rules)."""
    codes = [np.arange(n_provinces, dtype=np.int64) + 11]
    kinds = None
    urban = None
    for lvl in (CITY, DISTRICT, STREET, COMMUNITY):
        parents = codes[-1]
        lo, hi = FANOUT[lvl]
        n = rng.integers(lo, hi + 1, size=parents.size)
        parent = np.repeat(np.arange(parents.size), n)
        if lvl < STREET:
            suffix = _rank_within(parent) + 1
            codes.append(parents[parent] * 100 + suffix)
        elif lvl == STREET:
            kinds = rng.choice(3, size=parent.size, p=STREET_KIND_P)
            suffix = np.array([1, 100, 200])[kinds] + _rank_within(parent * 4 + kinds)
            codes.append(parents[parent] * 1000 + suffix)
        else:
            urban = rng.random(parent.size) < URBAN_P[kinds[parent]]
            suffix = np.where(urban, 1, 200) + _rank_within(parent * 2 + urban)
            codes.append(parents[parent] * 1000 + suffix)
    return codes, kinds, urban


def _tree_tables(codes, street_kinds, urban):
    """Node arrays of a generated tree in pre-order: ids, level, parent, urban, names."""
    lengths = np.array([LEVEL_CODE_LENGTH[lvl] for lvl in ADMIN_LEVELS])
    level = np.concatenate([np.full(c.size, i, dtype=np.int8) for i, c in enumerate(codes)])
    code = np.concatenate(codes)
    padded = code * 10 ** (12 - lengths[level])
    key = padded * 8 + level
    order = np.argsort(key, kind="stable")
    key, level, code = key[order], level[order], code[order]
    plevel = np.maximum(level - 1, 0)
    cut = 10 ** (12 - lengths[plevel])
    pkey = (key // 8 // cut) * cut * 8 + plevel
    parent = np.where(level > 0, np.searchsorted(key, pkey), -1)
    is_comm = level == COMMUNITY
    is_street = level == STREET
    urb = np.zeros(code.size, dtype=bool)
    urb[is_comm] = np.concatenate([np.zeros(code.size - urban.size, bool), urban])[order][is_comm]
    skind = np.full(code.size, -1, dtype=np.int8)
    skind[is_street] = np.concatenate(
        [
            np.full(code.size - street_kinds.size - urban.size, -1),
            street_kinds,
            np.full(urban.size, -1),
        ]
    )[order][is_street]
    text = _text(code)
    ids = pd.array(text, dtype="str")
    label = np.array([0, 1, 2, 3, 6], dtype=np.int64)[level]  # 省 市 区 街道 社区
    label[is_comm & ~urb] = 7  # 村
    label[is_street] = 3 + skind[is_street]  # 街道 镇 乡
    names = pd.array(
        _join("合成", text, _coded(label, ("省", "市", "区", "街道", "镇", "乡", "社区", "村"))),
        dtype="str",
    )
    return ids, level, parent, urb, skind, names


def _admin_from_graph(g: CivicGraph, n_communities: int | None):
    """Admin arrays of whole cities of ``g`` (code order) until ``n_communities``."""
    tree = g.tree
    admin = np.flatnonzero(tree.level >= 0)
    admin = admin[np.argsort(tree.tin[admin])]  # pre-order
    keep = np.zeros(g.n_nodes, dtype=bool)
    keep[admin] = True
    if n_communities is not None:
        cities = admin[tree.level[admin] == CITY]
        sizes = tree.comm_hi[cities] - tree.comm_lo[cities]
        k = int(np.searchsorted(np.cumsum(sizes), n_communities)) + 1
        keep[:] = False
        chosen = cities[:k]  # mark every chosen city's subtree (one vectorized pass)
        diff = np.zeros(tree.order.size + 1, dtype=np.int64)
        np.add.at(diff, tree.tin[chosen], 1)
        np.add.at(diff, tree.tout[chosen], -1)
        keep[tree.order[np.cumsum(diff[:-1]) > 0]] = True
        anc = tree.ancestor_at(PROVINCE)[cities[:k]]
        keep[anc[anc >= 0]] = True
    pos = admin[keep[admin]]
    new = np.full(g.n_nodes, -1, dtype=np.int64)
    new[pos] = np.arange(pos.size)
    par = tree.parent[pos]
    parent = np.where(par >= 0, new[np.maximum(par, 0)], -1)
    nodes = g._nodes
    skind = (
        nodes[COL.STREET_KIND].cat.codes.to_numpy()[pos].astype(np.int8)
        if COL.STREET_KIND in nodes
        else np.full(pos.size, -1, dtype=np.int8)
    )
    return (
        g._nodes[COL.ID].array.take(pos),
        tree.level[pos].astype(np.int8),
        parent,
        g.urban[pos],
        skind,
        nodes[COL.NAME].array.take(pos),
    )


# ---------------------------------------------------------------------------- helpers


class _Edges:
    """Edge columns collected per part, written once into preallocated arrays.

    Optional columns stay implicit (missing) for the parts that do not give them, so a
    part costs only the arrays it really has.
    """

    COLUMNS = (
        ("u", np.int32, 0),
        ("v", np.int32, 0),
        ("kind", np.int8, 0),
        ("start", np.int32, -1),
        ("amount", np.float64, np.nan),
        ("program", np.int32, -1),
        ("purpose", np.int8, -1),
    )

    def __init__(self) -> None:
        self.parts: list[dict] = []

    def add(self, u, v, kind, start, amount=None, program=None, purpose=None) -> None:
        given = {"u": u, "v": v, "start": start, "amount": amount, "program": program}
        given["purpose"] = purpose
        part = {"n": np.asarray(u).size, "kind": EDGE[kind]}
        for name, dtype, _ in self.COLUMNS:  # narrow dtypes now: parts wait until the end
            if name in given:
                value = given[name]
                part[name] = None if value is None else np.asarray(value).astype(dtype, copy=False)
        self.parts.append(part)

    def arrays(self) -> dict[str, np.ndarray]:
        """The columns, freeing the parts as they are copied."""
        total = sum(p["n"] for p in self.parts)
        out = {name: np.full(total, fill, dtype=dt) for name, dt, fill in self.COLUMNS}
        i = 0
        while self.parts:
            part = self.parts.pop(0)
            j = i + part["n"]
            for name, _, _ in self.COLUMNS:
                if part[name] is not None:
                    out[name][i:j] = part[name]
            i = j
        return out


class _Picker:
    """Random candidate of a group, among those started by a day; sorted once, reused.

    ``group`` and ``start`` (day counts) are given per candidate (``cand``, positions).
    """

    def __init__(self, group: np.ndarray, start: np.ndarray, cand: np.ndarray) -> None:
        key = group.astype(np.int64) * 100_000 + start
        order = np.argsort(key, kind="stable")
        self.key, self.cand = key[order], cand[order]

    def __call__(self, grant_group, grant_day, rng) -> np.ndarray:
        """For each grant, a candidate of ``grant_group`` started by ``grant_day`` (-1: none)."""
        grant_group = np.asarray(grant_group, dtype=np.int64)
        lo = np.searchsorted(self.key, grant_group * 100_000, side="left")
        hi = np.searchsorted(self.key, grant_group * 100_000 + grant_day, side="right")
        n = hi - lo
        if self.key.size == 0:
            return np.full(n.size, -1, dtype=np.int64)
        pick = lo + np.floor(rng.random(n.size) * n).astype(np.int64)
        return np.where(n > 0, self.cand[np.minimum(pick, self.key.size - 1)], -1)


def _round(x, unit):
    return np.maximum(np.round(x / unit), 1) * unit


# ---------------------------------------------------------------------------- main


def synthetic(
    n_communities: int | None = None,
    *,
    divisions: CivicGraph | str | os.PathLike | None = None,
    seed: int = 0,
    orgs_per_community: float = 1.6,
    hub_share: float = 0.25,
    street_hub_share: float = 0.05,
    member_hub_share: float = 0.85,
    years: tuple[int, int] = (2015, 2023),
    validate: bool = True,
) -> CivicGraph:
    """A synthetic registry of community organizations, of any size up to the country.

    Parameters
    ----------
    n_communities : int, optional
        Take whole cities until at least this many communities (all when ``None``).
    divisions : CivicGraph or path, optional
        Admin units to build on: a graph (its admin units; other nodes are ignored) or a
        path for :func:`civicgraph.read_divisions` (e.g. the NBS folder
        ``cn-divisions-2023``). Cities are taken in code order. ``None``: a generated
        tree (provinces 11, 12, ... with fan-outs near the national averages, valid
        12-digit codes, street offices / towns / townships and resident / village
        committees by their code ranges); without ``n_communities`` it has 31 provinces
        (about 600,000 communities, like the country).
    seed : int
        Seed of every random choice: the same arguments give the same graph.
    orgs_per_community : float
        Organizations per community (all roles); members fill what the others leave.
    hub_share : float
        Mean probability that a community has a hub located in it (urban communities
        twice as likely as rural ones).
    street_hub_share : float
        Share of streets with a street-level hub (street offices three times as likely).
    member_hub_share : float
        Share of member organizations that belong to a hub (``member_of`` and
        ``incubates``); the others sit in random communities without a tie.
    years : (int, int)
        First and last year of start dates, programs and grants.
    validate : bool
        Run the graph's structural checks (``from_frames(validate=True)``).

    Returns
    -------
    CivicGraph
        Every organization, program and tie has ``synthetic=True``.

    Notes
    -----
    Organizations (ids ``<role>-<n>``, located by ``located_in``):

    - government: one civil-affairs bureau per city and per district (program funders);
    - center: one per city (located in the city) and in 30% of districts, each run by an
      operator (``operates``, purchase of services);
    - hub: in communities with probability ``hub_share`` (weighted), in streets with
      ``street_hub_share``; half are incubated by their district's (else city's) center;
    - agency: 1 + Poisson(2) per district, half incubated by a center;
    - member: the rest; ``member_hub_share`` of them are members of a random hub (located
      in its community, or a community of its street), incubated by it.

    Start dates grow over time (hubs: day ``D * sqrt(U)`` of the ``years`` span); members
    start after their hub. Programs (``program_type``, ``funder_level``, ``funder``,
    ``year``): per city and year a venture-philanthropy round (p = 0.6), per district and
    year from 2017 a district round (p = 0.1), a 2015 cradle project (p = 0.3, hubs
    only), demonstration awards from 2018 (p = 0.5; 5–15 urban communities, ``awards``
    edges, each spent on purchase of services (50–80%, 5% of awards 30–45%) and on
    ``other``), and one micro venture philanthropy program per city and year from the
    second year, under which 30% of hub members get a ``funds`` grant from their hub.
    Grants go to organizations of the funder's unit already started on the grant day.

    Size and speed (generated national tree, ``seed=0``, measured once on a loaded
    2-core machine): 655,033 communities, 1,048,053 organizations, 1,758,330 nodes and
    3,606,065 edges; build 3.1 s CPU, validation 1.7 s CPU; peak RSS 0.95 GB without
    validation, 1.3 GB with it (the id-uniqueness hash and the cycle checks).

    Examples
    --------
    >>> import civicgraph as cg
    >>> g = cg.datasets.synthetic(2000, seed=1)
    >>> g.counts()["admin"]["city"], g.tree.n_communities >= 2000
    (2, True)
    """
    rng = np.random.default_rng(seed)
    first, last = years
    if last < first:
        raise SchemaError(f"years must be (first, last) with first <= last, not {years}")
    g0 = None
    if divisions is None:
        n_prov = 31 if n_communities is None else max(1, min(89, -(-n_communities // 15000)))
        codes, skinds, urban = _generate_tree(n_prov, rng)
        ids, level, parent, urban, skind, names = _tree_tables(codes, skinds, urban)
        if n_communities is not None:
            g0 = _admin_graph(ids, level, parent, urban, skind, names)
            ids, level, parent, urban, skind, names = _admin_from_graph(g0, n_communities)
    else:
        g0 = divisions if isinstance(divisions, CivicGraph) else read_divisions(divisions)
        ids, level, parent, urban, skind, names = _admin_from_graph(g0, n_communities)
    del g0  # the source graph is not needed any more: free it
    # populate in a helper so that its temporary arrays are freed before assembly
    parts = _populate(
        level, parent, urban, skind, rng,
        orgs_per_community=orgs_per_community, hub_share=hub_share,
        street_hub_share=street_hub_share, member_hub_share=member_hub_share,
        first=first, last=last,
    )  # fmt: skip
    return _assemble(
        ids, level, parent, urban, skind, names, divisions is None, *parts, validate, rng
    )


def _populate(
    level, parent, urban, skind, rng, *,
    orgs_per_community, hub_share, street_hub_share, member_hub_share, first, last,
):  # fmt: skip
    """Organizations, programs and ties as arrays (see :func:`synthetic`)."""
    n_admin = level.size
    tree = build_tree(parent, level)
    comm = tree.communities
    nc = comm.size
    if nc == 0:
        raise SchemaError("the divisions have no communities to place organizations in")
    city_of = tree.ancestor_at(CITY)
    district_of = tree.ancestor_at(DISTRICT)
    span = _day(f"{last}-12-31") - _day(f"{first}-01-01")
    day0 = _day(f"{first}-01-01")

    def days(x):
        return (day0 + np.asarray(x)).astype(np.int64)

    # ------------------------------------------------------------------ organizations
    cities = np.flatnonzero(level == CITY)
    districts = np.flatnonzero(level == DISTRICT)
    streets = np.flatnonzero(level == STREET)
    w = np.where(urban[comm], 2.0, 1.0)
    hub_comm = comm[rng.random(nc) < np.minimum(hub_share * w / w.mean(), 1.0)]
    sw = np.where(skind[streets] == STREET_KINDS.index("street_office"), 3.0, 1.0)
    hub_street = streets[
        rng.random(streets.size) < np.minimum(street_hub_share * sw / sw.mean(), 1)
    ]
    hub_loc = np.concatenate([hub_comm, hub_street])
    center_loc = np.concatenate([cities, districts[rng.random(districts.size) < 0.3]])
    gov_loc = np.concatenate([cities, districts])
    agency_loc = np.repeat(districts, 1 + rng.poisson(2.0, districts.size))
    fixed = hub_loc.size + 2 * center_loc.size + gov_loc.size + agency_loc.size
    n_mem = max(0, round(orgs_per_community * nc) - fixed)
    affiliated = (rng.random(n_mem) < member_hub_share) & (hub_loc.size > 0)
    hub_of = np.where(affiliated, rng.integers(0, max(hub_loc.size, 1), n_mem), -1)
    lo, hi = (
        tree.comm_lo[hub_loc[np.maximum(hub_of, 0)]],
        tree.comm_hi[hub_loc[np.maximum(hub_of, 0)]],
    )
    if hub_loc.size == 0:
        lo, hi = np.zeros(n_mem, np.int64), np.zeros(n_mem, np.int64)
    rank = np.where(
        affiliated,
        lo + np.floor(rng.random(n_mem) * (hi - lo)).astype(np.int64),
        rng.integers(0, nc, n_mem),
    )
    member_loc = comm[rank]

    blocks = [
        ("hub", hub_loc),
        ("center", center_loc),
        ("operator", center_loc),
        ("government", gov_loc),
        ("agency", agency_loc),
        ("member", member_loc),
    ]
    offset = {}
    pos = n_admin
    for role, loc in blocks:
        offset[role] = pos
        pos += loc.size
    n_org = pos - n_admin
    loc = np.concatenate([b[1] for b in blocks])
    role = np.concatenate([np.full(b[1].size, ROLE[b[0]], dtype=np.int8) for b in blocks])
    hubs = offset["hub"] + np.arange(hub_loc.size)
    centers = offset["center"] + np.arange(center_loc.size)
    operators = offset["operator"] + np.arange(center_loc.size)
    agencies = offset["agency"] + np.arange(agency_loc.size)
    members = offset["member"] + np.arange(n_mem)

    # start days (relative to EPOCH); government: open (no start)
    start = np.full(n_org, -1, dtype=np.int64)

    def put(nodes, value):
        start[nodes - n_admin] = value

    hub_start = np.floor(span * np.sqrt(rng.random(hubs.size))).astype(np.int64)
    put(hubs, days(hub_start))
    cstart = rng.integers(0, max(1, min(span, 4 * 365)), centers.size)
    put(centers, days(cstart))
    put(operators, days(cstart))
    put(agencies, days(rng.integers(0, span + 1, agencies.size)))
    base = np.where(affiliated, hub_start[np.maximum(hub_of, 0)], 0)
    mstart = base + np.floor(rng.random(n_mem) * (span - base)).astype(np.int64)
    mstart = np.where(affiliated, mstart, np.floor(span * np.sqrt(rng.random(n_mem))))
    put(members, days(mstart))

    # ------------------------------------------------------------------ ties
    e = _Edges()
    child = np.flatnonzero(parent >= 0)
    e.add(parent[child], child, "contains", None)
    org_pos = np.arange(n_admin, n_admin + n_org)
    e.add(org_pos, loc, "located_in", np.maximum(start, 0))
    e.add(
        operators,
        centers,
        "operates",
        start[centers - n_admin],
        purpose=np.zeros(centers.size, np.int8),
    )
    center_at = np.full(n_admin, -1, dtype=np.int64)
    center_at[center_loc[::-1]] = centers[::-1]  # first center of a unit wins

    def center_for(units):
        d = center_at[np.maximum(district_of[units], 0)]
        return np.where((district_of[units] >= 0) & (d >= 0), d, center_at[city_of[units]])

    for orgs in (hubs, agencies):
        inc = orgs[rng.random(orgs.size) < 0.5]
        c = center_for(loc[inc - n_admin])
        ok = c >= 0
        inc, c = inc[ok], c[ok]
        e.add(c, inc, "incubates", np.maximum(start[inc - n_admin], start[c - n_admin]))
    m_aff = members[affiliated]
    h_aff = hubs[hub_of[affiliated]]
    e.add(m_aff, h_aff, "member_of", start[m_aff - n_admin])
    e.add(h_aff, m_aff, "incubates", start[m_aff - n_admin])

    # ------------------------------------------------------------------ programs
    n_years = last - first + 1
    yr = np.arange(first, last + 1)
    city_idx = np.repeat(cities, n_years)
    city_yr = np.tile(yr, cities.size)
    vp_city = rng.random(city_idx.size) < 0.6
    dist_idx = np.repeat(districts, n_years)
    dist_yr = np.tile(yr, districts.size)
    vp_dist = (rng.random(dist_idx.size) < 0.1) & (dist_yr >= 2017)
    award = (rng.random(city_idx.size) < 0.5) & (city_yr >= 2018)
    cradle = rng.random(cities.size) < 0.3
    mvp = city_yr > first
    prog_unit = np.concatenate(
        [city_idx[vp_city], dist_idx[vp_dist], cities[cradle], city_idx[award], city_idx[mvp]]
    )
    prog_year = np.concatenate(
        [
            city_yr[vp_city],
            dist_yr[vp_dist],
            np.full(cradle.sum(), first),
            city_yr[award],
            city_yr[mvp],
        ]
    )
    prog_type = np.concatenate(
        [
            np.full(vp_city.sum() + vp_dist.sum(), 0),
            np.full(cradle.sum(), 1),
            np.full(award.sum(), 2),
            np.full(mvp.sum(), 3),
        ]
    ).astype(np.int8)
    n_prog = prog_unit.size
    prog_pos = n_admin + n_org + np.arange(n_prog)
    gov_at = np.full(n_admin, -1, dtype=np.int64)
    gov_at[gov_loc] = offset["government"] + np.arange(gov_loc.size)
    prog_start = (
        (prog_year - 1970).astype("datetime64[Y]").astype("datetime64[D]") - EPOCH
    ).astype(np.int64)

    # grants program -> org: projects per program, recipients active in the funder's unit
    grantable = np.concatenate([hubs, agencies, members])
    n_proj = np.select(
        [prog_type == 0, prog_type == 1],
        [rng.integers(5, 21, n_prog), rng.integers(5, 16, n_prog)],
        0,
    )
    n_proj = np.where((prog_type == 0) & (level[prog_unit] == DISTRICT), n_proj // 2 + 1, n_proj)
    gp = np.repeat(np.arange(n_prog), n_proj)
    gday = prog_start[gp] + 150 + rng.integers(0, 120, gp.size)
    is_city = level[prog_unit[gp]] == CITY
    org_city = city_of[loc]
    org_dist = district_of[loc]
    org_start = np.where(start >= 0, start, 0)
    g_idx, h_idx = grantable - n_admin, hubs - n_admin
    by_city = _Picker(org_city[g_idx], org_start[g_idx], grantable)
    pick = np.full(gp.size, -1, dtype=np.int64)
    for m, picker in (
        (is_city & (prog_type[gp] == 0), by_city),
        (~is_city & (prog_type[gp] == 0), _Picker(org_dist[g_idx], org_start[g_idx], grantable)),
        (prog_type[gp] == 1, _Picker(org_city[h_idx], org_start[h_idx], hubs)),
    ):
        pick[m] = picker(prog_unit[gp[m]], gday[m], rng)
    ok = pick >= 0
    amount = np.where(
        prog_type[gp] == 1,
        rng.normal(50_000, 10_000, gp.size),
        rng.lognormal(np.log(40_000), 0.5, gp.size),
    )
    e.add(prog_pos[gp[ok]], pick[ok], "funds", gday[ok], _round(amount[ok], 1000), prog_pos[gp[ok]])

    # demonstration awards -> urban communities of the city, and their spending
    ap = np.flatnonzero(prog_type == 2)
    n_aw = rng.integers(5, 16, ap.size)
    ag = np.repeat(ap, n_aw)
    ucomm = comm[urban[comm]]
    ukey = tree.tin[city_of[ucomm]]
    ulo = np.searchsorted(ukey, tree.tin[prog_unit[ag]], "left")
    uhi = np.searchsorted(ukey, tree.tin[prog_unit[ag]], "right")
    has = uhi > ulo
    ag, ulo, uhi = ag[has], ulo[has], uhi[has]
    target = ucomm[ulo + np.floor(rng.random(ag.size) * (uhi - ulo)).astype(np.int64)]
    _, uniq = np.unique(ag * (n_admin + 1) + target, return_index=True)
    ag, target = ag[uniq], target[uniq]
    aamount = _round(rng.uniform(100_000, 300_000, ag.size), 10_000)
    aday = prog_start[ag] + 120 + rng.integers(0, 60, ag.size)
    e.add(prog_pos[ag], target, "awards", aday, aamount, prog_pos[ag])
    share = np.where(
        rng.random(ag.size) < 0.05, rng.uniform(0.30, 0.45, ag.size), rng.uniform(0.5, 0.8, ag.size)
    )
    pos_amt = np.ceil(share * aamount / 1000) * 1000
    pos_amt = np.where(share < 0.5, np.floor(share * aamount / 1000) * 1000, pos_amt)
    sday = aday + rng.integers(10, 90, ag.size)
    for part, purpose in ((pos_amt, 0), (aamount - pos_amt, 1)):
        rec = by_city(city_of[target], sday, rng)
        ok = rec >= 0
        e.add(
            target[ok],
            rec[ok],
            "funds",
            sday[ok],
            part[ok],
            prog_pos[ag[ok]],
            np.full(ok.sum(), purpose, np.int8),
        )

    # micro venture philanthropy: hub -> member re-grants under the city's program of the year
    mp = np.flatnonzero(prog_type == 3)
    mvp_at = np.full((n_admin, n_years), -1, dtype=np.int64)
    mvp_at[prog_unit[mp], prog_year[mp] - first] = prog_pos[mp]
    sel = rng.random(m_aff.size) < 0.3
    rm, rh = m_aff[sel], h_aff[sel]
    mday = start[rm - n_admin] + np.floor(
        rng.random(rm.size) * (days(span) - start[rm - n_admin])
    ).astype(np.int64)
    myear = np.clip((mday + EPOCH).astype("datetime64[Y]").astype(np.int64) + 1970, first + 1, last)
    mprog = mvp_at[city_of[loc[rh - n_admin]], myear - first]
    ok = mprog >= 0
    mday = np.maximum(
        mday,
        ((myear - 1970).astype("datetime64[Y]").astype("datetime64[D]") - EPOCH).astype(np.int64),
    )
    e.add(
        rh[ok],
        rm[ok],
        "funds",
        mday[ok],
        _round(rng.uniform(2000, 10_000, ok.sum()), 500),
        mprog[ok],
    )

    return (
        loc, role, start, blocks, offset, n_admin,
        prog_unit, prog_year, prog_type, prog_start, gov_at, e,
    )  # fmt: skip


def _ns(days: np.ndarray) -> np.ndarray:
    """Day counts from 2015-01-01 (``-1``: missing) as datetime64[ns], in one allocation."""
    out = days.astype(np.int64)
    missing = out < 0
    out += int(EPOCH.astype("datetime64[D]").astype(np.int64))
    out *= 86_400_000_000_000
    out[missing] = np.iinfo(np.int64).min  # NaT
    return out.view("datetime64[ns]")


def _day(when: str) -> int:
    """Days from 2015-01-01 (the day count every date is stored as here)."""
    return int((np.datetime64(when, "D") - EPOCH).astype(np.int64))


def _admin_graph(ids, level, parent, urban, skind, names) -> CivicGraph:
    """A bare admin graph from arrays (to cut whole cities from a generated tree)."""
    nodes = _admin_nodes(ids, level, urban, skind, names)
    child = np.flatnonzero(parent >= 0)
    kind = pd.Categorical.from_codes(np.zeros(child.size, np.int8), dtype=edge_kind_dtype)
    edges = pd.DataFrame({COL.KIND: kind})  # source, target: the positions
    return CivicGraph._with_positions(nodes, edges, (parent[child], child), validate=False)


def _admin_nodes(ids, level, urban, skind, names) -> pd.DataFrame:
    is_comm = level == COMMUNITY
    return pd.DataFrame(
        {
            COL.ID: ids,
            COL.KIND: pd.Categorical.from_codes(np.zeros(ids.size, np.int8), dtype=node_kind_dtype),
            COL.NAME: names,
            COL.LEVEL: pd.Categorical.from_codes(level, dtype=level_dtype),
            COL.URBAN: pd.arrays.BooleanArray(np.asarray(urban, bool), ~is_comm),
            COL.STREET_KIND: pd.Categorical.from_codes(skind, dtype=street_kind_dtype),
        }
    )


def _assemble(
    ids, level, parent, urban, skind, names, generated,
    loc, role, start, blocks, offset, n_admin,
    prog_unit, prog_year, prog_type, prog_start, gov_at, e, validate, rng,
) -> CivicGraph:  # fmt: skip
    n_org, n_prog = loc.size, prog_unit.size
    n = n_admin + n_org + n_prog
    # ids and names, built in pyarrow (no Python object per row)
    block = np.repeat(np.arange(len(blocks)), [b[1].size for b in blocks])
    first = np.array([offset[b[0]] - n_admin for b in blocks])
    org_ids = _join(
        _coded(block, [f"{b[0]}-" for b in blocks]), _text(np.arange(n_org) - first[block])
    )
    prog_ids = _join("program-", _text(np.arange(n_prog)))
    all_ids = pa.concat_arrays([pa.array(ids).cast(pa.large_string()), org_ids, prog_ids])
    unit_names = pa.array(names).cast(pa.large_string())
    short = pc.replace_substring_regex(
        unit_names, pattern="(居民委员会|村民委员会|居委会|村委会)$", replacement=""
    )
    suffixes = [
        "社区社会组织联合会",
        "社会组织培育中心",
        "社会组织服务中心",
        "民政局",
        "社会工作服务中心",
    ]
    suffix_code = np.full(n_org, -1, dtype=np.int64)
    for i, r in enumerate(("hub", "center", "operator", "government", "agency")):
        suffix_code[role == ROLE[r]] = i
    is_mem = role == ROLE["member"]
    suffix_code[is_mem] = len(suffixes) + rng.integers(0, MEMBER_THEMES.size, int(is_mem.sum()))
    org_names = _join(
        pc.fill_null(short.take(loc), ""), _coded(suffix_code, [*suffixes, *MEMBER_THEMES])
    )
    ptype_names = ("公益创投", "社区社会组织摇篮项目", "三社联动示范社区奖补", "微公益创投")
    prog_names = _join(
        pc.fill_null(unit_names.take(prog_unit), ""),
        _text(prog_year),
        "年",
        _coded(prog_type.astype(np.int64), ptype_names),
    )
    all_names = pa.concat_arrays([unit_names, org_names, prog_names])
    del short, org_names, prog_names, org_ids, prog_ids

    kind = np.concatenate(
        [np.zeros(n_admin, np.int8), np.ones(n_org, np.int8), np.full(n_prog, 2, np.int8)]
    )
    lv = np.concatenate([level, np.full(n_org + n_prog, -1, np.int8)]).astype(np.int8)
    # a center's level is the level of the unit it is located in
    is_center = role == ROLE["center"]
    lv[n_admin : n_admin + n_org][is_center] = level[loc[is_center]]
    rl = np.concatenate([np.full(n_admin, -1, np.int8), role, np.full(n_prog, -1, np.int8)])
    st = np.concatenate([np.full(n_admin, -1), start, prog_start])
    start_col = np.where(st >= 0, st + EPOCH, np.datetime64("NaT")).astype("datetime64[ns]")
    is_comm = lv == COMMUNITY
    is_comm[n_admin:] = False
    urb = pd.arrays.BooleanArray(np.concatenate([urban, np.zeros(n - n_admin, bool)]), ~is_comm)
    sk = np.concatenate([skind, np.full(n - n_admin, -1, np.int8)]).astype(np.int8)
    is_prog = kind == 2
    funder_pos = gov_at[prog_unit]
    nodes = pd.DataFrame(
        {
            COL.ID: pd.array(all_ids, dtype="str"),
            COL.KIND: pd.Categorical.from_codes(kind, dtype=node_kind_dtype),
            COL.NAME: pd.array(all_names, dtype="str"),
            COL.LEVEL: pd.Categorical.from_codes(lv, dtype=level_dtype),
            COL.URBAN: urb,
            COL.ROLE: pd.Categorical.from_codes(rl, dtype=role_dtype),
            COL.START: start_col,
            COL.END: np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"),
            COL.STREET_KIND: pd.Categorical.from_codes(sk, dtype=street_kind_dtype),
            COL.PROGRAM_TYPE: _sparse_str(_at(prog_type, is_prog), PROGRAMS),
            "funder_level": _sparse_str(
                _at((level[prog_unit] == DISTRICT).astype(np.int64), is_prog), ("city", "district")
            ),
            "funder": _sparse_str(
                _at(np.arange(n_prog), is_prog), all_ids.take(pa.array(funder_pos))
            ),
            "year": _sparse_int(prog_year, is_prog),
            COL.SYNTHETIC: np.concatenate(
                [np.full(n_admin, generated), np.ones(n - n_admin, bool)]
            ),
        }
    )
    n_contains = int((parent >= 0).sum())
    cols = e.arrays()
    es = cols.pop("start")
    start_ns = _ns(es)
    del es
    program = cols.pop("program")
    edges = pd.DataFrame(
        {
            COL.KIND: pd.Categorical.from_codes(cols.pop("kind"), dtype=edge_kind_dtype),
            COL.AMOUNT: cols.pop("amount"),
            COL.START: start_ns,
            COL.END: np.full(start_ns.size, np.datetime64("NaT"), dtype="datetime64[ns]"),
            COL.PROGRAM: pd.array(
                all_ids.take(pa.array(np.maximum(program, 0), mask=program < 0)), dtype="str"
            ),
            COL.PURPOSE: _sparse_str(cols.pop("purpose"), PURPOSES),
            COL.SYNTHETIC: np.arange(start_ns.size) >= (0 if generated else n_contains),
        }
    )
    del program, start_ns
    return CivicGraph._with_positions(  # source, target: the positions (int32)
        nodes, edges, (cols["u"], cols["v"]), validate=validate, what="the synthetic graph"
    )


def _coded(codes: np.ndarray, categories) -> pa.Array:
    """Strings from integer ``codes`` into ``categories`` (``-1``: missing), in pyarrow."""
    codes = np.asarray(codes, dtype=np.int64)
    indices = pa.array(np.maximum(codes, 0), mask=codes < 0)
    if not isinstance(categories, pa.Array):
        categories = pa.array(list(categories), type=pa.large_string())
    dictionary = categories.cast(pa.large_string())
    return pa.DictionaryArray.from_arrays(indices, dictionary).cast(pa.large_string())


def _text(values: np.ndarray) -> pa.Array:
    """Integers as decimal strings, in pyarrow."""
    return pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.large_string())


def _join(*parts) -> pa.Array:
    """Element-wise concatenation of string arrays and scalars, in pyarrow."""
    big = pa.large_string()
    parts = [pa.scalar(p, big) if isinstance(p, str) else p.cast(big) for p in parts]
    return pc.binary_join_element_wise(*parts, pa.scalar("", big))


def _sparse_str(codes: np.ndarray, categories) -> pd.api.extensions.ExtensionArray:
    """A pandas string column from integer ``codes`` into ``categories`` (``-1``: missing)."""
    return pd.array(_coded(codes, categories), dtype="str")


def _at(values: np.ndarray, where: np.ndarray) -> np.ndarray:
    """Codes ``values`` placed at the ``True`` entries of ``where``, ``-1`` elsewhere."""
    out = np.full(where.size, -1, dtype=np.int64)
    out[where] = values
    return out


def _sparse_int(values: np.ndarray, where: np.ndarray):
    data = np.zeros(where.size, dtype=np.int64)
    data[where] = values
    return pd.arrays.IntegerArray(data, ~where)
