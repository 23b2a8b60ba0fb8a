"""Reading the National Bureau of Statistics division codes into a graph of admin units."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from .._errors import DataNotFoundError, Problem, ValidationError
from ..model import CivicGraph
from ..schema import (
    ADMIN_LEVELS,
    COL,
    LEVEL_CODE_LENGTH,
    county_kind_dtype,
    edge_kind_dtype,
    level_dtype,
    node_kind_dtype,
    street_kind_dtype,
)
from ._codes import county_kind, short_codes, street_kind, urban_community
from ._tables import read_csv_any

__all__ = ["DIVISION_FILES", "division_tables", "read_divisions"]

#: The per-level files of the NBS data set (as packaged by ``china-division``), by level.
DIVISION_FILES = {
    "province": "provinces",
    "city": "cities",
    "district": "areas",
    "street": "streets",
    "community": "villages",
}

_LENGTHS = np.array([LEVEL_CODE_LENGTH[lvl] for lvl in ADMIN_LEVELS])


def _find(folder: Path, stem: str) -> Path | None:
    for suffix in (".csv.gz", ".csv", ".csv.bz2", ".csv.xz", ".csv.zip"):
        p = folder / f"{stem}{suffix}"
        if p.exists():
            return p
    return None


def _read_folder(folder: Path, within: str | None) -> pd.DataFrame:
    frames = []
    missing = []
    for level, stem in DIVISION_FILES.items():
        path = _find(folder, stem)
        if path is None:
            missing.append(f"{stem}.csv(.gz)")
            continue
        if within is not None and LEVEL_CODE_LENGTH[level] < len(within):
            continue  # units above the one asked for are not read
        df = read_csv_any(path, usecols=["code", "name"])
        frames.append(df.assign(_file=path.name, _row=np.arange(2, len(df) + 2)))
    if missing:
        raise DataNotFoundError(
            f"{folder} lacks the division file(s) {', '.join(missing)}; expected the five "
            f"per-level files {', '.join(f + '.csv.gz' for f in DIVISION_FILES.values())}"
        )
    return pd.concat(frames, ignore_index=True)


def division_tables(path: str | os.PathLike, *, within: str | None = None):
    """Node and edge tables of the admin units in ``path`` (see :func:`read_divisions`).

    Returns ``(nodes, edges, (parent_positions, child_positions))``, the last the edges'
    endpoints as node positions.
    """
    path = Path(path)
    if not path.exists():
        raise DataNotFoundError(f"no division data at {path}")
    if path.is_dir():
        raw = _read_folder(path, within)
    else:
        raw = read_csv_any(path)
        cols = {c.lower().strip(): c for c in raw.columns}
        code_col = cols.get("code") or cols.get("代码") or cols.get("区划代码") or raw.columns[0]
        name_col = cols.get("name") or cols.get("名称") or raw.columns[1]
        raw = raw[[code_col, name_col]].set_axis(["code", "name"], axis=1)
        raw = raw.assign(_file=path.name, _row=np.arange(2, len(raw) + 2))

    code = raw["code"].astype("str").str.strip()
    if not path.is_dir():
        # a single file may pad upper levels to 12 digits; the per-level files never do
        # (Kinmen's placeholder community 350527000000 is a community there)
        code = short_codes(code)
    length = code.str.len().to_numpy(dtype=np.int64, na_value=0)
    known = np.isin(length, _LENGTHS) & code.str.fullmatch(r"\d+").to_numpy(
        dtype=bool, na_value=False
    )
    level = np.searchsorted(_LENGTHS, length)
    key = np.zeros(len(code), dtype=np.int64)
    key[known] = _sort_key(code[known].astype("int64").to_numpy(), level[known])
    problems = [
        Problem(
            "not a division code",
            file=raw["_file"].iat[i],
            row=int(raw["_row"].iat[i]),
            column="code",
            value=raw["code"].iat[i],
            fix="division codes have 2, 4, 6, 9 or 12 digits (or 12 with trailing zeros)",
            code="bad_division_code",
        )
        for i in np.flatnonzero(~known)[:1000]
    ]
    dup = pd.Series(key).duplicated().to_numpy() & known
    problems += [
        Problem(
            "division code listed twice",
            file=raw["_file"].iat[i],
            row=int(raw["_row"].iat[i]),
            column="code",
            value=code.iat[i],
            fix="keep one row per code",
            code="duplicate_id",
        )
        for i in np.flatnonzero(dup)[:1000]
    ]
    if problems:
        raise ValidationError(problems, what=str(path))

    code_num = key // 8 // 10 ** (12 - _LENGTHS[level])
    if within is not None:
        within = str(within).strip()
        if not within.isdigit() or len(within) not in _LENGTHS:
            raise ValidationError(
                [
                    Problem(
                        "not a division code",
                        column="within",
                        value=within,
                        fix="give a unit's code, e.g. '3402' for Wuhu",
                        code="bad_division_code",
                    )
                ],
                what="read_divisions(within=...)",
            )
        wlen = len(within)
        keep = (length >= wlen) & (code_num // 10 ** np.maximum(length - wlen, 0) == int(within))
        if not keep.any():
            raise ValidationError(
                [
                    Problem(
                        f"no division code starts with {within!r}",
                        file=str(path),
                        fix="give a code present in the data, e.g. '3402' for Wuhu",
                        code="unknown_division",
                    )
                ],
                what=str(path),
            )
        raw, code, key, level, length = raw[keep], code[keep], key[keep], level[keep], length[keep]

    # every parent from the code alone; create the ones the file does not list
    names = raw["name"].astype("str").str.strip().to_numpy(dtype=object)
    ids = code.to_numpy(dtype=object)
    top = 0 if within is None else int(np.searchsorted(_LENGTHS, len(within)))
    while True:
        pkey, has_parent = _parent_key(key, level, top)
        missing = np.setdiff1d(pkey[has_parent], key)
        if missing.size == 0:
            break
        mlevel = (missing % 8).astype(np.int64)
        mcode = missing // 8 // 10 ** (12 - _LENGTHS[mlevel])
        mids = [str(c).zfill(int(n)) for c, n in zip(mcode, _LENGTHS[mlevel])]
        key = np.concatenate([key, missing])
        level = np.concatenate([level, mlevel])
        ids = np.concatenate([ids, np.array(mids, dtype=object)])
        names = np.concatenate([names, np.full(missing.size, None, dtype=object)])

    order = np.argsort(key, kind="stable")  # (padded code, level) order is a pre-order
    key, level, ids, names = key[order], level[order], ids[order], names[order]
    pkey, has_parent = _parent_key(key, level, top)
    id_series = pd.Series(ids, dtype="str")
    is_comm = level == ADMIN_LEVELS.index("community")
    is_street = level == ADMIN_LEVELS.index("street")
    is_county = level == ADMIN_LEVELS.index("district")
    urban = pd.array(np.full(ids.size, pd.NA), dtype="boolean")
    urban[is_comm] = urban_community(id_series[is_comm]).to_numpy()
    skind = pd.Series(pd.NA, index=range(ids.size), dtype="str")
    skind[is_street] = street_kind(id_series[is_street]).to_numpy()
    ckind = pd.Series(pd.NA, index=range(ids.size), dtype="str")
    ckind[is_county] = county_kind(id_series[is_county]).to_numpy()
    nodes = pd.DataFrame(
        {
            COL.ID: id_series,
            COL.KIND: pd.Categorical.from_codes(
                np.zeros(ids.size, dtype=np.int8), dtype=node_kind_dtype
            ),
            COL.NAME: pd.array(names, dtype="str"),
            COL.LEVEL: pd.Categorical.from_codes(level, dtype=level_dtype),
            COL.URBAN: urban,
            COL.STREET_KIND: pd.Categorical(skind, dtype=street_kind_dtype),
            COL.COUNTY_KIND: pd.Categorical(ckind, dtype=county_kind_dtype),
        }
    )
    child = np.flatnonzero(has_parent)
    parent = np.searchsorted(key, pkey[child])
    edges = pd.DataFrame(
        {
            COL.SOURCE: id_series.array.take(parent),
            COL.TARGET: id_series.array.take(child),
            COL.KIND: pd.Categorical.from_codes(
                np.zeros(child.size, dtype=np.int8), dtype=edge_kind_dtype
            ),
        }
    )
    return nodes, edges, (parent, child)


def _sort_key(code: np.ndarray, level: np.ndarray) -> np.ndarray:
    """Integer key whose order is the pre-order: the code padded to 12 digits, then level.

    ``34`` < ``3402`` < ``340202`` < ``340202001`` < ``340202001001`` < ``340202002``.
    """
    return (code * 10 ** (12 - _LENGTHS[level])) * 8 + level


def _parent_key(key: np.ndarray, level: np.ndarray, top: int) -> tuple[np.ndarray, np.ndarray]:
    """Each unit's parent key and whether it has a parent below ``top``."""
    has_parent = level > top
    plevel = np.maximum(level - 1, 0)
    padded = key // 8
    cut = 10 ** (12 - _LENGTHS[plevel])
    return (padded // cut) * cut * 8 + plevel, has_parent


def read_divisions(
    path: str | os.PathLike, *, within: str | None = None, validate: bool = False
) -> CivicGraph:
    """Read NBS division codes into a :class:`CivicGraph` of admin units.

    Parameters
    ----------
    path : path-like
        Either a folder with the five per-level files of the NBS data set
        (``provinces``, ``cities``, ``areas``, ``streets``, ``villages``; ``.csv`` or
        ``.csv.gz``; columns ``code`` and ``name``), or one CSV of codes with names
        (2/4/6/9/12-digit codes, or 12-digit codes padded with zeros; columns ``code``
        and ``name`` or ``代码``/``名称``, else the first two columns).
    within : str, optional
        Keep only this unit and everything under it (e.g. ``"3402"``, Wuhu).
    validate : bool
        Run the graph's structural checks too. The reader's own checks (every code a
        valid code, no code twice) always run; the structure it builds from codes is valid
        by construction, so this is off by default.

    Returns
    -------
    CivicGraph
        One ``admin`` node per unit, id = its short code, with ``level``, ``name``,
        ``urban`` (communities: suffix below 200, a resident committee) and ``street_kind``
        (streets: 001–099 street office, 100–199 town, 200–399 township, else other) and
        ``county_kind`` (county-level units: 01–20 city district 市辖区, 21–70 county,
        71–80 development zone, 81–99 county-level city);
        one ``contains`` edge per unit from its parent. Parents missing from the input are
        inferred from the codes and added without a name.

    Raises
    ------
    DataNotFoundError
        The path or one of the five files is missing.
    ValidationError
        A code is not a division code, or a code is listed twice.

    Examples
    --------
    >>> import civicgraph as cg
    >>> from civicgraph.datasets import wuhu_divisions_path
    >>> g = cg.read_divisions(wuhu_divisions_path(), within="3402")
    >>> g.counts()["admin"]
    {'total': 1039, 'city': 1, 'district': 9, 'street': 79, 'community': 950}
    """
    nodes, edges, positions = division_tables(path, within=within)
    return CivicGraph._with_positions(nodes, edges, positions, validate=validate)
