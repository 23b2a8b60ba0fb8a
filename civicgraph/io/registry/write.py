"""Writing a registry: a graph back into the registry's sheets (:func:`write_registry`),
and an empty workbook to fill in (:func:`write_template`).

Interface: :func:`write_registry` and :func:`write_template`; the sheets and their
columns are :data:`~.headers.COLUMNS`, so what is written is what is read.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..._errors import Problem, SchemaError, ValidationError
from ...model import CivicGraph
from ...schema import ADMIN_LEVELS, COL, EDGE_KINDS, LABELS_ZH, ORG_ROLES, PROGRAM_TYPES
from ._sheetxml import _letters
from .files import PROVENANCE, _blank
from .headers import _SHEET_ZH, COLUMNS

_NODE_KIND = {"organizations": "org", "programs": "program"}
_MONEY = ("funds", "awards")  # edge kinds of the funding sheet


def _header(col: str, zh: str | None) -> str:
    return f"{zh} / {col}" if zh else col


def _sheet_tables(g: CivicGraph) -> dict[str, pd.DataFrame]:
    """The four sheets of ``g`` (canonical column names) as written by write_registry."""
    nodes, edges = g._nodes, g.edges
    drop_nodes = {COL.KIND, COL.LEVEL, COL.URBAN, COL.REGISTRAR, COL.REGISTRAR_LEVEL, *PROVENANCE}
    out = {}
    for sheet, kind in _NODE_KIND.items():
        rows = nodes[nodes[COL.KIND] == kind]
        out[sheet] = _sheet_columns(
            rows, sheet, drop_nodes | ({COL.ROLE} if kind == "program" else set())
        )
    # the located_in edge each organization's division_code gave
    u_kind = nodes.set_index(COL.ID)[COL.KIND].reindex(edges[COL.SOURCE]).to_numpy()
    e = edges.assign(_u=u_kind)
    gen = np.zeros(len(edges), dtype=bool)
    if COL.DIVISION in nodes:
        orgs = nodes[(nodes[COL.KIND] == "org") & nodes[COL.DIVISION].notna()]
        want = pd.MultiIndex.from_arrays([orgs[COL.ID].astype(str), orgs[COL.DIVISION].astype(str)])
        loc = e[e[COL.KIND] == "located_in"]
        key = pd.MultiIndex.from_arrays([loc[COL.SOURCE].astype(str), loc[COL.TARGET].astype(str)])
        first = key.isin(want) & ~key.duplicated(keep="first")
        gen[loc.index[first]] = True
    money = edges[COL.KIND].isin(_MONEY).to_numpy()
    keep = ~gen & (edges[COL.KIND] != "contains").to_numpy()
    out["ties"] = _sheet_columns(edges[keep & ~money], "ties", set(PROVENANCE))
    out["funding"] = _sheet_columns(edges[keep & money], "funding", set(PROVENANCE))
    return out


def _sheet_columns(rows: pd.DataFrame, sheet: str, drop: set) -> pd.DataFrame:
    base = [c[0] for c in COLUMNS[sheet]]
    extras = [c for c in rows.columns if c not in base and c not in drop and rows[c].notna().any()]
    cols = [c for c in base if c in rows.columns or sheet == "funding"] + extras
    return rows.reindex(columns=cols).reset_index(drop=True)


def _headers(sheet: str, cols) -> list[str]:
    zh = {c[0]: c[1] for c in COLUMNS[sheet]}
    return [_header(c, zh.get(c)) for c in cols]


def write_registry(g: CivicGraph, path: str | os.PathLike, *, lang: str = "zh") -> Path:
    """Write the organizations, programs, ties and funding of ``g`` as a registry.

    ``path`` ending in ``.xlsx`` gives a workbook, anything else a folder of CSV files
    (UTF-8 with BOM, which Excel opens). Headers are bilingual (``组织名称 / name``);
    sheet (file) names are Chinese with ``lang="zh"``, English with ``lang="en"``.
    Admin units and ``contains`` edges are not written (they come from the divisions),
    nor the ``located_in`` edge each organization's ``division_code`` stands for, so
    :func:`read_registry` on the result with the same divisions gives ``g`` back (up to
    the ``src_*`` provenance columns) when ``g`` was read from a registry. Other graphs
    come back with their edges grouped (organizations' ``located_in``, then ties, then
    funding), and in CSV folders unknown columns come back as text (a CSV cell has no
    type; a workbook keeps numbers, dates and TRUE/FALSE).

    A workbook is written with xlsxwriter (constant memory, rows streamed to the file):
    the header row frozen, dates as date cells (``yyyy-mm-dd``; dates before 1900-03-01,
    which Excel's calendar gets wrong, as text), text always as text, also codes that
    look like numbers and text starting with ``=``, ``+``, ``-`` or ``@`` (stored with
    Excel's quote prefix, never as a formula; CSV files are written as they are).
    Control characters and line breaks (``\\r\\n`` too) are stored with Excel's
    ``_xHHHH_`` escapes and read back exactly.

    Raises
    ------
    ValidationError
        Text a workbook cannot hold, before anything is written: a cell over Excel's
        32,767 characters (``text_too_long``, never cut), or holding U+FFFE, U+FFFF or
        a lone surrogate (``unwritable_character``, not characters of any text). A CSV
        folder holds both.
    """
    path = Path(path)
    tables = _sheet_tables(g)
    names = {k: (_SHEET_ZH[k] if lang == "zh" else k) for k in tables}
    if path.suffix.lower() == ".xlsx":
        problems = [
            p
            for sheet, df in tables.items()
            for p in _unwritable(df, names[sheet], _headers(sheet, df.columns), str(path))
        ]
        if problems:
            raise ValidationError(problems, what=str(path))
        _write_workbook(path, {names[k]: (_headers(k, df.columns), df) for k, df in tables.items()})
        return path
    path.mkdir(parents=True, exist_ok=True)
    for sheet, df in tables.items():
        out = df.copy()
        for c in out.columns:
            if out[c].dtype.kind == "M":
                out[c] = out[c].dt.strftime("%Y-%m-%d")
        out.columns = _headers(sheet, df.columns)
        out.to_csv(path / f"{names[sheet]}.csv", index=False, encoding="utf-8-sig")
    return path


#: xlsxwriter options: rows streamed to the file; a string is always a string cell.
_WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
#: Excel's limit of one cell's text.
MAX_CELL_TEXT = 32_767
#: Characters no workbook can hold (XML 1.0 forbids U+FFFE and U+FFFF; lone surrogates
#: are no UTF-8 at all).
_UNWRITABLE = re.compile("[\ufffe\uffff\ud800-\udfff]")


def _formats(wb) -> dict:
    return {
        "date": wb.add_format({"num_format": "yyyy-mm-dd"}),
        "quote": wb.add_format({"quote_prefix": True}),
        "head": wb.add_format({"bold": True}),
    }


def _unwritable(df: pd.DataFrame, sheet: str, header: list[str], file: str) -> list[Problem]:
    """The text cells of ``df`` a workbook cannot hold, as problems (spreadsheet rows).

    One pass over each text column finds whether any cell is bad (the usual case:
    none); the cells are looked at one by one only then."""
    import pyarrow.compute as pc

    out = []
    for j, c in enumerate(df.columns):
        if df[c].dtype.kind in "biufM":
            continue
        t = _as_text(df[c])
        if t is not None and not (
            (pc.max(pc.utf8_length(t)).as_py() or 0) > MAX_CELL_TEXT
            or pc.any(pc.match_substring_regex(t, "[\\x{FFFE}\\x{FFFF}]")).as_py()
        ):
            continue
        for i, value in enumerate(df[c].astype(object).tolist()):
            if type(value) is not str:
                continue
            code = (
                "text_too_long"
                if len(value) > MAX_CELL_TEXT
                else "unwritable_character"
                if _UNWRITABLE.search(value)
                else None
            )
            if code is None:
                continue
            shown = value[:40] + "…" if len(value) > 40 else value
            out.append(
                Problem(
                    file=file,
                    sheet=sheet,
                    row=i + 2,
                    column=header[j],
                    value=shown.encode("utf-8", "backslashreplace").decode("utf-8"),
                    code=code,
                    ctx={"n": len(value), "limit": MAX_CELL_TEXT},
                )
            )
    return out


#: Excel's day 0 is 1899-12-30 for every date from 1900-03-01 (before it, Excel counts a
#: 29 February 1900 that never was).
_EXCEL_EPOCH = np.datetime64("1899-12-30", "ns")
_FIRST_SERIAL = np.datetime64("1900-03-01", "ns")
_FORMULA_START = ("=", "+", "-", "@")
#: Characters a workbook stores as ``_xHHHH_`` (XML 1.0 cannot hold them, and would turn
#: ``\r\n`` into ``\n``); a ``_xHHHH_`` already in the text is escaped itself.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]|_x[0-9A-Fa-f]{4}_")


def _control(m: re.Match) -> str:
    x = m.group()
    return "_x005F" + x if len(x) > 1 else f"_x{ord(x):04X}_"


def _write_workbook(path: Path, sheets: dict[str, tuple[list[str], pd.DataFrame]]) -> None:
    """The workbook of ``sheets`` (title → header, rows).

    xlsxwriter writes the package: workbook, styles, frozen header row, column widths,
    the header cells. The body rows, hundreds of thousands of cells, are encoded here a
    column at a time (Arrow string kernels, no Python call per cell) and put into each
    sheet's ``<sheetData>``: xlsxwriter's per-cell calls take ~10 µs a cell, 8 s for a
    provincial registry. Every cell has its reference; text cells are shared strings, as
    Excel writes them (each column's distinct texts once per chunk of rows: a smaller
    file, parsed about twice as fast as inline strings).
    """
    import io
    import zipfile

    import xlsxwriter

    skeleton = io.BytesIO()
    wb = xlsxwriter.Workbook(skeleton, {**_WORKBOOK_OPTIONS, "in_memory": True})
    head = wb.add_format({"bold": True})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    quote = wb.add_format({"quote_prefix": True})
    styles = {"date": date._get_xf_index(), "quote": quote._get_xf_index()}
    for title, (header, df) in sheets.items():
        ws = wb.add_worksheet(title)
        ws.freeze_panes(1, 0)
        ws.set_column(0, max(len(header) - 1, 0), 18)
        for j, c in enumerate(df.columns):
            if df[c].dtype.kind == "M":  # new cells typed into the column are dates too
                ws.set_column(j, j, 18, date)
        for j, h in enumerate(header):
            ws.write_string(0, j, h, head)
    wb.close()
    parts = {
        f"xl/worksheets/sheet{i}.xml": df for i, (_, df) in enumerate(sheets.values(), start=1)
    }
    with (
        zipfile.ZipFile(skeleton) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out,
    ):
        strings = _Strings(src.read(_SST))  # (the headers' strings: every sheet has some)
        for info in src.infolist():
            if info.filename == _SST:
                continue  # written last, once every sheet's texts are in it
            data = src.read(info.filename)
            df = parts.get(info.filename)
            if df is not None and len(df):
                xml = data.decode("utf-8")
                last = f"{_letters(max(df.shape[1], 1))}{len(df) + 1}"
                xml = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{last}"/>', xml)
                cut = xml.index("</sheetData>")
                with out.open(info.filename, "w") as f:
                    f.write(xml[:cut].encode("utf-8"))
                    for chunk in _rows_xml(df, styles, strings):
                        f.write(chunk)
                    f.write(xml[cut:].encode("utf-8"))
            else:
                out.writestr(info.filename, data)
        with out.open(_SST, "w") as f:
            for chunk in strings.xml():
                f.write(chunk)


_SST = "xl/sharedStrings.xml"


class _Strings:
    """A workbook's shared string table: the skeleton's own strings (the headers, as
    xlsxwriter wrote them), then each text column's distinct texts, chunk by chunk (a
    text in two columns is in the table twice, which Excel accepts: no Python set of
    every text is built)."""

    def __init__(self, skeleton: bytes):
        self.head = re.findall(rb"<si>.*?</si>", skeleton, re.S)
        self.count = int(re.search(rb'count="(\d+)"', skeleton).group(1))
        self.n = len(self.head)
        self.parts: list = []  # Arrow string arrays of escaped texts

    def add(self, t):
        """The table's index of each text of ``t`` (nulls stay null), as Arrow strings."""
        import pyarrow as pa
        import pyarrow.compute as pc

        enc = pc.dictionary_encode(t)
        self.parts.append(enc.dictionary)
        index = pc.add(enc.indices.cast(pa.int64()), self.n)
        self.n += len(enc.dictionary)
        self.count += len(t) - t.null_count
        return index.cast(pa.string())

    def xml(self):
        import pyarrow.compute as pc

        yield (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="'
            'http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{self.count}" uniqueCount="{self.n}">'
        ).encode()
        yield b"".join(self.head)
        for part in self.parts:
            items = pc.binary_join_element_wise(
                '<si><t xml:space="preserve">', part, "</t></si>", ""
            )
            offsets = np.frombuffer(items.buffers()[1], dtype=np.int32)[items.offset :]
            offsets = offsets[: len(items) + 1]
            yield memoryview(items.buffers()[2])[offsets[0] : offsets[-1]]
        yield b"</sst>"


def _rows_xml(df: pd.DataFrame, styles: dict, strings: _Strings, chunk: int = 50_000):
    """The ``<row>`` elements of ``df``'s rows (spreadsheet rows from 2), as UTF-8 chunks."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for lo in range(0, len(df), chunk):
        part = df.iloc[lo : lo + chunk]
        rows = pa.array(np.arange(lo + 2, lo + 2 + len(part)).astype(str))
        cells = [
            _cells_xml(part[c], _letters(j + 1), rows, styles, strings)
            for j, c in enumerate(df.columns)
        ]
        body = pc.binary_join_element_wise(
            '<row r="', rows, '">', *cells, "</row>", "", null_handling="replace"
        )
        # the rows' text is the array's data buffer, end to end (no Python string)
        offsets = np.frombuffer(body.buffers()[1], dtype=np.int32)[body.offset :][: len(body) + 1]
        yield memoryview(body.buffers()[2])[offsets[0] : offsets[-1]]


def _cells_xml(s: pd.Series, letter: str, rows, styles: dict, strings: _Strings):
    """The ``<c>`` elements of one column (``""`` for blank cells), as an Arrow array."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ref = pc.binary_join_element_wise(f'<c r="{letter}', rows, "")
    n = len(s)
    if s.dtype.kind == "M":
        v = s.to_numpy(dtype="datetime64[ns]")
        ok = ~np.isnat(v) & (v >= _FIRST_SERIAL)
        serial = (v - _EXCEL_EPOCH) / np.timedelta64(1, "D")
        out = _numbers(ref, serial, ok, f' s="{styles["date"]}"')
        early = ~np.isnat(v) & ~ok  # no right serial in Excel: written as ISO text
        if early.any():
            texts = np.array([None] * n, dtype=object)
            texts[early] = [str(pd.Timestamp(x).date()) for x in v[early]]
            texts = pa.array(texts, type=pa.string())
            out = pc.coalesce(out, _texts(ref, texts, styles, strings))
        return pc.fill_null(out, "")
    if s.dtype.kind == "b" or isinstance(s.dtype, pd.BooleanDtype):
        b = s.astype("boolean")
        value = pa.array(np.where(b.fillna(False).to_numpy(dtype=bool), "1", "0"))
        value = pc.if_else(pa.array(b.isna().to_numpy()), None, value)
        return pc.fill_null(
            pc.binary_join_element_wise(ref, '" t="b"><v>', value, "</v></c>", ""), ""
        )
    if s.dtype.kind in "iuf":
        v = s.astype("float64").to_numpy()
        return pc.fill_null(_numbers(ref, v, np.isfinite(v), ""), "")
    t = _as_text(s)
    if t is not None:
        return pc.fill_null(_texts(ref, t, styles, strings), "")
    values = s.astype(object).to_numpy()
    kinds = np.array([_KIND.get(type(x), "other") for x in values], dtype=object)
    texts = pa.array(np.where(kinds == "text", values, None), type=pa.string())
    out = _texts(ref, texts, styles, strings)
    rest = np.flatnonzero((kinds != "text") & (kinds != "blank"))
    if len(rest):  # mixed cells (user columns of objects): each written by its type
        extra = np.array([None] * n, dtype=object)
        for i in rest:
            extra[i] = _one_cell(values[i], styles)
        fixed = pc.binary_join_element_wise(ref, pa.array(extra, type=pa.string()), "")
        out = pc.coalesce(out, fixed)
    return pc.fill_null(out, "")


def _as_text(s: pd.Series):
    """``s`` as an Arrow string array (nulls for blanks) when every cell is text, else None."""
    import pyarrow as pa

    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
        t = pa.array(s.array)  # the column's own Arrow data
        return t.cast(pa.string()) if t.type != pa.string() else t
    if isinstance(s.dtype, pd.StringDtype) or (
        s.dtype == object and pd.api.types.infer_dtype(s, skipna=True) in ("string", "empty")
    ):
        try:
            return pa.array(s.astype(object).to_numpy(), type=pa.string(), from_pandas=True)
        except UnicodeEncodeError:  # a lone surrogate: refused before writing
            return None
    return None


_KIND = {str: "text", type(None): "blank", float: "float"}


def _numbers(ref, values: np.ndarray, ok: np.ndarray, style: str):
    import pyarrow as pa
    import pyarrow.compute as pc

    text = np.array([None] * len(values), dtype=object)
    text[ok] = list(map(repr, values[ok].tolist()))
    return pc.binary_join_element_wise(
        ref, f'"{style}><v>', pa.array(text, type=pa.string()), "</v></c>", ""
    )


def _texts(ref, t, styles: dict, strings: _Strings):
    """Shared string cells of the text cells of ``t`` (an Arrow string array, nulls
    elsewhere), quote-prefixed when they look like formulas, escaped for XML."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pc.any(pc.match_substring_regex(t, _CONTROL.pattern)).as_py():
        t = pa.array(
            [None if x is None else _CONTROL.sub(_control, x) for x in t.to_pylist()],
            type=pa.string(),
        )
    for a, b in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        t = pc.replace_substring(t, a, b)
    formula = pc.match_substring_regex(t, "^[=+\\-@]")
    style = pc.if_else(formula, f' s="{styles["quote"]}"', "")
    index = strings.add(t)
    return pc.binary_join_element_wise(ref, '"', style, ' t="s"><v>', index, "</v></c>", "")


def _one_cell(x, styles: dict) -> str | None:
    """The rest of one ``<c r="...`` element of a cell of any type (after its reference)."""
    if isinstance(x, np.generic):
        x = x.item()
    if x is None or x is pd.NA or x is pd.NaT:
        return None
    if isinstance(x, bool):
        return f'" t="b"><v>{int(x)}</v></c>'
    if isinstance(x, int | float):
        return f'"><v>{float(x)!r}</v></c>' if x == x and abs(x) != float("inf") else None
    if isinstance(x, pd.Timestamp | dt.datetime | dt.date):
        ts = pd.Timestamp(x)
        if ts >= pd.Timestamp(_FIRST_SERIAL):
            serial = (ts.to_datetime64() - _EXCEL_EPOCH) / np.timedelta64(1, "D")
            return f'" s="{styles["date"]}"><v>{float(serial)!r}</v></c>'
        x = str(ts.date())
    if _blank(x):
        return None
    text = _CONTROL.sub(_control, str(x)).replace("&", "&amp;").replace("<", "&lt;")
    style = f' s="{styles["quote"]}"' if text[:1] in _FORMULA_START else ""
    return f'"{style} t="inlineStr"><is><t xml:space="preserve">{text.replace(">", "&gt;")}</t></is></c>'


#: The template's README lines (catalog keys ``template.readme.*``), in this order.
_README = ("rows", "comments", "amounts", "dates", "check")


def write_template(
    path: str | os.PathLike, *, lang: str = "zh", divisions: CivicGraph | None = None
) -> Path:
    """An empty registry workbook to fill in: bilingual headers, drop-down lists for roles,
    edge kinds and program types, one example row per sheet (a ``#`` comment row) and a
    README sheet explaining every column.

    ``divisions`` (admin units, as :func:`~civicgraph.read_divisions` gives them, e.g.
    ``within="洛阳市"``): the examples name a place of these, the first community by code
    (its code, a federation named after it, its city's civil-affairs bureau as funder)
    instead of the generic example.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import civicgraph as cg
    >>> p = cg.write_template(pathlib.Path(tempfile.mkdtemp()) / "registry.xlsx")
    >>> cg.validate(p).empty
    True
    """
    import xlsxwriter

    from ...catalog import text

    if lang not in ("zh", "en"):
        raise SchemaError(f"lang must be 'zh' or 'en', not {lang!r}")
    path = Path(path)
    label = (lambda v: LABELS_ZH.get(v, v)) if lang == "zh" else (lambda v: v)
    lists = {
        COL.ROLE: tuple(r for r in ORG_ROLES if r != "unknown"),  # blank is unknown
        COL.KIND: EDGE_KINDS[1:],
        COL.PROGRAM_TYPE: PROGRAM_TYPES,
        COL.FUNDER_LEVEL: ADMIN_LEVELS,
    }
    local = _local_examples(divisions)
    readme_rows: list[list[str]] = [[text(f"template.readme.{k}", lang)] for k in _README]
    head = ("sheet", "header", "type", "required", "example", "meaning")
    readme_rows += [[], [text(f"template.head.{k}", lang) for k in head]]
    wb = xlsxwriter.Workbook(str(path), {**_WORKBOOK_OPTIONS, "constant_memory": False})
    try:
        formats = _formats(wb)
        example_format = wb.add_format({"italic": True, "font_color": "#808080"})
        readme = wb.add_worksheet("README")
        for sheet, cols in COLUMNS.items():
            cols = tuple((c[:4] + (local.get((sheet, c[0]), c[4]),) + c[5:]) for c in cols)
            title = _SHEET_ZH[sheet] if lang == "zh" else sheet
            ws = wb.add_worksheet(title)
            ws.freeze_panes(1, 0)
            ws.set_column(0, len(cols) - 1, 20)
            example = ["#" + cols[0][4]] + [
                label(c[4]) if c[0] in lists else c[4] for c in cols[1:]
            ]
            for j, (col, zh, typ, req, ex, _) in enumerate(cols):
                ws.write_string(0, j, _header(col, zh), formats["head"])
                ws.write_string(1, j, example[j], example_format)
                typ = text(f"template.type.{_type_key(typ)}", lang)
                meaning = text(f"template.meaning.{sheet}.{col}", lang)
                yes = text("template.yes", lang) if req else ""
                ex = label(ex) if col in lists else ex
                readme_rows.append([title, _header(col, zh), typ, yes, ex, meaning])
                if col in lists:
                    values = [label(v) for v in lists[col] if sheet != "funding" or v in _MONEY]
                    ws.data_validation(
                        1, j, 4999, j, {"validate": "list", "source": values, "ignore_blank": True}
                    )
        readme_rows.append([])
        headers = {c[0]: _header(c[0], c[1]) for cols in COLUMNS.values() for c in cols}
        for col, values in lists.items():
            shown = (
                "、".join(LABELS_ZH.get(v, v) for v in values)
                if lang == "zh"
                else ", ".join(f"{v} {LABELS_ZH.get(v, '')}" for v in values)
            )
            readme_rows.append([text("template.values", lang), headers[col], shown])
        readme.set_column(0, 0, 40)
        for r, row in enumerate(readme_rows):
            for j, x in enumerate(row):
                if x:
                    readme.write_string(r, j, x)
    finally:
        wb.close()
    return path


def _type_key(typ: str) -> str:
    """The catalog key (``template.type.*``) of a column's type in :data:`COLUMNS`."""
    return "registration" if typ == "登记 / 备案" else typ.replace(" ", "_")


#: What a community's (village's) committee is called after its name.
_COMMITTEE = re.compile(r"(居民委员会|村民委员会|居委会|村委会)$")


def _local_examples(divisions: CivicGraph | None) -> dict[tuple[str, str], str]:
    """``(sheet, column) → example`` naming a place of ``divisions``: its first community
    by code (the first unit when it has none), a federation named after it, and its
    city's civil-affairs bureau (``mca-`` and the city's code) as a program's funder."""
    if divisions is None:
        return {}
    admin = divisions.nodes[divisions.nodes[COL.KIND] == "admin"]
    if admin.empty:
        return {}
    levels = admin[COL.LEVEL].astype(object)
    for level in ("community", "street", "district", "city", "province"):
        units = admin[(levels == level).to_numpy()]
        if len(units):
            break
    else:  # (no unit of a known level)
        return {}
    units = units.sort_index()
    code, name = str(units.index[0]), units[COL.NAME].iloc[0]
    out = {("organizations", COL.DIVISION): code}
    if isinstance(name, str) and name.strip():
        base = _COMMITTEE.sub("", name.strip())
        out[("organizations", COL.NAME)] = base + (
            "社会组织联合会" if base.endswith("社区") else "社区社会组织联合会"
        )
    if len(code) >= 4:
        out[("programs", COL.FUNDER)] = f"mca-{code[:4]}"
    return out
