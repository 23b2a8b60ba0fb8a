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

__all__ = [
    "COVERAGE_SCALE",
    "coverage_bars",
    "coverage_colours",
    "coverage_tree",
    "funding_sankey",
    "trend_lines",
]

_FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, Arial, sans-serif"


def _need(df: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SchemaError(
            f"{what} needs the column(s) {missing}; the frame has {list(df.columns)} "
            f"(pass the DataFrame returned by the matching civicgraph metric)"
        )


def _style(fig: go.Figure, title: str, *, margin: bool = True) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "y": 0.98, "yanchor": "top"},
        font={"family": _FONT},
        template="plotly_white",
        separators=".,",  # thousands separator "," in every language
        modebar={"orientation": "v"},  # the toolbar beside the plot, never over the title
    )
    if margin:
        fig.update_layout(margin={"l": 60, "r": 30, "t": 70, "b": 50})
    return fig


def _text(values) -> list[str]:
    """Labels from the data as plain text for plotly, which reads a subset of HTML in text
    (``<b>``, ``<br>``, ``<a>``): escape so that a name shows as written."""
    return [html.escape(str(v), quote=False) for v in values]


def _units(cov: pd.DataFrame) -> pd.DataFrame:
    return cov[cov.index.astype(str) != "total"]


#: The colour scale of coverage: cividis, readable with every common colour-vision
#: deficiency and in greyscale (dark blue 0% to yellow 100%), light enough to print.
COVERAGE_SCALE = "Cividis"
#: One colour for bars and lines where the colour carries no value.
BAR_COLOUR = "#3b6ea5"
#: Most bars a bar chart draws (the rest are left to the tables and the hierarchy picture).
MAX_BARS = 25


def coverage_colours(shares) -> list[str]:
    """Colours of coverage shares (0..1) on :data:`COVERAGE_SCALE`, as ``rgb(...)`` strings.

    Plotly gets colours, not numbers: numbers in ``marker.color`` of bars make plotly.js log
    "Invalid color specifier" for every bar (it derives text and hover colours from them).

    >>> coverage_colours([0.0, 1.0])
    ['rgb(0, 34, 78)', 'rgb(254, 232, 56)']
    """
    from plotly.colors import sample_colorscale

    values = [min(max(float(x), 0.0), 1.0) if x == x else 0.0 for x in shares]
    return sample_colorscale(COVERAGE_SCALE, values) if values else []


def coverage_bars(
    cov: pd.DataFrame,
    *,
    lang: str = "zh",
    title: str | None = None,
    max_bars: int = MAX_BARS,
) -> go.Figure:
    """Bar chart of hub coverage per admin unit (a :func:`civicgraph.coverage` frame).

    One horizontal bar per unit, least covered at the top (share of its communities
    covered, 0-100%, axis from zero), the ``total`` row as a dashed line; hovering shows
    covered / communities and hubs. At most ``max_bars`` bars: with more units, the
    ``max_bars`` least covered are drawn and the title says how many of how many (the
    whole hierarchy is :func:`coverage_tree`).

    Examples
    --------
    >>> import pandas as pd
    >>> cov = pd.DataFrame({"name": ["A街道", "B街道", "total"], "level": ["street"] * 3,
    ...     "communities": [4, 2, 6], "covered": [1, 2, 3], "share": [0.25, 1.0, 0.5],
    ...     "hubs": [1, 1, 2]}, index=pd.Index(["s1", "s2", "total"], name="id"))
    >>> fig = coverage_bars(cov, lang="en")
    >>> list(fig.data[0].y), list(fig.data[0].x), fig.layout.title.text
    (['A街道', 'B街道'], [25.0, 100.0], 'Coverage of communities by street')
    """
    t = translator(lang)
    _need(cov, ("name", "communities", "covered", "share"), "coverage_bars")
    units = _units(cov)
    levels = units["level"].dropna().astype(str).unique() if "level" in units else []
    level = t.value(levels[0]) if len(levels) == 1 else t.col("unit")
    order = np.lexsort((-units["communities"].to_numpy(float), units["share"].to_numpy(float)))
    total_units = len(units)
    units = units.iloc[order[:max_bars]]
    hubs = units["hubs"] if "hubs" in units else pd.Series(np.nan, index=units.index)
    custom = np.column_stack([units["covered"], units["communities"], hubs])
    fig = go.Figure(
        go.Bar(
            y=_text(units["name"]),
            x=(units["share"].astype(float) * 100).round(1).tolist(),
            orientation="h",
            customdata=custom,
            marker={
                "color": coverage_colours(units["share"]),
                "line": {"color": "#555", "width": 0.5},
            },
            hovertemplate=(
                "%{y}<br>"
                + f"{t('share')}: %{{x:.1f}}%<br>{t('covered')}: %{{customdata[0]:,}}"
                + f" / %{{customdata[1]:,}}<br>{t('hubs')}: %{{customdata[2]:,}}<extra></extra>"
            ),
        )
    )
    if "total" in cov.index:
        total = float(cov.loc["total", "share"]) * 100
        fig.add_vline(
            x=total,
            line_dash="dash",
            annotation_text=f"{t('total')} {total:.1f}%",
            annotation_position="top",
        )
    fig.update_xaxes(title_text=f"{t('share')} (%)", range=[0, 105], ticksuffix="%")
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_layout(height=140 + 26 * len(units), bargap=0.25)
    if title is None:
        title = t("coverage_bars", level=level)
        if len(units) < total_units:
            title += " " + t("bars_shown", shown=f"{len(units):,}", total=f"{total_units:,}")
    return _style(fig, title)


