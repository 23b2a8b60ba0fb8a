"""The graph's column plumbing, not its API: canonical dtypes for node and edge
tables, categoricals built from codes without pandas' hash tables, Arrow strings,
and plain Python values for networkx.

Interface: :func:`_normalize` (a table with canonical columns and dtypes),
:func:`_convert` (one column to a dtype), :func:`_categorical`, :func:`_from_codes`,
:func:`_unique_categories`, :func:`_arrow_strings`, :func:`_records` (rows as dicts).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from .._errors import SchemaError
from ..schema import COL


def _categorical(values: pd.Series, dtype: pd.CategoricalDtype) -> pd.Categorical:
    if isinstance(values.dtype, pd.CategoricalDtype):
        if values.dtype == dtype:
            return values.array
        values = values.astype(object)
    categories = pd.Index(dtype.categories)
    codes = categories.get_indexer(values)
    unknown = (codes < 0) & values.notna().to_numpy()
    if unknown.any():  # forgive stray white space; anything else stays unknown (NaN)
        codes[unknown] = categories.get_indexer(values[unknown].astype(str).str.strip())
    return pd.Categorical.from_codes(codes, dtype=dtype)


def _from_codes(codes: np.ndarray, categories: pd.Index) -> pd.Categorical:
    """A categorical of ``codes`` into ``categories`` that are unique by construction,
    without the check: pandas checks with a hash table of the categories and keeps it on
    them (~100 MiB for a national graph's ids or admin names)."""
    return pd.Categorical.from_codes(codes, dtype=_unique_categories(categories), validate=False)


def _unique_categories(categories: pd.Index) -> pd.CategoricalDtype:
    """The dtype of ``categories`` known to be unique, built on pandas' fast path (no
    hash table built and kept); the public, checking constructor if that path is gone."""
    fast = getattr(pd.CategoricalDtype, "_from_fastpath", None)
    if fast is None:
        return pd.CategoricalDtype(categories)
    return fast(categories, ordered=False)


def _empty(n: int, dtype):
    """An all-missing column of ``dtype``, built without a pass over Python objects."""
    if isinstance(dtype, pd.CategoricalDtype):
        return pd.Categorical.from_codes(np.full(n, -1, dtype=np.int8), dtype=dtype)
    if dtype == "datetime64[ns]":
        return np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    if dtype == "boolean":
        return pd.arrays.BooleanArray(np.zeros(n, dtype=bool), np.ones(n, dtype=bool))
    if dtype == "float64":
        return np.full(n, np.nan)
    return pd.array(np.full(n, None, dtype=object), dtype=dtype)


def _convert(values: pd.Series, dtype):
    """``values`` as ``dtype``; values that cannot be read become missing (validation
    reports unknown kinds, and readers report unreadable cells before they get here)."""
    if isinstance(dtype, pd.CategoricalDtype):
        return _categorical(values, dtype)
    if values.dtype == dtype:
        return values.array
    if dtype == "datetime64[ns]":
        return pd.to_datetime(values, errors="coerce").astype(dtype).array
    if dtype == "float64":
        return pd.to_numeric(values, errors="coerce").astype(dtype).array
    if dtype == "str":
        if values.dtype == object:
            return _str_array(values.to_numpy())
        return values.astype(object).where(values.notna(), None).astype(dtype).array
    return values.astype(dtype).array


def _normalize(
    df: pd.DataFrame, columns, what: str, required: Sequence[str], given: dict | None = None
) -> pd.DataFrame:
    """Canonical columns (added where missing) with canonical dtypes, extras after;
    ``given`` columns are taken as they are (a builder's node-id codes)."""
    given = given or {}
    if COL.ID in columns and COL.ID not in df.columns and df.index.name == COL.ID:
        df = df.reset_index()
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise SchemaError(
            f"the {what} table has no column {', '.join(map(repr, missing))}; "
            f"its columns are {list(df.columns)}"
        )
    n = len(df)
    data = {
        col: given[col]
        if col in given
        else _convert(df[col], dtype)
        if col in df.columns
        else _empty(n, dtype)
        for col, dtype in columns.items()
    }
    for col in df.columns:
        if col not in columns:
            data[col] = _whole_years(df[col]) if col == COL.YEAR else df[col].array
    return pd.DataFrame(data, index=pd.RangeIndex(n), copy=False)


def _whole_years(values: pd.Series):
    """A ``year`` column of floats (``[2019, None]`` given to ``from_frames``) as
    nullable integers when every year is whole, so exports (GraphML, GEXF, node-link)
    write ``2019``, not ``2019.0``."""
    if values.dtype.kind == "f":
        v = values.to_numpy()
        whole = np.isnan(v) | (np.mod(v, 1) == 0)
        if whole.all() and (np.isnan(v) | (np.abs(v) < 2**53)).all():
            return pd.array(values, dtype="Int64")
    return values.array


_STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' "str"


def _str_array(values) -> pd.api.extensions.ExtensionArray:
    """Text values (``None``/NaN for missing) as a pandas ``str`` array, built by Arrow
    in one pass (``pd.array(..., dtype="str")`` looks at every value in Python first);
    anything that is not all text goes the pandas way (numbers become their text)."""
    cells = np.asarray(values, dtype=object)
    try:
        arr = pa.array(cells, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):
        return pd.array(cells, dtype="str")
    return pd.arrays.ArrowStringArray(pa.chunked_array([arr]), dtype=_STR)


def _arrow_strings(values) -> pa.ChunkedArray:
    """``values`` (a pandas string column or index, or any sequence) as Arrow large
    strings, without a copy where they are Arrow strings already."""
    if getattr(values, "dtype", None) != "str":
        values = pd.array(np.asarray(values, dtype=object), dtype="str")
    arr = pa.array(getattr(values, "array", values))
    if isinstance(arr, pa.Array):
        arr = pa.chunked_array([arr])
    return arr.cast(pa.large_string())


def _records(df: pd.DataFrame):
    """Row dicts without missing values (for networkx attributes)."""
    cols = list(df.columns)
    arrays = [df[c].to_numpy(dtype=object) for c in cols]
    for row in zip(*arrays):
        yield {c: _py(x) for c, x in zip(cols, row, strict=True) if not _isna(x)}


def _isna(x) -> bool:
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _py(x):
    """numpy scalars to plain Python values (networkx attributes, GraphML export)."""
    return x.item() if isinstance(x, np.generic) else x
