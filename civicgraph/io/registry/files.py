"""Step 1 of reading a registry, the files: an ``.xlsx`` workbook or a folder of CSV files
(UTF-8 with or without BOM, GBK, GB18030) into raw tables of cells.

Interface: :func:`_read` gives ``(tables, unreadable)``, each table
``(title, file, sheet, cells)`` with every cell an object and no header taken;
:class:`_Sheet` is one sheet once its header is read (built by :mod:`.headers`);
:func:`_blank`, :data:`Progress` and :func:`_say` are shared by the later steps.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..._errors import DataNotFoundError, Problem, SchemaError, ValidationError
from .._tables import read_csv_any
from ._sheetxml import _encrypted, _long_strings, _Look, _look, _parts

#: Provenance columns every node and edge row read from a registry carries.
PROVENANCE = ("src_file", "src_sheet", "src_row")


@dataclass
class _Sheet:
    """One sheet (or CSV file) as read: raw cells under canonical or extra column names."""

    kind: str
    file: str
    sheet: str | None
    frame: pd.DataFrame
    rows: np.ndarray
    headers: dict[str, str] = field(default_factory=dict)
    #: rows skipped as the template's own example rows (``#hub-001`` ...)
    examples: int = 0
    hidden: bool = False  # a hidden sheet of a workbook
    #: merged ranges of a workbook sheet, ``(row0, col0, row1, col1)`` 0-based inclusive
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)  # header text → column
    #: the columns as text (:func:`~.cells._column`), for the frame under the key ``None``
    texts: dict = field(default_factory=dict, repr=False)

    def problem(
        self, i, column, *, code: str, value=None, template: str | None = None, **ctx
    ) -> Problem:
        """A problem at row ``i`` of this sheet; its words come from the message catalog
        (``problems.<template or code>``), filled with ``ctx``."""
        return Problem(
            file=self.file,
            sheet=self.sheet,
            row=int(self.rows[i]),
            column=self.headers.get(column, column),
            value=value,
            code=code,
            template=template,
            ctx=ctx,
        )

    def provenance(self) -> dict:
        return {"src_file": self.file, "src_sheet": self.sheet, "src_row": self.rows}


def _read(
    path: Path, problems: list[Problem], progress: Progress = None, wanted=None, made=None
) -> tuple[list[tuple[str, str, str | None, pd.DataFrame | None]], set[str], dict]:
    """``(tables, unreadable, looks)``: every sheet (or CSV file) of ``path`` as raw
    cells, the titles of the files or sheets that could not be read (their problems are
    in ``problems``), and per workbook sheet title its :class:`_SheetInfo`.

    ``wanted(title, titles)`` says which sheets of a workbook are parsed at all: the others
    come with ``None`` cells (an unknown sheet is reported, never parsed).
    ``made(title, cells, info)``, if given, is called with each workbook sheet's cells
    and :class:`_SheetInfo` as soon as they are made, while calamine parses the next
    sheet (so that work on a sheet overlaps the parse of the next one)."""
    if not path.exists():
        raise DataNotFoundError(f"no registry at {path}")
    tables: list[tuple[str, str, str | None, pd.DataFrame]] = []  # (title, file, sheet, cells)
    unreadable: set[str] = set()  # titles of the files that could not be read
    if path.is_dir() or path.suffix.lower() == ".csv":  # a folder of CSVs, or one CSV
        for f in sorted(path.iterdir()) if path.is_dir() else [path]:
            if f.suffix.lower() != ".csv" or f.name.startswith((".", "~$")):
                continue
            why = _unsafe(f, path)
            if why is not None:  # a link out of the folder, a device or a pipe: never opened
                template, ctx = why
                problems.append(
                    Problem(file=str(f), code="unsafe_file", template=template, ctx=ctx)
                )
                unreadable.add(f.stem)
                continue
            _say(progress, f"reading {f.name}")
            if f.stat().st_size < 8 and not f.read_bytes().strip(b"\xef\xbb\xbf \r\n\t"):
                cells = pd.DataFrame()  # an empty file is an empty table, like an empty sheet
            else:
                try:
                    cells = read_csv_any(f, header=None, dtype=object)
                except ValidationError as exc:  # unreadable: report it with the rest
                    problems.extend(exc.problems)
                    unreadable.add(f.stem)
                    continue
            tables.append((f.stem, str(f), None, cells))
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        tables, unreadable, looks = _read_workbook(path, problems, progress, wanted, made)
        return tables, unreadable, looks
    else:
        raise SchemaError(
            f"{path} is neither an .xlsx workbook nor a folder of CSV files (nor a CSV file); "
            "save the registry as .xlsx or as one CSV per sheet in a folder"
        )
    return tables, unreadable, {}


def _unsafe(f: Path, folder: Path) -> tuple[str, dict] | None:
    """Why the CSV file ``f`` of ``folder`` is not read, or ``None``: only regular files
    are read, and a symbolic link only when it ends at a regular file inside the folder
    (``资金.csv`` → ``/dev/zero`` would read forever, a FIFO hang, ``/etc/passwd`` be
    parsed). Checked on the file's status, without opening it."""
    import stat

    try:
        if f.is_symlink():
            target = f.resolve(strict=True)
            if not target.is_relative_to(folder.resolve()):
                return "unsafe_file.symlink", {"target": str(target)}
        mode = f.stat().st_mode
    except (OSError, RuntimeError):  # a dangling or looping link
        return "unsafe_file.symlink", {"target": str(os.readlink(f)) if f.is_symlink() else "?"}
    if not stat.S_ISREG(mode):
        return "unsafe_file.special", {}
    return None


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


