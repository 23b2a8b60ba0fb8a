"""Shared fixtures of the benchmark suites (run with ``pytest benchmarks/``)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

DIVISIONS = Path(
    os.environ.get(
        "CIVICGRAPH_DIVISIONS",
        Path(__file__).resolve().parents[2] / "shared" / "data" / "cn-divisions-2023",
    )
)


@pytest.fixture(scope="session")
def divisions_path() -> Path:
    if not (DIVISIONS / "villages.csv.gz").exists():
        pytest.fail(f"the national division files are not at {DIVISIONS}")
    return DIVISIONS


def peak_rss_mib(code: str) -> float:
    """Peak resident memory (MiB) of a fresh Python process running ``code``.

    A separate process, so that what the benchmark session already holds does not count.
    Linux: the process's own high-water mark ``VmHWM`` (``ru_maxrss`` of a child forked from
    a large benchmark session starts at the session's size, taken over at fork and exec).
    """
    script = (
        f"{code}\nimport resource, pathlib\n"
        "status = pathlib.Path('/proc/self/status')\n"
        "hwm = [l.split()[1] for l in status.read_text().splitlines() if l.startswith('VmHWM')]"
        " if status.exists() else []\n"
        "print(hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    return int(out.strip().splitlines()[-1]) / 1024


@pytest.fixture(scope="session")
def peak_rss():
    """``peak_rss(code) -> MiB``: peak memory of a fresh process running ``code``."""
    return peak_rss_mib


def wall_times(f, rounds: int) -> list[float]:
    """Wall times of ``rounds`` calls of ``f`` (the machine is shared: report min and median)."""
    out = []
    for _ in range(rounds):
        t = time.perf_counter()
        f()
        out.append(time.perf_counter() - t)
    return out


@pytest.fixture(scope="session")
def timings():
    """``timings(f, rounds) -> [seconds, ...]``."""
    return wall_times
