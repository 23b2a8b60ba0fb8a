"""Registration status (登记 / 备案) read from a registry, and ``urban`` checked against
community codes (issue 13, items 1 and 4)."""

from __future__ import annotations

import pandas as pd
import pytest

import civicgraph as cg
from civicgraph.datasets import wuhu_divisions_path
from civicgraph.io.registry.status import urban_problems


@pytest.fixture(scope="module")
def wuhu_admin() -> cg.CivicGraph:
    return cg.read_divisions(wuhu_divisions_path(), within="3402")


def _registry(folder, rows: list[str]) -> None:
    text = "编号,组织名称,组织类型,所在区划代码,统一社会信用代码,登记或备案\n" + "\n".join(rows)
    (folder / "organizations.csv").write_text(text + "\n", encoding="utf-8")


def test_registration_column(tmp_path, wuhu_admin):
    _registry(
        tmp_path,
        [
            "h1,甲联合会,hub,340209001010,,登记",
            "h2,乙联合会,hub,340209001010,,已备案",
            "h3,丙联合会,hub,340209001010,52340200MJB123456H,",
            "m1,丁志愿队,member,340209001010,,",
        ],
    )
    g = cg.read_registry(tmp_path, divisions=wuhu_admin)
    status = g.nodes.loc[["h1", "h2", "h3", "m1"], "registration"]
    assert status.astype(object).where(status.notna(), None).tolist() == [
        "registered",
        "filed",
        None,  # not given: the credit code (5: civil affairs) decides in the metrics
        None,
    ]
    t = {(r.section, r.item): r.value for r in cg.summary(g).itertuples()}
    assert t[("organizations", "registered organizations")] == 2  # h1, and h3 by its code
    assert t[("organizations", "filed organizations")] == 1
    target = cg.street_target(g, registered_only=True)
    assert target.at["340209001", "hubs"] == 2  # h1 and h3, not the filed h2


def test_unknown_registration_is_a_problem(tmp_path, wuhu_admin):
    _registry(tmp_path, ["h1,甲联合会,hub,340209001010,,待定"])
    problems = cg.validate(tmp_path, divisions=wuhu_admin)
    row = problems[problems["code"] == "unknown_registration"].iloc[0]
    assert (row["row"], row["column"], row["value"]) == (2, "登记或备案", "待定")


def test_urban_contradicting_the_code_is_reported(tmp_path):
    nodes = pd.DataFrame(
        {
            "id": ["990101001", "990101001001", "990101001201", "990101001002"],
            "kind": "admin",
            "level": ["street", "community", "community", "community"],
            "urban": [None, False, True, None],  # both given values contradict the code
        }
    )
    edges = pd.DataFrame({"source": "990101001", "target": nodes["id"][1:], "kind": "contains"})
    admin = cg.CivicGraph.from_frames(nodes, edges)
    found = urban_problems(admin._nodes)
    assert [(p.code, p.value) for p in found] == [
        ("urban_contradicts_code", False),
        ("urban_contradicts_code", True),
    ]
    assert "990101001001 is given urban=False" in found[0].message
    _registry(tmp_path, ["h1,甲联合会,hub,990101001002,,"])
    problems = cg.validate(tmp_path, divisions=admin)
    assert (problems["code"] == "urban_contradicts_code").sum() == 2
    # the given value stands where given; the blank one comes from its code
    assert admin.urban[admin.positions(nodes["id"][1:])].tolist() == [False, True, True]
