"""Step 4b of reading a registry, the platform export: an organizations sheet as the
national social-organization credit platform (全国社会组织信用信息公示平台) or a bureau's
management system exports it, read as it is.

Such a sheet has 名称, 统一社会信用代码, 登记管理机关, 业务主管单位, 法定代表人, 成立登记日期,
注册资金, 登记状态 and 类型, and no role. This step gives, for the organizations table:

- the legal form (``类型``: 社会团体 / 民办非企业单位 or 社会服务机构 / 基金会) as its own
  column, ``legal_form``, never mistaken for the role (:func:`_legal_form_column`);
  without it, from credit code character 2 (1, 2, 3);
- the registration status (``status``: 正常 active, 注销 deregistered, 撤销 revoked);
- the registered capital in yuan (``registered_capital``; 万元 understood);
- the registrar by name (``登记管理机关``: 民政部, 安徽省民政厅, 芜湖市民政局, 鸠江区民政局,
  ××街道办事处) resolved to a division and a level where the credit code does not give
  them (:class:`_Names`);
- a location from the address (``住所`` / ``地址``: the finest unit it names) or from a
  street-level registrar; a location known only to a district or city is not placed
  (a hub placed at its district would cover every community of it) but suggested;
- suggested roles, from names (…社会组织联合会 hub, …社会工作服务中心 agency, …培育中心 /
  孵化基地 center), for rows without a role: suggestions, never applied.

Interface: :func:`_legal_form_column` (before the roles are read), :func:`_org_columns`
(the columns above, the located division and the suggestions), :func:`_is_org_sheet`
(whether raw cells hold an organizations table, for a workbook's one unnamed sheet),
:data:`COLUMNS` (the columns this step writes).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..._errors import Problem
from ...schema import (
    COL,
    LABELS_ZH,
    LEGAL_FORM_ALIASES,
    LEGAL_FORMS,
    STATUS_ALIASES,
    STATUSES,
)
from .._codes import CIVIL_AFFAIRS_KINDS, NATIONAL_REGISTRAR, division_level
from .._values import alias_lookup, fold, parse_amount
from .cells import _as_str, _coded, _column, _text
from .files import _Sheet
from .places import _PARENT_LENGTH, _Places, _stem

#: Columns of the organizations table this step gives (the rest read them as known).
COLUMNS = (
    COL.LEGAL_FORM,
    COL.STATUS,
    COL.CAPITAL,
    "registered_capital_wan",
    COL.REGISTRAR_NAME,
    COL.SUPERVISOR,
    COL.LEGAL_REP,
    COL.ADDRESS,
    COL.ADDRESS_CODE,
)

_FORM_LOOKUP = alias_lookup({f: LEGAL_FORM_ALIASES.get(f, ()) for f in LEGAL_FORMS}, LABELS_ZH)
_STATUS_LOOKUP = alias_lookup({s: STATUS_ALIASES.get(s, ()) for s in STATUSES}, LABELS_ZH)
#: Credit code character 2 of civil-affairs codes (character 1 ``5``) → legal form.
_FORM_OF_KIND = dict(zip(("1", "2", "3"), LEGAL_FORMS, strict=True))
assert set(_FORM_OF_KIND) <= set(CIVIL_AFFAIRS_KINDS)

#: Roles suggested by the end of a name: ``(role, pattern)``, first match wins.
ROLE_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("center", re.compile(r"(培育中心|培育基地|孵化基地|孵化中心|孵化园)$")),
    ("hub", re.compile(r"(社会组织联合会|社区联合会|社会组织联盟)$")),
    ("agency", re.compile(r"(社会工作服务(中心|社|站|机构)|社工(服务)?(中心|社|站))$")),
)

#: The national registrar by name (the Ministry of Civil Affairs).
_NATIONAL = re.compile(r"^(中华人民共和国)?民政部")
#: What follows the place in a registrar's name (省民政厅, 市民政局, 街道办事处 ...).
_OFFICE = re.compile(
    r"(民政厅|民政局|民政部门|行政审批服务局|行政审批局|数据资源管理局|社会事务局|"
    r"社会事务办公室|社会事务办|社会事务管理办公室|人民政府|政府|办事处|党工委|管委会)+$"
)
#: Levels at which a location places an organization (a hub placed at its district would
#: cover every community of the district: district and city locations are suggested).
_PLACED = ("street", "community")


def _given(sh: _Sheet, col: str) -> np.ndarray:
    """Bool per row: the cell of ``col`` is not blank (all ``False`` without the column)."""
    if col not in sh.frame:
        return np.zeros(len(sh.frame), dtype=bool)
    values = sh.frame[col]
    text = values.astype(str).str.strip()
    return ~(values.isna() | (text == "")).to_numpy(dtype=bool)


def _legal_forms(values) -> bool:
    """Whether the cells ``values`` hold legal forms (社会团体, 民办非企业单位 ...) and
    nothing else besides blanks."""
    distinct = pd.Series(pd.unique(np.asarray(values, dtype=object)), dtype=object)
    present = _text(distinct).dropna()
    return bool(len(present)) and all(fold(x) in _FORM_LOOKUP for x in present)


def _legal_form_column(sh: _Sheet) -> None:
    """A ``类型`` column whose every value is a legal form is the legal form, not the role."""
    if COL.ROLE not in sh.frame or COL.LEGAL_FORM in sh.frame:
        return
    if _legal_forms(sh.frame[COL.ROLE].to_numpy(dtype=object)):
        sh.frame = sh.frame.rename(columns={COL.ROLE: COL.LEGAL_FORM})
        sh.headers[COL.LEGAL_FORM] = sh.headers.pop(COL.ROLE)


def _is_org_sheet(canon: set[str]) -> bool:
    """Whether a sheet's known headers (canonical) are those of organizations: a name or a
    credit code, and neither a tie's ends nor an amount."""
    return bool(canon & {COL.NAME, COL.CREDIT_CODE}) and not canon & {
        COL.SOURCE,
        COL.TARGET,
        COL.AMOUNT,
        "amount_wan",
    }


