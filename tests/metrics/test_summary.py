import pytest

import civicgraph as cg


def _table(s):
    return {(r.section, r.item, r.unit): r.value for r in s.itertuples()}


def test_toy(toy):
    s = cg.summary(toy)
    assert list(s.columns) == ["section", "item", "value", "unit", "note"]
    t = _table(s)
    assert t[("centers", "city centers", "centers")] == 1
    assert t[("centers", "district centers", "centers")] == 0
    assert t[("organizations", "hubs", "orgs")] == 2
    assert t[("organizations", "member organizations", "orgs")] == 2
    assert t[("organizations", "agencies", "orgs")] == 0
    assert t[("coverage", "urban communities", "communities")] == 4
    assert t[("coverage", "urban communities covered", "communities")] == 3
    assert t[("coverage", "urban coverage", "share")] == 0.75
    # every street-level unit (街道, 镇, 乡) counts, S12 of one village too
    assert t[("street target", "streets and townships", "streets")] == 3
    assert t[("street target", "streets and townships with a hub", "streets")] == 2
    # P has no program_type ("other") and no funder_level
    assert t[("programs: other", "level not given", "yuan")] == 10000.0
    assert t[("programs: other", "level not given", "projects")] == 1
    assert t[("programs", "total", "recipients")] == 1
    assert type(t[("organizations", "hubs", "orgs")]) is int
    # the Wuhu boundary note belongs to the Wuhu example only
    assert (s["note"] == "").all()
    wuhu = cg.summary(cg.datasets.wuhu())
    note = wuhu.loc[wuhu["item"] == "urban coverage", "note"].item()
    assert "24%" in note and "2023" in note
    assert cg.datasets.wuhu().within("340202").attrs == {"notes": {"coverage": "boundary"}}


def test_two_districts_money_counted_once(two_districts):
    t = _table(cg.summary(two_districts))
    assert t[("centers", "city centers", "centers")] == 1
    assert t[("centers", "district centers", "centers")] == 1
    assert t[("organizations", "agencies", "orgs")] == 1
    assert t[("coverage", "urban communities covered", "communities")] == 5
    assert t[("coverage", "urban coverage", "share")] == pytest.approx(5 / 6)
    assert t[("street target", "streets and townships", "streets")] == 4
    assert t[("street target", "streets and townships with a hub", "streets")] == 3
    # P1: 20,000 + 30,000 + the bureau's 8,000 for P1; not HA's 5,000 regrant
    assert t[("programs: venture_philanthropy", "level not given", "yuan")] == 58000.0
    assert t[("programs: venture_philanthropy", "level not given", "projects")] == 3
    assert t[("programs: venture_philanthropy", "level not given", "recipients")] == 3
    # P2: the 100,000 award, not the community's 60,000 spending of it
    assert t[("programs: demonstration_award", "level not given", "yuan")] == 100000.0
    assert t[("programs: demonstration_award", "level not given", "projects")] == 1
    assert ("programs: demonstration_award", "total", "projects") not in t  # one level only
    assert t[("programs", "total", "yuan")] == 158000.0
    assert t[("programs", "total", "projects")] == 4


def test_as_of(two_districts):
    t = _table(cg.summary(two_districts, as_of="2018-01-01"))
    assert t[("organizations", "hubs", "orgs")] == 2  # HC starts in 2020
    # only the 2017 grant had been made (dated edges after the day drop out)
    assert t[("programs: venture_philanthropy", "level not given", "yuan")] == 38000.0


@pytest.mark.parametrize("seed", range(4))
def test_program_total_agrees_with_plain_sum(random_graph, nx_reference, seed):
    g = random_graph(seed)
    ref = nx_reference(g)
    t = _table(cg.summary(g))
    e = ref.edges
    new = e[e["kind"].isin(["funds", "awards"]) & e["source"].isin(["P", "GOV"])]
    assert t[("programs", "total", "yuan")] == pytest.approx(new["amount"].sum())
    assert t[("programs", "total", "projects")] == len(new)
    # the bureau's grants name no program: they are listed under "(none)"
    assert (
        t[("programs: venture_philanthropy", "level not given", "projects")]
        == (new["source"] == "P").sum()
    )
    assert t[("programs: other", "(none)", "projects")] == (new["source"] == "GOV").sum()
    assert t[("organizations", "hubs", "orgs")] == 40


def test_wuhu_headline_figures_of_the_report():
    """The 2019 report's figures (section 一 to 四) from the embedded example."""
    t = _table(cg.summary(cg.datasets.wuhu(), as_of="2019-08-31"))
    assert t[("centers", "city centers", "centers")] == 1
    assert t[("centers", "district centers", "centers")] == 1
    assert t[("organizations", "hubs", "orgs")] == 42
    assert t[("programs: venture_philanthropy", "city", "yuan")] == 6_300_000.0
    assert t[("programs: venture_philanthropy", "city", "projects")] == 80
    assert t[("programs: demonstration_award", "city", "yuan")] == 5_800_000.0
    assert t[("programs: demonstration_award", "city", "recipients")] == 30
    assert t[("programs: cradle", "city", "yuan")] == 700_000.0
    assert t[("programs: cradle", "city", "recipients")] == 14
    assert t[("programs: venture_philanthropy", "district", "yuan")] == 2_260_000.0  # 136+70+20万
    assert t[("coverage", "urban communities covered", "communities")] == 77
    assert t[("coverage", "urban communities", "communities")] == 320
