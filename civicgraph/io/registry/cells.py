"""Step 3 of reading a registry, the cells: a sheet's raw cells as typed values, and the
problems of those that cannot be read (a date, an amount, a yes/no value, a year, a
coded value such as a role).

Interface, each ``(sheet, column, problems) -> pd.Series`` on a :class:`~.files._Sheet`:
:func:`_column` (text, ids normalized), :func:`_coded`, :func:`_dates`, :func:`_amounts`,
:func:`_booleans`, :func:`_years`; :func:`_extras` types the columns civicgraph does not
know; :func:`_text` is :func:`_column` on a plain series.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...schema import COL
from .._values import fold, normalize_id, parse_amount, parse_date
from .files import _blank, _Sheet


def _text(values: pd.Series, ids: bool = False) -> pd.Series:
    """Cells as text (``None`` for blanks); numbers lose a ``.0`` (codes typed as numbers)."""

    def one(x):
        if type(x) is str:
            x = x.strip()
            if not x:
                return None
            return normalize_id(x) if ids and not x.isascii() else x
        if _blank(x):
            return None
        if isinstance(x, float) and x.is_integer():
            x = int(x)
        return normalize_id(x) if ids else str(x).strip()

    return pd.Series([one(x) for x in values], index=values.index, dtype=object)


def _column(sh: _Sheet, col: str, ids: bool = False) -> pd.Series:
    if col not in sh.frame:
        return pd.Series([None] * len(sh.frame), index=sh.frame.index, dtype=object)
    return _text(sh.frame[col], ids)


def _each(values, parse) -> tuple[list, list[int]]:
    """``parse`` over cells, once per distinct value; ``None`` results mark bad cells."""
    cache: dict = {}
    out, bad = [], []
    for i, x in enumerate(values):
        key = (type(x), x)
        if key not in cache:
            cache[key] = parse(x)
        v = cache[key]
        if v is None:
            bad.append(i)
        out.append(v)
    return out, bad


def _coded(sh, col, lookup, problems, *, what, choices, code) -> pd.Series:
    text = _column(sh, col)
    out, bad = _each(text, lambda x: "" if x is None else lookup.get(fold(x)))
    for i in bad:
        problems.append(
            sh.problem(
                i,
                col,
                value=text.iat[i],
                code=code,
                template="unknown_value",
                what=what,
                choices=list(choices),
            )
        )
    return pd.Series([v or None for v in out], index=text.index, dtype=object)


def _dates(sh: _Sheet, col: str, problems) -> pd.Series:
    raw = sh.frame[col] if col in sh.frame else [None] * len(sh.frame)
    out, bad = _each(raw, parse_date)
    for i in bad:
        problems.append(sh.problem(i, col, value=raw[i], code="bad_date"))
        out[i] = pd.NaT
    values = np.array([np.datetime64("NaT") if v is pd.NaT else v.to_datetime64() for v in out])
    return pd.Series(values.astype("datetime64[ns]"), index=sh.frame.index)


def _amounts(sh: _Sheet, problems) -> pd.Series:
    n = len(sh.frame)
    out = np.full(n, np.nan)
    for col, wan in ((COL.AMOUNT, False), ("amount_wan", True)):
        if col not in sh.frame:
            continue
        raw = sh.frame[col]
        values, bad = _each(raw, lambda x, wan=wan: parse_amount(x, wan=wan))
        values = np.array([np.nan if v is None else v for v in values], dtype=float)
        todo = np.isnan(out)
        out[todo] = values[todo]
        for i in bad:
            if todo[i]:
                problems.append(sh.problem(i, col, value=raw.iat[i], code="not_a_number"))
    if "amount_wan" in sh.frame and COL.AMOUNT not in sh.headers:
        sh.headers[COL.AMOUNT] = sh.headers["amount_wan"]
    return pd.Series(out, index=sh.frame.index)


def _extra(values: pd.Series) -> pd.Series:
    """An extra column with one dtype: boolean, float, datetime or text."""
    present = [x for x in values if not _blank(x)]
    if present and all(isinstance(x, bool) for x in present):
        return values.map(lambda x: None if _blank(x) else x).astype("boolean")
    if present and all(isinstance(x, int | float) and not isinstance(x, bool) for x in present):
        return pd.to_numeric(values.map(lambda x: np.nan if _blank(x) else x)).astype("float64")
    if present and all(
        isinstance(x, pd.Timestamp | np.datetime64) or hasattr(x, "isoformat") for x in present
    ):
        return pd.to_datetime(values.map(lambda x: pd.NaT if _blank(x) else x)).astype(
            "datetime64[ns]"
        )
    return _text(values).astype("str")


_TRUE = {"true", "1", "yes", "y", "是", "对", "t"}
_FALSE = {"false", "0", "no", "n", "否", "f"}


def _booleans(sh: _Sheet, col: str, problems) -> pd.Series:
    out = []
    for i, x in enumerate(sh.frame[col]):
        if _blank(x):
            out.append(None)
        elif isinstance(x, bool):
            out.append(x)
        elif fold(x) in _TRUE or fold(x) in _FALSE:
            out.append(fold(x) in _TRUE)
        else:
            problems.append(sh.problem(i, col, value=x, code="not_a_boolean"))
            out.append(None)
    return pd.Series(out, index=sh.frame.index, dtype="boolean")


def _years(sh: _Sheet, col: str, problems) -> pd.Series:
    out = []
    for i, x in enumerate(sh.frame[col]):
        v = parse_amount(x)
        if v is None or (v == v and not float(v).is_integer()):
            problems.append(sh.problem(i, col, value=x, code="not_a_year"))
            v = np.nan
        out.append(v)
    return pd.Series(out, index=sh.frame.index, dtype="float64").astype("Int64")


def _extras(sh: _Sheet, known: tuple[str, ...], problems) -> dict[str, pd.Series]:
    out = {}
    for col in sh.frame.columns:
        if col in known or col == "amount_wan":
            continue
        if col == COL.SYNTHETIC:
            out[col] = _booleans(sh, col, problems)
        elif col in (COL.REGISTRAR, COL.REGISTRAR_LEVEL, COL.NOTE, COL.SOURCE_REF):
            out[col] = _column(sh, col).astype("str")
        else:
            out[col] = _extra(sh.frame[col])
    return out
