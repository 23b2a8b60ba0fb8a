"""The HTML report: one self-contained file, in Chinese or English, that opens offline.

Sections call the public metrics lazily (each imported from its module in
:mod:`civicgraph.metrics` when its section is written), so the report works with whatever
metrics this version has: a section whose metric is missing, or
whose metric cannot run on this graph, says so in plain words instead of failing the whole
report. Every string from the data is escaped (jinja2 autoescape for tables and text,
HTML entities for chart labels, escaped JSON for the network).
"""

from __future__ import annotations

import importlib
import math
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import CivicGraphError
from .._version import __version__
from ..catalog import CODE_COLUMNS, Translator, translator
from ..model import CivicGraph
from ..schema import ADMIN_LEVELS
from ..viz._html import environment
from ._result import Report

__all__ = ["report"]

#: Columns whose values are shares (0..1) shown as percentages.
PERCENT_COLUMNS = frozenset({"share", "coverage"})
#: Number columns written without a thousands separator.
PLAIN_COLUMNS = frozenset({"year", "step"})


#: Text that is a number already written out (e.g. a share as "24.1%").
_NUMBER = re.compile(r"-?[\d,]+(\.\d+)?%?")


class _Missing(Exception):
    """A metric this version of civicgraph does not have."""


#: The module of :mod:`civicgraph.metrics` each metric a section shows lives in.
_METRICS = {
    "summary": "summary",
    "coverage": "coverage",
    "gaps": "gaps",
    "place_hubs": "placement",
    "hub_centrality": "centrality",
    "funding_flows": "funding",
    "trend": "trend",
    "check_rules": "rules",
}


def _metric(name: str) -> Callable:
    """The metric ``name``, imported from its own module (``..metrics.<module>``)."""
    try:
        module = importlib.import_module(f"..metrics.{_METRICS[name]}", __package__)
    except ModuleNotFoundError:
        raise _Missing(name) from None
    fn = getattr(module, name, None)
    if fn is None:
        raise _Missing(name)
    return fn


@dataclass
class Section:
    key: str
    title: str
    blocks: list[dict] = field(default_factory=list)

    def note(self, text: str, cls: str = "cg-note") -> None:
        self.blocks.append({"type": "note", "text": text, "cls": cls})

    def heading(self, text: str) -> None:
        self.blocks.append({"type": "heading", "text": text})


def _cell(value: Any, column: str, t: Translator) -> tuple[str, bool]:
    """Text of one table cell and whether it is a number (right-aligned)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "", False
    if isinstance(value, pd.Timestamp | datetime | date):
        return ("" if pd.isna(value) else value.strftime("%Y-%m-%d")), False
    if isinstance(value, bool | np.bool_):
        return (t("yes") if value else t("no")), False
    if column in PLAIN_COLUMNS and isinstance(value, int | float | np.number):
        return str(int(value)) if float(value).is_integer() else str(value), True
    if isinstance(value, int | np.integer):
        return f"{int(value):,}", True
    if isinstance(value, float | np.floating):
        x = float(value)
        if column in PERCENT_COLUMNS:
            return f"{100 * x:.1f}%", True
        if x.is_integer() and abs(x) < 1e15:
            return f"{int(x):,}", True
        return (f"{x:,.2f}" if abs(x) >= 100 else f"{x:.4g}"), True
    if column in CODE_COLUMNS:
        return t.value(value), False
    text = str(value)
    return text, bool(_NUMBER.fullmatch(text))


def _classed(text: str, number: bool) -> tuple[str, str]:
    """A cell's text and CSS class: numbers right-aligned, long text allowed to wrap."""
    return text, "num" if number else ("long" if len(text) > 24 else "")


def table(
    df: pd.DataFrame,
    t: Translator,
    *,
    columns: Sequence[str] | None = None,
    max_rows: int | None = None,
    index: str | None = None,
) -> dict:
    """A table block: translated headers and formatted cells (escaped by the template).

    ``index`` names the column the frame's index becomes (dropped when ``None``).
    """
    if index is not None:
        df = df.rename_axis(index).reset_index()
    if columns is not None:
        df = df[[c for c in columns if c in df.columns]]
    total = len(df)
    shown = df if max_rows is None else df.head(max_rows)
    cols = [str(c) for c in shown.columns]
    rows = [
        [_classed(*_cell(v, c, t)) for v, c in zip(rec, cols)]
        for rec in shown.itertuples(index=False, name=None)
    ]
    note = (
        t("rows_shown", shown=f"{len(shown):,}", total=f"{total:,}") if len(shown) < total else ""
    )
    return {"type": "table", "headers": [t.col(c) for c in cols], "rows": rows, "note": note}


