"""Headings, labels and code-value names in Chinese and English for pictures and reports.

Headings and sentences live in ``civicgraph/report/i18n/{lang}.json`` (``str.format``
templates); column headers and code values (roles, levels...) come from
:func:`civicgraph.i18n.label` (so from :data:`civicgraph.schema.LABELS_ZH`), the one
source the command line uses too.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from ._errors import SchemaError
from .i18n import LANGS, label

__all__ = ["Translator", "translator"]


@cache
def _table(lang: str) -> MappingProxyType:
    text = (resources.files("civicgraph.report") / "i18n" / f"{lang}.json").read_text("utf-8")
    return MappingProxyType(json.loads(text)["text"])


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
        return self._data[key].format(**fields)

    def col(self, name: str) -> str:
        """Heading of a metric output column."""
        return label(str(name), self.lang)

    def value(self, code: Any) -> str:
        """Name of a code value such as a role or level (the value itself where none is)."""
        return "" if code is None else label(str(code), self.lang)

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(self._data)


def translator(lang: str) -> Translator:
    """The :class:`Translator` of ``lang`` (``"zh"`` or ``"en"``)."""
    if lang not in LANGS:
        raise SchemaError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return Translator(lang)