class _Names:
    """The divisions' units by parent, to find the units a text names in order
    (``安徽省芜湖市鸠江区四褐山街道…`` → the street), up to two levels skipped at a time
    (``四褐山街道管山社区`` with the city and district left out)."""

    def __init__(self, places: _Places):
        self.ids = np.asarray(places.ids, dtype=object)
        self.names = np.asarray(places.unit_names, dtype=object)
        ids = pd.Series(self.ids, dtype=object)
        lengths = ids.str.len()
        parent = ids.copy()
        for n, k in _PARENT_LENGTH.items():  # one vectorized cut per code length
            parent[lengths == n] = ids[lengths == n].str[:k]
        parent[~parent.isin(places.codes) | (parent == ids)] = ""
        #: positions of each unit's children, by the parent's code ("" for the top units)
        self._rows = parent.groupby(parent.to_numpy(), sort=False).indices
        self._under: dict[tuple[str, int], list] = {}
        self._cache: dict[str, str | None] = {}

    def children(self, code: str) -> list[tuple[str, tuple[str, ...]]]:
        """``(code, name forms)`` of the units under ``code``, built on first use."""
        key = (code, 1)
        if key not in self._under:
            rows = self._rows.get(code, np.zeros(0, dtype=np.intp))
            self._under[key] = [
                (c, _forms(name, division_level(c)))
                for c, name in zip(self.ids[rows], self.names[rows], strict=True)
            ]
        return self._under[key]

    def _below(self, code: str, depth: int) -> list:
        """The units ``depth`` levels under ``code`` (1 = its children)."""
        if depth == 1:
            return self.children(code)
        key = (code, depth)
        if key not in self._under:
            self._under[key] = [
                u for c, _ in self._below(code, depth - 1) for u in self.children(c)
            ]
        return self._under[key]

    def finest(self, text: str) -> str | None:
        """The finest unit ``text`` names, going down the tree; ``None`` when it names none
        (or two units at once at the first level it names)."""
        if text in self._cache:
            return self._cache[text]
        t, pos, here = fold(text), 0, ""
        while True:
            hit = None
            for depth in (1, 2, 3):  # a text may skip levels (the city, the district)
                hit = _first(t, pos, self._below(here, depth))
                if hit is not None:
                    break
            if hit is None or hit == "ambiguous":
                break
            here, pos = hit
        out = here or None
        self._cache[text] = out
        return out


