"""Fixtures shared by the picture and report tests."""

from tests._pages import browser, city

__all__ = ["browser", "city"]