def coverage_tree(
    cov: pd.DataFrame,
    *,
    kind: str = "treemap",
    lang: str = "zh",
    title: str | None = None,
    maxdepth: int = 2,
    levels: Sequence[str] | None = ("province", "city", "district", "street"),
) -> go.Figure:
    """The admin hierarchy in one picture, coloured by coverage (``coverage(g, level="all")``).

    A treemap (or icicle, or sunburst) of the units of ``levels``: a rectangle's area is
    the number of communities under its unit, its colour the covered share on a
    colour-blind-safe scale (cividis: dark blue 0%, yellow 100%; the colour bar says what
    100% means). Clicking a unit opens it (``maxdepth`` levels are shown at a time);
    the path bar above goes back up.

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
    traces = {"sunburst": go.Sunburst, "treemap": go.Treemap, "icicle": go.Icicle}
    if kind not in traces:
        raise SchemaError(f"kind={kind!r}: use 'treemap', 'icicle' or 'sunburst'")
    _need(cov, ("name", "parent", "communities", "share"), "coverage_tree")
    units = _units(cov)
    if levels is not None and "level" in units:
        units = units[units["level"].astype(str).isin(list(levels))]
    ids = units.index.astype(str).to_numpy()
    parents = units["parent"].astype(object).where(units["parent"].notna(), "").astype(str)
    parents = parents.where(parents.isin(set(ids)), "").tolist()
    share = units["share"].astype(float).fillna(0.0)
    covered = units["covered"] if "covered" in units else pd.Series(0, index=units.index)
    hubs = units["hubs"] if "hubs" in units else pd.Series(0, index=units.index)
    extra = {"pathbar": {"visible": True}} if kind == "treemap" else {}
    if kind != "sunburst":
        extra["tiling"] = {"pad": 1} if kind == "treemap" else {}
    fig = go.Figure(
        traces[kind](
            ids=ids,
            parents=parents,
            labels=_text(units["name"]),
            values=units["communities"].astype(float).tolist(),
            branchvalues="total",
            maxdepth=maxdepth,
            marker={
                "colors": share.tolist(),
                "colorscale": COVERAGE_SCALE,
                "cmin": 0,
                "cmax": 1,
                "line": {"color": "#ffffff", "width": 1},
                "colorbar": {
                    "title": {"text": t("coverage_scale_title"), "side": "right"},
                    "tickvals": [0, 0.25, 0.5, 0.75, 1],
                    "ticktext": ["0%", "25%", "50%", "75%", "100%"],
                    "thickness": 14,
                },
            },
            customdata=np.column_stack([share * 100, units["communities"], covered, hubs]),
            texttemplate="%{label}<br>%{customdata[0]:.1f}%",
            hovertemplate=(
                "%{label}<br>"
                + f"{t('share')}: %{{customdata[0]:.1f}}%<br>{t('covered')}: "
                + "%{customdata[2]:,} / %{customdata[1]:,}<br>"
                + f"{t('hubs')}: %{{customdata[3]:,}}<extra></extra>"
            ),
            **extra,
        )
    )
    fig.update_layout(height=560, margin={"l": 10, "r": 10, "t": 60, "b": 10})
    return _style(fig, title if title is not None else t("coverage_tree"), margin=False)


def money_unit(lang: str) -> tuple[float, str]:
    """How amounts are shown: (divisor, unit) — 万元 (10,000 yuan) in zh, yuan in en.

    >>> money_unit("zh"), money_unit("en")
    ((10000.0, '万元'), (1.0, 'yuan'))
    """
    t = translator(lang)
    return (10000.0, t("money_unit")) if lang == "zh" else (1.0, t("money_unit"))


def funding_sankey(
    flows: pd.DataFrame,
    *,
    path: Sequence[str] = ("program", "district", "role"),
    value: str = "amount",
    lang: str = "zh",
    title: str | None = None,
    top: int | None = 8,
) -> go.Figure:
    """Sankey diagram of money along ``path`` (a :func:`civicgraph.funding_flows` frame).

    Each column of ``path`` is one stage (by default program -> district -> recipient
    role); the band between two stages sums ``value`` over the rows joining them.
    Missing entries show as "unknown"; code values (roles, levels) are translated.
    Each stage keeps its ``top`` largest entries (by money) and groups the rest as one
    "other" node, so the picture stays readable on any registry (``None``: keep all).
    Amounts are shown in 万元 in zh and in yuan in en.

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
    if top is not None:
        for col in path:
            sums = (
                df.groupby(col, sort=False)[value].sum().sort_values(ascending=False, kind="stable")
            )
            if len(sums) > top + 1:  # "other" only when it groups at least two entries
                rest = set(sums.index[top:])
                df[col] = df[col].where(~df[col].isin(rest), t("other_n", n=f"{len(rest):,}"))
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
    scale, suffix = money_unit(lang)
    fig = go.Figure(
        go.Sankey(
            node={"label": _text(labels), "pad": 12, "thickness": 14,
                  "color": BAR_COLOUR, "line": {"color": "#ffffff", "width": 0.5}},
            link={"source": src, "target": tgt, "value": [v / scale for v in val],
                  "color": "rgba(59, 110, 165, 0.25)"},
            valueformat=",.1f" if scale != 1 else ",.0f",
            valuesuffix=f" {suffix}",
        )
    )  # fmt: skip
    stages = " → ".join(t(c) if c in t.keys else t.col(c) for c in path)
    per_stage = max(df[c].nunique() for c in path)
    fig.update_layout(height=min(720, max(380, 34 * per_stage)))
    return _style(
        fig, title if title is not None else f"{t('funding_sankey')}<br><sup>{stages}</sup>"
    )


