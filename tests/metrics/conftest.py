"""Hand-built graphs for the metric tests: two districts, random registries, a funded city."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import civicgraph as cg


@pytest.fixture
def two_districts() -> cg.CivicGraph:
    """Two districts with serves edges, dated hubs, members, awards and re-granting.

    ::

        9902 (city)
        ├── A 990201: A1 990201001 (a11 U, a12 U, a13 U), A2 990201002 (a21 U, a22 R)
        └── B 990202: B1 990202001 (b11 U, b12 R), B2 990202002 (b21 U)

    HA located in a11, serves A1 (covers a11 a12 a13); HB located in street B2
    (2018-01-01 to 2021-01-01); HC located in a21 (from 2020-06-01). Members MA (a12,
    member of HA), MB1 and MB2 (b11), MR (a22). Centers KC (city), KD (district A);
    agency AG. Money: P1 (venture philanthropy) funds MB1 20,000 and HA 30,000; GOV
    funds MR 8,000 for P1; P2 (demonstration award) awards b11 100,000; b11 spends
    60,000 on MB2 (award spending) and HA regrants 5,000 to MA: both are flows.
    """
    admin = {
        "9902": "city",
        "990201": "district",
        "990202": "district",
        "990201001": "street",
        "990201002": "street",
        "990202001": "street",
        "990202002": "street",
    }
    comms = {
        "990201001001": True,
        "990201001002": True,
        "990201001003": True,
        "990201002001": True,
        "990201002202": False,
        "990202001001": True,
        "990202001201": False,
        "990202002001": True,
    }
    rows = [{"id": i, "kind": "admin", "level": lv, "name": f"unit {i}"} for i, lv in admin.items()]
    rows += [
        {"id": i, "kind": "admin", "level": "community", "urban": u, "name": f"comm {i}"}
        for i, u in comms.items()
    ]
    orgs = [
        ("HA", "hub", None, None),
        ("HB", "hub", "2018-01-01", "2021-01-01"),
        ("HC", "hub", "2020-06-01", None),
        ("MA", "member", None, None),
        ("MB1", "member", None, None),
        ("MB2", "member", None, None),
        ("MR", "member", None, None),
        ("KC", "center", None, None),
        ("KD", "center", None, None),
        ("AG", "agency", None, None),
        ("GOV", "government", None, None),
    ]
    rows += [
        {"id": i, "kind": "org", "role": r, "name": f"org {i}", "start": s, "end": e}
        for i, r, s, e in orgs
    ]
    rows += [
        {
            "id": "P1",
            "kind": "program",
            "name": "venture round",
            "program_type": "venture_philanthropy",
        },
        {
            "id": "P2",
            "kind": "program",
            "name": "demo awards",
            "program_type": "demonstration_award",
        },
    ]
    parent = {**{i: i[:-3] for i in admin if len(i) == 9}, "990201": "9902", "990202": "9902"}
    parent.update({i: i[:9] for i in comms})
    e = [{"source": p, "target": c, "kind": "contains"} for c, p in parent.items()]
    located = {
        "HA": "990201001001",
        "HB": "990202002",
        "HC": "990201002001",
        "MA": "990201001002",
        "MB1": "990202001001",
        "MB2": "990202001001",
        "MR": "990201002202",
        "KC": "9902",
        "KD": "990201",
        "GOV": "9902",
    }
    e += [{"source": o, "target": u, "kind": "located_in"} for o, u in located.items()]
    e += [
        {"source": "HA", "target": "990201001", "kind": "serves"},
        {"source": "MA", "target": "HA", "kind": "member_of"},
        {
            "source": "P1",
            "target": "MB1",
            "kind": "funds",
            "amount": 20000.0,
            "start": "2019-03-01",
        },
        {"source": "P1", "target": "HA", "kind": "funds", "amount": 30000.0, "start": "2017-05-01"},
        {"source": "GOV", "target": "MR", "kind": "funds", "amount": 8000.0, "program": "P1"},
        {"source": "P2", "target": "990202001001", "kind": "awards", "amount": 100000.0},
        {
            "source": "990202001001",
            "target": "MB2",
            "kind": "funds",
            "amount": 60000.0,
            "program": "P2",
            "purpose": "purchase_of_services",
        },
        {"source": "HA", "target": "MA", "kind": "funds", "amount": 5000.0, "program": "P1"},
    ]
    return cg.CivicGraph.from_frames(pd.DataFrame(rows), pd.DataFrame(e))


def _date(rng: np.random.Generator, p: float) -> str | None:
    """A random date in 2015-2024 with probability ``p``, else None."""
    if rng.random() >= p:
        return None
    return str(np.datetime64("2015-01-01") + int(rng.integers(0, 3650)))


def random_registry(seed: int, *, n_hubs: int = 40, n_members: int = 60) -> cg.CivicGraph:
    """A random city of a few hundred nodes: dated hubs (some with dated serves edges),
    members, centers, programs and money. Same seed, same graph."""
    rng = np.random.default_rng(seed)
    rows, edges = [{"id": "9903", "kind": "admin", "level": "city", "name": "city"}], []
    admin = ["9903"]
    comms = []
    for d in range(1, int(rng.integers(2, 6)) + 1):
        did = f"9903{d:02d}"
        rows.append({"id": did, "kind": "admin", "level": "district", "name": f"d{did}"})
        edges.append({"source": "9903", "target": did, "kind": "contains"})
        admin.append(did)
        for s in range(1, int(rng.integers(1, 8)) + 1):
            sid = f"{did}{s:03d}"
            rows.append({"id": sid, "kind": "admin", "level": "street", "name": f"s{sid}"})
            edges.append({"source": did, "target": sid, "kind": "contains"})
            admin.append(sid)
            for c in range(int(rng.integers(0, 12))):  # some streets have no community
                urban = bool(rng.random() < 0.6)
                cid = f"{sid}{(1 + c) if urban else (201 + c):03d}"
                rows.append(
                    {"id": cid, "kind": "admin", "level": "community", "urban": urban, "name": cid}
                )
                edges.append({"source": sid, "target": cid, "kind": "contains"})
                admin.append(cid)
                comms.append(cid)
    admin_arr = np.asarray(admin)
    streets_and_comms = np.asarray([a for a in admin if len(a) >= 9])

    def org(oid: str, role: str) -> None:
        rows.append(
            {
                "id": oid,
                "kind": "org",
                "role": role,
                "name": oid,
                "start": _date(rng, 0.3),
                "end": _date(rng, 0.1),
            }
        )
        r = rows[-1]
        if r["start"] and r["end"] and r["end"] < r["start"]:
            r["start"], r["end"] = r["end"], r["start"]

    for i in range(n_hubs):
        hid = f"H{i:03d}"
        org(hid, "hub")
        where = streets_and_comms if rng.random() < 0.9 else admin_arr
        edges.append(
            {
                "source": hid,
                "target": str(rng.choice(where)),
                "kind": "located_in",
                "start": _date(rng, 0.1),
            }
        )
        if rng.random() < 0.25:
            for _ in range(int(rng.integers(1, 4))):
                edges.append(
                    {
                        "source": hid,
                        "target": str(rng.choice(admin_arr)),
                        "kind": "serves",
                        "start": _date(rng, 0.3),
                    }
                )
    for i in range(n_members):
        mid = f"M{i:03d}"
        org(mid, "member")
        if rng.random() < 0.8:
            where = str(rng.choice(streets_and_comms))
            edges.append({"source": mid, "target": where, "kind": "located_in"})
            if rng.random() < 0.3:  # moved: the first tie ends, a second one starts then
                moved = _date(rng, 1.0)
                edges[-1]["end"] = moved
                where = str(rng.choice(streets_and_comms))
                edges.append({"source": mid, "target": where, "kind": "located_in", "start": moved})
    rows.append(
        {"id": "P", "kind": "program", "name": "round", "program_type": "venture_philanthropy"}
    )
    rows.append({"id": "GOV", "kind": "org", "role": "government", "name": "bureau"})
    org_ids = [r["id"] for r in rows if r["kind"] == "org" and r["id"] != "GOV"]
    for _ in range(40):
        src = "P" if rng.random() < 0.7 else "GOV"
        edges.append(
            {
                "source": src,
                "target": str(rng.choice(org_ids)),
                "kind": "funds",
                "amount": float(rng.integers(1, 100) * 1000),
                "start": _date(rng, 0.8),
            }
        )
    for _ in range(10):
        edges.append(
            {
                "source": "P",
                "target": str(rng.choice(comms)),
                "kind": "awards",
                "amount": float(rng.integers(1, 100) * 1000),
                "start": _date(rng, 0.8),
            }
        )
    for _ in range(10):  # flows: must never count as new money
        edges.append(
            {
                "source": str(rng.choice(comms)),
                "target": str(rng.choice(org_ids)),
                "kind": "funds",
                "amount": 1e6,
            }
        )
    # a serves edge that ends before it starts would be invalid: drop such dates
    nodes = pd.DataFrame(rows)
    return cg.CivicGraph.from_frames(nodes, pd.DataFrame(edges))


@pytest.fixture
def random_graph():
    """Factory: ``random_graph(seed)`` -> a random registry (see :func:`random_registry`)."""
    return random_registry


class NxReference:
    """The coverage definitions spelled out plainly on networkx (the tests' reference).

    ``tree``: DiGraph of ``contains``; ``loc``: org -> the admin unit of its first active
    ``located_in`` edge (active orgs only); ``scope``: hub -> units it covers;
    ``covered``: the covered communities.
    """

    def __init__(self, g: cg.CivicGraph, as_of=None):
        ts = None if as_of is None else pd.Timestamp(as_of)
        nodes = g.nodes
        edges = g.edges

        def active(start, end) -> bool:
            if ts is None:
                return True
            return (pd.isna(start) or start <= ts) and (pd.isna(end) or end > ts)

        self.nodes = nodes
        admin = nodes[nodes["kind"] == "admin"]
        self.level = admin["level"].astype(str).to_dict()
        self.urban = admin["urban"].fillna(False).astype(bool).to_dict()
        self.tree = nx.DiGraph()
        self.tree.add_nodes_from(admin.index)
        con = edges[edges["kind"] == "contains"]
        self.tree.add_edges_from(zip(con["source"], con["target"]))
        self.comms = {u for u, lv in self.level.items() if lv == "community"}
        self.active_node = {
            i: active(r.start, r.end) for i, r in zip(nodes.index, nodes.itertuples())
        }
        self.role = nodes["role"].astype(object).to_dict()
        self.loc: dict[str, str] = {}
        serves: dict[str, list[str]] = {}
        for r in edges.itertuples():
            if not active(r.start, r.end) or not self.active_node[r.source]:
                continue
            if r.kind == "located_in" and r.source not in self.loc:
                self.loc[r.source] = r.target
            if r.kind == "serves":
                serves.setdefault(r.source, []).append(r.target)
        self.hubs = sorted(h for h in self.loc if self.role[h] == "hub")
        self.scope = {
            h: serves.get(h, [self.loc[h]] if h in self.loc else [])
            for h in nodes.index
            if self.role[h] == "hub" and self.active_node[h]
        }
        self.covered = set()
        for units in self.scope.values():
            for u in units:
                self.covered |= self.communities(u)
        self.edges = edges
        self.ts = ts
        self.active = active

    def under(self, u: str) -> set[str]:
        return {u} | nx.descendants(self.tree, u)

    def communities(self, u: str, urban_only: bool = False) -> set[str]:
        return {c for c in self.under(u) & self.comms if self.urban[c] or not urban_only}

    def units(self, level: str) -> list[str]:
        return sorted(u for u, lv in self.level.items() if lv == level)

    def located_under(self, u: str, role: str) -> int:
        below = self.under(u)
        return sum(1 for o, x in self.loc.items() if self.role[o] == role and x in below)

    def own_hubs(self, street: str) -> int:
        return sum(
            1 for h in self.hubs if self.loc[h] == street or self.tree.has_edge(street, self.loc[h])
        )


@pytest.fixture
def nx_reference():
    """``nx_reference(g, as_of=None)`` -> :class:`NxReference`."""
    return NxReference


@pytest.fixture
def funded() -> cg.CivicGraph:
    """City 9901 with two districts, centers, hubs, members and five programs.

    ::

        9901 city            KC city center (operated by OPC), GOV bureau
        ├── 990101 D1        KD1 district center, A1 agency
        │   ├── 990101001 S11 street_office: c111 urban (M1), c112 urban (M2); hub H1 in S11
        │   └── 990101002 S12 town:          c121 rural (M4)
        └── 990102 D2        no center
            └── 990102001 S21 town:          c211 urban (hub H2 from 2018-06-01, M3),
                                             c212 rural

    Ties: KC incubates H1 (2015) and A1 (2016); KD1 incubates M4 (2018); H1 incubates M2;
    M1 member of H1; M3 member of H2.

    Money (yuan; new money 790,000):
    - GOV -> CR (cradle, city, 2015) 300,000; CR -> H1 200,000, CR -> H2 100,000 (regrants)
    - VP (venture philanthropy, city, 2017): M1 50,000, A1 80,000, H1 20,000
    - VD (venture philanthropy, district D1, 2018): M4 30,000, M2 10,000
    - AW (demonstration award, city, 2018): c111 200,000, c211 100,000; spending: c111 ->
      A1 120,000 purchase_of_services, c111 -> M1 30,000 other; c211 -> M3 40,000
      purchase_of_services, c211 -> M3 10,000 other
    - MV (micro venture philanthropy, 2019): H1 -> M1 5,000, H1 -> M2 5,000 (regrants)
    """
    admin = [
        ("9901", "city", None, None),
        ("990101", "district", None, None),
        ("990102", "district", None, None),
        ("990101001", "street", None, "street_office"),
        ("990101002", "street", None, "town"),
        ("990102001", "street", None, "town"),
        ("990101001001", "community", True, None),
        ("990101001002", "community", True, None),
        ("990101002201", "community", False, None),
        ("990102001001", "community", True, None),
        ("990102001201", "community", False, None),
    ]
    nodes = [
        {"id": i, "kind": "admin", "level": lv, "urban": u, "street_kind": sk, "name": f"u{i}"}
        for i, lv, u, sk in admin
    ]

    def org(i, role, start=None):
        return {"id": i, "kind": "org", "role": role, "name": f"org {i}", "start": start}

    nodes += [
        org("KC", "center", "2014-01-01"),
        org("OPC", "operator"),
        org("GOV", "government"),
        org("KD1", "center", "2017-01-01"),
        org("A1", "agency", "2016-01-01"),
        org("H1", "hub", "2015-03-01"),
        org("H2", "hub", "2018-06-01"),
        org("M1", "member", "2016-01-01"),
        org("M2", "member", "2017-01-01"),
        org("M3", "member", "2018-07-01"),
        org("M4", "member", "2018-01-01"),
    ]

    def program(i, ptype, level, year, funder=None):
        return {
            "id": i,
            "kind": "program",
            "name": f"program {i}",
            "program_type": ptype,
            "funder_level": level,
            "year": year,
            "funder": funder,
        }

    nodes += [
        program("CR", "cradle", "city", 2015, "9901"),
        program("VP", "venture_philanthropy", "city", 2017, "9901"),
        program("VD", "venture_philanthropy", "district", 2018, "990101"),
        program("AW", "demonstration_award", "city", 2018, "9901"),
        program("MV", "micro_venture_philanthropy", None, 2019),
    ]
    contains = [(i[: {6: 4, 9: 6, 12: 9}[len(i)]], i) for i, *_ in admin if len(i) > 4]
    e = [{"source": s, "target": t, "kind": "contains"} for s, t in contains]

    def tie(s, t, kind, start=None, **kw):
        e.append({"source": s, "target": t, "kind": kind, "start": start, **kw})

    for s, t in [
        ("KC", "9901"),
        ("GOV", "9901"),
        ("KD1", "990101"),
        ("A1", "990101"),
        ("H1", "990101001"),
        ("H2", "990102001001"),
        ("M1", "990101001001"),
        ("M2", "990101001002"),
        ("M3", "990102001001"),
        ("M4", "990101002201"),
    ]:
        tie(s, t, "located_in")
    tie("OPC", "KC", "operates", "2014-01-01")
    tie("KC", "H1", "incubates", "2015-03-01")
    tie("KC", "A1", "incubates", "2016-01-01")
    tie("KD1", "M4", "incubates", "2018-01-01")
    tie("H1", "M2", "incubates", "2017-01-01")
    tie("M1", "H1", "member_of", "2016-01-01")
    tie("M3", "H2", "member_of", "2018-07-01")
    tie("GOV", "CR", "funds", "2015-03-01", amount=300000.0)
    tie("CR", "H1", "funds", "2015-06-01", amount=200000.0)
    tie("CR", "H2", "funds", "2015-07-01", amount=100000.0)
    tie("VP", "M1", "funds", "2017-05-01", amount=50000.0)
    tie("VP", "A1", "funds", "2017-05-01", amount=80000.0)
    tie("VP", "H1", "funds", "2017-06-01", amount=20000.0)
    tie("VD", "M4", "funds", "2018-04-01", amount=30000.0)
    tie("VD", "M2", "funds", "2018-04-01", amount=10000.0)
    tie("AW", "990101001001", "awards", "2018-09-01", amount=200000.0)
    tie("AW", "990102001001", "awards", "2018-09-01", amount=100000.0)
    for s, t, amt, purpose in [
        ("990101001001", "A1", 120000.0, "purchase_of_services"),
        ("990101001001", "M1", 30000.0, "other"),
        ("990102001001", "M3", 40000.0, "purchase_of_services"),
        ("990102001001", "M3", 10000.0, "other"),
    ]:
        tie(s, t, "funds", "2018-10-01", amount=amt, purpose=purpose, program="AW")
    tie("H1", "M1", "funds", "2019-03-01", amount=5000.0, program="MV")
    tie("H1", "M2", "funds", "2019-03-01", amount=5000.0, program="MV")
    return cg.CivicGraph.from_frames(pd.DataFrame(nodes), pd.DataFrame(e))
