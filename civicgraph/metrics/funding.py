"""Funding flows: where the money goes, counted once (docs/metrics-centrality.md).

Every ``funds`` and ``awards`` edge is one *money record*. Its ``flow``:

- ``"grant"``: a ``funds`` edge out of a program or a government org that receives no money
  itself (new money);
- ``"award"``: an ``awards`` edge out of such a node (new money: demonstration awards);
- ``"own_funds"``: money paid by an organization (not a government) that receives no
  recorded money: its own fund-raising or a community fund, new money of its own;
- ``"regrant"``: money passed on by a node that received it (a hub's micro venture
  philanthropy grants to its members, a program funded by another program);
- ``"spending"``: a ``funds`` edge out of an admin unit (a community spending its award).

``new_money`` is true for grants, awards and own funds: totals add those, so money is
counted once and adds up to what was spent, and regrants and spending stay visible as
flows.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

import numpy as np
import pandas as pd

from .._errors import SchemaError
from ..model import CivicGraph
from ..model.graph import DateLike
from ..schema import ADMIN_LEVELS, COL, NODE_KINDS, ORG_ROLES
from ._scope import hub_scope
from ._ties import id_column, ids_at, locations, node_column, unit_at
from ._units import FLOWS, NEW_MONEY, money_flows

__all__ = ["FLOWS", "FUNDING_KEYS", "funding_concentration", "funding_flows", "funding_reach"]


#: Keys ``funding_flows(by=...)`` accepts.
FUNDING_KEYS: tuple[str, ...] = (
    "program",
    "program_type",
    "year",
    "funder_level",
    "district",
    "street",
    "community",
    "role",
    "recipient",
    "flow",
    "new_money",
)

#: Optional program-node columns read here.
FUNDER_LEVEL = COL.FUNDER_LEVEL
YEAR = COL.YEAR


#: Column of recipient positions in :func:`funding_flows`' records (not a funding key).
_RECIPIENT = " recipient position"

#: Columns of :func:`money_records`, in order: the edge row, its source, the funding keys
#: (its recipient among them, where the keys name it), amount and date.
RECORD_COLUMNS: tuple[str, ...] = (
    "edge",
    "source",
    "recipient",
    *(k for k in FUNDING_KEYS if k != "recipient"),
    "amount",
    "date",
)


def money_records(g: CivicGraph, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per ``funds``/``awards`` edge (edge row order) with every funding key,
    ``amount`` (missing counts 0), ``date`` (edge start) and ``edge`` (edge row).

    ``columns``: only these of :data:`RECORD_COLUMNS`, in that order (the recipients'
    units and the programs' columns are only worked out when asked for).
    """
    cols = RECORD_COLUMNS if columns is None else tuple(columns)
    unknown = [c for c in cols if c not in RECORD_COLUMNS]
    if unknown or not cols:
        raise SchemaError(
            f"money_records has no column(s) {unknown}; use any of {', '.join(RECORD_COLUMNS)}"
        )
    money = _Money(g)
    return pd.DataFrame({c: money.column(c) for c in cols})


