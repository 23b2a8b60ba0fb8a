"""The headline table of a graph: centers, hubs, organizations, coverage, program totals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..catalog import NOTES
from ..model import CivicGraph
from ..model.graph import DateLike
from ..schema import ADMIN_LEVELS, COL, NODE_KINDS, ORG_ROLES
from ._units import located_orgs, money_edges, with_example
from .coverage import coverage, street_target

__all__ = ["summary"]

#: Item of programs whose node gives no ``funder_level``.
NO_LEVEL = "level not given"

#: Note on the coverage rows of the Wuhu example: why it need not reproduce the report's
#: 24%. Shown only for graphs whose data set says so (``g.attrs["notes"]["coverage"]``).
BOUNDARY_NOTE = NOTES["boundary"][1]


def _coverage_note(g: CivicGraph) -> str:
    """The English note the graph's data set attaches to its coverage figures, if any."""
    key = g.attrs.get("notes", {}).get("coverage")
    return NOTES[key][1] if key in NOTES else ""


@with_example
def summary(g: CivicGraph, *, as_of: DateLike | None = None) -> pd.DataFrame:
    """The report's headline table, from any graph.

    Parameters
    ----------
    g : CivicGraph
    as_of : date-like, optional
        Count only organizations, programs and ties active (money granted) on that day.

    Returns
    -------
    DataFrame
        Columns ``section``, ``item``, ``value`` (plain int or float), ``unit``, ``note``;
        one row per figure, in this order:

        - ``centers``: ``<level> centers`` for the city and district levels (and any
          other level that has centers): centers by the level of the unit they are
          located in; ``centers not located`` if any.
        - ``organizations``: ``hubs``, ``member organizations``, ``agencies``.
        - ``coverage``: ``urban communities``, ``urban communities covered``,
          ``urban coverage`` (share).
        - ``street target``: ``urban streets``, ``urban streets with a hub``,
          ``urban street share`` (streets with at least one resident committee; see
          :func:`~civicgraph.street_target`).
        - ``programs: <program_type>``: per funder level of the programs (item = the
          programs' ``funder_level``, e.g. ``city`` for the city's venture-philanthropy
          rounds; ``(none)`` for money that names no program), three rows with units
          ``yuan``, ``projects``, ``recipients``; then the type's ``total`` when it has
          more than one level. Per program figures: :func:`~civicgraph.funding_flows`.
        - ``programs``: ``total`` yuan, projects and recipients over every program.

    Notes
    -----
    Counts are of active nodes of that role. Coverage is
    :func:`~civicgraph.coverage` with ``urban_only=True`` (its total row).

    Money is counted once: a program's ``yuan`` is the sum of ``amount`` over the
    ``funds`` and ``awards`` edges out of the program node (and out of government
    organizations, attributed to the program named in the edge's ``program`` column,
    ``(none)`` otherwise). Re-granting (hub to member) and award spending (community to
    organization) move money already counted and are left out. ``projects`` is the
    number of those edges, ``recipients`` the number of distinct targets.

    ``note`` is empty unless the graph's data set attaches a note to its coverage
    (``g.attrs["notes"]["coverage"]``, a key of the catalog's ``labels.notes``): the
    embedded Wuhu example does, since on the 2023 division codes its coverage differs
    from the report's 24% (the denominator is the 2023 set of resident committees).

    Examples
    --------{example}
    >>> s = cg.summary(g)
    >>> s[s["section"] != "centers"][["section", "item", "value", "unit"]]
                 section                       item    value         unit
    2      organizations                       hubs        1         orgs
    3      organizations       member organizations        1         orgs
    4      organizations                   agencies        0         orgs
    5           coverage          urban communities        2  communities
    6           coverage  urban communities covered        1  communities
    7           coverage             urban coverage      0.5        share
    8      street target              urban streets        1      streets
    9      street target   urban streets with a hub        1      streets
    10     street target         urban street share      1.0        share
    11  programs: cradle                   district  50000.0         yuan
    12  programs: cradle                   district        1     projects
    13  programs: cradle                   district        1   recipients
    14          programs                      total  50000.0         yuan
    15          programs                      total        1     projects
    16          programs                      total        1   recipients
    """
    rows: list[tuple[str, str, object, str, str]] = []
    active = g.active_nodes(as_of)
    is_org = g.kind_codes == NODE_KINDS.index("org")

    def n_role(role: str) -> int:
        return int((active & is_org & (g.role_codes == ORG_ROLES.index(role))).sum())

    # centers by the level of their unit
    _, at = located_orgs(g, roles=("center",), as_of=as_of)
    by_level = np.bincount(g.tree.level[at], minlength=len(ADMIN_LEVELS))
    for i, lvl in enumerate(ADMIN_LEVELS):
        if by_level[i] or lvl in ("city", "district"):
            rows.append(("centers", f"{lvl} centers", int(by_level[i]), "centers", ""))
    unlocated = n_role("center") - at.size
    if unlocated:
        rows.append(("centers", "centers not located", unlocated, "centers", ""))

    for item, role in (("hubs", "hub"), ("member organizations", "member"), ("agencies", "agency")):
        rows.append(("organizations", item, n_role(role), "orgs", ""))

    total = coverage(g, level="all", urban_only=True, as_of=as_of).loc["total"]
    rows += [
        ("coverage", "urban communities", int(total["communities"]), "communities", ""),
        ("coverage", "urban communities covered", int(total["covered"]), "communities", ""),
        ("coverage", "urban coverage", float(total["share"]), "share", _coverage_note(g)),
    ]
    st = street_target(g, as_of=as_of, urban_only=True).attrs
    rows += [
        ("street target", "urban streets", st["streets"], "streets", ""),
        ("street target", "urban streets with a hub", st["with_hub"], "streets", ""),
        ("street target", "urban street share", float(st["share"]), "share", ""),
    ]
    rows += _program_rows(g, as_of=as_of)
    out = pd.DataFrame(rows, columns=["section", "item", "value", "unit", COL.NOTE])
    out["value"] = pd.Series([r[2] for r in rows], dtype=object)  # ints stay ints
    return out


