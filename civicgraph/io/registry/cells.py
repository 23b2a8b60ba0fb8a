"""Step 3 of reading a registry, the cells: a sheet's raw cells as typed values, and the
problems of those that cannot be read (a date, an amount, a yes/no value, a year, a
coded value such as a role).

Interface, each ``(sheet, column, problems) -> pd.Series`` on a :class:`~.files._Sheet`:
:func:`_column` (text, ids normalized), :func:`_coded`, :func:`_dates`, :func:`_amounts`,
:func:`_booleans`, :func:`_years`; :func:`_extras` types the columns civicgraph does not
know; :func:`_text` is :func:`_column` on a plain series.
"""

from __future__ import annotations

from datetime import date, time

import numpy as np
import pandas as pd

from ...model._columns import _str_array
from ...schema import COL
from .._values import (
    _INVISIBLE,
    DATE_MAX,
    DATE_MIN,
    NO_END,
    fold,
    invisible,
    normalize_id,
    read_amount,
    read_date,
)
from .files import _blank, _blank_mask, _Sheet


def _text(values: pd.Series, ids: bool = False) -> pd.Series:
    """Cells as text (``None`` for blanks); numbers lose a ``.0`` (codes typed as numbers)."""
    cells = values.to_numpy(dtype=object)
    if set(map(type, cells)) <= _TEXT_TYPES:  # (most columns: one pass, no call per cell)
        out = [None if x is None else x.strip() or None for x in cells]
        if ids and not "".join(filter(None, out)).isascii():  # (ids: mostly ASCII)
            out = [x if x is None or x.isascii() else normalize_id(x) for x in out]
        return pd.Series(out, index=values.index, dtype=object)

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

    return pd.Series([one(x) for x in cells], index=values.index, dtype=object)


_TEXT_TYPES = frozenset({str, type(None)})


def _as_str(values: pd.Series) -> pd.Series:
    """A column of text cells (``None`` for blanks) as pandas ``str``, built in Arrow."""
    return pd.Series(_str_array(values.to_numpy(dtype=object)), index=values.index)


def _column(sh: _Sheet, col: str, ids: bool = False, problems=None) -> pd.Series:
    """A column as text; with ``problems``, cells holding invisible characters (removed
    from ids, see :func:`~civicgraph.io._values.normalize_id`) are reported. The text is
    worked out once per sheet and column (a sheet's columns are read several times)."""
    if col not in sh.frame:
        return pd.Series([None] * len(sh.frame), index=sh.frame.index, dtype=object)
    if sh.texts.get(None) is not sh.frame:  # (a renamed frame is a new one)
        sh.texts = {None: sh.frame}
    out = sh.texts.get((col, ids))
    if out is None:
        out = sh.texts[(col, ids)] = _text(sh.frame[col], ids)
    if problems is not None:
        raw = sh.frame[col].to_numpy(dtype=object)
        texts = (
            filter(None, raw)
            if set(map(type, raw)) <= _TEXT_TYPES
            else (x for x in raw if type(x) is str)
        )
        if not _INVISIBLE.search("\n".join(texts)):  # one search for the whole column
            return out.copy()
        odd = [i for i, x in enumerate(raw) if type(x) is str and not x.isascii() and invisible(x)]
        for i in odd:
            problems.append(
                sh.problem(
                    i,
                    col,
                    value=out.iat[i],
                    code="invisible_character",
                    chars=", ".join(dict.fromkeys(invisible(raw[i]))),
                )
            )
    return out.copy()


def _distinct(values) -> tuple[np.ndarray, list]:
    """Each cell's position among the distinct cells, and those cells. Cells are told
    apart by type too (``1``, ``1.0`` and ``True`` are three cells, ``"1"`` a fourth)."""
    values = np.asarray(values, dtype=object)
    types = set(map(type, values)) - {type(None)}
    if not types and len(values):  # all blank (an end date column left empty)
        return np.zeros(len(values), dtype=np.intp), [None]
    if len(types) == 1 and float not in types:  # one type besides blanks: hashed in C
        codes, uniques = pd.factorize(values)  # (blanks: -1, then the last entry)
        distinct = [*uniques.tolist(), None]
        return np.where(codes < 0, len(distinct) - 1, codes), distinct
    keys = list(zip(map(type, values), values))
    index = dict.fromkeys(keys)
    for i, key in enumerate(index):
        index[key] = i
    codes = np.fromiter(map(index.__getitem__, keys), dtype=np.intp, count=len(keys))
    return codes, [x for _, x in index]


def _parsed(values, parse) -> tuple[np.ndarray, list]:
    """``parse`` over the distinct cells of ``values``: each cell's position in the
    results, and the results."""
    codes, distinct = _distinct(values)
    return codes, [parse(x) for x in distinct]


