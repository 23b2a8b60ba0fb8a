"""Step 5 of reading a registry, the tables: sheets into node and edge tables.

Organizations (their credit codes, divisions and ``located_in`` edges) and programs
become node rows, ties and funding edge rows; each row keeps its provenance.

Interface: :func:`_org_nodes`, :func:`_program_nodes`, :func:`_edge_rows` (one sheet each,
problems appended), :func:`_duplicate_ids` (ids used twice over all node tables) and
:func:`_bare_divisions` (admin nodes for the codes used when no divisions are given).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ...model._columns import _str_array
from ...schema import (
    ADMIN_LEVELS,
    COL,
    EDGE_KIND_ALIASES,
    EDGE_KINDS,
    LABELS_ZH,
    LEVEL_ALIASES,
    ORG_ROLES,
    PROGRAM_TYPE_ALIASES,
    PROGRAM_TYPES,
    ROLE_ALIASES,
)
from .._codes import credit_code_issue, credit_code_registrar, division_level
from .._values import alias_lookup, fold
from . import export as _export
from .cells import _amounts, _as_str, _coded, _column, _dates, _extras, _years
from .files import _blank, _Sheet
from .places import _place, _Places
from .status import registration_status

_ROLE_LOOKUP = alias_lookup({r: ROLE_ALIASES.get(r, ()) for r in ORG_ROLES}, LABELS_ZH)
_KIND_LOOKUP = alias_lookup({k: EDGE_KIND_ALIASES.get(k, ()) for k in EDGE_KINDS}, LABELS_ZH)
_TYPE_LOOKUP = alias_lookup({t: PROGRAM_TYPE_ALIASES.get(t, ()) for t in PROGRAM_TYPES}, LABELS_ZH)
_LEVEL_LOOKUP = alias_lookup({lv: LEVEL_ALIASES.get(lv, ()) for lv in ADMIN_LEVELS}, LABELS_ZH)


def _org_nodes(
    sh: _Sheet, places: _Places, problems, suggestions: list | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    _export._legal_form_column(sh)  # 类型 holding 社会团体 / 基金会 ... is no role
    ids = _column(sh, COL.ID, ids=True, problems=problems)
    credit = _column(sh, COL.CREDIT_CODE, ids=True)
    credit = pd.Series([None if x is None else x.upper() for x in credit], dtype=object)
    registrar = list(_column(sh, COL.REGISTRAR))
    level = list(_column(sh, COL.REGISTRAR_LEVEL))
    ids = list(ids)
    for i, code in enumerate(credit):
        if code is None:
            continue
        why = credit_code_issue(code)
        if why is not None:
            template, ctx = why
            problems.append(
                sh.problem(
                    i, COL.CREDIT_CODE, value=code, code="bad_credit_code", template=template, **ctx
                )
            )
        if len(code) >= 8 and code[2:8].isdigit():
            registrar[i], level[i] = credit_code_registrar(code)
        if ids[i] is None:
            ids[i] = code
    ids = pd.Series(ids, dtype=object)
    registrar = pd.Series(registrar, dtype=object)
    level = pd.Series(level, dtype=object)
    for i in np.flatnonzero(ids.isna().to_numpy()):
        problems.append(sh.problem(i, COL.ID, code="missing_id", template="missing_id.org"))
    typed = _column(sh, COL.DIVISION, ids=True)
    # each distinct code or name resolved once; problems for the rows it fails on
    found = {v: places.resolve(v)[0] for v in pd.unique(typed.dropna().to_numpy())}
    division = pd.Series(typed.map(found).to_numpy(dtype=object), dtype=object)
    for i in np.flatnonzero(typed.notna().to_numpy() & division.isna().to_numpy()):
        _place(sh, i, COL.DIVISION, typed.iat[i], places, problems, name_only=True)
    role = _coded(
        sh,
        COL.ROLE,
        _ROLE_LOOKUP,
        problems,
        what="organization role",
        choices=ORG_ROLES,
        code="unknown_role",
    )
    given = _export._given(sh, COL.ROLE)
    role[~given] = "unknown"  # no role given: counted, never a hub
    export, division = _export._org_columns(
        sh,
        places,
        problems,
        [] if suggestions is None else suggestions,
        credit=credit,
        division=division,
        registrar=registrar,
        level=level,
        role_given=given,
    )
    known = (
        COL.ID,
        COL.NAME,
        COL.ROLE,
        COL.CREDIT_CODE,
        COL.DIVISION,
        COL.START,
        COL.END,
        COL.KIND,
        COL.REGISTRATION,
    )
    nodes = pd.DataFrame(
        {
            # (ids and names stay Python strings here: the set of node ids is made of
            # these; as Arrow strings, they cost 1M organizations 50 MiB more at the peak)
            COL.ID: ids,
            COL.KIND: "org",
            COL.NAME: _names(sh, problems),
            COL.ROLE: role,
            COL.START: _dates(sh, COL.START, problems),
            COL.END: _dates(sh, COL.END, problems),
            COL.CREDIT_CODE: _as_str(credit),
            COL.DIVISION: _as_str(division),
            COL.REGISTRAR: _as_str(registrar),
            COL.REGISTRAR_LEVEL: _as_str(level),
            COL.REGISTRATION: registration_status(sh, problems),
            **_extras(sh, known + (COL.REGISTRAR, COL.REGISTRAR_LEVEL, *_export.COLUMNS), problems),
            **export,
            **sh.provenance(),
        }
    )
    _kind_column_check(sh, "org", problems)
    has = division.notna().to_numpy() & ids.notna().to_numpy()
    located = pd.DataFrame(
        {
            COL.SOURCE: _str_array(ids[has].to_numpy()),  # (Arrow, as the other ties' ends)
            COL.TARGET: _str_array(division[has].to_numpy()),
            COL.KIND: "located_in",
            "src_file": sh.file,
            "src_sheet": sh.sheet,
            "src_row": sh.rows[has],
        }
    )
    sh.headers.setdefault(COL.SOURCE, sh.headers.get(COL.ID, COL.ID))
    sh.headers.setdefault(COL.TARGET, sh.headers.get(COL.DIVISION, COL.DIVISION))
    return nodes, located


def _names(sh: _Sheet, problems) -> pd.Series:
    """The name column; a blank name is a problem (a missing column is reported once,
    as ``missing_column``)."""
    names = _column(sh, COL.NAME)
    if COL.NAME in sh.frame:
        for i in np.flatnonzero(names.isna().to_numpy()):
            problems.append(sh.problem(i, COL.NAME, code="missing_name"))
    return names


def _references(
    nodes: pd.DataFrame, edges: pd.DataFrame, sheets: dict, known, places: _Places, problems
) -> None:
    """A program's funder must be an organization or admin unit (its id, code or name),
    a grant's program a program (``unknown_funder``, ``unknown_program``)."""
    programs = set(nodes.loc[(nodes[COL.KIND] == "program").to_numpy(), COL.ID].dropna())
    checks = (
        (nodes, COL.FUNDER, known - programs, "unknown_funder"),
        (edges, COL.PROGRAM, programs, "unknown_program"),
    )
    for table, col, allowed, code in checks:
        if col not in table or "src_row" not in table:
            continue
        values = table[col].astype(object)
        bad = values.notna().to_numpy() & ~values.isin(allowed).to_numpy()
        if code == "unknown_funder" and bad.any():  # an admin unit may be named
            for i in np.flatnonzero(bad):
                bad[i] = places.resolve(str(values.iat[i]))[0] is None
        for i in np.flatnonzero(bad):
            row = table.iloc[i]
            sh = sheets.get((row["src_file"], row["src_sheet"]))
            if sh is None:
                continue
            pos = int(np.flatnonzero(sh.rows == row["src_row"])[0])
            problems.append(sh.problem(pos, col, value=values.iat[i], code=code))


