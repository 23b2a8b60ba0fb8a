"""Organization registries: a workbook (or a folder of CSVs) into a :class:`CivicGraph`.

A registry has the sheets (or CSV files) ``organizations`` (组织), ``ties`` (关系),
``funding`` (资金) and, optionally, ``programs`` (项目). Sheet names, headers and code
values may be Chinese or English (see :data:`civicgraph.schema.HEADER_ALIASES` and the
value aliases next to it); docs/registry-format.md describes every column.

Every problem is reported with file, sheet, row and column, all at once, in one
:class:`~civicgraph.ValidationError`; nothing is dropped silently (columns civicgraph does
not know are kept as attributes).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .._errors import DataNotFoundError, Problem, SchemaError, ValidationError
from ..model import CivicGraph
from ..model.graph import _convert
from ..schema import (
    ADMIN_LEVELS,
    COL,
    EDGE_COLUMNS,
    EDGE_KIND_ALIASES,
    EDGE_KINDS,
    HEADER_ALIASES,
    LABELS_ZH,
    LEVEL_ALIASES,
    NODE_COLUMNS,
    ORG_ROLES,
    PROGRAM_TYPE_ALIASES,
    PROGRAM_TYPES,
    ROLE_ALIASES,
    SHEET_ALIASES,
)
from ._codes import credit_code_problem, credit_code_registrar, division_level, short_code
from ._status import registration_status, urban_problems
from ._tables import read_csv_any
from ._values import (
    alias_lookup,
    fold,
    match_header,
    normalize_id,
    parse_amount,
    parse_date,
)
from .tables import xlsx_text

__all__ = ["read_registry", "registry_problems", "validate", "write_registry", "write_template"]

#: Sheets of a registry, in reading order; ``programs`` is optional.
SHEETS = ("organizations", "programs", "ties", "funding")
_REQUIRED_SHEETS = ("organizations",)
_README = {"readme", "说明", "填写说明", "readme/说明"}
PROVENANCE = ("src_file", "src_sheet", "src_row")

_SHEET_LOOKUP = alias_lookup(SHEET_ALIASES)
_HEADER_LOOKUP = alias_lookup({**HEADER_ALIASES})
_ROLE_LOOKUP = alias_lookup({r: ROLE_ALIASES.get(r, ()) for r in ORG_ROLES}, LABELS_ZH)
_KIND_LOOKUP = alias_lookup({k: EDGE_KIND_ALIASES.get(k, ()) for k in EDGE_KINDS}, LABELS_ZH)
_TYPE_LOOKUP = alias_lookup({t: PROGRAM_TYPE_ALIASES.get(t, ()) for t in PROGRAM_TYPES}, LABELS_ZH)
_LEVEL_LOOKUP = alias_lookup({lv: LEVEL_ALIASES.get(lv, ()) for lv in ADMIN_LEVELS}, LABELS_ZH)

#: Columns of each sheet: ``(column, Chinese header, type, required, example, meaning)``.
COLUMNS: dict[str, tuple[tuple[str, str, str, bool, str, str], ...]] = {
    "organizations": (
        (COL.ID, "编号", "text", True, "hub-001", "unique id; blank = the credit code"),
        (COL.NAME, "组织名称", "text", True, "滨江社区社会组织联合会", "name"),
        (COL.ROLE, "组织类型", "role", True, "hub", "one of the roles"),
        (COL.CREDIT_CODE, "统一社会信用代码", "text", False, "", "18 characters"),
        (
            COL.DIVISION,
            "所在区划代码",
            "code or name",
            False,
            "340207003001",
            "division code, or a community/street name of the divisions",
        ),
        (COL.START, "成立日期", "date", False, "2018-05-01", "registered / started"),
        (COL.END, "注销日期", "date", False, "", "deregistered / ended"),
    ),
    "programs": (
        (COL.ID, "编号", "text", True, "vp-2019", "unique id"),
        (COL.NAME, "项目名称", "text", True, "2019年市级公益创投", "name"),
        (COL.PROGRAM_TYPE, "项目类型", "program type", False, "venture_philanthropy", ""),
        (COL.FUNDER_LEVEL, "资助层级", "level", False, "city", "city, district, ..."),
        (COL.FUNDER, "出资方", "id", False, "mca-3402", "id of the funding org or unit"),
        (COL.YEAR, "年度", "integer", False, "2019", ""),
        (COL.START, "开始日期", "date", False, "2019-03-01", ""),
        (COL.END, "结束日期", "date", False, "2019-12-31", ""),
    ),
    "ties": (
        (COL.SOURCE, "来源", "id", True, "center-city", "id of the tie's source"),
        (COL.TARGET, "对象", "id or division", True, "hub-001", "id, division code or name"),
        (COL.KIND, "关系类型", "edge kind", True, "incubates", "one of the edge kinds"),
        (COL.START, "开始日期", "date", False, "2018-06-01", ""),
        (COL.END, "结束日期", "date", False, "", ""),
    ),
    "funding": (
        (COL.SOURCE, "来源", "id", True, "vp-2019", "program id or funder id"),
        (COL.TARGET, "对象", "id or division", True, "hub-001", "recipient org or unit"),
        (COL.KIND, "关系类型", "edge kind", False, "funds", "funds (default) or awards"),
        (COL.AMOUNT, "金额（元）", "amount", True, "50000", "yuan; or 金额（万元）"),
        (COL.START, "资助日期", "date", False, "2019-08-31", "date granted"),
        (COL.END, "结束日期", "date", False, "", ""),
        (COL.PROGRAM, "所属项目", "id", False, "", "program id (re-granting, award use)"),
        (COL.PROJECT, "子项目", "text", False, "邻里互助", "project name"),
        (COL.PURPOSE, "资金用途", "text", False, "", "e.g. purchase_of_services"),
    ),
}
_SHEET_ZH = {"organizations": "组织", "programs": "项目", "ties": "关系", "funding": "资金"}
_NODE_KIND = {"organizations": "org", "programs": "program"}
_MONEY = ("funds", "awards")  # edge kinds of the funding sheet
#: Headers that mean something else on some sheets (类型 is a program's type on the
#: programs sheet, a tie's kind on ties and funding; 项目名称 is a grant's project name).
_SHEET_RENAME = {
    "programs": {COL.ROLE: COL.PROGRAM_TYPE},
    "ties": {COL.ROLE: COL.KIND},
    "funding": {COL.ROLE: COL.KIND, COL.NAME: COL.PROJECT},
}


# ----------------------------------------------------------------------------- loading


@dataclass
class _Sheet:
    """One sheet (or CSV file) as read: raw cells under canonical or extra column names."""

    kind: str
    file: str
    sheet: str | None
    frame: pd.DataFrame
    rows: np.ndarray
    headers: dict[str, str] = field(default_factory=dict)

    def problem(self, i, column, message, *, value=None, fix=None, code: str) -> Problem:
        return Problem(
            message,
            file=self.file,
            sheet=self.sheet,
            row=int(self.rows[i]),
            column=self.headers.get(column, column),
            value=value,
            fix=fix,
            code=code,
        )

    def provenance(self) -> dict:
        return {"src_file": self.file, "src_sheet": self.sheet, "src_row": self.rows}


def _load(path: Path, problems: list[Problem], progress: Progress = None) -> list[_Sheet]:
    if not path.exists():
        raise DataNotFoundError(f"no registry at {path}")
    tables: list[tuple[str, str, str | None, pd.DataFrame]] = []  # (title, file, sheet, cells)
    unreadable: set[str | None] = set()  # sheets whose file could not be read
    if path.is_dir():
        for f in sorted(path.iterdir()):
            if f.suffix.lower() != ".csv" or f.name.startswith((".", "~$")):
                continue
            _say(progress, f"reading {f.name}")
            if f.stat().st_size < 8 and not f.read_bytes().strip(b"\xef\xbb\xbf \r\n\t"):
                cells = pd.DataFrame()  # an empty file is an empty table, like an empty sheet
            else:
                try:
                    cells = read_csv_any(f, header=None, dtype=object)
                except ValidationError as exc:  # unreadable: report it with the rest
                    problems.extend(exc.problems)
                    unreadable.add(match_header(f.stem, _SHEET_LOOKUP))
                    continue
            tables.append((f.stem, str(f), None, cells))
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
            for ws in wb.worksheets:
                _say(progress, f"reading sheet {ws.title}")
                cells = pd.DataFrame(list(ws.iter_rows(values_only=True)), dtype=object)
                tables.append((ws.title, str(path), ws.title, cells))
            wb.close()
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ValidationError(
                [
                    Problem(
                        f"cannot open the workbook: {exc}",
                        file=str(path),
                        fix="open it in Excel and save it as an .xlsx workbook (Excel "
                        "Workbook); for CSV files, put them in a folder and give the folder",
                        code="not_xlsx",
                    )
                ],
                what=str(path),
            ) from None
    else:
        raise SchemaError(
            f"{path} is neither an .xlsx workbook nor a folder of CSV files; "
            "save the registry as .xlsx or as one CSV per sheet in a folder"
        )
    sheets: dict[str, _Sheet] = {}
    for title, file, sheet, cells in tables:
        kind = match_header(title, _SHEET_LOOKUP)
        if kind is None:
            if fold(title) not in _README:
                problems.append(
                    Problem(
                        f"unknown sheet {title!r}",
                        file=file,
                        sheet=sheet,
                        fix="name it organizations (组织), ties (关系), funding (资金) or "
                        "programs (项目), or delete it",
                        code="unknown_sheet",
                    )
                )
            continue
        if kind in sheets:
            problems.append(
                Problem(
                    f"a second {kind} sheet {title!r}",
                    file=file,
                    sheet=sheet,
                    fix=f"put every row in one {kind} sheet",
                    code="duplicate_sheet",
                )
            )
            continue
        sheets[kind] = _frame(kind, file, sheet, cells, problems)
    for kind in _REQUIRED_SHEETS:
        if kind not in sheets and kind not in unreadable:
            problems.append(
                Problem(
                    f"the registry has no {kind} sheet",
                    file=str(path),
                    fix=f"add a sheet (or CSV file) named {kind} or {_SHEET_ZH[kind]}",
                    code="missing_sheet",
                )
            )
    return [sheets[k] for k in SHEETS if k in sheets]


Progress = Callable[[str], None] | None


def _say(progress: Progress, text: str) -> None:
    if progress is not None:
        progress(text)


def _blank(x) -> bool:
    if x is None:
        return True
    t = type(x)
    if t is str:
        return not x.strip()
    return t is float and x != x


def _known_headers(row) -> list[bool]:
    return [not _blank(x) and match_header(str(x).strip(), _HEADER_LOOKUP) is not None for x in row]


def _header_rows(rows: list) -> tuple[int, int]:
    """``(first, after)``: the header is ``rows[first:after]``.

    The header is the first of the first 20 rows with two or more known headers (row 1
    when there is none), so title lines above it are skipped. A row under it holding
    only known headers continues it (a two-row header with merged group cells such as
    ``基本信息`` over ``组织名称`` and ``组织类型``).
    """
    first = next((i for i, r in enumerate(rows[:20]) if sum(_known_headers(r)) >= 2), 0)
    after = min(first + 1, len(rows))
    if after < len(rows):
        nxt = rows[after]
        known = _known_headers(nxt)
        if any(known) and all(k or _blank(x) for k, x in zip(known, nxt)):
            after += 1
    return first, after


def _blanks(values: np.ndarray) -> np.ndarray:
    """:func:`_blank` over an object array, vectorized."""
    s = pd.Series(values, dtype=object)
    out = s.isna().to_numpy().copy()
    text = np.fromiter((type(x) is str for x in values), dtype=bool, count=len(values))
    if text.any():
        out[text] = s[text].str.strip().to_numpy() == ""
    return out


def _frame(kind, file, sheet, cells: pd.DataFrame, problems) -> _Sheet:
    """One sheet's cells (no header row taken, object values) as a :class:`_Sheet`."""
    top = cells.iloc[:21].to_numpy(dtype=object).tolist()
    first, after = _header_rows(top)
    width = cells.shape[1]
    header = [None] * width
    for r in top[first:after]:  # lower header cells name the column, upper ones group
        for j, (x, k) in enumerate(zip(r, _known_headers(r))):
            if not _blank(x) and (k or _blank(header[j])):
                header[j] = x
    header_row = after  # the spreadsheet row of the (last) header line
    n = max(len(cells) - after, 0)
    body = [cells.iloc[after:, j].to_numpy(dtype=object) for j in range(width)]
    blank = np.ones(n, dtype=bool)
    for values in body:
        blank &= _blanks(values)
    comment = np.zeros(n, dtype=bool)
    if width:  # rows whose first cell starts with # are comments (the template's examples)
        first_cells = pd.Series(body[0], dtype=object)
        text = np.fromiter((type(x) is str for x in body[0]), dtype=bool, count=n)
        comment[text] = first_cells[text].str.lstrip().str.startswith("#").to_numpy(dtype=bool)
    keep = np.flatnonzero(~blank & ~comment)
    numbers = np.arange(after + 1, n + after + 1)[keep]
    body = [values[keep] for values in body]
    columns: dict[str, list] = {}
    headers: dict[str, str] = {}
    for j, h in enumerate(header):
        values = body[j]
        if _blank(h):
            if not _blanks(values).all():
                problems.append(
                    Problem(
                        f"column {j + 1} has values but no header",
                        file=file,
                        sheet=sheet,
                        row=header_row,
                        fix="give the column a header (or delete it)",
                        code="missing_header",
                    )
                )
            continue
        text = str(h).strip()
        canon = match_header(text, _HEADER_LOOKUP) or text
        if canon in columns:
            problems.append(
                Problem(
                    f"columns {headers[canon]!r} and {text!r} both mean {canon!r}",
                    file=file,
                    sheet=sheet,
                    row=header_row,
                    column=text,
                    fix="keep one of them",
                    code="duplicate_column",
                )
            )
            continue
        columns[canon] = values
        headers[canon] = text
    for wrong, right in _SHEET_RENAME.get(kind, {}).items():
        if wrong in columns and right not in columns:
            columns[right] = columns.pop(wrong)
            headers[right] = headers.pop(wrong)
    frame = pd.DataFrame(columns, dtype=object, index=pd.RangeIndex(len(keep)))
    return _Sheet(kind, file, sheet, frame, numbers, headers)