def _each(values, parse) -> tuple[list, list[int]]:
    """``parse`` over cells, once per distinct value; ``None`` results mark bad cells."""
    codes, results = _parsed(values, parse)
    bad = np.array([v is None for v in results], dtype=bool)
    out = [results[i] for i in codes.tolist()]
    return out, np.flatnonzero(bad[codes]).tolist()


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


#: Problem code and catalog template of each reason a date is refused (see read_date).
_DATE_PROBLEMS = {
    "bad": ("bad_date", None),
    "short_year": ("bad_date", "bad_date.short_year"),
    "excel_1900": ("bad_date", "bad_date.excel_1900"),
    "no_end": ("date_out_of_range", "date_out_of_range.no_end"),
    "range": ("date_out_of_range", None),
    "ambiguous": ("ambiguous_date", None),
}


def _dates(sh: _Sheet, col: str, problems) -> pd.Series:
    """A date column (see :func:`~civicgraph.io._values.read_date`); in an end column
    9999-12-31 (the 长期 placeholder) is no end."""
    raw = sh.frame[col] if col in sh.frame else pd.Series([None] * len(sh.frame), dtype=object)
    codes, distinct = _distinct(raw.to_numpy(dtype=object))
    stamps, why = _days(distinct)
    refused = np.array([w is not None and not (w == "no_end" and col == COL.END) for w in why])
    for i in np.flatnonzero(refused[codes]) if len(distinct) else ():
        code, template = _DATE_PROBLEMS[why[codes[i]]]
        problems.append(
            sh.problem(
                i,
                col,
                value=raw.iat[i],
                code=code,
                template=template,
                low=str(DATE_MIN.date()),
                high=str(DATE_MAX.date()),
            )
        )
    return pd.Series(stamps[codes], index=sh.frame.index)


def _days(cells: list) -> tuple[np.ndarray, list]:
    """:func:`~civicgraph.io._values.read_date` of each cell: the dates (NaT where none)
    and the reasons (``None`` where read). Date cells (what a workbook's date cells are)
    are read at once by numpy, by read_date's rules: 9999-12-31 is ``no_end``, a date
    outside DATE_MIN .. DATE_MAX ``range``."""
    stamps = np.full(len(cells), np.datetime64("NaT"), dtype="datetime64[ns]")
    why: list = [None] * len(cells)
    plain = [k for k, x in enumerate(cells) if type(x) is date]
    if plain:
        days = np.array([cells[k] for k in plain], dtype="datetime64[D]")
        no_end = days == np.datetime64(NO_END)
        outside = (days < np.datetime64(DATE_MIN.date())) | (days > np.datetime64(DATE_MAX.date()))
        ok = ~no_end & ~outside
        at = np.asarray(plain)
        stamps[at[ok]] = days[ok].astype("datetime64[ns]")
        for k in at[no_end]:
            why[k] = "no_end"
        for k in at[outside & ~no_end]:
            why[k] = "range"
    for k in (k for k, x in enumerate(cells) if type(x) is not date):
        v, why[k] = read_date(cells[k])
        if v is not None and v is not pd.NaT:
            stamps[k] = v.to_datetime64()
    return stamps, why


#: Problem template of each reason an amount is refused (see read_amount).
_AMOUNT_TEMPLATES = {
    "bad": None,
    "separator": "not_a_number.separator",
    "too_large": "not_a_number.too_large",
}


def _amounts(sh: _Sheet, problems, *, required: bool = False) -> pd.Series:
    """Amounts in yuan from ``amount`` or ``amount_wan``; ``required``: a row with
    neither is a problem (``missing_amount``)."""
    n = len(sh.frame)
    out = np.full(n, np.nan)
    seen = False
    for col, wan in ((COL.AMOUNT, False), ("amount_wan", True)):
        if col not in sh.frame:
            continue
        seen = True
        raw = sh.frame[col]
        codes, results = _parsed(raw.to_numpy(dtype=object), lambda x, w=wan: read_amount(x, wan=w))
        amount = np.array([np.nan if v is None else v for v, _ in results], dtype=float)
        refused = np.array([v is None for v, _ in results], dtype=bool)[codes]
        todo = np.isnan(out)
        for i in np.flatnonzero(todo & refused):
            problems.append(
                sh.problem(
                    i,
                    col,
                    value=raw.iat[i],
                    code="not_a_number",
                    template=_AMOUNT_TEMPLATES[results[codes[i]][1]],
                )
            )
        take = todo & ~refused
        out[take] = amount[codes][take]
    if "amount_wan" in sh.frame and COL.AMOUNT not in sh.headers:
        sh.headers[COL.AMOUNT] = sh.headers["amount_wan"]
    if required and seen:  # a missing column is reported once, as missing_column
        given = np.zeros(n, dtype=bool)
        for col in (COL.AMOUNT, "amount_wan"):
            if col in sh.frame:
                given |= ~_blanks(sh.frame[col])
        for i in np.flatnonzero(~given):
            problems.append(sh.problem(i, COL.AMOUNT, code="missing_amount"))
    return pd.Series(out, index=sh.frame.index)


