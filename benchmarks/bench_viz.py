"""Writing pictures and the report of a whole city (issue 5).

Targets: the network of a city registry (Wuhu's 1,040 units + 4,000 or 20,000 synthetic
organizations) writes in well under a few seconds and opens usable (collapsed to streets,
layout precomputed, physics off); the report of the city writes in seconds. The baseline
is pyvis's own path on the same graph (``Network.from_nx`` + ``generate_html``, physics
on, no collapsing) in the same run. File sizes go to ``extra_info``.
"""

from __future__ import annotations

import pytest
from pyvis.network import Network

import civicgraph as cg
from tests._pages import make_city


@pytest.fixture(scope="module", params=[4000, 20000], ids=["4k", "20k"])
def city(request):
    return make_city(n_members=request.param)


@pytest.mark.benchmark(group="viz-network")
def test_network_collapsed(benchmark, city, tmp_path):
    out = tmp_path / "network.html"
    net = benchmark.pedantic(cg.viz.network, args=(city,), kwargs={"path": out}, rounds=3)
    benchmark.extra_info.update(
        nodes=city.n_nodes, drawn=len(net.nodes), file_mib=round(out.stat().st_size / 2**20, 2)
    )
    assert len(net.nodes) < 200


@pytest.mark.benchmark(group="viz-network")
def test_network_uncollapsed(benchmark, city, tmp_path):
    out = tmp_path / "network.html"
    net = benchmark.pedantic(
        cg.viz.network, args=(city,), kwargs={"path": out, "collapse": None}, rounds=1
    )
    benchmark.extra_info.update(drawn=len(net.nodes), file_mib=round(out.stat().st_size / 2**20, 2))
    assert len(net.nodes) == city.n_nodes


@pytest.mark.benchmark(group="viz-network")
def test_pyvis_from_networkx_baseline(benchmark, city):
    G = city.to_networkx()
    for _, data in G.nodes(data=True):  # pyvis writes every attribute; keep it to JSON types
        data.clear()
    for *_, data in G.edges(data=True):
        data.clear()

    def draw():
        net = Network(directed=True, cdn_resources="in_line")
        net.from_nx(G)
        return net.generate_html()

    page = benchmark.pedantic(draw, rounds=1)
    benchmark.extra_info.update(file_mib=round(len(page.encode()) / 2**20, 2))


@pytest.mark.benchmark(group="viz-report")
def test_report_city(benchmark, city, tmp_path):
    out = tmp_path / "report.html"
    benchmark.pedantic(cg.report, args=(city,), kwargs={"path": out, "lang": "zh"}, rounds=1)
    benchmark.extra_info.update(file_mib=round(out.stat().st_size / 2**20, 2))