# ----------------------------------------------------------------------------- cells


def _text(values: pd.Series, ids: bool = False) -> pd.Series:
    """Cells as text (``None`` for blanks); numbers lose a ``.0`` (codes typed as numbers)."""

    def one(x):
        if type(x) is str:
            x = x.strip()
            if not x:
                return None
            return normalize_id(x) if ids and not x.isascii() else x
        if _blank(x):
            return None
        if isinstance(x, float) and x.is_integer():
            x = int(x)
        return normalize_id(x) if ids else str(x).strip()

    return pd.Series([one(x) for x in values], index=values.index, dtype=object)


def _column(sh: _Sheet, col: str, ids: bool = False) -> pd.Series:
    if col not in sh.frame:
        return pd.Series([None] * len(sh.frame), index=sh.frame.index, dtype=object)
    return _text(sh.frame[col], ids)


def _each(values, parse) -> tuple[list, list[int]]:
    """``parse`` over cells, once per distinct value; ``None`` results mark bad cells."""
    cache: dict = {}
    out, bad = [], []
    for i, x in enumerate(values):
        key = (type(x), x)
        if key not in cache:
            cache[key] = parse(x)
        v = cache[key]
        if v is None:
            bad.append(i)
        out.append(v)
    return out, bad


def _coded(sh, col, lookup, problems, *, what, choices, code) -> pd.Series:
    text = _column(sh, col)
    out, bad = _each(text, lambda x: "" if x is None else lookup.get(fold(x)))
    for i in bad:
        problems.append(
            sh.problem(
                i,
                col,
                f"unknown {what}",
                value=text.iat[i],
                fix=f"use one of {', '.join(choices)}",
                code=code,
            )
        )
    return pd.Series([v or None for v in out], index=text.index, dtype=object)


