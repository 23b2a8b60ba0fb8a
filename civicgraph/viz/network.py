"""Interactive network pictures of a :class:`~civicgraph.CivicGraph` (pyvis / vis-network).

Readable at first sight at any size (docs/network.md): the page's data is collapsed when
large (every admin unit below a street, or district, and every organization located
there become one super-node), and the page itself shows at most :data:`VISIBLE_MAX`
nodes at first, with the admin hierarchy closed into groups that a double-click opens.
The layout is computed once in Python (:mod:`civicgraph.viz._layout`), physics off.
Pages work offline: vis-network is inlined, and every string from the data is escaped
before it reaches a tooltip, label or list.
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


#: Above this many nodes the page's data is collapsed (``collapse="auto"``); the page
#: itself shows at most :data:`VISIBLE_MAX` nodes at first and opens the rest on demand.
MAX_NODES = 3000
#: Most nodes visible on first view: groups are closed down to the level that fits.
VISIBLE_MAX = 150
#: Width / height of the first view's layout (a laptop screen's canvas).
ASPECT = 1.7
#: Money ties drawn by default: the largest this many (a switch in the page shows all).
MONEY_TOP = 20

#: One style per node category (admin level, org role, program): colour, vis-network
#: shape, size and label font (canvas pixels), and the rank that decides whose label is
#: drawn first when two would overlap (lower first). The nodes and the legend both read it.
NODE_STYLES = {
    "province": {"color": "#2f3e55", "shape": "dot", "size": 34, "font": 16, "rank": 0},
    "city": {"color": "#3b5378", "shape": "dot", "size": 30, "font": 16, "rank": 1},
    "district": {"color": "#4f76a8", "shape": "dot", "size": 24, "font": 14, "rank": 2},
    "street": {"color": "#86acd6", "shape": "dot", "size": 16, "font": 12, "rank": 7},
    "community": {"color": "#c9dcf0", "shape": "dot", "size": 8, "font": 11, "rank": 11},
    "center": {"color": "#d62728", "shape": "star", "size": 22, "font": 15, "rank": 3},
    "hub": {"color": "#ff7f0e", "shape": "triangle", "size": 14, "font": 14, "rank": 5},
    "agency": {"color": "#9467bd", "shape": "dot", "size": 10, "font": 12, "rank": 8},
    "member": {"color": "#2ca02c", "shape": "dot", "size": 7, "font": 11, "rank": 10},
    "operator": {"color": "#8c564b", "shape": "dot", "size": 10, "font": 12, "rank": 9},
    "government": {"color": "#7f7f7f", "shape": "dot", "size": 12, "font": 13, "rank": 6},
    "org": {"color": "#17becf", "shape": "dot", "size": 8, "font": 11, "rank": 10},
    "admin": {"color": "#4f76a8", "shape": "dot", "size": 10, "font": 11, "rank": 11},
    "program": {"color": "#e6b800", "shape": "square", "size": 14, "font": 13, "rank": 4},
    "unknown": {"color": "#c7c7c7", "shape": "dot", "size": 7, "font": 11, "rank": 10},
}
#: A node standing for a unit with everything under it (merged in the data, or a group
#: closed in the page) is a diamond in its level's colour.
MERGED_SHAPE = "diamond"
#: Node colours by category (the colours of :data:`NODE_STYLES`).
NODE_COLORS = {k: s["color"] for k, s in NODE_STYLES.items() if k != "admin"}
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
#: The tie layers a reader switches on and off in the page.
LAYERS = {
    "hierarchy": ("contains", "located_in", "serves"),
    "incubation": ("incubates", "operates"),
    "membership": ("member_of",),
    "money": ("funds", "awards"),
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
    out["member_orgs"] = under(g.mask(kind="org", role="member"))
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
        base = np.array(
            [NODE_STYLES.get(c, NODE_STYLES["org"])["size"] for c in cat[reps]], dtype=float
        )
        return np.where(view.merged, np.minimum(10 + 3 * np.sqrt(count), 40), base)
    values = _values_of(g, size_by, "size_by")
    x = np.nan_to_num(pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=0.0))
    x = np.bincount(view.inverse, weights=np.maximum(x, 0), minlength=reps.size)
    top = x.max(initial=0.0)
    return 6 + 34 * np.sqrt(x / top) if top > 0 else np.full(reps.size, 10.0)


def _tooltip(rows: list[tuple[str, str]], head: str, sub: str) -> str:
    parts = [f"<b>{html.escape(head)}</b>", html.escape(sub)]
    parts += [f"{html.escape(k)}: {html.escape(v)}" if k else html.escape(v) for k, v in rows]
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


def _hierarchical(g: CivicGraph, view: _View, edges: pd.DataFrame, sizes: np.ndarray) -> np.ndarray:
    """The admin tree top-down (``layout="hierarchical"``): leaves side by side in one
    row per level, each unit above the middle of its leaves (:func:`_tree_layout`)."""
    tree = g.tree
    reps = view.reps
    a = np.flatnonzero(tree.level[reps] >= 0)
    if not a.size:
        return _tree_layout(view, edges, a, np.zeros(0), np.zeros(0, dtype=np.int64))
    tin, tout = tree.tin[reps[a]], tree.tout[reps[a]]
    order = np.argsort(tin)
    a, tin, tout = a[order], tin[order], tout[order]
    nxt = np.minimum(np.arange(a.size) + 1, a.size - 1)
    leaf = ~((np.arange(a.size) + 1 < a.size) & (tin[nxt] < tout))
    leaf_tin = tin[leaf]
    k = leaf_tin.size
    cum = np.concatenate(([0.0], np.cumsum(np.arange(k) + 0.5)))
    lo, hi = np.searchsorted(leaf_tin, tin), np.searchsorted(leaf_tin, tout)
    rank = (cum[hi] - cum[lo]) / np.maximum(hi - lo, 1)
    gap = 2.2 * float(sizes[a[leaf]].mean()) + 6.0  # leaves side by side, not overlapping
    return _tree_layout(view, edges, a, rank * gap, tree.depth[reps[a]])


def _homes(g: CivicGraph, view: _View) -> np.ndarray:
    """Admin position each drawn node belongs to (-1: nowhere): a unit itself, an
    organization's location, and for a program the deepest unit holding every recipient
    (the lowest common ancestor of the places it funds or awards)."""
    reps = view.reps
    loc = view.loc.copy()
    tree = g.tree
    prog = g.kind_codes == _PROGRAM
    if prog.any():
        u, v = g.edge_positions
        m = g.edge_mask(["funds", "awards"]) & (u >= 0) & (v >= 0)
        m &= prog[np.maximum(u, 0)]
        src, at = u[m], loc[v[m]]
        src, at = src[at >= 0], at[at >= 0]
        if src.size:
            tin = tree.tin[at].astype(np.int64)
            order = np.lexsort((tin, src))
            src, at = src[order], at[order]
            first = np.flatnonzero(np.r_[True, src[1:] != src[:-1]])
            last = np.r_[first[1:] - 1, src.size - 1]
            a, b, who = at[first], at[last], src[first]
            lca = np.full(who.size, -1)
            for li in range(len(ADMIN_LEVELS) - 1, -1, -1):
                anc = tree.ancestor_at(li)
                same = (lca < 0) & (anc[a] >= 0) & (anc[a] == anc[b])
                lca[same] = anc[a][same]
            loc[who] = lca
    home = loc[reps]
    home[view.merged & (g.kind_codes[reps] != _ADMIN)] = -1
    home[g.kind_codes[reps] == _ADMIN] = reps[g.kind_codes[reps] == _ADMIN]
    return home


@dataclass
class _Groups:
    """Units that the page can close into one node, and which of them hold each node."""

    unit: np.ndarray  # group -> drawn node of its unit
    level: np.ndarray  # group -> index into ADMIN_LEVELS
    chain: np.ndarray  # drawn node × group level -> group (-1 none), top level first
    levels: list[int]  # the group levels (columns of chain)


def _groups(g: CivicGraph, view: _View, home: np.ndarray, drawn: np.ndarray) -> _Groups:
    """Every unit above the data's collapse level that holds another drawn node."""
    m = view.reps.size
    base = len(ADMIN_LEVELS) - 1
    lv = g.tree.level[view.reps]
    if view.merged.any():
        base = int(lv[view.merged & (lv >= 0)].min(initial=base))
    levels = list(range(base))
    anc = np.full((m, len(levels)), -1, dtype=np.int64)
    safe = np.maximum(home, 0)
    for k, li in enumerate(levels):
        a = g.tree.ancestor_at(li)[safe]
        anc[:, k] = np.where((home >= 0) & (a >= 0), view.inverse[np.maximum(a, 0)], -1)
    anc[~drawn] = -1
    own = anc == np.arange(m)[:, None]
    held = np.zeros(m, dtype=np.int64)
    for k in range(len(levels)):
        col = anc[:, k][(anc[:, k] >= 0) & ~own[:, k]]
        held += np.bincount(col, minlength=m)
    is_group = (held > 0) & (lv >= 0) & ~view.merged & drawn
    units = np.flatnonzero(is_group)
    index = np.full(m, -1, dtype=np.int64)
    index[units] = np.arange(units.size)
    chain = np.where(anc >= 0, index[np.maximum(anc, 0)], -1)
    keep = [k for k in range(len(levels)) if (chain[:, k] >= 0).any()]
    return _Groups(
        unit=units, level=lv[units].astype(np.int64), chain=chain[:, keep],
        levels=[levels[k] for k in keep],
    )  # fmt: skip


