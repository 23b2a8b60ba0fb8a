"""A hand-built funded city for the funding, rules, trend and platform tests."""

from __future__ import annotations

import pandas as pd
import pytest

import civicgraph as cg


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