def _dates(sh: _Sheet, col: str, problems) -> pd.Series:
    raw = sh.frame[col] if col in sh.frame else [None] * len(sh.frame)
    out, bad = _each(raw, parse_date)
    for i in bad:
        problems.append(
            sh.problem(
                i,
                col,
                "cannot read the date",
                value=raw[i],
                fix="write it as 2019-08-31",
                code="bad_date",
            )
        )
        out[i] = pd.NaT
    values = np.array([np.datetime64("NaT") if v is pd.NaT else v.to_datetime64() for v in out])
    return pd.Series(values.astype("datetime64[ns]"), index=sh.frame.index)


def _amounts(sh: _Sheet, problems) -> pd.Series:
    n = len(sh.frame)
    out = np.full(n, np.nan)
    for col, wan in ((COL.AMOUNT, False), ("amount_wan", True)):
        if col not in sh.frame:
            continue
        raw = sh.frame[col]
        values, bad = _each(raw, lambda x, wan=wan: parse_amount(x, wan=wan))
        values = np.array([np.nan if v is None else v for v in values], dtype=float)
        todo = np.isnan(out)
        out[todo] = values[todo]
        for i in bad:
            if todo[i]:
                problems.append(
                    sh.problem(
                        i,
                        col,
                        "the amount is not a number",
                        value=raw.iat[i],
                        fix="write a number of yuan such as 12000 (or 1.2万)",
                        code="not_a_number",
                    )
                )
    if "amount_wan" in sh.frame and COL.AMOUNT not in sh.headers:
        sh.headers[COL.AMOUNT] = sh.headers["amount_wan"]
    return pd.Series(out, index=sh.frame.index)


