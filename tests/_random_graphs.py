"""Random valid registries for property and agreement tests (seeded, small)."""

from __future__ import annotations

import numpy as np
import pandas as pd

import civicgraph as cg
from civicgraph.schema import ORG_ROLES


def random_registry(
    seed: int,
    *,
    n_districts: int = 3,
    max_streets: int = 3,
    max_communities: int = 4,
    n_orgs: int = 30,
    money: str = "funds",
) -> cg.CivicGraph:
    """A city with random districts, streets, communities, orgs, ties and grants.

    ``money`` is the kind of money it holds: ``"funds"`` (a program's grants to
    organizations, the default), ``"awards"`` (a program's awards to admin units only),
    ``"regrants"`` (a program's grants to hubs, re-granted to members, and a
    community's purchase of services out of an award), ``"all"`` (every kind) or
    ``"none"``. The default draws the same graph for a seed as before the option.
    """
    if money not in ("funds", "awards", "regrants", "all", "none"):
        raise ValueError(money)
    rng = np.random.default_rng(seed)
    rows = [{"id": "9901", "kind": "admin", "level": "city", "name": "city"}]
    edges = []
    communities, units = [], ["9901"]
    for d in range(1, n_districts + 1):
        did = f"9901{d:02d}"
        rows.append({"id": did, "kind": "admin", "level": "district", "name": f"d{d}"})
        edges.append(("9901", did, "contains"))
        units.append(did)
        for s in range(1, int(rng.integers(1, max_streets + 1)) + 1):
            sid = f"{did}{s:03d}"
            rows.append({"id": sid, "kind": "admin", "level": "street", "name": f"s{sid}"})
            edges.append((did, sid, "contains"))
            units.append(sid)
            for c in range(int(rng.integers(0, max_communities + 1))):
                urban = bool(rng.random() < 0.6)
                cid = f"{sid}{(c + 1) if urban else 200 + c:03d}"
                rows.append(
                    {
                        "id": cid,
                        "kind": "admin",
                        "level": "community",
                        "urban": urban,
                        "name": f"c{cid}",
                    }
                )
                edges.append((sid, cid, "contains"))
                communities.append(cid)
                units.append(cid)
    years = pd.to_datetime([f"{y}-01-01" for y in range(2014, 2021)])
    orgs = []
    for i in range(n_orgs):
        role = str(rng.choice(["hub", "hub", "member", "member", "center", "agency"]))
        start = years[int(rng.integers(0, len(years)))] if rng.random() < 0.7 else pd.NaT
        end = (
            start + pd.Timedelta(days=int(rng.integers(200, 2000)))
            if (pd.notna(start) and rng.random() < 0.2)
            else pd.NaT
        )
        oid = f"o{i}"
        orgs.append(oid)
        rows.append(
            {"id": oid, "kind": "org", "role": role, "name": f"org {i}", "start": start, "end": end}
        )
        edges.append((oid, units[int(rng.integers(0, len(units)))], "located_in"))
        if role == "hub" and rng.random() < 0.3:
            edges.append((oid, units[int(rng.integers(0, len(units)))], "serves"))
    rows.append({"id": "p0", "kind": "program", "name": "round"})
    # incubation only from lower to higher index: acyclic by construction
    for _ in range(n_orgs):
        a, b = sorted(rng.choice(n_orgs, size=2, replace=False))
        edges.append((orgs[a], orgs[b], str(rng.choice(["incubates", "member_of"]))))
    edge_rows = [{"source": s, "target": t, "kind": k} for s, t, k in edges]
    for _ in range(5 if money in ("funds", "all") else 0):
        edge_rows.append(
            {
                "source": "p0",
                "target": orgs[int(rng.integers(0, n_orgs))],
                "kind": "funds",
                "amount": float(rng.integers(1, 100)) * 1000,
                "start": years[int(rng.integers(0, len(years)))],
            }
        )
    if money in ("awards", "regrants", "all"):
        rows.append({"id": "p-award", "kind": "program", "name": "award"})
        awarded = [units[int(i)] for i in rng.integers(0, len(units), size=3)]
        for unit in awarded:
            edge_rows.append(
                {
                    "source": "p-award",
                    "target": unit,
                    "kind": "awards",
                    "amount": 300000.0,
                    "start": years[-1],
                }
            )
    if money in ("regrants", "all"):
        rows.append({"id": "p-mvp", "kind": "program", "name": "micro"})
        hubs = [r["id"] for r in rows if r.get("role") == "hub"]
        members = [r["id"] for r in rows if r.get("role") == "member"]
        for hub in hubs[:3]:
            edge_rows.append(
                {"source": "p-mvp", "target": hub, "kind": "funds", "amount": 50000.0,
                 "start": years[-2]}
            )  # fmt: skip
            for m in members[:2]:
                edge_rows.append(
                    {"source": hub, "target": m, "kind": "funds", "amount": 10000.0,
                     "program": "p-mvp", "start": years[-1]}
                )  # fmt: skip
        if members:  # the community buys services with its award
            edge_rows.append(
                {"source": awarded[0], "target": members[-1], "kind": "funds",
                 "amount": 20000.0, "program": "p-award", "start": years[-1]}
            )  # fmt: skip
    assert set(ORG_ROLES) >= {r.get("role") for r in rows if r.get("role")}
    return cg.CivicGraph.from_frames(pd.DataFrame(rows), pd.DataFrame(edge_rows))