def _first_view(groups: _Groups, cat: np.ndarray, drawn: np.ndarray, limit: int):
    """Which groups are open on first view, and which nodes are pinned outside closed
    groups.

    Groups are closed from the finest level at which at most ``limit`` nodes are visible
    with every center, program and hub pinned (kept visible beside its closed group);
    if no level allows that, from the finest level at which at most ``limit`` nodes are
    visible, pinning centers, then programs, then hubs, a whole category at a time while
    the count stays within ``limit``. Government bodies are pinned last the same way.

    Returns ``(opened, pinned, rep)``: open flag per group, pinned flag per drawn node,
    and the drawn node (``>= 0``) or group (``-1 - group``) each node is seen as."""
    m, n_levels = groups.chain.shape
    own = np.arange(m)
    key = np.isin(cat, ["center", "program", "hub"]) & drawn

    def seen_as(k):
        if n_levels <= k:
            return own.copy()
        sub = groups.chain[:, k:]
        has = sub >= 0
        first = np.argmax(has, axis=1)
        return np.where(has.any(axis=1), -1 - sub[own, first], own)

    def count(rep):
        return np.unique(rep[drawn]).size

    views = {k: seen_as(k) for k in range(n_levels, -1, -1)}
    fits = [k for k in views if count(views[k]) + int((key & (views[k] < 0)).sum()) <= limit]
    k = fits[0] if fits else next((k for k in views if count(views[k]) <= limit), 0)
    rep = views[k]
    n = count(rep)
    pinned = np.zeros(m, dtype=bool)
    for c in ("center", "program", "hub", "government"):
        hidden = drawn & (rep < 0) & (cat == c)
        if hidden.sum() > 0 and n + hidden.sum() <= limit:
            pinned |= hidden
            rep[hidden] = own[hidden]
            n += int(hidden.sum())
    opened = np.array([groups.levels.index(lv) < k for lv in groups.level], dtype=bool)
    return opened, pinned, rep