def _extra(values: pd.Series) -> pd.Series:
    """An extra column with one dtype: boolean, float, datetime or text."""
    present = [x for x in values if not _blank(x)]
    if present and all(isinstance(x, bool) for x in present):
        return values.map(lambda x: None if _blank(x) else x).astype("boolean")
    if present and all(isinstance(x, int | float) and not isinstance(x, bool) for x in present):
        return pd.to_numeric(values.map(lambda x: np.nan if _blank(x) else x)).astype("float64")
    if present and all(
        isinstance(x, pd.Timestamp | np.datetime64) or hasattr(x, "isoformat") for x in present
    ):
        return pd.to_datetime(values.map(lambda x: pd.NaT if _blank(x) else x)).astype(
            "datetime64[ns]"
        )
    return _text(values).astype("str")


_TRUE = {"true", "1", "yes", "y", "是", "对", "t"}
_FALSE = {"false", "0", "no", "n", "否", "f"}


def _booleans(sh: _Sheet, col: str, problems) -> pd.Series:
    out = []
    for i, x in enumerate(sh.frame[col]):
        if _blank(x):
            out.append(None)
        elif isinstance(x, bool):
            out.append(x)
        elif fold(x) in _TRUE or fold(x) in _FALSE:
            out.append(fold(x) in _TRUE)
        else:
            problems.append(
                sh.problem(
                    i,
                    col,
                    "not a yes/no value",
                    value=x,
                    fix="write TRUE or FALSE",
                    code="not_a_boolean",
                )
            )
            out.append(None)
    return pd.Series(out, index=sh.frame.index, dtype="boolean")


def _years(sh: _Sheet, col: str, problems) -> pd.Series:
    out = []
    for i, x in enumerate(sh.frame[col]):
        v = parse_amount(x)
        if v is None or (v == v and not float(v).is_integer()):
            problems.append(
                sh.problem(
                    i,
                    col,
                    "not a year",
                    value=x,
                    fix="write a year such as 2019",
                    code="not_a_year",
                )
            )
            v = np.nan
        out.append(v)
    return pd.Series(out, index=sh.frame.index, dtype="float64").astype("Int64")


def _extras(sh: _Sheet, known: tuple[str, ...], problems) -> dict[str, pd.Series]:
    out = {}
    for col in sh.frame.columns:
        if col in known or col == "amount_wan":
            continue
        if col == COL.SYNTHETIC:
            out[col] = _booleans(sh, col, problems)
        elif col in (COL.REGISTRAR, COL.REGISTRAR_LEVEL, COL.NOTE, COL.SOURCE_REF):
            out[col] = _column(sh, col).astype("str")
        else:
            out[col] = _extra(sh.frame[col])
    return out


# ----------------------------------------------------------------------------- divisions


_PARENT_LENGTH = {12: 9, 9: 6, 6: 4, 4: 2}


def _stem(name: str) -> str:
    """A folded unit name without its committee suffix, as :attr:`_Places._forms` has it."""
    name = re.sub("(村民委员会|村委会)$", "村", name)
    stem = re.sub("(居民委员会|居委会|委员会)$", "", name)
    return stem + "社区" if stem != name and not stem.endswith("社区") else stem


class _Places:
    """Admin units of the divisions graph by code and (built on first use) by name."""

    def __init__(self, divisions: CivicGraph | None):
        self.bare = divisions is None
        if divisions is None:
            self.ids = np.array([], dtype=object)
            self.unit_names = np.array([], dtype=object)
        else:
            n = divisions._nodes
            admin = n[(n[COL.KIND] == "admin").to_numpy()]
            self.ids = admin[COL.ID].astype(str).to_numpy(dtype=object)
            self.unit_names = admin[COL.NAME].astype(object).fillna("").to_numpy(dtype=object)
        self.codes: set[str] = set(self.ids)
        self.label = dict(zip(self.ids, self.unit_names))

    @functools.cached_property
    def _forms(self) -> tuple[pd.Series, np.ndarray]:
        """``(keys, codes)``: every unit under each folded form of its name (with and
        without the committee suffix ``居民委员会`` ..., alone and after its parent's
        name). Built once with Arrow compute kernels (the national list in seconds)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        join = pc.binary_join_element_wise
        names = pa.array(self.unit_names, type=pa.string())
        stems = pc.replace_substring_regex(names, "(村民委员会|村委会)$", "村")
        stems = pc.replace_substring_regex(stems, "(居民委员会|居委会|委员会)$", "")
        urban = pc.and_(pc.match_substring(names, "居"), pc.invert(pc.ends_with(stems, "社区")))
        she = pc.if_else(urban, join(stems, "社区", ""), stems)
        ids = pa.array(self.ids, type=pa.string())
        lengths = pc.utf8_length(ids)
        parent_code = ids
        for n, k in _PARENT_LENGTH.items():
            cut = pc.utf8_slice_codeunits(ids, 0, k)
            parent_code = pc.if_else(pc.equal(lengths, n), cut, parent_code)
        parents = pc.take(names, pc.index_in(parent_code, value_set=ids))
        parents = pc.if_else(pc.greater(lengths, 4), pc.fill_null(parents, ""), "")
        forms = pa.concat_arrays(
            [
                names,
                stems,
                she,
                join(parents, names, ""),
                join(parents, stems, ""),
                join(parents, she, ""),
            ]
        )
        keys = pc.utf8_lower(pc.replace_substring_regex(forms, r"[\s_\-]+", ""))
        keys = pd.Series(keys.to_numpy(zero_copy_only=False), dtype=object)
        odd = pc.match_substring_regex(forms, r"[\x{ff00}-\x{ffef}\x{3000}【】〔〕\[\]]")
        odd = np.flatnonzero(odd.to_numpy(zero_copy_only=False))
        if len(odd):  # full-width forms or other brackets: the full fold, for these few
            keys.iloc[odd] = [fold(k) for k in keys.iloc[odd]]
        return keys, np.tile(self.ids, 6)

    def prime(self, values) -> None:
        """Resolve many names in one pass (what :meth:`resolve` then looks up)."""
        cache = self.__dict__.setdefault("_cache", {})
        todo = {v for v in values if isinstance(v, str) and v not in cache and not v.isdigit()}
        if not todo:
            return
        folded = {v: fold(v) for v in todo}
        # the name as typed, and without its committee suffix (方塘社区居委会 -> 方塘社区)
        stems = {v: _stem(k) for v, k in folded.items()}
        found: dict[str, set[str]] = {}
        if len(self.ids):
            keys, codes = self._forms
            hit = keys.isin(set(folded.values()) | set(stems.values())).to_numpy()
            for k, c in zip(keys[hit], codes[hit]):
                found.setdefault(k, set()).add(c)
        for v, k in folded.items():
            cands = sorted(found.get(k, ()) or found.get(stems[v], ()))
            cache[v] = (cands[0], cands) if len(cands) == 1 else (None, cands)

    def resolve(self, value: str) -> tuple[str | None, list[str]]:
        """``(code, candidates)``: the unit's code, or ``None`` and the candidates."""
        cache = self.__dict__.setdefault("_cache", {})
        if value not in cache:
            if value.isdigit():
                code = short_code(value)
                known = code in self.codes or (self.bare and division_level(code) is not None)
                cache[value] = (code, [code]) if known else (None, [])
            else:
                self.prime([value])
        return cache[value]

    def scope(self) -> str:
        """`` (they are under 3402 芜湖市)``: the top units of the divisions read."""
        if not len(self.ids):
            return ""
        lengths = np.array([len(c) for c in self.ids])
        top = self.ids[lengths == lengths.min()][:3]
        return (
            " (the divisions read are under "
            + ", ".join(f"{c} {self.label.get(c, '')}".strip() for c in top)
            + ")"
        )

    def describe(self, codes: list[str]) -> str:
        out = []
        for c in codes:
            parent = c[: _PARENT_LENGTH.get(len(c), 0)]
            where = self.label.get(parent, "")
            out.append(f"{c} ({where}{self.label.get(c, '')})")
        return ", ".join(out)