def _kind_column_check(sh: _Sheet, kind: str, problems) -> None:
    """A ``kind`` column on a node sheet may only repeat the sheet's node kind."""
    if COL.KIND not in sh.frame:
        return
    for i, x in _column(sh, COL.KIND).items():
        if x is not None and fold(x) not in (kind, fold(LABELS_ZH[kind])):
            problems.append(sh.problem(i, COL.KIND, value=x, code="wrong_sheet", kind=kind))


def _program_nodes(sh: _Sheet, problems) -> pd.DataFrame:
    ids = _column(sh, COL.ID, ids=True, problems=problems)
    for i in np.flatnonzero(ids.isna().to_numpy()):
        problems.append(sh.problem(i, COL.ID, code="missing_id", template="missing_id.program"))
    known = (
        COL.ID, COL.NAME, COL.PROGRAM_TYPE, COL.FUNDER_LEVEL, COL.FUNDER, COL.YEAR, COL.START, COL.END, COL.KIND,
    )  # fmt: skip
    _kind_column_check(sh, "program", problems)
    return pd.DataFrame(
        {
            COL.ID: ids,
            COL.KIND: "program",
            COL.NAME: _names(sh, problems),
            COL.START: _dates(sh, COL.START, problems),
            COL.END: _dates(sh, COL.END, problems),
            COL.PROGRAM_TYPE: _coded(
                sh,
                COL.PROGRAM_TYPE,
                _TYPE_LOOKUP,
                problems,
                what="program type",
                choices=PROGRAM_TYPES,
                code="unknown_program_type",
            ).astype("str"),  # fmt: skip
            COL.FUNDER_LEVEL: _coded(
                sh,
                COL.FUNDER_LEVEL,
                _LEVEL_LOOKUP,
                problems,
                what="level",
                choices=ADMIN_LEVELS,
                code="unknown_level",
            ).astype("str"),  # fmt: skip
            COL.FUNDER: _as_str(_column(sh, COL.FUNDER, ids=True, problems=problems)),
            COL.YEAR: _years(sh, COL.YEAR, problems) if COL.YEAR in sh.frame else pd.NA,
            **_extras(sh, known, problems),
            **sh.provenance(),
        }
    ).astype({COL.YEAR: "Int64"})


