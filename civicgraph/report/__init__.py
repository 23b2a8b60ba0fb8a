"""The HTML report (``cg.report``); its templates and language tables live beside it."""

from .html import report

__all__ = ["report"]
