"""Where to put new hubs: greedy maximum coverage with the existing hubs fixed."""

from __future__ import annotations

import heapq
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._errors import CivicGraphError, SchemaError
from ..model import CivicGraph
from ..model.graph import DateLike
from ..schema import ADMIN_LEVELS, COL
from ._scope import check_definition
from ._units import check_level, counted_communities, covered_communities, with_example

__all__ = ["place_hubs"]


@with_example
def place_hubs(
    g: CivicGraph,
    *,
    k: int | None = None,
    target: float | None = None,
    candidates: str | Sequence[str] = "street",
    weights: str | pd.Series | None = None,
    max_communities: int | None = None,
    urban_only: bool = False,
    as_of: DateLike | None = None,
    definition: str = "served",
    districts_only: bool = False,
) -> pd.DataFrame:
    """Choose admin units for new hubs, one at a time, each buying the most coverage.

    Parameters
    ----------
    g : CivicGraph
    k : int, optional
        Place at most this many new hubs.
    target : float, optional
        Stop as soon as coverage reaches this share (in ``[0, 1]``). Give ``k``,
        ``target`` or both; placement also stops when no candidate gains anything.
    candidates : str or sequence of str
        An admin level (every unit of it is a candidate) or an explicit list of admin
        unit ids (they may nest).
    weights : str or Series, optional
        What a community is worth: a node column (e.g. ``"population"``) or a Series
        indexed by community id; missing values count 0. Default: 1 per community.
    max_communities : int, optional
        A new hub covers at most this many communities: the uncovered ones under its unit
        with the largest weight, ties to the earlier in pre-order (code order).
    urban_only : bool
        Only resident committees count (weight 0 for villages).
    as_of : date-like, optional
        Existing hubs active on that day.
    definition : {"served", "own"}
        The coverage to raise (see :func:`~civicgraph.coverage`). ``"served"`` (default):
        a new hub covers every community under its unit. ``"own"``: a community counts
        only with a hub of its own, so a new hub gives one community (the heaviest
        uncovered one under its unit) a hub: ``max_communities`` is 1.
    districts_only : bool
        Only communities under city districts (市辖区, county digits 01-20) count
        (weight 0 elsewhere).

    Returns
    -------
    DataFrame
        One row per new hub, in the order chosen: ``step`` (1, 2, ...), ``unit`` (admin
        id), ``name``, ``level``, ``gained`` (weight newly covered), ``covered`` (weight
        covered after the step), ``coverage`` (``covered`` / total weight). Weights are
        integers when ``weights`` is None. Coverage before step 1 is
        ``covered - gained`` of the first row (``.attrs["start_coverage"]`` as a share).

    Raises
    ------
    CivicGraphError
        Neither ``k`` nor ``target`` given, ``target`` outside ``[0, 1]``, ``k`` or
        ``max_communities`` negative, or negative weights.
    SchemaError
        Unknown level, unknown candidate ids, a candidate that is not an admin unit, or a
        weight column that does not exist.

    Notes
    -----
    Maximum coverage: with :math:`C_0` the communities already covered by existing hubs
    and :math:`w` the weights, each step picks the candidate :math:`u` maximizing

    .. math:: \\mathrm{gain}(u) = \\sum_{c \\in S(u) \\setminus C} w_c

    where :math:`S(u)` are the communities under :math:`u` (capped to the
    ``max_communities`` heaviest uncovered ones) and :math:`C` is the covered set so far;
    ties go to the smaller unit id. Greedy is within :math:`1 - 1/e` of the best choice
    of ``k`` units (Nemhauser, Wolsey & Fisher 1978).

    Initial gains are prefix-sum differences over each unit's community range (with a
    cap on one level: one sort by (unit, weight)). The greedy loop is lazy (Minoux
    1978): a heap of stale gains, re-evaluated only when popped. Units of one level do
    not overlap, so after a choice only the chosen unit's gain changes and every other
    pop is accepted at once; nested or explicit lists are handled by the same heap.

    Without ``max_communities``, ``g.with_hubs(result["unit"])`` has exactly the covered
    counts of the last row (a new hub located in a unit covers every community under
    it). With a cap the new hub is assumed to serve only the communities chosen.

    Examples
    --------{example}
    >>> cg.place_hubs(g, k=2)
       step       unit          name   level  gained  covered  coverage
    0     1  990101001  North street  street       1        2  0.666667
    1     2  990101002  South street  street       1        3  1.000000
    >>> cg.place_hubs(g, k=3, definition="own", candidates="community")["unit"].tolist()
    ['990101001001', '990101002201']
    """
    if k is None and target is None:
        raise CivicGraphError("give k (how many hubs to place) or target (a coverage share)")
    if k is not None and k < 0:
        raise CivicGraphError(f"k must be 0 or more, not {k}")
    if target is not None and not 0.0 <= target <= 1.0:
        raise CivicGraphError(f"target is a coverage share between 0 and 1, not {target}")
    if max_communities is not None and max_communities < 1:
        raise CivicGraphError(f"max_communities must be 1 or more, not {max_communities}")
    check_definition(definition)
    if definition == "own":
        max_communities = 1
    tree = g.tree
    counted = counted_communities(g, urban_only=urban_only, districts_only=districts_only)
    w = _weights(g, weights) * counted
    remaining = np.where(covered_communities(g, as_of=as_of, definition=definition), 0.0, w)
    total = float(w.sum())
    covered = total - float(remaining.sum())

    cand, one_level = _candidates(g, candidates)
    lo, hi = tree.comm_lo[cand], tree.comm_hi[cand]
    gains = _initial_gains(remaining, lo, hi, max_communities, one_level)
    tie = np.empty(cand.size, dtype=np.int64)  # rank by id: ties to the smaller id
    tie[np.argsort(g.index.take(cand).to_numpy(dtype=str), kind="stable")] = np.arange(cand.size)
    heap = [(-gains[i], tie[i], i) for i in np.flatnonzero(gains > 0).tolist()]
    heapq.heapify(heap)

    def chosen(i: int) -> np.ndarray:
        """Community ranks a new hub at candidate ``i`` would cover now."""
        seg = np.arange(lo[i], hi[i])
        seg = seg[remaining[seg] > 0]
        if max_communities is not None and seg.size > max_communities:
            seg = seg[np.argsort(-remaining[seg], kind="stable")[:max_communities]]
        return seg

    rows = []
    start = covered / total if total else 0.0
    while heap and (k is None or len(rows) < k):
        if target is not None and (covered / total if total else 1.0) >= target:
            break
        neg, t, i = heapq.heappop(heap)
        seg = chosen(i)
        gain = float(remaining[seg].sum())
        if gain <= 0:
            continue
        if gain < -neg:  # stale: put it back with its true gain
            heapq.heappush(heap, (-gain, t, i))
            continue
        remaining[seg] = 0.0
        covered += gain
        rows.append((i, gain, covered))
        if max_communities is not None:
            heapq.heappush(heap, (-gain, t, i))  # re-evaluated when popped
    picked = np.asarray([r[0] for r in rows], dtype=np.int64)
    units = cand[picked]
    gained = np.asarray([r[1] for r in rows], dtype=float)
    cum = np.asarray([r[2] for r in rows], dtype=float)
    as_int = weights is None
    out = pd.DataFrame(
        {
            "step": np.arange(1, len(rows) + 1, dtype=np.int64),
            "unit": g.ids[units],
            COL.NAME: g._nodes[COL.NAME].to_numpy(dtype=object)[units],
            COL.LEVEL: np.asarray(ADMIN_LEVELS, dtype=object)[tree.level[units]],
            "gained": np.rint(gained).astype(np.int64) if as_int else gained,
            "covered": np.rint(cum).astype(np.int64) if as_int else cum,
            "coverage": cum / total if total else np.zeros(len(rows)),
        }
    )
    out.attrs["start_coverage"] = start
    return out


