"""Division codes (GB/T 2260 + NBS rules) and unified social credit codes (GB 32100-2015)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..schema import ADMIN_LEVELS, COUNTY_KINDS, LEVEL_CODE_LENGTH, STREET_KINDS

__all__ = [
    "credit_code_check_char",
    "credit_code_problem",
    "county_kind",
    "credit_code_registrar",
    "division_level",
    "is_valid_credit_code",
    "parent_code",
    "short_code",
    "street_kind",
    "urban_community",
]

_LENGTHS = np.array([LEVEL_CODE_LENGTH[lvl] for lvl in ADMIN_LEVELS])


def short_code(code: str) -> str:
    """A division code in its short form (2, 4, 6, 9 or 12 digits).

    12-digit codes padded with zeros are cut to the level they name.

    >>> short_code("340200000000"), short_code("340202001000"), short_code("3402")
    ('3402', '340202001', '3402')
    """
    code = str(code).strip()
    if len(code) != 12:
        return code
    for n in (2, 4, 6, 9):
        if set(code[n:]) == {"0"}:
            return code[:n]
    return code


def short_codes(codes: pd.Series) -> pd.Series:
    """Vectorized :func:`short_code` for a Series of code strings."""
    codes = codes.astype("str").str.strip()
    out = codes.copy()
    twelve = codes.str.len() == 12
    for n in (9, 6, 4, 2):  # the shortest matching prefix wins, so go from long to short
        zero_tail = twelve & (codes.str[n:] == "0" * (12 - n))
        out = out.where(~zero_tail, codes.str[:n])
    return out


def division_level(code: str) -> str | None:
    """Level of a short division code from its length, ``None`` if not a valid length.

    >>> division_level("3402"), division_level("340202001001"), division_level("3")
    ('city', 'community', None)
    """
    n = len(code)
    for lvl, length in LEVEL_CODE_LENGTH.items():
        if n == length:
            return lvl
    return None


def parent_code(code: str) -> str | None:
    """The parent unit's code, inferred from the code alone.

    >>> parent_code("340202001001"), parent_code("340202"), parent_code("34")
    ('340202001', '3402', None)
    """
    lvl = division_level(code)
    if lvl is None or lvl == ADMIN_LEVELS[0]:
        return None
    return code[: LEVEL_CODE_LENGTH[ADMIN_LEVELS[ADMIN_LEVELS.index(lvl) - 1]]]


def urban_community(codes: pd.Series) -> pd.Series:
    """Whether 12-digit community codes are resident committees (suffix below 200).

    Resident committees are numbered 001–199 and village committees 200–399. The one code
    ending in 000 in the 2023 files is Kinmen's placeholder community (350527000000), which
    counts with the resident committees (the national count is then 124,650).
    """
    suffix = pd.to_numeric(codes.str[-3:], errors="coerce")
    return (suffix >= 0) & (suffix <= 199)


def street_kind(codes: pd.Series) -> pd.Series:
    """Street kind from the 3-digit street part of 9-digit codes.

    001–099 street office (街道), 100–199 town (镇), 200–399 township (乡), anything else
    other (e.g. development zones' units, 400+).
    """
    suffix = pd.to_numeric(codes.str[6:9], errors="coerce").to_numpy()
    kinds = np.select(
        [
            (suffix >= 1) & (suffix <= 99),
            (suffix >= 100) & (suffix <= 199),
            (suffix >= 200) & (suffix <= 399),
        ],
        STREET_KINDS[:3],
        default=STREET_KINDS[3],
    )
    return pd.Series(kinds, index=codes.index)


def county_kind(codes: pd.Series) -> pd.Series:
    """County-level kind from digits 5-6 of 6-digit codes (statistical division code rules).

    01-20 city district (市辖区), 21-70 county (县, 旗), 71-80 development zone and similar
    (开发区), 81-99 county-level city (县级市); ``None`` where the digits are no number or 00.

    >>> county_kind(pd.Series(["340202", "340223", "340271", "340281", "3402xx"])).tolist()
    ['city_district', 'county', 'zone', 'county_city', None]
    """
    suffix = pd.to_numeric(codes.str[4:6], errors="coerce").to_numpy()
    kinds = np.select(
        [
            (suffix >= 1) & (suffix <= 20),
            (suffix >= 21) & (suffix <= 70),
            (suffix >= 71) & (suffix <= 80),
            (suffix >= 81) & (suffix <= 99),
        ],
        COUNTY_KINDS,
        default=None,
    )
    return pd.Series(kinds, index=codes.index, dtype=object)


# ------------------------------------------------------------------ credit codes

#: The 31 characters of GB 32100-2015 (digits and capitals without I, O, S, V, Z).
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(CREDIT_ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

#: Character 1 (registering department) and character 2 (kind) for civil affairs (5).
CIVIL_AFFAIRS_KINDS = {
    "1": "social group",
    "2": "social service institution",
    "3": "foundation",
    "9": "other",
}


def credit_code_check_char(first17: str) -> str:
    """The 18th (check) character for the first 17 characters of a credit code.

    >>> credit_code_check_char("91350100M000100Y4")
    '3'
    """
    total = sum(_VALUE[c] * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def credit_code_issue(code: str) -> tuple[str, dict] | None:
    """Why ``code`` is not a valid unified social credit code, as a message-catalog
    template and its fields, or ``None`` if it is valid.

    >>> credit_code_issue("91350100M000100Y44")
    ('bad_credit_code.check', {'got': '4', 'want': '3'})
    """
    code = str(code).strip().upper()
    if len(code) != 18:
        return "bad_credit_code.length", {"n": len(code)}
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        return "bad_credit_code.alphabet", {"chars": "".join(bad)}
    if not code[2:8].isdigit():
        return "bad_credit_code.registrar", {}
    want = credit_code_check_char(code[:17])
    if code[17] != want:
        return "bad_credit_code.check", {"got": code[17], "want": want}
    return None


def credit_code_problem(code: str, lang: str = "en") -> str | None:
    """Why ``code`` is not a valid unified social credit code, or ``None`` if it is.

    >>> credit_code_problem("91350100M000100Y43") is None
    True
    >>> credit_code_problem("91350100M000100Y44")
    'invalid unified social credit code: check character is 4, should be 3'
    >>> credit_code_problem("91350100M000100Y44", "zh")
    '统一社会信用代码有误：校验位为 4，应为 3'
    """
    from ..catalog import text

    issue = credit_code_issue(code)
    if issue is None:
        return None
    template, ctx = issue
    return text(f"problems.{template}.message", lang, **ctx)


def is_valid_credit_code(code: str) -> bool:
    """Whether ``code`` passes the GB 32100-2015 checks (length, alphabet, check char)."""
    return credit_code_problem(code) is None


#: Characters 3–8 of the credit codes the Ministry of Civil Affairs (民政部) issues: not a
#: division (``10`` is no province) but the national registrar.
NATIONAL_REGISTRAR = "100000"


def credit_code_registrar(code: str) -> tuple[str, str]:
    """The registering authority's division code and its level, from characters 3–8.

    ``100000`` is the Ministry of Civil Affairs (民政部): level ``national``.

    >>> credit_code_registrar("52340200MJB123456X")
    ('3402', 'city')
    >>> credit_code_registrar("52340207MJB123456X")
    ('340207', 'district')
    >>> credit_code_registrar("53100000500021676K")
    ('100000', 'national')
    """
    div = str(code).strip()[2:8]
    if div == NATIONAL_REGISTRAR:
        return div, "national"
    if div[2:] == "0000":
        return div[:2], "province"
    if div[4:] == "00":
        return div[:4], "city"
    return div, "district"