class _Money:
    """The money records as arrays over the ``funds``/``awards`` edge rows; each column is
    worked out on first use (see :func:`money_records`)."""

    def __init__(self, g: CivicGraph):
        self.g = g
        u, v = g.edge_positions
        m = g.edge_mask(("funds", "awards")) & (u >= 0) & (v >= 0)
        self.rows = np.flatnonzero(m)
        self.src, self.dst = u[self.rows].astype(np.int64), v[self.rows].astype(np.int64)
        self.is_prog = g.kind_codes == NODE_KINDS.index("program")

    @cached_property
    def flow(self) -> np.ndarray:
        """Index into :data:`FLOWS` per record (see ``_units.money_flows``)."""
        return money_flows(self.g)[self.rows]

    @cached_property
    def new_money(self) -> np.ndarray:
        return np.isin(self.flow, NEW_MONEY)

    @cached_property
    def program(self) -> tuple[np.ndarray, np.ndarray]:
        """``(program, position)``: the program of each record (the source when it is a
        program, else the edge's ``program`` column, else the target when it is a
        program: money paid into a program) and its node position (``-1``: none)."""
        g, src, dst = self.g, self.src, self.dst
        pos = np.where(self.is_prog[src], src, -1)
        program = np.full(self.rows.size, None, dtype=object)
        if COL.PROGRAM in g._edges.columns:
            named = g._edges[COL.PROGRAM].take(self.rows)
            at = np.flatnonzero((pos < 0) & named.notna().to_numpy())
            if at.size:  # each distinct name converted and looked up once
                codes, distinct = pd.factorize(named.take(at))
                program[at] = distinct.to_numpy(dtype=object).astype(str)[codes]
                pos[at] = g._lookup(pd.Index(distinct.astype(str)))[codes]
        into = (pos < 0) & (program == None) & self.is_prog[dst]  # noqa: E711
        pos[into] = dst[into]
        by_node = (pos >= 0) & (program == None)  # noqa: E711
        program[by_node] = ids_at(g, pos[by_node])
        return program, pos

    def from_program(self, column: str) -> np.ndarray:
        return node_column(self.g, column, at=self.program[1])

    @cached_property
    def location(self) -> np.ndarray:
        return locations(self.g)[self.dst]

    def role(self) -> np.ndarray:
        g, dst = self.g, self.dst
        role, level = g.role_codes[dst], g.level_codes[dst]
        return np.where(
            role >= 0,
            np.array(ORG_ROLES, dtype=object)[np.maximum(role, 0)],
            np.where(
                level >= 0,
                np.array(ADMIN_LEVELS, dtype=object)[np.maximum(level, 0)],
                np.array(NODE_KINDS, dtype=object)[g.kind_codes[dst]],
            ),
        )

    def year(self) -> np.ndarray:
        year = pd.Series(pd.DatetimeIndex(self.date()).year, dtype="Int64")
        missing = year.isna().to_numpy()
        if missing.any():  # undated: the program's year
            prog_year = pd.to_numeric(pd.Series(self.from_program(YEAR)), errors="coerce")
            year = year.fillna(prog_year.astype("Int64"))
        return year.to_numpy()

    def date(self) -> np.ndarray:
        return self.g._edges[COL.START].to_numpy()[self.rows]

    def column(self, name: str):
        g = self.g
        if name in ("district", "street", "community"):
            return id_column(g, unit_at(g, self.location, name))
        if name in ("program_type", "funder_level"):
            return self.from_program(COL.PROGRAM_TYPE if name == "program_type" else FUNDER_LEVEL)
        return {
            "edge": lambda: self.rows,
            "source": lambda: id_column(g, self.src),
            "recipient": lambda: id_column(g, self.dst),
            "program": lambda: self.program[0],
            "year": self.year,
            "role": self.role,
            "flow": lambda: pd.Categorical.from_codes(self.flow, categories=list(FLOWS)),
            "new_money": lambda: self.new_money,
            "amount": lambda: np.nan_to_num(g._edges[COL.AMOUNT].to_numpy()[self.rows], nan=0.0),
            "date": self.date,
        }[name]()


