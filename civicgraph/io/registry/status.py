"""Two readings a registry reader checks against the code rules: an organization's
registration status (登记 or 备案) and a community's ``urban`` flag.

Self-contained steps with a small interface, called from the registry reader:

- :func:`registration_status` reads the ``registration`` column of the organizations
  sheet (headers 登记状态, 登记备案, ...; values 登记 / 备案 and their aliases,
  ``schema.REGISTRATION_ALIASES``) into ``registered`` / ``filed`` / missing, with a
  problem for each value it does not know;
- :func:`urban_problems` reports every community whose given ``urban`` contradicts its
  code (001-199 a resident committee, 200 and above a village committee).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..._errors import Problem
from ...schema import COL, LABELS_ZH, REGISTRATION_ALIASES, REGISTRATION_STATUSES
from .._values import alias_lookup, fold

__all__ = ["registration_status", "registration_values", "urban_problems"]

_LOOKUP = alias_lookup(
    {s: REGISTRATION_ALIASES.get(s, ()) for s in REGISTRATION_STATUSES}, LABELS_ZH
)


def registration_values(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Registration statuses of raw cells: ``registered``, ``filed`` or missing (blank),
    and the row numbers of cells that are none of these.

    >>> status, bad = registration_values(pd.Series(["登记", "已备案", None, "filed", "?"]))
    >>> status.tolist(), bad.tolist()
    (['registered', 'filed', None, 'filed', None], [4])
    """
    cells = [None if pd.isna(x) or not str(x).strip() else x for x in values.astype(object)]
    found = [None if x is None else _LOOKUP.get(fold(x)) for x in cells]
    bad = np.flatnonzero([x is not None and f is None for x, f in zip(cells, found)])
    return pd.Series(found, index=values.index, dtype=object), bad


def registration_status(sh, problems: list[Problem]) -> pd.Series:
    """The ``registration`` column of a registry sheet ``sh`` (missing where the sheet has
    none), each unknown value a problem (code ``unknown_registration``) in ``problems``."""
    if COL.REGISTRATION not in sh.frame:
        return pd.Series(pd.NA, index=sh.frame.index, dtype="str")
    raw = sh.frame[COL.REGISTRATION]
    status, bad = registration_values(raw)
    for i in bad:
        problems.append(
            sh.problem(int(i), COL.REGISTRATION, value=raw.iat[i], code="unknown_registration")
        )
    return status.astype("str")


def urban_problems(nodes: pd.DataFrame) -> list[Problem]:
    """A problem (code ``urban_contradicts_code``) for each community of ``nodes`` (a node
    table) whose given ``urban`` says the opposite of its 12-digit code: codes 001-199
    are resident committees (urban), 200 and above village committees."""
    if COL.URBAN not in nodes or COL.LEVEL not in nodes:
        return []
    given = nodes[COL.URBAN].astype("boolean")
    ids = nodes[COL.ID].astype("string")
    community = (nodes[COL.LEVEL].astype("string") == "community").fillna(False)
    coded = ids.str.fullmatch(r"\d{12}").fillna(False)
    rows = np.flatnonzero((community & coded & given.notna()).to_numpy(dtype=bool))
    if not rows.size:
        return []
    suffix = pd.to_numeric(ids.iloc[rows].str[9:12]).to_numpy()
    by_code = suffix <= 199
    out = []
    for i in rows[given.iloc[rows].to_numpy(dtype=bool) != by_code]:
        where = {
            "file": _cell(nodes, "src_file", i),
            "sheet": _cell(nodes, "src_sheet", i) or "divisions",
            "row": _cell(nodes, "src_row", i),
        }
        urban = bool(given.iat[i])
        out.append(
            Problem(
                column=COL.URBAN,
                value=urban,
                code="urban_contradicts_code",
                template="urban_contradicts_code.village"
                if urban
                else "urban_contradicts_code.resident",
                ctx={"community": ids.iat[i]},
                **where,
            )
        )
    return out


def _cell(nodes: pd.DataFrame, column: str, i: int):
    if column not in nodes:
        return None
    value = nodes[column].iat[i]
    return None if pd.isna(value) else (int(value) if column == "src_row" else str(value))
