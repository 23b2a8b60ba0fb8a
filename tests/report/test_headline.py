"""The report's headline figures, cards and findings on the hand-made toy graph.

The toy (tests/conftest.py): urban communities c111, c112 (street S11), c211, c212 (S21);
hub H1 located in S11 since 2016 covers c111 and c112; hub H2 located in c211 since
2019-01-01 covers c211; program P funds H1 10,000 yuan on 2017-05-01. The street target
counts every street-level unit: S11, S12 and S21 (S12 has only a village).
"""

from __future__ import annotations

import pandas as pd
import pytest
from markupsafe import escape

import civicgraph as cg
from civicgraph.catalog import translator
from civicgraph.report._headline import (
    COVERAGE_READINGS,
    cards,
    findings,
    headline_figures,
)


def test_figures_now_and_a_year_before(toy):
    head = headline_figures(toy)
    assert (head["year"], head["previous_year"]) == (2019, 2018)  # H2's start is the latest
    f = head["figures"]
    assert list(f) == [key for key, _ in COVERAGE_READINGS] + [
        "street_target", "hubs", "centers", "organizations", "money_year", "money_total",
    ]  # fmt: skip
    # 3 of 4 urban communities now; H2 did not exist at the end of 2018: 2 of 4
    assert f["coverage_scope"] == {
        "kind": "share", "value": 0.75, "covered": 3, "of": 4, "previous": 0.5,
    }  # fmt: skip
    assert f["street_target"] == {
        "kind": "share", "value": 2 / 3, "covered": 2, "of": 3, "previous": 1 / 3,
    }  # fmt: skip
    assert (f["hubs"]["value"], f["hubs"]["previous"]) == (2, 1)
    assert (f["centers"]["value"], f["centers"]["previous"]) == (1, 1)
    assert (f["organizations"]["value"], f["organizations"]["previous"]) == (5, 4)
    assert (f["money_year"]["value"], f["money_year"]["previous"]) == (0.0, 0.0)
    assert (f["money_total"]["value"], f["money_total"]["previous"]) == (10000.0, 10000.0)
    # D2 has c211 covered, c212 not; D1 is fully covered and is no finding
    assert head["lowest"] == [("unit 990102", 0.5)]
    # S12 still lacks a hub, but a hub there reaches no urban community
    assert head["placement"] == {"streets": 1, "hubs": 0, "start": 0.75, "end": 0.75}
    for fig in f.values():  # plain Python numbers, never numpy scalars
        assert all(type(v) in (int, float, str) for v in fig.values() if v is not None)


def test_figures_as_of_a_day_and_what_placement_buys(toy):
    head = headline_figures(toy, as_of="2018-06-30")
    assert (head["year"], head["previous_year"]) == (2018, 2017)
    f = head["figures"]
    assert (f["coverage_scope"]["value"], f["coverage_scope"]["previous"]) == (0.5, 0.5)
    assert (f["street_target"]["covered"], f["street_target"]["of"]) == (1, 3)
    assert (f["hubs"]["value"], f["hubs"]["previous"]) == (1, 1)
    assert (f["money_year"]["value"], f["money_year"]["previous"]) == (0.0, 10000.0)
    assert (f["money_total"]["value"], f["money_total"]["previous"]) == (10000.0, 10000.0)
    # S21 has no hub of its own; one there covers c211 and c212: 4 of 4 urban communities
    assert head["placement"] == {"streets": 2, "hubs": 1, "start": 0.5, "end": 1.0}
    assert head["lowest"] == [("unit 990102", 0.0)]


def test_cards_and_findings_en(toy):
    t = translator("en")
    head = headline_figures(toy, as_of="2018-06-30")
    shown = {c["key"]: (c["value"], c["detail"], c["change"]) for c in cards(head, t)}
    assert shown["coverage_scope"] == (
        "50.0%",
        "2 of 4 urban communities",
        "+0.0 points since end of 2017",
    )
    assert shown["street_target"] == (
        "33.3%",
        "1 of 3 streets and townships",
        "+0.0 points since end of 2017",
    )
    assert shown["hubs"] == ("1", "", "+0 since end of 2017")
    assert shown["money_year"] == ("0 yuan", "in 2018", "−10,000 yuan on 2017")
    assert shown["money_total"] == ("10,000 yuan", "", "+0 yuan since end of 2017")
    assert findings(head, t) == (
        "50.0% of urban communities are in a hub's service area (2 of 4); "
        "1 of 3 streets and townships have a hub of their own (33.3%); "
        "coverage is lowest in unit 990102 (0.0%); "
        "to meet the target of one hub in every street and township, 2 more need a hub of their own; "
        "placement finds that 1 of them would cover new communities and lift urban "
        "coverage to 100.0%."
    )


def test_cards_and_findings_zh(toy):
    t = translator("zh")
    head = headline_figures(toy)
    shown = {c["key"]: (c["value"], c["change"]) for c in cards(head, t)}
    assert shown["coverage_scope"] == ("75.0%", "比2018年底+25.0个百分点")
    assert shown["money_total"] == ("1.0万元", "比2018年底+0.0万元")
    assert findings(head, t) == (
        "城市社区枢纽型社会组织覆盖率为75.0%（4个城市社区中有3个在枢纽型组织服务范围内）；"
        "3个城市街道（乡镇）中有2个已有本街道（乡镇）的枢纽型组织，占66.7%；"
        "覆盖率最低的是unit 990102（50.0%）；"
        "要实现“每个城市街道（乡镇）1家枢纽型社区社会组织”的目标，尚有1个街道（乡镇）需新建；"
        "这些街道（乡镇）新建后不会扩大城市社区覆盖。"
    )


def test_without_dates_no_change_is_claimed():
    nodes = pd.DataFrame(
        {"id": ["9901", "990101", "990101001", "990101001001", "H"],
         "kind": ["admin"] * 4 + ["org"], "level": ["city", "district", "street", "community", None],
         "urban": [None, None, None, True, None], "role": [None] * 4 + ["hub"]}
    )  # fmt: skip
    edges = pd.DataFrame(
        {"source": ["9901", "990101", "990101001", "H"],
         "target": ["990101", "990101001", "990101001001", "990101001"],
         "kind": ["contains"] * 3 + ["located_in"]}
    )  # fmt: skip
    g = cg.CivicGraph.from_frames(nodes, edges)
    head = headline_figures(g)
    assert head["year"] is None
    assert all(f["previous"] is None for f in head["figures"].values())
    assert head["figures"]["coverage_scope"]["value"] == 1.0
    assert [c["change"] for c in cards(head, translator("en"))] == [""] * 8


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_opens_with_the_headline(toy, lang):
    t = translator(lang)
    page = cg.report(toy, lang=lang)
    main = page[page.index("<main>") :]
    assert main.index('<section id="headline"') < main.index('class="cg-toc"')
    assert main.index('class="cg-cards"') < main.index('<section id="summary"')
    head = headline_figures(toy)
    assert str(escape(findings(head, t))) in page
    assert page.findings == findings(head, t)
    assert [c["value"] for c in page.cards] == [c["value"] for c in cards(head, t)]
