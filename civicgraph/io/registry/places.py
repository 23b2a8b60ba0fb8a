"""Step 4 of reading a registry, the places: division codes and admin-unit names in
cells resolved to the admin units of the divisions read.

Interface: :class:`_Places` (the divisions' admin units; ``prime`` many names in one
pass, ``resolve`` one code or name, ``codes``, ``bare`` without divisions) and
:func:`_place` (a cell's code, or its problem: unknown or ambiguous).
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from ...model import CivicGraph
from ...schema import COL
from .._codes import division_level, short_code
from .._values import fold
from .files import _Sheet

_PARENT_LENGTH = {12: 9, 9: 6, 6: 4, 4: 2}


def _stem(name: str) -> str:
    """A folded unit name without its committee suffix, as :attr:`_Places._forms` has it."""
    name = re.sub("(村民委员会|村委会)$", "村", name)
    stem = re.sub("(居民委员会|居委会|委员会)$", "", name)
    return stem + "社区" if stem != name and not stem.endswith("社区") else stem


class _Places:
    """Admin units of the divisions graph by code and (built on first use) by name."""

    def __init__(self, divisions: CivicGraph | None):
        self.bare = divisions is None
        if divisions is None:
            self.ids = np.array([], dtype=object)
            self.unit_names = np.array([], dtype=object)
        else:
            n = divisions._nodes
            admin = n[(n[COL.KIND] == "admin").to_numpy()]
            self.ids = admin[COL.ID].astype(str).to_numpy(dtype=object)
            self.unit_names = admin[COL.NAME].astype(object).fillna("").to_numpy(dtype=object)
        self.codes: set[str] = set(self.ids)
        self.label = dict(zip(self.ids, self.unit_names))

    @functools.cached_property
    def _forms(self) -> tuple[pd.Series, np.ndarray]:
        """``(keys, codes)``: every unit under each folded form of its name (with and
        without the committee suffix ``居民委员会`` ..., alone and after its parent's
        name). Built once with Arrow compute kernels (the national list in seconds)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        join = pc.binary_join_element_wise
        names = pa.array(self.unit_names, type=pa.string())
        stems = pc.replace_substring_regex(names, "(村民委员会|村委会)$", "村")
        stems = pc.replace_substring_regex(stems, "(居民委员会|居委会|委员会)$", "")
        urban = pc.and_(pc.match_substring(names, "居"), pc.invert(pc.ends_with(stems, "社区")))
        she = pc.if_else(urban, join(stems, "社区", ""), stems)
        ids = pa.array(self.ids, type=pa.string())
        lengths = pc.utf8_length(ids)
        parent_code = ids
        for n, k in _PARENT_LENGTH.items():
            cut = pc.utf8_slice_codeunits(ids, 0, k)
            parent_code = pc.if_else(pc.equal(lengths, n), cut, parent_code)
        parents = pc.take(names, pc.index_in(parent_code, value_set=ids))
        parents = pc.if_else(pc.greater(lengths, 4), pc.fill_null(parents, ""), "")
        forms = pa.concat_arrays(
            [
                names,
                stems,
                she,
                join(parents, names, ""),
                join(parents, stems, ""),
                join(parents, she, ""),
            ]
        )
        keys = pc.utf8_lower(pc.replace_substring_regex(forms, r"[\s_\-]+", ""))
        keys = pd.Series(keys.to_numpy(zero_copy_only=False), dtype=object)
        odd = pc.match_substring_regex(forms, r"[\x{ff00}-\x{ffef}\x{3000}【】〔〕\[\]]")
        odd = np.flatnonzero(odd.to_numpy(zero_copy_only=False))
        if len(odd):  # full-width forms or other brackets: the full fold, for these few
            keys.iloc[odd] = [fold(k) for k in keys.iloc[odd]]
        return keys, np.tile(self.ids, 6)

    def prime(self, values) -> None:
        """Resolve many names in one pass (what :meth:`resolve` then looks up)."""
        cache = self.__dict__.setdefault("_cache", {})
        todo = {v for v in values if isinstance(v, str) and v not in cache and not v.isdigit()}
        if not todo:
            return
        folded = {v: fold(v) for v in todo}
        # the name as typed, and without its committee suffix (方塘社区居委会 -> 方塘社区)
        stems = {v: _stem(k) for v, k in folded.items()}
        found: dict[str, set[str]] = {}
        if len(self.ids):
            keys, codes = self._forms
            hit = keys.isin(set(folded.values()) | set(stems.values())).to_numpy()
            for k, c in zip(keys[hit], codes[hit]):
                found.setdefault(k, set()).add(c)
        for v, k in folded.items():
            cands = sorted(found.get(k, ()) or found.get(stems[v], ()))
            cache[v] = (cands[0], cands) if len(cands) == 1 else (None, cands)

    def resolve(self, value: str) -> tuple[str | None, list[str]]:
        """``(code, candidates)``: the unit's code, or ``None`` and the candidates."""
        cache = self.__dict__.setdefault("_cache", {})
        if value not in cache:
            if value.isdigit():
                code = short_code(value)
                known = code in self.codes or (self.bare and division_level(code) is not None)
                cache[value] = (code, [code]) if known else (None, [])
            else:
                self.prime([value])
        return cache[value]

    def scope(self) -> list[str]:
        """``["3402 芜湖市"]``: the top units of the divisions read (at most three)."""
        if not len(self.ids):
            return ["-"]
        lengths = np.array([len(c) for c in self.ids])
        top = self.ids[lengths == lengths.min()][:3]
        return [f"{c} {self.label.get(c, '')}".strip() for c in top]

    def describe(self, codes: list[str]) -> list[str]:
        out = []
        for c in codes:
            parent = c[: _PARENT_LENGTH.get(len(c), 0)]
            where = self.label.get(parent, "")
            out.append(f"{c} ({where}{self.label.get(c, '')})")
        return out


def _place(sh: _Sheet, i: int, col: str, value: str, places: _Places, problems, *, name_only: bool):
    """A division code for a cell holding a code or a name; problems for the rest."""
    code, cands = places.resolve(value)
    if code is not None:
        return code
    if len(cands) > 1:
        problems.append(
            sh.problem(
                i,
                col,
                value=value,
                code="ambiguous_division",
                name=value,
                n=len(cands),
                candidates=places.describe(cands),
            )
        )
        return None
    if name_only and value.isdigit():
        if division_level(value) is None:
            why = {"template": "unknown_division.length", "n": len(value)}
        else:
            why = {"template": "unknown_division.scope", "units": places.scope()}
        problems.append(sh.problem(i, col, value=value, code="unknown_division", **why))
        return None
    if name_only:
        problems.append(
            sh.problem(
                i,
                col,
                value=value,
                code="unknown_division",
                template="unknown_division.name_bare" if places.bare else "unknown_division.name",
            )
        )
    return None
