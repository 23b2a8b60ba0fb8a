"""The typed, columnar, immutable :class:`CivicGraph` (its column plumbing: :mod:`._columns`)."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._errors import Problem, SchemaError, ValidationError
from ..schema import (
    ADMIN_LEVELS,
    COL,
    EDGE_COLUMNS,
    EDGE_KINDS,
    EDGE_RULES,
    NODE_COLUMNS,
    NODE_KINDS,
    ORG_ROLES,
)
from ._columns import (
    _arrow_strings,
    _from_codes,
    _normalize,
    _records,
)
from ._tree import AdminTree, build_tree

if TYPE_CHECKING:  # scipy is imported where a matrix is made (it takes ~0.25 s to import)
    import scipy.sparse as sp

__all__ = ["CivicGraph"]

#: Provenance columns a reader may attach so that problems name file, sheet and row.
PROVENANCE = ("src_file", "src_sheet", "src_row")

#: The edge columns naming nodes (stored as node positions when all are known).
_ENDS = (COL.SOURCE, COL.TARGET)
_COMMUNITY = ADMIN_LEVELS.index("community")

DateLike = date | datetime | str | pd.Timestamp


def _to_timestamp(when: DateLike) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(when)
    except (TypeError, ValueError) as exc:
        raise SchemaError(f"cannot read {when!r} as a date; give e.g. '2019-08-31'") from exc
    if ts is pd.NaT:
        raise SchemaError("a date is needed here, not an empty value")
    return ts


# ----------------------------------------------------------------------------- graph


class CivicGraph:
    """A typed graph of admin units, organizations and programs, stored as two tables.

    The node table has one row per node (``id``, ``kind``, ``name``, ``level``, ``urban``,
    ``role``, ``start``, ``end`` and any extra columns); the edge table one row per tie
    (``source``, ``target``, ``kind``, ``amount``, ``start``, ``end`` and extras). Node
    *positions* (row numbers) index every derived array: the admin tree
    (:attr:`tree`) and one sparse adjacency matrix per edge kind (:meth:`adjacency`), built
    once and cached.

    A graph is immutable: :meth:`within`, :meth:`as_of` and :meth:`with_hubs` return new
    graphs; metrics never change a graph.

    Build one with :meth:`from_frames`, :meth:`from_networkx`,
    :func:`civicgraph.read_divisions` or :func:`civicgraph.read_registry`.

    Examples
    --------
    >>> import pandas as pd
    >>> import civicgraph as cg
    >>> nodes = pd.DataFrame({
    ...     "id": ["34", "3402", "org1"],
    ...     "kind": ["admin", "admin", "org"],
    ...     "level": ["province", "city", None],
    ...     "role": [None, None, "hub"],
    ... })
    >>> edges = pd.DataFrame({
    ...     "source": ["34", "org1"], "target": ["3402", "3402"],
    ...     "kind": ["contains", "located_in"],
    ... })
    >>> g = cg.CivicGraph.from_frames(nodes, edges)
    >>> g
    <CivicGraph: 3 nodes (admin 2: province 1, city 1; org 1: hub 1), 2 edges (contains 1, located_in 1)>
    """

    __slots__ = ("__dict__", "_edges", "_nodes")

    def __init__(self, nodes: pd.DataFrame, edges: pd.DataFrame, *, validate: bool = True):
        self._nodes = _normalize(nodes, NODE_COLUMNS, "node", (COL.ID, COL.KIND))
        self._edges = _normalize(edges, EDGE_COLUMNS, "edge", (COL.SOURCE, COL.TARGET, COL.KIND))
        if validate:
            self._validate()
            self._encode_ends()

    @classmethod
    def _with_positions(
        cls,
        nodes: pd.DataFrame,
        edges: pd.DataFrame,
        positions: tuple[np.ndarray, np.ndarray],
        *,
        validate: bool = True,
        what: str = "the graph",
    ) -> CivicGraph:
        """A graph whose builder knows every edge's ``(u, v)`` node positions already
        (every one a node): ``edges`` needs no ``source``/``target`` columns, they are
        stored as these positions (see :meth:`_encode_ends`); no id look-up."""
        g = cls.__new__(cls)
        g._nodes = _normalize(nodes, NODE_COLUMNS, "node", (COL.ID, COL.KIND))
        ends = {col: g._id_codes(pos) for col, pos in zip(_ENDS, positions, strict=True)}
        rest = edges.drop(columns=[c for c in _ENDS if c in edges.columns])
        g._edges = _normalize(rest, EDGE_COLUMNS, "edge", (COL.KIND,), given=ends)
        g._seed_positions()
        if validate:
            g._validate(what)
        return g

    def _id_codes(self, positions: np.ndarray) -> pd.Categorical:
        """Node positions as a categorical over the node ids (``-1``: missing)."""
        return _from_codes(np.asarray(positions).astype(np.int32, copy=False), self._id_categories)

    @cached_property
    def _id_categories(self) -> pd.Index:
        """The node ids as the categories of the edge ends (no hash table is built: the
        categories are never looked up, only taken by position)."""
        return pd.Index(self._nodes[COL.ID].array, copy=False)

    def _encode_ends(self) -> None:
        """Store ``source`` and ``target`` as node positions when every edge joins two
        nodes: a categorical over the node ids whose codes are :attr:`edge_positions`
        (int32), instead of a string per edge end (~125 MiB on the national graph).

        Internal only: :attr:`edges`, :meth:`to_frames` and the writers give the strings.
        """
        u, v = self.edge_positions
        if not ((u >= 0).all() and (v >= 0).all()):
            return
        for col, pos in zip(_ENDS, (u, v), strict=True):
            self._edges[col] = self._id_codes(pos)
        self._seed_positions()

    @property
    def _ends_encoded(self) -> bool:
        return isinstance(self._edges[COL.SOURCE].dtype, pd.CategoricalDtype)

    def _seed_positions(self) -> None:
        """:attr:`edge_positions` from the codes of encoded ends (int32 read-only views)."""
        self.__dict__["edge_positions"] = tuple(
            self._edges[col].array.codes.astype(np.int32, copy=False) for col in _ENDS
        )

    @property
    def attrs(self) -> dict:
        """Properties of the data set the graph holds, kept by :meth:`as_of`,
        :meth:`within` and :meth:`with_hubs` (as ``DataFrame.attrs``): e.g. the embedded
        Wuhu example sets ``notes`` (``{"coverage": "boundary"}``, a key of the catalog's
        ``labels.notes``) that :func:`~civicgraph.summary` shows. Not part of equality."""
        return self.__dict__.setdefault("_attrs", {})

    def _keep_attrs(self, g: CivicGraph) -> CivicGraph:
        if self.attrs:
            g.__dict__["_attrs"] = dict(self.attrs)
        return g

    def _validate(self, what: str = "the graph") -> None:
        problems = self._problems()
        if problems:
            raise ValidationError(problems, what=what)

    # ------------------------------------------------------------------ constructors

    @classmethod
    def from_frames(
        cls, nodes: pd.DataFrame, edges: pd.DataFrame | None = None, *, validate: bool = True
    ) -> CivicGraph:
        """Build a graph from a node table and an edge table.

        Parameters
        ----------
        nodes : DataFrame
            One row per node with at least ``id`` (column or index) and ``kind``
            (``admin``, ``org`` or ``program``). Admin nodes need ``level``, org nodes
            ``role``. Other columns are kept as node attributes.
        edges : DataFrame, optional
            One row per edge with ``source``, ``target`` (node ids) and ``kind``.
        validate : bool
            Check the structure (unique ids, known kinds, endpoints present, edge kinds
            joining the right node kinds, no cycles in containment or incubation, dates in
            order, no negative amounts) and raise once with every problem.

        Raises
        ------
        SchemaError
            A required column is missing.
        ValidationError
            The tables describe an invalid graph; ``.problems`` lists every problem.
        """
        if edges is None:
            edges = pd.DataFrame({COL.SOURCE: [], COL.TARGET: [], COL.KIND: []})
        return cls(nodes, edges, validate=validate)

    @classmethod
    def from_networkx(cls, G, *, validate: bool = True) -> CivicGraph:
        """Build a graph from a networkx graph whose nodes and edges carry ``kind``.

        Node attributes become node columns and edge attributes edge columns; this is the
        inverse of :meth:`to_networkx`.
        """
        node_rows = [{COL.ID: str(n), **attrs} for n, attrs in G.nodes(data=True)]
        nodes = pd.DataFrame(node_rows) if node_rows else pd.DataFrame(columns=[COL.ID, COL.KIND])
        if G.is_multigraph():
            edge_iter = ((u, v, d) for u, v, _k, d in G.edges(keys=True, data=True))
        else:
            edge_iter = G.edges(data=True)
        edge_rows = [{COL.SOURCE: str(u), COL.TARGET: str(v), **d} for u, v, d in edge_iter]
        edges = (
            pd.DataFrame(edge_rows)
            if edge_rows
            else pd.DataFrame(columns=[COL.SOURCE, COL.TARGET, COL.KIND])
        )
        if COL.KIND not in nodes.columns:
            raise SchemaError("every networkx node needs a 'kind' attribute (admin, org, program)")
        return cls(nodes, edges, validate=validate)

    # ------------------------------------------------------------------ conversions

    def to_frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Copies of the node table and the edge table (``CivicGraph.from_frames`` inverse)."""
        return self._nodes.copy(), self.edges

    def to_networkx(self, edge_kinds: Iterable[str] | None = None):
        """A ``networkx.MultiDiGraph`` with every node and edge attribute.

        Missing values are left out of the attribute dicts. Edge keys are the edge's row
        number in the edge table.

        Parameters
        ----------
        edge_kinds : iterable of str, optional
            Only these edge kinds (all nodes are kept).
        """
        import networkx as nx

        edges = self._edges
        if edge_kinds is not None:
            kinds = self._check_edge_kinds(edge_kinds)
            edges = edges[edges[COL.KIND].isin(kinds)]
        G = nx.MultiDiGraph()
        G.add_nodes_from(zip(self._nodes[COL.ID], _records(self._nodes.drop(columns=COL.ID))))
        G.add_edges_from(
            zip(
                edges[COL.SOURCE],
                edges[COL.TARGET],
                edges.index,
                _records(edges.drop(columns=[COL.SOURCE, COL.TARGET])),
            )
        )
        return G

    # ------------------------------------------------------------------ tables

    @property
    def nodes(self) -> pd.DataFrame:
        """The node table indexed by node id (a copy)."""
        return self._nodes.set_index(COL.ID)

    @property
    def edges(self) -> pd.DataFrame:
        """The edge table (a copy), one row per edge."""
        out = self._edges.copy()
        if self._ends_encoded:
            for col, pos in zip(_ENDS, self.edge_positions, strict=True):
                out[col] = pd.array(self._id_values.take(pa.array(pos)), dtype="str")
        return out

    @property
    def n_nodes(self) -> int:
        return len(self._nodes)

    @property
    def n_edges(self) -> int:
        return len(self._edges)

    def __len__(self) -> int:
        return len(self._nodes)

    @cached_property
    def index(self) -> pd.Index:
        """Node ids in position order (``index.get_indexer(ids)`` gives positions)."""
        return pd.Index(self._nodes[COL.ID], name=COL.ID)

    @cached_property
    def ids(self) -> np.ndarray:
        """Node ids as an object array, by position."""
        return self.index.to_numpy(dtype=object)

    def positions(self, ids: Iterable[str]) -> np.ndarray:
        """Positions of node ids; raises :class:`SchemaError` naming unknown ids."""
        ids = pd.Index([str(i) for i in ids])
        pos = self._lookup(ids)
        if (pos < 0).any():
            unknown = list(ids[pos < 0][:10])
            raise SchemaError(f"unknown node id(s): {unknown}")
        return pos

    def _codes(self, col: str) -> np.ndarray:
        return self._nodes[col].cat.codes.to_numpy()

    @cached_property
    def kind_codes(self) -> np.ndarray:
        """Node kind per position as an index into ``NODE_KINDS``."""
        return self._codes(COL.KIND)

    @cached_property
    def role_codes(self) -> np.ndarray:
        """Org role per position as an index into ``ORG_ROLES`` (``-1`` for non-orgs)."""
        return self._codes(COL.ROLE)

    @cached_property
    def level_codes(self) -> np.ndarray:
        """Admin level per position as an index into ``ADMIN_LEVELS`` (``-1`` elsewhere)."""
        codes = self._codes(COL.LEVEL).astype(np.int8)
        codes[self.kind_codes != NODE_KINDS.index("admin")] = -1
        return codes

    def mask(
        self, *, kind: str | None = None, role: str | None = None, level: str | None = None
    ) -> np.ndarray:
        """Boolean array over positions: nodes of this kind, role and/or level."""
        m = np.ones(self.n_nodes, dtype=bool)
        if kind is not None:
            m &= self.kind_codes == _index(NODE_KINDS, kind, "node kind")
        if role is not None:
            m &= self.role_codes == _index(ORG_ROLES, role, "org role")
        if level is not None:
            m &= self.level_codes == _index(ADMIN_LEVELS, level, "admin level")
        return m

    @cached_property
    def urban(self) -> np.ndarray:
        """Boolean array: resident committees (urban communities).

        The ``urban`` column where given; a community without one is urban when its id is
        a 12-digit code whose last three digits are 001-199 (居委会; 200-399 村委会), as
        ``read_divisions`` reads them.
        """
        given = self._nodes[COL.URBAN]
        out = given.fillna(False).to_numpy(dtype=bool)
        todo = np.flatnonzero(given.isna().to_numpy() & (self.level_codes == _COMMUNITY))
        if todo.size:
            ids = self._nodes[COL.ID].take(todo).astype("string")
            suffix = pd.to_numeric(
                ids.str[9:12].where(ids.str.fullmatch(r"\d{12}")), errors="coerce"
            )
            out[todo] = ((suffix >= 0) & (suffix <= 199)).fillna(False).to_numpy(dtype=bool)
        return out

    # ------------------------------------------------------------------ edges

    @cached_property
    def edge_positions(self) -> tuple[np.ndarray, np.ndarray]:
        """``(u, v)``: source and target positions of every edge, by edge row."""
        u, v = self._lookup_columns(self._edges[COL.SOURCE], self._edges[COL.TARGET])
        return u, v

    @cached_property
    def _id_values(self) -> pa.ChunkedArray:
        """Node ids as an Arrow string array (the hash look-ups' value set)."""
        return _arrow_strings(self._nodes[COL.ID])

    def _lookup(self, keys) -> np.ndarray:
        """Positions of ``keys`` (``-1`` where unknown or missing; the first node where ids
        repeat)."""
        return self._lookup_columns(keys)[0]

    def _lookup_columns(self, *columns) -> list[np.ndarray]:
        """:meth:`_lookup` of several columns in one pass over one hash table.

        Arrow's ``index_in`` hashes the strings in place (no Python string per row, 2-3x
        faster than ``pandas.Index.get_indexer`` on Arrow strings, which converts both
        sides to Python objects first); repeated ids give their first position. The hash
        table is built over the smaller side: the node ids, or the distinct keys when there
        are fewer keys than nodes (a national graph's id table is ~100 MiB while it lives).
        """
        parts = [_arrow_strings(c) for c in columns]
        keys = pa.chunked_array([c for p in parts for c in p.chunks], type=pa.large_string())
        if len(keys) < self.n_nodes:
            found = self._index_in_keys(keys)
        else:
            found = pc.index_in(keys, value_set=self._id_values, skip_nulls=True)
        pos = np.empty(len(keys), dtype=np.int64)
        at = 0
        for chunk in found.chunks:  # int32 values and validity straight into ``pos``
            part = pos[at : at + len(chunk)]
            part[:] = chunk.fill_null(-1).to_numpy(zero_copy_only=False)
            at += len(chunk)
        del found
        pa.default_memory_pool().release_unused()  # the hash table's memory
        return np.split(pos, np.cumsum([len(p) for p in parts])[:-1])

    def _index_in_keys(self, keys: pa.ChunkedArray) -> pa.ChunkedArray:
        """``index_in(keys, ids)`` with the hash table over the distinct keys: each id is
        looked up among them, and each distinct key gets its first id's position."""
        distinct = pc.unique(keys).drop_null()
        at = pc.index_in(self._id_values, value_set=distinct).fill_null(-1)
        at = np.concatenate([c.to_numpy(zero_copy_only=False) for c in at.chunks])
        hit = np.flatnonzero(at >= 0)
        first = np.full(len(distinct), -1, dtype=np.int64)
        first[at[hit][::-1]] = hit[::-1]  # reversed: the first node with an id wins
        which = pc.index_in(keys, value_set=distinct, skip_nulls=True)
        return pa.chunked_array(
            [pc.take(pa.array(first), chunk) for chunk in which.chunks], type=pa.int64()
        )

    @cached_property
    def edge_kind_codes(self) -> np.ndarray:
        return self._edges[COL.KIND].cat.codes.to_numpy()

    def edge_mask(self, kinds: str | Iterable[str], *, as_of: DateLike | None = None) -> np.ndarray:
        """Boolean array over edge rows: edges of these kinds (active at ``as_of``)."""
        if isinstance(kinds, str):
            kinds = (kinds,)
        codes = [EDGE_KINDS.index(k) for k in self._check_edge_kinds(kinds)]
        m = np.isin(self.edge_kind_codes, codes)
        if as_of is not None:
            m &= self._active(self._edges, as_of)
        return m

    def adjacency(
        self, kind: str | Iterable[str], *, weight: str | None = None, as_of: DateLike | None = None
    ) -> sp.csr_matrix:
        """Sparse adjacency (CSR, nodes × nodes) of one or more edge kinds.

        Entry ``[u, v]`` counts the edges from ``u`` to ``v`` or, with ``weight`` (an edge
        column such as ``"amount"``), sums that column (missing values count 0).
        Cached per call signature.
        """
        import scipy.sparse as sp

        key = (tuple([kind] if isinstance(kind, str) else kind), weight, _key(as_of))
        cache = self.__dict__.setdefault("_adjacency_cache", {})
        if key not in cache:
            m = self.edge_mask(key[0], as_of=as_of)
            u, v = self.edge_positions
            if weight is None:
                data = np.ones(int(m.sum()))
            else:
                data = pd.to_numeric(self._edges[weight], errors="coerce").to_numpy(
                    dtype=float, na_value=np.nan
                )[m]
                data = np.nan_to_num(data, nan=0.0)
            n = self.n_nodes
            a = sp.coo_matrix((data, (u[m], v[m])), shape=(n, n)).tocsr()
            a.sum_duplicates()
            cache[key] = a
        return cache[key]

    # ------------------------------------------------------------------ admin tree

    @cached_property
    def tree(self) -> AdminTree:
        """The admin hierarchy as integer arrays (see :class:`~civicgraph.model.AdminTree`)."""
        u, v = self.edge_positions
        m = self.edge_mask("contains")
        parent = np.full(self.n_nodes, -1, dtype=np.int64)
        parent[v[m]] = u[m]
        return build_tree(parent, self.level_codes)

    # ------------------------------------------------------------------ time

    @staticmethod
    def _active(table: pd.DataFrame, as_of: DateLike) -> np.ndarray:
        ts = _to_timestamp(as_of)
        start = table[COL.START].to_numpy()
        end = table[COL.END].to_numpy()
        t = np.datetime64(ts.to_datetime64(), "ns")
        return ~(start > t) & ~(end <= t)

    def active_nodes(self, as_of: DateLike | None) -> np.ndarray:
        """Boolean array: nodes that exist at ``as_of`` (all nodes when ``None``).

        A node exists from ``start`` (inclusive) to ``end`` (exclusive); missing dates are
        open-ended. An organization whose ``status`` says it ended (``deregistered``,
        ``revoked``: 注销, 撤销 in a platform export) exists at no date when it has no
        ``end``, and not when ``as_of`` is ``None`` (the register as it stands).
        """
        gone, undated = self._ended
        if as_of is None:
            return ~gone
        return self._active(self._nodes, as_of) & ~undated

    @cached_property
    def _ended(self) -> tuple[np.ndarray, np.ndarray]:
        """``(ended, undated)``: bool by position, organizations whose ``status`` says
        they ended (``deregistered`` or ``revoked``), and those of them without ``end``."""
        if COL.STATUS not in self._nodes:
            none = np.zeros(self.n_nodes, dtype=bool)
            return none, none
        gone = self._nodes[COL.STATUS].isin(("deregistered", "revoked")).to_numpy(dtype=bool)
        return gone, gone & self._nodes[COL.END].isna().to_numpy()

    def as_of(self, when: DateLike) -> CivicGraph:
        """The graph as it stood on ``when``: nodes and edges active that day.

        Admin units are kept whatever their dates (the division codes are one vintage);
        organizations and programs not yet started or already ended are dropped with their
        edges; edges outside their own ``start``/``end`` are dropped.
        """
        keep = self.active_nodes(when) | (self.kind_codes == NODE_KINDS.index("admin"))
        edge_keep = self._active(self._edges, when)
        return self._subgraph(keep, edge_keep)

    # ------------------------------------------------------------------ slicing

    def within(self, code: str) -> CivicGraph:
        """The part of the graph inside one admin unit.

        Keeps the unit and every unit under it; organizations located in or serving those
        units; nodes (programs, funders, centers elsewhere) with an edge to something kept;
        and every edge between kept nodes.
        """
        pos = self.positions([code])[0]
        tree = self.tree
        if tree.level[pos] < 0:
            raise SchemaError(f"{code!r} is not an admin unit")
        keep = np.zeros(self.n_nodes, dtype=bool)
        keep[tree.order[tree.tin[pos] : tree.tout[pos]]] = True
        u, v = self.edge_positions
        loc = self.edge_mask(("located_in", "serves"))
        keep[u[loc & keep[v]]] = True
        other = ~self.edge_mask("contains")
        touching = other & (keep[u] | keep[v])
        keep[u[touching]] = True
        keep[v[touching]] = True
        # keep nothing above the unit: its ancestors only came in through other edges
        admin = tree.level >= 0
        outside = admin & ((tree.tin < tree.tin[pos]) | (tree.tin >= tree.tout[pos]))
        keep &= ~outside
        return self._subgraph(keep, np.ones(self.n_edges, dtype=bool))

    def _subgraph(self, node_keep: np.ndarray, edge_keep: np.ndarray) -> CivicGraph:
        u, v = self.edge_positions
        edge_keep = edge_keep & node_keep[u] & node_keep[v]
        nodes = self._nodes[node_keep].reset_index(drop=True)
        if self._ends_encoded:  # positions renumbered, no look-up
            new = np.cumsum(node_keep, dtype=np.int64) - 1
            edges = self._edges.drop(columns=list(_ENDS))[edge_keep].reset_index(drop=True)
            positions = (new[u[edge_keep]], new[v[edge_keep]])
            g = type(self)._with_positions(nodes, edges, positions, validate=False)
            return self._keep_attrs(g)
        edges = self._edges[edge_keep].reset_index(drop=True)
        return self._keep_attrs(type(self)(nodes, edges, validate=False))

    def with_hubs(
        self,
        units: Iterable[str],
        *,
        name: str = "new hub in {unit_name}",
        start: DateLike | None = None,
    ) -> CivicGraph:
        """A scenario graph with one new hub located in each of ``units`` (admin ids).

        New hubs get ids ``new-hub-<unit id>`` (numbered on repeats) and ``scenario=True``.
        """
        units = [str(u) for u in units]
        pos = self.positions(units)
        if (self.level_codes[pos] < 0).any():
            bad = [u for u, p in zip(units, pos) if self.level_codes[p] < 0]
            raise SchemaError(f"hubs can only be placed in admin units, not in {bad}")
        names = self._nodes[COL.NAME].to_numpy(dtype=object)
        ids, seen = [], set(self.ids)
        for unit in units:
            base = f"new-hub-{unit}"
            nid, k = base, 1
            while nid in seen:
                k += 1
                nid = f"{base}-{k}"
            seen.add(nid)
            ids.append(nid)
        unit_names = [
            names[p] if isinstance(names[p], str) else units[i] for i, p in enumerate(pos)
        ]
        new_nodes = pd.DataFrame(
            {
                COL.ID: ids,
                COL.KIND: "org",
                COL.ROLE: "hub",
                COL.NAME: [name.format(unit_name=n, unit=u) for n, u in zip(unit_names, units)],
                COL.START: pd.Timestamp(start) if start is not None else pd.NaT,
                "scenario": True,
            }
        )
        new_edges = pd.DataFrame(
            {COL.SOURCE: ids, COL.TARGET: units, COL.KIND: "located_in", "scenario": True}
        )
        nodes = pd.concat([self._nodes, new_nodes], ignore_index=True)
        encoded = self._ends_encoded
        old = self._edges.drop(columns=list(_ENDS)) if encoded else self._edges
        edges = pd.concat(
            [old, new_edges.drop(columns=list(_ENDS)) if encoded else new_edges], ignore_index=True
        )
        if "scenario" in nodes:
            nodes["scenario"] = nodes["scenario"].astype("boolean").fillna(False)
            edges["scenario"] = edges["scenario"].astype("boolean").fillna(False)
        if encoded:  # the new hubs are the last nodes
            u, v = self.edge_positions
            positions = (
                np.concatenate([u, self.n_nodes + np.arange(len(ids))]),
                np.concatenate([v, pos]),
            )
            g = type(self)._with_positions(nodes, edges, positions, validate=False)
            return self._keep_attrs(g)
        return self._keep_attrs(type(self)(nodes, edges, validate=False))

    # ------------------------------------------------------------------ validation

    def _check_edge_kinds(self, kinds: Iterable[str]) -> list[str]:
        kinds = list(kinds)
        for k in kinds:
            _index(EDGE_KINDS, k, "edge kind")
        return kinds

    def _problems(self) -> list[Problem]:
        """Every structural problem of the two tables."""
        nodes, edges = self._nodes, self._edges
        problems: list[Problem] = []

        def add(table, rows, sheet, column, code, template=None, values=None, **ctx):
            for j, i in enumerate(np.asarray(rows)[:1000]):
                value = values[j] if values is not None else table[column].iat[i]
                problems.append(
                    Problem(
                        column=column,
                        value=None if pd.isna(value) else value,
                        code=code,
                        template=template,
                        ctx=ctx,
                        **_where(table, int(i), sheet),
                    )
                )

        ids = nodes[COL.ID]
        add(
            nodes,
            np.flatnonzero(ids.isna().to_numpy()),
            "nodes",
            COL.ID,
            "missing_id",
        )
        if "edge_positions" in self.__dict__:
            first = self._lookup(ids)
        else:  # one hash pass finds repeated ids and every edge's endpoints
            first, u, v = self._lookup_columns(ids, edges[COL.SOURCE], edges[COL.TARGET])
            self.__dict__["edge_positions"] = (u, v)
        dup = (first != np.arange(len(ids))) & ids.notna().to_numpy()
        add(
            nodes,
            np.flatnonzero(dup),
            "nodes",
            COL.ID,
            "duplicate_id",
        )

        kind = self.kind_codes
        add(
            nodes,
            np.flatnonzero(kind < 0),
            "nodes",
            COL.KIND,
            "unknown_kind",
            choices=list(NODE_KINDS),
        )
        admin = kind == NODE_KINDS.index("admin")
        org = kind == NODE_KINDS.index("org")
        add(
            nodes,
            np.flatnonzero(admin & (self._codes(COL.LEVEL) < 0)),
            "nodes",
            COL.LEVEL,
            "unknown_level",
            choices=list(ADMIN_LEVELS),
        )
        add(
            nodes,
            np.flatnonzero(org & (self.role_codes < 0)),
            "nodes",
            COL.ROLE,
            "unknown_role",
            choices=list(ORG_ROLES),
        )
        problems += _date_problems(nodes, "nodes")

        ekind = self.edge_kind_codes
        add(
            edges,
            np.flatnonzero(ekind < 0),
            "edges",
            COL.KIND,
            "unknown_edge_kind",
            choices=list(EDGE_KINDS),
        )
        u, v = self.edge_positions
        for end, arr in ((COL.SOURCE, u), (COL.TARGET, v)):
            add(
                edges,
                np.flatnonzero(arr < 0),
                "edges",
                end,
                "missing_node",
                end=end,
            )
        ok = (u >= 0) & (v >= 0) & (ekind >= 0)
        for k, (src_kinds, dst_kinds) in EDGE_RULES.items():
            m = ok & (ekind == EDGE_KINDS.index(k))
            if not m.any():
                continue
            src_ok = np.isin(kind[u[m]], [NODE_KINDS.index(x) for x in src_kinds])
            dst_ok = np.isin(kind[v[m]], [NODE_KINDS.index(x) for x in dst_kinds])
            rows = np.flatnonzero(m)
            add(
                edges,
                rows[~src_ok],
                "edges",
                COL.SOURCE,
                "wrong_endpoint",
                template="wrong_endpoint.source",
                kind=k,
                kinds=list(src_kinds),
            )
            add(
                edges,
                rows[~dst_ok],
                "edges",
                COL.TARGET,
                "wrong_endpoint",
                template="wrong_endpoint.target",
                kind=k,
                kinds=list(dst_kinds),
            )
        problems += _date_problems(edges, "edges")
        amount = edges[COL.AMOUNT].to_numpy()
        add(
            edges,
            np.flatnonzero(amount < 0),
            "edges",
            COL.AMOUNT,
            "negative_amount",
        )

        # containment: one parent, parent above child, no cycles
        contains = ok & (ekind == EDGE_KINDS.index("contains"))
        rows = np.flatnonzero(contains)
        two = pd.Series(v[rows]).duplicated(keep="first").to_numpy()
        add(
            edges,
            rows[two],
            "edges",
            COL.TARGET,
            "two_parents",
        )
        lv = self._codes(COL.LEVEL)
        wrong = (lv[u[rows]] >= lv[v[rows]]) & (lv[u[rows]] >= 0)
        add(
            edges,
            rows[wrong],
            "edges",
            COL.TARGET,
            "level_order",
        )
        for k in ("contains", "incubates", "member_of"):
            problems += self._cycle_problems(k, ok)
        return problems

    def _cycle_problems(self, kind: str, ok: np.ndarray) -> list[Problem]:
        m = ok & (self.edge_kind_codes == EDGE_KINDS.index(kind))
        if not m.any():
            return []
        u, v = self.edge_positions
        n = self.n_nodes
        if _acyclic(u[m], v[m], n):
            return []  # the usual case, decided without scipy
        import scipy.sparse as sp
        from scipy.sparse.csgraph import connected_components

        a = sp.csr_matrix((np.ones(int(m.sum())), (u[m], v[m])), shape=(n, n))
        _, labels = connected_components(a, directed=True, connection="strong")
        size = np.bincount(labels)
        on_cycle = (size[labels[u]] > 1) & (labels[u] == labels[v])
        rows = np.flatnonzero(m & (on_cycle | (u == v)))
        out = []
        for i in rows[:1000]:
            out.append(
                Problem(
                    column=COL.TARGET,
                    value=f"{self._edges[COL.SOURCE].iat[i]} -> {self._edges[COL.TARGET].iat[i]}",
                    code="cycle",
                    template="cycle.self" if u[i] == v[i] else None,
                    ctx={"kind": kind},
                    **_where(self._edges, int(i), "edges"),
                )
            )
        return out

    # ------------------------------------------------------------------ display

    def counts(self) -> dict[str, Any]:
        """Counts of nodes by kind (and level/role) and of edges by kind."""
        nodes = self._nodes
        out: dict[str, Any] = {}
        for k in NODE_KINDS:
            m = nodes[COL.KIND] == k
            if not m.any():
                continue
            sub = {"total": int(m.sum())}
            by = COL.LEVEL if k == "admin" else COL.ROLE if k == "org" else None
            if by is not None:
                vc = nodes.loc[m, by].value_counts(sort=False)
                sub.update({str(c): int(n) for c, n in vc.items() if n})
            out[k] = sub
        vc = self._edges[COL.KIND].value_counts(sort=False)
        out["edges"] = {str(c): int(n) for c, n in vc.items() if n}
        return out

    def __repr__(self) -> str:
        c = self.counts()
        parts = []
        for k in NODE_KINDS:
            if k in c:
                detail = ", ".join(f"{x} {n:,}" for x, n in c[k].items() if x != "total")
                parts.append(f"{k} {c[k]['total']:,}" + (f": {detail}" if detail else ""))
        edges = ", ".join(f"{k} {n:,}" for k, n in c["edges"].items())
        return (
            f"<CivicGraph: {self.n_nodes:,} nodes ({'; '.join(parts)}), "
            f"{self.n_edges:,} edges" + (f" ({edges})>" if edges else ">")
        )

    def _repr_html_(self) -> str:
        c = self.counts()
        rows = []
        for k in (*NODE_KINDS, "edges"):
            for x, n in c.get(k, {}).items():
                label = k if x == "total" else f"&nbsp;&nbsp;{html.escape(x)}"
                if k == "edges" and x == "total":
                    continue
                rows.append(f"<tr><td>{label}</td><td style='text-align:right'>{n:,}</td></tr>")
            if k == "edges" and c["edges"]:
                rows.insert(
                    len(rows) - len(c["edges"]),
                    f"<tr><td>edges</td><td style='text-align:right'>{self.n_edges:,}</td></tr>",
                )
        return (
            "<div><strong>CivicGraph</strong> "
            f"({self.n_nodes:,} nodes, {self.n_edges:,} edges)"
            f"<table>{''.join(rows)}</table></div>"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CivicGraph):
            return NotImplemented
        if not self._nodes.equals(other._nodes):
            return False
        if self._ends_encoded and other._ends_encoded:  # same ids: same positions
            ends = list(_ENDS)
            return self._edges.drop(columns=ends).equals(other._edges.drop(columns=ends)) and all(
                np.array_equal(a, b)
                for a, b in zip(self.edge_positions, other.edge_positions, strict=True)
            )
        return self.edges.equals(other.edges)

    __hash__ = None  # type: ignore[assignment]