def _place(sh: _Sheet, i: int, col: str, value: str, places: _Places, problems, *, name_only: bool):
    """A division code for a cell holding a code or a name; problems for the rest."""
    code, cands = places.resolve(value)
    if code is not None:
        return code
    if len(cands) > 1:
        problems.append(
            sh.problem(
                i,
                col,
                f"the name {value!r} matches {len(cands)} admin units: {places.describe(cands)}",
                value=value,
                fix="write the division code instead, or put the street name before it",
                code="ambiguous_division",
            )
        )
        return None
    if name_only and value.isdigit():
        if division_level(value) is None:
            why = f"a division code has 2, 4, 6, 9 or 12 digits, this one {len(value)}"
        else:
            why = "no unit of the divisions read has this code" + places.scope()
        problems.append(
            sh.problem(
                i,
                col,
                f"unknown division code: {why}",
                value=value,
                fix="use a code of the divisions read with read_divisions (12 digits or "
                "short); for another city, read that city's divisions",
                code="unknown_division",
            )
        )
        return None
    if name_only:
        problems.append(
            sh.problem(
                i,
                col,
                "no admin unit has this name",
                value=value,
                fix="write the division code, or the unit's name as in the division list"
                + (" (and pass divisions= to resolve names)" if places.bare else ""),
                code="unknown_division",
            )
        )
    return None


# ----------------------------------------------------------------------------- sheets


def _org_nodes(sh: _Sheet, places: _Places, problems) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = _column(sh, COL.ID, ids=True)
    credit = _column(sh, COL.CREDIT_CODE, ids=True)
    credit = pd.Series([None if x is None else x.upper() for x in credit], dtype=object)
    registrar = list(_column(sh, COL.REGISTRAR))
    level = list(_column(sh, COL.REGISTRAR_LEVEL))
    ids = list(ids)
    for i, code in enumerate(credit):
        if code is None:
            continue
        why = credit_code_problem(code)
        if why is not None:
            problems.append(
                sh.problem(
                    i,
                    COL.CREDIT_CODE,
                    f"invalid unified social credit code: {why}",
                    value=code,
                    fix="copy the code from the registration certificate",
                    code="bad_credit_code",
                )
            )
        if len(code) >= 8 and code[2:8].isdigit():
            registrar[i], level[i] = credit_code_registrar(code)
        if ids[i] is None:
            ids[i] = code
    ids = pd.Series(ids, dtype=object)
    registrar = pd.Series(registrar, dtype=object)
    level = pd.Series(level, dtype=object)
    for i in np.flatnonzero(ids.isna().to_numpy()):
        problems.append(
            sh.problem(
                i,
                COL.ID,
                "organization without an id or credit code",
                fix="give it an id (or its unified social credit code)",
                code="missing_id",
            )
        )
    typed = _column(sh, COL.DIVISION, ids=True)
    # each distinct code or name resolved once; problems for the rows it fails on
    found = {v: places.resolve(v)[0] for v in pd.unique(typed.dropna().to_numpy())}
    division = pd.Series(typed.map(found).to_numpy(dtype=object), dtype=object)
    for i in np.flatnonzero(typed.notna().to_numpy() & division.isna().to_numpy()):
        _place(sh, i, COL.DIVISION, typed.iat[i], places, problems, name_only=True)
    role = _coded(
        sh,
        COL.ROLE,
        _ROLE_LOOKUP,
        problems,
        what="organization role",
        choices=ORG_ROLES,
        code="unknown_role",
    )
    known = (
        COL.ID,
        COL.NAME,
        COL.ROLE,
        COL.CREDIT_CODE,
        COL.DIVISION,
        COL.START,
        COL.END,
        COL.KIND,
        COL.REGISTRATION,
    )
    nodes = pd.DataFrame(
        {
            COL.ID: ids,
            COL.KIND: "org",
            COL.NAME: _column(sh, COL.NAME),
            COL.ROLE: role,
            COL.START: _dates(sh, COL.START, problems),
            COL.END: _dates(sh, COL.END, problems),
            COL.CREDIT_CODE: credit.astype("str"),
            COL.DIVISION: division.astype("str"),
            COL.REGISTRAR: registrar.astype("str"),
            COL.REGISTRAR_LEVEL: level.astype("str"),
            COL.REGISTRATION: registration_status(sh, problems),
            **_extras(sh, known + (COL.REGISTRAR, COL.REGISTRAR_LEVEL), problems),
            **sh.provenance(),
        }
    )
    _kind_column_check(sh, "org", problems)
    has = division.notna().to_numpy() & ids.notna().to_numpy()
    located = pd.DataFrame(
        {
            COL.SOURCE: ids[has].to_numpy(),
            COL.TARGET: division[has].to_numpy(),
            COL.KIND: "located_in",
            "src_file": sh.file,
            "src_sheet": sh.sheet,
            "src_row": sh.rows[has],
        }
    )
    sh.headers.setdefault(COL.SOURCE, sh.headers.get(COL.ID, COL.ID))
    sh.headers.setdefault(COL.TARGET, sh.headers.get(COL.DIVISION, COL.DIVISION))
    return nodes, located


