"""Headings, labels and code-value names in Chinese and English for pictures and reports.

Headings and sentences live in ``civicgraph/report/i18n/{lang}.json`` (``text``:
``str.format`` templates; ``terms``: English phrases that metrics write, such as summary
items and rule ids; ``columns``: headers of the few columns :mod:`civicgraph.i18n` does not
know). Other column headers and code values (roles, levels...) come from
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
from .i18n import LANGS, label, term
from .schema import LABELS_ZH

__all__ = ["Translator", "translator"]


@cache
def _table(lang: str) -> MappingProxyType:
    text = (resources.files("civicgraph.report") / "i18n" / f"{lang}.json").read_text("utf-8")
    data = json.loads(text)
    return MappingProxyType({k: MappingProxyType(v) for k, v in data.items()})


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
        """Heading of a metric output column."""
        name = str(name)
        return self._data["columns"].get(name) or label(name, self.lang)

    def value(self, code: Any) -> str:
        """Name of a code value such as a role or level (the value itself where none is)."""
        return "" if code is None else label(str(code), self.lang)

    def term(self, phrase: Any) -> str:
        """A phrase that a metric writes in English (summary items, units, rule ids,
        flows): its translation where the table has one, ``programs: <type>`` as the
        word for programs and the type's label, a schema code (level, role...) by its
        label, else the phrase itself.

        >>> t = translator("zh")
        >>> t.term("urban coverage"), t.term("programs: cradle"), t.term("no such phrase")
        ('城市社区覆盖率', '项目资金: 社区社会组织摇篮项目', 'no such phrase')
        >>> t.term("district"), translator("en").term("district_center")
        ('区县', 'district_center')
        """
        if phrase is None or (isinstance(phrase, float) and phrase != phrase):
            return ""
        phrase = str(phrase)
        if phrase in self._data["terms"]:
            return self._data["terms"][phrase]
        head, sep, rest = phrase.partition(": ")
        if sep and head in self._data["terms"]:
            return f"{self._data['terms'][head]}: {self.value(rest)}"
        if phrase in LABELS_ZH:
            return self.value(phrase)
        return term(phrase, self.lang)

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(self._data["text"])


def translator(lang: str) -> Translator:
    """The :class:`Translator` of ``lang`` (``"zh"`` or ``"en"``)."""
    if lang not in LANGS:
        raise SchemaError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return Translator(lang)
