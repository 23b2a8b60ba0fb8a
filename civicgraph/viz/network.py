"""Interactive network pictures of a :class:`~civicgraph.CivicGraph` (pyvis / vis-network).

Large registries are collapsed: every admin unit below a street (or district) and every
organization located there become one super-node, so a city of thousands of nodes draws as
a few hundred. Layouts of large pictures are computed once in Python and frozen
(vis-network's physics is unusable past ~1,500 nodes). Pages work offline: vis-network is
inlined, and every string from the data is escaped before it reaches a tooltip or label.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import SchemaError
from ..catalog import Translator, translator
from ..model import CivicGraph
from ..schema import ADMIN_LEVELS, COL, EDGE_KINDS, NODE_KINDS, ORG_ROLES

if TYPE_CHECKING:
    from ._pyvis import CivicNetwork

__all__ = ["CivicNetwork", "network"]


def __getattr__(name: str):
    """``CivicNetwork``, imported on first use (pyvis loads IPython, ~30 MiB); also the
    ``__getattr__`` of :mod:`civicgraph.viz`."""
    if name == "CivicNetwork":
        from ._pyvis import CivicNetwork

        return CivicNetwork
    raise AttributeError(f"civicgraph.viz has no attribute {name!r}")


#: Above this many nodes the picture is collapsed (``collapse="auto"``).
MAX_NODES = 1500
#: Above this many drawn nodes physics is off and the layout is computed in Python.
PHYSICS_MAX = 300

#: Node colours by category (admin level, org role, program).
NODE_COLORS = {
    "province": "#2f3e55",
    "city": "#3b5378",
    "district": "#4f76a8",
    "street": "#86acd6",
    "community": "#c9dcf0",
    "center": "#d62728",
    "hub": "#ff7f0e",
    "agency": "#9467bd",
    "member": "#2ca02c",
    "operator": "#8c564b",
    "government": "#7f7f7f",
    "unknown": "#c7c7c7",
    "org": "#17becf",
    "program": "#e6b800",
}
#: Edge styles by kind.
EDGE_STYLES = {
    "contains": {"color": "#b8c4d6", "dashes": False, "arrows": ""},
    "located_in": {"color": "#c7c7c7", "dashes": True, "arrows": ""},
    "serves": {"color": "#6baed6", "dashes": True, "arrows": "to"},
    "incubates": {"color": "#ff7f0e", "dashes": False, "arrows": "to"},
    "member_of": {"color": "#2ca02c", "dashes": False, "arrows": "to"},
    "operates": {"color": "#8c564b", "dashes": False, "arrows": "to"},
    "funds": {"color": "#d4a100", "dashes": False, "arrows": "to"},
    "awards": {"color": "#d62728", "dashes": False, "arrows": "to"},
}
_PALETTE = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
    "#3182bd",
    "#e6550d",
    "#31a354",
    "#756bb1",
    "#636363",
]
_ADMIN, _ORG, _PROGRAM = (NODE_KINDS.index(k) for k in ("admin", "org", "program"))
_KEEP_ROLES = tuple(ORG_ROLES.index(r) for r in ("center", "government"))
_DEFAULT_SIZE = {
    "province": 34,
    "city": 30,
    "district": 24,
    "street": 16,
    "community": 8,
    "center": 22,
    "hub": 14,
    "member": 7,
    "program": 14,
}


@dataclass
class _View:
    """Which drawn node each graph node belongs to."""

    inverse: np.ndarray  # position -> drawn node
    reps: np.ndarray  # drawn node -> representative position
    merged: np.ndarray  # drawn node -> bool (a super-node)
    loc: np.ndarray  # position -> admin position where it sits (-1 unknown)


def _locations(g: CivicGraph) -> np.ndarray:
    """Admin position where each node sits: itself for admin units; for orgs their
    ``located_in`` unit, else a ``serves`` unit, else their hub's unit (``member_of``)."""
    n = g.n_nodes
    u, v = g.edge_positions
    ok = (u >= 0) & (v >= 0)
    loc = np.where(g.tree.level >= 0, np.arange(n), -1)
    for kind in ("serves", "located_in"):  # later wins
        m = g.edge_mask(kind) & ok
        loc[u[m]] = v[m]
    m = g.edge_mask("member_of") & ok
    m &= loc[u] < 0
    loc[u[m]] = loc[v[m]]
    return loc