def funding_flows(
    g: CivicGraph,
    *,
    by: str | Sequence[str] = ("program", "year"),
    level: str | None = None,
) -> pd.DataFrame:
    """Money by program, year, funder level, recipient place or role — counted once.

    Parameters
    ----------
    g : CivicGraph
    by : str or sequence of str
        Any of ``program``, ``program_type``, ``year``, ``funder_level`` (program node
        column: ``city``/``district``), ``district``, ``street``, ``community`` (the
        recipient's unit at that level), ``role`` (recipient org role, or the level of an
        admin recipient), ``recipient``, ``flow``, ``new_money``.
    level : str, optional
        Only money of programs whose ``funder_level`` is this (e.g. ``"district"``).

    Returns
    -------
    DataFrame
        One row per group: the ``by`` columns, then ``flow`` and ``new_money`` (always
        kept, so re-granted money is visible and never added twice), ``amount`` (yuan),
        ``count`` (money records) and ``recipients`` (distinct recipients). Groups with a
        missing key (no program, undated) are kept with that key missing.

    Notes
    -----
    See the module docstring for the flows. The total new money is
    ``df.loc[df.new_money, "amount"].sum()``. A record's ``program`` is its source when
    that is a program node, else the edge's ``program`` column, else its target when that
    is a program node (money paid into a program); its ``year`` is the year of
    the edge's ``start``, else the program's ``year`` column.

    Examples
    --------
    >>> import pandas as pd
    >>> import civicgraph as cg
    >>> nodes = pd.DataFrame({
    ...     "id": ["P", "MV", "H", "M"], "kind": ["program", "program", "org", "org"],
    ...     "role": [None, None, "hub", "member"], "year": [2017, 2018, None, None],
    ... })
    >>> edges = pd.DataFrame({
    ...     "source": ["P", "H"], "target": ["H", "M"], "kind": ["funds", "funds"],
    ...     "amount": [10000.0, 3000.0], "program": [None, "MV"],
    ... })
    >>> cg.funding_flows(cg.CivicGraph.from_frames(nodes, edges))
      program  year     flow  new_money   amount  count  recipients
    0      MV  2018  regrant      False   3000.0      1           1
    1       P  2017    grant       True  10000.0      1           1
    """
    keys = [by] if isinstance(by, str) else list(by)
    unknown = [k for k in keys if k not in FUNDING_KEYS]
    if unknown:
        raise SchemaError(
            f"funding_flows cannot group by {unknown}; use any of {', '.join(FUNDING_KEYS)}"
        )
    keys += [k for k in ("flow", "new_money") if k not in keys]
    money = _Money(g)
    # only the grouping columns; recipients are counted by node position
    rec = pd.DataFrame({k: money.column(k) for k in keys})
    rec["amount"] = money.column("amount")
    rec[_RECIPIENT] = money.dst
    if level is not None:
        rec = rec[money.from_program(FUNDER_LEVEL) == level]
    grouped = rec.groupby(keys, dropna=False, observed=True, sort=True)
    out = grouped.agg(
        amount=("amount", "sum"), count=("amount", "size"), recipients=(_RECIPIENT, "nunique")
    ).reset_index()
    out["count"] = out["count"].astype(np.int64)
    out["recipients"] = out["recipients"].astype(np.int64)
    return out


def funding_concentration(g: CivicGraph) -> pd.DataFrame:
    """Gini and HHI of each program's money over its recipients.

    Returns
    -------
    DataFrame
        Indexed by program id, then a last row ``"total"`` (all new money): ``name``,
        ``program_type``, ``recipients``, ``amount``, ``gini``, ``hhi``.

    Notes
    -----
    A program's recipients are those of the money it pays out itself (``funds``/``awards``
    edges out of the program node); a program that pays out nothing itself (micro venture
    philanthropy paid out by hubs, named in the edges' ``program`` column) uses the money
    passed on in its name. The ``total`` row: every recipient of new money. With recipient totals ``x_1 ≤ … ≤ x_n`` and ``X = Σ x_i``:
    ``Gini = 2 Σ i x_i / (n X) − (n + 1) / n`` (0: equal; → 1: one recipient takes all)
    and ``HHI = Σ (x_i / X)²`` (1/n … 1).

    Examples
    --------
    >>> import pandas as pd
    >>> import civicgraph as cg
    >>> nodes = pd.DataFrame({"id": ["P", "A", "B"], "kind": ["program", "org", "org"],
    ...                       "role": [None, "hub", "hub"]})
    >>> edges = pd.DataFrame({"source": ["P", "P"], "target": ["A", "B"],
    ...                       "kind": "funds", "amount": [3000.0, 1000.0]})
    >>> cg.funding_concentration(cg.CivicGraph.from_frames(nodes, edges))[["gini", "hhi"]]
           gini    hhi
    id
    P      0.25  0.625
    total  0.25  0.625
    """
    rec = money_records(g, ["source", "recipient", "program", "new_money", "amount"])
    payouts = rec[rec["source"] == rec["program"]]
    passed_on = rec[rec["program"].notna() & ~rec["program"].isin(payouts["program"])]
    passed_on = passed_on[~passed_on["new_money"]]
    new = rec[rec["new_money"]].assign(program="total")
    both = pd.concat([payouts, passed_on, new], ignore_index=True)
    per = both.groupby(["program", "recipient"], sort=False)["amount"].sum().reset_index()
    # Gini and HHI per program at once: rank recipients by amount within each program
    per = per.sort_values(["program", "amount"], kind="stable")
    grp = per.groupby("program", sort=True)
    rank = grp.cumcount().to_numpy() + 1.0
    x = per["amount"].to_numpy(dtype=float)
    total = grp["amount"].transform("sum").to_numpy(dtype=float)
    safe = np.where(total > 0, total, 1.0)
    per = per.assign(ix=rank * x, sq=(x / safe) ** 2)
    agg = per.groupby("program", sort=True).agg(
        recipients=("amount", "size"), amount=("amount", "sum"), ix=("ix", "sum"), hhi=("sq", "sum")
    )
    n = agg["recipients"].to_numpy(dtype=float)
    tot = agg["amount"].to_numpy(dtype=float)
    gini = np.where(
        tot > 0, 2.0 * agg["ix"].to_numpy() / (n * np.where(tot > 0, tot, 1.0)) - (n + 1) / n, 0.0
    )
    out = pd.DataFrame(
        {
            "id": agg.index.to_numpy(dtype=object),
            "recipients": agg["recipients"].to_numpy(dtype=np.int64),
            "amount": tot,
            "gini": gini,
            "hhi": agg["hhi"].to_numpy(dtype=float),
        }
    )
    out = out.set_index("id")
    order = [i for i in out.index if i != "total"] + (["total"] if "total" in out.index else [])
    out = out.loc[order]
    pos = g._lookup(pd.Index(out.index))
    out.insert(0, "name", node_column(g, COL.NAME, at=pos))
    out.insert(1, "program_type", node_column(g, COL.PROGRAM_TYPE, at=pos))
    return out


