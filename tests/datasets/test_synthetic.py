"""cg.datasets.synthetic(): determinism, sizes, validity, conventions."""

from __future__ import annotations

import numpy as np
import pytest

import civicgraph as cg
from civicgraph.schema import EDGE_RULES, PROGRAM_TYPES


@pytest.fixture(scope="module")
def small() -> cg.CivicGraph:
    return cg.datasets.synthetic(3000, seed=7)


def test_deterministic_by_seed(small):
    again = cg.datasets.synthetic(3000, seed=7)
    assert again == small
    other = cg.datasets.synthetic(3000, seed=8)
    assert other != small


def test_whole_cities_and_sizes(small):
    tree = small.tree
    cities = np.flatnonzero(small.mask(level="city"))
    sizes = tree.comm_hi[cities] - tree.comm_lo[cities]
    assert tree.n_communities == sizes.sum() >= 3000
    assert sizes[:-1].sum() < 3000  # the last city was needed
    orgs = int(small.mask(kind="org").sum())
    assert orgs == round(1.6 * tree.n_communities)
    # every generated code is valid: its parent is its prefix
    n = small.nodes
    c = small.edges.query("kind == 'contains'")
    assert (c["target"].str[:1] == c["source"].str[:1]).all()
    assert c.apply(lambda r: r["target"].startswith(r["source"]), axis=1).all()
    comm = n[n["level"] == "community"]
    suffix = comm.index.str[-3:].astype(int)
    assert ((suffix <= 199) == comm["urban"].to_numpy(dtype=bool)).all()


def test_valid_and_conventions(small):
    assert small._problems() == []
    n, e = small.nodes, small.edges
    kind = e["source"].map(n["kind"]), e["target"].map(n["kind"])
    for k, (src, dst) in EDGE_RULES.items():
        m = e["kind"] == k
        assert kind[0][m].isin(src).all() and kind[1][m].isin(dst).all()
    role = e["source"].map(n["role"]), e["target"].map(n["role"])
    member_of = e["kind"] == "member_of"
    assert (role[0][member_of] == "member").all() and (role[1][member_of] == "hub").all()
    ops = e["kind"] == "operates"
    assert (role[1][ops] == "center").all()
    assert (role[1][e["kind"] == "incubates"] != "center").all()
    # every center is located in a city or district, with that level
    loc = e[e["kind"] == "located_in"].set_index("source")["target"]
    centers = n[n["role"] == "center"]
    assert (n.loc[loc[centers.index], "level"].to_numpy() == centers["level"].to_numpy()).all()
    progs = n[n["kind"] == "program"]
    assert progs["program_type"].isin(PROGRAM_TYPES).all() and progs["year"].notna().all()
    assert progs["funder"].map(n["role"]).eq("government").all()
    funds = e[e["kind"] == "funds"]
    assert funds["program"].notna().all() and (funds["amount"] > 0).all()
    regrant = funds[funds["source"].map(n["role"]) == "hub"]
    assert (regrant["program"].map(n["program_type"]) == "micro_venture_philanthropy").all()
    spend = funds[funds["source"].map(n["kind"]) == "admin"]
    assert spend["purpose"].isin(["purchase_of_services", "other"]).all()
    # grants go to organizations already started
    assert (funds["start"] >= funds["target"].map(n["start"]).fillna(funds["start"])).all()
    assert n.loc[n["kind"] != "admin", "synthetic"].all()


@pytest.mark.national
def test_real_divisions_one_percent(national):
    g = cg.datasets.synthetic(6_200, divisions=national, seed=0)
    assert g.tree.n_communities >= 6_200
    assert g.counts()["admin"]["province"] == 1  # Beijing's first cities only
    assert g.nodes.loc[g.ids[g.mask(level="community")][:1], "name"].notna().all()
    assert not g.nodes.loc[g.mask(kind="admin"), "synthetic"].any()
    assert g._problems() == []


def test_bad_years():
    with pytest.raises(cg.SchemaError, match="first <= last"):
        cg.datasets.synthetic(100, years=(2020, 2015))
