"""Positions of a network picture, computed once in Python (no physics, no randomness).

The layout is a *balloon tree*: every node sits at the centre of a disc (its footprint:
the node and its label, plus the discs of everything placed around it); the children of
a unit are put on rings around it — first the organizations and programs located there
(inner ring), then the child units (outer ring) — with arcs proportional to their discs,
so no two discs overlap. The result is a radial tree drawn as nested circles: the city
in the middle, its districts around it, each district's streets around the district.

Two kinds of node are laid out differently:

- *shown* nodes (visible on first view, or the closed group that stands for them): their
  rings hold only what is shown, so the first view is as compact as the labels allow;
- *hidden* nodes (inside a group closed on first view): a ring outside the group's shown
  disc, each child as its own disc (a group opens one level at a time: its children
  appear closed), their own children likewise around them; so what a double-click opens
  sits close around the unit, and may cover neighbours that are open as well.

Deterministic: the order of children is their order in the input (the admin pre-order),
so the same graph gives the same picture on every run.
"""

from __future__ import annotations

import numpy as np

__all__ = ["balloon", "label_box", "text_width"]

#: Gap between neighbouring discs (canvas pixels at scale 1).
PAD = 6.0
#: vis-network draws a label this far below the node's shape.
LABEL_GAP = 6.0
#: Line height of vis-network labels, as a multiple of the font size.
LINE = 1.2


def text_width(text: str, font: float) -> float:
    """Width of ``text`` drawn at ``font`` px (CJK and full-width characters count one
    em, others 0.6 em; a slight over-estimate of Arial / Noto CJK), widest line.

    >>> text_width("芜湖市", 10), text_width("ab\\n中", 10)
    (30.0, 12.0)
    """
    widest = 0.0
    for line in text.split("\n"):
        w = sum(1.0 if ord(ch) >= 0x2E80 else 0.6 for ch in line)
        widest = max(widest, w)
    return widest * font


def label_box(text: str, font: float, size: float) -> tuple[float, float, float, float]:
    """Box ``(left, top, right, bottom)`` of a node of radius ``size`` at the origin and
    of its label drawn below it, as vis-network draws dots, squares and diamonds."""
    w = text_width(text, font)
    lines = text.count("\n") + 1 if text else 0
    h = lines * font * LINE
    half = max(w / 2, size)
    return (-half, -size, half, size + (LABEL_GAP + h if text else 0.0))


def footprint(text: str, font: float, size: float, aspect: float = 1.0) -> float:
    """Radius of the smallest disc around the node centre holding the node and its label,
    in a plane where x is divided by ``aspect`` (see :func:`balloon`)."""
    left, top, right, bottom = label_box(text, font, size)
    return float(np.hypot(max(-left, right) / aspect, max(-top, bottom))) + PAD / 2


def _ring(rho: np.ndarray, inner: float) -> tuple[np.ndarray, float]:
    """Offsets that put discs of radii ``rho`` on one ring around a disc of radius
    ``inner`` (arcs in proportion to the discs, neighbours' discs apart), and the radius
    of the disc that then holds everything."""
    n = rho.size
    if n == 0:
        return np.zeros((0, 2)), inner
    if n == 1 and inner == 0:
        return np.zeros((1, 2)), float(rho[0])
    radius = inner + rho.max() + PAD
    if n == 1:
        angle = np.array([np.pi / 2])  # one child: straight below its parent
    else:
        arc = 2 * rho + PAD
        ends = np.cumsum(arc)
        angle = -np.pi / 2 + 2 * np.pi * (ends - arc / 2) / ends[-1]
        gap = np.diff(np.r_[angle, angle[0] + 2 * np.pi])  # to the next one, round the ring
        need = rho + np.roll(rho, -1) + PAD
        half = np.minimum(gap / 2, np.pi / 2)
        radius = max(radius, float((need / (2 * np.sin(half))).max()))
    off = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return off, radius + float(rho.max())


def _rings(rho: np.ndarray, is_unit: np.ndarray, inner: float) -> tuple[np.ndarray, float]:
    """Children around a parent: organizations on an inner ring and units outside it,
    or all on one ring when that is smaller."""
    sat, unit = ~is_unit, is_unit
    best = None
    if sat.any() and unit.any():
        off = np.zeros((rho.size, 2))
        o, extent = _ring(rho[sat], inner)
        off[sat] = o
        o, extent = _ring(rho[unit], extent)
        off[unit] = o
        best = (off, extent)
    off, extent = _ring(rho, inner)
    if best is None or extent < best[1]:
        best = (off, extent)
    return best


