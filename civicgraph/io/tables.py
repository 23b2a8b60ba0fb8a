"""Writing result tables to xlsx or csv, safely.

Strings from registry data can start with ``=``, ``+``, ``-`` or ``@``; a spreadsheet
would run them as formulas. Every such string is written as text: in xlsx as a string cell
(with Excel's quote prefix), in csv prefixed with an apostrophe (the OWASP advice).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from .._errors import SchemaError

__all__ = ["FORMULA_PREFIXES", "neutralize", "write_table", "write_tables", "xlsx_text"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Control characters a workbook cannot hold (XML 1.0 forbids them).
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xlsx_text(text: str) -> str:
    r"""``text`` with the control characters a workbook cannot hold written out as
    ``\x1b`` (openpyxl refuses them; a terminal would run them).

    >>> print(xlsx_text("\x1b[31mred"))
    \x1b[31mred
    """
    return _ILLEGAL_XLSX.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def neutralize(value):
    """``value`` made safe for a csv cell: formula-like strings get a leading apostrophe.

    >>> neutralize("=1+1"), neutralize("-3"), neutralize("name"), neutralize(-3)
    ("'=1+1", "'-3", 'name', -3)
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_table(df: pd.DataFrame, path: str | os.PathLike, *, sheet: str = "data") -> Path:
    """Write one table to ``path`` (``.xlsx`` or ``.csv``, chosen by the suffix)."""
    return write_tables({sheet: df}, path)


def write_tables(tables: Mapping[str, pd.DataFrame], path: str | os.PathLike) -> Path:
    """Write tables to one workbook (a sheet each) or, for ``.csv``, one file (one table).

    The index is written as the first column when it is named (node ids).

    Raises
    ------
    SchemaError
        The suffix is neither ``.xlsx`` nor ``.csv``, or several tables go to one csv.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise SchemaError(f"cannot write {path.name}: give a file name ending in .xlsx or .csv")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        if len(tables) != 1:
            raise SchemaError("a csv file holds one table; write an .xlsx for several")
        (df,) = tables.values()
        out = _with_index(df)
        for col in out.columns:
            if out[col].dtype == object or out[col].dtype == "str":
                out[col] = out[col].astype(object).map(neutralize)
        out.to_csv(path, index=False, encoding="utf-8-sig")
        return path
    from openpyxl import Workbook
    from openpyxl.utils.dataframe import dataframe_to_rows

    wb = Workbook()
    wb.remove(wb.active)
    for name, df in tables.items():
        ws = wb.create_sheet(_sheet_name(name))
        out = _with_index(df)
        for r, row in enumerate(dataframe_to_rows(out, index=False, header=True), start=1):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                value = _cell_value(value)
                cell.value = xlsx_text(value) if isinstance(value, str) else value
                if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
                    cell.data_type = "s"  # text, never a formula
                    cell.quotePrefix = True
        ws.freeze_panes = "A2"
        for c, col in enumerate(out.columns, start=1):
            width = max([len(str(col))] + [len(str(v)) for v in out[col].head(200)]) + 2
            ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = min(width, 60)
    wb.save(path)
    return path


def _with_index(df: pd.DataFrame) -> pd.DataFrame:
    return df.reset_index() if df.index.name else df.reset_index(drop=True)


def _cell_value(value):
    if value is None or value is pd.NaT:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):
        return value.item()
    return value


def _sheet_name(name: str) -> str:
    bad = set("[]:*?/\\")
    return "".join("_" if ch in bad else ch for ch in str(name))[:31] or "data"
