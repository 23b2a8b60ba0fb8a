"""Shared fixtures: the real national division files, small hand-built graphs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import civicgraph as cg
from tests._paths import divisions_or_fail


@pytest.fixture(scope="session")
def divisions_path() -> Path:
    return divisions_or_fail()


@pytest.fixture(scope="session")
def national(divisions_path) -> cg.CivicGraph:
    return cg.read_divisions(divisions_path)


@pytest.fixture
def toy() -> cg.CivicGraph:
    """Two districts, three streets, six communities, two hubs, a center, a program.

    ::

        C (city 9901)
        ├── D1 (990101): S11 (990101001: c111 urban, c112 urban), S12 (990101002: c121 rural)
        └── D2 (990102): S21 (990102001: c211 urban, c212 urban, c213 rural)

    hub H1 located in S11 (covers c111, c112), hub H2 located in c211; center K in C
    incubates H1; members M1 (member_of H1), M2 (member_of H2); program P funds H1 10,000.
    """
    admin = [
        ("9901", "city", None),
        ("990101", "district", None),
        ("990102", "district", None),
        ("990101001", "street", None),
        ("990101002", "street", None),
        ("990102001", "street", None),
        ("990101001001", "community", True),
        ("990101001002", "community", True),
        ("990101002201", "community", False),
        ("990102001001", "community", True),
        ("990102001002", "community", True),
        ("990102001201", "community", False),
    ]
    nodes = pd.DataFrame(
        [
            {"id": i, "kind": "admin", "level": lv, "urban": u, "name": f"unit {i}"}
            for i, lv, u in admin
        ]
        + [
            {"id": "H1", "kind": "org", "role": "hub", "name": "hub one", "start": "2016-01-01"},
            {"id": "H2", "kind": "org", "role": "hub", "name": "hub two", "start": "2019-01-01"},
            {"id": "K", "kind": "org", "role": "center", "name": "city center"},
            {"id": "M1", "kind": "org", "role": "member", "name": "member one"},
            {"id": "M2", "kind": "org", "role": "member", "name": "member two"},
            {"id": "P", "kind": "program", "name": "round 1"},
        ]
    )
    contains = [(i[: {6: 4, 9: 6, 12: 9}[len(i)]], i) for i, _, _ in admin if len(i) > 4]
    edges = pd.DataFrame(
        [{"source": s, "target": t, "kind": "contains"} for s, t in contains]
        + [
            {"source": "H1", "target": "990101001", "kind": "located_in"},
            {"source": "H2", "target": "990102001001", "kind": "located_in"},
            {"source": "K", "target": "9901", "kind": "located_in"},
            {"source": "K", "target": "H1", "kind": "incubates", "start": "2016-03-01"},
            {"source": "M1", "target": "H1", "kind": "member_of"},
            {"source": "M2", "target": "H2", "kind": "member_of"},
            {
                "source": "P",
                "target": "H1",
                "kind": "funds",
                "amount": 10000.0,
                "start": "2017-05-01",
            },
        ]
    )
    return cg.CivicGraph.from_frames(nodes, edges)
