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
    path: Path, problems: list[Problem], progress: Progress = None
) -> tuple[list[tuple[str, str, str | None, pd.DataFrame]], set[str]]:
    """``(tables, unreadable)``: every sheet (or CSV file) of ``path`` as raw cells, and
    the titles of the CSV files that could not be read (their problems are in ``problems``)."""
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
                [Problem(file=str(path), code="not_xlsx", ctx={"error": exc})],
                what=str(path),
            ) from None
    else:
        raise SchemaError(
            f"{path} is neither an .xlsx workbook nor a folder of CSV files (nor a CSV file); "
            "save the registry as .xlsx or as one CSV per sheet in a folder"
        )
    return tables, unreadable


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
