"""The report and the network page in headless Chromium, offline: no JavaScript error.

Needs Debian's ``chromium`` and ``fonts-noto-cjk`` (see tests/_pages.APT_LINE); skips with
that apt line when Chromium is absent. Screenshots go to tests/artifacts/ (not committed).
"""

from __future__ import annotations

import pytest

import civicgraph as cg

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_city_report_renders_without_errors(city, browser, tmp_path, lang):
    page = tmp_path / f"report_{lang}.html"
    text = cg.report(city, path=page, lang=lang)
    seen = browser.check(page, screenshot=f"report_{lang}.png")
    assert seen.errors == []
    assert seen.alerts == 0
    assert seen.plots == text.count('class="plotly-graph-div"')
    assert (seen.networks, seen.canvases) == (1, 1)


def test_city_network_page_renders_without_errors(city, browser, tmp_path):
    page = tmp_path / "network.html"
    cg.viz.network(city, path=page, lang="en")
    seen = browser.check(page, screenshot="network_city.png", size="1400,1000")
    assert (seen.errors, seen.alerts, seen.networks, seen.canvases) == ([], 0, 1, 1)


def test_harness_catches_errors_and_remote_scripts(browser, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><head><script src='https://cdn.example.org/x.js'></script>"
        "</head><body><script>undefinedFunction();</script></body></html>",
        "utf-8",
    )
    errors = browser.check(page).errors
    assert any("could not load https://cdn.example.org/x.js" in e for e in errors)
    assert any("undefinedFunction is not defined" in e for e in errors)