def _kind_column_check(sh: _Sheet, kind: str, problems) -> None:
    """A ``kind`` column on a node sheet may only repeat the sheet's node kind."""
    if COL.KIND not in sh.frame:
        return
    for i, x in _column(sh, COL.KIND).items():
        if x is not None and fold(x) not in (kind, fold(LABELS_ZH[kind])):
            problems.append(
                sh.problem(
                    i,
                    COL.KIND,
                    f"rows of this sheet are {kind} nodes",
                    value=x,
                    fix="move the row to the right sheet or clear the cell",
                    code="wrong_sheet",
                )
            )


def _program_nodes(sh: _Sheet, problems) -> pd.DataFrame:
    ids = _column(sh, COL.ID, ids=True)
    for i in np.flatnonzero(ids.isna().to_numpy()):
        problems.append(
            sh.problem(i, COL.ID, "program without an id", fix="give it an id", code="missing_id")
        )
    known = (
        COL.ID, COL.NAME, COL.PROGRAM_TYPE, COL.FUNDER_LEVEL, COL.FUNDER, COL.YEAR, COL.START, COL.END, COL.KIND,
    )  # fmt: skip
    _kind_column_check(sh, "program", problems)
    return pd.DataFrame(
        {
            COL.ID: ids,
            COL.KIND: "program",
            COL.NAME: _column(sh, COL.NAME),
            COL.START: _dates(sh, COL.START, problems),
            COL.END: _dates(sh, COL.END, problems),
            COL.PROGRAM_TYPE: _coded(
                sh,
                COL.PROGRAM_TYPE,
                _TYPE_LOOKUP,
                problems,
                what="program type",
                choices=PROGRAM_TYPES,
                code="unknown_program_type",
            ).astype("str"),  # fmt: skip
            COL.FUNDER_LEVEL: _coded(
                sh,
                COL.FUNDER_LEVEL,
                _LEVEL_LOOKUP,
                problems,
                what="level",
                choices=ADMIN_LEVELS,
                code="unknown_level",
            ).astype("str"),  # fmt: skip
            COL.FUNDER: _column(sh, COL.FUNDER, ids=True).astype("str"),
            COL.YEAR: _years(sh, COL.YEAR, problems) if COL.YEAR in sh.frame else pd.NA,
            **_extras(sh, known, problems),
            **sh.provenance(),
        }
    ).astype({COL.YEAR: "Int64"})


def _edge_rows(sh: _Sheet, places: _Places, node_ids: set[str], problems) -> pd.DataFrame:
    ends = {}
    for col in (COL.SOURCE, COL.TARGET):
        values = list(_column(sh, col, ids=True))
        for i, x in enumerate(values):
            if x is None:
                problems.append(
                    sh.problem(
                        i, col, f"tie without a {col}", fix="fill in the id", code="missing_node"
                    )
                )
            elif x not in node_ids:
                code = _place(sh, i, col, x, places, problems, name_only=False)
                if code is not None:
                    values[i] = code
        # Arrow strings, as the graph keeps them: no Python string per tie end held on
        ends[col] = pd.Series(pd.array(values, dtype="str"))
        del values
    if sh.kind == "funding":
        kind = _coded(
            sh,
            COL.KIND,
            _KIND_LOOKUP,
            problems,
            what="edge kind",
            choices=EDGE_KINDS,
            code="unknown_edge_kind",
        )
        default = np.where(ends[COL.TARGET].isin(places.codes), "awards", "funds")
        kind = kind.where(kind.notna() | (_column(sh, COL.KIND).notna()), pd.Series(default))
    else:
        kind = _coded(
            sh,
            COL.KIND,
            _KIND_LOOKUP,
            problems,
            what="edge kind",
            choices=EDGE_KINDS,
            code="unknown_edge_kind",
        )
        for i in np.flatnonzero(_column(sh, COL.KIND).isna().to_numpy()):
            problems.append(
                sh.problem(
                    i,
                    COL.KIND,
                    "tie without a kind",
                    fix=f"use one of {', '.join(EDGE_KINDS)}",
                    code="unknown_edge_kind",
                )
            )
    known = (
        COL.SOURCE,
        COL.TARGET,
        COL.KIND,
        COL.AMOUNT,
        COL.START,
        COL.END,
        COL.PROGRAM,
        COL.PROJECT,
        COL.PURPOSE,
    )
    data = {
        COL.SOURCE: ends[COL.SOURCE],
        COL.TARGET: ends[COL.TARGET],
        COL.KIND: kind,
        COL.AMOUNT: _amounts(sh, problems),
        COL.START: _dates(sh, COL.START, problems),
        COL.END: _dates(sh, COL.END, problems),
    }
    for col in (COL.PROGRAM, COL.PROJECT, COL.PURPOSE):
        if col in sh.frame or sh.kind == "funding":
            data[col] = _column(sh, col, ids=col == COL.PROGRAM).astype("str")
    return pd.DataFrame({**data, **_extras(sh, known, problems), **sh.provenance()})


