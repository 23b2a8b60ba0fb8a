"""Shared fixtures of the benchmark suites (run with ``python -m pytest benchmarks/``).

Three sizes, each a synthetic registry (:func:`civicgraph.datasets.synthetic`, seed 0) on
the real NBS 2023 divisions:

==========  =============  ==========================================================
size        ``within``     communities
==========  =============  ==========================================================
``1/100``   ``"1101"``     7,535 (Beijing)
``1/10``    ``"37"``       62,074 (Shandong)
``1/1``     whole country  620,573 (~1M organizations, ~3.4M edges)
==========  =============  ==========================================================

``registry`` is a session-scoped fixture parametrized over the sizes: pytest runs every
benchmark of one size before building the next, and drops the previous size first, so
each size is built once. ``CIVICGRAPH_BENCH_SIZES=1/100,1/10`` limits the run to some
sizes; ``CIVICGRAPH_DIVISIONS`` points at another copy of the division files.

Every benchmark reports its best round to :func:`record`; at the end of the run the
ratio table (civicgraph against the networkx way of the same computation, measured in
the same run) is printed, in Markdown, ready for ``benchmarks/README.md``.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

import civicgraph as cg
from benchmarks._harness import MEMORY, RESULTS, SIZES, Size, machine, memory_table, ratio_table
from tests._paths import divisions_or_fail


@pytest.fixture(scope="session")
def divisions_path() -> Path:
    return divisions_or_fail()


@pytest.fixture(scope="session", params=SIZES, ids=[s.label for s in SIZES])
def size(request) -> Size:
    return request.param


@pytest.fixture(scope="session")
def admin(size, divisions_path) -> cg.CivicGraph:
    """The admin units of ``size`` (read once per size)."""
    return cg.read_divisions(divisions_path, within=size.within)


@pytest.fixture(scope="session")
def registry(size, admin) -> cg.CivicGraph:
    """The synthetic registry of ``size``, with its structural arrays built."""
    g = cg.datasets.synthetic(divisions=admin, seed=0, validate=False)
    g.tree  # noqa: B018 - the arrays every metric shares are part of building
    g.edge_positions  # noqa: B018
    return g


def pytest_terminal_summary(terminalreporter):
    tr = terminalreporter
    if RESULTS:
        tr.section("civicgraph against networkx (best round, same run)")
        tr.write_line(f"machine: {machine()}")
        for line in ratio_table():
            tr.write_line(line)
    if MEMORY:
        tr.section("peak memory of the national pipeline (fresh process, VmHWM)")
        for line in memory_table():
            tr.write_line(line)


# ---------------------------------------------------------------------------- memory


def peak_rss_mib(code: str, *args: str) -> float:
    """Peak resident memory (MiB) of a fresh Python process running ``code``.

    A separate process, so that what the benchmark session already holds does not count.
    Read from ``VmHWM`` (the high-water mark of the process's own memory): on Linux
    ``ru_maxrss`` of a child started from a large process starts at the parent's size.
    """
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\n{PRINT_PEAK}", *args],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return float(out.strip().splitlines()[-1])


#: Python source printing the process's peak resident memory in MiB.
PRINT_PEAK = (
    "print(next(int(line.split()[1]) for line in open('/proc/self/status')"
    " if line.startswith('VmHWM:')) / 1024)"
)


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
