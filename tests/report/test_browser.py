"""The report and the network page in headless Chromium, offline, at 1366 and 390 px.

Needs Debian's ``chromium`` and ``fonts-noto-cjk`` (see tests/_pages.APT_LINE); skips with
that apt line when Chromium is absent. Each check opens the page once (tests/report/
_inspect.py): JavaScript errors, every console message (warnings too), requests (a
Content-Security-Policy that allows none), the page's width against the viewport, and a
screenshot checked for ink. Screenshots go to tests/artifacts/, and also to
``$CIVICGRAPH_SCREENSHOTS`` (``docs/img`` for the docs) when that is set.
"""

from __future__ import annotations

import os

import pytest

import civicgraph as cg
from civicgraph.report._headline import COVERAGE_READINGS
from tests.report._inspect import inspect, non_blank

pytestmark = pytest.mark.browser


def assert_clean(seen, *, width: int) -> None:
    assert seen.errors == []
    assert seen.console == []  # no error, no warning ("Invalid color specifier" was one)
    assert seen.requests == []
    assert seen.alerts == 0
    assert seen.viewport == width
    assert seen.width == width  # nothing makes the page scroll sideways
    assert seen.widest_box <= width
    assert seen.tall_headers == 0  # table headers never break one character per line
    assert seen.first_section == "headline" and seen.cards == len(COVERAGE_READINGS) + 6
    if seen.screenshot is not None:
        inked, colours = non_blank(seen.screenshot)
        assert inked > 0.05 and colours > 50, (inked, colours)


@pytest.fixture(scope="module")
def wuhu_page(tmp_path_factory):
    page = tmp_path_factory.mktemp("wuhu") / "wuhu_zh.html"
    return cg.report(cg.datasets.wuhu(), path=page, lang="zh")


@pytest.mark.parametrize("width", [1366, 390])
def test_wuhu_report_on_a_desktop_and_a_phone(wuhu_page, browser, width):
    seen = inspect(browser, wuhu_page, width=width, screenshot=f"report_wuhu_zh_{width}.png")
    assert_clean(seen, width=width)
    text = wuhu_page.read_text("utf-8")
    assert seen.plots == text.count('class="plotly-graph-div"') == 7
    assert seen.networks == 1
    assert seen.print_images == seen.plots  # a static image of every chart, for print
    assert "24.1%" in seen.findings
    assert [b for b in seen.bars if b] == [9]  # districts only; streets are in the treemap


@pytest.mark.skipif(not os.environ.get("CIVICGRAPH_SCREENSHOTS"), reason="docs screenshots only")
@pytest.mark.parametrize(("lang", "anchor"), [("zh", "coverage"), ("zh", "map"), ("en", "map")])
def test_wuhu_sections_for_the_docs(browser, tmp_path, lang, anchor):
    page = cg.report(cg.datasets.wuhu(), path=tmp_path / f"wuhu_{lang}.html", lang=lang)
    seen = inspect(browser, page, width=1366, height=1400, anchor=anchor,
                   screenshot=f"report_wuhu_{lang}_{anchor}.png")  # fmt: skip
    assert_clean(seen, width=1366)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_city_report_with_hostile_names(city, browser, tmp_path, lang):
    page = cg.report(city, path=tmp_path / f"report_{lang}.html", lang=lang)
    seen = inspect(browser, page, width=1366, screenshot=f"report_city_{lang}.png")
    assert_clean(seen, width=1366)
    assert seen.plots == page.read_text("utf-8").count('class="plotly-graph-div"')
    assert seen.networks == 1


@pytest.mark.national
def test_hefei_report(hefei, browser, tmp_path):
    page = cg.report(hefei, path=tmp_path / "hefei_zh.html", lang="zh")
    seen = inspect(browser, page, width=1366, screenshot="report_hefei_zh_1366.png")
    assert_clean(seen, width=1366)
    assert seen.networks == 1 and seen.plots == 7  # with the map (the maps extra is installed)


def test_20k_registry_stays_bounded(browser, tmp_path):
    g = cg.datasets.synthetic(20_000, seed=1)
    page = cg.report(g, path=tmp_path / "synthetic_20k.html", lang="zh")
    # 1366 px as well when the suite makes the docs' screenshots (one browser run by default)
    for width in (390, 1366) if os.environ.get("CIVICGRAPH_SCREENSHOTS") else (390,):
        seen = inspect(browser, page, width=width, screenshot=f"report_20k_zh_{width}.png")
        assert_clean(seen, width=width)
        # bars only where there are at most 25; the Sankey keeps 8 per stage and "other"
        assert all(b <= 25 for b in seen.bars)
        assert 0 < max(seen.sankey_nodes) <= 3 * 9
        # 1366 px: was 23,141 px (1,355 street bars, a 5,852 px Sankey); a phone's page is
        # taller (tables of 60 districts and 20 streets, one card column pair)
        assert seen.height < (20_000 if width == 1366 else 30_000), seen.height


def test_city_network_page_renders_without_errors(city, browser, tmp_path):
    page = tmp_path / "network.html"
    cg.viz.network(city, path=page, lang="en")
    seen = browser.check(page, screenshot="network_city.png", size="1400,1000")
    assert (seen.errors, seen.alerts, seen.networks, seen.canvases) == ([], 0, 1, 1)


def test_harness_catches_errors_requests_and_warnings(browser, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><head><script src='https://cdn.example.org/x.js'></script>"
        "</head><body><main><section id='x'></section></main>"
        "<script>console.warn('careful'); undefinedFunction();</script></body></html>",
        "utf-8",
    )
    errors = browser.check(page).errors
    assert any("could not load https://cdn.example.org/x.js" in e for e in errors)
    assert any("undefinedFunction is not defined" in e for e in errors)
    seen = inspect(browser, page, width=390)
    assert seen.requests == ["https://cdn.example.org/x.js"]
    assert any("careful" in line for line in seen.console)
    assert seen.width == seen.viewport == 390
