"""Where the real NBS 2023 division files are: beside the checkout (never copied into
it), or ``$CIVICGRAPH_DIVISIONS``. Shared by the tests and the benchmarks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DIVISIONS = Path(
    os.environ.get(
        "CIVICGRAPH_DIVISIONS",
        Path(__file__).resolve().parents[2] / "shared" / "data" / "cn-divisions-2023",
    )
)


def divisions_or_fail() -> Path:
    """The division folder; fails the test run, naming the path, when it is absent."""
    if not (DIVISIONS / "villages.csv.gz").exists():
        pytest.fail(f"the national division files are not at {DIVISIONS}")
    return DIVISIONS