def _positions(view, groups, home, rep, parent_unit, labels, fonts, sizes, cat, key, drawn):
    """Balloon layout (:mod:`civicgraph.viz._layout`) of the drawn nodes; nodes not drawn
    (isolated ones, listed beside the picture) get no place."""
    from ._layout import balloon, compact, footprint, label_box

    m = view.reps.size
    shown = drawn & (rep >= 0)
    shown[groups.unit[np.unique(-1 - rep[drawn & (rep < 0)])]] = True
    # parent in the layout: the drawn node of the unit above (units) or of the home
    is_unit = home == view.reps
    lpar = np.where(is_unit, parent_unit, -1)
    org = ~is_unit
    lpar[org] = np.where(home[org] >= 0, view.inverse[np.maximum(home[org], 0)], -1)
    lpar[~drawn] = -1
    vpar = lpar.copy()
    for _ in range(m):  # a shown node hangs from its nearest shown ancestor
        bad = shown & (vpar >= 0) & ~shown[np.maximum(vpar, 0)]
        if not bad.any():
            break
        vpar[bad] = lpar[vpar[bad]]
    par = np.where(shown, vpar, lpar)
    foot = np.empty(m)
    for i in range(m):
        text = labels[i] if (key[i] or not shown[i]) else ""
        if not key[i] and not shown[i]:
            text = labels[i][:4]
        foot[i] = footprint(text, fonts[i], sizes[i], ASPECT)
    xy = balloon(par, foot, is_unit, shown, ASPECT)
    # first view: pull the shown nodes together, labels apart; the rest moves along
    on = np.flatnonzero(shown)
    boxes = np.array([
        label_box(labels[i] if key[i] else labels[i][:4], fonts[i], sizes[i]) for i in on
    ]).reshape(-1, 4)  # fmt: skip
    carrier = np.full(m, -1, dtype=np.int64)
    carrier[on] = np.arange(on.size)
    up = np.where(vpar[on] >= 0, carrier[np.maximum(vpar[on], 0)], -1)
    moved = compact(xy[on], boxes, up, ASPECT) - xy[on]
    cur = np.arange(m)
    for _ in range(m):  # a hidden node moves with its nearest shown ancestor
        todo = (carrier[cur] < 0) & (lpar[cur] >= 0)
        if not todo.any():
            break
        cur[todo] = lpar[cur[todo]]
    delta = np.where((carrier[cur] >= 0)[:, None], moved[np.maximum(carrier[cur], 0)], 0.0)
    return xy + delta