def _blanks(values: pd.Series) -> np.ndarray:
    """:func:`~.files._blank` of each cell."""
    return _blank_mask(values.to_numpy(dtype=object))


def _extra(values: pd.Series) -> pd.Series:
    """An extra column with one dtype: boolean, float, datetime or text. Date cells
    outside the dates a graph holds (9999-12-31 as 长期, 1600-01-01) keep the column as
    ISO text: never wrapped around, never lost."""
    present = [x for x in values if not _blank(x)]
    if present and all(isinstance(x, bool) for x in present):
        return values.map(lambda x: None if _blank(x) else x).astype("boolean")
    if present and all(isinstance(x, int | float) and not isinstance(x, bool) for x in present):
        return pd.to_numeric(values.map(lambda x: np.nan if _blank(x) else x)).astype("float64")
    if present and all(isinstance(x, pd.Timestamp | np.datetime64 | date) for x in present):
        stamps = [pd.Timestamp(x) for x in present]
        if all(DATE_MIN <= t <= DATE_MAX + pd.Timedelta(days=1) for t in stamps):
            return pd.Series(
                [pd.NaT if _blank(x) else pd.Timestamp(x).as_unit("ns") for x in values],
                index=values.index,
                dtype="datetime64[ns]",
            )
        return values.map(lambda x: None if _blank(x) else _iso(x)).astype("str")
    if present and all(isinstance(x, time) for x in present):  # time-of-day cells
        return values.map(lambda x: None if _blank(x) else x.isoformat()).astype("str")
    return _as_str(_text(values))


def _iso(x) -> str:
    """A date cell as ISO text, the time left out at midnight."""
    text = x.isoformat()
    return text.removesuffix("T00:00:00")


_TRUE = {"true", "1", "yes", "y", "是", "对", "t"}
_FALSE = {"false", "0", "no", "n", "否", "f"}


def _boolean(x) -> bool | None:
    """A yes/no cell as a bool, ``None`` for a blank; ``...`` when it says neither."""
    if _blank(x):
        return None
    if isinstance(x, bool):
        return x
    word = fold(x)
    return True if word in _TRUE else False if word in _FALSE else ...


def _booleans(sh: _Sheet, col: str, problems) -> pd.Series:
    codes, results = _parsed(sh.frame[col].to_numpy(dtype=object), _boolean)
    refused = np.array([v is ... for v in results], dtype=bool)
    for i in np.flatnonzero(refused[codes]):
        problems.append(sh.problem(i, col, value=sh.frame[col].iat[i], code="not_a_boolean"))
    out = np.array([None if v is ... else v for v in results], dtype=object)
    return pd.Series(out[codes], index=sh.frame.index, dtype="boolean")


def _year(x) -> float | None:
    """A whole year from 1000 to 9999, ``nan`` for a blank, ``None`` for anything else."""
    v, _ = read_amount(x)
    if v is None or (v == v and not (float(v).is_integer() and 1000 <= v <= 9999)):
        return None
    return v


def _years(sh: _Sheet, col: str, problems) -> pd.Series:
    """Whole years from 1000 to 9999 (``not_a_year`` otherwise: ``1e30``, ``2019.5``)."""
    codes, results = _parsed(sh.frame[col].to_numpy(dtype=object), _year)
    for i in np.flatnonzero(np.array([v is None for v in results], dtype=bool)[codes]):
        problems.append(sh.problem(i, col, value=sh.frame[col].iat[i], code="not_a_year"))
    out = np.array([np.nan if v is None else v for v in results], dtype="float64")
    return pd.Series(out[codes], index=sh.frame.index, dtype="float64").astype("Int64")


def _extras(sh: _Sheet, known: tuple[str, ...], problems) -> dict[str, pd.Series]:
    out = {}
    for col in sh.frame.columns:
        if col in known or col == "amount_wan":
            continue
        if col == COL.SYNTHETIC:
            out[col] = _booleans(sh, col, problems)
        elif col in (COL.REGISTRAR, COL.REGISTRAR_LEVEL, COL.NOTE, COL.SOURCE_REF):
            out[col] = _as_str(_column(sh, col))
        else:
            out[col] = _extra(sh.frame[col])
    return out