def _weights(g: CivicGraph, weights: str | pd.Series | None) -> np.ndarray:
    """Weight per community rank (float, missing values 0)."""
    comm = g.tree.communities
    if weights is None:
        return np.ones(comm.size)
    if isinstance(weights, str):
        if weights not in g._nodes.columns:
            raise SchemaError(f"no node column {weights!r} to weight communities by")
        values = pd.to_numeric(g._nodes[weights], errors="coerce").to_numpy(
            dtype=float, na_value=np.nan
        )[comm]
    else:
        values = pd.to_numeric(
            pd.Series(weights).reindex(pd.Index(g.ids[comm]).astype(str)), errors="coerce"
        ).to_numpy(dtype=float, na_value=np.nan)
    values = np.nan_to_num(values, nan=0.0)
    if (values < 0).any():
        raise CivicGraphError("community weights must not be negative")
    return values


def _candidates(g: CivicGraph, candidates: str | Sequence[str]) -> tuple[np.ndarray, bool]:
    """Candidate unit positions and whether they are one level (so never overlap)."""
    tree = g.tree
    if isinstance(candidates, str):
        lvl = check_level(candidates)
        return tree.order[tree.level[tree.order] == lvl], True
    pos = np.unique(g.positions(list(candidates)))
    bad = pos[tree.level[pos] < 0]
    if bad.size:
        raise SchemaError(f"candidates must be admin units, not {list(g.ids[bad][:10])}")
    return pos, False


def _initial_gains(
    remaining: np.ndarray, lo: np.ndarray, hi: np.ndarray, cap: int | None, one_level: bool
) -> np.ndarray:
    """Gain of every candidate before any choice (vectorized where ranges are disjoint)."""
    if cap is None:
        cum = np.concatenate(([0.0], np.cumsum(remaining)))
        return cum[hi] - cum[lo]
    if one_level:
        # one sort by (unit, weight desc); keep each unit's cap heaviest
        length = hi - lo
        ranks = np.repeat(lo - np.cumsum(np.append(0, length[:-1])), length) + np.arange(
            length.sum()
        )
        grp = np.repeat(np.arange(lo.size), length)
        order = np.lexsort((-remaining[ranks], grp))
        first = np.repeat(np.cumsum(np.append(0, length[:-1])), length)
        take = np.arange(order.size) - first < cap
        return np.bincount(
            grp, weights=np.where(take, remaining[ranks[order]], 0.0), minlength=lo.size
        )
    return np.asarray(
        [np.sort(remaining[a:b])[::-1][:cap].sum() for a, b in zip(lo.tolist(), hi.tolist())]
    )
