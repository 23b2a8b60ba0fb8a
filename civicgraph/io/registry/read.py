"""Step 6 of reading a registry, the read: the steps in order, the graph built and checked,
every problem sorted by file, sheet and row.

Interface: :func:`registry_problems` (graph and problems), :func:`read_registry` (raises
one :class:`~civicgraph.ValidationError`) and :func:`validate` (the problems as a table).
"""

from __future__ import annotations

import dataclasses
import os
from concurrent.futures import Future
from pathlib import Path

import pandas as pd

from ..._errors import Problem, ValidationError
from ...model import CivicGraph
from ...model._columns import _convert
from ...schema import COL, EDGE_COLUMNS, NODE_COLUMNS
from ._sheetxml import _letters
from .cells import _column
from .files import Progress, _say, _Sheet
from .headers import SHEETS, _load
from .places import _Places
from .status import urban_problems
from .tables import (
    _bare_divisions,
    _duplicate_ids,
    _edge_rows,
    _org_nodes,
    _program_nodes,
    _references,
)

#: Codes that are told, not refused: ``validate`` lists them, ``read_registry`` reads on
#: (rows skipped as ``#`` comments).
NOTICES = frozenset({"comment_rows"})


def registry_problems(
    path: str | os.PathLike, *, divisions: CivicGraph | None, progress: Progress = None
) -> tuple[CivicGraph, list[Problem]]:
    """The registry's graph (unvalidated) and every problem found in it.

    See :func:`_registry_read`, which also gives the suggestions."""
    g, problems, _ = _registry_read(path, divisions=divisions, progress=progress)
    return g, problems


def _registry_read(
    path: str | os.PathLike, *, divisions: CivicGraph | None, progress: Progress = None
) -> tuple[CivicGraph, list[Problem], list[Problem]]:
    """The registry's graph (unvalidated), every problem found in it and the suggestions
    (roles suggested by names, locations known only to a district: never applied).

    The building block of :func:`read_registry` and :func:`validate`. With
    ``divisions=None`` admin units are only known by code: each division code the
    registry uses becomes a bare admin node, and names cannot be resolved.
    ``progress``, if given, is called with a short text at each step (a file or sheet
    being read, a table being checked).
    """
    path = Path(path)
    problems: list[Problem] = []
    suggestions: list[Problem] = []
    try:
        sheets = _load(path, problems, progress)
    except Exception:
        _result(divisions)  # divisions that could not be read are said first, as before
        raise
    divisions = _result(divisions)
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
        orgs, located = _org_nodes(by_kind["organizations"], places, problems, suggestions)
        node_frames.append(orgs)
        del orgs
    if "programs" in by_kind:
        node_frames.append(_program_nodes(by_kind["programs"], problems))
    for sh in sheets:  # a sheet's texts serve while its table is built, then go
        sh.texts = {}
    # (a generator: a loop variable would keep the last frame, ~150 MiB of Python strings
    # for a million organizations, alive until the graph is built)
    node_ids = set(places.codes).union(
        *(f[COL.ID].dropna().tolist() for f in node_frames[1 if divisions is not None else 0 :])
    )
    if located is not None:
        edge_frames.append(located)
    # tie ends that are no node's id may be admin units' names
    places.prime(x for x in _distinct(sheets, (COL.SOURCE, COL.TARGET)) if x not in node_ids)
    for kind in ("ties", "funding"):
        if kind in by_kind:
            _say(progress, kind)
            edge_frames.append(_edge_rows(by_kind[kind], places, node_ids, problems))
            by_kind[kind].texts = {}
    del node_ids, located
    for sh in sheets:  # the raw cells are read; keep the ids (duplicate-id messages) as
        # Arrow strings: one Python string per organization weighs ~60 MiB per million
        sh.frame = (
            pd.DataFrame({COL.ID: pd.array(sh.frame[COL.ID].astype(object), dtype="str")})
            if COL.ID in sh.frame
            else sh.frame.iloc[:, :0]
        )
        sh.texts = {}  # (the cached texts hold the raw frame too)
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
    known = set(places.codes).union(nodes[COL.ID].dropna().tolist())
    _references(nodes, edges, index, known, places, problems)
    orgs_sheet = by_kind.get("organizations")
    if orgs_sheet is not None and not len(orgs_sheet.rows) and not orgs_sheet.examples:
        # (a template as written, its example row only, is not yet filled in: no problem)
        problems.append(
            Problem(file=orgs_sheet.file, sheet=orgs_sheet.sheet, code="empty_registry")
        )
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
    # a missing column is one problem, not one per row
    missing = {
        (p.file, p.sheet, p.ctx.get("column")) for p in problems if p.code == "missing_column"
    }
    if missing:
        problems = [
            p
            for p in problems
            if p.code == "missing_column" or (p.file, p.sheet, p.column) not in missing
        ]
    # a cell without a value (an Excel error, a formula never calculated) is one problem:
    # not also a missing name, amount or id
    broken = {
        (p.file, p.sheet, p.row, p.column)
        for p in problems
        if p.code in ("error_cell", "formula_without_value", "excel_error")
    }
    if broken:
        problems = [
            p
            for p in problems
            if p.code not in ("missing_name", "missing_amount", "missing_id")
            or (p.file, p.sheet, p.row, p.column) not in broken
        ]
    problems[:] = [_in_workbook(p, index.get((p.file, p.sheet))) for p in problems]
    order = {k: i for i, k in enumerate(SHEETS)}
    problems.sort(key=lambda p: (p.file or "", order.get(p.sheet, 0), p.sheet or "", p.row or 0))
    suggestions.sort(key=lambda p: (p.file or "", p.sheet or "", p.row or 0, p.code))
    return g, problems, suggestions