def _edge_rows(sh: _Sheet, places: _Places, node_ids: set[str], problems) -> pd.DataFrame:
    ends = {}
    to_unit = None  # per row: the target is an admin unit
    for col in (COL.SOURCE, COL.TARGET):
        values = list(_column(sh, col, ids=True, problems=problems))
        unknown = set(values).difference(node_ids)  # (None too: a missing end)
        for i in [i for i, x in enumerate(values) if x in unknown] if unknown else ():
            x = values[i]
            if x is None:
                problems.append(
                    sh.problem(i, col, code="missing_node", template="missing_node.tie", end=col)
                )
            else:
                code = _place(sh, i, col, x, places, problems, name_only=False)
                if code is not None:
                    values[i] = code
        if col == COL.TARGET and sh.kind == "funding":
            codes = places.codes
            to_unit = np.fromiter((x in codes for x in values), dtype=bool, count=len(values))
        # Arrow strings, as the graph keeps them: no Python string per tie end held on
        ends[col] = pd.Series(_str_array(values))
        del values
    kind = _coded(
        sh,
        COL.KIND,
        _KIND_LOOKUP,
        problems,
        what="edge kind",
        choices=EDGE_KINDS,
        code="unknown_edge_kind",
    )
    if sh.kind == "funding":
        default = np.where(to_unit, "awards", "funds")
        kind = kind.where(kind.notna() | (_column(sh, COL.KIND).notna()), pd.Series(default))
    else:
        for i in np.flatnonzero(_column(sh, COL.KIND).isna().to_numpy()):
            problems.append(
                sh.problem(
                    i,
                    COL.KIND,
                    code="unknown_edge_kind",
                    template="unknown_edge_kind.blank",
                    choices=list(EDGE_KINDS),
                )
            )
    known = (
        COL.SOURCE,
        COL.TARGET,
        COL.KIND,
        COL.AMOUNT,
        COL.START,
        COL.END,
        COL.PROGRAM,
        COL.PROJECT,
        COL.PURPOSE,
    )
    data = {
        COL.SOURCE: ends[COL.SOURCE],
        COL.TARGET: ends[COL.TARGET],
        COL.KIND: kind,
        COL.AMOUNT: _amounts(sh, problems, required=sh.kind == "funding"),
        COL.START: _dates(sh, COL.START, problems),
        COL.END: _dates(sh, COL.END, problems),
    }
    for col in (COL.PROGRAM, COL.PROJECT, COL.PURPOSE):
        if col in sh.frame or sh.kind == "funding":
            ids = col == COL.PROGRAM
            data[col] = _column(sh, col, ids=ids, problems=problems if ids else None)
            data[col] = _as_str(data[col])
    return pd.DataFrame({**data, **_extras(sh, known, problems), **sh.provenance()})


