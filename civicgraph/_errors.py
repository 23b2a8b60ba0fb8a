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
    """Base class of every error civicgraph raises on purpose.

    An error made with :meth:`from_catalog` keeps its catalog ``key`` and ``ctx`` and
    renders in either language (:meth:`render`); its ``str`` is the English text.

    >>> e = CivicGraphError.from_catalog("errors.divisions.no_data", path="x")
    >>> e.render("zh")
    '找不到区划数据：x'
    """

    key: str | None = None
    ctx: dict = {}  # never mutated: from_catalog sets a new dict

    @classmethod
    def from_catalog(cls, key: str, /, **ctx):
        """The error whose words are the catalog's ``key`` filled with ``ctx``."""
        from .catalog import text

        exc = cls(text(key, "en", **ctx))
        exc.key, exc.ctx = key, dict(ctx)
        return exc

    def render(self, lang: str = "en") -> str:
        """The error's words in ``lang`` (the English ``str`` when it has no catalog key)."""
        if self.key is None:
            return str(self)
        from .catalog import render_fields, text

        return text(self.key, lang, **render_fields(self.ctx, lang))


class SchemaError(CivicGraphError):
    """A table lacks a column civicgraph needs, or a value is not of a known kind."""


class DataNotFoundError(CivicGraphError, FileNotFoundError):
    """An input file or folder is not where the user said it is."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input: where it is, what is wrong and how to fix it.

    ``row`` is the 1-based row number as a spreadsheet shows it (the header is row 1
    unless the header was found lower down).

    A problem is data: ``code`` is a stable name (``bad_date``, ``unknown_division``...),
    ``ctx`` the named values of its message, and the words are looked up in the message
    catalog (:mod:`civicgraph.catalog`, area ``problems``, key ``template`` or else
    ``code``) when shown, in either language: :meth:`text`, :meth:`fix_text`,
    :meth:`render`. ``message`` and ``fix`` hold the English text (rendered from the
    catalog when not given).

    >>> p = Problem(code="bad_date", sheet="funding", row=3, column="date", value="31/8")
    >>> p.render("en")
    "sheet 'funding', row 3, column 'date': cannot read the date (value: '31/8'). Fix: write it as 2019-08-31"
    >>> p.render("zh")
    '工作表“funding”，第 3 行，“date”列：无法识别的日期（值：31/8）。修改建议：请写成 2019-08-31 这样的日期'
    """

    message: str = ""
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    fix: str | None = None
    code: str = "invalid"
    extra: dict = field(default_factory=dict, compare=False, repr=False)
    ctx: dict = field(default_factory=dict, compare=False, repr=False)
    template: str | None = field(default=None, compare=False, repr=False)
    #: the sheet is hidden in its workbook (said where the sheet is named)
    hidden: bool = field(default=False, compare=False, repr=False)
    #: the merged range holding the cell (``A5:A6``), whose top-left value it took
    merged: str | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.message and self._key() is not None:
            object.__setattr__(self, "message", self.text("en"))
            if self.fix is None:
                object.__setattr__(self, "fix", self.fix_text("en"))

    def _key(self) -> str | None:
        """The catalog key of this problem's words, when the catalog has them and ``ctx``
        gives every field they name (else the stored English ``message`` is shown)."""
        from .catalog import entries, fields

        key = f"problems.{self.template or self.code}"
        en = entries("en")
        need = fields(en.get(f"{key}.message", "")) | fields(en.get(f"{key}.fix", ""))
        if f"{key}.message" not in en or not need <= set(self.ctx):
            return None
        if self.message and not self.ctx and self.message != en[f"{key}.message"]:
            return None  # words written where the problem was found
        return key

    def _fields(self, lang: str) -> dict:
        from .catalog import render_fields

        return render_fields(self.ctx, lang)

    def text(self, lang: str = "en") -> str:
        """What is wrong, in ``lang``; a problem in a hidden sheet or a merged cell says so."""
        from .catalog import text

        key = self._key()
        out = self.message if key is None else text(f"{key}.message", lang, **self._fields(lang))
        if self.hidden:
            out += text("problems.where.hidden_sheet", lang)
        if self.merged:
            out += text("problems.where.merged", lang, cells=self.merged)
        return out

    def fix_text(self, lang: str = "en") -> str | None:
        """How to fix it, in ``lang``."""
        from .catalog import has, text

        key = self._key()
        if key is None or not has(f"{key}.fix", lang):
            return self.fix
        return text(f"{key}.fix", lang, **self._fields(lang))

    def where(self, lang: str = "en") -> str:
        """``file, sheet, row, column`` as far as they are known."""
        from .catalog import text

        parts = []
        if self.file:
            parts.append(text("problems.where.file", lang, file=self.file))
        if self.sheet:
            parts.append(text("problems.where.sheet", lang, sheet=self.sheet))
        if self.row is not None:
            parts.append(text("problems.where.row", lang, row=self.row))
        if self.column:
            parts.append(text("problems.where.column", lang, column=self.column))
        return text("problems.where.sep", lang).join(parts)

    def render(self, lang: str = "en") -> str:
        """The whole problem as one sentence in ``lang``: where, what, value and fix."""
        from .catalog import text

        out = self.text(lang)
        value = self.value.item() if hasattr(self.value, "item") else self.value
        if value is not None and value != "":
            shown = repr(value) if lang == "en" else str(value)
            out += text("problems.where.value", lang, value=shown)
        where = self.where(lang)
        if where:
            out = text("problems.where.at", lang, where=where, text=out)
        fix = self.fix_text(lang)
        if fix:
            out += text("problems.where.fix", lang, fix=fix)
        return out

    def __str__(self) -> str:
        return self.render("en")

    def as_dict(self, lang: str = "en") -> dict:
        """The problem as a flat record, for a DataFrame of problems."""
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": None if self.value is None else str(self.value),
            "code": self.code,
            "message": self.text(lang),
            "fix": self.fix_text(lang),
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

    def render(self, lang: str = "en", *, limit: int = 200) -> str:
        """Every problem (up to ``limit``) as lines in ``lang``."""
        from .catalog import text

        n = len(self.problems)
        lines = [text("problems.where.count", lang, n=n)]
        lines += [f"  - {p.render(lang)}" for p in self.problems[:limit]]
        if n > limit:
            lines.append(text("problems.where.more", lang, n=n - limit))
        return "\n".join(lines)

    def to_frame(self, lang: str = "en"):
        """The problems as a pandas DataFrame, one row each (messages in ``lang``)."""
        import pandas as pd

        return pd.DataFrame(
            [p.as_dict(lang) for p in self.problems],
            columns=["file", "sheet", "row", "column", "value", "code", "message", "fix"],
        )