def _legend(t: Translator, color_items, color_by, cats_drawn, merged_levels, kinds_drawn):
    """Legend groups from the style tables: the shapes and colours the nodes really have."""
    by_role = isinstance(color_by, str) and color_by in ("role", "kind")
    node_items = []
    if by_role and color_by == "role":
        for c in NODE_STYLES:
            if c in cats_drawn:
                s = NODE_STYLES[c]
                node_items.append({"shape": s["shape"], "color": s["color"], "label": t.value(c)})
        for lv in ADMIN_LEVELS:
            if lv in merged_levels:
                node_items.append({"shape": MERGED_SHAPE, "color": NODE_STYLES[lv]["color"],
                                   "label": t("collapsed_node", level=t.value(lv))})  # fmt: skip
        groups = [{"title": t("nodes"), "items": node_items}]
    else:
        colours = [{"shape": "dot", "color": c, "label": lab} for c, lab in color_items]
        shapes = [
            {"shape": NODE_STYLES[c]["shape"], "color": "#ffffff", "label": t.value(c)}
            for c in NODE_STYLES if c in cats_drawn
        ]  # fmt: skip
        if merged_levels:
            shapes.append({"shape": MERGED_SHAPE, "color": "#ffffff", "label": t("merged")})
        groups = [{"title": t("nodes"), "items": colours}, {"title": t("shapes"), "items": shapes}]
    groups.append(
        {
            "title": t("edges"),
            "items": [
                {
                    "shape": "line",
                    "color": EDGE_STYLES[k]["color"],
                    "dashes": EDGE_STYLES[k]["dashes"],
                    "label": t.value(k),
                }
                for k in EDGE_KINDS
                if k in kinds_drawn
            ],  # fmt: skip
        }
    )
    for group in groups:
        for item in group["items"]:
            item["style"] = _swatch_style(item)
    return groups


def _swatch_style(item: dict) -> str:
    if item["shape"] == "line":
        return f"border-top:3px {'dashed' if item['dashes'] else 'solid'} {item['color']}"
    return f"background:{item['color']}"


#: Endings dropped from labels (the shape already says what the node is; the tooltip
#: keeps the full name), longest first.
_LABEL_ENDINGS = ("社会组织联合会", "社会组织服务中心", "社会工作服务中心")


