"""A cheap look at a workbook before it is parsed: the zip directory, the sheets'
parts, and each sheet's XML streamed once for what calamine does not say.

calamine (the parser of :mod:`.files`) builds a dense table of a sheet's extent — a
cell at ``A1`` and one at ``XFD1048576`` make 17 billion cells — and reads a formula
without a cached value, or an error cell, as an empty string. So before a sheet is
parsed its XML is read here, chunk by chunk, with a few byte patterns (no XML parser,
no Python object per cell):

- the extent: the largest row and column any ``<row r=>`` or ``<c r=>`` names (the
  declared ``<dimension>`` is not trusted). Each chunk is searched only for references
  *beyond* the extent seen so far (a pattern of the numbers above it), so a normal sheet,
  whose rows ascend, costs one search per chunk;
- formula cells without a cached value (``<f>`` and no ``<v>``);
- error cells (``t="e"``: ``#N/A``, ``#DIV/0!``...), with their text.

Interface: :func:`_parts` (sheet title → part name and visibility), :func:`_look`
(a part → :class:`_Look`), :func:`_encrypted` (a CFB file holding an encrypted
package), :func:`_column_number`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: .xls, or an encrypted .xlsx


@dataclass
class _Look:
    """What the XML of one sheet says before it is parsed (0-based rows and columns)."""

    rows: int = 0  # the extent: largest row number named (1-based), or rows counted
    columns: int = 0
    formulas: list[tuple[int, int]] = field(default_factory=list)  # no cached value
    errors: list[tuple[int, int, str]] = field(default_factory=list)
    #: some text may be over Excel's 32,767 characters (a run of at least that many
    #: bytes between two tags): only then are the parsed cells' lengths looked at
    long_text: bool = False


def _encrypted(path: Path) -> bool | None:
    """``True`` for an encrypted (password-protected) workbook, ``False`` for another
    OLE compound file (an Excel 97-2003 ``.xls``), ``None`` for anything else."""
    with open(path, "rb") as f:
        if f.read(8) != _CFB:
            return None
        mark = "EncryptedPackage".encode("utf-16-le")
        tail = b""
        while chunk := f.read(1 << 20):  # the directory entry may be anywhere
            if mark in tail + chunk:
                return True
            tail = chunk[-len(mark) :]
    return False


def _parts(zf: zipfile.ZipFile) -> list[tuple[str, str | None, bool]]:
    """``(title, part, hidden)`` of every sheet, in the workbook's order (``part`` is
    ``None`` when the workbook names no part for it)."""
    book = ET.fromstring(zf.read("xl/workbook.xml"))
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    target = {}
    for r in rels.iter(f"{_PKG}Relationship"):
        t = r.get("Target", "")
        target[r.get("Id")] = t.lstrip("/") if t.startswith("/") else "xl/" + t
    out = []
    for s in book.iter(f"{_MAIN}sheet"):
        part = target.get(s.get(f"{_REL}id"))
        out.append((s.get("name", ""), part, s.get("state", "visible") != "visible"))
    return out


def _column_number(letters: bytes | str) -> int:
    """``A`` → 1, ``Z`` → 26, ``AA`` → 27."""
    n = 0
    for ch in letters.encode() if isinstance(letters, str) else letters:
        n = n * 26 + ch - 64
    return n


def _letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _above(s: str, lo: str, hi: str, cls: str) -> str:
    """A regular expression of the strings of ``cls`` characters that are above ``s``
    (same-length strings compare character by character, longer ones are above)."""
    alts = [f"{cls}{{{len(s) + 1},}}"]
    for i, ch in enumerate(s):
        if ch < hi:
            nxt = chr(ord(ch) + 1)
            rest = f"{cls}{{{len(s) - i - 1}}}" if len(s) - i - 1 else ""
            alts.append(re.escape(s[:i]) + f"[{nxt}-{hi}]" + rest)
    del lo
    return "(?:" + "|".join(alts) + ")"


_REF = re.compile(rb'<(?:row|c)\b[^>]*?\sr="([A-Z]*)(\d+)"')
_LAST_ROW = re.compile(rb'<row\b[^>]*?\sr="(\d+)"')
_FORMULA = re.compile(
    rb"<c\b([^>]*)>\s*<f\b[^>]*?(?:/>|>[^<]*</f>)\s*(?:<v>\s*</v>|<v/>)?\s*(?:<is>\s*</is>)?\s*</c>"
)
_ERROR = re.compile(rb'<c\b([^>]*\bt="e"[^>]*)>(?:(?!</c>).)*?<v>([^<]*)</v>', re.S)
_CELL_REF = re.compile(rb'\sr="([A-Z]+)(\d+)"')


def _beyond(rows: int, columns: int) -> re.Pattern:
    """References to a row above ``rows`` or a column above ``columns``."""
    row = _above(str(rows), "0", "9", "[0-9]")
    col = _above(_letters(columns) or "@", "A", "Z", "[A-Z]") if columns else "[A-Z]+"
    # starting with a literal, so that the search jumps from one ``r="`` to the next
    return re.compile(f'r="(?:[A-Z]*+{row}"|{col}[0-9])'.encode())  # (*+: no backtracking)


def _look(zf: zipfile.ZipFile, part: str, chunk: int = 1 << 22) -> _Look:
    """Stream the sheet ``part`` once: its extent, formulas without value, error cells."""
    look = _Look()
    beyond = _beyond(0, 0)
    rows_seen = 0
    with zf.open(part) as f:
        rest = b""
        size = 1 << 16  # a small first chunk: the header rows give the columns cheaply
        while True:
            data = f.read(size)
            size = chunk
            buf = rest + data
            if not data:
                if not buf:
                    break
                cut = len(buf)
            else:
                cut = buf.rfind(b"<")
                if cut <= 0:
                    rest = buf
                    continue
            piece, rest = buf[:cut], buf[cut:]
            look.long_text = look.long_text or _long_run(piece)
            rows_seen += piece.count(b"<row")
            last = None
            at = piece.rfind(b"<row")
            if at >= 0:
                last = _LAST_ROW.match(piece, at)
            if last is not None and int(last.group(1)) > look.rows:
                look.rows = int(last.group(1))
                beyond = _beyond(look.rows, look.columns)
            if beyond.search(piece):  # rare: find the new extent exactly
                for letters, digits in _REF.findall(piece):
                    look.rows = max(look.rows, int(digits))
                    if letters:
                        look.columns = max(look.columns, _column_number(letters))
                beyond = _beyond(look.rows, look.columns)
            if b"<f" in piece:
                for m in _FORMULA.finditer(piece):
                    ref = _CELL_REF.search(m.group(1))
                    if ref:
                        look.formulas.append(_position(ref))
            if b't="e"' in piece:
                for m in _ERROR.finditer(piece):
                    ref = _CELL_REF.search(m.group(1))
                    if ref:
                        text = m.group(2).decode("utf-8", "replace")
                        look.errors.append((*_position(ref), text))
            if not data:
                break
    look.rows = max(look.rows, rows_seen)
    return look


def _long_run(piece: bytes, limit: int = 32_767) -> bool:
    """Whether ``piece`` has more than ``limit`` bytes between two ``<`` (text that may be
    over ``limit`` characters; every character is at least a byte)."""
    # such a run holds a whole block of limit // 2 bytes without "<": only when one
    # block has none (a memchr each) are the runs measured
    block = limit // 2
    if all(piece.find(b"<", i, i + block) >= 0 for i in range(0, len(piece) - block + 1, block)):
        return False
    at = np.flatnonzero(np.frombuffer(piece, dtype=np.uint8) == 60)  # "<"
    if len(at) == 0:
        return len(piece) > limit
    edges = np.diff(at, prepend=-1, append=len(piece))
    return bool(edges.max() > limit + 1)


def _long_strings(zf: zipfile.ZipFile, part: str = "xl/sharedStrings.xml") -> bool:
    """:func:`_long_run` over the shared strings (streamed), ``False`` without them."""
    try:
        f = zf.open(part)
    except KeyError:
        return False
    with f:
        rest = b""
        while data := f.read(1 << 22):
            buf = rest + data
            cut = max(buf.rfind(b"<"), 0)
            if _long_run(buf[:cut]):
                return True
            rest = buf[cut:]
        return _long_run(rest)


def _position(ref: re.Match) -> tuple[int, int]:
    return int(ref.group(2)) - 1, _column_number(ref.group(1)) - 1
