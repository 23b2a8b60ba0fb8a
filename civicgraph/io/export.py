"""Writing a :class:`CivicGraph` to graph formats (GraphML, GEXF, node-link JSON) and
parquet (read back to an identical graph).

GraphML and GEXF take only strings, numbers and booleans as attributes, so attributes are
sanitized: dates become ISO strings (``2019-08-31``; a reader gets text back, which
``pandas.to_datetime`` turns into dates again), missing values are left out, categories
become text; integers (``year``, ``src_row``) stay integers. Only parquet
(:func:`write_parquet`) and the registry format (:func:`~civicgraph.write_registry`)
give back the very graph.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from .._errors import DataNotFoundError
from ..model import CivicGraph

__all__ = ["read_parquet", "write_gexf", "write_graphml", "write_node_link", "write_parquet"]


def _plain(x):
    """An attribute value GraphML/GEXF/JSON can hold (``None`` for missing)."""
    if x is None or x is pd.NA or x is pd.NaT:
        return None
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and x != x:
        return None
    if isinstance(x, pd.Timestamp | datetime):
        return x.date().isoformat() if x == pd.Timestamp(x).normalize() else x.isoformat()
    if isinstance(x, date):
        return x.isoformat()
    if isinstance(x, bool | int | float | str):
        return x
    return str(x)


def _sanitized(g: CivicGraph):
    """``g.to_networkx()`` with every attribute a str, int, float or bool."""
    G = g.to_networkx()
    for _, attrs in G.nodes(data=True):
        _clean(attrs)
    for *_, attrs in G.edges(keys=True, data=True):
        _clean(attrs)
    return G


def _clean(attrs: dict) -> None:
    for k in list(attrs):
        v = _plain(attrs[k])
        if v is None:
            del attrs[k]
        else:
            attrs[k] = v


def write_graphml(g: CivicGraph, path: str | os.PathLike) -> Path:
    """Write ``g`` as GraphML (e.g. for Gephi, yEd, igraph) with every attribute.

    Examples
    --------
    >>> import tempfile, pathlib, networkx as nx, pandas as pd
    >>> import civicgraph as cg
    >>> g = cg.CivicGraph.from_frames(pd.DataFrame({
    ...     "id": ["3402", "h"], "kind": ["admin", "org"], "level": ["city", None],
    ...     "role": [None, "hub"], "start": [None, "2019-08-31"]}),
    ...     pd.DataFrame({"source": ["h"], "target": ["3402"], "kind": ["located_in"]}))
    >>> p = cg.write_graphml(g, pathlib.Path(tempfile.mkdtemp()) / "g.graphml")
    >>> nx.read_graphml(p).nodes["h"]["start"]
    '2019-08-31'
    """
    import networkx as nx

    path = Path(path)
    nx.write_graphml(_sanitized(g), path)
    return path


def write_gexf(g: CivicGraph, path: str | os.PathLike) -> Path:
    """Write ``g`` as GEXF (Gephi's own format) with every attribute."""
    import networkx as nx

    path = Path(path)
    nx.write_gexf(_sanitized(g), path)
    return path


def write_node_link(g: CivicGraph, path: str | os.PathLike | None = None) -> dict:
    """``g`` as node-link data (``networkx.node_link_data``), written as JSON if ``path``.

    Returns the dict; the file is UTF-8 JSON with Chinese text unescaped.
    """
    import networkx as nx

    data = nx.node_link_data(_sanitized(g), edges="edges")
    if path is not None:
        Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return data


def write_parquet(g: CivicGraph, path: str | os.PathLike) -> Path:
    """Write the node and edge tables as ``nodes.parquet`` and ``edges.parquet`` in the
    folder ``path`` (created if needed). :func:`read_parquet` reads them back to an
    identical graph.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> import civicgraph as cg
    >>> g = cg.CivicGraph.from_frames(pd.DataFrame({"id": ["34"], "kind": ["admin"],
    ...     "level": ["province"]}))
    >>> cg.read_parquet(cg.write_parquet(g, tempfile.mkdtemp())) == g
    True
    """
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    for name, table in (("nodes", g._nodes), ("edges", g.edges)):
        _storable(table).to_parquet(path / f"{name}.parquet", index=False)
    return path


def _storable(table: pd.DataFrame) -> pd.DataFrame:
    """Object columns of mixed types as text (parquet columns have one type)."""
    out = table.copy()
    for c in out.columns:
        if out[c].dtype == object:
            kinds = {type(x) for x in out[c].dropna()}
            if len(kinds) > 1:
                out[c] = out[c].map(lambda x: x if x is None or x != x else str(x)).astype("str")
    return out


def read_parquet(path: str | os.PathLike, *, validate: bool = True) -> CivicGraph:
    """Read a graph written by :func:`write_parquet` (a folder with nodes/edges.parquet)."""
    path = Path(path)
    files = [path / "nodes.parquet", path / "edges.parquet"]
    missing = [f.name for f in files if not f.exists()]
    if missing:
        raise DataNotFoundError(f"{path} lacks {', '.join(missing)}; write it with write_parquet")
    nodes, edges = (_text_categories(pd.read_parquet(f)) for f in files)
    return CivicGraph(nodes, edges, validate=validate)


def _text_categories(table: pd.DataFrame) -> pd.DataFrame:
    """Categoricals of text read back with text categories: parquet gives an empty
    category list (a provenance column all missing) as ``object``."""
    for c in table.columns:
        dtype = table[c].dtype
        if isinstance(dtype, pd.CategoricalDtype) and dtype.categories.dtype == object:
            cats = dtype.categories
            if all(isinstance(x, str) for x in cats):
                new = pd.CategoricalDtype(pd.Index(cats, dtype="str"), ordered=dtype.ordered)
                table[c] = pd.Categorical.from_codes(table[c].cat.codes, dtype=new)
    return table
