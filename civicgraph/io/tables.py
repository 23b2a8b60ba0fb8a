"""Writing result tables to xlsx or csv, safely and ready to read.

Strings from registry data can start with ``=``, ``+``, ``-`` or ``@``; a spreadsheet
would run them as formulas. Every text-like cell (strings, categoricals, objects, the
index) is written as text: in xlsx as a string cell with Excel's quote prefix (never a
formula, even after the cell is edited), in csv prefixed with an apostrophe (the OWASP
advice). Characters a workbook cannot hold (control characters, U+FFFE, U+FFFF, lone
surrogates) are written out as ``\\x..`` / ``\\u....``; line breaks (``\\r\\n``) are kept.

Workbooks are written with xlsxwriter: the header row frozen with an autofilter, column
widths fitted to the text (a Chinese character counts twice), and number formats by
column (``formats``: e.g. ``{"share": "0.0%"}`` shows 0.2406 as 24.1%).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .._errors import SchemaError

__all__ = ["FORMULA_PREFIXES", "neutralize", "write_table", "write_tables", "xlsx_text"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Characters a workbook cannot hold (XML 1.0 forbids them), line breaks and tabs aside.
_ILLEGAL_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: Widest column, in characters.
MAX_WIDTH = 60


def xlsx_text(text: str) -> str:
    r"""``text`` with the characters a workbook cannot hold written out as ``\x1b`` or
    ``\ufffe`` (Excel refuses to open a file with them; a terminal would run them).
    Line breaks and tabs are kept.

    >>> print(xlsx_text("\x1b[31mred"), xlsx_text("a\ufffeb"))
    \x1b[31mred a\ufffeb
    >>> xlsx_text("line 1\r\nline 2")
    'line 1\r\nline 2'
    """

    def shown(m: re.Match) -> str:
        n = ord(m.group())
        return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"

    return _ILLEGAL_XLSX.sub(shown, text)


def neutralize(value):
    """``value`` made safe for a csv cell: formula-like strings get a leading apostrophe,
    characters no file should hold are written out (see :func:`xlsx_text`).

    >>> neutralize("=1+1"), neutralize("-3"), neutralize("name"), neutralize(-3)
    ("'=1+1", "'-3", 'name', -3)
    """
    if not isinstance(value, str):
        return value
    value = xlsx_text(value)
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_table(
    df: pd.DataFrame,
    path: str | os.PathLike,
    *,
    sheet: str = "data",
    formats: Mapping[str, str] | None = None,
) -> Path:
    """Write one table to ``path`` (``.xlsx`` or ``.csv``, chosen by the suffix).

    >>> import tempfile, pandas as pd
    >>> df = pd.DataFrame({"n": pd.Categorical(["=1+1"])})
    >>> with tempfile.TemporaryDirectory() as d:
    ...     print(write_table(df, f"{d}/x.csv").read_text(encoding="utf-8-sig"))
    n
    '=1+1
    <BLANKLINE>
    """
    return write_tables({sheet: df}, path, formats=formats)


def write_tables(
    tables: Mapping[str, pd.DataFrame],
    path: str | os.PathLike,
    *,
    formats: Mapping[str, str] | None = None,
) -> Path:
    """Write tables to one workbook (a sheet each) or, for ``.csv``, one file (one table).

    The index is written as the first column when it is named (node ids). Missing values
    (None, NaN, NaT, pd.NA) are blank cells.

    Parameters
    ----------
    tables : mapping of sheet name to DataFrame
    path : path-like
    formats : mapping of column header to Excel number format, optional
        e.g. ``{"share": "0.0%", "amount": "#,##0"}`` (xlsx only; csv holds the values).

    Raises
    ------
    SchemaError
        The suffix is neither ``.xlsx`` nor ``.csv``, or several tables go to one csv.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise SchemaError.from_catalog("errors.tables.suffix", name=path.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        if len(tables) != 1:
            raise SchemaError.from_catalog("errors.tables.one_csv")
        (df,) = tables.values()
        out = _with_index(df)
        out.columns = [neutralize(str(c)) for c in out.columns]
        for col in out.columns:
            if _text_like(out[col]):
                out[col] = out[col].astype(object).map(neutralize)
        out.to_csv(path, index=False, encoding="utf-8-sig")
        return path
    _write_xlsx(tables, path, dict(formats or {}))
    return path


def _write_xlsx(tables: Mapping[str, pd.DataFrame], path: Path, formats: dict) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": True},
    )
    head = wb.add_format({"bold": True, "bg_color": "#EEEEEE", "border": 1, "text_wrap": True})
    text = wb.add_format({"quote_prefix": True})
    wrap = wb.add_format({"quote_prefix": True, "text_wrap": True})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    number_formats: dict[str, object] = {}
    used: set[str] = set()
    for name, df in tables.items():
        ws = wb.add_worksheet(_sheet_name(name, used))
        out = _with_index(df)
        n_rows, n_cols = out.shape
        widths = []
        for c, col in enumerate(out.columns):
            header = xlsx_text(str(col))
            ws.write_string(0, c, header, head)
            fmt_code = formats.get(str(col))
            if fmt_code is not None and fmt_code not in number_formats:
                number_formats[fmt_code] = wb.add_format({"num_format": fmt_code})
            num = number_formats.get(fmt_code) if fmt_code else None
            series = out[col]
            width = _width(header)
            if _plain_number(series):  # the fast path: no per-cell type dispatch
                values = series.to_numpy(dtype=float, na_value=np.nan)
                for r in np.flatnonzero(np.isfinite(values)):
                    ws.write_number(int(r) + 1, c, float(values[r]), num)
                finite = values[np.isfinite(values)]
                for v in (finite.min(), finite.max()) if finite.size else ():
                    width = max(width, _number_width(float(v), fmt_code))
                widths.append(min(width + 2, MAX_WIDTH))
                continue
            for r, value in enumerate(series.tolist(), start=1):
                value = _cell_value(value)
                if value is None:
                    continue
                if isinstance(value, str):
                    if not value:
                        continue
                    value = xlsx_text(value)
                    long = "\n" in value or (
                        len(value) > MAX_WIDTH // 2 and _width(value) > MAX_WIDTH
                    )
                    ws.write_string(r, c, value, wrap if long else text)
                    if r <= 500:
                        width = max(width, _width(value))
                elif isinstance(value, bool):
                    ws.write_boolean(r, c, value)
                elif isinstance(value, int | float):
                    ws.write_number(r, c, value, num)
                    if r <= 500:
                        width = max(width, _number_width(value, fmt_code))
                elif isinstance(value, dt.datetime | dt.date):
                    ws.write_datetime(r, c, value, date)
                    width = max(width, 10)
                else:
                    shown = xlsx_text(str(value))
                    ws.write_string(r, c, shown, text)
                    if r <= 500:
                        width = max(width, _width(shown))
            widths.append(min(width + 2, MAX_WIDTH))
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        if n_cols:
            ws.freeze_panes(1, 0)
            ws.autofilter(0, 0, max(n_rows, 1), n_cols - 1)
    if not tables:
        wb.add_worksheet("data")
    wb.close()


def _plain_number(s: pd.Series) -> bool:
    """A numeric column (not boolean, not categorical): written without per-cell checks."""
    return (
        pd.api.types.is_numeric_dtype(s)
        and not pd.api.types.is_bool_dtype(s)
        and not isinstance(s.dtype, pd.CategoricalDtype)
    )


def _text_like(s: pd.Series) -> bool:
    """Whether a column may hold strings: object, string or categorical (of anything)."""
    return not (
        pd.api.types.is_numeric_dtype(s)
        or pd.api.types.is_bool_dtype(s)
        or pd.api.types.is_datetime64_any_dtype(s)
    ) or isinstance(s.dtype, pd.CategoricalDtype)


def _width(text: str) -> int:
    """Display width of the longest line of ``text`` (East Asian characters count 2)."""
    import unicodedata

    return max(
        (sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
         for line in text.splitlines() or [""]),
        default=0,
    )  # fmt: skip


def _number_width(value: float, fmt: str | None) -> int:
    if fmt and fmt.endswith("%"):
        return len(f"{100 * value:.1f}%")
    if isinstance(value, int) or float(value).is_integer():
        return len(f"{value:,.0f}")
    return len(f"{value:,.2f}")


def _with_index(df: pd.DataFrame) -> pd.DataFrame:
    return df.reset_index() if df.index.name else df.reset_index(drop=True)


def _cell_value(value):
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float | np.floating) and np.isnan(value):
        return None
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _sheet_name(name: str, used: set[str]) -> str:
    bad = set("[]:*?/\\")
    base = xlsx_text("".join("_" if ch in bad else ch for ch in str(name))).strip("'")[:31]
    base = base or "data"
    out, k = base, 1
    while out.lower() in used:
        k += 1
        out = f"{base[: 31 - len(str(k)) - 1]}_{k}"
    used.add(out.lower())
    return out
