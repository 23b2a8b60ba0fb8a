"""The report as a Word document (``.docx``), to edit and print for a meeting: the same
sections, sentences and tables as the HTML page, in the same language; the charts and
the district map as the PNG images plotly.js draws in the page (read off the page by
headless Chromium, as for the PDF); the interactive network picture named, not drawn.

Interface: :func:`to_docx` (the report's sections → a ``.docx``), :func:`chart_images`
(the page's chart images by chart id). python-docx writes the file.
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

from .._errors import CivicGraphError
from ..catalog import Translator, text, translator

__all__ = ["chart_images", "to_docx"]

#: A chart's div (plotly.js) and the image the page makes of it, in the page as Chromium
#: leaves it: the image is appended to the chart's box after the chart.
_CHART = re.compile(r'<div id="(cg-[\w-]+)" class="plotly-graph-div')
_IMAGE = re.compile(r'<img class="cg-print-img"[^>]*?src="data:image/png;base64,([^"]+)"')


def chart_images(html_path: str | Path, *, lang: str = "zh", timeout: float = 300) -> dict:
    """Chart id (``cg-coverage-1``) → PNG bytes of the charts of a report page, as the
    page's own script draws them once loaded (headless Chromium, network cut off).
    Empty when Chromium is not installed (the document then names the charts only)."""
    from .pdf import _headless, find_chromium

    exe = find_chromium()
    if exe is None:
        return {}
    t = translator(lang)
    done = _headless(
        exe, Path(html_path).resolve(), ("--dump-dom",), timeout,
        lambda e: t("docx_failed", error=e),
    )  # fmt: skip
    dom = done.stdout or ""
    charts = list(_CHART.finditer(dom))
    out = {}
    for i, chart in enumerate(charts):
        end = charts[i + 1].start() if i + 1 < len(charts) else len(dom)
        image = _IMAGE.search(dom, chart.end(), end)
        if image is not None:
            out[chart.group(1)] = base64.b64decode(image.group(1))
    return out


def to_docx(
    sections, path: str | Path, *, t: Translator, title: str, subtitle: str, images: dict
) -> Path:
    """Write the report's ``sections`` (:class:`~civicgraph.report.html.Section`) as a
    Word document at ``path``: A4, the title and ``subtitle``, a heading per section,
    its notes, cards, findings, tables and charts (``images``: chart id → PNG)."""
    try:
        import docx
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt, RGBColor
    except ImportError:  # (a dependency: only a broken installation lacks it)
        raise CivicGraphError(t("docx_missing")) from None

    doc = docx.Document()
    page = doc.sections[0]
    page.page_width, page.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(page, side, Cm(2))
    font = "宋体" if t.lang == "zh" else "Calibri"
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        style = doc.styles[name]
        style.font.name = font
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    doc.styles["Normal"].font.size = Pt(10.5)
    grey = RGBColor(0x55, 0x55, 0x55)

    def note(text: str, italic: bool = True) -> None:
        run = doc.add_paragraph().add_run(text)
        run.italic, run.font.size, run.font.color.rgb = italic, Pt(9), grey

    def grid(headers: list[str], rows: list[list[tuple[str, bool]]]) -> None:
        """A table; ``rows`` of ``(text, right-aligned)``; its columns as :func:`_widths`."""
        table = doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.autofit = False
        widths = [Cm(w) for w in _widths(headers, rows)]
        for column, w in zip(table.columns, widths):  # (the grid: LibreOffice reads it)
            column.width = w
        for cell, h, w in zip(table.rows[0].cells, headers, widths):
            cell.text, cell.width = "", w
            run = cell.paragraphs[0].add_run(str(h))
            run.bold, run.font.size = True, Pt(9)
        for row in rows:
            cells = table.add_row().cells
            for cell, (value, right), w in zip(cells, row, widths):
                cell.width = w
                par = cell.paragraphs[0]
                par.add_run(value).font.size = Pt(9)
                if right:
                    par.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def picture(block: dict) -> None:
        found = _CHART.search(block.get("html", ""))
        png = images.get(found.group(1)) if found else None
        if png is None:
            note(t("docx_no_image"))
            return
        doc.add_picture(io.BytesIO(png), width=Cm(17))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_heading(title, 0)
    note(subtitle, italic=False)
    for s in sections:
        doc.add_heading(s.title, 1)
        for b in s.blocks:
            kind = b["type"]
            if kind == "note":
                if "cg-screen" not in b.get("cls", "").split():  # (how to click: not on paper)
                    note(b["text"])
            elif kind == "heading":
                doc.add_heading(b["text"], 2)
            elif kind == "cards":
                headers = [t("docx_card_item"), t("docx_card_value"), t("docx_card_detail")]
                rows = [
                    [(c["label"], False), (c["value"], True),
                     (" ".join(x for x in (c.get("detail"), c.get("change")) if x), False)]
                    for c in b["cards"]
                ]  # fmt: skip
                grid(headers, rows)
            elif kind == "findings":
                par = doc.add_paragraph()
                par.add_run(b["title"]).bold = True
                par.add_run(b["text"])
            elif kind == "table":
                rows = [[(text, cls == "num") for text, cls in row] for row in b["rows"]]
                grid(b["headers"], rows)
                if b.get("note"):
                    note(b["note"])
            elif kind in ("figure", "map"):
                picture(b)
                if b.get("missing"):
                    note(b["missing_title"], italic=False)
                    sep = text("labels.words.list_sep", t.lang)
                    note(sep.join(f"{n} {share}" for n, share in b["missing"]), italic=False)
            elif kind == "network":
                note(t("docx_network"))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def _widths(headers, rows, page: float = 17.0, char: float = 0.36) -> list[float]:
    """Column widths (cm) filling ``page``: each column asks for its longest value (at
    most 16 characters; a header may wrap over two lines), at ``char`` cm a character.
    When they ask for more than the page, the columns of up to 5 characters keep what
    they ask (codes, counts, 是/否 never wrap) and the others share the rest."""
    asked = []
    for j, h in enumerate(headers):
        longest = max([_width(row[j][0]) for row in rows if j < len(row)] or [0])
        asked.append((min(max(longest, _width(str(h)) / 2), 16) + 1) * char)
    if sum(asked) <= page:
        return [page * a / sum(asked) for a in asked]
    short = [a <= 6 * char for a in asked]
    fixed = sum(a for a, s in zip(asked, short) if s)
    rest = sum(a for a, s in zip(asked, short) if not s)
    if not rest or fixed >= page:
        return [page * a / sum(asked) for a in asked]
    return [a if s else a * (page - fixed) / rest for a, s in zip(asked, short)]


def _width(text: str) -> float:
    """A text's width in Chinese characters (a Latin letter or digit counts half)."""
    return sum(1 if ord(ch) > 0x2E7F else 0.55 for ch in text)