def _blank_mask(cells: np.ndarray) -> np.ndarray:
    """:func:`_blank` over an object array (one pass, no call per cell)."""
    return np.array(
        [x is None or (type(x) is str and not x.strip()) or (type(x) is float and x != x)
         for x in cells],
        dtype=bool,
    ).reshape(len(cells))  # fmt: skip


# ---------------------------------------------------------------------------- workbooks

#: Limits of one workbook sheet, checked before it is parsed (from the zip directory
#: and a streamed look at the sheet's XML, :mod:`._sheetxml`). A real registry is far
#: below them: a province's (Shandong, 1/10 of the country) largest sheet has 150,000
#: rows and 7 columns.
MAX_ROWS = 1_048_576  # Excel's own limit
MAX_COLUMNS = 1_000
MAX_CELLS = 10_000_000  # rows × columns of the sheet's extent
MAX_CELL_TEXT = 32_767  # characters; Excel's own limit of one cell
MAX_UNPACKED = 1 << 30  # bytes of the parts read (sheets, shared strings), unpacked


@dataclass
class _SheetInfo:
    """What a workbook says about one sheet besides its cells (0-based positions)."""

    hidden: bool = False
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    #: cells without a value: ``(row, column, "formula" or the error text)``
    unreadable: list[tuple[int, int, str]] = field(default_factory=list)
    long: list[tuple[int, int, int]] = field(default_factory=list)  # (row, column, length)
    long_text: bool = False  # the XML has a text run long enough: look at the lengths
    look: _Look | None = field(default=None, repr=False)  # what the XML said


def _refuse(file: str, code: str, template: str | None = None, **ctx) -> ValidationError:
    problem = Problem(file=file, code=code, template=template, ctx=ctx)
    return ValidationError([problem], what=file)


