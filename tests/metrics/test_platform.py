import pandas as pd

import civicgraph as cg


def test_platform_per_district(funded):
    p = cg.platform(funded)
    assert list(p.index) == ["990101", "990102"]
    assert list(p.columns) == [
        "name",
        "city",
        "city_centers",
        "district_centers",
        "hubs",
        "levels",
        "complete",
        "city_incubated",
        "district_incubated",
        "hub_incubated",
    ]
    assert p["city"].tolist() == ["9901", "9901"]
    assert p["city_centers"].tolist() == [1, 1]
    assert p["district_centers"].tolist() == [1, 0]
    assert p["hubs"].tolist() == [1, 1]
    assert p["levels"].tolist() == [3, 2]
    assert p["complete"].tolist() == [True, False]
    # KC incubates H1 and A1 (both in D1); KD1 incubates M4; H1 has M1, M2; H2 has M3
    assert p["city_incubated"].tolist() == [2, 0]
    assert p["district_incubated"].tolist() == [1, 0]
    assert p["hub_incubated"].tolist() == [2, 1]


def test_platform_as_of(funded):
    p = cg.platform(funded, as_of="2016-12-31")  # before KD1, H2, M2
    assert p["levels"].tolist() == [2, 1]
    assert p["hub_incubated"].tolist() == [1, 0]
    assert p["district_incubated"].tolist() == [0, 0]


def test_chains(funded):
    c = cg.platform_chains(funded)
    c = c.astype(object).where(c.notna(), None)
    assert [tuple(r) for r in c.itertuples(index=False)] == [
        ("990101", "KC", "city", "H1", "M1"),
        ("990101", "KC", "city", "H1", "M2"),
        ("990102", None, None, "H2", "M3"),
    ]


def test_unlocated_incubatee_belongs_to_its_incubators_district(funded):
    nodes, edges = funded.to_frames()
    extra_nodes = pd.DataFrame([{"id": "M9", "kind": "org", "role": "member"}])
    extra = pd.DataFrame([{"source": "M9", "target": "H2", "kind": "member_of"}])
    g = cg.CivicGraph.from_frames(
        pd.concat([nodes, extra_nodes], ignore_index=True),
        pd.concat([edges, extra], ignore_index=True),
    )
    assert cg.platform(g)["hub_incubated"].tolist() == [2, 2]
    assert cg.platform_chains(g)["member"].tolist() == ["M1", "M2", "M3", "M9"]
