"""Step 2 of reading a registry, the headers: raw tables into sheets (:class:`~.files._Sheet`).

Sheet names (组织 / organizations ...) are matched to the registry's sheets, the header
row(s) found under any title lines (:func:`_header_rows`, :func:`_known_headers`), each
header matched to its canonical column through the aliases, blank and ``#`` comment
rows dropped.

Interface: :func:`_load` (path → the registry's sheets in :data:`SHEETS` order, problems
appended), :data:`COLUMNS` (each sheet's columns, as the template writes them),
:data:`SHEETS`, :data:`_SHEET_ZH`, :data:`_HEADER_LOOKUP`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..._errors import Problem
from ...schema import COL, HEADER_ALIASES, SHEET_ALIASES
from .._values import alias_lookup, fold, match_header
from ._sheetxml import _letters
from .export import _is_org_sheet, _legal_forms
from .files import MAX_CELL_TEXT, PROVENANCE, Progress, _blank, _blank_mask, _read, _Sheet

#: Sheets of a registry, in reading order; ``programs`` is optional.
SHEETS = ("organizations", "programs", "ties", "funding")
_REQUIRED_SHEETS = ("organizations",)
_README = {"readme", "说明", "填写说明", "readme/说明"}

_SHEET_LOOKUP = alias_lookup(SHEET_ALIASES)
_HEADER_LOOKUP = alias_lookup({**HEADER_ALIASES})


#: Columns of each sheet: ``(column, Chinese header, type, required, example, meaning)``
#: (type and meaning in English, for this file's readers: the template's README sheet
#: takes their words, in zh and en, from the catalog's ``template`` area).
COLUMNS: dict[str, tuple[tuple[str, str, str, bool, str, str], ...]] = {
    "organizations": (
        (COL.ID, "编号", "text", True, "hub-001", "unique id; blank = the credit code"),
        (COL.NAME, "组织名称", "text", True, "滨江社区社会组织联合会", "name"),
        (COL.ROLE, "组织类型", "role", False, "hub", "one of the roles; blank = unknown"),
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
        (COL.REGISTRATION, "登记或备案", "登记 / 备案", False, "登记", "registered or filed"),
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
#: Headers that mean something else on some sheets (类型 is a program's type on the
#: programs sheet, a tie's kind on ties and funding; 项目名称 is a grant's project name).
_SHEET_RENAME = {
    "programs": {COL.ROLE: COL.PROGRAM_TYPE},
    "ties": {COL.ROLE: COL.KIND},
    "funding": {COL.ROLE: COL.KIND, COL.NAME: COL.PROJECT},
}


def _load(path: Path, problems: list[Problem], progress: Progress = None) -> list[_Sheet]:
    """The registry's sheets, read and named, in :data:`SHEETS` order."""
    firsts: dict[str, str] = {}  # kind → title: a second sheet of a kind is never parsed

    def wanted(title: str, titles: list[str]) -> bool:
        kind = match_header(title, _SHEET_LOOKUP)
        if kind is None:  # parsed only if it may be the organizations (see _kinds)
            kinds = [match_header(t, _SHEET_LOOKUP) for t in titles]
            others = [t for t, k in zip(titles, kinds) if k is None and fold(t) not in _README]
            return "organizations" not in kinds and others == [title]
        return firsts.setdefault(kind, title) == title

    early: dict[str, tuple] = {}  # title → (kind, frame or None, the frame's problems)

    def made(title: str, cells: pd.DataFrame, info) -> None:
        """A workbook sheet named as a kind framed at once, while calamine parses the
        next sheet (a sheet of another name is framed below: its kind may depend on the
        others); its problems are kept apart, to come in the workbook's order."""
        kind = match_header(title, _SHEET_LOOKUP)
        if kind is not None and firsts.get(kind) == title:
            own: list[Problem] = []
            early[title] = (kind, _frame(kind, str(path), title, cells, own, info), own)

    tables, failed, looks = _read(path, problems, progress, wanted, made)
    unreadable = {match_header(title, _SHEET_LOOKUP) for title in failed}
    sheets: dict[str, _Sheet] = {}
    kinds = _kinds(tables)
    for (title, file, sheet, cells), kind in zip(tables, kinds, strict=True):
        info = looks.get(title)
        hidden = info is not None and info.hidden
        if kind is None:
            if fold(title) not in _README:
                problems.append(
                    Problem(
                        file=file,
                        sheet=sheet,
                        code="unknown_sheet",
                        ctx={"title": title},
                        hidden=hidden,
                    )
                )
            continue
        if kind in sheets or cells is None:
            problems.append(
                Problem(
                    file=file,
                    sheet=sheet,
                    code="duplicate_sheet",
                    ctx={"kind": kind, "title": title},
                    hidden=hidden,
                )
            )
            continue
        if early.get(title, (None,))[0] == kind:
            _, frame, own = early.pop(title)
            problems += own
        else:
            frame = _frame(kind, file, sheet, cells, problems, info)
        if frame is None:  # no header: reported, its rows not read
            unreadable.add(kind)
            continue
        sheets[kind] = frame
    for kind in _REQUIRED_SHEETS:
        if kind not in sheets and kind not in unreadable:
            problems.append(
                Problem(
                    file=str(path),
                    code="missing_sheet",
                    ctx={"kind": kind, "kind_zh": _SHEET_ZH[kind]},
                )
            )
    return [sheets[k] for k in SHEETS if k in sheets]