def _forms(name: str, level: str | None) -> tuple[str, ...]:
    """Folded forms of a unit's name an address may use (芜湖市 and 芜湖, 湾里社区 for
    湾里社区居民委员会)."""
    full = fold(name)
    out = {full, _stem(full)}
    if level in ("province", "city"):
        short = re.sub("(省|市|特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区)$", "", full)
        if len(short) >= 2:
            out.add(short)
    if full in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
        return ()  # placeholders no address names
    return tuple(f for f in out if len(f) >= 2)


def _first(t: str, pos: int, cands) -> tuple[str, int] | str | None:
    """The candidate named earliest in ``t`` from ``pos`` (the longest form there):
    ``(code, end)``, ``"ambiguous"`` when two units tie, or ``None``."""
    best = None  # (start, -length, code)
    tie = False
    for code, forms in cands:
        for f in forms:
            i = t.find(f, pos)
            if i < 0:
                continue
            key = (i, -len(f))
            if best is None or key < best[:2]:
                best, tie = (i, -len(f), code), False
            elif key == best[:2] and code != best[2]:
                tie = True
    if best is None:
        return None
    if tie:
        return "ambiguous"
    return best[2], best[0] - best[1]


def _names(places: _Places) -> _Names:
    """The :class:`_Names` of ``places``, built once."""
    names = places.__dict__.get("_names")
    if names is None:
        names = places.__dict__["_names"] = _Names(places)
    return names


def _registrar_of(name: str, names: _Names | None) -> tuple[str, str] | None:
    """A registrar's division code and level from its name (民政部 → national)."""
    t = fold(name)
    if _NATIONAL.match(t):
        return NATIONAL_REGISTRAR, "national"
    if names is None:
        return None
    place = _OFFICE.sub("", t)
    if not place:
        return None
    code = names.finest(place)
    if code is None:
        return None
    return code, division_level(code)


def _suggestion(sh: _Sheet, i: int, col: str, *, code: str, value, template=None, **ctx):
    return sh.problem(i, col, code=code, value=value, template=template, **ctx)


def _org_columns(
    sh: _Sheet,
    places: _Places,
    problems: list[Problem],
    suggestions: list[Problem],
    *,
    credit: pd.Series,
    division: pd.Series,
    registrar: pd.Series,
    level: pd.Series,
    role_given: np.ndarray,
) -> tuple[dict[str, pd.Series], pd.Series]:
    """The export's columns of an organizations sheet, and ``division`` with the locations
    the address or a street registrar give (``registrar`` / ``level`` are filled in place
    from registrar names). Suggestions (roles, district-only locations) go to
    ``suggestions``."""
    n = len(sh.frame)
    out: dict[str, pd.Series] = {}
    index = sh.frame.index
    # legal form: the column, else credit code character 2 of civil-affairs codes
    if COL.LEGAL_FORM in sh.frame:
        form = _coded(
            sh,
            COL.LEGAL_FORM,
            _FORM_LOOKUP,
            problems,
            what="legal form",
            choices=LEGAL_FORMS,
            code="unknown_legal_form",
        )
    else:
        form = pd.Series([None] * n, index=index, dtype=object)
    text = pd.Series(credit.to_numpy(dtype=object), index=index, dtype=object).str
    from_code = text[1].map(_FORM_OF_KIND).where(text[0] == "5")
    form = form.where(form.notna() | _column(sh, COL.LEGAL_FORM).notna(), from_code.to_numpy())
    if form.notna().any():
        out[COL.LEGAL_FORM] = form.astype("str")
    if COL.STATUS in sh.frame:
        out[COL.STATUS] = _coded(
            sh,
            COL.STATUS,
            _STATUS_LOOKUP,
            problems,
            what="registration status",
            choices=STATUSES,
            code="unknown_status",
        ).astype("str")
    capital = _capital(sh, problems)
    if capital is not None:
        out[COL.CAPITAL] = capital
    for col in (COL.REGISTRAR_NAME, COL.SUPERVISOR, COL.LEGAL_REP, COL.ADDRESS):
        if col in sh.frame:
            out[col] = _as_str(_column(sh, col))
    # the registrar by name where the credit code gives none (民政部 needs no divisions)
    if COL.REGISTRAR_NAME in sh.frame:
        reg_names = _column(sh, COL.REGISTRAR_NAME)
        names = None if places.bare else _names(places)
        for i in np.flatnonzero(reg_names.notna().to_numpy() & registrar.isna().to_numpy()):
            found = _registrar_of(reg_names.iat[i], names)
            if found is not None:
                registrar.iat[i], level.iat[i] = found
    division = division.copy()
    if not places.bare:
        _locate(sh, places, suggestions, division, registrar, level, out)
    _suggest_roles(sh, suggestions, role_given)
    return out, division