def _raw_id(row: pd.Series, sheets: dict) -> str:
    """A node's id as the user typed it (its normalized id where that is not known)."""
    sh = sheets.get((row.get("src_file"), row.get("src_sheet")))
    if sh is not None and COL.ID in sh.frame:
        raw = sh.frame[COL.ID].iat[int(np.flatnonzero(sh.rows == row["src_row"])[0])]
        if not _blank(raw):
            return str(raw)
    return str(row[COL.ID])


def _duplicate_ids(nodes: pd.DataFrame, sheets: dict, problems) -> None:
    """Ids used twice, also when they differ only by spaces or full-width forms."""
    key = nodes[COL.ID]
    spaced = key.str.contains(r"\s", regex=True).fillna(False).to_numpy(dtype=bool)
    if spaced.any():  # only these few get a new string (national registries: millions of ids)
        key = key.copy()
        key[spaced] = key[spaced].str.replace(r"\s+", "", regex=True)
    dup = key.duplicated(keep="first") & key.notna()
    if not dup.any():
        return
    again = key.isin(set(key[dup])) & ~dup
    first = dict(zip(key[again], nodes.index[again]))
    for i in np.flatnonzero(dup.to_numpy()):
        row = nodes.iloc[i]
        j = first[key.iat[i]]
        other = nodes.iloc[j]
        where = (
            f"row {int(other['src_row'])} of {other['src_sheet'] or Path(other['src_file']).name}"
            if pd.notna(other.get("src_row"))
            else "the divisions"
        )
        sh = sheets.get((row["src_file"], row["src_sheet"]))
        if sh is None:
            continue
        pos = int(np.flatnonzero(sh.rows == row["src_row"])[0])
        same = _raw_id(other, sheets) == _raw_id(row, sheets)
        problems.append(
            sh.problem(
                pos,
                COL.ID,
                f"duplicate node id: {where} has the same id"
                + ("" if same else " (they differ only by spaces or full-width characters)"),
                value=row[COL.ID],
                fix="give every node its own id",
                code="duplicate_id",
            )
        )


# ----------------------------------------------------------------------------- reading


def registry_problems(
    path: str | os.PathLike, *, divisions: CivicGraph | None, progress: Progress = None
) -> tuple[CivicGraph, list[Problem]]:
    """The registry's graph (unvalidated) and every problem found in it.

    The building block of :func:`read_registry` and :func:`validate`. With
    ``divisions=None`` admin units are only known by code: each division code the
    registry uses becomes a bare admin node, and names cannot be resolved.
    ``progress``, if given, is called with a short text at each step (a file or sheet
    being read, a table being checked).
    """
    path = Path(path)
    problems: list[Problem] = []
    sheets = _load(path, problems, progress)
    places = _Places(divisions)
    node_frames, edge_frames = [], []
    if divisions is not None:
        node_frames.append(divisions._nodes)
        edge_frames.append(divisions.edges)
    by_kind = {sh.kind: sh for sh in sheets}
    places.prime(_distinct(sheets, (COL.DIVISION,)))  # every name resolved in one pass
    located = None
    if "organizations" in by_kind:
        _say(progress, "organizations")
        orgs, located = _org_nodes(by_kind["organizations"], places, problems)
        node_frames.append(orgs)
        del orgs
    if "programs" in by_kind:
        node_frames.append(_program_nodes(by_kind["programs"], problems))
    # (a generator: a loop variable would keep the last frame, ~150 MiB of Python strings
    # for a million organizations, alive until the graph is built)
    node_ids = set(places.codes).union(
        *(f[COL.ID].dropna() for f in node_frames[1 if divisions is not None else 0 :])
    )
    if located is not None:
        edge_frames.append(located)
    # tie ends that are no node's id may be admin units' names
    places.prime(x for x in _distinct(sheets, (COL.SOURCE, COL.TARGET)) if x not in node_ids)
    for kind in ("ties", "funding"):
        if kind in by_kind:
            _say(progress, kind)
            edge_frames.append(_edge_rows(by_kind[kind], places, node_ids, problems))
    del node_ids, located
    for sh in sheets:  # the raw cells are read; keep the ids (duplicate-id messages) as
        # Arrow strings: one Python string per organization weighs ~60 MiB per million
        sh.frame = (
            pd.DataFrame({COL.ID: pd.array(sh.frame[COL.ID].astype(object), dtype="str")})
            if COL.ID in sh.frame
            else sh.frame.iloc[:, :0]
        )
    nodes = (
        pd.concat(node_frames, ignore_index=True)
        if node_frames
        else pd.DataFrame({COL.ID: [], COL.KIND: []})
    )
    edges = (
        pd.concat(edge_frames, ignore_index=True)
        if edge_frames
        else pd.DataFrame({COL.SOURCE: [], COL.TARGET: [], COL.KIND: []})
    )
    node_frames.clear()  # the parts are copied into nodes and edges: free them
    edge_frames.clear()
    if divisions is None:
        nodes = _bare_divisions(nodes, edges)
    for table, canonical in ((nodes, NODE_COLUMNS), (edges, EDGE_COLUMNS)):
        if "src_row" in table:
            table["src_row"] = table["src_row"].astype("Int64")
        if "src_file" in table:  # a few distinct paths on millions of rows
            table["src_file"] = table["src_file"].astype("category")
        for col, dtype in canonical.items():  # the graph's dtypes now: a Python object per
            if col in table and table[col].dtype == object:  # cell (ids, names) goes here
                table[col] = _convert(table[col], dtype)
    index = {(sh.file, sh.sheet): sh for sh in sheets}
    _duplicate_ids(nodes, index, problems)
    problems += urban_problems(nodes)
    _say(progress, "checking the graph")
    g = CivicGraph(nodes, edges, validate=False)
    seen = {(p.file, p.sheet, p.row, p.column, p.code) for p in problems}
    for p in g._problems():
        sh = index.get((p.file, p.sheet))
        if sh is not None and p.column in sh.headers:
            p = dataclasses.replace(p, column=sh.headers[p.column])
        key = (p.file, p.sheet, p.row, p.column, p.code)
        if key not in seen:
            seen.add(key)
            problems.append(p)
    order = {k: i for i, k in enumerate(SHEETS)}
    problems.sort(key=lambda p: (p.file or "", order.get(p.sheet, 0), p.sheet or "", p.row or 0))
    return g, problems


