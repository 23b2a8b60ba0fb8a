"""The HTML report of one city: ``cg.report(g.within(city))`` at each size, for the city
of the registry with the most communities (the table's ``communities`` column is that
city's). No networkx baseline: networkx draws and reports nothing of the kind.
"""

from __future__ import annotations

import numpy as np
import pytest

import civicgraph as cg
from benchmarks._harness import record


@pytest.fixture(scope="session")
def city(registry) -> str:
    t = registry.tree
    cities = np.flatnonzero(registry.mask(kind="admin", level="city"))
    return str(registry.ids[cities[np.argmax(t.comm_hi[cities] - t.comm_lo[cities])]])


@pytest.mark.benchmark(group="report")
def test_report_of_one_city(benchmark, size, registry, city):
    def run():
        sub = registry.within(city)
        return sub, cg.report(sub, lang="zh")

    sub, html = benchmark.pedantic(run, rounds=min(size.rounds, 2), iterations=1)
    assert html.startswith("<!DOCTYPE html>") or "<html" in html[:500]
    benchmark.extra_info.update(city=city, html_bytes=len(html.encode()))
    record(benchmark, "report of one city", size, "civicgraph", int(sub.tree.n_communities))