def _capital(sh: _Sheet, problems) -> pd.Series | None:
    """注册资金 in yuan (a 万元 header, or ``300万元`` in a cell, × 10,000)."""
    cols = [(c, c == "registered_capital_wan") for c in (COL.CAPITAL, "registered_capital_wan")]
    cols = [(c, wan) for c, wan in cols if c in sh.frame]
    if not cols:
        return None
    out = np.full(len(sh.frame), np.nan)
    for col, wan in cols:
        raw = sh.frame[col]
        for i, x in enumerate(raw):
            if out[i] == out[i]:
                continue
            v = parse_amount(x, wan=wan)
            if v is None:
                problems.append(sh.problem(i, col, value=x, code="not_a_number"))
            elif v < 0:
                problems.append(sh.problem(i, col, value=x, code="negative_amount"))
            else:
                out[i] = v
    return pd.Series(out, index=sh.frame.index)


def _locate(sh, places: _Places, suggestions, division, registrar, level, out) -> None:
    """Fill ``division`` (where the sheet gives none) from the address, else from a
    street-level registrar; suggest the unit when only a district or city is known.
    The unit names are looked up only when there is an address."""
    n = len(division)
    found = np.full(n, None, dtype=object)
    if COL.ADDRESS in sh.frame:
        address = _column(sh, COL.ADDRESS)
        if address.notna().any():
            names = _names(places)
            found[:] = [None if a is None else names.finest(a) for a in address]
        out[COL.ADDRESS_CODE] = pd.Series(found, index=sh.frame.index, dtype=object).astype("str")
    by_address = pd.notna(found)
    by_registrar = registrar.isin(places.codes).to_numpy() & ~by_address
    for i in np.flatnonzero(division.isna().to_numpy() & (by_address | by_registrar)):
        if by_address[i]:
            code, col, source = found[i], COL.ADDRESS, "address"
        else:
            code, source = registrar.iat[i], "registrar"
            col = COL.REGISTRAR_NAME if COL.REGISTRAR_NAME in sh.frame else COL.CREDIT_CODE
        unit_level = division_level(code)
        if unit_level in _PLACED:
            division.iat[i] = code
            continue
        if unit_level not in ("district", "city"):
            continue
        suggestions.append(
            _suggestion(
                sh,
                i,
                col,
                code="suggest_location",
                template=f"suggest_location.{source}",
                value=sh.frame[col].iat[i] if col in sh.frame else None,
                unit=f"{code} {places.label.get(code, '')}".strip(),
                unit_code=code,
                what=unit_level,
            )
        )


def _suggest_roles(sh: _Sheet, suggestions, role_given: np.ndarray) -> None:
    """A suggestion for each row without a role whose name ends like a role's."""
    rows = np.flatnonzero(~role_given)
    if not len(rows) or COL.NAME not in sh.frame:
        return
    names = _text(sh.frame[COL.NAME].iloc[rows])
    for i, name in zip(rows, names, strict=True):
        if name is None:
            continue
        role, words = suggest_role(name)
        if role is not None:
            suggestions.append(
                _suggestion(
                    sh, i, COL.ROLE, code="suggest_role", value=name, kind=role, words=words
                )
            )


def suggest_role(name: str) -> tuple[str | None, str]:
    """The role a name suggests and the words that suggest it (``(None, "")`` for none).

    >>> suggest_role("芜湖市鸠江区清水街道清苑社区社区社会组织联合会")
    ('hub', '社会组织联合会')
    >>> suggest_role("芜湖市益群社会工作服务中心"), suggest_role("鸠江区社会组织孵化基地")
    (('agency', '社会工作服务中心'), ('center', '孵化基地'))
    >>> suggest_role("芜湖市阳光爱心协会")
    (None, '')
    """
    t = fold(name)
    for role, pattern in ROLE_PATTERNS:
        m = pattern.search(t)
        if m:
            return role, m.group(0)
    return None, ""