def _view(g: CivicGraph, collapse: str | None) -> _View:
    n = g.n_nodes
    loc = _locations(g)
    group = np.arange(n)
    if collapse is not None:
        li = ADMIN_LEVELS.index(collapse)
        anc = g.tree.ancestor_at(li)
        target = np.where(loc >= 0, anc[np.maximum(loc, 0)], -1)
        movable = g.kind_codes != _PROGRAM
        movable &= ~np.isin(g.role_codes, _KEEP_ROLES) | (g.kind_codes != _ORG)
        take = movable & (target >= 0)
        group = np.where(take, target, group)
        # organizations whose place is unknown: one node, not a cloud of dots
        nowhere = movable & (g.kind_codes == _ORG) & (loc < 0)
        if nowhere.sum() > 1:
            group[nowhere] = np.flatnonzero(nowhere)[0]
    reps, inverse = np.unique(group, return_inverse=True)
    size = np.bincount(inverse, minlength=reps.size)
    merged = np.zeros(reps.size, dtype=bool)
    if collapse is not None:
        merged = (size > 1) | (g.tree.level[reps] == ADMIN_LEVELS.index(collapse))
    return _View(inverse=inverse, reps=reps, merged=merged, loc=loc)


def _figures(g: CivicGraph, loc: np.ndarray) -> dict[str, np.ndarray]:
    """Key figures per node position (vectorized over the edge arrays)."""
    n = g.n_nodes
    u, v = g.edge_positions
    ok = (u >= 0) & (v >= 0)
    tree = g.tree

    def count_into(kind, ends, weights=None):
        m = g.edge_mask(kind) & ok
        w = None if weights is None else weights[m]
        return np.bincount(ends[m], weights=w, minlength=n)

    amount = np.nan_to_num(g._edges[COL.AMOUNT].to_numpy(dtype=float, na_value=np.nan))
    out = {
        "members": count_into("member_of", v).astype(np.int64),
        "incubated": count_into("incubates", u).astype(np.int64),
        "funding_received": count_into("funds", v, amount),
        "communities": (tree.comm_hi - tree.comm_lo).astype(np.int64),
    }
    from ..metrics._scope import hub_scope

    covered = np.zeros(n, dtype=bool)
    covered[tree.communities] = hub_scope(g).covered()
    out["covered"] = np.where(tree.level >= 0, tree.count_under(covered), 0)

    def under(mask):  # per admin unit: marked nodes located in its subtree
        tins = np.sort(tree.tin[loc[mask & (loc >= 0)]])
        res = np.searchsorted(tins, tree.tout) - np.searchsorted(tins, tree.tin)
        return np.where(tree.level >= 0, res, 0)

    out["hubs"] = under(g.mask(kind="org", role="hub"))
    out["organizations"] = under(g.mask(kind="org"))
    return out


def _category(g: CivicGraph) -> np.ndarray:
    """Colour category per position: admin level, org role, or ``program``."""
    levels = np.array(ADMIN_LEVELS + ("admin",), dtype=object)
    roles = np.array(ORG_ROLES + ("org",), dtype=object)
    cat = np.full(g.n_nodes, "program", dtype=object)
    admin = g.kind_codes == _ADMIN
    org = g.kind_codes == _ORG
    cat[admin] = levels[g.level_codes[admin]]  # -1 (missing) picks the last entry
    cat[org] = roles[g.role_codes[org]]
    return cat


def _values_of(g: CivicGraph, by, what: str) -> pd.Series:
    """A per-node Series (by position) from a column name or a Series indexed by id."""
    if isinstance(by, pd.Series):
        return by.reindex(g.index).reset_index(drop=True)
    if isinstance(by, str):
        if by == "degree":
            u, v = g.edge_positions
            ok = (u >= 0) & (v >= 0)
            deg = np.bincount(u[ok], minlength=g.n_nodes) + np.bincount(v[ok], minlength=g.n_nodes)
            return pd.Series(deg)
        if by in g._nodes.columns:
            return g._nodes[by].reset_index(drop=True)
    raise SchemaError(
        f"{what}={by!r}: give a node column name, 'degree', or a Series indexed by node id"
    )