def _result(divisions):
    """The divisions, waited for when they are a :class:`~concurrent.futures.Future`
    (read in a thread while the workbook is parsed)."""
    return divisions.result() if isinstance(divisions, Future) else divisions


def _in_workbook(p: Problem, sh: _Sheet | None) -> Problem:
    """``p`` saying that its sheet is hidden, or that its cell is in a merged range (whose
    top-left value every cell of the range took)."""
    if sh is None or not (sh.hidden or sh.merged):
        return p
    merged = None
    j = sh.positions.get(p.column)
    if sh.merged and p.row is not None and j is not None:
        r = p.row - 1
        for r0, c0, r1, c1 in sh.merged:
            if r0 <= r <= r1 and c0 <= j <= c1 and (r1 > r0 or c1 > c0):
                merged = f"{_letters(c0 + 1)}{r0 + 1}:{_letters(c1 + 1)}{r1 + 1}"
                break
    if not sh.hidden and merged is None:
        return p
    return dataclasses.replace(p, hidden=sh.hidden, merged=merged)


def _distinct(sheets: list[_Sheet], columns: tuple[str, ...]) -> set:
    """The distinct (normalized) texts of ``columns`` over ``sheets``."""
    out: set = set()
    for sh in sheets:
        for col in columns:
            if col in sh.frame:  # (the column's text, kept for the sheet's table)
                out.update(_column(sh, col, ids=True).dropna().tolist())
    return out


def read_registry(
    path: str | os.PathLike,
    *,
    divisions: CivicGraph | Future,
    validate: bool = True,
    progress: Progress = None,
) -> CivicGraph:
    """Read an organization registry (xlsx workbook or folder of CSVs) into a graph.

    Parameters
    ----------
    path : str or path
        An ``.xlsx`` workbook with the sheets ``organizations`` (组织), ``ties`` (关系),
        ``funding`` (资金) and optionally ``programs`` (项目); or a folder with one CSV
        per sheet (UTF-8 with or without BOM, or GBK/GB18030); or one CSV file, read as
        the sheet its name names (``关系.csv``) or else as the organizations. A
        workbook's one sheet of another name (``Sheet1``) with organization headers is
        the organizations sheet: a platform export (名称, 统一社会信用代码, 登记管理机关,
        登记状态, 类型 ...) reads as it is (docs/registry-format.md). A row without a
        role gets the role ``unknown``.
    divisions : CivicGraph or Future
        The admin units (:func:`civicgraph.read_divisions`). Organizations' division
        codes and community/street names are resolved against them; the result keeps
        every one of them. A :class:`concurrent.futures.Future` of them is waited for
        once the file is parsed (the command line reads the divisions in a thread
        meanwhile); an error it raises is raised here.
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
    (``金额（万元）``, × 10,000); ``1.2万`` and ``12,000`` are read as numbers. Dates and
    amounts are read exactly or reported, never guessed (docs/registry-format.md: a
    year alone is its 1 January, ``08/09/2019`` is refused, 9999-12-31 ends nothing).
    Rows whose id (first column) starts with ``#`` are comments (the template's example
    rows); :func:`validate` lists them. Only the regular files of a CSV folder are read.

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
    problems = [p for p in problems if p.code not in NOTICES]
    if validate and problems:
        raise ValidationError(problems, what=str(path))
    return g


def validate(
    path: str | os.PathLike,
    *,
    divisions: CivicGraph | None = None,
    progress: Progress = None,
    suggestions: bool = False,
    lang: str = "en",
) -> pd.DataFrame:
    """Every problem of a registry as a table (empty when the registry is clean).

    Columns: file, sheet, row, column, value, code, message, fix (see
    :meth:`civicgraph.ValidationError.to_frame`), messages in ``lang``. Rows skipped as
    ``#`` comments are listed too (code ``comment_rows``, one line per sheet), though
    :func:`read_registry` reads such a registry without complaint. Without ``divisions``
    division codes are checked for their form only and names cannot be resolved.

    With ``suggestions=True`` the table also lists the suggestions, after the problems,
    and has a column ``severity`` (``problem`` or ``suggestion``) and a column
    ``suggested`` (the suggested role or admin unit). A suggestion is not a problem:
    ``suggest_role`` for a row without a role whose name ends like a role's
    (…社会组织联合会 hub, …社会工作服务中心 agency, …培育中心 / 孵化基地 center), and
    ``suggest_location`` for an organization whose address or registrar places it only in
    a district or city. Nothing suggested is applied (``civicgraph roles`` writes the
    role suggestions as a workbook to check and read back).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import civicgraph as cg
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "organizations.csv").write_text("id,name,role\\na,A,hub\\nb,B,boss\\n")
    >>> cg.validate(folder)[["row", "column", "code"]].to_dict("records")
    [{'row': 3, 'column': 'role', 'code': 'unknown_role'}]
    """
    hints: list[Problem] = []
    try:
        _, problems, hints = _registry_read(path, divisions=divisions, progress=progress)
    except ValidationError as exc:  # a file that cannot be read at all (encoding, zip)
        problems = list(exc.problems)
    table = ValidationError(problems).to_frame(lang)
    if not suggestions:
        return table
    more = ValidationError(hints).to_frame(lang)
    table["severity"], more["severity"] = "problem", "suggestion"
    table["suggested"] = None
    more["suggested"] = pd.Series(
        [h.ctx.get("kind", h.ctx.get("unit_code")) for h in hints], index=more.index, dtype=object
    )
    return pd.concat([table, more], ignore_index=True) if len(more) else table
