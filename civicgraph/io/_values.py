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
    "invisible",
    "match_header",
    "parse_amount",
    "parse_date",
    "read_amount",
    "read_date",
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


#: Characters that show as nothing (zero-width space, word joiner, BOM, soft hyphen ...:
#: Unicode's format characters), removed from ids.
_INVISIBLE = re.compile(
    r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)


def normalize_id(text: object) -> str:
    """An id as civicgraph stores it: NFKC-normalized (half-width), without invisible
    characters (:func:`invisible`) and stripped.

    >>> normalize_id(" ＡＢ１ "), normalize_id("H1\u200b")
    ('AB1', 'H1')
    """
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", str(text))).strip()


def invisible(text: str) -> list[str]:
    """The invisible characters of ``text``, as ``U+200B`` names.

    >>> invisible("H\u00ad1\ufeff")
    ['U+00AD', 'U+FEFF']
    """
    return [f"U+{ord(c):04X}" for c in _INVISIBLE.findall(text)]


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
_YEAR = re.compile(r"^(\d{4})\s*年?$")
_DMY = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})$")
_SHORT_YEAR = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
#: Dates a registry may hold (pandas' nanosecond range, whole days).
DATE_MIN = pd.Timestamp("1678-01-01")
DATE_MAX = pd.Timestamp("2261-12-31")
_DAY_MIN, _DAY_MAX = DATE_MIN.date(), DATE_MAX.date()
_DAYS = (pd.Timestamp, datetime, date)  # (a tuple: ``a | b`` is built at every call)
_NUMBERS = (int, float)
#: Whole numbers read as a year rather than an Excel serial number.
YEARS = range(1900, 2101)
#: The no-expiry placeholder (长期): as an end date it means "no end".
NO_END = date(9999, 12, 31)


def read_date(value: object) -> tuple[pd.Timestamp | None, str | None]:
    """``(date, why)``: a date from what a spreadsheet holds (``NaT`` for blanks), or
    ``None`` and why it is refused: ``"bad"`` (unreadable), ``"ambiguous"`` (day and
    month order unknown), ``"short_year"`` (two-digit year), ``"range"`` (outside
    :data:`DATE_MIN` .. :data:`DATE_MAX`), ``"no_end"`` (9999-12-31, the 长期 placeholder:
    the caller decides; an end date takes it as no end), ``"excel_1900"`` (Excel serial
    60, the 29 February 1900 that never was).

    Nothing is guessed: a whole number from 1900 to 2100 is a year (its first day), other
    numbers from 1 to 2958465 are Excel serial numbers (1 = 1900-01-01, as Excel shows
    them); ``dd/mm/yyyy`` is read only when one part is over 12 or both are equal;
    words such as ``today`` are not dates.

    >>> read_date("2019")[0], read_date(2018)[0], read_date(1)[0]
    (Timestamp('2019-01-01 00:00:00'), Timestamp('2018-01-01 00:00:00'), Timestamp('1900-01-01 00:00:00'))
    >>> read_date("08/09/2019"), read_date("31/08/2019")[0]
    ((None, 'ambiguous'), Timestamp('2019-08-31 00:00:00'))
    >>> read_date("19-8-31"), read_date("now"), read_date("2300-01-01"), read_date("9999-12-31")
    ((None, 'short_year'), (None, 'bad'), (None, 'range'), (None, 'no_end'))
    """
    if value is None or (isinstance(value, float) and value != value):
        return pd.NaT, None
    if isinstance(value, bool):
        return None, "bad"
    if isinstance(value, _DAYS):
        if isinstance(value, pd.Timestamp) and value is pd.NaT:
            return pd.NaT, None
        return _in_range(value.year, value.month, value.day)
    if isinstance(value, _NUMBERS):
        if value != value or value in (float("inf"), float("-inf")):
            return None, "bad"
        if float(value).is_integer() and int(value) in YEARS:
            return _in_range(int(value), 1, 1)
        if 1 <= value < 2958466:  # Excel serials 1900-01-01 .. 9999-12-31
            if int(value) == 60:
                return None, "excel_1900"
            # Excel counts a 29 February 1900: serials below 60 are one day later
            day = _EXCEL_EPOCH + timedelta(days=float(value) + (1 if value < 60 else 0))
            return _in_range(day.year, day.month, day.day)
        return None, "bad"
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return pd.NaT, None
    m = _YMD.match(text) or _COMPACT.match(text)
    if m:
        return _in_range(m.group(1), m.group(2), m.group(3) or "1")
    m = _YEAR.match(text)
    if m:
        return _in_range(m.group(1), 1, 1)
    m = _DMY.match(text)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), m.group(3)
        if a == b or a > 12 >= b:
            return _in_range(y, b, a)  # day first
        if b > 12 >= a:
            return _in_range(y, a, b)  # month first
        return (None, "ambiguous") if a <= 12 and b <= 12 else (None, "bad")
    if _SHORT_YEAR.match(text):
        return None, "short_year"
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return read_date(float(text))
    if _ISO_TIME.match(text):
        try:
            ts = pd.Timestamp(text)
        except (ValueError, TypeError, OverflowError):
            return None, "bad"
        if ts.tzinfo is not None:
            ts = ts.tz_convert("Asia/Shanghai").tz_localize(None)
        out, why = _in_range(ts.year, ts.month, ts.day)
        return (None, why) if out is None else (ts, None)
    return None, "bad"