def _read_workbook(path: Path, problems: list[Problem], progress: Progress, wanted, made=None):
    """Every sheet of a workbook: calamine parses the sheets ``wanted`` says, after the
    limits are checked; merged cells filled from their top-left cell; formulas without a
    cached value and error cells found in the XML (calamine reads both as blank).

    The sheets are looked at and parsed two at a time, the largest first (calamine's
    parse and the unzipping run outside the GIL, so two cores are both used); problems
    and tables come in the workbook's order all the same."""
    import zipfile

    file = str(path)
    encrypted = _encrypted(path)
    if encrypted:
        raise _refuse(file, "encrypted_xlsx")
    if encrypted is False:
        raise _refuse(file, "not_xlsx", error="Excel 97-2003 (.xls)")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(file, "not_xlsx", error=exc) from None
    with zf:
        sizes = {i.filename: i.file_size for i in zf.infolist()}
        try:
            if max(sizes.get("xl/workbook.xml", 0), sizes.get("xl/_rels/workbook.xml.rels", 0)) > (
                1 << 24
            ):
                raise ValueError("the workbook's list of sheets is over 16 MiB")
            parts = _parts(zf)
        except Exception as exc:  # a zip that is no workbook
            raise _refuse(file, "not_xlsx", error=exc) from None
        shared = sum(sizes.get(p, 0) for p in ("xl/sharedStrings.xml", "xl/styles.xml"))
        titles = [t[0] for t in parts]
        read = [t for t in parts if wanted is None or wanted(t[0], titles)]
        unpacked = shared + sum(sizes.get(part, 0) for _, part, _ in read if part)
        if unpacked > MAX_UNPACKED:
            raise _refuse(
                file, "too_large", template="too_large.unpacked", n=unpacked >> 20,
                limit=MAX_UNPACKED >> 20,
            )  # fmt: skip
        long_shared = _long_strings(zf)
    looks: dict[str, _SheetInfo] = {}
    todo = []  # (title, part) of the sheets to parse, in the workbook's order
    for title, part, hidden in parts:
        looks[title] = _SheetInfo(hidden=hidden)
        if (wanted is None or wanted(title, titles)) and part in sizes:
            todo.append((title, part))
    for title, _ in todo:
        _say(progress, f"reading sheet {title}")
    done = _parse_sheets(path, todo, {t: looks[t] for t, _ in todo}, long_shared, sizes, made)
    unreadable: set[str] = set()
    for title, _ in todo:  # problems in the workbook's order
        if done[title] is None:
            look = looks[title].look
            over = _over_limits(look.rows, look.columns)
            problems.append(Problem(file=file, sheet=title, code="too_large", **over))
            unreadable.add(title)
    tables = [
        (title, file, title, done.get(title)) for title, _, _ in parts if title not in unreadable
    ]
    return tables, unreadable, looks


