"""What ``cg.report(g)`` gives without a path: the page, shown briefly in a notebook.

:class:`Report` is a ``str`` (the whole HTML page, so code that used the string keeps
working: ``str(r)``, ``r.html``, ``"<table" in r``, ``Path(...).write_text(r)``) that
Jupyter shows as a short summary — the headline figures and the findings sentence — and
a frame of bounded height with the full report.

How the frame gets the page (decided for notebook size): an ``<iframe srcdoc>`` or a
``data:``/``blob:`` URL would put the whole page (megabytes of inlined plotly.js and
vis-network) into the notebook's output. Instead, when Jupyter first displays the
object, the page is written once to ``civicgraph-reports/report-<digest>.html`` under
the kernel's working directory (``CIVICGRAPH_REPORT_DIR`` to choose another folder;
it must be one the notebook server serves, which is why the default is beside the
notebook and not a temporary folder) and the frame points there by a relative URL. The
notebook keeps about 2 kB per report. Outside Jupyter nothing is written.
"""

from __future__ import annotations

import hashlib
import html as _html
import os
from pathlib import Path

from ..catalog import translator

__all__ = ["Report", "frame_dir"]

#: Height of the frame in a notebook, CSS pixels.
FRAME_HEIGHT = 640


def frame_dir() -> Path:
    """The folder the notebook frame's page is written to (relative to the working
    directory unless ``CIVICGRAPH_REPORT_DIR`` is absolute)."""
    return Path(os.environ.get("CIVICGRAPH_REPORT_DIR", "civicgraph-reports"))


class Report(str):
    """The report page (a ``str``), with its headline for notebooks.

    Attributes
    ----------
    html : str
        The page as a plain ``str``.
    lang, title : str
    headline : dict or None
        :func:`civicgraph.report._headline.headline_figures` of the graph (``None`` when
        the headline could not be computed on this graph).
    cards : list of dict
        The headline cards as shown (``label``, ``value``, ``detail``, ``change``).
    findings : str
        The findings sentence.
    """

    headline: dict | None
    cards: list
    findings: str
    lang: str
    title: str

    def __new__(cls, page: str, *, lang: str, title: str, headline=None, cards=(), findings=""):
        obj = super().__new__(cls, page)
        obj.lang, obj.title, obj.headline = lang, title, headline
        obj.cards, obj.findings = list(cards), findings
        return obj

    def __reduce__(self):
        return (
            _rebuild,
            (str(self), self.lang, self.title, self.headline, self.cards, self.findings),
        )

    @property
    def html(self) -> str:
        return str.__str__(self)

    def __str__(self) -> str:
        return str.__str__(self)

    def __repr__(self) -> str:
        size = f"{len(self.encode('utf-8')) / 1e6:.1f} MB"
        figures = "; ".join(f"{c['label']}: {c['value']}" for c in self.cards[:3])
        return f"<civicgraph report {self.title!r} ({self.lang}, {size}){': ' if figures else ''}{figures}>"

    def _repr_pretty_(self, p, cycle) -> None:
        p.text(repr(self))

    def save(self, path: str | Path) -> Path:
        """Write the page (UTF-8) and return its path."""
        path = Path(path)
        path.write_text(self.html, encoding="utf-8")
        return path

    def to_pdf(self, path: str | Path) -> Path:
        """Print the page to an A4 PDF with headless Chromium (:func:`civicgraph.report.to_pdf`)."""
        import tempfile

        from .pdf import to_pdf

        with tempfile.TemporaryDirectory() as tmp:
            page = self.save(Path(tmp) / "report.html")
            return to_pdf(page, path, lang=self.lang)

    def summary_html(self) -> str:
        """The short summary alone (title, cards, findings), escaped."""
        esc = _html.escape
        cards = "".join(
            "<div style='border:1px solid #ccd;border-radius:6px;padding:6px 10px;min-width:10rem'>"
            f"<div style='font-size:12px;color:#555'>{esc(c['label'])}</div>"
            f"<div style='font-size:20px;font-weight:600'>{esc(c['value'])}</div>"
            f"<div style='font-size:11px;color:#555'>{esc(c['detail'])} {esc(c['change'])}</div></div>"
            for c in self.cards
        )
        return (
            f"<div class='cg-report-summary'><strong>{esc(self.title)}</strong>"
            f"<div style='display:flex;flex-wrap:wrap;gap:6px;margin:6px 0'>{cards}</div>"
            f"<p style='margin:4px 0'>{esc(self.findings)}</p></div>"
        )

    def _frame_path(self) -> Path:
        digest = hashlib.sha1(self.encode("utf-8")).hexdigest()[:12]
        path = frame_dir() / f"report-{digest}.html"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            self.save(path)
        return path

    def _repr_html_(self) -> str:
        t = translator(self.lang)
        path = self._frame_path()
        url = _html.escape(path.as_posix() if not path.is_absolute() else path.as_uri())
        size = f"{len(self.encode('utf-8')) / 1e6:.1f} MB"
        return (
            self.summary_html()
            + f"<p><a href='{url}' target='_blank'>{_html.escape(t('nb_open'))}</a></p>"
            + f"<iframe src='{url}' title='{_html.escape(t('nb_frame', size=size))}' "
            f"style='width:100%;height:{FRAME_HEIGHT}px;border:1px solid #ccd'></iframe>"
        )


def _rebuild(page, lang, title, headline, cards, findings) -> Report:
    return Report(page, lang=lang, title=title, headline=headline, cards=cards, findings=findings)
