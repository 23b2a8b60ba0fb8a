"""Metrics over time: one value per year, each computed as of a day of that year."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from .._errors import SchemaError
from ..model import CivicGraph
from ._scope import check_definition, hub_scope, own_covered
from ._ties import active_org_mask, children
from ._units import counted_communities
from .funding import money_records

__all__ = ["FUNDING_WINDOWS", "TREND_METRICS", "data_years", "trend"]

Metric = str | Callable[[CivicGraph], float]


#: How ``trend(g, "funding")`` dates money: the calendar year up to the day, or the 12
#: months before it.
FUNDING_WINDOWS: tuple[str, ...] = ("calendar", "rolling")


def _hubs(g: CivicGraph, when: pd.Timestamp, _money, **_options) -> int:
    return int(active_org_mask(g, "hub", as_of=when).sum())


def _centers(g: CivicGraph, when: pd.Timestamp, _money, **_options) -> int:
    return int(active_org_mask(g, "center", as_of=when).sum())


def _members(g: CivicGraph, when: pd.Timestamp, _money, **_options) -> int:
    hubs = np.flatnonzero(active_org_mask(g, "hub", as_of=when))
    c = children(g, as_of=when)[hubs]
    return int(np.unique(c.indices).size)


def _funding(
    g: CivicGraph, when: pd.Timestamp, money: pd.DataFrame, *, funding_window="calendar", **_
) -> float:
    if funding_window == "rolling":
        inside = money["when"] > when - pd.DateOffset(years=1)
    else:
        inside = money["when"] >= pd.Timestamp(year=when.year, month=1, day=1)
    inside &= money["when"] <= when
    return float(money.loc[inside & money["new_money"], "amount"].sum())


def _coverage(
    g: CivicGraph,
    when: pd.Timestamp,
    _money,
    *,
    definition: str = "served",
    districts_only: bool = False,
    **_,
) -> float:
    counted = counted_communities(g, urban_only=True, districts_only=districts_only)
    if not counted.any():
        return float("nan")
    if definition == "own":
        covered = own_covered(g, as_of=when)
    else:
        covered = hub_scope(g, as_of=when).covered()
    return float((covered & counted).sum() / counted.sum())


#: Built-in metrics of :func:`trend`.
TREND_METRICS = {
    "hubs": _hubs,
    "centers": _centers,
    "members": _members,
    "funding": _funding,
    "coverage": _coverage,
}


#: At most this many years by default (the last ones the data reaches).
MAX_YEARS = 20


def data_years(g: CivicGraph) -> range:
    """The years the data spans: from the first to the last year of any date (``start``,
    ``end`` up to the current year) or ``year`` of an organization, program or tie, at
    most the last :data:`MAX_YEARS`; the current year when the graph has no date.

    >>> import pandas as pd
    >>> import civicgraph as cg
    >>> nodes = pd.DataFrame({"id": ["H1", "H2"], "kind": "org", "role": "hub",
    ...                       "start": ["2019-03-01", "2023-01-01"]})
    >>> data_years(cg.CivicGraph.from_frames(nodes))
    range(2019, 2024)
    """
    now = pd.Timestamp.today().year
    years: list[np.ndarray] = []
    not_admin = g.level_codes < 0
    for table, keep in ((g._nodes, not_admin), (g._edges, None)):
        for col in ("start", "end", "year"):
            if col not in table.columns:
                continue
            values = table[col] if keep is None else table[col][keep]
            if col == "year":
                y = pd.to_numeric(values, errors="coerce")
            else:
                y = pd.to_datetime(values, errors="coerce").dt.year
            y = y.dropna().to_numpy(dtype=np.int64)
            years.append(y[(y > 1900) & (y <= now)] if col == "end" else y[y > 1900])
    found = np.concatenate(years) if years else np.zeros(0, dtype=np.int64)
    if found.size == 0:
        return range(now, now + 1)
    hi = int(found.max())
    return range(max(int(found.min()), hi - MAX_YEARS + 1), hi + 1)


def trend(
    g: CivicGraph,
    metric: Metric | Iterable[Metric],
    *,
    years: Iterable[int] | None = None,
    month_day: str = "12-31",
    definition: str = "served",
    districts_only: bool = False,
    funding_window: str = "calendar",
) -> pd.DataFrame:
    """One or more metrics per year, each as of ``<year>-<month_day>``.

    Parameters
    ----------
    g : CivicGraph
    metric : str, callable or a list of them
        ``"hubs"`` / ``"centers"``: active hubs / centers; ``"members"``: distinct
        organizations incubated by or members of an active hub (active ties);
        ``"funding"``: new money (grants, awards and hubs' own funds, see
        :func:`funding_flows`) dated in the calendar year up to and including the day
        (1 January to the day; a record with no date counts on 31 December of its
        ``year``); ``"coverage"``: share of urban communities covered (see
        ``definition``). A callable gets ``g.as_of(day)`` and returns a number.
    years : iterable of int, optional
        Default: the years the data spans (:func:`data_years`).
    month_day : str
        ``"MM-DD"``; ``"08-31"`` reproduces the report's "as of end of August".
    definition : {"served", "own"}
        The reading of coverage (see :func:`~civicgraph.coverage`): in some hub's service
        area (default) or with a hub of its own.
    districts_only : bool
        Coverage of the urban communities of city districts (市辖区) only.
    funding_window : {"calendar", "rolling"}
        ``"calendar"`` (default): money of the calendar year up to the day.
        ``"rolling"``: the 12 months before the day (after the day a year earlier, up to
        and including the day).

    Returns
    -------
    DataFrame
        Indexed by ``year``: ``as_of`` (the day), then one column per metric (a callable's
        column is its ``__name__``).

    Examples
    --------
    >>> import pandas as pd
    >>> import civicgraph as cg
    >>> nodes = pd.DataFrame({"id": ["H1", "H2"], "kind": "org", "role": "hub",
    ...                       "start": ["2016-03-01", "2018-01-01"]})
    >>> g = cg.CivicGraph.from_frames(nodes)
    >>> cg.trend(g, "hubs", years=range(2015, 2019))
              as_of  hubs
    year
    2015 2015-12-31     0
    2016 2016-12-31     1
    2017 2017-12-31     1
    2018 2018-12-31     2
    """
    check_definition(definition)
    if funding_window not in FUNDING_WINDOWS:
        raise SchemaError(f"unknown funding_window {funding_window!r}; use 'calendar' or 'rolling'")
    options = {
        "definition": definition,
        "districts_only": districts_only,
        "funding_window": funding_window,
    }
    metrics = [metric] if isinstance(metric, str) or callable(metric) else list(metric)
    for m in metrics:
        if isinstance(m, str) and m not in TREND_METRICS:
            raise SchemaError(
                f"unknown trend metric {m!r}; use one of {', '.join(TREND_METRICS)} "
                "or a function of the graph"
            )
    years = [int(y) for y in (data_years(g) if years is None else years)]
    try:
        days = [pd.Timestamp(f"{y}-{month_day}") for y in years]
    except ValueError:
        raise SchemaError(f"month_day must look like '12-31', not {month_day!r}") from None
    money = None
    if "funding" in metrics:
        money = money_records(g, ["year", "new_money", "amount", "date"])
        undated = pd.to_datetime(
            money["year"].astype("string") + "-12-31", errors="coerce", format="%Y-%m-%d"
        )
        money["when"] = pd.Series(money["date"]).fillna(undated)
    columns: dict[str, list] = {"as_of": days}
    for m in metrics:
        if isinstance(m, str):
            columns[m] = [TREND_METRICS[m](g, day, money, **options) for day in days]
        else:
            columns[getattr(m, "__name__", "value")] = [m(g.as_of(day)) for day in days]
    return pd.DataFrame(columns, index=pd.Index(years, name="year"))