def _distinct(sheets: list[_Sheet], columns: tuple[str, ...]) -> set:
    """The distinct (normalized) texts of ``columns`` over ``sheets``."""
    out: set = set()
    for sh in sheets:
        for col in columns:
            if col in sh.frame:
                values = pd.Series(pd.unique(sh.frame[col].to_numpy()), dtype=object)
                out.update(_text(values, ids=True).dropna())
    return out


def _bare_divisions(nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """Admin nodes (level from code length) for every division code the registry uses."""
    used = pd.concat(
        [nodes.get(COL.DIVISION, pd.Series(dtype=object)), edges[COL.SOURCE], edges[COL.TARGET]]
    )
    used = pd.Index(used.dropna().astype(str).unique())
    used = used[used.str.fullmatch(r"\d+") & ~used.isin(nodes[COL.ID].dropna())]
    levels = [division_level(c) for c in used]
    keep = [lv is not None for lv in levels]
    admin = pd.DataFrame(
        {COL.ID: used[keep], COL.KIND: "admin", COL.LEVEL: [lv for lv in levels if lv is not None]}
    )
    return pd.concat([admin, nodes], ignore_index=True)


def read_registry(
    path: str | os.PathLike,
    *,
    divisions: CivicGraph,
    validate: bool = True,
    progress: Progress = None,
) -> CivicGraph:
    """Read an organization registry (xlsx workbook or folder of CSVs) into a graph.

    Parameters
    ----------
    path : str or path
        An ``.xlsx`` workbook with the sheets ``organizations`` (组织), ``ties`` (关系),
        ``funding`` (资金) and optionally ``programs`` (项目); or a folder with one CSV
        per sheet (UTF-8 with or without BOM, or GBK/GB18030).
    divisions : CivicGraph
        The admin units (:func:`civicgraph.read_divisions`). Organizations' division
        codes and community/street names are resolved against them; the result keeps
        every one of them.
    validate : bool
        Raise one :class:`~civicgraph.ValidationError` listing every problem (default).
        With ``False`` the graph is returned as read: unreadable cells are left missing.
    progress : callable, optional
        Called with a short text at each step (``"reading 组织.csv"``, ``"ties"``,
        ``"checking the graph"``); the command line shows it beside its spinner.

    Returns
    -------
    CivicGraph
        The divisions plus the registry's organizations, programs, ties and funding.
        Each organization with a division gets a ``located_in`` edge. Node and edge
        rows carry ``src_file``, ``src_sheet`` and ``src_row`` (the spreadsheet row).

    Raises
    ------
    ValidationError
        ``.problems`` lists each problem with file, sheet, row and column;
        ``.to_frame()`` gives them as a table.

    Notes
    -----
    Headers and values may be Chinese or English; header matching ignores case, spaces,
    full-width forms and bracket styles. Amounts are yuan (``金额（元）``) or 万元
    (``金额（万元）``, × 10,000); ``1.2万`` and ``12,000`` are read as numbers. Rows whose
    first cell starts with ``#`` are comments (the template's example rows).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import civicgraph as cg
    >>> admin = cg.read_divisions(cg.datasets.wuhu_divisions_path(), within="340202")
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "组织.csv").write_text(
    ...     "编号,组织名称,组织类型,所在社区\\nh1,方塘社区联合会,联合会,方塘社区\\n", encoding="utf-8")
    >>> g = cg.read_registry(folder, divisions=admin)
    >>> g.edges.iloc[-1][["source", "target", "kind"]].tolist()
    ['h1', '340202012001', 'located_in']
    """
    g, problems = registry_problems(path, divisions=divisions, progress=progress)
    if validate and problems:
        raise ValidationError(problems, what=str(path))
    return g


def validate(
    path: str | os.PathLike, *, divisions: CivicGraph | None = None, progress: Progress = None
) -> pd.DataFrame:
    """Every problem of a registry as a table (empty when the registry is clean).

    Columns: file, sheet, row, column, value, code, message, fix (see
    :meth:`civicgraph.ValidationError.to_frame`). Without ``divisions`` division codes
    are checked for their form only and names cannot be resolved.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import civicgraph as cg
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "organizations.csv").write_text("id,name,role\\na,A,hub\\nb,B,boss\\n")
    >>> cg.validate(folder)[["row", "column", "code"]].to_dict("records")
    [{'row': 3, 'column': 'role', 'code': 'unknown_role'}]
    """
    try:
        _, problems = registry_problems(path, divisions=divisions, progress=progress)
    except ValidationError as exc:  # a file that cannot be read at all (encoding, zip)
        problems = list(exc.problems)
    return ValidationError(problems).to_frame()


# ----------------------------------------------------------------------------- writing


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
        COL.ROLE: ORG_ROLES,
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
