"""cg.report on the Wuhu example with the real metrics: sections filled, counts agree."""

from __future__ import annotations

import pytest

import civicgraph as cg
from civicgraph._i18n import translator
from tests.report.test_report import sections


@pytest.fixture(scope="module")
def wuhu():
    return cg.datasets.wuhu()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sections_filled_and_counted(wuhu, lang):
    t = translator(lang)
    page = cg.report(wuhu, lang=lang, top=20, k=10)
    found = sections(page)
    for key in ("summary", "coverage", "gaps", "placement", "network"):
        assert 'class="cg-na"' not in found[key], key
    gaps = cg.gaps(wuhu)
    shown = min(len(gaps), 20)
    assert t("gaps_count", n=f"{len(gaps):,}", shown=f"{shown:,}") in found["gaps"]
    assert found["gaps"].count("<tr>") == 1 + shown
    assert found["placement"].count("<tr>") == 1 + len(cg.place_hubs(wuhu, k=10))
    urban = cg.coverage(wuhu, level="all", urban_only=True).loc["total", "share"]
    assert f'<td class="num">{100 * urban:.1f}%</td>' in found["summary"]
    # district bars, street bars, the hierarchy coloured by coverage
    assert found["coverage"].count('class="plotly-graph-div"') == 3
