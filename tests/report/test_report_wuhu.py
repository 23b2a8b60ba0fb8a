"""cg.report on the Wuhu example with the real metrics: every section filled, counts agree."""

from __future__ import annotations

import pytest

import civicgraph as cg
from civicgraph.catalog import translator
from tests.report.test_report import sections


@pytest.fixture(scope="module")
def wuhu():
    return cg.datasets.wuhu()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sections_filled_and_counted(wuhu, lang):
    t = translator(lang)
    page = cg.report(wuhu, lang=lang, top=20, k=10)
    found = sections(page)
    assert [key for key, body in found.items() if 'class="cg-na"' in body] == []
    gaps = cg.gaps(wuhu)
    shown = min(len(gaps), 20)
    assert t("gaps_count", n=f"{len(gaps):,}", shown=f"{shown:,}") in found["gaps"]
    assert found["gaps"].count("<tr>") == 1 + shown
    assert found["placement"].count("<tr>") == 1 + len(cg.place_hubs(wuhu, k=10))
    urban = cg.coverage(wuhu, level="all", urban_only=True).loc["total", "share"]
    assert f'<td class="num">{100 * urban:.1f}%</td>' in found["summary"]
    rules = cg.check_rules(wuhu)
    for rule, n in rules.groupby("rule", sort=False).size().items():
        assert f'<td>{t.term(rule)}</td><td class="num">{n:,}</td>' in found["rules"]
    hubs = cg.hub_centrality(wuhu).sort_values("pagerank", ascending=False, kind="stable")
    assert found["centrality"].count("<tr>") == 1 + min(len(hubs), 20)
    assert f"<td>{hubs['name'].iloc[0]}</td>" in found["centrality"]
    # district bars (9 districts) and the hierarchy as one treemap; no street bars
    assert found["coverage"].count('class="plotly-graph-div"') == 2
    assert found["map"].count('class="plotly-graph-div"') == 1
    # the Sankey of new money; hubs/centers/members, new money and coverage per year
    assert found["funding"].count('class="plotly-graph-div"') == 1
    assert found["trend"].count('class="plotly-graph-div"') == 3
