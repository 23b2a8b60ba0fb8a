import pytest

import civicgraph as cg
from civicgraph.metrics.rules import urban_units


def test_default_rules_on_funded_city(funded):
    v = cg.check_rules(funded)
    assert list(v.columns) == ["rule", "node", "name", "message", "value", "threshold"]
    assert [
        tuple(r) for r in v[["rule", "node", "value", "threshold"]].itertuples(index=False)
    ] == [
        ("award_purchase_share", "990102001001", 0.4, 0.5),  # 40k of 100k
        # every street-level unit (街道, 镇, 乡) counts: S12 is a town of villages
        ("street_hub", "990101002", 0.0, 1.0),
        ("district_center", "990102", 0.0, 1.0),
    ]
    assert v["message"].tolist() == [
        "spent 40% of the 100,000-yuan award of program AW on purchase of services; "
        "at least 50% required",
        "town has 0 hub(s) of its own; at least 1 required",
        "district has 0 center(s) located in it; at least 1 required",
    ]
    assert v["name"].tolist() == ["u990102001001", "u990101002", "u990102"]
    zh = cg.check_rules(funded, lang="zh")
    assert zh["message"].tolist() == [
        "“program AW”奖补资金 100,000 元中用于购买服务的比例为 40%，应不低于 50%",
        "镇有 0 个本镇的枢纽型组织，应至少有 1 个",
        "区县内有 0 个培育中心，应至少有 1 个",
    ]
    assert zh.drop(columns="message").equals(v.drop(columns="message"))


def test_rule_messages_urban_street_in_both_languages(funded):
    rule = cg.Rule("s", "hub per urban street", "每个城市街道一家枢纽组织", "unit_has_org",
                   {"level": "street", "role": "hub", "urban_only": True, "min_count": 2})  # fmt: skip
    en, zh = (cg.check_rules(funded, [rule], lang=lang)["message"] for lang in ("en", "zh"))
    assert en.iloc[0].startswith("urban street has ") and en.iloc[0].endswith("at least 2 required")
    assert zh.iloc[0].startswith("城市街道乡镇内有 ") and zh.iloc[0].endswith(
        "个枢纽型组织，应至少有 2 个"
    )


def test_urban_streets(funded):
    urban = urban_units(funded)
    streets = ["990101001", "990101002", "990102001"]
    # by type, not by "has a resident committee": S11 is a street office (街道); S12 a
    # town of rural villages; S21 a town with an urban community is still a town (镇)
    assert urban[funded.positions(streets)].tolist() == [True, False, False]
    assert urban[funded.positions(["990101", "9901", "990102001001"])].tolist() == [
        True,  # 01: a city district (市辖区)
        True,  # the city has urban communities
        True,  # a resident committee
    ]


def test_rules_are_data_a_bureau_can_change(funded):
    rules = [
        cg.Rule(
            "award70",
            "70% on purchase of services",
            "70%用于购买服务",
            "award_purchase_share",
            {"min_share": 0.7},
        ),
        {
            "id": "every_street",
            "description": "a hub in every street",
            "description_zh": "每个街道乡镇都有枢纽型组织",
            "check": "unit_has_org",
            "params": {"level": "street", "role": "hub"},
        },
        cg.Rule(
            "town_hub_2018",
            "towns, as of 2018",
            "2018年各镇",
            "street_hub",
            {"street_types": ("镇",), "as_of": "2018-01-01"},
        ),
    ]
    v = cg.check_rules(funded, rules)
    assert [tuple(r) for r in v[["rule", "node", "value"]].itertuples(index=False)] == [
        ("award70", "990101001001", 0.6),
        ("award70", "990102001001", 0.4),
        ("every_street", "990101002", 0.0),
        ("town_hub_2018", "990101002", 0.0),
        ("town_hub_2018", "990102001", 0.0),  # H2 starts 2018-06-01
    ]
    assert v["message"].iloc[4] == "town has 0 hub(s) of its own; at least 1 required"


def test_no_violations_gives_an_empty_table(funded):
    offices = cg.Rule("offices", "street offices", "街道", "street_hub", {"street_types": ["街道"]})
    v = cg.check_rules(funded, [offices])
    assert v.empty and list(v.columns) == ["rule", "node", "name", "message", "value", "threshold"]
    assert cg.check_rules(funded, []).empty


def test_rule_errors_are_plain(funded):
    bad = cg.Rule("x", "x", "x", "unit_has_school", {})
    with pytest.raises(cg.SchemaError, match="unknown check 'unit_has_school'"):
        cg.check_rules(funded, [bad])
    bad = cg.Rule("y", "y", "y", "unit_has_org", {"lvl": "street"})
    with pytest.raises(cg.SchemaError, match="rule 'y': bad parameters for 'unit_has_org'"):
        cg.check_rules(funded, [bad])
    bad = cg.Rule("z", "z", "z", "unit_has_org", {"level": "county"})
    with pytest.raises(cg.SchemaError, match="unknown admin level 'county'"):
        cg.check_rules(funded, [bad])