def _program_rows(g: CivicGraph, *, as_of: DateLike | None) -> list:
    """Yuan, projects and recipients per program, per program type and overall."""
    nodes = g._nodes
    is_program = (g.kind_codes == NODE_KINDS.index("program")) & g.active_nodes(as_of)
    u, v = g.edge_positions
    m = money_edges(g, as_of=as_of)
    src = np.maximum(u, 0)
    program = np.where(is_program[src], src, -1)
    if COL.PROGRAM in g._edges.columns:
        named = g._lookup(g._edges[COL.PROGRAM].astype("string").fillna(""))
        named = np.where((named >= 0) & is_program[np.maximum(named, 0)], named, -1)
        program = np.where(program >= 0, program, named)
    level = (
        nodes[COL.FUNDER_LEVEL].astype("string").fillna(NO_LEVEL).to_numpy(dtype=object)
        if COL.FUNDER_LEVEL in nodes.columns
        else np.full(g.n_nodes, NO_LEVEL, dtype=object)
    )
    types = (
        nodes[COL.PROGRAM_TYPE].astype("string").fillna("other").to_numpy(dtype=object)
        if COL.PROGRAM_TYPE in nodes.columns
        else np.full(g.n_nodes, "other", dtype=object)
    )
    amount = np.nan_to_num(g._edges[COL.AMOUNT].to_numpy(dtype=float, na_value=np.nan))
    pos = pos_m = program[m]
    money = pd.DataFrame(
        {
            "program": pos,
            "type": np.where(pos >= 0, types[np.maximum(pos, 0)], "other"),
            "amount": amount[m],
            "target": v[m],
        }
    )
    per = money.groupby("program").agg(
        yuan=("amount", "sum"), projects=("amount", "size"), recipients=("target", "nunique")
    )
    # every active program, plus "(none)" (-1) when some money names no program
    listed = per.reindex(np.union1d(np.flatnonzero(is_program), per.index.to_numpy()))
    listed = listed.fillna({"yuan": 0.0, "projects": 0, "recipients": 0}).reset_index(
        names="program"
    )
    pos = listed["program"].to_numpy()
    listed["type"] = np.where(pos >= 0, types[np.maximum(pos, 0)], "other")
    listed["name"] = np.where(pos >= 0, level[np.maximum(pos, 0)], "(none)")
    listed = listed.groupby(["type", "name"], sort=True)[["yuan", "projects"]].sum().reset_index()
    money["name"] = np.where(money["program"] >= 0, level[np.maximum(pos_m, 0)], "(none)")

    def three(section: str, item: str, yuan, projects, recipients) -> list:
        return [
            (section, item, float(yuan), "yuan", ""),
            (section, item, int(projects), "projects", ""),
            (section, item, int(recipients), "recipients", ""),
        ]

    rows: list = []
    for ptype, grp in listed.groupby("type", sort=True):
        section = f"programs: {ptype}"
        for r in grp.itertuples(index=False):
            here = money[(money["type"] == ptype) & (money["name"] == r.name)]
            rows += three(section, r.name, r.yuan, r.projects, here["target"].nunique())
        if len(grp) < 2:
            continue
        in_type = money[money["type"] == ptype]
        rows += three(
            section, "total", in_type["amount"].sum(), len(in_type), in_type["target"].nunique()
        )
    rows += three("programs", "total", money["amount"].sum(), len(money), money["target"].nunique())
    return rows
