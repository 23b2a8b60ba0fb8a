"""Headings, labels and code-value names in Chinese and English for pictures and reports.

The tables live in ``civicgraph/report/i18n/{lang}.json``: ``text`` (headings and labels,
``str.format`` templates), ``columns`` (metric output columns) and ``values`` (code values
such as roles and levels). Chinese code-value names come from
:data:`civicgraph.schema.LABELS_ZH`, the one source of truth, with the file's ``values``
adding the few that are not schema codes.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from ._errors import SchemaError
from .schema import LABELS_ZH

__all__ = ["LANGS", "Translator", "translator"]

#: Languages that reports and pictures can be written in.
LANGS: tuple[str, ...] = ("zh", "en")


@cache
def _table(lang: str) -> MappingProxyType:
    text = (resources.files("civicgraph.report") / "i18n" / f"{lang}.json").read_text("utf-8")
    data = json.loads(text)
    if lang == "zh":
        data["values"] = {**LABELS_ZH, **data["values"]}
    return MappingProxyType(data)


class Translator:
    """Look up a language's labels: ``t("summary")``, ``t.col("share")``, ``t.value("hub")``.

    Examples
    --------
    >>> t = translator("zh")
    >>> t("summary"), t.value("hub"), t.col("share")
    ('概况', '枢纽型组织', '覆盖率')
    >>> translator("en")("network_note", shown=3, total=10)
    '3 of 10 nodes shown.'
    """

    def __init__(self, lang: str):
        self.lang = lang
        self._data = _table(lang)

    def __call__(self, key: str, /, **fields: Any) -> str:
        return self._data["text"][key].format(**fields)

    def col(self, name: str) -> str:
        """Heading of a metric output column (the column name itself where none is known)."""
        return self._data["columns"].get(str(name), str(name))

    def value(self, code: Any) -> str:
        """Name of a code value such as a role or level (the value itself where none is)."""
        if code is None:
            return ""
        return self._data["values"].get(str(code), str(code))

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(self._data["text"])


def translator(lang: str) -> Translator:
    """The :class:`Translator` of ``lang`` (``"zh"`` or ``"en"``)."""
    if lang not in LANGS:
        raise SchemaError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return Translator(lang)