def _kinds(tables) -> list[str | None]:
    """The sheet kind of each table, by its name; a workbook's (or CSV file's) one sheet
    of another name (``Sheet1``, ``导出数据``) is the organizations table when no sheet is
    named so and its headers are those of organizations (a platform export)."""
    kinds = [match_header(title, _SHEET_LOOKUP) for title, *_ in tables]
    others = [
        i for i, (t, *_, cells) in enumerate(tables) if kinds[i] is None and fold(t) not in _README
    ]
    if "organizations" not in kinds and len(others) == 1:
        cells = tables[others[0]][3]
        top = cells.iloc[:21].to_numpy(dtype=object).tolist()
        first, after = _header_rows(top)
        canon = {
            match_header(str(x).strip(), _HEADER_LOOKUP)
            for r in top[first:after]
            for x in r
            if not _blank(x)
        }
        if _is_org_sheet(canon - {None}):
            kinds[others[0]] = "organizations"
    return kinds


def _known_headers(row) -> list[bool]:
    return [not _blank(x) and match_header(str(x).strip(), _HEADER_LOOKUP) is not None for x in row]


def _header_rows(rows: list) -> tuple[int, int] | None:
    """``(first, after)``: the header is ``rows[first:after]``; ``None`` when none of the
    first 20 rows holds a known header.

    The header is the first of the first 20 rows with two or more known headers (row 1
    when there is none but row 1 has one), so title lines above it are skipped. A row
    under it holding only known headers continues it (a two-row header with merged group
    cells such as ``基本信息`` over ``组织名称`` and ``组织类型``).
    """
    first = next((i for i, r in enumerate(rows[:20]) if sum(_known_headers(r)) >= 2), None)
    if first is None:
        if rows and any(_known_headers(rows[0])):
            first = 0
        elif any(not _blank(x) for r in rows[:20] for x in r):
            return None
        else:
            first = 0
    after = min(first + 1, len(rows))
    if after < len(rows):
        nxt = rows[after]
        known = _known_headers(nxt)
        if any(known) and all(k or _blank(x) for k, x in zip(known, nxt)):
            after += 1
    return first, after


def _blanks(values: np.ndarray) -> np.ndarray:
    """Blank cells (``None``, ``NaN``, ``NaT``, white space only) of an object array."""
    return _blank_mask(values) | pd.isna(values)


#: Separators a CSV may have been written with instead of the comma.
_SEPARATORS = (";", "\t", "|", "、", "，")
#: Excel's error values: a cell holding one is not a comment but a broken formula.
EXCEL_ERRORS = frozenset(
    ("#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!")
)
#: Canonical columns a sheet cannot hold under these names: the graph's own columns
#: (``level`` and ``urban`` of admin units) and the provenance every row gets.
RESERVED = ("level", "urban", *PROVENANCE)
#: The columns a sheet must have (``id`` on organizations may be the credit code).
_REQUIRED = {sheet: tuple(c[0] for c in cols if c[3]) for sheet, cols in COLUMNS.items()}


