"""Roles to confirm: a registry whose rows give no role (a platform export) written back
with the roles its names suggest, as a workbook to check and read back.

Interface: :func:`write_roles` (registry → registry workbook or CSV folder with the
suggested roles filled in and marked in ``suggested_role``).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from ..._errors import ValidationError
from ...model import CivicGraph
from ...schema import COL, role_dtype
from .read import _registry_read
from .write import write_registry

__all__ = ["write_roles"]


def write_roles(
    registry: str | os.PathLike,
    out: str | os.PathLike,
    *,
    divisions: CivicGraph | None = None,
    lang: str = "zh",
) -> tuple[Path, pd.DataFrame]:
    """Write ``registry`` again (:func:`~civicgraph.write_registry`) with each row that
    gives no role filled with the role its name suggests, to check and read back.

    The suggestions are those of :func:`~civicgraph.validate` (``suggest_role``):
    …社会组织联合会 ``hub``, …社会工作服务中心 ``agency``, …培育中心 / 孵化基地 ``center``.
    Each filled row says so in a column ``suggested_role``; rows without a suggestion keep
    the role ``unknown`` (类型待定). Nothing is applied until the written file is read:
    check the role column (correct it, or write 类型待定 / unknown), then use the file as
    the registry.

    Returns
    -------
    (Path, DataFrame)
        The path written and its organizations (id, name, role as written,
        suggested_role: the role suggested, or missing where none was).

    Raises
    ------
    ValidationError
        When the registry has problems (fix them first: ``civicgraph validate``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import civicgraph as cg
    >>> from civicgraph.io.registry.roles import write_roles
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "导出数据.csv").write_text(
    ...     "名称,统一社会信用代码\\n滨江社区社会组织联合会,51340209MJ0000001F\\n"
    ...     "阳光爱心协会,51340209MJ0000002J\\n", encoding="utf-8")
    >>> path, table = write_roles(d / "导出数据.csv", d / "roles.xlsx")
    >>> table.to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'id': '51340209MJ0000001F', 'name': '滨江社区社会组织联合会', 'role': 'hub',
      'suggested_role': 'hub'},
     {'id': '51340209MJ0000002J', 'name': '阳光爱心协会', 'role': 'unknown',
      'suggested_role': None}]
    >>> g = cg.read_registry(path, divisions=cg.read_divisions(
    ...     cg.datasets.wuhu_divisions_path(), within="3402"))
    >>> g.nodes.loc[["51340209MJ0000001F", "51340209MJ0000002J"], "role"].tolist()
    ['hub', 'unknown']
    """
    g, problems, suggestions = _registry_read(registry, divisions=divisions)
    if problems:
        raise ValidationError(problems, what=str(registry))
    nodes = g._nodes.copy()
    org = np.flatnonzero((nodes[COL.KIND] == "org").to_numpy())
    rows = nodes.iloc[org]
    at = {
        (f, sh, int(r)): i
        for i, f, sh, r in zip(org, rows["src_file"], rows["src_sheet"], rows["src_row"])
        if pd.notna(r)
    }
    suggested = np.full(len(nodes), None, dtype=object)
    for s in suggestions:
        i = at.get((s.file, s.sheet, s.row)) if s.code == "suggest_role" else None
        if i is not None:
            suggested[i] = s.ctx["kind"]
    nodes["suggested_role"] = pd.Series(suggested, index=nodes.index, dtype=object).astype("str")
    filled = nodes["suggested_role"].notna().to_numpy()
    role = nodes[COL.ROLE].astype(object).to_numpy().copy()
    role[filled] = suggested[filled]
    nodes[COL.ROLE] = pd.Series(role, index=nodes.index).astype(role_dtype)
    path = write_registry(CivicGraph(nodes, g.edges, validate=False), out, lang=lang)
    table = nodes.loc[nodes[COL.KIND] == "org", [COL.ID, COL.NAME, COL.ROLE, "suggested_role"]]
    table = table.astype(object).where(table.notna(), None)
    return path, table.reset_index(drop=True)