def _figure(fig, s: Section) -> dict:
    """A figure block; its div id comes from the section, so pages are reproducible."""
    config = {
        "displaylogo": False,
        "responsive": True,
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    }
    div_id = f"cg-{s.key}-{sum(b['type'] == 'figure' for b in s.blocks) + 1}"
    html = fig.to_html(full_html=False, include_plotlyjs=False, config=config, div_id=div_id)
    return {"type": "figure", "html": html}


# --------------------------------------------------------------------------- sections


def _names(g: CivicGraph, df: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Node ids in ``columns`` shown as the nodes' names (the id where a node has none)."""
    names = g._nodes.set_index("id")["name"]
    names = names[~names.index.duplicated()].astype(object)
    df = df.copy()
    for col in columns:
        if col in df.columns:
            ids = df[col].astype(object)
            df[col] = ids.map(names).where(lambda x: x.notna(), ids)
    return df


def _total_row(df: pd.DataFrame, t: Translator) -> pd.DataFrame:
    if "total" in df.index and "name" in df.columns:
        df = df.copy()
        df["name"] = df["name"].astype(object)
        df.loc["total", "name"] = t("total")
    return df


def _is_wuhu(g: CivicGraph) -> bool:
    """Whether the graph holds Wuhu (city code 3402), the city of the 2019 report."""
    ids = g._nodes.index if g._nodes.index.name == "id" else g._nodes.get("id", pd.Index([]))
    return bool(pd.Index(ids).isin(["3402", "340200", "340200000000"]).any())


def _summary(g, s: Section, t: Translator, opts: dict) -> None:
    df = _metric("summary")(g, as_of=opts["as_of"])
    programs = df["section"].astype(str).str.startswith("programs")
    head = df[~programs].copy()
    share = head["unit"] == "share"
    head["value"] = [
        f"{100 * float(v):.1f}%" if sh and pd.notna(v) else v for v, sh in zip(head["value"], share)
    ]
    if not _is_wuhu(g):  # the note on the 2019 report's 24% is about Wuhu only
        from ..metrics.summary import BOUNDARY_NOTE

        head["note"] = head["note"].where(head["note"] != BOUNDARY_NOTE, "")
    for col in ("section", "item", "unit", "note"):
        head[col] = head[col].map(t.term)
    head = head.rename(columns={"unit": "unit_of"})  # a unit of measure, not an admin unit
    s.blocks.append(table(head, t, columns=("section", "item", "value", "unit_of", "note")))
    if programs.any():
        money = df[programs].pivot_table(
            index=["section", "item"], columns="unit", values="value", aggfunc="first", sort=False
        )
        money = money.reset_index()
        spent = money.drop(columns=["section", "item"]).fillna(0).astype(float).sum(axis=1) > 0
        hidden = int((~spent).sum())
        money = money[spent]
        s.heading(t.term("programs"))
        if len(money):
            kind = [str(x).partition(": ")[2] for x in money["section"]]
            items = set(money["item"].astype(str)) - {"total"}
            what = "funder_level" if items <= set(ADMIN_LEVELS) else "program"
            money["section"] = [t.value(k) if k else t("total") for k in kind]
            money["item"] = money["item"].map(t.term)
            s.blocks.append(
                table(money.rename(columns={"section": "program_type", "item": what}), t,
                      columns=("program_type", what, "yuan", "projects", "recipients"))
            )  # fmt: skip
        if hidden:
            s.note(t("programs_hidden", n=f"{hidden:,}"))


def _headline(g, s: Section, t: Translator, opts: dict) -> None:
    from ._headline import cards, findings, headline_figures

    head = headline_figures(g, opts["as_of"])
    opts["headline"] = {"headline": head, "cards": cards(head, t), "findings": findings(head, t)}
    s.blocks.append({"type": "cards", "cards": opts["headline"]["cards"]})
    s.blocks.append(
        {"type": "findings", "title": t("findings"), "text": opts["headline"]["findings"]}
    )


def _coverage(g, s: Section, t: Translator, opts: dict) -> None:
    from ..viz.charts import MAX_BARS, coverage_bars, coverage_tree

    coverage = _metric("coverage")
    as_of = opts["as_of"]
    cov = coverage(g, level="district", as_of=as_of)
    s.heading(t.value("district"))
    s.blocks.append(
        table(_names(g, _total_row(cov, t), ["parent"]), t,
              columns=("name", "parent", "communities", "covered", "share", "hubs"))
    )  # fmt: skip
    if 1 < len(cov) - ("total" in cov.index) <= MAX_BARS:  # a long bar chart says nothing
        s.blocks.append(_figure(coverage_bars(cov, lang=t.lang), s))
    urban = coverage(g, level="district", urban_only=True, as_of=as_of)
    s.heading(f"{t.value('district')} ({t.col('urban')})")
    s.blocks.append(
        table(_total_row(urban, t), t, columns=("name", "communities", "covered", "share", "hubs"))
    )
    cov_all = coverage(g, level="all", as_of=as_of)
    if len(cov_all) > 2:
        s.heading(t("coverage_tree"))
        s.note(t("hierarchy_note"), "cg-note cg-screen")  # (how to click: not on paper)
        s.blocks.append(_figure(coverage_tree(cov_all, lang=t.lang, title=""), s))
    streets = coverage(g, level="street", as_of=as_of)
    shown = _names(g, streets[streets.index.astype(str) != "total"], ["parent"])
    shown = shown.sort_values(["share", "communities"], ascending=[True, False], kind="stable")
    s.heading(t("streets_least"))
    s.blocks.append(
        table(shown, t, columns=("name", "parent", "communities", "covered", "share", "hubs"),
              max_rows=opts["top"])
    )  # fmt: skip


def _map(g, s: Section, t: Translator, opts: dict) -> None:
    from ..viz import maps

    if not maps.available():
        s.note(t("map_install"))
        return
    cov = _metric("coverage")(g, level="district", as_of=opts["as_of"])
    hubs = maps.hub_points(g)
    fig, missing = maps.district_map(cov, lang=t.lang, hubs=hubs)
    units = cov[cov.index.astype(str) != "total"]
    if len(missing) == len(units):
        s.note(t("map_none"))
    else:
        block = _figure(fig, s)
        block.update(type="map", missing_title=t("map_missing"),
                     missing=[(str(n), f"{100 * float(x):.1f}%") for n, x in
                              zip(missing["name"], missing["share"])])  # fmt: skip
        s.blocks.append(block)
        if len(hubs):
            s.note(t("map_hubs_note"))
    s.note(t("map_source"))


def _gaps(g, s: Section, t: Translator, opts: dict) -> None:
    df = _metric("gaps")(g, as_of=opts["as_of"])
    shown = min(len(df), opts["top"])
    s.note(t("gaps_count", n=f"{len(df):,}", shown=f"{shown:,}"))
    df = _names(g, df, ["district", "street"])
    keep = [c for c in df.columns if c not in ("nearest_hub", "level")]
    s.blocks.append(table(df, t, columns=keep, max_rows=opts["top"]))


def _placement(g, s: Section, t: Translator, opts: dict) -> None:
    df = _metric("place_hubs")(g, k=opts["k"])
    s.note(t("placement_note"))
    s.blocks.append(table(df, t, columns=[c for c in df.columns if c != "unit"]))


def _centrality(g, s: Section, t: Translator, opts: dict) -> None:
    df = _metric("hub_centrality")(g, as_of=opts["as_of"])
    if "pagerank" in df.columns:
        df = df.sort_values("pagerank", ascending=False, kind="stable")
    keep = [c for c in df.columns if c != "betweenness_samples"]
    s.blocks.append(table(df, t, columns=keep, max_rows=opts["top"]))


def _funding(g, s: Section, t: Translator, opts: dict) -> None:
    from ..viz.charts import funding_sankey

    flows = _metric("funding_flows")
    df = flows(g)
    if "flow" in df.columns:
        df["flow"] = df["flow"].map(t.term)
    s.blocks.append(table(_names(g, df, ["program"]), t, max_rows=opts["top"]))
    path = flows(g, by=("program", "district", "role"))
    if "new_money" in path.columns:  # money counted once: grants and awards only
        path = path[path["new_money"].astype(bool)]
    if len(path) and float(path["amount"].sum()) > 0:
        path = _names(g, path, ["program", "district"])
        s.blocks.append(_figure(funding_sankey(path, lang=t.lang, top=opts["sankey_top"]), s))


def _trend(g, s: Section, t: Translator, opts: dict) -> None:
    from ..viz.charts import trend_lines

    years = _years(g)
    if not years:
        s.note(t("empty"))
        return
    trend = _metric("trend")
    counts = trend(g, ["hubs", "centers", "members"], years=years)
    s.blocks.append(_figure(trend_lines(counts.reset_index(), x="year",
                                        y=["hubs", "centers", "members"], lang=t.lang), s))  # fmt: skip
    money = trend(g, ["funding", "coverage"], years=years)
    s.blocks.append(_figure(trend_lines(money.reset_index(), x="year", y=["funding"],
                                        lang=t.lang, title=t("trend_funding"), money=True), s))  # fmt: skip
    share = (100 * money["coverage"]).rename("share").reset_index()
    if share["share"].notna().any():
        s.blocks.append(_figure(trend_lines(share, x="year", y="share", lang=t.lang,
                                            title=t("trend_coverage"), percent=True), s))  # fmt: skip


def _years(g: CivicGraph) -> range | None:
    """Years from the first to the last start date of organizations and ties (≤ 20)."""
    starts = pd.concat([g._nodes["start"], g._edges["start"]]).dropna()
    if starts.empty:
        return None
    hi = int(starts.dt.year.max())
    lo = max(int(starts.dt.year.min()), hi - 19)
    return range(lo, hi + 1)


def _rules(g, s: Section, t: Translator, opts: dict) -> None:
    df = _metric("check_rules")(g, lang=t.lang)
    if not len(df):
        s.note(t("rules_none"))
        return
    counts = df.groupby("rule", sort=False).size().rename("count").reset_index()
    counts["rule"] = counts["rule"].map(t.term)
    s.blocks.append(table(counts, t))
    df = df.copy()
    df["rule"] = df["rule"].map(t.term)
    s.blocks.append(table(df, t, columns=[c for c in df.columns if c != "node"],
                          max_rows=opts["top"] * 5))  # fmt: skip


def _network(g, s: Section, t: Translator, opts: dict) -> None:
    from ..viz.network import network

    net = network(g, lang=t.lang, **opts["network"])
    s.blocks.append({"type": "network", "net": net.block()})


SECTIONS: tuple[tuple[str, Callable], ...] = (
    ("headline", _headline),
    ("summary", _summary),
    ("coverage", _coverage),
    ("map", _map),
    ("gaps", _gaps),
    ("placement", _placement),
    ("centrality", _centrality),
    ("funding", _funding),
    ("trend", _trend),
    ("rules", _rules),
    ("network", _network),
)


def report(
    g: CivicGraph,
    *,
    path: str | Path | None = None,
    lang: str = "zh",
    as_of: Any = None,
    title: str | None = None,
    top: int = 20,
    k: int = 10,
    network: dict | None = None,
    pdf: str | Path | None = None,
    docx: str | Path | None = None,
) -> Report | Path:
    """Write the whole analysis of a graph as one self-contained HTML page.

    Sections: the headline (cards with coverage, the street target, hubs, centers,
    organizations and money, each with its change since the previous year where the
    data has dates, and one sentence of findings), the summary table, hub coverage
    (district tables, a bar chart where there are at most 25 districts, the hierarchy as
    one treemap coloured by coverage, the least covered streets), a district map (with
    the ``maps`` extra), the gap list, hub placement suggestions, hub centrality, funding
    flows (table and a Sankey diagram of the largest flows), trends, rule violations, and
    the network (collapsed to streets when large). JavaScript (plotly.js once,
    vis-network once) is inlined: the file opens offline. The page fits a phone (tables
    scroll in their own box) and prints on A4 (charts as static images).

    Parameters
    ----------
    g : CivicGraph
    path : str or Path, optional
        Write the page there (UTF-8). Nothing is written without.
    lang : {"zh", "en"}
        Language of every heading and label.
    as_of : date-like, optional
        Date for the metrics that take one.
    title : str, optional
        Page heading (default: the report title in ``lang``).
    top : int
        Rows shown in long tables (gaps, streets, centrality, funding).
    k : int
        New hubs suggested by the placement section.
    network : dict, optional
        Keyword arguments for :func:`civicgraph.viz.network` (``lang`` is the report's;
        by default graphs of more than 300 nodes are drawn collapsed to streets).

    pdf : str or Path, optional
        Also print the page to this A4 PDF with headless Chromium
        (:func:`civicgraph.report.to_pdf`; needs ``path``).
    docx : str or Path, optional
        Also write the report as this Word document, to edit (needs ``path``): the same
        sections, sentences and tables; the charts and the map as images of the page's
        charts (made by headless Chromium from the page at ``path``; without Chromium
        each chart is named, not drawn); the network picture named only.

    Returns
    -------
    Report or Path
        Without ``path``: a :class:`~civicgraph.report.Report`, the HTML page as a
        ``str`` (``str(r)`` and ``r.html`` give it as before) that a notebook shows as a
        short summary and a frame of bounded size; its headline figures are
        ``r.headline``. With ``path``: the file is written and its ``Path`` returned.

    Notes
    -----
    Each section calls the public metric it shows (``cg.summary``, ``cg.coverage``,
    ``cg.gaps``, ``cg.place_hubs``, ``cg.hub_centrality``, ``cg.funding_flows``,
    ``cg.check_rules``). Where one is missing from this version, or raises a
    :class:`~civicgraph.CivicGraphError` on this graph (for example a graph without
    communities), the section shows that reason and the rest of the report is written.
    Any other error in a section is a bug: the section says so, a ``RuntimeWarning`` is
    issued, and the rest of the report is still written.

    Examples
    --------
    >>> import pandas as pd
    >>> import civicgraph as cg
    >>> nodes = pd.DataFrame({"id": ["3402", "o1"], "kind": ["admin", "org"],
    ...     "level": ["city", None], "role": [None, "hub"],
    ...     "name": ["芜湖市", "<script>alert(1)</script>"]})
    >>> edges = pd.DataFrame({"source": ["o1"], "target": ["3402"], "kind": ["located_in"]})
    >>> page = cg.report(cg.CivicGraph.from_frames(nodes, edges), lang="en")
    >>> page.startswith("<!DOCTYPE html>"), "<script>alert(1)" in page
    (True, False)
    >>> page.cards[0]["label"], page.cards[0]["value"]
    ("Urban communities in a hub's service area", '0.0%')
    """
    t = translator(lang)
    opts = {"as_of": as_of, "top": top, "k": k, "network": dict(network or {}), "sankey_top": 8}
    if pdf is not None and path is None:
        raise CivicGraphError("pdf= needs path= (the HTML file the PDF is printed from)")
    if docx is not None and path is None:
        raise CivicGraphError("docx= needs path= (the HTML file the charts are drawn from)")
    opts["network"].setdefault("height", "700px")
    # the picture's own first view shows at most ~150 nodes (groups the reader opens)
    sections = []
    for key, build in SECTIONS:
        section = Section(key=key, title=t(key))
        try:
            build(g, section, t, opts)
        except _Missing as exc:
            section.blocks = []
            reason = t("missing_metric", name=str(exc))
            section.note(t("not_available", reason=reason), "cg-na")
        except CivicGraphError as exc:
            section.note(t("not_available", reason=str(exc)), "cg-na")
        except Exception as exc:  # a bug: the rest of the report is still written
            warnings.warn(
                f"the report's {key!r} section failed ({exc!r}); please report it",
                RuntimeWarning,
                stacklevel=2,
            )
            reason = t("section_failed", error=f"{type(exc).__name__}: {exc}")
            section.note(t("not_available", reason=reason), "cg-na")
        sections.append(section)
    counts = g.counts() if hasattr(g, "counts") else {}
    generated = t("generated", version=__version__, date=date.today().isoformat())
    size = t("graph_size", nodes=f"{g.n_nodes:,}", edges=f"{g.n_edges:,}")
    page = (
        environment()
        .get_template("report.html.j2")
        .render(
            lang=lang,
            title=title if title is not None else t("report_title"),
            generated=generated,
            size=size,
            contents=t("contents"),
            sections=sections,
            counts=counts,
        )
    )
    head = opts.get("headline") or {}
    result = Report(
        page, lang=lang, title=title if title is not None else t("report_title"),
        headline=head.get("headline"), cards=head.get("cards", ()),
        findings=head.get("findings", ""),
    )  # fmt: skip
    if path is None:
        return result
    written = result.save(path)
    if pdf is not None:
        from .pdf import to_pdf

        to_pdf(written, pdf, lang=lang)
    if docx is not None:
        from .docx import chart_images, to_docx

        to_docx(
            sections, docx, t=t, title=result.title, subtitle=f"{generated} · {size}",
            images=chart_images(written, lang=lang),
        )  # fmt: skip
    return written
