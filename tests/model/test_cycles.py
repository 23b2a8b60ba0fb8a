"""The graph's cycle check decides acyclic ties without scipy (civicgraph.model.graph
._acyclic) and leaves every graph with a cycle to scipy's strong components: the two
must agree on every graph."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

import civicgraph as cg
from civicgraph.model.graph import _acyclic


def _has_cycle(u: np.ndarray, v: np.ndarray, n: int) -> bool:
    a = sp.csr_matrix((np.ones(u.size), (u, v)), shape=(n, n))
    _, labels = connected_components(a, directed=True, connection="strong")
    return bool((u == v).any() or (np.bincount(labels) > 1).any())


@pytest.mark.parametrize("seed", range(200))
def test_acyclic_agrees_with_strong_components(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 12))
    m = int(rng.integers(0, 2 * n + 1))
    if seed % 2:  # mostly forward edges: acyclic graphs and long paths as often as not
        u = rng.integers(0, n, m)
        v = np.minimum(u + rng.integers(0, 3, m), n - 1)
    else:
        u, v = rng.integers(0, n, m), rng.integers(0, n, m)
    cyclic = _has_cycle(u, v, n)
    assert _acyclic(u, v, n) == (not cyclic)
    if not cyclic:
        assert _acyclic(u, v, n, rounds=1) == (m == 0 or not np.isin(u, v).any())


def test_a_cycle_behind_a_long_chain_is_still_reported():
    """A chain longer than the rounds of _acyclic, then a cycle: scipy finds the cycle
    and only its two ties are reported."""
    chain = [f"o{i}" for i in range(80)]
    nodes = pd.DataFrame(
        [{"id": "a", "kind": "admin", "level": "city"}]
        + [{"id": i, "kind": "org", "role": "member"} for i in chain]
    )
    ties = list(zip(chain, chain[1:], strict=False)) + [("o79", "o78")]
    edges = pd.DataFrame([{"source": s, "target": t, "kind": "incubates"} for s, t in ties])
    with pytest.raises(cg.ValidationError) as info:
        cg.CivicGraph.from_frames(nodes, edges)
    cycles = [p for p in info.value.problems if p.code == "cycle"]
    assert sorted(p.value for p in cycles) == ["o78 -> o79", "o79 -> o78"]
