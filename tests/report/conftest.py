"""Fixtures shared by the picture and report tests."""

import pytest

import civicgraph as cg
from tests._pages import browser, city
from tests._paths import divisions_or_fail

__all__ = ["browser", "city", "hefei"]


@pytest.fixture(scope="session")
def hefei() -> cg.CivicGraph:
    """Hefei (3401) from the national division files, with a seeded synthetic registry."""
    admin = cg.read_divisions(divisions_or_fail(), within="3401")
    return cg.datasets.synthetic(divisions=admin, seed=5)