def _colors(g, view, color_by, t: Translator, cat):
    """Colour of each drawn node and the legend items."""
    reps = view.reps
    named = color_by if isinstance(color_by, str) else None
    if named in ("role", "kind"):
        keys = (
            cat[reps]
            if color_by == "role"
            else np.array(NODE_KINDS, dtype=object)[g.kind_codes[reps]]
        )
        colors = {"admin": NODE_COLORS["district"], **NODE_COLORS}
        present = [k for k in colors if k in set(keys)]
        items = [(colors[k], t.value(k)) for k in present]
        return [colors[k] for k in keys], items
    if named == "district":
        anc = g.tree.ancestor_at(ADMIN_LEVELS.index("district"))
        d = np.where(view.loc >= 0, anc[np.maximum(view.loc, 0)], -1)[reps]
        names = np.where(d >= 0, g._nodes[COL.NAME].to_numpy(dtype=object)[np.maximum(d, 0)], None)
        keys = pd.Series(names).fillna(t("other")).astype(str)
    else:
        values = _values_of(g, color_by, "color_by")
        keys = values.iloc[reps].reset_index(drop=True)
        if pd.api.types.is_numeric_dtype(keys) and not pd.api.types.is_bool_dtype(keys):
            from plotly.colors import sample_colorscale

            x = keys.to_numpy(dtype=float, na_value=np.nan)
            lo, hi = np.nanmin(x, initial=np.inf), np.nanmax(x, initial=-np.inf)
            span = hi - lo if np.isfinite(hi - lo) and hi > lo else 1.0
            pos = np.nan_to_num((x - lo) / span, nan=0.0)
            colors = sample_colorscale("Viridis", list(pos))
            items = (
                []
                if not np.isfinite(lo)
                else [
                    (sample_colorscale("Viridis", [0.0])[0], f"{lo:g}"),
                    (sample_colorscale("Viridis", [1.0])[0], f"{hi:g}"),
                ]
            )
            return colors, items
        keys = keys.astype(object).where(keys.notna(), t("unknown")).astype(str)
    uniq = list(dict.fromkeys(keys))
    palette = {k: _PALETTE[i % len(_PALETTE)] for i, k in enumerate(uniq)}
    return [palette[k] for k in keys], [(palette[k], k) for k in uniq]


def _sizes(g, view, size_by, cat) -> np.ndarray:
    reps = view.reps
    count = np.bincount(view.inverse, minlength=reps.size)
    if size_by is None:
        base = np.array([_DEFAULT_SIZE.get(c, 10) for c in cat[reps]], dtype=float)
        return np.where(view.merged, np.minimum(10 + 3 * np.sqrt(count), 40), base)
    values = _values_of(g, size_by, "size_by")
    x = np.nan_to_num(pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=0.0))
    x = np.bincount(view.inverse, weights=np.maximum(x, 0), minlength=reps.size)
    top = x.max(initial=0.0)
    return 6 + 34 * np.sqrt(x / top) if top > 0 else np.full(reps.size, 10.0)


def _tooltip(rows: list[tuple[str, str]], head: str, sub: str) -> str:
    parts = [f"<b>{html.escape(head)}</b>", html.escape(sub)]
    parts += [f"{html.escape(k)}: {html.escape(v)}" for k, v in rows]
    return "<br>".join(parts)


def _fmt(x: float) -> str:
    return f"{x:,.0f}"


def _edge_table(g: CivicGraph, view: _View, edge_kinds) -> pd.DataFrame:
    u, v = g.edge_positions
    keep = (u >= 0) & (v >= 0)
    if edge_kinds is not None:
        keep &= g.edge_mask(edge_kinds)
    gu, gv = view.inverse[u[keep]], view.inverse[v[keep]]
    amount = g._edges[COL.AMOUNT].to_numpy(dtype=float, na_value=np.nan)[keep]
    df = pd.DataFrame(
        {"u": gu, "v": gv, "kind": g.edge_kind_codes[keep], "amount": np.nan_to_num(amount)}
    )
    df = df[df["u"] != df["v"]]
    return (
        df.groupby(["u", "v", "kind"], sort=True)
        .agg(count=("amount", "size"), amount=("amount", "sum"))
        .reset_index()
    )


def _sunflower(group: np.ndarray, step: float) -> np.ndarray:
    """Offsets that spread the members of each group around its centre (phyllotaxis)."""
    order = np.argsort(group, kind="stable")
    first = np.searchsorted(group[order], group[order])
    rank = np.empty(group.size, dtype=np.int64)
    rank[order] = np.arange(group.size) - first
    r = step * np.sqrt(rank + 1.0)
    a = rank * 2.399963
    return np.column_stack([r * np.cos(a), r * np.sin(a)])


