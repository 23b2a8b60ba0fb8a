"""Reading cells the way people type them: headers, code values, dates and amounts.

Headers and code values are matched after :func:`fold` (NFKC, lower case, no white space,
one bracket form), so ``金额(元)``, ``金额（元）`` and `` 金额 ( 元 ) `` are one header and
``ＨＵＢ`` is ``hub``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

import pandas as pd

__all__ = [
    "alias_lookup",
    "fold",
    "match_header",
    "parse_amount",
    "parse_date",
]

_BRACKETS = str.maketrans({"[": "(", "]": ")", "【": "(", "】": ")", "〔": "(", "〕": ")"})
_SPACE = re.compile(r"[\s_\-]+")


def fold(text: object) -> str:
    """A cell's text folded for matching: NFKC (full-width to half-width), lower case,
    no white space, underscores or hyphens, ``[]``/``【】`` as ``()``.

    >>> fold(" 金额（万元） "), fold("ＨＵＢ"), fold("Start Date"), fold("member_of")
    ('金额(万元)', 'hub', 'startdate', 'memberof')
    """
    s = unicodedata.normalize("NFKC", str(text)).translate(_BRACKETS)
    return _SPACE.sub("", s).lower()


def normalize_id(text: object) -> str:
    """An id as civicgraph stores it: NFKC-normalized (half-width) and stripped.

    >>> normalize_id(" ＡＢ１ ")
    'AB1'
    """
    return unicodedata.normalize("NFKC", str(text)).strip()


def alias_lookup(aliases: Mapping[str, Iterable[str]], *extra: Mapping[str, str]) -> dict:
    """``{folded alias: canonical}`` from ``{canonical: aliases}``; canonical names match
    themselves. ``extra`` maps further ``{canonical: label}`` (e.g. ``LABELS_ZH``)."""
    out = {fold(c): c for c in aliases}
    for canon, names in aliases.items():
        for name in names:
            out[fold(name)] = canon
    for labels in extra:
        for canon, label in labels.items():
            if canon in aliases:
                out.setdefault(fold(label), canon)
    return out


def match_header(header: object, lookup: Mapping[str, str]) -> str | None:
    """Canonical column of a header, or ``None``. Bilingual headers such as
    ``组织名称 / name`` match when either half does.

    >>> match_header("组织名称 / name", {"组织名称": "name", "name": "name"})
    'name'
    """
    key = fold(header)
    if key in lookup:
        return lookup[key]
    for part in re.split(r"[/|]", key):
        if part and part in lookup:
            return lookup[part]
    return None


# ------------------------------------------------------------------------ dates

_EXCEL_EPOCH = datetime(1899, 12, 30)
_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?|\s*月)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(value: object) -> pd.Timestamp | None:
    """A date from what a spreadsheet holds, ``NaT`` for blanks, ``None`` if unreadable.

    Accepts date/datetime cells, Excel serial numbers, ``2019-08-31``, ``2019/8/31``,
    ``2019.8.31``, ``20190831``, ``2019年8月31日``, ``2019年8月`` and ``2019-08`` (the
    first of the month) and ISO timestamps.

    >>> parse_date("2019年8月"), parse_date("2019/8/31"), parse_date(43708)
    (Timestamp('2019-08-01 00:00:00'), Timestamp('2019-08-31 00:00:00'), Timestamp('2019-08-31 00:00:00'))
    >>> parse_date("soon") is None
    True
    """
    if value is None or (isinstance(value, float) and value != value):
        return pd.NaT
    if isinstance(value, pd.Timestamp | datetime | date):
        return pd.Timestamp(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if 1 <= value < 2958466:  # Excel serials 1900-01-01 .. 9999-12-31
            return pd.Timestamp(_EXCEL_EPOCH + timedelta(days=float(value))).normalize()
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return pd.NaT
    m = _YMD.match(text) or _COMPACT.match(text)
    if m:
        y, mo, d = m.group(1), m.group(2), m.group(3) or "1"
        try:
            return pd.Timestamp(int(y), int(mo), int(d))
        except ValueError:
            return None
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return parse_date(float(text))
    try:
        ts = pd.Timestamp(text)
    except (ValueError, TypeError):
        return None
    return None if ts is pd.NaT else ts


# ------------------------------------------------------------------------ amounts

_AMOUNT_NOISE = re.compile(r"[,\s¥￥]|元$|人民币")


def parse_amount(value: object, *, wan: bool = False) -> float | None:
    """An amount in yuan, ``nan`` for blanks, ``None`` if not a number.

    ``wan=True`` reads the value in 万元 (× 10,000). Accepts thousands separators,
    ``1.2万`` / ``3万元`` and a trailing ``元``. Negative values are returned as such (the
    graph check reports them).

    >>> parse_amount("1.2万"), parse_amount("1,200.50"), parse_amount(3, wan=True)
    (12000.0, 1200.5, 30000.0)
    >>> parse_amount("about 5") is None
    True
    """
    if value is None or (isinstance(value, float) and value != value):
        return float("nan")
    if isinstance(value, bool):
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return float("nan")
    text = _AMOUNT_NOISE.sub("", text)
    factor = Decimal(10000) if wan else Decimal(1)
    if text.endswith("万"):
        text, factor = text[:-1], Decimal(10000)
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    return float(number * factor)
