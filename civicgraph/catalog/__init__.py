"""The message catalog: every sentence, heading and label a user reads, in zh and en.

The texts live beside this module, one JSON file per area and language:
``<area>.zh.json`` and ``<area>.en.json`` (``report``: headings and sentences of the report
and pictures, with the ``terms`` of headline tables and a few ``columns``; ``labels``:
column headers, code values and notes; ``problems``: the message and fix of every problem
code; further areas such as ``cli`` in the same way). Each file is a nested object of
``str.format`` templates; a key names its area and path with dots, e.g.
``report.text.summary`` or ``problems.bad_date.message``. Both languages of an area hold
the same keys with the same ``{fields}``: ``tests/test_catalog.py`` fails on any key that
lacks a language, so there is no silent English fallback.

Lookups:

- :func:`text` — one template by its key, filled with named fields;
- :class:`Translator` (``translator(lang)``) — the report's and pictures' view:
  ``t("summary")``, ``t.col("share")``, ``t.value("hub")``, ``t.term(phrase)``;
- :func:`label`, :func:`term`, :func:`translate_frame` — column headers and code values of
  tables, as the command line writes them.

Examples
--------
>>> text("report.text.summary", "zh"), text("report.text.summary", "en")
('概况', 'Summary')
>>> text("report.text.network_note", "en", shown=3, total=10)
'The picture holds 3 of 10 nodes; double-click a merged unit to open it.'
"""

from __future__ import annotations

import json
import string
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import pandas as pd

__all__ = [
    "CODE_COLUMNS",
    "COLUMN_LABELS",
    "LANGS",
    "NOTES",
    "TERMS_ZH",
    "TERM_COLUMNS",
    "Translator",
    "areas",
    "entries",
    "fields",
    "has",
    "label",
    "render_fields",
    "term",
    "text",
    "translate_frame",
    "translator",
    "word",
]

#: The languages every entry of the catalog has.
LANGS = ("zh", "en")


def _check(lang: str) -> None:
    if lang not in LANGS:
        from .._errors import SchemaError

        raise SchemaError(f"unknown language {lang!r}; use 'zh' or 'en' / 语言应为 zh 或 en")


def _flatten(prefix: str, data: dict, out: dict[str, str]) -> None:
    for key, value in data.items():
        name = f"{prefix}.{key}"
        if isinstance(value, dict):
            _flatten(name, value, out)
        else:
            out[name] = value


@cache
def areas() -> tuple[str, ...]:
    """The areas of the catalog (``report``, ``labels``, ``problems``, ...)."""
    names = {
        p.name.split(".")[0]
        for p in resources.files(__name__).iterdir()
        if p.name.endswith(".json")
    }
    return tuple(sorted(names))


@cache
def _area(area: str, lang: str) -> MappingProxyType:
    raw = (resources.files(__name__) / f"{area}.{lang}.json").read_text("utf-8")
    return MappingProxyType(json.loads(raw))


@cache
def entries(lang: str) -> MappingProxyType:
    """Every template of ``lang``, by dotted key."""
    _check(lang)
    out: dict[str, str] = {}
    for area in areas():
        path = resources.files(__name__) / f"{area}.{lang}.json"
        if path.is_file():
            _flatten(area, dict(_area(area, lang)), out)
    return MappingProxyType(out)


def has(key: str, lang: str = "en") -> bool:
    """Whether the catalog holds ``key``."""
    return key in entries(lang)


def fields(template: str) -> frozenset[str]:
    """The named ``{fields}`` of a template.

    >>> sorted(fields("{shown} of {total} nodes shown."))
    ['shown', 'total']
    """
    return frozenset(
        name.split(".")[0].split("[")[0]
        for _, name, _, _ in string.Formatter().parse(template)
        if name
    )


def text(key: str, lang: str, /, **values: Any) -> str:
    """The template ``key`` in ``lang``, filled with ``values``.

    Raises
    ------
    KeyError
        When the catalog has no such key (a programming error, never a user's).
    """
    template = entries(lang)[key]
    return template.format(**values) if values or "{" in template else template


# ------------------------------------------------------------------ labels of tables


def _labels(part: str, lang: str) -> MappingProxyType:
    return MappingProxyType(dict(_area("labels", lang)[part]))


#: Column headers of every metric table: ``{column: (zh, en)}``.
COLUMN_LABELS = MappingProxyType(
    {k: (v, _labels("columns", "en")[k]) for k, v in _labels("columns", "zh").items()}
)

#: Notes that metrics attach to rows: ``{key: (zh, en)}``.
NOTES = MappingProxyType(
    {k: (v, _labels("notes", "en")[k]) for k, v in _labels("notes", "zh").items()}
)

#: Chinese labels of the schema's code values (kinds, levels, roles, edge kinds, ...).
VALUES_ZH = _labels("values", "zh")
VALUES_EN = _labels("values", "en")

#: Columns whose values are codes with a label in the catalog.
CODE_COLUMNS = frozenset(
    {
        "kind",
        "level",
        "role",
        "program_type",
        "street_kind",
        "county_kind",
        "registration",
        "funder_level",
        "recipient_role",
    }
)

#: Columns holding the words of headline tables (``summary``): section, item, unit, note.
TERM_COLUMNS = frozenset({"section", "item", "unit", "note"})

