"""The report printed to PDF by headless Chromium: A4, every page with text."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

import civicgraph as cg
from civicgraph.report import to_pdf
from tests._pages import APT_LINE, CHROMIUM

pytestmark = pytest.mark.browser


def pdf_pages(path) -> tuple[int, str]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1)), info


@pytest.fixture(scope="module")
def need_chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"headless Chromium is not installed; install it with: {APT_LINE}")
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo is not installed; install it with: apt-get install poppler-utils")


def test_toy_report_prints_to_a4_with_text_on_every_page(toy, tmp_path, need_chromium):
    html = cg.report(toy, path=tmp_path / "toy.html", lang="zh", pdf=tmp_path / "toy.pdf")
    assert html == tmp_path / "toy.html"
    pdf = tmp_path / "toy.pdf"
    n, info = pdf_pages(pdf)
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert abs(w - 595.28) < 1 and abs(h - 841.89) < 1, info  # A4: 210 x 297 mm
    # the headline page, then one page (or more) per section: 11 sections
    assert n >= 11
    for i in range(1, n + 1):
        text = subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout  # fmt: skip
        assert text.strip(), f"page {i} is empty"
    first = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout  # fmt: skip
    assert "要点" in first and "75.0%" in first  # the headline opens the PDF
    assert "目录" not in first  # the contents are for the screen only


def test_cli_report_has_a_pdf_option():
    from click.testing import CliRunner

    from civicgraph.cli import cli

    done = CliRunner().invoke(cli, ["report", "--help"])
    assert done.exit_code == 0 and "--pdf" in done.output


def test_no_chromium_says_how_to_get_it(tmp_path, monkeypatch):
    page = tmp_path / "p.html"
    page.write_text('<!DOCTYPE html><html lang="zh"><body>x</body></html>', "utf-8")
    monkeypatch.setenv("CIVICGRAPH_CHROMIUM", str(tmp_path / "no-such-browser"))
    with pytest.raises(
        cg.CivicGraphError, match="未找到 Chromium 浏览器.*apt-get install chromium"
    ):
        to_pdf(page, tmp_path / "p.pdf")
    with pytest.raises(cg.CivicGraphError, match="Chromium was not found"):
        to_pdf(page, tmp_path / "p.pdf", lang="en")
    assert not (tmp_path / "p.pdf").exists()
    assert cg.report.to_pdf is to_pdf  # civicgraph.report.to_pdf(html, pdf) as documented