def _tree_layout(view: _View, edges: pd.DataFrame, a, x, depth) -> np.ndarray:
    """Top-down positions: admin units ``a`` at ``x`` (pixels) in one row per depth;
    organizations in columns of four under their unit; the rest in a row on top."""
    m = view.reps.size
    xy = np.full((m, 2), np.nan)
    row = 160.0
    xy[a, 0] = x
    xy[a, 1] = (depth - depth.min()) * row
    loc = view.loc[view.reps]
    placed = np.flatnonzero(np.isnan(xy[:, 0]) & (loc >= 0))
    if placed.size:
        home = view.inverse[loc[placed]]
        order = np.argsort(home, kind="stable")
        rank = np.empty(home.size, dtype=np.int64)
        rank[order] = np.arange(home.size) - np.searchsorted(home[order], home[order])
        xy[placed, 0] = xy[home, 0] + (rank % 4 - 1.5) * 14
        xy[placed, 1] = xy[home, 1] + 60 + (rank // 4) * 22
    rest = np.flatnonzero(np.isnan(xy[:, 0]))
    if rest.size:
        u, v = edges["u"].to_numpy(), edges["v"].to_numpy()
        src, dst = np.concatenate([u, v]), np.concatenate([v, u])
        ok = np.isin(src, rest) & ~np.isnan(xy[dst, 0])
        cnt = np.bincount(src[ok], minlength=m)
        sx = np.bincount(src[ok], weights=xy[dst[ok], 0], minlength=m)
        left = np.nanmin(xy[:, 0], initial=0.0) if np.isfinite(xy[:, 0]).any() else 0.0
        xy[rest, 0] = np.where(cnt[rest] > 0, sx[rest] / np.maximum(cnt[rest], 1), left)
        xy[rest, 0] += np.arange(rest.size) % 3 * 12  # programs at one place stay apart
        xy[rest, 1] = -row - np.arange(rest.size) % 3 * 30
    return xy


def _layout(
    g: CivicGraph, view: _View, edges: pd.DataFrame, sizes: np.ndarray, *, radial: bool = True
) -> np.ndarray:
    """Positions (n × 2, pixels) computed once, in O(n), so physics can stay off.

    Admin units form a radial tree (one ring per level, leaves evenly around the outer
    ring, each unit at the mean angle of its leaves); organizations sit in a small
    sunflower around the unit they are located in; programs and anything else without a
    place go to the mean of their neighbours, pushed outwards.

    With ``radial=False`` the same tree is drawn top-down (one row per level, leaves side by
    side), organizations in small columns under their unit, programs in a row above.
    """
    tree = g.tree
    reps = view.reps
    m = reps.size
    xy = np.full((m, 2), np.nan)
    a = np.flatnonzero(tree.level[reps] >= 0)
    ring = 150.0
    if a.size:
        tin, tout = tree.tin[reps[a]], tree.tout[reps[a]]
        order = np.argsort(tin)
        a, tin, tout = a[order], tin[order], tout[order]
        nxt = np.minimum(np.arange(a.size) + 1, a.size - 1)
        leaf = ~((np.arange(a.size) + 1 < a.size) & (tin[nxt] < tout))
        leaf_tin = tin[leaf]
        k = leaf_tin.size
        cum = np.concatenate(([0.0], np.cumsum(2 * np.pi * (np.arange(k) + 0.5) / k)))
        lo, hi = np.searchsorted(leaf_tin, tin), np.searchsorted(leaf_tin, tout)
        angle = (cum[hi] - cum[lo]) / np.maximum(hi - lo, 1)
        depth = tree.depth[reps[a]]
        levels, per_level = np.unique(depth, return_counts=True)
        single = levels[: np.argmax(per_level > 1)] if (per_level > 1).any() else levels
        d0 = single.max(initial=depth.min() - 1)
        radius = np.maximum(depth - d0, 0).astype(float)
        outer = max(radius.max(initial=1.0), 1.0)
        gap = 2.2 * float(sizes[a[leaf]].mean()) + 6.0  # leaves side by side, not overlapping
        if not radial:
            return _tree_layout(view, edges, a, angle * k / (2 * np.pi) * gap, depth)
        ring = max(150.0, gap * k / (2 * np.pi * outer))
        xy[a, 0] = radius * ring * np.cos(angle)
        xy[a, 1] = radius * ring * np.sin(angle)
        top = radius == 0  # the chain of single units at the centre, stacked upwards
        xy[a[top], 1] = (depth[top] - d0) * 0.6 * ring
    # organizations around the unit they sit in
    loc = view.loc[reps]
    placed = np.flatnonzero(np.isnan(xy[:, 0]) & (loc >= 0))
    if placed.size:
        home = view.inverse[loc[placed]]
        xy[placed] = xy[home] + _sunflower(home, 14.0)
    # the rest: mean of placed neighbours, pushed out; else on a ring outside
    rest = np.flatnonzero(np.isnan(xy[:, 0]))
    if rest.size:
        u, v = edges["u"].to_numpy(), edges["v"].to_numpy()
        src = np.concatenate([u, v])
        dst = np.concatenate([v, u])
        ok = np.isin(src, rest) & ~np.isnan(xy[dst, 0])
        cnt = np.bincount(src[ok], minlength=m)
        sx = np.bincount(src[ok], weights=xy[dst[ok], 0], minlength=m)
        sy = np.bincount(src[ok], weights=xy[dst[ok], 1], minlength=m)
        far = 1.15 * np.sqrt(np.nanmax((xy**2).sum(axis=1), initial=0.0)) + ring
        has = rest[cnt[rest] > 0]
        xy[has, 0] = sx[has] / cnt[has] * 1.1
        xy[has, 1] = sy[has] / cnt[has] * 1.1
        xy[has] += _sunflower(np.zeros(has.size, dtype=np.int64), 20.0)
        none = rest[cnt[rest] == 0]
        t = 2 * np.pi * np.arange(none.size) / max(none.size, 1)
        xy[none, 0] = far * np.cos(t)
        xy[none, 1] = far * np.sin(t)
    return xy


def network(
    g: CivicGraph,
    *,
    path: str | Path | None = None,
    color_by: str | pd.Series = "role",
    size_by: str | pd.Series | None = None,
    collapse: str | None = "auto",
    layout: str = "auto",
    edge_kinds: Iterable[str] | None = None,
    lang: str = "zh",
    max_nodes: int = MAX_NODES,
    height: str = "750px",
    title: str | None = None,
) -> CivicNetwork:
    """Draw the graph as an interactive network (pyvis / vis-network).

    Parameters
    ----------
    g : CivicGraph
    path : str or Path, optional
        Write a self-contained HTML page there (works offline). Nothing is written without.
    color_by : str or Series
        ``"role"`` (admin level, org role or program, the default), ``"kind"``,
        ``"district"``, a node column name, or a Series indexed by node id (numbers get a
        colour scale, other values a palette).
    size_by : str or Series, optional
        Node size: ``"degree"``, a node column, or a Series indexed by node id such as
        ``cg.hub_centrality(g)["pagerank"]`` (square-root scaled; a super-node gets the sum
        of its members). Default: by level and role, super-nodes by how many they hold.
    collapse : {"auto", "street", "district", None}
        Merge every admin unit below this level, and every organization located there,
        into one node per unit of the level. ``"auto"`` collapses to streets when the
        graph has more than ``max_nodes`` nodes, and to districts if that is still too
        many. Centers, government bodies and programs always stay themselves.
    layout : {"auto", "physics", "fixed", "hierarchical"}
        ``"physics"``: vis-network's force layout, frozen once stable; ``"fixed"``: a
        layout computed once in Python, physics off (admin units as a radial tree, one
        ring per level; organizations around the unit they sit in; programs among the
        nodes they fund); ``"hierarchical"``: the admin tree top-down, one row per level,
        organizations under their unit, programs in a row on top (physics off).
        ``"auto"``: physics up to 300 drawn nodes and not collapsed, fixed otherwise.
    edge_kinds : iterable of str, optional
        Edge kinds to draw (default all).
    lang : {"zh", "en"}
        Language of the legend, tooltips and code values.
    max_nodes : int
        Threshold of ``collapse="auto"``.
    height : str
        CSS height of the canvas.
    title : str, optional
        Page heading (default: the word for "network" in ``lang``).

    Returns
    -------
    CivicNetwork
        A pyvis ``Network`` whose ``generate_html()`` gives the offline page; it shows
        inline in Jupyter.

    Notes
    -----
    Tooltips give name, role or level, the district and street the node sits in, and key
    figures: members (``member_of`` ties in), incubated (``incubates`` ties out), funding
    received (sum of ``funds`` amounts in), and for admin units communities, communities
    covered by a hub (hub scope as in :func:`civicgraph.coverage`), hubs and organizations
    located in the unit or under it. A super-node adds up its members' figures and takes
    the communities and coverage of its unit. Every string is HTML-escaped.

    Examples
    --------
    >>> import pandas as pd
    >>> import civicgraph as cg
    >>> nodes = pd.DataFrame({
    ...     "id": ["3402", "340202", "h1"], "kind": ["admin", "admin", "org"],
    ...     "level": ["city", "district", None], "role": [None, None, "hub"],
    ...     "name": ["芜湖市", "镜湖区", "<b>hub</b>"]})
    >>> edges = pd.DataFrame({"source": ["3402", "h1"], "target": ["340202", "340202"],
    ...                       "kind": ["contains", "located_in"]})
    >>> net = cg.viz.network(cg.CivicGraph.from_frames(nodes, edges), lang="en")
    >>> len(net.nodes), len(net.edges)
    (3, 2)
    >>> net.node_map["h1"]["title"].split("<br>")[0]
    '<b>&lt;b&gt;hub&lt;/b&gt;</b>'
    >>> "<b>hub</b>" in net.generate_html()
    False
    """
    t = translator(lang)
    if collapse not in ("auto", "street", "district", None):
        raise SchemaError(f"collapse={collapse!r}: use 'auto', 'street', 'district' or None")
    if layout not in ("auto", "physics", "fixed", "hierarchical"):
        raise SchemaError(f"layout={layout!r}: use 'auto', 'physics', 'fixed' or 'hierarchical'")
    if edge_kinds is not None:
        edge_kinds = [edge_kinds] if isinstance(edge_kinds, str) else list(edge_kinds)
        unknown = sorted(set(edge_kinds) - set(EDGE_KINDS))
        if unknown:
            raise SchemaError(f"unknown edge kind(s) {unknown}; known: {', '.join(EDGE_KINDS)}")

    if collapse == "auto":
        view = _view(g, None)
        for level in ("street", "district"):
            if view.reps.size <= max_nodes:
                break
            view = _view(g, level)
            collapse = level
        if collapse == "auto":
            collapse = None
    else:
        view = _view(g, collapse)

    reps, merged = view.reps, view.merged
    m = reps.size
    cat = _category(g)
    figures = _figures(g, view.loc)
    colors, color_items = _colors(g, view, color_by, t, cat)
    sizes = _sizes(g, view, size_by, cat)
    edges = _edge_table(g, view, edge_kinds)

    # sums over each drawn node's members, and names of where each node sits
    inv = view.inverse
    sums = {
        k: np.bincount(inv, weights=figures[k].astype(float), minlength=m)
        for k in ("members", "incubated", "funding_received")
    }
    is_org = (g.kind_codes == _ORG).astype(float)
    orgs_in = np.bincount(inv, weights=is_org, minlength=m)
    admins_in = np.bincount(inv, weights=(g.kind_codes == _ADMIN).astype(float), minlength=m)
    names = g._nodes[COL.NAME].to_numpy(dtype=object)
    ids = g.ids
    tree = g.tree
    chains = []
    for lvl in ("district", "street", "community"):
        anc = tree.ancestor_at(ADMIN_LEVELS.index(lvl))
        chains.append(np.where(view.loc >= 0, anc[np.maximum(view.loc, 0)], -1))

    if layout == "auto":
        layout = "physics" if m <= PHYSICS_MAX and collapse is None else "fixed"
    xy = None
    if layout in ("fixed", "hierarchical"):
        xy = _layout(g, view, edges, sizes, radial=layout == "fixed")

    nodes = []
    for i in range(m):
        p = int(reps[i])
        name = names[p] if isinstance(names[p], str) and names[p] else str(ids[p])
        division = " / ".join(
            str(names[c[p]]) for c in chains if c[p] >= 0 and c[p] != p and names[c[p]]
        )
        kind_label = t.value(cat[p])
        rows = []
        if division:
            rows.append((t("division"), division))
        if g.kind_codes[p] == _ADMIN:
            rows.append((t("communities"), _fmt(figures["communities"][p])))
            rows.append((t("covered"), _fmt(figures["covered"][p])))
            rows.append((t("hubs"), _fmt(figures["hubs"][p])))
            rows.append((t("organizations"), _fmt(figures["organizations"][p])))
        if merged[i] and g.kind_codes[p] != _ADMIN:
            name, kind_label = t("unlocated"), t("unlocated_note")
        elif merged[i]:
            kind_label = t("collapsed_node", level=t.value(cat[p]))
            rows.append((t("units_merged"), _fmt(admins_in[i])))
        if g.kind_codes[p] == _ORG or merged[i]:
            rows.append((t("members"), _fmt(sums["members"][i])))
            rows.append((t("incubated"), _fmt(sums["incubated"][i])))
        if sums["funding_received"][i] > 0:
            rows.append((t("funding_received"), _fmt(sums["funding_received"][i])))
        label = name if len(name) <= 20 else name[:19] + "…"
        node = {
            "id": str(ids[p]),
            "label": f"{label} ({int(orgs_in[i])})" if merged[i] else label,
            "title": _tooltip(rows, name, kind_label),
            "color": colors[i],
            "size": float(sizes[i]),
            "shape": "diamond" if merged[i] else ("square" if cat[p] == "program" else "dot"),
            "font": {"size": 12 if sizes[i] >= 12 else 9},
        }
        if xy is not None:
            node["x"], node["y"] = float(xy[i, 0]), float(xy[i, 1])
        nodes.append(node)

    edge_list = []
    top = float(edges["amount"].max()) if len(edges) else 0.0
    for u, v, k, count, amount in edges.itertuples(index=False):
        kind = EDGE_KINDS[k]
        style = EDGE_STYLES[kind]
        rows = [(t("edge_count"), _fmt(count))]
        if amount > 0:
            rows.append((t("amount"), _fmt(amount)))
        width = 1 + 2 * np.log10(count) if count > 1 else 1
        if kind == "funds" and top > 0:
            width = max(width, 1 + 3 * np.sqrt(amount / top))
        edge = {
            "from": str(ids[reps[u]]),
            "to": str(ids[reps[v]]),
            "color": {"color": style["color"], "opacity": 0.7},
            "dashes": style["dashes"],
            "width": float(width),
            "title": _tooltip(rows, t.value(kind), ""),
        }
        if style["arrows"]:
            edge["arrows"] = style["arrows"]
        edge_list.append(edge)

    options: dict = {
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": m > 500},
        "edges": {"smooth": False},
        "nodes": {"borderWidth": 1},
    }
    if layout == "physics":
        options["physics"] = {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -4000, "springLength": 120},
            "stabilization": {"enabled": True, "iterations": 300},
        }
    else:
        options["physics"] = {"enabled": False}
    kinds_drawn = sorted(set(edges["kind"].tolist()))
    legend = [
        {
            "title": t("nodes"),
            "items": [
                {"shape": "dot", "style": f"background:{c}", "label": lab} for c, lab in color_items
            ],
        },
        {
            "title": t("edges"),
            "items": [
                {
                    "shape": "line",
                    "style": f"border-top:3px {'dashed' if EDGE_STYLES[EDGE_KINDS[k]]['dashes'] else 'solid'} {EDGE_STYLES[EDGE_KINDS[k]]['color']}",
                    "label": t.value(EDGE_KINDS[k]),
                }
                for k in kinds_drawn
            ],
        },
    ]
    if merged.any():
        legend[0]["items"].append(
            {
                "shape": "diamond",
                "style": "background:#fff",
                "label": t("collapsed_node", level=t.value(collapse)),
            }
        )
    note = t("network_note", shown=f"{m:,}", total=f"{g.n_nodes:,}")
    if merged.any():
        note += " " + t("network_collapsed", level=t.value(collapse))

    from ._pyvis import CivicNetwork  # pyvis (and IPython) load on the first picture

    net = CivicNetwork(
        lang=lang,
        title=title if title is not None else t("network"),
        legend=legend,
        note=note,
        height=height,
        width="100%",
        directed=True,
    )
    net.nodes = nodes
    net.edges = edge_list
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    net.options = options
    if path is not None:
        net.write_html(str(path))
    return net