#: Chinese of the words in headline tables (the report's ``terms`` and the notes).
TERMS_ZH = MappingProxyType(
    {**dict(_area("report", "zh")["terms"]), **{en: zh for zh, en in NOTES.values()}}
)


def term(value: str, lang: str = "en") -> str:
    """A word of a headline table in ``lang`` (``a: b`` part by part).

    >>> term("programs: venture_philanthropy", "zh"), term("city centers", "zh")
    ('项目资金：公益创投', '市级培育中心')
    """
    _check(lang)
    if lang != "zh" or not isinstance(value, str):
        return value
    if ": " in value:
        return "：".join(term(part, lang) for part in value.split(": ", 1))
    return TERMS_ZH.get(value, VALUES_ZH.get(value, value))


def label(value: str, lang: str = "en") -> str:
    """The label of a column name or code value in ``lang``.

    >>> label("hub", "zh"), label("share", "zh"), label("share", "en")
    ('枢纽型组织', '覆盖率', 'share')
    """
    _check(lang)
    if value in COLUMN_LABELS:
        return COLUMN_LABELS[value][0 if lang == "zh" else 1]
    if lang == "zh":
        return VALUES_ZH.get(value, value)
    return VALUES_EN.get(value, str(value).replace("_", " "))


def translate_frame(df: pd.DataFrame, lang: str = "en", *, values: bool = True) -> pd.DataFrame:
    """A copy of ``df`` with column headers (and code values, when ``values``) in ``lang``.

    Code values are translated only in the columns that hold codes
    (:data:`CODE_COLUMNS`: kinds, levels, roles, program types), so names are never
    touched.

    >>> df = pd.DataFrame({"level": ["street"], "share": [0.5]})
    >>> translate_frame(df, "zh")
        层级  覆盖率
    0  街道乡镇  0.5
    """
    _check(lang)
    out = df.copy()
    if values and lang == "zh":
        for col in out.columns:
            if col in CODE_COLUMNS:
                out[col] = out[col].astype(object).map(lambda v: VALUES_ZH.get(v, v))
            elif col in TERM_COLUMNS:
                out[col] = out[col].astype(object).map(lambda v: term(v, "zh"))
    headline = set(out.columns) >= TERM_COLUMNS or {"section", "item", "unit"} <= set(out.columns)
    out.columns = [
        ("单位" if lang == "zh" else "unit")
        if headline and c == "unit"
        else label(c, lang)
        if isinstance(c, str)
        else c
        for c in out.columns
    ]
    if out.index.name:
        out.index.name = label(out.index.name, lang)
    return out


# ------------------------------------------------------------------ problems

#: Fields of problem messages whose values are words or codes, shown in the reader's
#: language (``labels.words``, else the code's label); other fields are shown as given.
TERM_FIELDS = frozenset({"kind", "what", "end", "column"})


def word(value: Any, lang: str) -> str:
    """A word of a message (sheet kinds, column roles) or a code value, in ``lang``.

    >>> word("organizations", "zh"), word("hub", "zh"), word("edge kind", "en")
    ('组织', '枢纽型组织', 'edge kind')
    """
    words = _area("labels", lang)["words"]
    value = str(value)
    if value in words:
        return words[value]
    return label(value, lang) if lang == "zh" or value in VALUES_EN else value


def render_fields(ctx: dict, lang: str) -> dict[str, str]:
    """The fields of a problem message as ``lang`` shows them: lists joined with the
    language's separator (``choices`` as labels), words and codes translated.

    >>> render_fields({"choices": ["hub", "member"], "n": 3}, "zh")
    {'choices': '枢纽型组织、社区社会组织', 'n': '3'}
    >>> render_fields({"choices": ["hub", "member"]}, "en")
    {'choices': 'hub, member'}
    """
    sep = _area("labels", lang)["words"]["list_sep"]
    out = {}
    for key, value in ctx.items():
        if isinstance(value, list | tuple):
            codes = key in ("choices", "kinds")
            shown = [word(v, lang) if codes else str(v) for v in value]
            out[key] = ("/" if key == "kinds" else sep).join(shown)
        elif key in TERM_FIELDS:
            out[key] = word(value, lang)
        else:
            out[key] = str(value)
    return out


# ------------------------------------------------------------- the report's view


class Translator:
    """Look up a language's labels: ``t("summary")``, ``t.col("share")``, ``t.value("hub")``.

    ``t(key)`` is ``text("report.text." + key, lang)``.

    Examples
    --------
    >>> t = translator("zh")
    >>> t("summary"), t.value("hub"), t.col("share")
    ('概况', '枢纽型组织', '覆盖率')
    >>> translator("en")("network_note", shown=3, total=10)
    'The picture holds 3 of 10 nodes; double-click a merged unit to open it.'
    """

    def __init__(self, lang: str):
        _check(lang)
        self.lang = lang
        self._data = _area("report", lang)

    def __call__(self, key: str, /, **values: Any) -> str:
        return self._data["text"][key].format(**values)

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
        terms = self._data["terms"]
        if phrase in terms:
            return terms[phrase]
        head, sep, rest = phrase.partition(": ")
        if sep and head in terms:
            return f"{terms[head]}: {self.term(rest)}"
        if phrase in VALUES_ZH:
            return self.value(phrase)
        return term(phrase, self.lang)

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(self._data["text"])


def translator(lang: str) -> Translator:
    """The :class:`Translator` of ``lang`` (``"zh"`` or ``"en"``)."""
    return Translator(lang)