def _raw_id(row: pd.Series, sheets: dict) -> str:
    """A node's id as the user typed it (its normalized id where that is not known)."""
    sh = sheets.get((row.get("src_file"), row.get("src_sheet")))
    if sh is not None and COL.ID in sh.frame:
        raw = sh.frame[COL.ID].iat[int(np.flatnonzero(sh.rows == row["src_row"])[0])]
        if not _blank(raw):
            return str(raw)
    return str(row[COL.ID])


def _duplicate_ids(nodes: pd.DataFrame, sheets: dict, problems) -> None:
    """Ids used twice, also when they differ only by spaces or full-width forms."""
    key = nodes[COL.ID]
    spaced = key.str.contains(r"\s", regex=True).fillna(False).to_numpy(dtype=bool)
    if spaced.any():  # only these few get a new string (national registries: millions of ids)
        key = key.copy()
        key[spaced] = key[spaced].str.replace(r"\s+", "", regex=True)
    dup = key.duplicated(keep="first") & key.notna()
    if not dup.any():
        return
    again = key.isin(set(key[dup])) & ~dup
    first = dict(zip(key[again], nodes.index[again]))
    for i in np.flatnonzero(dup.to_numpy()):
        row = nodes.iloc[i]
        j = first[key.iat[i]]
        other = nodes.iloc[j]
        if pd.notna(other.get("src_row")):
            where = {
                "other_row": int(other["src_row"]),
                "other_sheet": other["src_sheet"] or Path(other["src_file"]).name,
            }
        else:
            where = {"template": "duplicate_id.divisions"}
        sh = sheets.get((row["src_file"], row["src_sheet"]))
        if sh is None:
            continue
        pos = int(np.flatnonzero(sh.rows == row["src_row"])[0])
        same = _raw_id(other, sheets) == _raw_id(row, sheets)
        problems.append(
            sh.problem(
                pos,
                COL.ID,
                value=row[COL.ID],
                code="duplicate_id",
                **{"template": "duplicate_id.rows" if same else "duplicate_id.near", **where},
            )
        )


def _bare_divisions(nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """Admin nodes (level from code length) for every division code the registry uses."""
    used = pd.concat(
        [nodes.get(COL.DIVISION, pd.Series(dtype=object)), edges[COL.SOURCE], edges[COL.TARGET]]
    )
    used = pd.Index(used.dropna().astype(str).unique())
    used = used[used.str.fullmatch(r"\d+") & ~used.isin(nodes[COL.ID].dropna())]
    levels = [division_level(c) for c in used]
    keep = [lv is not None for lv in levels]
    admin = pd.DataFrame(
        {COL.ID: used[keep], COL.KIND: "admin", COL.LEVEL: [lv for lv in levels if lv is not None]}
    )
    return pd.concat([admin, nodes], ignore_index=True)
