"""Reading a registry: civicgraph.read_registry against plain pandas.read_csv of the same
files (the floor: every cell has to be read once anyway).

Run with ``python -m pytest benchmarks/bench_registry.py --benchmark-enable``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import civicgraph as cg

N_ORGS = 20_000


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    admin = cg.read_divisions(cg.datasets.wuhu_divisions_path(), within="3402")
    comm = admin.nodes.index[admin.nodes["level"] == "community"].to_numpy()
    names = admin.nodes.loc[comm, "name"].str.replace("居民委员会", "").to_numpy()
    rng = np.random.default_rng(0)
    folder = tmp_path_factory.mktemp("registry")
    ids = [f"o{i}" for i in range(N_ORGS)]
    where = rng.integers(len(comm), size=N_ORGS)
    pd.DataFrame(
        {
            "编号": ids,
            "组织名称": [f"组织{i}" for i in range(N_ORGS)],
            "组织类型": np.where(np.arange(N_ORGS) < 500, "联合会", "社区社会组织"),
            # half the organizations give a code, half a community name
            "所在社区": np.where(np.arange(N_ORGS) % 2 == 0, comm[where], names[where]),
            "成立日期": "2019年8月31日",
        }
    ).to_csv(folder / "组织.csv", index=False, encoding="gbk")
    pd.DataFrame(
        {"来源": ids[500:], "对象": [ids[i % 500] for i in range(500, N_ORGS)], "关系类型": "加入"}
    ).to_csv(folder / "关系.csv", index=False)
    pd.DataFrame(
        {"来源": [ids[i % 500] for i in range(N_ORGS)], "对象": ids, "金额（万元）": "0.5"}
    ).to_csv(folder / "资金.csv", index=False)
    return folder, admin


def test_read_registry(benchmark, registry):
    folder, admin = registry
    g = benchmark(cg.read_registry, folder, divisions=admin, validate=False)
    assert g.n_nodes == admin.n_nodes + N_ORGS


def test_baseline_read_csv(benchmark, registry):
    folder, _ = registry

    def read_all():
        return [pd.read_csv(f, dtype=str, encoding_errors="replace") for f in folder.iterdir()]

    assert sum(len(t) for t in benchmark(read_all)) == 3 * N_ORGS - 500
