"""Unit types and registration status, as the code rules and the registry give them.

Shared by the coverage, street-target, gaps, rules and summary metrics (docs/metrics.md,
"Unit types"). Each array is by node position and kept on the graph (the node table
alone decides it):

- street-level kind (``STREET_KINDS``): the node's ``street_kind`` where given, else
  digits 7-9 of a 9-digit code: 001-099 街道, 100-199 镇, 200-399 乡, 400+ other;
- county-level kind (``COUNTY_KINDS``): ``county_kind`` where given, else digits 5-6 of
  a 6-digit code: 01-20 市辖区, 21-70 县, 71-80 开发区 and similar, 81-99 县级市;
- registration status (``REGISTRATION_STATUSES``): ``registration`` where given, else
  registered when the credit code starts with 5 (registered by civil affairs), else
  unknown.

``-1`` marks a unit whose type neither its column nor its code gives (an id such as
``"S1"``), and other nodes.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .._errors import SchemaError
from ..io._codes import county_kind, street_kind
from ..io.registry.status import registration_values
from ..model import CivicGraph
from ..schema import (
    ADMIN_LEVELS,
    COL,
    COUNTY_KINDS,
    LABELS_ZH,
    NODE_KINDS,
    REGISTRATION_STATUSES,
    STREET_KINDS,
)
from ._units import labels

__all__ = [
    "ALL_STREET_TYPES",
    "city_district_communities",
    "county_kind_codes",
    "registered",
    "registration_codes",
    "street_kind_codes",
    "street_type_codes",
    "street_type_mask",
]

#: The report's 城市街道（乡镇）: every street-level unit (街道, 镇, 乡).
ALL_STREET_TYPES: tuple[str, ...] = ("街道", "镇", "乡")

_STREET = ADMIN_LEVELS.index("street")
_DISTRICT = ADMIN_LEVELS.index("district")


def _kind_codes(
    g: CivicGraph, column: str, level: int, kinds: tuple[str, ...], from_code, digits: int
) -> np.ndarray:
    """Index into ``kinds`` per node position for the admin units of ``level``: the
    column where given, else the kind the code gives (ids of ``digits`` digits)."""
    out = np.full(g.n_nodes, -1, dtype=np.int8)
    at = np.flatnonzero(g.level_codes == level)
    if not at.size:
        return out
    if column in g._nodes.columns:
        given = pd.Categorical(g._nodes[column].take(at).astype(object), categories=list(kinds))
        out[at] = given.codes
    todo = at[out[at] < 0]
    if todo.size:
        ids = pd.Series(g._nodes[COL.ID].take(todo).astype(str).to_numpy(), dtype=object)
        is_code = ids.str.fullmatch(rf"\d{{{digits}}}").fillna(False).to_numpy(dtype=bool)
        kind = pd.Categorical(from_code(ids[is_code]), categories=list(kinds))
        out[todo[is_code]] = kind.codes
    out.flags.writeable = False
    return out


def street_kind_codes(g: CivicGraph) -> np.ndarray:
    """Street-level kind per node position (index into ``STREET_KINDS``, -1: unknown)."""
    return labels(
        g,
        ("street-kind",),
        lambda: _kind_codes(g, COL.STREET_KIND, _STREET, STREET_KINDS, street_kind, 9),
    )


def county_kind_codes(g: CivicGraph) -> np.ndarray:
    """County-level kind per node position (index into ``COUNTY_KINDS``, -1: unknown)."""
    return labels(
        g,
        ("county-kind",),
        lambda: _kind_codes(g, COL.COUNTY_KIND, _DISTRICT, COUNTY_KINDS, county_kind, 6),
    )


def city_district_communities(g: CivicGraph) -> np.ndarray:
    """Bool per community rank (``tree.communities`` order): under a city district (市辖区,
    county digits 01-20). Communities under no county-level unit, or one of unknown type,
    are not (read-only)."""

    def compute():
        tree = g.tree
        districts = np.flatnonzero(county_kind_codes(g) == COUNTY_KINDS.index("city_district"))
        inside = np.zeros(tree.n_communities + 1, dtype=np.int32)
        np.add.at(inside, tree.comm_lo[districts], 1)
        np.subtract.at(inside, tree.comm_hi[districts], 1)
        out = np.cumsum(inside)[:-1] > 0
        out.flags.writeable = False
        return out

    return labels(g, ("city-district-communities",), compute)


def street_type_mask(g: CivicGraph, street_types: Iterable[str] | None) -> np.ndarray:
    """Bool per node position: street-level units of one of ``street_types`` (Chinese
    names 街道/镇/乡/其他 or the codes of ``STREET_KINDS``). Streets whose type is unknown
    are kept whatever the types (the option leaves out only what it recognises);
    ``None``: every street-level unit.

    Raises :class:`SchemaError` naming the accepted values for anything else.
    """
    street = g.level_codes == _STREET
    if street_types is None:
        return street
    wanted = street_type_codes(street_types)
    kind = street_kind_codes(g)
    return street & ((kind < 0) | np.isin(kind, wanted))


def street_type_codes(street_types: Iterable[str]) -> list[int]:
    """Indices into ``STREET_KINDS`` of the types given (Chinese names or codes)."""
    if isinstance(street_types, str):
        street_types = (street_types,)
    by_name = {LABELS_ZH[k]: i for i, k in enumerate(STREET_KINDS)}
    by_name.update({k: i for i, k in enumerate(STREET_KINDS)})
    out, bad = [], []
    for t in street_types:
        (out if t in by_name else bad).append(by_name.get(t, t))
    if bad:
        accepted = ", ".join([*(LABELS_ZH[k] for k in STREET_KINDS), *STREET_KINDS])
        raise SchemaError(f"unknown street type(s) {bad}; use any of {accepted}")
    return out


def registration_codes(g: CivicGraph) -> np.ndarray:
    """Registration status per node position: index into ``REGISTRATION_STATUSES``
    (0 registered 登记, 1 filed 备案), -1 unknown and for nodes that are no organization.

    The ``registration`` column where given (``registered`` / ``filed``, or the words a
    registry may use: 登记, 备案, ...); else registered when the credit code starts with
    ``5`` (the registering department is civil affairs).
    """

    def compute():
        out = np.full(g.n_nodes, -1, dtype=np.int8)
        nodes = g._nodes
        if COL.REGISTRATION in nodes.columns:
            # each distinct value read once, as the registry reader reads it (登记, 备案, ...)
            codes, distinct = pd.factorize(nodes[COL.REGISTRATION].astype(object))
            status, _ = registration_values(pd.Series(distinct, dtype=object))
            known = pd.Categorical(status, categories=list(REGISTRATION_STATUSES)).codes
            out[codes >= 0] = known[codes[codes >= 0]]
        if COL.CREDIT_CODE in nodes.columns:
            todo = np.flatnonzero(out < 0)
            code = nodes[COL.CREDIT_CODE].take(todo).astype("string").str.strip()
            five = code.str.startswith("5").fillna(False).to_numpy(dtype=bool)
            out[todo[five]] = REGISTRATION_STATUSES.index("registered")
        out[g.kind_codes != NODE_KINDS.index("org")] = -1
        out.flags.writeable = False
        return out

    return labels(g, ("registration",), compute)


def registered(g: CivicGraph) -> np.ndarray:
    """Bool per node position: a registered (登记) organization."""
    return registration_codes(g) == REGISTRATION_STATUSES.index("registered")
