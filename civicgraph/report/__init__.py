"""The HTML report (``cg.report``); its templates and language tables live beside it.

``civicgraph.report`` (the attribute of the package) is the :func:`report` function;
:func:`to_pdf` and :class:`Report` hang on it too, so ``civicgraph.report.to_pdf(html,
pdf)`` works as well as ``from civicgraph.report import to_pdf``.
"""

from ._result import Report
from .html import report
from .pdf import to_pdf

report.to_pdf = to_pdf  # type: ignore[attr-defined]
report.Report = Report  # type: ignore[attr-defined]

__all__ = ["Report", "report", "to_pdf"]
