"""Result tables as a clerk reads them: names beside codes, words for codes and booleans,
blanks where a figure does not apply, rounded scores, shares as percentages, headers in
the reader's language, and an About sheet saying what the table is.

Used by the command line; the metrics keep their plain, documented columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from .catalog import VALUES_EN, VALUES_ZH, has, label, text, translate_frame
from .model import CivicGraph
from .schema import COL

__all__ = ["Shaped", "about_sheet", "shape"]

#: Columns holding node ids that get a name column beside them (``<col>_name``).
NAMED_COLUMNS = ("parent", "district", "street", "community", "program", "recipient")

#: Columns whose values are codes shown by their label.
CODE_VALUE_COLUMNS = frozenset(
    {"kind", "level", "role", "program_type", "street_kind", "funder_level", "recipient_role",
     "flow"}
)  # fmt: skip

#: Shares in [0, 1]: Excel percentages.
SHARE_COLUMNS = frozenset({"share", "coverage"})

#: Columns rounded (decimals) and their Excel number formats.
ROUND = {"priority": 2, "pagerank": 6, "betweenness": 6}
FORMATS = {
    "share": "0.0%",
    "coverage": "0.0%",
    "priority": "0.00",
    "pagerank": "0.000000",
    "betweenness": "0.000000",
    "amount": "#,##0",
    "funding": "#,##0",
}


@dataclass
class Shaped:
    """A result ready to show: ``frame`` (headers and values in the language), the Excel
    number ``formats`` by translated header, the ``percent`` headers, the code columns
    the terminal may leave out (``codes``: their names stand beside them) and the
    ``plain`` ones (years: no thousands separator)."""

    frame: pd.DataFrame
    formats: dict[str, str] = field(default_factory=dict)
    percent: frozenset[str] = frozenset()
    codes: tuple[str, ...] = ()
    plain: frozenset[str] = frozenset()

    def terminal(self) -> pd.DataFrame:
        """The columns worth a terminal's width: code columns with a name beside them
        left out."""
        return self.frame.drop(columns=[c for c in self.codes if c in self.frame.columns])


def _names(g: CivicGraph) -> pd.Series:
    nodes = g._nodes
    return pd.Series(nodes[COL.NAME].to_numpy(dtype=object), index=nodes[COL.ID].to_numpy())


def _values(lang: str) -> dict:
    return VALUES_ZH if lang == "zh" else VALUES_EN


def shape(df: pd.DataFrame, g: CivicGraph, lang: str, *, kind: str) -> Shaped:
    """``df`` (a metric's table) as a clerk reads it, in ``lang``.

    - the ``total`` row of a coverage table is dropped when one unit holds every
      community counted (it would repeat that unit's row);
    - ``<col>_name`` beside each id column (``district``, ``street``, ``parent``,
      ``program``...) — ``nearest_hub`` already has its name;
    - a unit without communities has a blank share, not 0;
    - scores rounded (``priority`` to 2 decimals), booleans as 是/否 (yes/no), codes
      (levels, roles, flows) as their labels, headers translated.
    """
    out = df.copy()
    if kind == "coverage":
        out = _drop_repeated_total(out)
    if "communities" in out.columns:
        for col in SHARE_COLUMNS & set(out.columns):
            out[col] = out[col].astype(float).where(out["communities"] > 0)
    if kind == "summary":
        out = _summary_values(out)
    names = _names(g)
    codes = []
    for col in NAMED_COLUMNS:
        if col in out.columns and f"{col}_name" not in out.columns:
            ids = out[col].astype(object)
            named = ids.map(lambda v: names.get(v) if isinstance(v, str) else None)
            if named.notna().any():
                out.insert(out.columns.get_loc(col) + 1, f"{col}_name", named)
                codes.append(col)
    if "nearest_hub_name" in out.columns:
        codes.append("nearest_hub")
    for col, n in ROUND.items():
        if col in out.columns and pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(n)
    yes_no = {True: text("labels.booleans.true", lang), False: text("labels.booleans.false", lang)}
    values = _values(lang)
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_bool_dtype(s) or (s.dtype == object and _all_bool(s)):
            out[col] = s.astype(object).map(lambda v: yes_no.get(v) if not pd.isna(v) else None)
        elif col in CODE_VALUE_COLUMNS:
            out[col] = s.astype(object).map(lambda v: values.get(v, v) if isinstance(v, str) else v)
    if kind == "summary" and lang == "en":
        for col in ("section", "item"):
            out[col] = out[col].map(lambda v: v.replace("_", " ") if isinstance(v, str) else v)
    if out.index.name is None and kind in ("coverage", "gaps", "centrality"):
        out.index.name = "id"
    if "total" in out.index:
        total = label("total", lang)
        for col in ("name", "level"):
            if col in out.columns:
                out[col] = out[col].astype(object)
                out.loc["total", col] = total if col == "name" else None
        out = out.rename(index={"total": total})
    percent = frozenset(label(c, lang) for c in SHARE_COLUMNS if c in out.columns)
    formats = {label(c, lang): f for c, f in FORMATS.items() if c in out.columns}
    plain = frozenset(
        label(c, lang) for c in ("year", "step") if c in out.columns or c == out.index.name
    )
    frame = translate_frame(out, lang)
    return Shaped(frame, formats, percent, tuple(label(c, lang) for c in codes), plain)


def _all_bool(s: pd.Series) -> bool:
    v = s.dropna()
    return len(v) > 0 and all(isinstance(x, bool | np.bool_) for x in v)


def _drop_repeated_total(df: pd.DataFrame) -> pd.DataFrame:
    """Without the ``total`` row when one unit's row holds the same figures."""
    if "total" not in df.index or "communities" not in df.columns:
        return df
    total = df.loc["total"]
    rest = df.drop(index="total")
    same = (rest["communities"] == total["communities"]) & (rest["covered"] == total["covered"])
    return rest if same.any() else df


def _summary_values(df: pd.DataFrame) -> pd.DataFrame:
    """Shares of the headline table as percentages (one decimal), unit ``%``."""
    df = df.copy()
    share = df["unit"] == "share"
    df["value"] = df["value"].astype(object)
    df.loc[share, "value"] = [round(100 * float(v), 1) for v in df.loc[share, "value"]]
    df.loc[share, "unit"] = "%"
    return df


def about_sheet(
    kind: str,
    lang: str,
    g: CivicGraph,
    *,
    registry: str,
    as_of=None,
    urban_only: bool | None = None,
    definition: str | None = None,
    districts_only: bool = False,
    extra: Iterable[tuple[str, str]] = (),
) -> pd.DataFrame:
    """The About (说明) sheet of a result workbook: which table, from which registry, on
    which divisions, as of when, written when, and the definitions (``definition``,
    ``"served"`` or ``"own"``, and ``districts_only``: what covers a community and which
    communities count, as the metric was asked)."""

    def t(key: str, **kw) -> str:
        return text(f"cli.about.{key}", lang, **kw)

    rows = [
        (t("table"), text(f"cli.title.{kind}", lang)),
        (t("registry"), t("example") if registry.startswith("example:") else registry),
        (t("divisions"), divisions_used(g, lang)),
        (t("as_of"), str(pd.Timestamp(as_of).date()) if as_of is not None else t("as_of_all")),
    ]
    if urban_only is not None:
        rows.append((t("scope"), t("urban_only") if urban_only else t("all_communities")))
    if districts_only:
        rows.append((t("districts"), t("districts_only")))
    if definition is not None:
        rows.append((t("basis"), t(f"basis_{definition}")))
    rows.append((t("written"), date.today().isoformat()))
    own = definition == "own" and has(f"cli.about.def.{kind}_own", lang)
    rows.append((t("definition"), t(f"def.{kind}_own" if own else f"def.{kind}")))
    rows += list(extra)
    return pd.DataFrame(rows, columns=[t("item"), t("text")])


def divisions_used(g: CivicGraph, lang: str, *, limit: int = 5) -> str:
    """The top admin units of ``g``, as names with codes: ``安徽省 合肥市（3401）``."""
    tree = g.tree
    admin = np.flatnonzero(tree.level >= 0)
    if admin.size == 0:
        return text("cli.msg.empty", lang)
    names = _names(g)
    depth = tree.depth[admin]
    level = depth.min()
    top = admin[depth == level]
    # units the division file did not name (parents inferred from the codes) are skipped
    # while they lead to one unit only
    while top.size == 1 and not isinstance(names.get(g.ids[top[0]]), str) and level < depth.max():
        level += 1
        top = admin[depth == level]
    ids = g.ids[top]
    sep = text("labels.words.list_sep", lang)
    shown = []
    for code in ids[:limit]:
        chain = [names.get(code[:n]) for n in (2, 4, 6, 9, 12) if n <= len(code)]
        chain = [c for c in chain if isinstance(c, str)]
        full = " ".join(dict.fromkeys(chain)) or code
        shown.append(f"{full}（{code}）" if lang == "zh" else f"{full} ({code})")
    more = len(ids) - limit
    out = sep.join(shown)
    if more > 0:
        out += (" " if lang == "en" else "") + text("cli.about.more_units", lang, n=len(ids))
    return out