def funding_reach(
    g: CivicGraph, *, as_of: DateLike | None = None, detail: bool = False
) -> float | pd.DataFrame:
    """Share of new money that reaches communities without a hub.

    Parameters
    ----------
    g : CivicGraph
    as_of : date, optional
        Hubs (and their scope) as of that day; all money records count.
    detail : bool
        Return the breakdown instead of the share.

    Returns
    -------
    float or DataFrame
        The share (``nan`` when no new money goes to a recipient in a community); with
        ``detail=True`` a DataFrame indexed by ``covered``, ``uncovered``,
        ``not_in_a_community`` with ``amount`` and ``share`` (of all new money).

    Notes
    -----
    Each new-money record (grant or award) is placed at its recipient: an award at its
    community, a grant at the community its recipient is located in (recipients located at
    street level or above are "not in a community"). A community is covered when it is in
    some hub's scope. ``share = uncovered / (covered + uncovered)``.

    Examples
    --------
    >>> import pandas as pd
    >>> import civicgraph as cg
    >>> nodes = pd.DataFrame({
    ...     "id": ["S", "c1", "c2", "H", "P"],
    ...     "kind": ["admin", "admin", "admin", "org", "program"],
    ...     "level": ["street", "community", "community", None, None],
    ...     "role": [None, None, None, "hub", None],
    ... })
    >>> edges = pd.DataFrame({
    ...     "source": ["S", "S", "H", "P", "P"], "target": ["c1", "c2", "c1", "c1", "c2"],
    ...     "kind": ["contains", "contains", "located_in", "awards", "awards"],
    ...     "amount": [None, None, None, 100000.0, 300000.0],
    ... })
    >>> cg.funding_reach(cg.CivicGraph.from_frames(nodes, edges))
    0.75
    """
    money = _Money(g)
    new = money.new_money
    tree = g.tree
    covered = np.zeros(g.n_nodes, dtype=bool)
    covered[tree.communities[hub_scope(g, as_of=as_of).covered()]] = True
    comm = unit_at(g, money.location[new], "community")
    where = np.where(comm < 0, 2, np.where(covered[np.maximum(comm, 0)], 0, 1))
    amount = np.bincount(where, weights=money.column("amount")[new], minlength=3)
    if detail:
        total = amount.sum()
        return pd.DataFrame(
            {"amount": amount, "share": amount / total if total > 0 else np.zeros(3)},
            index=pd.Index(["covered", "uncovered", "not_in_a_community"], name="reach"),
        )
    located = amount[0] + amount[1]
    return float(amount[1] / located) if located > 0 else float("nan")
