"""Small vectorized helpers shared by the example-data builders (amounts, credit codes)."""

from __future__ import annotations

import numpy as np

from ..io._codes import _WEIGHTS, CREDIT_ALPHABET

__all__ = ["credit_codes", "split_total"]


def split_total(
    rng: np.random.Generator, total: int, n: int, *, unit: int = 1000, spread: float = 0.5
) -> np.ndarray:
    """``n`` positive multiples of ``unit`` that add up to ``total`` exactly.

    Shares are ``1 + spread * (uniform - 0.5) * 2`` normalized, floored to ``unit``; the
    units left over go one each to the largest remainders, so the sum is exact.

    >>> split_total(np.random.default_rng(0), 700_000, 14, unit=1000).sum()
    np.int64(700000)
    """
    units, rest = divmod(int(total), unit)
    if rest or units < n:
        raise ValueError(f"{total} cannot be split into {n} positive multiples of {unit}")
    w = 1.0 + spread * (2.0 * rng.random(n) - 1.0)
    share = w / w.sum() * (units - n)  # every part gets one unit first
    base = np.floor(share).astype(np.int64)
    left = (units - n) - int(base.sum())
    base[np.argsort(base - share, kind="stable")[:left]] += 1
    return (base + 1) * unit


def credit_codes(rng: np.random.Generator, registrar: np.ndarray, kind: np.ndarray) -> np.ndarray:
    """Synthetic unified social credit codes with valid check characters (GB 32100-2015).

    Character 1 is ``5`` (civil affairs), character 2 ``kind`` (``1`` social group, ``2``
    social service institution; an int array), characters 3–8 the registrar's 6-digit
    division code (``registrar``, an int array such as ``340207``), 9–10 ``MJ`` (as
    civil-affairs registrations print them), 11–17 random, 18 the check character. Fully
    vectorized: the codes are built as a matrix of character values.

    >>> from civicgraph.io._codes import is_valid_credit_code
    >>> codes = credit_codes(np.random.default_rng(1), np.array([340200, 340207]), np.array([1, 2]))
    >>> [c[:10] for c in codes], all(map(is_valid_credit_code, codes))
    (['51340200MJ', '52340207MJ'], True)
    """
    registrar = np.asarray(registrar, dtype=np.int64)
    n = registrar.size
    vals = np.empty((n, 18), dtype=np.int64)
    vals[:, 0] = 5
    vals[:, 1] = np.asarray(kind, dtype=np.int64)
    for i in range(6):  # the six registrar digits, most significant first
        vals[:, 2 + i] = registrar // 10 ** (5 - i) % 10
    vals[:, 8] = CREDIT_ALPHABET.index("M")
    vals[:, 9] = CREDIT_ALPHABET.index("J")
    vals[:, 10:17] = rng.integers(0, len(CREDIT_ALPHABET), size=(n, 7))
    vals[:, 17] = (31 - (vals[:, :17] @ np.array(_WEIGHTS)) % 31) % 31
    points = np.frombuffer(CREDIT_ALPHABET.encode("ascii"), dtype=np.uint8).astype(np.uint32)
    return np.ascontiguousarray(points[vals]).view("<U18").ravel()
