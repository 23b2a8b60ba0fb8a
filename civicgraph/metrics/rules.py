"""Policy rules of the 2019 Wuhu report as data, and a checker that lists violations.

A :class:`Rule` names a built-in check (:data:`CHECKS`) and its parameters, so a bureau can
add its own rules (another threshold, another level, urban units only) without code::

    Rule("street_hub_all", "Every street has a hub", "每个街道乡镇都有枢纽型组织",
         "unit_has_org", {"level": "street", "role": "hub", "urban_only": False})

Rules may also be given as plain dicts with the same fields (e.g. read from JSON).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from .._errors import SchemaError
from ..model import CivicGraph
from ..model.graph import DateLike
from ..schema import (
    ADMIN_LEVELS,
    COL,
    COUNTY_KINDS,
    NODE_KINDS,
    ORG_ROLES,
    STREET_KINDS,
)
from ._ties import count_located_under, locations, node_column
from ._types import ALL_STREET_TYPES, county_kind_codes, street_kind_codes
from .coverage import street_target

__all__ = ["CHECKS", "DEFAULT_RULES", "RULE_COLUMNS", "Rule", "check_rules", "urban_units"]

#: Columns of :func:`check_rules`' table.
RULE_COLUMNS = ("rule", "node", "name", "message", "value", "threshold")


@dataclass(frozen=True)
class Rule:
    """One policy rule.

    Attributes
    ----------
    id : str
        Short name, shown in the ``rule`` column of violations.
    description, description_zh : str
        What the rule asks, in English and Chinese.
    check : str
        Name of a built-in check in :data:`CHECKS`.
    params : mapping
        Keyword parameters of the check.
    """

    id: str
    description: str
    description_zh: str
    check: str
    params: Mapping[str, Any] = field(default_factory=dict)


# ----------------------------------------------------------------------------- checks


def urban_units(g: CivicGraph) -> np.ndarray:
    """Boolean over positions: urban admin units, by their type from the code rules.

    A community is urban when it is a resident committee (``urban``, or codes 001-199);
    a street-level unit when it is a street office (街道, codes 001-099); a county-level
    unit when it is a city district (市辖区, codes 01-20); a city or province when it has
    at least one urban community. Units whose type neither a column nor the code gives
    (ids that are no division code) are urban when they have an urban community.
    """
    tree = g.tree
    has_urban = tree.count_under(g.urban) > 0
    street, county = street_kind_codes(g), county_kind_codes(g)
    typed = (street >= 0) | (county >= 0)
    by_type = (street == STREET_KINDS.index("street_office")) | (
        county == COUNTY_KINDS.index("city_district")
    )
    community = g.level_codes == ADMIN_LEVELS.index("community")
    return (tree.level >= 0) & np.where(community, g.urban, np.where(typed, by_type, has_urban))


def _unit_has_org(
    g: CivicGraph,
    *,
    level: str = "street",
    role: str = "hub",
    urban_only: bool = False,
    min_count: int = 1,
    as_of: DateLike | None = None,
) -> pd.DataFrame:
    """Units of ``level`` with fewer than ``min_count`` active orgs of ``role`` located in
    them or under them."""
    if level not in ADMIN_LEVELS:
        raise SchemaError(f"unknown admin level {level!r}; use one of {', '.join(ADMIN_LEVELS)}")
    if role not in ORG_ROLES:
        raise SchemaError(f"unknown org role {role!r}; use one of {', '.join(ORG_ROLES)}")
    tree = g.tree
    orgs = g.mask(kind="org", role=role) & g.active_nodes(as_of)
    loc = locations(g, as_of=as_of)[orgs]
    units = np.flatnonzero(g.mask(level=level))
    if urban_only:
        units = units[urban_units(g)[units]]
    units = units[np.argsort(tree.tin[units], kind="stable")]
    count = count_located_under(g, loc, units)
    bad = count < min_count
    key = "unit_has_org_urban" if urban_only else "unit_has_org"
    return pd.DataFrame(
        {
            "node": units[bad],
            "key": key,
            "ctx": [
                {"level": level, "role": role, "count": int(c), "min_count": min_count}
                for c in count[bad]
            ],  # fmt: skip
            "value": count[bad].astype(float),
            "threshold": float(min_count),
        }
    )


def _award_purchase_share(
    g: CivicGraph,
    *,
    min_share: float = 0.5,
    program_type: str | None = "demonstration_award",
    purpose: str = "purchase_of_services",
) -> pd.DataFrame:
    """Awards (per community and program) of which less than ``min_share`` was spent on
    ``purpose`` by ``funds`` edges from the community to organizations."""
    u, v = g.edge_positions
    ok = (u >= 0) & (v >= 0)
    prog_type = node_column(g, COL.PROGRAM_TYPE)
    awards = g.edge_mask("awards") & ok
    if program_type is not None:
        awards &= prog_type[np.maximum(u, 0)] == program_type
    edges = g._edges
    amount = np.nan_to_num(edges[COL.AMOUNT].to_numpy(), nan=0.0)
    aw = pd.DataFrame({"unit": v[awards], "program": g.ids[u[awards]], "award": amount[awards]})
    aw = aw.groupby(["unit", "program"], sort=False, as_index=False)["award"].sum()
    aw = aw.iloc[np.argsort(g.tree.tin[aw["unit"].to_numpy()], kind="stable")]

    org = g.kind_codes == NODE_KINDS.index("org")
    spend = g.edge_mask("funds") & ok
    spend &= (g.level_codes[np.maximum(u, 0)] >= 0) & org[np.maximum(v, 0)]
    purposes = (
        edges[COL.PURPOSE].to_numpy(dtype=object)
        if COL.PURPOSE in edges.columns
        else np.full(len(edges), None, dtype=object)
    )
    programs = (
        edges[COL.PROGRAM].astype(object).where(edges[COL.PROGRAM].notna(), None).to_numpy()
        if COL.PROGRAM in edges.columns
        else np.full(len(edges), None, dtype=object)
    )
    sp_ = pd.DataFrame(
        {
            "unit": u[spend],
            "program": programs[spend],
            "spent": np.where(purposes[spend] == purpose, amount[spend], 0.0),
        }
    )
    named = sp_[sp_["program"].notna()].groupby(["unit", "program"])["spent"].sum()
    unnamed = sp_[sp_["program"].isna()].groupby("unit")["spent"].sum()
    key = pd.MultiIndex.from_frame(aw[["unit", "program"]])
    spent = (
        named.reindex(key, fill_value=0.0).to_numpy()
        + unnamed.reindex(aw["unit"], fill_value=0.0).to_numpy()
    )
    award = aw["award"].to_numpy()
    share = np.divide(spent, award, out=np.zeros_like(spent), where=award > 0)
    bad = (share < min_share) & (award > 0)
    rows = aw[bad]
    names = dict(zip(g.ids, node_column(g, COL.NAME)))
    return pd.DataFrame(
        {
            "node": rows["unit"].to_numpy(),
            "key": "award_purchase_share",
            "ctx": [
                {
                    "share": f"{s:.0%}",
                    "award": f"{a:,.0f}",
                    "min_share": f"{min_share:.0%}",
                    "program": names.get(p) if isinstance(names.get(p), str) else p,
                    "purpose": purpose,
                }
                for s, a, p in zip(share[bad], rows["award"], rows["program"])
            ],  # fmt: skip
            "value": share[bad],
            "threshold": float(min_share),
        }
    )


def _street_hub(
    g: CivicGraph,
    *,
    street_types: Iterable[str] | None = ALL_STREET_TYPES,
    registered_only: bool = False,
    min_count: int = 1,
    as_of: DateLike | None = None,
) -> pd.DataFrame:
    """Street-level units of ``street_types`` with fewer than ``min_count`` hubs of their
    own (registered ones with ``registered_only``): :func:`~civicgraph.street_target`'s
    definition."""
    t = street_target(g, as_of=as_of, street_types=street_types, registered_only=registered_only)
    bad = t[t["hubs"] < min_count]
    kind = bad[COL.STREET_KIND].astype(object).where(bad[COL.STREET_KIND].notna(), "street")
    return pd.DataFrame(
        {
            "node": g.positions(bad.index),
            "key": "street_hub_registered" if registered_only else "street_hub",
            "ctx": [
                {"level": k, "count": int(c), "min_count": min_count}
                for k, c in zip(kind, bad["hubs"])
            ],
            "value": bad["hubs"].to_numpy(dtype=float),
            "threshold": float(min_count),
        }
    )


#: Built-in checks by name: ``check(g, **params) -> DataFrame(node, message, value,
#: threshold)`` with ``node`` as positions. A check may give ``key`` and ``ctx`` (a dict
#: per row) instead of ``message``: the words are then the catalog's ``labels.rules.<key>``
#: filled with ``ctx`` (codes shown by their labels), in the language asked for.
CHECKS: Mapping[str, Callable[..., pd.DataFrame]] = MappingProxyType(
    {
        "unit_has_org": _unit_has_org,
        "street_hub": _street_hub,
        "award_purchase_share": _award_purchase_share,
    }
)

#: The rules of the 2019 Wuhu report.
DEFAULT_RULES: tuple[Rule, ...] = (
    Rule(
        "award_purchase_share",
        "At least 50% of each demonstration-community award is spent on purchasing "
        "services from social organizations",
        "三社联动示范社区奖补资金至少50%用于购买社会组织服务",
        "award_purchase_share",
        MappingProxyType({"min_share": 0.5, "program_type": "demonstration_award"}),
    ),
    Rule(
        "street_hub",
        "Every urban street (township) has a hub organization of its own",
        "每个城市街道（乡镇）有1家枢纽型社区社会组织",
        "street_hub",
        MappingProxyType({"street_types": ALL_STREET_TYPES, "registered_only": False}),
    ),
    Rule(
        "district_center",
        "Every district (county) has an incubation center (the three-level platform)",
        "每个县区建立社会组织孵化培育中心（三级孵化平台）",
        "unit_has_org",
        MappingProxyType({"level": "district", "role": "center"}),
    ),
)


def _messages(found: pd.DataFrame, lang: str) -> np.ndarray:
    """The ``message`` of each violation in ``lang``: a check's own words, or its catalog
    ``key`` filled with ``ctx`` (code values such as levels and roles by their labels)."""
    if "key" not in found.columns:
        return found["message"].to_numpy(dtype=object)
    from ..catalog import VALUES_EN, VALUES_ZH, text

    values = VALUES_ZH if lang == "zh" else VALUES_EN

    def fill(ctx: dict) -> dict:
        return {k: values.get(v, v) if k in ("level", "role", "purpose") else v
                for k, v in ctx.items()}  # fmt: skip

    return np.array(
        [text(f"labels.rules.{k}", lang, **fill(c)) for k, c in zip(found["key"], found["ctx"])],
        dtype=object,
    )


def check_rules(
    g: CivicGraph, rules: Iterable[Rule | Mapping[str, Any]] | None = None, *, lang: str = "en"
) -> pd.DataFrame:
    """Every violation of the policy rules.

    Parameters
    ----------
    g : CivicGraph
    rules : iterable of Rule (or dicts with Rule's fields), optional
        Default :data:`DEFAULT_RULES`: the 50% purchase-of-services share of each
        demonstration award, a hub of its own in every street-level unit (街道, 镇, 乡), a
        center in every district.
    lang : {"en", "zh"}
        Language of the ``message`` column.

    Returns
    -------
    DataFrame
        One row per violation, in rule order then admin pre-order: ``rule`` (rule id),
        ``node`` (id of the unit at fault), ``name``, ``message``, ``value`` (what was
        found), ``threshold`` (what the rule asks).

    Raises
    ------
    SchemaError
        A rule names an unknown check or gives a parameter the check does not take.

    Notes
    -----
    Built-in checks (:data:`CHECKS`):

    ``unit_has_org(level, role, urban_only=False, min_count=1, as_of=None)``
        every unit of ``level`` (only urban units with ``urban_only``, see
        :func:`urban_units`) has at least ``min_count`` active organizations of ``role``
        located in it or in a unit under it. Value: the count.
    ``street_hub(street_types=("街道", "镇", "乡"), registered_only=False, min_count=1,
    as_of=None)``
        every street-level unit of ``street_types`` has at least ``min_count`` active hubs
        of its own (located in the street or one of its communities; registered ones only
        with ``registered_only``): the definition of :func:`~civicgraph.street_target`,
        so rule and target count the same streets. Value: the count.
    ``award_purchase_share(min_share=0.5, program_type="demonstration_award",
    purpose="purchase_of_services")``
        for each community and award program, ``spent / award ≥ min_share`` where
        ``award`` sums the program's ``awards`` edges to the community and ``spent`` sums
        the community's ``funds`` edges to organizations with that ``purpose`` and that
        ``program`` (spending with no ``program`` counts toward each award of the
        community). Value: the share.

    Examples
    --------
    >>> import pandas as pd
    >>> import civicgraph as cg
    >>> nodes = pd.DataFrame({
    ...     "id": ["C", "D1", "D2", "K"], "kind": ["admin", "admin", "admin", "org"],
    ...     "level": ["city", "district", "district", None],
    ...     "role": [None, None, None, "center"], "name": ["city", "east", "west", "center"],
    ... })
    >>> edges = pd.DataFrame({"source": ["C", "C", "K"], "target": ["D1", "D2", "D1"],
    ...                       "kind": ["contains", "contains", "located_in"]})
    >>> g = cg.CivicGraph.from_frames(nodes, edges)
    >>> cg.check_rules(g)[["rule", "node", "name", "value", "threshold"]]
                  rule node  name  value  threshold
    0  district_center   D2  west    0.0        1.0
    """
    rules = DEFAULT_RULES if rules is None else tuple(rules)
    frames = []
    for rule in rules:
        if isinstance(rule, Mapping):
            rule = Rule(**rule)
        if rule.check not in CHECKS:
            raise SchemaError(
                f"rule {rule.id!r} names an unknown check {rule.check!r}; "
                f"use one of {', '.join(CHECKS)}"
            )
        try:
            found = CHECKS[rule.check](g, **dict(rule.params))
        except TypeError as exc:
            raise SchemaError(
                f"rule {rule.id!r}: bad parameters for {rule.check!r}: {exc}"
            ) from None
        pos = found["node"].to_numpy(dtype=np.int64)
        frames.append(
            pd.DataFrame(
                {
                    "rule": rule.id,
                    "node": g.ids[pos],
                    "name": node_column(g, COL.NAME, at=pos),
                    "message": _messages(found, lang),
                    "value": found["value"].to_numpy(dtype=float),
                    "threshold": found["threshold"].to_numpy(dtype=float),
                }
            )
        )
    if not frames:
        return pd.DataFrame({c: [] for c in RULE_COLUMNS})
    return pd.concat(frames, ignore_index=True)[list(RULE_COLUMNS)]
