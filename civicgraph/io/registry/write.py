"""Writing a registry: a graph back into the registry's sheets (:func:`write_registry`),
and an empty workbook to fill in (:func:`write_template`).

Interface: :func:`write_registry` and :func:`write_template`; the sheets and their
columns are :data:`~.headers.COLUMNS`, so what is written is what is read.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from ..._errors import SchemaError
from ...model import CivicGraph
from ...schema import ADMIN_LEVELS, COL, EDGE_KINDS, LABELS_ZH, ORG_ROLES, PROGRAM_TYPES
from ..tables import xlsx_text
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


def _cell(x):
    if _blank(x) or x is pd.NA or x is pd.NaT:
        return None
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, pd.Timestamp):
        return x.to_pydatetime()
    return x


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
    type; a workbook keeps numbers, dates and TRUE/FALSE). In a workbook, text starting
    with ``=``, ``+``, ``-`` or ``@`` is stored as text, never as a formula (CSV files
    are written as they are), and control characters a workbook cannot hold are written
    out as ``\\x1b`` (use a CSV folder to keep them exactly).
    """
    path = Path(path)
    tables = _sheet_tables(g)
    names = {k: (_SHEET_ZH[k] if lang == "zh" else k) for k in tables}
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for sheet, df in tables.items():
            ws = wb.create_sheet(names[sheet])
            _write_rows(ws, _headers(sheet, df.columns), df)
        wb.save(path)
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


def _write_rows(ws, header: list[str], df: pd.DataFrame) -> None:
    ws.append(header)
    date_cols = {j for j, c in enumerate(df.columns) if df[c].dtype.kind == "M"}
    for r, row in enumerate(df.itertuples(index=False), start=2):
        for j, x in enumerate(row):
            value = _cell(x)
            if value is None:
                continue
            if isinstance(value, str):
                value = xlsx_text(value)
            cell = ws.cell(row=r, column=j + 1, value=value)
            if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
                cell.value = value
                cell.data_type = "s"
                cell.quotePrefix = True
            elif j in date_cols:
                cell.number_format = "yyyy-mm-dd"


_README_EN = (
    "Fill one row per organization, program, tie or grant. Headers may be Chinese or English.",
    "Rows whose first cell starts with # are examples/comments and are not read.",
    "Amounts are in yuan; a column headed 金额（万元） is read in 万元 (x 10,000).",
    "Dates: 2019-08-31, 2019/8/31, 2019年8月31日 or 2019年8月.",
    "Check the file with: civicgraph validate <file> (or cg.validate in Python).",
)
_README_ZH = (
    "每个组织、项目、关系或资助各填一行；表头可用中文或英文。",
    "第一格以 # 开头的行是示例/注释，不会读入。",
    "金额单位为元；表头为“金额（万元）”的列按万元读取（乘以 10000）。",
    "日期可写 2019-08-31、2019/8/31、2019年8月31日 或 2019年8月。",
    "填好后可用 civicgraph validate <文件> 检查（Python 中用 cg.validate）。",
)


def write_template(path: str | os.PathLike, *, lang: str = "zh") -> Path:
    """An empty registry workbook to fill in: bilingual headers, drop-down lists for roles,
    edge kinds and program types, one example row per sheet (a ``#`` comment row) and a
    README sheet explaining every column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import civicgraph as cg
    >>> p = cg.write_template(pathlib.Path(tempfile.mkdtemp()) / "registry.xlsx")
    >>> cg.validate(p).empty
    True
    """
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

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
    wb = openpyxl.Workbook()
    readme = wb.active
    readme.title = "README"
    for line in _README_ZH if lang == "zh" else _README_EN:
        readme.append([line])
    readme.append([])
    readme.append(["sheet", "header", "type", "required", "example", "meaning"])
    for sheet, cols in COLUMNS.items():
        ws = wb.create_sheet(_SHEET_ZH[sheet] if lang == "zh" else sheet)
        ws.append([_header(c[0], c[1]) for c in cols])
        example = ["#" + cols[0][4]] + [label(c[4]) if c[0] in lists else c[4] for c in cols[1:]]
        ws.append(example)
        for cell in ws[2]:
            cell.font = Font(italic=True, color="808080")
        for j, (col, zh, typ, req, ex, meaning) in enumerate(cols):
            readme.append([ws.title, _header(col, zh), typ, "yes" if req else "", ex, meaning])
            if col in lists:
                values = [label(v) for v in lists[col] if sheet != "funding" or v in _MONEY]
                dv = DataValidation(
                    type="list", formula1='"' + ",".join(values) + '"', allow_blank=True
                )
                letter = openpyxl.utils.get_column_letter(j + 1)
                dv.add(f"{letter}2:{letter}5000")
                ws.add_data_validation(dv)
        for j in range(len(cols)):
            ws.column_dimensions[openpyxl.utils.get_column_letter(j + 1)].width = 20
    readme.append([])
    for col, values in lists.items():
        readme.append(["values", col, ", ".join(f"{v} {LABELS_ZH.get(v, '')}" for v in values)])
    readme.column_dimensions["A"].width = 40
    wb.save(path)
    return path
