"""Reading user tables: CSV in UTF-8 (with or without BOM), GBK/GB18030 or Big5, gzip or not."""

from __future__ import annotations

import codecs
import io
import os
from pathlib import Path

import pandas as pd

from .._errors import DataNotFoundError, Problem, ValidationError

__all__ = ["ENCODINGS", "read_csv_any", "sniff_encoding"]

#: Encodings tried in order. GB18030 is a superset of GBK and GB2312.
ENCODINGS = ("utf-8-sig", "gb18030")


_UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def sniff_encoding(raw: bytes) -> str:
    """The first of :data:`ENCODINGS` that decodes ``raw`` completely.

    A UTF-16 byte order mark (Excel's "Unicode text") gives ``utf-16``; a UTF-8 BOM in
    front of GBK bytes (an editor labelled a GBK file UTF-8) gives ``gb18030`` for the
    bytes after it.
    """
    if raw.startswith(_UTF16):
        return "utf-16"
    for enc in ENCODINGS:
        try:
            (raw[3:] if enc == "gb18030" and raw.startswith(codecs.BOM_UTF8) else raw).decode(enc)
        except UnicodeDecodeError:
            continue
        return enc
    raise UnicodeDecodeError("utf-8", raw[:1], 0, 1, "neither UTF-8 nor GB18030")


def _decode(raw: bytes) -> str:
    """``raw`` as text (see :func:`sniff_encoding`); a :class:`_MixedEncoding` error
    naming the lines that are not UTF-8 when the others are."""
    enc = sniff_encoding(raw) if raw.startswith(_UTF16) else "utf-8-sig"
    try:
        return raw.decode(enc)
    except UnicodeDecodeError:
        pass
    body = raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw
    # non-ASCII lines partly valid UTF-8, partly not: rows pasted from a GBK file into a
    # UTF-8 one; reading the whole file as GBK would garble the UTF-8 rows
    lines = body.split(b"\n")
    utf8, other = [], []
    for number, line in enumerate(lines, start=1):
        if not line.isascii():
            try:
                line.decode("utf-8")
                utf8.append(number)
            except UnicodeDecodeError:
                other.append(number)
    if utf8 and other:
        raise _MixedEncoding(other, lines[other[0] - 1])
    text = body.decode("gb18030")
    try:
        big5 = body.decode("cp950")
    except UnicodeDecodeError:
        return text
    # Big5 (Traditional Chinese, Taiwan and Hong Kong) bytes are mostly valid GB18030
    # too, and read as such give rare characters and kana: keep the reading whose
    # characters are the common ones of its own character set
    return big5 if _common_share(big5, "cp950") > _common_share(text, "gb18030") else text


def _common_share(text: str, encoding: str) -> float:
    """The share of the non-ASCII characters of ``text`` that are common characters or
    punctuation of ``encoding``: GB2312's (simplified), or Big5's 常用字 (A140–C67E)."""
    chars = [c for c in text if not c.isascii()]
    if not chars:
        return 0.0
    common = 0
    for c in chars:
        if encoding == "gb18030":
            try:
                b = c.encode("gb2312")
            except UnicodeEncodeError:
                continue
            common += b[0] >= 0xB0 or b[0] in (0xA1, 0xA3)  # hanzi, punctuation
        else:
            b = c.encode("cp950")
            common += 0xA1 <= b[0] <= 0xC6
    return common / len(chars)


class _MixedEncoding(ValueError):
    def __init__(self, rows: list[int], line: bytes):
        self.rows = rows
        self.line = line.decode("gb18030", errors="replace").strip()
        super().__init__(f"rows {rows} are not UTF-8")


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
                with pd.io.common.get_handle(path, "rb", compression="infer", is_text=False) as h:
                    raw = h.handle.read()
        else:
            # UTF-8 (most files) streams from disk; only other encodings are decoded whole
            with path.open("rb") as f:
                first = f.readline(65536)
            if not first.startswith(_UTF16):
                try:
                    sep = {"sep": "\t"} if b"\t" in first and b"," not in first else {}
                    return pd.read_csv(path, encoding="utf-8-sig", **sep, **kwargs)
                except UnicodeDecodeError:
                    pass
            raw = path.read_bytes()
        text = _decode(raw)
        if "sep" not in kwargs and "delimiter" not in kwargs:
            first = text.split("\n", 1)[0]
            if "\t" in first and "," not in first:  # tab-separated ("Unicode text")
                kwargs["sep"] = "\t"
        return pd.read_csv(io.StringIO(text), **kwargs)
    except _MixedEncoding as exc:
        rows = ", ".join(map(str, exc.rows[:10])) + (" ..." if len(exc.rows) > 10 else "")
        raise ValidationError(
            [
                Problem(
                    file=str(path),
                    row=exc.rows[0],
                    value=exc.line,
                    code="encoding",
                    template="encoding.mixed" if len(exc.rows) > 1 else "encoding.mixed_one",
                    ctx={"rows": rows},
                )
            ],
            what=str(path),
        ) from None
    except UnicodeDecodeError:
        raise ValidationError(
            [Problem(file=str(path), code="encoding", template="encoding.unknown")],
            what=str(path),
        ) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise ValidationError(
            [Problem(file=str(path), code="not_csv", ctx={"error": exc})],
            what=str(path),
        ) from None