def _no_header(kind, file, sheet, top: list, problems) -> None:
    """The problem of a sheet whose first 20 rows hold no known header: written with
    another separator, or the header lower down (or missing)."""
    for sep in _SEPARATORS:
        for r in top[:20]:
            cells = [x for x in r if not _blank(x)]
            joined = len(cells) == 1 and isinstance(cells[0], str) and sep in cells[0]
            if joined and sum(_known_headers(cells[0].split(sep))) >= 2:
                tab = sep == "\t"
                problems.append(
                    Problem(
                        file=file,
                        sheet=sheet,
                        code="wrong_separator",
                        ctx={"sep": "Tab" if tab else sep},
                    )
                )
                return
    problems.append(
        Problem(
            file=file,
            sheet=sheet,
            code="no_header",
            ctx={"kind_zh": _SHEET_ZH[kind], "headers": _example_headers(kind)},
        )
    )


def _example_headers(kind: str) -> str:
    return "、".join(c[1] for c in COLUMNS[kind] if c[3])


def _runs(numbers: list[int]) -> str:
    """``1-3, 7`` for ``[1, 2, 3, 7]`` (at most 10 runs shown)."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    shown = [f"{a}" if a == b else f"{a}-{b}" for a, b in runs[:10]]
    return ", ".join(shown) + (" ..." if len(runs) > 10 else "")


def _frame(kind, file, sheet, cells: pd.DataFrame, problems, info=None) -> _Sheet | None:
    """One sheet's cells (no header row taken, object values) as a :class:`_Sheet`;
    ``None`` (and its problem) when no header row is found. ``info``
    (:class:`~.files._SheetInfo`, workbooks only): the cells that hold no value (formulas
    never computed, error cells) and over-long texts are reported here, where their
    column's header is known."""
    top = cells.iloc[:21].to_numpy(dtype=object).tolist()
    found = _header_rows(top)
    if found is None:
        _no_header(kind, file, sheet, top, problems)
        return None
    first, after = found
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
    for values in body:  # each column looked at only in the rows blank so far
        rows = np.flatnonzero(blank)
        blank[rows] = _blanks(values[rows])
    comment = np.zeros(n, dtype=bool)
    examples = 0
    first_header = None if not width or _blank(header[0]) else str(header[0]).strip()
    first_canon = first_header and match_header(first_header, _HEADER_LOOKUP)
    if first_canon in (COL.ID, COL.SOURCE):
        # rows whose id (or source) starts with # are comments, as the template's example
        # rows; Excel's error values (#N/A) are not, nor a # in a first column of names
        marked = [i for i, x in enumerate(body[0]) if type(x) is str and "#" in x]
        for i in marked:
            x = body[0][i].strip()
            comment[i] = x.startswith("#") and x not in EXCEL_ERRORS
        skipped = np.flatnonzero(comment & ~blank)
        example = "#" + COLUMNS[kind][0][4]  # the template's own example row: not reported
        examples = sum(str(body[0][i]).strip() == example for i in skipped)
        skipped = [i for i in skipped if str(body[0][i]).strip() != example]
        if skipped:
            rows = [int(i) + after + 1 for i in skipped]
            problems.append(
                Problem(
                    file=file,
                    sheet=sheet,
                    row=rows[0],
                    column=first_header,
                    code="comment_rows",
                    ctx={"n": len(rows), "rows": _runs(rows)},
                )
            )
    keep = np.flatnonzero(~blank & ~comment)
    numbers = np.arange(after + 1, n + after + 1)[keep]
    body = [values[keep] for values in body]
    columns: dict[str, list] = {}
    headers: dict[str, str] = {}
    unnamed: list[int] = []
    canon_of: dict[int, str] = {}  # spreadsheet column → its canonical column
    for j, h in enumerate(header):
        values = body[j]
        if _blank(h):
            if not _blanks(values).all():
                unnamed.append(j + 1)
            continue
        text = str(h).strip()
        canon = match_header(text, _HEADER_LOOKUP) or text
        role_twice = canon == COL.ROLE and canon in columns and COL.LEGAL_FORM not in columns
        if role_twice and kind == "organizations":
            # 类型 holding legal forms (社会团体 ..., as platform exports have it) beside
            # 组织类型 (the role): the one of legal forms is the legal form, not the role
            if _legal_forms(values):
                canon = COL.LEGAL_FORM
            elif _legal_forms(columns[COL.ROLE]):
                columns[COL.LEGAL_FORM] = columns.pop(COL.ROLE)
                headers[COL.LEGAL_FORM] = headers.pop(COL.ROLE)
                canon_of = {i: COL.LEGAL_FORM if c == COL.ROLE else c for i, c in canon_of.items()}
        if canon in RESERVED or canon in columns:
            code, ctx = (
                ("reserved_column", {"header": text})
                if canon in RESERVED
                else ("duplicate_column", {"first": headers[canon], "second": text, "canon": canon})
            )
            problems.append(
                Problem(file=file, sheet=sheet, row=header_row, column=text, code=code, ctx=ctx)
            )
            continue
        errors = (
            np.flatnonzero(pd.Series(values, dtype=object).isin(EXCEL_ERRORS).to_numpy())
            if not EXCEL_ERRORS.isdisjoint(values)  # (a set look-up per cell, in C)
            else ()
        )
        for i in errors:  # a broken formula's value is no data: reported, read as blank
            problems.append(
                Problem(
                    file=file,
                    sheet=sheet,
                    row=int(numbers[i]),
                    column=text,
                    value=values[i],
                    code="excel_error",
                )
            )
        if len(errors):
            values = values.copy()
            values[errors] = None
        columns[canon] = values
        headers[canon] = text
        canon_of[j] = canon
    if len(unnamed) == 1:
        problems.append(
            Problem(
                file=file, sheet=sheet, row=header_row, code="missing_header", ctx={"n": unnamed[0]}
            )
        )
    elif unnamed:  # 10,000 unnamed columns are one problem, not 10,000
        problems.append(
            Problem(
                file=file,
                sheet=sheet,
                row=header_row,
                code="missing_header",
                template="missing_header.many",
                ctx={"n": len(unnamed), "columns": _runs(unnamed)},
            )
        )
    for wrong, right in _SHEET_RENAME.get(kind, {}).items():
        if wrong in columns and right not in columns:
            columns[right] = columns.pop(wrong)
            headers[right] = headers.pop(wrong)
            canon_of = {j: right if c == wrong else c for j, c in canon_of.items()}
    for col in _REQUIRED[kind] if len(keep) else ():  # an empty sheet needs no columns
        if col in columns or (col == COL.AMOUNT and "amount_wan" in columns):
            continue
        if col == COL.ID and COL.CREDIT_CODE in columns:
            continue  # the credit codes are the ids
        zh = next(c[1] for c in COLUMNS[kind] if c[0] == col)
        problems.append(
            Problem(
                file=file,
                sheet=sheet,
                row=header_row,
                code="missing_column",
                ctx={"column": col, "header": zh, "col": col},
            )
        )
    frame = pd.DataFrame(columns, dtype=object, index=pd.RangeIndex(len(keep)))
    out = _Sheet(kind, file, sheet, frame, numbers, headers, examples)
    if info is not None:
        out.hidden, out.merged = info.hidden, info.merged
        out.positions = {str(h).strip(): j for j, h in enumerate(header) if not _blank(h)}
        named = {j: headers.get(canon_of.get(j)) for j in range(len(header))}

        def at(r, c, **kw) -> Problem:
            name = named.get(c) or _letters(c + 1)
            return Problem(file=file, sheet=sheet, row=r + 1, column=name, **kw)

        for r, c, what in info.unreadable:
            formula = what == "formula"
            problems.append(
                at(
                    r,
                    c,
                    value=None if formula else what,
                    code="formula_without_value" if formula else "error_cell",
                    ctx={"cell": f"{_letters(c + 1)}{r + 1}"},
                )
            )
        for r, c, n in info.long:
            problems.append(at(r, c, code="text_too_long", ctx={"n": n, "limit": MAX_CELL_TEXT}))
    return out