def _in_range(y, mo, d) -> tuple[pd.Timestamp | None, str | None]:
    try:
        day = date(int(y), int(mo), int(d))
    except ValueError:
        return None, "bad"
    if day == NO_END:
        return None, "no_end"
    if not _DAY_MIN <= day <= _DAY_MAX:
        return None, "range"
    return pd.Timestamp(day), None


def parse_date(value: object) -> pd.Timestamp | None:
    """A date from what a spreadsheet holds, ``NaT`` for blanks, ``None`` if it is not
    read (see :func:`read_date` for the rules and the reasons).

    Accepts date/datetime cells, Excel serial numbers, ``2019-08-31``, ``2019/8/31``,
    ``2019.8.31``, ``20190831``, ``2019年8月31日``, ``2019年8月`` and ``2019-08`` (the
    first of the month), a year alone (its first day) and ISO timestamps.

    >>> parse_date("2019年8月"), parse_date("2019/8/31"), parse_date(43708)
    (Timestamp('2019-08-01 00:00:00'), Timestamp('2019-08-31 00:00:00'), Timestamp('2019-08-31 00:00:00'))
    >>> parse_date("soon") is None
    True
    """
    return read_date(value)[0]


# ------------------------------------------------------------------------ amounts

_AMOUNT_NOISE = re.compile(r"[\s¥￥]|元$|人民币")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
#: The largest amount read, in yuan (a hundred trillion: more than any budget).
AMOUNT_MAX = 1e14


def read_amount(value: object, *, wan: bool = False) -> tuple[float | None, str | None]:
    """``(yuan, why)``: an amount in yuan (``nan`` for blanks), or ``None`` and why it is
    refused: ``"bad"`` (not a number), ``"separator"`` (a comma that is not a thousands
    separator: ``1,2`` or ``1.234,56``), ``"too_large"`` (beyond :data:`AMOUNT_MAX`).

    >>> read_amount("1,200.50"), read_amount("1,2"), read_amount("1.234,56"), read_amount("1e400")
    ((1200.5, None), (None, 'separator'), (None, 'separator'), (None, 'too_large'))
    """
    if value is None or (isinstance(value, float) and value != value):
        return float("nan"), None
    if isinstance(value, bool):
        return None, "bad"
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return float("nan"), None
    text = _AMOUNT_NOISE.sub("", text)
    factor = Decimal(10000) if wan else Decimal(1)
    if text.endswith("万"):
        text, factor = text[:-1], Decimal(10000)
    if "," in text:
        if not _GROUPED.match(text):
            return None, "separator"
        text = text.replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None, "bad"
    if number.is_nan():
        return None, "bad"
    if not number.is_finite() or abs(number * factor) > Decimal(AMOUNT_MAX):
        return None, "too_large"
    return float(number * factor), None


def parse_amount(value: object, *, wan: bool = False) -> float | None:
    """An amount in yuan, ``nan`` for blanks, ``None`` if not read (see
    :func:`read_amount`).

    ``wan=True`` reads the value in 万元 (× 10,000). Accepts thousands separators (in
    groups of three digits), ``1.2万`` / ``3万元`` and a trailing ``元``. Negative values
    are returned as such (the graph check reports them).

    >>> parse_amount("1.2万"), parse_amount("1,200.50"), parse_amount(3, wan=True)
    (12000.0, 1200.5, 30000.0)
    >>> parse_amount("about 5") is None
    True
    """
    return read_amount(value, wan=wan)[0]