def trend_lines(
    df: pd.DataFrame,
    *,
    x: str = "year",
    y: str | Sequence[str] = "value",
    color: str | None = None,
    lang: str = "zh",
    title: str | None = None,
    money: bool = False,
    percent: bool = False,
) -> go.Figure:
    """Line chart of a trend: ``y`` over ``x``, one line per value of ``color``.

    ``y`` may be a list of columns (a wide frame such as ``cg.trend(g, [...])`` with its
    index reset): one line per column. The value axis starts at zero. ``money``: values
    are yuan, shown in 万元 in zh and in yuan in en; ``percent``: values are percentages
    (one decimal).

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
        fig = trend_lines(df, x=x, y=y, color=color, lang=lang, title=title, money=money,
                          percent=percent)  # fmt: skip
        if not money:
            fig.update_yaxes(title_text=t("value"))
        return fig
    _need(df, [c for c in (x, y, color) if c is not None], "trend_lines")
    groups = [(None, df)] if color is None else list(df.groupby(color, sort=False))
    scale, unit = money_unit(lang) if money else (1.0, "")
    fig = go.Figure()
    for key, part in groups:
        part = part.sort_values(x)
        fig.add_trace(
            go.Scatter(
                x=part[x].tolist(),
                y=(part[y].astype(float) / scale).tolist() if money else part[y].tolist(),
                line={"width": 2.5},
                mode="lines+markers",
                name=_text([t.value(key) if color in CODE_COLUMNS else key])[0]
                if key is not None
                else t.col(y),
            )
        )
    fig.update_xaxes(title_text=t.col(x))
    if x == "year":
        fig.update_xaxes(dtick=1, tickformat="d")
    fig.update_yaxes(title_text=t.col(y), rangemode="tozero", tickformat=",")
    if money:
        fig.update_yaxes(title_text=t("money_axis", unit=unit),
                         tickformat=",.0f" if scale == 1 else ",.1f")  # fmt: skip
        fig.update_traces(
            hovertemplate="%{x}: %{y:,.1f} " + unit + "<extra>%{fullData.name}</extra>"
        )
    elif percent:
        fig.update_yaxes(ticksuffix="%", tickformat=".1f")
        fig.update_traces(hovertemplate="%{x}: %{y:.1f}%<extra></extra>")
    fig.update_layout(height=380, legend={"orientation": "h", "y": -0.25})
    return _style(fig, title if title is not None else t("trend"))
