"""Charts of metric results (plotly): each takes a metric's DataFrame and returns a Figure.

The frames follow the output contracts of :func:`civicgraph.coverage`,
:func:`civicgraph.funding_flows` and the trend metric, so a chart never recomputes a
metric. Titles, axes and code values are in the language asked for.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .._errors import SchemaError
from ..catalog import CODE_COLUMNS, translator

__all__ = ["coverage_bars", "coverage_tree", "funding_sankey", "trend_lines"]

_FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, Arial, sans-serif"


def _need(df: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SchemaError(
            f"{what} needs the column(s) {missing}; the frame has {list(df.columns)} "
            f"(pass the DataFrame returned by the matching civicgraph metric)"
        )


def _style(fig: go.Figure, title: str) -> go.Figure:
    fig.update_layout(
        title={"text": title},
        font={"family": _FONT},
        template="plotly_white",
        margin={"l": 60, "r": 20, "t": 60, "b": 60},
    )
    return fig


def _text(values) -> list[str]:
    """Labels from the data as plain text for plotly, which reads a subset of HTML in text
    (``<b>``, ``<br>``, ``<a>``): escape so that a name shows as written."""
    return [html.escape(str(v), quote=False) for v in values]


def _units(cov: pd.DataFrame) -> pd.DataFrame:
    return cov[cov.index.astype(str) != "total"]


def coverage_bars(cov: pd.DataFrame, *, lang: str = "zh", title: str | None = None) -> go.Figure:
    """Bar chart of hub coverage per admin unit (a :func:`civicgraph.coverage` frame).

    One bar per unit (share of its communities covered), the ``total`` row as a dashed
    line; hovering shows covered / communities and hubs.

    Examples
    --------
    >>> import pandas as pd
    >>> cov = pd.DataFrame({"name": ["A街道", "B街道", "total"], "level": ["street"] * 3,
    ...     "communities": [4, 2, 6], "covered": [1, 2, 3], "share": [0.25, 1.0, 0.5],
    ...     "hubs": [1, 1, 2]}, index=pd.Index(["s1", "s2", "total"], name="id"))
    >>> fig = coverage_bars(cov, lang="en")
    >>> list(fig.data[0].y), fig.layout.title.text
    ([25.0, 100.0], 'Coverage of communities by street')
    """
    t = translator(lang)
    _need(cov, ("name", "communities", "covered", "share"), "coverage_bars")
    units = _units(cov)
    levels = units["level"].dropna().astype(str).unique() if "level" in units else []
    level = t.value(levels[0]) if len(levels) == 1 else t.col("unit")
    hubs = units["hubs"] if "hubs" in units else pd.Series(np.nan, index=units.index)
    custom = np.column_stack([units["covered"], units["communities"], hubs])
    fig = go.Figure(
        go.Bar(
            x=_text(units["name"]),
            y=(units["share"].astype(float) * 100).round(1).tolist(),
            customdata=custom,
            marker={
                "color": units["share"].astype(float).tolist(),
                "colorscale": "RdYlGn",
                "cmin": 0,
                "cmax": 1,
            },
            hovertemplate=(
                "%{x}<br>"
                + f"{t('share')}: %{{y:.1f}}%<br>{t('covered')}: %{{customdata[0]}}"
                + f" / %{{customdata[1]}}<br>{t('hubs')}: %{{customdata[2]}}<extra></extra>"
            ),
        )
    )
    if "total" in cov.index:
        total = float(cov.loc["total", "share"]) * 100
        fig.add_hline(
            y=total,
            line_dash="dash",
            annotation_text=f"{t('total')} {total:.1f}%",
            annotation_position="top right",
        )
    fig.update_yaxes(title_text=f"{t('share')} (%)", range=[0, 105])
    fig.update_xaxes(title_text=level, tickangle=-45 if len(units) > 12 else 0)
    return _style(fig, title if title is not None else t("coverage_bars", level=level))


def coverage_tree(
    cov: pd.DataFrame,
    *,
    kind: str = "sunburst",
    lang: str = "zh",
    title: str | None = None,
    maxdepth: int = 3,
) -> go.Figure:
    """The admin hierarchy coloured by coverage (``coverage(g, level="all")`` frame).

    Sector size is the number of communities under a unit; colour its covered share
    (red 0% to green 100%).

    Examples
    --------
    >>> import pandas as pd
    >>> cov = pd.DataFrame({"name": ["市", "区", "街道", "total"],
    ...     "level": ["city", "district", "street", None], "parent": [None, "c", "d", None],
    ...     "communities": [3, 3, 3, 3], "covered": [1, 1, 1, 1],
    ...     "share": [1 / 3, 1 / 3, 1 / 3, 1 / 3], "hubs": [1, 1, 1, 1]},
    ...     index=pd.Index(["c", "d", "s", "total"], name="id"))
    >>> fig = coverage_tree(cov)
    >>> list(fig.data[0].ids), list(fig.data[0].parents)
    (['c', 'd', 's'], ['', 'c', 'd'])
    """
    t = translator(lang)
    if kind not in ("sunburst", "treemap"):
        raise SchemaError(f"kind={kind!r}: use 'sunburst' or 'treemap'")
    _need(cov, ("name", "parent", "communities", "share"), "coverage_tree")
    units = _units(cov)
    ids = units.index.astype(str).to_numpy()
    parents = units["parent"].astype(object).where(units["parent"].notna(), "").astype(str)
    parents = parents.where(parents.isin(set(ids)), "").tolist()
    share = units["share"].astype(float).fillna(0.0)
    trace = go.Sunburst if kind == "sunburst" else go.Treemap
    fig = go.Figure(
        trace(
            ids=ids,
            parents=parents,
            labels=_text(units["name"]),
            values=units["communities"].astype(float).tolist(),
            branchvalues="total",
            maxdepth=maxdepth,
            marker={
                "colors": share.tolist(),
                "colorscale": "RdYlGn",
                "cmin": 0,
                "cmax": 1,
                "colorbar": {"title": {"text": t("share")}},
            },
            customdata=np.column_stack([share * 100, units["communities"]]),
            hovertemplate=(
                "%{label}<br>"
                + f"{t('share')}: %{{customdata[0]:.1f}}%<br>{t('communities')}: "
                + "%{customdata[1]}<extra></extra>"
            ),
        )
    )
    fig.update_layout(height=600)
    return _style(fig, title if title is not None else t("coverage_tree"))


def funding_sankey(
    flows: pd.DataFrame,
    *,
    path: Sequence[str] = ("program", "district", "role"),
    value: str = "amount",
    lang: str = "zh",
    title: str | None = None,
) -> go.Figure:
    """Sankey diagram of money along ``path`` (a :func:`civicgraph.funding_flows` frame).

    Each column of ``path`` is one stage (by default program -> district -> recipient
    role); the band between two stages sums ``value`` over the rows joining them.
    Missing entries show as "unknown"; code values (roles, levels) are translated.

    Examples
    --------
    >>> import pandas as pd
    >>> flows = pd.DataFrame({"program": ["P1", "P1", "P2"], "district": ["D1", "D2", "D1"],
    ...     "role": ["hub", "member", "hub"], "amount": [100.0, 50.0, 30.0]})
    >>> fig = funding_sankey(flows, lang="en")
    >>> list(fig.data[0].node.label)
    ['P1', 'P2', 'D1', 'D2', 'hub', 'member']
    >>> list(fig.data[0].link.value)
    [100.0, 50.0, 30.0, 130.0, 50.0]
    """
    t = translator(lang)
    path = list(path)
    if len(path) < 2:
        raise SchemaError("funding_sankey needs at least two stages in path")
    _need(flows, [*path, value], "funding_sankey")
    df = flows[[*path, value]].copy()
    for col in path:
        values = df[col].astype(object)
        if col in CODE_COLUMNS:  # roles, levels: their label; names stay as written
            values = values.map(t.value, na_action="ignore")
        df[col] = values.where(values.notna(), t("unknown")).astype(str)
    df[value] = pd.to_numeric(df[value], errors="coerce").fillna(0.0)
    labels: list[str] = []
    index: dict[tuple[int, str], int] = {}
    for s, col in enumerate(path):
        for name in dict.fromkeys(df[col]):
            index[(s, name)] = len(labels)
            labels.append(name)
    src, tgt, val = [], [], []
    for s in range(len(path) - 1):
        pairs = df.groupby([path[s], path[s + 1]], sort=False)[value].sum()
        for (a, b), amount in pairs.items():
            src.append(index[(s, a)])
            tgt.append(index[(s + 1, b)])
            val.append(float(amount))
    fig = go.Figure(
        go.Sankey(
            node={"label": _text(labels), "pad": 12, "thickness": 14},
            link={"source": src, "target": tgt, "value": val},
            valueformat=",.0f",
        )
    )
    stages = " → ".join(t(c) if c in t.keys else t.col(c) for c in path)
    fig.update_layout(height=max(400, 22 * len(labels)))
    return _style(fig, title if title is not None else f"{t('funding_sankey')} ({stages})")


def trend_lines(
    df: pd.DataFrame,
    *,
    x: str = "year",
    y: str | Sequence[str] = "value",
    color: str | None = None,
    lang: str = "zh",
    title: str | None = None,
) -> go.Figure:
    """Line chart of a trend: ``y`` over ``x``, one line per value of ``color``.

    ``y`` may be a list of columns (a wide frame such as ``cg.trend(g, [...])`` with its
    index reset): one line per column.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"year": [2017, 2018, 2017, 2018], "value": [1, 3, 2, 2],
    ...                    "role": ["hub", "hub", "center", "center"]})
    >>> fig = trend_lines(df, color="role", lang="zh")
    >>> [tr.name for tr in fig.data]
    ['枢纽型组织', '培育中心']
    """
    t = translator(lang)
    if not isinstance(y, str):  # wide frame (one column per metric, as cg.trend gives)
        _need(df, [x, *y], "trend_lines")
        df = df.melt(id_vars=[x], value_vars=list(y), var_name="__metric", value_name="__value")
        df["__metric"] = df["__metric"].map(lambda c: t.term(c) if t.term(c) != c else t.col(c))
        y, color = "__value", "__metric"
        fig = trend_lines(df, x=x, y=y, color=color, lang=lang, title=title)
        fig.update_yaxes(title_text=t("value"))
        return fig
    _need(df, [c for c in (x, y, color) if c is not None], "trend_lines")
    groups = [(None, df)] if color is None else list(df.groupby(color, sort=False))
    fig = go.Figure()
    for key, part in groups:
        part = part.sort_values(x)
        fig.add_trace(
            go.Scatter(
                x=part[x].tolist(),
                y=part[y].tolist(),
                mode="lines+markers",
                name=_text([t.value(key) if color in CODE_COLUMNS else key])[0]
                if key is not None
                else t.col(y),
            )
        )
    fig.update_xaxes(title_text=t.col(x))
    if x == "year":
        fig.update_xaxes(dtick=1, tickformat="d")
    fig.update_yaxes(title_text=t.col(y))
    return _style(fig, title if title is not None else t("trend"))