# ----------------------------------------------------------------------------- helpers


def _index(values: Sequence[str], value: str, what: str) -> int:
    try:
        return values.index(value)
    except ValueError:
        raise SchemaError(f"unknown {what} {value!r}; use one of {', '.join(values)}") from None


def _key(as_of: DateLike | None):
    return None if as_of is None else _to_timestamp(as_of)


def _where(table: pd.DataFrame, i: int, sheet: str) -> dict:
    """Location of row ``i`` of a table: its source row where known, else its position."""
    if "src_row" in table.columns and pd.notna(table["src_row"].iat[i]):
        return {
            "file": table["src_file"].iat[i] if "src_file" in table else None,
            "sheet": table["src_sheet"].iat[i] if "src_sheet" in table else None,
            "row": int(table["src_row"].iat[i]),
        }
    return {"sheet": sheet, "row": int(i), "extra": {"position": int(i)}}


def _date_problems(table: pd.DataFrame, sheet: str) -> list[Problem]:
    start = table[COL.START].to_numpy()
    end = table[COL.END].to_numpy()
    rows = np.flatnonzero(end < start)
    return [
        Problem(
            column=COL.END,
            value=f"{table[COL.START].iat[i].date()} -> {table[COL.END].iat[i].date()}",
            code="end_before_start",
            **_where(table, int(i), sheet),
        )
        for i in rows[:1000]
    ]


def _acyclic(u: np.ndarray, v: np.ndarray, n: int, *, rounds: int = 64) -> bool:
    """``True`` when the edges ``u[i] -> v[i]`` over ``n`` nodes surely have no cycle (a
    loop ``u == v`` is one): edges leaving nodes that nothing enters are dropped, round
    after round, until none are left. ``False`` when a cycle is left (a round drops
    nothing) or after ``rounds`` rounds (paths that long: let scipy decide).

    >>> _acyclic(np.array([0, 1, 0]), np.array([1, 2, 2]), 3)
    True
    >>> _acyclic(np.array([0, 1, 2, 3]), np.array([1, 2, 1, 3]), 4)  # 1 -> 2 -> 1
    False
    >>> _acyclic(np.array([0]), np.array([0]), 1), _acyclic(np.arange(5), np.arange(1, 6), 6, rounds=3)
    (False, False)
    """
    live = np.ones(u.size, dtype=bool)
    for _ in range(rounds):
        entered = np.bincount(v[live], minlength=n) > 0
        keep = live & entered[u]
        if not keep.any():
            return True
        if keep.sum() == live.sum():
            return False
        live = keep
    return False
