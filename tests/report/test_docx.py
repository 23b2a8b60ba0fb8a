"""The report as a Word document: the HTML page's sections, sentences and tables, the
charts as images of the page's own charts (headless Chromium), in the report's language."""

from __future__ import annotations

import re

import docx
import pytest

import civicgraph as cg
from civicgraph.report import docx as report_docx
from tests._pages import APT_LINE, CHROMIUM

_PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}pic"


def _read(path):
    """``(headings 1, other paragraphs, tables as lists of rows, pictures)`` of a .docx."""
    d = docx.Document(str(path))
    titles = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    text = [p.text for p in d.paragraphs if p.style.name != "Heading 1"]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]
    pictures = len(d.element.body.findall(f".//{_PIC}"))
    return titles, text, tables, pictures


def _page_parts(html: str) -> tuple[list[str], int, int]:
    """The page's section titles, its number of tables and of charts."""
    titles = re.findall(r'<section id="[\w-]+" class="cg-section">\s*<h2>([^<]*)</h2>', html)
    charts = len(re.findall(r'class="plotly-graph-div', html))
    return titles, html.count('<table class="cg-table">'), charts


@pytest.mark.browser
def test_docx_holds_the_pages_sections_tables_and_charts(toy, tmp_path):
    if not CHROMIUM.exists():
        pytest.skip(f"headless Chromium is not installed; install it with: {APT_LINE}")
    page = cg.report(toy, path=tmp_path / "r.html", lang="zh", docx=tmp_path / "报告.docx")
    html = page.read_text("utf-8")
    titles, n_tables, n_charts = _page_parts(html)
    got_titles, text, tables, pictures = _read(tmp_path / "报告.docx")
    assert got_titles == titles and len(titles) == 11  # every section, in order
    assert len(tables) == n_tables + 1  # (the headline cards are a table too)
    assert pictures == n_charts > 0  # every chart drawn
    assert tables[0][0] == ["指标", "数值", "说明"]  # the cards, then the summary table
    assert any("75.0%" in cell for row in tables[0] for cell in row)
    assert text[0] == "社区社会组织网络分析报告"
    assert any(t.startswith("主要情况：") for t in text)  # the findings sentence
    assert "（关系网络图为交互式图，请在 HTML 报告中查看。）" in text
    assert "点击区县可展开" in html and not [t for t in text if "点击" in t]  # (screen only)
    for row in tables[1][1:]:  # the summary's rows as the page shows them
        assert re.search(rf"<td[^>]*>{re.escape(row[1])}</td>", html), row


def test_docx_without_chromium_names_the_charts(toy, tmp_path, monkeypatch):
    """Without Chromium the document is written all the same, each chart named."""
    from civicgraph.report import pdf

    monkeypatch.setattr(pdf, "find_chromium", lambda: None)
    cg.report(toy, path=tmp_path / "r.html", lang="en", docx=tmp_path / "r.docx")
    titles, text, tables, pictures = _read(tmp_path / "r.docx")
    _, _, n_charts = _page_parts((tmp_path / "r.html").read_text("utf-8"))
    assert pictures == 0 and len(titles) == 11
    said = [t for t in text if t.startswith("(An interactive chart: see the HTML report.")]
    assert len(said) == n_charts > 0
    assert tables[0][0] == ["figure", "value", "details"]


def test_table_columns_fill_the_page_short_ones_unwrapped():
    """Columns fill 17 cm; when the texts ask for more, short columns (codes, counts,
    是/否) keep their width and the long ones share the rest."""
    widths = report_docx._widths

    rows = [[("新安县", False), ("西苑社区居民委员会", False), ("5", True)]] * 3
    got = widths(["区县", "名称", "距离(层)"], rows)
    assert abs(sum(got) - 17) < 1e-9 and got[1] > got[0] > got[2]
    long = "西关街道社区社会组织联合会" * 2
    rows = [[("新安县", False), *[(long, False)] * 6, ("是", False)]]
    got = widths(["区县", *"abcdef", "城市"], rows)
    assert abs(sum(got) - 17) < 1e-9
    assert got[0] == pytest.approx(4 * 0.36) and got[-1] == pytest.approx(2 * 0.36)
    assert report_docx._width("ab12") == pytest.approx(2.2) and report_docx._width("社区") == 2


def test_docx_needs_the_page(toy, tmp_path):
    with pytest.raises(cg.CivicGraphError, match="docx= needs path="):
        cg.report(toy, docx=tmp_path / "r.docx")


def test_chart_images_pairs_each_chart_with_its_image(tmp_path, monkeypatch):
    """The page as Chromium leaves it: each chart's image follows the chart, a chart
    without one (its image failed) has none."""
    import base64
    import subprocess

    from civicgraph.report import pdf

    png = b"\x89PNG\r\n\x1a\nfake"
    src = base64.b64encode(png).decode()
    dom = (
        '<div class="cg-figure"><div id="cg-a-1" class="plotly-graph-div"></div>'
        f'<p class="cg-print-caption">A</p><img class="cg-print-img" alt="A" src="data:image/png;base64,{src}"></div>'
        '<div class="cg-figure"><div id="cg-b-1" class="plotly-graph-div"></div></div>'
        '<div class="cg-figure"><div id="cg-c-2" class="plotly-graph-div"></div>'
        f'<img class="cg-print-img" alt="C" src="data:image/png;base64,{src}"></div>'
    )  # fmt: skip
    page = tmp_path / "p.html"
    page.write_text("<html></html>", "utf-8")
    monkeypatch.setattr(pdf, "find_chromium", lambda: page)
    monkeypatch.setattr(
        pdf, "_headless", lambda *a, **k: subprocess.CompletedProcess([], 0, dom, "")
    )
    assert report_docx.chart_images(page) == {"cg-a-1": png, "cg-c-2": png}


def test_cli_report_writes_the_docx(tmp_path, capsys):
    from civicgraph.cli import main

    out, word = tmp_path / "r.html", tmp_path / "报告.docx"
    try:
        main(["report", "example:wuhu", "--out", str(out), "--docx", str(word), "--lang", "zh"])
    except SystemExit as exc:
        assert not exc.code
    err = capsys.readouterr().err
    assert word.exists() and f"已写出 {word}" in err.replace("\n", "")
    titles, *_ = _read(word)
    assert titles[0] == "要点"