def _short_name(name: str, places: Iterable[str]) -> str:
    """A label for ``name``: without the names of the units it sits in at its start,
    without a role ending such as 社会组织联合会 and without 社会组织 inside a program's
    name (the tooltip gives the full name).

    >>> _short_name("鸠江区清水街道清苑社区社会组织联合会", ["芜湖市", "鸠江区", "清水街道"])
    '清苑社区'
    >>> _short_name("无为市襄安镇襄安社区社区社会组织联合会", ["无为市", "襄安镇"])
    '襄安社区'
    >>> _short_name("芜湖市第一届社会组织公益创投", ["芜湖市"])
    '第一届公益创投'
    >>> _short_name("鸠江区官陡街道社区社会组织联合会", ["鸠江区", "官陡街道"])
    '官陡街道社区'
    >>> _short_name("Sunrise Federation", ["Wuhu"]), _short_name("芜湖市", ["芜湖市"])
    ('Sunrise Federation', '芜湖市')
    """
    short = name
    for place in places:
        rest = short[len(place) :]
        cjk = any(ord(ch) >= 0x2E80 for ch in place)  # 鸠江区清水街道…: names run together
        if cjk and short.startswith(place) and len(rest) > 1:
            if rest.startswith(("社区社会组织", "社会组织", "社会工作")):
                break  # 官陡街道社区社会组织联合会: the place is the name
            short = rest
    for ending in _LABEL_ENDINGS:
        if short.endswith(ending) and len(short) > len(ending) + 1:
            short = short[: -len(ending)]
            break
    if short.endswith("社区社区"):
        short = short[:-2]
    if "社会组织" in short and len(short) > 6 and not short.endswith("社会组织"):
        short = short.replace("社会组织", "")
    return short


