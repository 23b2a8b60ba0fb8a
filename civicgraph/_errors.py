"""The civicgraph error hierarchy.

Every error a user can cause is a :class:`CivicGraphError` (a ``ValueError``), so one
``except cg.CivicGraphError`` catches them all. Validation collects every problem in an
input first and raises once, with all of them (:class:`ValidationError`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = [
    "CivicGraphError",
    "DataNotFoundError",
    "Problem",
    "SchemaError",
    "ValidationError",
]


class CivicGraphError(ValueError):
    """Base class of every error civicgraph raises on purpose."""


class SchemaError(CivicGraphError):
    """A table lacks a column civicgraph needs, or a value is not of a known kind."""


class DataNotFoundError(CivicGraphError, FileNotFoundError):
    """An input file or folder is not where the user said it is."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input: where it is, what is wrong and how to fix it.

    ``row`` is the 1-based row number as a spreadsheet shows it (the header is row 1
    unless the header was found lower down).
    """

    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    fix: str | None = None
    code: str = "invalid"
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    def where(self) -> str:
        """``file, sheet, row, column`` as far as they are known."""
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = self.message
        value = self.value.item() if hasattr(self.value, "item") else self.value
        if value is not None and value != "":
            text += f" (value: {value!r})"
        where = self.where()
        if where:
            text = f"{where}: {text}"
        if self.fix:
            text += f". Fix: {self.fix}"
        return text

    def as_dict(self) -> dict:
        """The problem as a flat record, for a DataFrame of problems."""
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": None if self.value is None else str(self.value),
            "code": self.code,
            "message": self.message,
            "fix": self.fix,
        }


class ValidationError(CivicGraphError):
    """One or more problems in an input; ``problems`` holds every one of them."""

    def __init__(self, problems: Iterable[Problem], *, what: str = "input") -> None:
        self.problems: Sequence[Problem] = tuple(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in {what}:"
        lines = [head, *(f"  - {p}" for p in self.problems[:200])]
        if n > 200:
            lines.append(f"  ... and {n - 200} more (see .problems)")
        super().__init__("\n".join(lines))

    def to_frame(self):
        """The problems as a pandas DataFrame, one row each."""
        import pandas as pd

        return pd.DataFrame(
            [p.as_dict() for p in self.problems],
            columns=["file", "sheet", "row", "column", "value", "code", "message", "fix"],
        )
