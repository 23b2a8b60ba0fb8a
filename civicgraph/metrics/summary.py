"""The headline table of a graph: centers, hubs, organizations, coverage, program totals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..catalog import NOTES
from ..model import CivicGraph
from ..model.graph import DateLike
from ..schema import ADMIN_LEVELS, COL, NODE_KINDS, ORG_ROLES
from ._types import registration_codes
from ._units import located_orgs, money_edges, with_example
from .coverage import coverage, street_target
from .sectors import sector_flags

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
def summary(
    g: CivicGraph,
    *,
    as_of: DateLike | None = None,
    definition: str = "served",
    districts_only: bool = False,
) -> pd.DataFrame:
    """The report's headline table, from any graph.

    Parameters
    ----------
    g : CivicGraph
    as_of : date-like, optional
        Count only organizations, programs and ties active (money granted) on that day.
    definition : {"served", "own"}
        The reading of the headline ``urban coverage`` row (see
        :func:`~civicgraph.coverage`); both readings are listed below it anyway.
    districts_only : bool
        The headline coverage rows count the urban communities of city districts (市辖区)
        only.

    Returns
    -------
    DataFrame
        Columns ``section``, ``item``, ``value`` (plain int or float), ``unit``, ``note``;
        one row per figure, in this order:

        - ``centers``: ``<level> centers`` for the city and district levels (and any
          other level that has centers): centers by the level of the unit they are
          located in; ``centers not located`` if any.
        - ``organizations``: ``hubs``, ``member organizations``, ``agencies``, then
          ``registered organizations`` (登记) and ``filed organizations`` (备案) of every
          role, and ``registered hubs``; then, if any, ``organizations of unknown role``
          (rows that gave no role, e.g. a platform export), ``hubs not located`` and
          ``organizations not located`` (active, with no ``located_in`` or ``serves`` tie
          to an admin unit: they cover nothing and are counted in no unit).
        - ``coverage``: ``urban communities``, ``urban communities covered``,
          ``urban coverage`` (share; as ``definition`` and ``districts_only`` say), then
          both readings by name: ``share in a hub's service area`` and ``share with a
          hub of their own`` of the urban communities of the whole graph, and the same
          three rows for the city districts (``city districts: urban communities``,
          ``city districts: share in a hub's service area``, ``city districts: share
          with a hub of their own``).
        - ``street target``: ``streets and townships`` (every street-level unit: 街道,
          镇, 乡), ``streets and townships with a hub``, ``street share``, ``with a
          registered hub``, ``registered street share`` (see
          :func:`~civicgraph.street_target`).
        - ``three-sector linkage``: communities ``with a hub (own or in reach)``,
          ``with community organizations``, ``with a social-work agency``,
          ``demonstration communities``, ``with all three`` (see
          :func:`~civicgraph.three_sectors`).
        - ``programs: <program_type>``: per funder level of the programs (item = the
          programs' ``funder_level``, e.g. ``city`` for the city's venture-philanthropy
          rounds; ``(none)`` for money that names no program), three rows with units
          ``yuan``, ``projects``, ``recipients``; then the type's ``total`` when it has
          more than one level. Per program figures: :func:`~civicgraph.funding_flows`.
        - ``programs``: ``total`` yuan, projects and recipients over every program.

    Notes
    -----
    Counts are of active nodes of that role; registration status as
    ``registration`` gives it, or registered (登记) when the credit code starts with 5.
    Coverage is :func:`~civicgraph.coverage` with ``urban_only=True`` (its total row).

    Money is counted once: a program's ``yuan`` is the sum of ``amount`` over the new
    money of :func:`~civicgraph.funding_flows`: ``funds`` and ``awards`` edges out of
    the program node, out of government organizations and, as the organization's own
    funds, out of organizations that receive no recorded money (attributed to the
    program named in the edge's ``program`` column, ``(none)`` otherwise). Re-granting
    (hub to member) and award spending (community to organization) move money already
    counted and are left out. ``projects`` is the
    number of those edges, ``recipients`` the number of distinct targets.

    ``note`` is empty unless the graph's data set attaches a note to its coverage
    (``g.attrs["notes"]["coverage"]``, a key of the catalog's ``labels.notes``): the
    embedded Wuhu example does, since on the 2023 division codes its coverage differs
    from the report's 24% (the denominator is the 2023 set of resident committees).

    Examples
    --------{example}
    >>> s = cg.summary(g)
    >>> s[s["section"].isin(["coverage", "street target"])][["item", "value", "unit"]]
                                               item     value         unit
    8                             urban communities         2  communities
    9                     urban communities covered         1  communities
    10                               urban coverage       0.5        share
    11                share in a hub's service area       0.5        share
    12                 share with a hub of their own       0.5        share
    13             city districts: urban communities         2  communities
    14  city districts: share in a hub's service area       0.5        share
    15  city districts: share with a hub of their own       0.5        share
    16                        streets and townships         2      streets
    17              streets and townships with a hub         1      streets
    18                                 street share       0.5        share
    19                        with a registered hub         0      streets
    20                      registered street share       0.0        share
    >>> s[s["section"] == "programs"][["item", "value", "unit"]]
         item    value        unit
    29  total  50000.0        yuan
    30  total        1    projects
    31  total        1  recipients
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
    status = registration_codes(g)
    for item, code in (("registered organizations", 0), ("filed organizations", 1)):
        rows.append(("organizations", item, int((active & (status == code)).sum()), "orgs", ""))
    hubs = active & is_org & (g.role_codes == ORG_ROLES.index("hub"))
    rows.append(("organizations", "registered hubs", int((hubs & (status == 0)).sum()), "orgs", ""))
    # rows without a role (a platform export), and organizations no unit places
    if n_role("unknown"):
        rows.append(
            ("organizations", "organizations of unknown role", n_role("unknown"), "orgs", "")
        )
    n_orgs = int((active & is_org).sum())
    for item, roles, n in (
        ("hubs not located", ("hub",), n_role("hub")),
        ("organizations not located", ORG_ROLES, n_orgs),
    ):
        missing = n - located_orgs(g, roles=roles, as_of=as_of)[0].size
        if missing:
            rows.append(("organizations", item, missing, "orgs", ""))

    rows += _coverage_rows(g, as_of=as_of, definition=definition, districts_only=districts_only)
    st = street_target(g, as_of=as_of).attrs
    reg = street_target(g, as_of=as_of, registered_only=True).attrs
    rows += [
        ("street target", "streets and townships", st["streets"], "streets", ""),
        ("street target", "streets and townships with a hub", st["with_hub"], "streets", ""),
        ("street target", "street share", float(st["share"]), "share", ""),
        ("street target", "with a registered hub", reg["with_hub"], "streets", ""),
        ("street target", "registered street share", float(reg["share"]), "share", ""),
    ]
    _, _, flags = sector_flags(g, as_of=as_of, urban_only=False, districts_only=False)
    sectors = {k: int(np.count_nonzero(v)) for k, v in flags.items()}
    with_hub = int(np.count_nonzero(flags["hub_own"] | flags["hub_served"]))
    section = "three-sector linkage"
    rows += [
        (section, "with a hub (own or in reach)", with_hub, "communities", ""),
        (section, "with community organizations", sectors["community_orgs"], "communities", ""),
        (section, "with a social-work agency", sectors["has_agency"], "communities", ""),
        (section, "demonstration communities", sectors["demonstration"], "communities", ""),
        (section, "with all three", sectors["linked"], "communities", ""),
    ]
    rows += _program_rows(g, as_of=as_of)
    out = pd.DataFrame(rows, columns=["section", "item", "value", "unit", COL.NOTE])
    out["value"] = pd.Series([r[2] for r in rows], dtype=object)  # ints stay ints
    return out


def _coverage_rows(
    g: CivicGraph, *, as_of: DateLike | None, definition: str, districts_only: bool
) -> list:
    """The coverage section: the headline three rows, then both readings by name, for the
    whole graph and for its city districts."""

    def total(definition: str, districts_only: bool) -> pd.Series:
        table = coverage(  # the total row; the province level keeps the table small
            g,
            level="province",
            urban_only=True,
            as_of=as_of,
            definition=definition,
            districts_only=districts_only,
        )
        return table.loc["total"]

    head = total(definition, districts_only)
    rows = [
        ("coverage", "urban communities", int(head["communities"]), "communities", ""),
        ("coverage", "urban communities covered", int(head["covered"]), "communities", ""),
        ("coverage", "urban coverage", float(head["share"]), "share", _coverage_note(g)),
    ]
    for prefix, only in (("", False), ("city districts: ", True)):
        if only:
            n = int(total("served", True)["communities"])
            rows.append(("coverage", f"{prefix}urban communities", n, "communities", ""))
        for item, reading in (
            ("share in a hub's service area", "served"),
            ("share with a hub of their own", "own"),
        ):
            share = float(total(reading, only)["share"])
            rows.append(("coverage", prefix + item, share, "share", ""))
    return rows


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