def _label(name: str, limit: float = 10) -> str:
    """``name`` cut to ``limit`` em (CJK characters one em, others 0.6) with an ellipsis.

    >>> _label("弋江区中南街道滨江社区", 8), _label("unit 990101001"), _label("unit 990101001", 5)
    ('弋江区中南街道滨…', 'unit 990101001', 'unit 990…')
    """
    width = 0.0
    for k, ch in enumerate(name):
        width += 1.0 if ord(ch) >= 0x2E80 else 0.6
        if width > limit:
            return name[:k].rstrip() + "…" if k else name[:1]
    return name


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
    visible_max: int = VISIBLE_MAX,
    money_top: int = MONEY_TOP,
) -> CivicNetwork:
    """Draw the graph as an interactive network (pyvis / vis-network) that is readable
    at first sight, whatever the registry's size.

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
        of its members). Default: by level and role (:data:`NODE_STYLES`), super-nodes by
        how many they hold.
    collapse : {"auto", "street", "district", None}
        Merge, in the page's data, every admin unit below this level and every
        organization located there into one node per unit of the level. ``"auto"``
        collapses to streets when the graph has more than ``max_nodes`` nodes, and to
        districts if that is still too many. Centers, government bodies and programs
        always stay themselves.
    layout : {"auto", "fixed", "hierarchical", "physics"}
        ``"fixed"`` (and ``"auto"``): a radial balloon tree computed once in Python,
        physics off (:mod:`civicgraph.viz._layout`: each unit with the organizations and
        programs located there on a ring around it, its child units on a ring outside;
        no two labels' discs overlap on first view); ``"hierarchical"``: the admin tree
        top-down, one row per level, organizations under their unit, programs in a row
        on top (physics off); ``"physics"``: vis-network's force layout, frozen once
        stable.
    edge_kinds : iterable of str, optional
        Edge kinds in the data (default all); the page has switches per layer
        (:data:`LAYERS`).
    lang : {"zh", "en"}
        Language of the legend, buttons, tooltips and code values.
    max_nodes : int
        Threshold of ``collapse="auto"``.
    height : str
        CSS height of the canvas.
    title : str, optional
        Page heading (default: the word for "network" in ``lang``).
    visible_max : int
        Most nodes visible on first view (see Notes).
    money_top : int
        Money ties (``funds``, ``awards``) drawn by default: the largest ones; a switch
        in the page draws them all.

    Returns
    -------
    CivicNetwork
        A pyvis ``Network`` whose ``generate_html()`` gives the offline page; it shows
        inline in Jupyter. ``net.nodes`` are the nodes of the data (without the isolated
        ones, listed under the picture: ``net.isolated``), ``net.groups`` the units the
        page can close into one node.

    Notes
    -----
    **First view.** Every province, city, district (and street, when the data is not
    collapsed to streets) holding other nodes is a *group*. On first view the groups are
    closed from the finest level at which at most ``visible_max`` nodes are visible: a
    closed group is one diamond in its level's colour whose label counts communities and
    hubs inside and whose tooltip adds the coverage, organizations, member
    organizations and money received. Centers, programs, hubs and government bodies
    inside closed groups then stay visible, a whole category at a time, while at most
    ``visible_max`` nodes are visible. Nodes without any tie are not drawn but listed
    under the picture. In the page a double-click opens a group (its unit and what is
    under it appear around it) and a double-click on the unit closes it again.

    **Placement.** A program belongs to the deepest unit holding every place it funds or
    awards (a district round sits in its district, a city round in the city).

    **Tooltips** give name, role or level, the district and street the node sits in, and
    key figures: members (``member_of`` ties in), incubated (``incubates`` ties out),
    funding received (sum of ``funds`` amounts in), and for admin units communities,
    communities covered by a hub (hub scope as in :func:`civicgraph.coverage`), hubs and
    organizations located in the unit or under it. A super-node adds up its members'
    figures and takes the communities and coverage of its unit. Every string is
    HTML-escaped.

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
    >>> len(net.nodes), len(net.edges), len(net.groups)
    (3, 2, 2)
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

    # what each drawn node is: its style category, name, label
    dcat = cat[reps]
    scat = np.where(merged & (g.kind_codes[reps] != _ADMIN), "org", dcat)
    full = [
        names[p] if isinstance(names[p], str) and names[p] else str(ids[p]) for p in reps.tolist()
    ]
    for i in np.flatnonzero(merged & (g.kind_codes[reps] != _ADMIN)).tolist():
        full[i] = t("unlocated")
    home = _homes(g, view)
    places = [
        np.where(home >= 0, tree.ancestor_at(li)[np.maximum(home, 0)], -1)
        for li in range(len(ADMIN_LEVELS) - 1)
    ]
    short = []
    for i in range(m):
        above = [names[a[i]] for a in places if a[i] >= 0 and a[i] != reps[i]]
        if scat[i] in ("center", "government", "agency", "operator"):
            above = []  # few, and known by their full names
        short.append(_label(_short_name(full[i], [x for x in above if isinstance(x, str)])))
    labels = [f"{short[i]} ({int(orgs_in[i])})" if merged[i] else short[i] for i in range(m)]
    fonts = np.array([NODE_STYLES.get(c, NODE_STYLES["org"])["font"] for c in scat], dtype=float)
    ranks = np.array([NODE_STYLES.get(c, NODE_STYLES["org"])["rank"] for c in scat])
    tied = np.zeros(m, dtype=bool)
    tied[edges["u"].to_numpy()] = True
    tied[edges["v"].to_numpy()] = True
    drawn = tied if m > 1 else np.ones(m, dtype=bool)

    groups = _groups(g, view, home, drawn)
    opened, pinned, rep = _first_view(groups, scat, drawn, visible_max)
    n_groups = groups.unit.size
    gid = [f"\u2295{ids[reps[u]]}" for u in groups.unit.tolist()]
    group_of_unit = np.full(m, -1, dtype=np.int64)
    group_of_unit[groups.unit] = np.arange(n_groups)

    # figures of each group: everything drawn inside it
    inside = np.zeros((n_groups, 4))
    mem_orgs = figures["member_orgs"]
    for k in range(groups.chain.shape[1]):
        col = groups.chain[:, k]
        ok = (col >= 0) & drawn
        inside[:, 0] += np.bincount(
            col[ok], weights=sums["funding_received"][ok], minlength=n_groups
        )
        inside[:, 1] += np.bincount(col[ok], weights=(scat[ok] == "center"), minlength=n_groups)
        inside[:, 2] += np.bincount(col[ok], weights=(scat[ok] == "program"), minlength=n_groups)
        inside[:, 3] += np.bincount(col[ok], weights=np.ones(ok.sum()), minlength=n_groups)

    if layout == "auto":
        layout = "fixed"
    xy = None
    if layout == "fixed":
        parent_admin = tree.parent[reps]
        parent_unit = np.where(
            (g.kind_codes[reps] == _ADMIN) & (parent_admin >= 0),
            inv[np.maximum(parent_admin, 0)],
            -1,
        )
        group_labels = list(labels)
        for u in groups.unit.tolist():
            group_labels[u] = _group_label(t, full[u], figures, reps[u])
        key = np.isin(
            scat, ["province", "city", "district", "center", "program", "hub", "government"]
        )
        key |= np.unique(rep[drawn]).size <= 60  # few nodes: every label counts
        gsizes = sizes.copy()
        gsizes[groups.unit] = sizes[groups.unit] + 4
        xy = _positions(view, groups, home, rep, parent_unit, group_labels, fonts, gsizes, scat,
                        key, drawn)  # fmt: skip
    elif layout == "hierarchical":
        xy = _hierarchical(g, view, edges, sizes)

    nodes, isolated = [], []
    district_of = chains[0]
    for i in range(m):
        p = int(reps[i])
        name = full[i]
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
            kind_label = t("unlocated_note")
        elif merged[i]:
            kind_label = t("collapsed_node", level=t.value(cat[p]))
            rows.append((t("units_merged"), _fmt(admins_in[i])))
        if g.kind_codes[p] == _ORG or merged[i]:
            rows.append((t("members"), _fmt(sums["members"][i])))
            rows.append((t("incubated"), _fmt(sums["incubated"][i])))
        if sums["funding_received"][i] > 0:
            rows.append((t("funding_received"), _fmt(sums["funding_received"][i])))
        if group_of_unit[i] >= 0:
            rows.append(("", t("group_close_hint")))
        if not drawn[i]:
            isolated.append({"id": str(ids[p]), "name": name, "kind": kind_label})
            continue
        style = NODE_STYLES.get(scat[i], NODE_STYLES["org"])
        d = district_of[p] if district_of[p] >= 0 else -1
        node = {
            "id": str(ids[p]),
            "label": labels[i],
            "title": _tooltip(rows, name, kind_label),
            "color": colors[i],
            "size": float(sizes[i]),
            "shape": MERGED_SHAPE if merged[i] else style["shape"],
            "font": {"size": float(fonts[i])},
            "cgName": name,
            "cgCat": str(scat[i]),
            "cgRank": int(ranks[i]),
            "cgChain": [gid[c] for c in groups.chain[i].tolist() if c >= 0],
            "cgPinned": bool(pinned[i]),
            "cgDistrict": str(ids[d]) if d >= 0 else None,
        }
        if group_of_unit[i] >= 0:
            node["cgUnitOf"] = gid[group_of_unit[i]]
        if xy is not None:
            node["x"], node["y"] = round(float(xy[i, 0]), 1), round(float(xy[i, 1]), 1)
        nodes.append(node)

    group_list = []
    by_role = isinstance(color_by, str) and color_by == "role"
    for j, u in enumerate(groups.unit.tolist()):
        p = int(reps[u])
        lv = ADMIN_LEVELS[int(groups.level[j])]
        name = full[u]
        division = " / ".join(
            str(names[c[p]]) for c in chains if c[p] >= 0 and c[p] != p and names[c[p]]
        )
        rows = [(t("division"), division)] if division else []
        rows += [
            (t("communities"), _fmt(figures["communities"][p])),
            (t("covered"), _fmt(figures["covered"][p])),
            (t("hubs"), _fmt(figures["hubs"][p])),
            (t("centers"), _fmt(inside[j, 1])),
            (t("organizations"), _fmt(figures["organizations"][p])),
            (t("member_orgs"), _fmt(mem_orgs[p])),
            (t("programs"), _fmt(inside[j, 2])),
            (t("funding_received"), _fmt(inside[j, 0])),
            ("", t("group_open_hint")),
        ]
        d = district_of[p]
        style = NODE_STYLES[lv]
        node = {
            "id": gid[j],
            "label": _group_label(t, name, figures, p),
            "title": _tooltip(rows, name, t("group_node", level=t.value(lv))),
            "color": style["color"] if by_role else colors[u],
            "size": float(sizes[u]) + 4,
            "shape": MERGED_SHAPE,
            "borderWidth": 2,
            "font": {"size": float(fonts[u])},
            "cgName": name,
            "cgCat": f"group:{lv}",
            "cgRank": int(ranks[u]),
            "cgChain": [gid[c] for c in groups.chain[u].tolist() if c >= 0],
            "cgUnit": str(ids[p]),
            "cgDistrict": str(ids[d]) if d >= 0 else None,
        }
        node["cgChain"] = node["cgChain"][: node["cgChain"].index(gid[j]) + 1]
        if xy is not None:
            node["x"], node["y"] = round(float(xy[u, 0]), 1), round(float(xy[u, 1]), 1)
        group_list.append(node)

    edge_list = []
    for u, v, k, count, amount in edges.itertuples(index=False):
        kind = EDGE_KINDS[k]
        style = EDGE_STYLES[kind]
        edge = {
            "from": str(ids[reps[u]]),
            "to": str(ids[reps[v]]),
            "color": {"color": style["color"], "opacity": 0.7},
            "dashes": style["dashes"],
            "cgKind": kind,
            "cgCount": int(count),
            "cgAmount": float(amount),
        }
        if style["arrows"]:
            edge["arrows"] = style["arrows"]
        edge_list.append(edge)

    options: dict = {
        "interaction": {
            "hover": True,
            "tooltipDelay": 100,
            "hideEdgesOnDrag": True,
            "zoomSpeed": 0.6,
        },  # fmt: skip
        "edges": {"smooth": False, "selectionWidth": 2},
        "nodes": {"borderWidth": 1, "font": {"face": "Arial, 'Noto Sans CJK SC', sans-serif"}},
        "layout": {"improvedLayout": False},
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
    kinds_drawn = {EDGE_KINDS[k] for k in set(edges["kind"].tolist())}
    cats_drawn = set(scat[drawn & ~merged].tolist())
    merged_levels = {str(c) for c in dcat[merged & drawn & (g.kind_codes[reps] == _ADMIN)]}
    merged_levels |= {ADMIN_LEVELS[int(lv)] for lv in groups.level}
    legend = _legend(t, color_items, color_by, cats_drawn, merged_levels, kinds_drawn)
    note = t("network_note", shown=f"{int(drawn.sum()):,}", total=f"{g.n_nodes:,}")
    if merged.any():
        note += " " + t("network_collapsed", level=t.value(collapse))

    districts = sorted({n["cgDistrict"] for n in nodes + group_list if n["cgDistrict"] is not None})
    position = {str(ids[reps[i]]): i for i in range(m)}
    page = {
        "open": [gid[j] for j in np.flatnonzero(opened).tolist()],
        "layers": {name: [k for k in kinds if k in kinds_drawn] for name, kinds in LAYERS.items()},
        "moneyTop": int(money_top),
        "districts": [[d, full[position[d]] if d in position else d] for d in districts],
        "roles": [[c, t.value(c)] for c in NODE_STYLES if c in cats_drawn],
        "text": {
            **{f"layer_{name}": t(f"layer_{name}") for name in LAYERS},
            **{f"kind_{k}": t.value(k) for k in EDGE_KINDS},
            **{
                k: t(k)
                for k in (
                    "edge_count",
                    "amount",
                    "net_search",
                    "net_all_districts",
                    "net_all_roles",
                    "net_money_all",
                    "net_reset",
                    "net_not_found",
                    "net_layers",
                    "net_help",
                    "district",
                    "role",
                )
            },  # fmt: skip
            "net_money_top": t("net_money_top", n=int(money_top)),
        },
    }

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
    net.groups = group_list
    net.isolated = isolated
    net.page = page
    net.options = options
    if path is not None:
        net.write_html(str(path))
    return net


def _group_label(t: Translator, name: str, figures, p: int) -> str:
    return f"{_label(name, 10)}\n" + t(
        "group_counts", communities=_fmt(figures["communities"][p]), hubs=_fmt(figures["hubs"][p])
    )
