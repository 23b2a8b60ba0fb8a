"""The report's headline: the figures a bureau meeting starts with, and one sentence.

Every figure is computed in :func:`headline_figures` from the public metrics, so the cards,
the findings sentence, the notebook summary and the tests read the same numbers. Another
reading of coverage is one more line in :data:`COVERAGE_READINGS` (and its label in the
catalog: ``report.text.card_<key>``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ..catalog import Translator
from ..metrics.coverage import coverage, street_target
from ..metrics.funding import funding_flows
from ..metrics.placement import place_hubs
from ..model import CivicGraph
from ..schema import NODE_KINDS, ORG_ROLES

__all__ = ["COVERAGE_READINGS", "cards", "findings", "headline_figures"]


def _scope_coverage(g: CivicGraph, as_of) -> pd.Series:
    return coverage(g, level="all", urban_only=True, as_of=as_of).loc["total"]


def _own_coverage(g: CivicGraph, as_of) -> pd.Series:
    return coverage(g, level="all", urban_only=True, as_of=as_of, definition="own").loc["total"]


#: The readings of coverage shown as cards, in order: ``(key, function of (g, as_of)
#: giving the total row of a coverage frame: communities, covered, share)``.
#: ``coverage_scope``: urban communities inside some active hub's service area;
#: ``coverage_own``: urban communities with an active hub of their own.
COVERAGE_READINGS: tuple[tuple[str, Callable[[CivicGraph, Any], pd.Series]], ...] = (
    ("coverage_scope", _scope_coverage),
    ("coverage_own", _own_coverage),
)

#: Roles counted as "organizations" (government offices are funders, not organizations).
ORGANIZATION_ROLES = tuple(r for r in ORG_ROLES if r != "government")


def _year_of(g: CivicGraph, as_of) -> int | None:
    """The year the figures are for: ``as_of``'s, else the last year any organization,
    tie or money record starts in; ``None`` when the data has no dates."""
    if as_of is not None:
        return int(pd.Timestamp(as_of).year)
    starts = pd.concat([g._nodes["start"], g._edges["start"]]).dropna()
    years = [int(starts.dt.year.max())] if len(starts) else []
    if "year" in g._edges.columns:
        y = pd.to_numeric(g._edges["year"], errors="coerce").dropna()
        years += [int(y.max())] if len(y) else []
    return max(years) if years else None


def _counts(g: CivicGraph, as_of) -> dict[str, int]:
    active = g.active_nodes(as_of) & (g.kind_codes == NODE_KINDS.index("org"))
    roles = g.role_codes

    def n(*names: str) -> int:
        return int((active & np.isin(roles, [ORG_ROLES.index(r) for r in names])).sum())

    return {"hubs": n("hub"), "centers": n("center"), "organizations": n(*ORGANIZATION_ROLES)}


def _money_by_year(g: CivicGraph) -> pd.Series:
    """New money (grants and awards, counted once) per year, yuan."""
    flows = funding_flows(g, by=["year"])
    if not len(flows) or "new_money" not in flows.columns:
        return pd.Series(dtype=float)
    new = flows[flows["new_money"].astype(bool) & flows["year"].notna()]
    return new.groupby(new["year"].astype(int))["amount"].sum().astype(float)


def _at(g: CivicGraph, as_of) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for key, reading in COVERAGE_READINGS:
        total = reading(g, as_of)
        out[key] = {
            "kind": "share",
            "value": float(total["share"]),
            "covered": int(total["covered"]),
            "of": int(total["communities"]),
        }
    st = street_target(g, as_of=as_of).attrs
    out["street_target"] = {
        "kind": "share", "value": float(st["share"]), "covered": int(st["with_hub"]),
        "of": int(st["streets"]),
    }  # fmt: skip
    for key, value in _counts(g, as_of).items():
        out[key] = {"kind": "count", "value": value}
    return out


def headline_figures(g: CivicGraph, as_of=None) -> dict:
    """The headline figures of ``g`` as of ``as_of`` (all active when ``None``).

    Returns
    -------
    dict
        ``year`` (the figures' year, ``None`` without dates), ``previous_year``,
        ``figures``: ``{key: {"kind": "share" | "count" | "money", "value": ...,
        "previous": value a year before or None, ...}}`` with keys, in card order, the
        :data:`COVERAGE_READINGS` (``covered`` / ``of`` urban communities),
        ``street_target`` (streets and townships with a hub of their own, the 2018 target's
        units, :func:`~civicgraph.street_target`'s default: ``covered`` / ``of``),
        ``hubs``, ``centers``, ``organizations`` (active organizations of every role but
        government), ``money_year`` (new money dated in ``year``) and ``money_total``
        (new money up to ``year``), both in yuan; ``lowest``: up to three districts with
        the lowest urban coverage, as ``(name, share)``; ``placement``: ``streets``
        (streets and townships still without a hub of their own), ``hubs`` (how many of them
        :func:`~civicgraph.place_hubs` would place a hub in that covers new urban
        communities), ``start`` and ``end`` (urban coverage before and after).

    Notes
    -----
    "A year before" is 31 December of ``year - 1``; it is given only when the data has
    dates. Money is :func:`~civicgraph.funding_flows`' new money (grants and awards;
    re-grants and award spending move money already counted).
    """
    year = _year_of(g, as_of)
    now = _at(g, as_of)
    before = _at(g, pd.Timestamp(f"{year - 1}-12-31")) if year is not None else None
    for key, fig in now.items():
        fig["previous"] = before[key]["value"] if before is not None else None
    money = _money_by_year(g)
    if year is not None:
        this, last = float(money.get(year, 0.0)), float(money.get(year - 1, 0.0))
        total, total_before = (
            float(money[money.index <= year].sum()),
            float(money[money.index <= year - 1].sum()),
        )
    else:
        this, last = float(money.sum()), None
        total, total_before = float(money.sum()), None
    now["money_year"] = {"kind": "money", "value": this, "previous": last}
    now["money_total"] = {"kind": "money", "value": total, "previous": total_before}

    districts = coverage(g, level="district", urban_only=True, as_of=as_of)
    districts = districts[(districts.index.astype(str) != "total") & (districts["communities"] > 0)]
    several = len(districts) > 1
    districts = districts[districts["share"] < 1.0]  # fully covered districts are no finding
    lowest = districts.sort_values(["share", "communities"], ascending=[True, False], kind="stable")
    lowest_list = [
        (str(n), float(s)) for n, s in zip(lowest["name"].head(3), lowest["share"].head(3))
    ]

    target = street_target(g, as_of=as_of)
    missing = target.index[~target["has_hub"].to_numpy(bool)].tolist()
    start = now[COVERAGE_READINGS[0][0]]["value"]
    placement = {"streets": len(missing), "hubs": 0, "start": start, "end": start}
    if missing:
        placed = place_hubs(g, k=len(missing), candidates=missing, urban_only=True, as_of=as_of)
        if len(placed):
            placement.update(hubs=len(placed), end=float(placed["coverage"].iloc[-1]))
    return {
        "year": year,
        "previous_year": year - 1 if year is not None else None,
        "figures": now,
        "lowest": lowest_list if several else [],
        "placement": placement,
    }


# ------------------------------------------------------------------ words


def money_text(yuan: float, t: Translator) -> str:
    """``480.0 万元`` in zh, ``4,800,000 yuan`` in en."""
    if t.lang == "zh":
        return t("money_value", value=f"{yuan / 10000:,.1f}")
    return t("money_value", value=f"{yuan:,.0f}")


def percent(share: float) -> str:
    """A share as a percentage with one decimal.

    >>> percent(0.240625)
    '24.1%'
    """
    return f"{100 * share:.1f}%"


def _value(fig: dict, t: Translator) -> str:
    if fig["kind"] == "share":
        return percent(fig["value"])
    if fig["kind"] == "money":
        return money_text(fig["value"], t)
    return f"{fig['value']:,}"


def _change(key: str, fig: dict, head: dict, t: Translator) -> str:
    if fig.get("previous") is None or head["previous_year"] is None:
        return ""
    diff = fig["value"] - fig["previous"]
    year = head["previous_year"]
    if fig["kind"] == "share":
        return t("change_points", diff=f"{100 * diff:+.1f}", year=year)
    if fig["kind"] == "money":
        sign = "+" if diff >= 0 else "−"
        which = "change_money" if key == "money_year" else "change_since"
        return t(which, diff=sign + money_text(abs(diff), t), year=year)
    return t("change_since", diff=f"{int(diff):+,}", year=year)


def cards(head: dict, t: Translator) -> list[dict]:
    """One card per figure: ``label``, ``value``, ``detail`` and ``change`` texts."""
    out = []
    for key, fig in head["figures"].items():
        detail = ""
        if key == "street_target":
            detail = t("card_streets_detail", covered=f"{fig['covered']:,}", of=f"{fig['of']:,}")
        elif fig["kind"] == "share":
            detail = t("card_coverage_detail", covered=f"{fig['covered']:,}", of=f"{fig['of']:,}")
        elif key == "money_year" and head["year"] is not None:
            detail = t("card_money_year_detail", year=head["year"])
        out.append(
            {"key": key, "label": t(f"card_{key}"), "value": _value(fig, t), "detail": detail,
             "change": _change(key, fig, head, t)}
        )  # fmt: skip
    return out


def findings(head: dict, t: Translator) -> str:
    """The plain-language findings: coverage, the street target, the lowest districts and
    what placing hubs in the streets still without one would buy."""
    figs = head["figures"]
    cov, st = figs[COVERAGE_READINGS[0][0]], figs["street_target"]
    parts = [
        t("finding_coverage", share=percent(cov["value"]), covered=f"{cov['covered']:,}",
          of=f"{cov['of']:,}"),
        t("finding_streets", covered=f"{st['covered']:,}", of=f"{st['of']:,}",
          share=percent(st["value"])),
    ]  # fmt: skip
    if head["lowest"]:
        sep = t("list_sep")
        names = sep.join(t("finding_unit", name=n, share=percent(s)) for n, s in head["lowest"])
        parts.append(t("finding_lowest", units=names))
    place = head["placement"]
    if st["of"] and not place["streets"]:
        parts.append(t("finding_target_met"))
    elif place["streets"] and not place["hubs"]:
        parts.append(t("finding_placement_none", streets=f"{place['streets']:,}"))
    elif place["streets"]:
        parts.append(
            t("finding_placement", streets=f"{place['streets']:,}", hubs=f"{place['hubs']:,}",
              end=percent(place["end"]))
        )  # fmt: skip
    return t("finding_join").join(parts) + t("finding_end")