def _parse_sheets(path: Path, todo, infos: dict, long_shared: bool, sizes: dict, made=None) -> dict:
    """Title → raw cells of each sheet of ``todo`` (``None`` when over the limits), its
    :class:`_SheetInfo` filled in; ``made`` (see :func:`_read`) called with each sheet's
    cells as they are made.

    calamine parses the sheets one after the other in a thread of its own, the largest
    first, outside the GIL. The thread opens the workbook (its shared strings) at once,
    while this thread looks at the largest sheet's XML (the limits are checked before a
    sheet is parsed); it parses the largest while this thread looks at the other sheets,
    and each next one while this thread makes the cells of the one before and calls
    ``made`` with them. A sheet's parse starts only once the sheet before it has given
    its Python rows and calamine's copy of it is gone, so that one parsed sheet is held
    at a time: the peak is that of the largest sheet (two parses at once took twice the
    memory: each thread's allocations stay in its own malloc arena; a parse overlapping
    the rows of the sheet before took ~20% more, for no time measured)."""
    import zipfile
    from concurrent.futures import ThreadPoolExecutor

    import python_calamine

    file = str(path)
    book: list = []

    def open_book() -> None:  # in the parser thread, first
        try:
            book.append(python_calamine.CalamineWorkbook.from_path(file))
        except Exception as exc:  # calamine raises several kinds for a broken file
            book.append(_refuse(file, "not_xlsx", error=exc))  # (raised by a parse only)

    def parse(title: str):  # in the parser thread
        if isinstance(book[0], ValidationError):
            raise book[0]
        try:
            return book[0].get_sheet_by_name(title)
        except Exception as exc:
            raise _refuse(file, "not_xlsx", error=exc) from None

    def rows(sheet) -> tuple[list, list]:  # in this thread, one sheet at a time
        try:
            return sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges or []
        except Exception as exc:
            raise _refuse(file, "not_xlsx", error=exc) from None

    done: dict = {}
    ready = []  # the sheets looked at and within the limits, the largest first
    parsing: list = []
    with (
        zipfile.ZipFile(path) as zf,
        ThreadPoolExecutor(1, thread_name_prefix="civicgraph-sheet") as pool,
    ):
        try:
            if todo:
                pool.submit(open_book)  # (the parses queue behind it)
            for title, part in sorted(todo, key=lambda t: -sizes.get(t[1], 0)):
                info = infos[title]
                look = info.look = _look(zf, part)
                if _over_limits(look.rows, look.columns):
                    done[title] = None
                    continue
                info.unreadable = [(r, c, "formula") for r, c in look.formulas] + look.errors
                info.long_text = look.long_text or long_shared
                ready.append(title)
                if not parsing:  # the largest sheet parses while the others are looked at
                    parsing.append(pool.submit(parse, title))
            for i, title in enumerate(ready):
                cells, merged = rows(parsing[i].result())
                parsing[i] = None  # (calamine's copy of the sheet goes before the next
                if i + 1 < len(ready):  # one is parsed: one parsed sheet at a time)
                    parsing.append(pool.submit(parse, ready[i + 1]))
                done[title] = _cells(cells, merged, infos[title])
                del cells
                if made is not None:
                    made(title, done[title], infos[title])
        finally:
            for future in parsing:
                if future is not None:
                    future.cancel()
    _trim()
    return done


def _trim() -> None:
    """Give the C heap's free memory back to the system (glibc's ``malloc_trim``).

    Each worker thread allocates from its own malloc arena (calamine's parse, the rows);
    what a worker freed stays in its arena, where the main thread's next allocations
    (the read after the file step) cannot reuse it, so the read's peak would hold both:
    ~2x the single-threaded peak, measured. Trimmed, it is the single-threaded peak."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl): nothing to do
        pass


def _over_limits(rows: int, columns: int) -> dict | None:
    """The ``template`` and ``ctx`` of the ``too_large`` problem of a sheet's extent."""
    for what, n, limit in (
        ("rows", rows, MAX_ROWS),
        ("columns", columns, MAX_COLUMNS),
        ("cells", rows * columns, MAX_CELLS),
    ):
        if n > limit:
            return {"template": f"too_large.{what}", "ctx": {"n": n, "limit": limit}}
    return None


def _cells(rows: list[list], merged, info: _SheetInfo) -> pd.DataFrame:
    """calamine's rows as raw cells: blanks ``None``, merged ranges filled from their
    top-left cell, over-long texts noted."""
    cells = np.array(rows, dtype=object) if rows else np.empty((0, 0), dtype=object)
    if cells.ndim != 2:  # ragged rows (never from calamine, which pads): pad here
        cells = pd.DataFrame(rows, dtype=object).to_numpy(dtype=object)
    cells[cells == ""] = None
    height, width = cells.shape  # (error cells are blank, as calamine gives them: each is
    # reported with its error text, not read again as a value of its column)
    for (r0, c0), (r1, c1) in merged:
        if r0 < height and c0 < width:
            cells[r0 : r1 + 1, c0 : c1 + 1] = cells[r0, c0]
            info.merged.append((r0, c0, min(r1, height - 1), min(c1, width - 1)))
    for j in range(width if info.long_text else 0):
        col = cells[:, j]
        text = [i for i, x in enumerate(col) if type(x) is str and len(x) > MAX_CELL_TEXT]
        info.long += [(i, j, len(col[i])) for i in text]
    return pd.DataFrame(cells, dtype=object)
