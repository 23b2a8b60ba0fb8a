"""Reading user tables: CSV in UTF-8 (with or without BOM) or GBK/GB18030, gzip or not."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pandas as pd

from .._errors import DataNotFoundError, Problem, ValidationError

__all__ = ["ENCODINGS", "read_csv_any", "sniff_encoding"]

#: Encodings tried in order. GB18030 is a superset of GBK and GB2312.
ENCODINGS = ("utf-8-sig", "gb18030")


def sniff_encoding(raw: bytes) -> str:
    """The first of :data:`ENCODINGS` that decodes ``raw`` completely."""
    for enc in ENCODINGS:
        try:
            raw.decode(enc)
        except UnicodeDecodeError:
            continue
        return enc
    raise UnicodeDecodeError("utf-8", raw[:1], 0, 1, "neither UTF-8 nor GB18030")


def read_csv_any(path: str | os.PathLike, **kwargs) -> pd.DataFrame:
    """Read a CSV of strings whatever its encoding (UTF-8, UTF-8 with BOM, GBK, GB18030).

    Every column is read as text (``dtype=str``) so that codes keep their leading zeros;
    callers convert what they need. Compressed files (``.gz``, ``.bz2``, ``.xz``, ``.zip``)
    are read as such.

    Raises
    ------
    DataNotFoundError
        The file does not exist.
    ValidationError
        The bytes are neither UTF-8 nor GB18030, or the file is not a CSV.
    """
    path = Path(path)
    if not path.is_file():
        raise DataNotFoundError(f"no file at {path}")
    kwargs.setdefault("dtype", str)
    kwargs.setdefault("keep_default_na", False)
    kwargs.setdefault("na_values", [""])
    compressed = path.suffix.lower() in (".gz", ".bz2", ".xz", ".zip")
    try:
        if compressed:
            # the NBS files are UTF-8; fall back to a full sniff only when that fails
            try:
                return pd.read_csv(path, encoding="utf-8-sig", **kwargs)
            except UnicodeDecodeError:
                with pd.io.common.get_handle(path, "rb", compression="infer") as h:
                    raw = h.handle.read()
        else:
            raw = path.read_bytes()
        enc = sniff_encoding(raw)
        return pd.read_csv(io.StringIO(raw.decode(enc)), **kwargs)
    except UnicodeDecodeError:
        raise ValidationError(
            [
                Problem(
                    "the file is neither UTF-8 nor GBK/GB18030 text",
                    file=str(path),
                    fix="save it as 'CSV UTF-8' from Excel",
                    code="encoding",
                )
            ],
            what=str(path),
        ) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise ValidationError(
            [
                Problem(
                    f"cannot read the file as CSV: {exc}",
                    file=str(path),
                    fix="check that it is a comma-separated table with one header row",
                    code="not_csv",
                )
            ],
            what=str(path),
        ) from None
