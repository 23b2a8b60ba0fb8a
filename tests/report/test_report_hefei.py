"""The report of another city (Hefei, 3401, from the national files): its own names and
figures, the headline first, nothing of Wuhu."""

from __future__ import annotations

import re

import pytest

import civicgraph as cg
from civicgraph.catalog import translator
from civicgraph.report._headline import findings, headline_figures
from tests.report.test_report import sections

pytestmark = pytest.mark.national


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hefei_report_is_about_hefei(hefei, lang):
    page = cg.report(hefei, lang=lang)
    found = sections(page)
    assert list(found)[0] == "headline"
    assert page.index('class="cg-cards"') < page.index('<section id="summary"')
    # Hefei has a street of its own named after Wuhu (包河区芜湖路街道); nothing else may say Wuhu
    assert "芜湖" not in page.replace("芜湖路街道", "")
    assert "Wuhu" not in page
    assert "合肥市" in found["coverage"]
    head = headline_figures(hefei)
    assert page.findings == findings(head, translator(lang))
    names = set(cg.coverage(hefei, level="district")["name"])
    assert all(name in names for name, _ in head["lowest"])
    assert [key for key, body in found.items() if 'class="cg-na"' in body] == []
    assert 'id="cg-map-1"' in found["map"]
    # the development zones (codes 71-80) have no polygon and are listed beside the map
    zones = [
        n
        for c, n in cg.coverage(hefei, level="district")["name"].items()
        if c[4:6] >= "71" and c[4:6] <= "80"
    ]
    assert zones and all(re.search(re.escape(z), found["map"]) for z in zones)
