"""Properties at the registry-file level on random valid registries (hypothesis seeds).

A registry written by :func:`cg.write_registry` reads back with every row and column;
coverage never falls when hubs are added; row order in the files changes nothing;
``as_of`` slices agree with the metric's own ``as_of``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import civicgraph as cg
from tests._random_graphs import random_registry

seeds = st.integers(min_value=0, max_value=2**32 - 1)
SETTINGS = settings(max_examples=5, deadline=None)


def divisions_of(g: cg.CivicGraph) -> cg.CivicGraph:
    """The admin units of ``g`` alone, as read_divisions would give them."""
    n, e = g.to_frames()
    return cg.CivicGraph.from_frames(n[n["kind"] == "admin"], e[e["kind"] == "contains"])


def comparable(g: cg.CivicGraph) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes by id and edges in a canonical order, without provenance or empty columns."""
    n, e = g.to_frames()
    n = n.drop(columns=[c for c in n if c.startswith("src_")]).set_index("id").sort_index()
    key = ["source", "target", "kind", "start", "amount"]
    e = e.drop(columns=[c for c in e if c.startswith("src_")])
    e = e.sort_values(key, na_position="first").reset_index(drop=True)
    n = n.dropna(axis=1, how="all")
    e = e.dropna(axis=1, how="all")
    return n, e


def assert_same(a: cg.CivicGraph, b: cg.CivicGraph) -> None:
    na, ea = comparable(a)
    nb, eb = comparable(b)
    assert a.counts() == b.counts()
    pd.testing.assert_frame_equal(na, nb, check_like=True, check_dtype=False)
    pd.testing.assert_frame_equal(ea, eb, check_like=True, check_dtype=False)


@SETTINGS
@given(seeds, st.sampled_from(["xlsx", "csv"]))
def test_write_read_round_trip_keeps_every_row_and_column(seed, form):
    g = random_registry(seed, n_orgs=15)
    admin = divisions_of(g)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("r.xlsx" if form == "xlsx" else "r")
        cg.write_registry(g, path)
        back = cg.read_registry(path, divisions=admin)
        assert_same(back, g)
        # and once more: a registry read from a file comes back the same again
        again = Path(tmp) / ("again.xlsx" if form == "xlsx" else "again")
        cg.write_registry(back, again)
        assert_same(cg.read_registry(again, divisions=admin), back)


@SETTINGS
@given(seeds, st.randoms(use_true_random=False))
def test_row_order_in_the_files_changes_no_metric(seed, rnd):
    g = random_registry(seed, n_orgs=15)
    admin = divisions_of(g)
    with tempfile.TemporaryDirectory() as tmp:
        path = cg.write_registry(g, Path(tmp) / "r")
        for f in path.glob("*.csv"):
            df = pd.read_csv(f, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            order = list(range(len(df)))
            rnd.shuffle(order)
            df.iloc[order].to_csv(f, index=False, encoding="utf-8-sig")
        h = cg.read_registry(path, divisions=admin)
    pd.testing.assert_frame_equal(cg.coverage(h, level="all"), cg.coverage(g, level="all"))
    pd.testing.assert_frame_equal(cg.summary(h), cg.summary(g))
    assert_same(h, g)


@SETTINGS
@given(seeds, st.data())
def test_coverage_is_monotone_when_hubs_are_added(seed, data):
    g = random_registry(seed, n_orgs=10)
    units = list(g.ids[g.mask(kind="admin")])
    extra = data.draw(st.lists(st.sampled_from(units), min_size=1, max_size=4))
    before = cg.coverage(g, level="all")
    after = cg.coverage(g.with_hubs(extra), level="all")
    assert list(after.index) == list(before.index)
    assert (after["covered"] >= before["covered"]).all()
    assert (after["hubs"] >= before["hubs"]).all()
    # every unit given a hub is fully covered afterwards
    for u in extra:
        assert after.loc[u, "covered"] == after.loc[u, "communities"]


@SETTINGS
@given(
    seeds,
    st.dates(
        min_value=pd.Timestamp("2013-06-01").date(), max_value=pd.Timestamp("2022-01-01").date()
    ),
)
def test_as_of_slices_agree_with_the_metrics_as_of(seed, day):
    g = random_registry(seed, n_orgs=15)
    when = pd.Timestamp(day)
    sliced = cg.coverage(g.as_of(when), level="all")
    direct = cg.coverage(g, level="all", as_of=when)
    pd.testing.assert_frame_equal(sliced, direct)
    # without end dates, a later day never has less coverage
    ends = g.nodes["end"].notna().any()
    later = cg.coverage(g, level="all", as_of=when + pd.Timedelta(days=365))
    if not ends:
        assert (later["covered"].to_numpy() >= direct["covered"].to_numpy()).all()
    assert np.isfinite(direct["share"].fillna(0).to_numpy()).all()


@SETTINGS
@given(
    seeds, st.sampled_from(["awards", "regrants", "all", "none"]), st.sampled_from(["xlsx", "csv"])
)
def test_every_money_shape_round_trips_and_gives_the_same_gaps(seed, money, form):
    """Awards to admin units, re-grants and no money at all read back exactly, and the
    metrics that weigh money (gaps, funding_reach) agree on the graph read back."""
    g = random_registry(seed, n_orgs=12, money=money)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("r.xlsx" if form == "xlsx" else "r")
        cg.write_registry(g, path)
        back = cg.read_registry(path, divisions=divisions_of(g))
    assert_same(back, g)
    pd.testing.assert_frame_equal(cg.gaps(back), cg.gaps(g))
    np.testing.assert_equal(cg.funding_reach(back), cg.funding_reach(g))