def balloon(
    parent: np.ndarray,
    foot: np.ndarray,
    is_unit: np.ndarray,
    shown: np.ndarray,
    aspect: float = 1.0,
) -> np.ndarray:
    """Positions (n × 2, canvas pixels) of a forest given by ``parent`` (-1 for roots).

    Parameters
    ----------
    parent : int array
        Layout parent of each node (``-1``: a root; roots are arranged around the origin).
    foot : float array
        Radius of each node's own disc (node and label, :func:`footprint`).
    is_unit : bool array
        Admin units go on the outer ring of their parent, everything else on the inner.
    shown : bool array
        Shown on first view (see the module docstring); a hidden node's parent is shown
        or hidden, a shown node's parent is shown.
    aspect : float
        Width / height of the drawing: discs are laid out in a plane where x is divided
        by ``aspect`` (``foot`` must be measured so, see :func:`footprint`) and the
        result is stretched back, so the first view fills a wide canvas.
    """
    n = parent.size
    root = n  # a virtual root at the origin
    par = np.where(parent >= 0, parent, root)
    depth = np.zeros(n + 1, dtype=np.int64)
    cur = par.copy()
    alive = cur != root
    for _ in range(n + 1):  # depth = number of steps to the virtual root
        if not alive.any():
            break
        depth[:n][alive] += 1
        cur[alive] = par[cur[alive]]
        alive = cur != root
    kids: list[list[int]] = [[] for _ in range(n + 1)]
    for i in range(n):
        kids[par[i]].append(i)
    own = np.concatenate([np.asarray(foot, dtype=float), [0.0]])
    rho = own.copy()
    off = np.zeros((n + 1, 2))
    shown_ = np.concatenate([np.asarray(shown, dtype=bool), [True]])
    unit_ = np.concatenate([np.asarray(is_unit, dtype=bool), [True]])
    order = np.argsort(-depth[:n], kind="stable")
    for i in [*order.tolist(), root]:
        ks = kids[i]
        if not ks:
            continue
        ks = np.asarray(ks)
        vis = ks[shown_[ks]]
        off[vis], extent = _rings(rho[vis], unit_[vis], rho[i])
        shown_extent = extent
        hid = ks[~shown_[ks]]
        if hid.size:
            off[hid], _ = _rings(own[hid], unit_[hid], extent)
        rho[i] = shown_extent if shown_[i] else own[i]
    # top-down: a node's position is its parent's plus its offset
    xy = np.zeros((n + 1, 2))
    for i in np.argsort(depth[:n], kind="stable").tolist():
        xy[i] = xy[par[i]] + off[i]
    xy[:, 0] *= aspect
    return xy[:n]


def compact(
    xy: np.ndarray,
    boxes: np.ndarray,
    parent: np.ndarray,
    aspect: float = 1.0,
    steps: int = 240,
) -> np.ndarray:
    """Pull a layout together without overlaps: every step draws each node a little
    towards its parent (roots towards their centre; along x only 1 / sqrt(``aspect``) as
    much, so the result comes out wide), which keeps the tree's shape, and then pushes
    apart every two boxes
    that overlap, along the axis of least overlap. The last steps only push apart until
    nothing overlaps. Deterministic.

    ``boxes`` are ``(left, top, right, bottom)`` per node, relative to its position;
    ``parent`` the row of each node's parent in ``xy`` (-1: a root).
    """
    xy = np.array(xy, dtype=float)
    n = xy.shape[0]
    if n < 2:
        return xy
    b = np.asarray(boxes, dtype=float)
    half = np.column_stack([(b[:, 2] - b[:, 0]) / 2 + PAD / 2, (b[:, 3] - b[:, 1]) / 2 + PAD / 2])
    mid = np.column_stack([(b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2])
    squeeze = np.sqrt(aspect)  # draw in y harder than x, so the result comes out wide
    pull = np.array([0.04 / squeeze, 0.04])
    eye = np.eye(n, dtype=bool)
    parent = np.asarray(parent)
    has_parent = (parent >= 0)[:, None]
    roots = np.flatnonzero(parent < 0) if (parent < 0).any() else np.arange(n)
    tie = np.where(np.arange(n)[:, None] < np.arange(n), -1.0, 1.0)
    for step in range(steps + 300):
        if step < steps:
            target = np.where(has_parent, xy[np.maximum(parent, 0)], xy[roots].mean(axis=0))
            xy -= (xy - target) * pull
        c = xy + mid
        d = c[:, None, :] - c[None, :, :]
        over = half[:, None, :] + half[None, :, :] - np.abs(d)
        hit = (over[..., 0] > 0) & (over[..., 1] > 0) & ~eye
        if not hit.any():
            if step >= steps:
                break
            continue
        along_x = over[..., 0] / squeeze < over[..., 1]
        sign = np.where(d >= 0, 1.0, -1.0)
        sign[..., 0] = np.where(d[..., 0] == 0, tie, sign[..., 0])
        push = np.zeros((n, n, 2))
        push[..., 0] = np.where(hit & along_x, over[..., 0] * sign[..., 0], 0.0)
        push[..., 1] = np.where(hit & ~along_x, over[..., 1] * sign[..., 1], 0.0)
        share = 0.5 if step < steps else 0.6  # the last steps push harder
        xy += share * push.sum(axis=1) / np.sqrt(np.maximum(hit.sum(axis=1), 1))[:, None]
    return xy
