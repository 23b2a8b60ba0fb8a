"""A 1M-organization registry (CSV folder): load time and peak memory.

The folder is generated here (never committed); reading is measured in a separate
process so that peak memory (``VmHWM``, the process's own high-water mark) counts the reader
only.

    python benchmarks/bench_large_registry.py 1000000     # prints seconds and peak MB
    python -m pytest benchmarks/bench_large_registry.py   # asserts < 1 GB peak
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
LIMIT_MB = 1024

READ = """
import json, sys, time
sys.path.insert(0, {root!r})
import civicgraph as cg
admin = cg.read_divisions(cg.datasets.wuhu_divisions_path(), within="3402")
t = time.perf_counter()
g = cg.read_registry({path!r}, divisions=admin)
seconds = time.perf_counter() - t
# VmHWM, the process's own peak: ru_maxrss of a child of a large process (the benchmark
# session after the national registry) starts at the parent's size on Linux
with open("/proc/self/status") as f:
    peak = next(int(x.split()[1]) for x in f if x.startswith("VmHWM:")) / 1024
print(json.dumps({{"seconds": seconds, "peak_mb": peak, "nodes": g.n_nodes, "edges": g.n_edges}}))
"""


def make_registry(folder: Path, n: int, *, ties: bool = True) -> Path:
    """``n`` organizations spread over Wuhu's communities, one hub in ten, and (with
    ``ties``) each member a ``member_of`` tie to a hub."""
    sys.path.insert(0, str(ROOT))
    import civicgraph as cg

    admin = cg.read_divisions(cg.datasets.wuhu_divisions_path(), within="3402")
    comm = admin.ids[admin.mask(level="community")]
    i = np.arange(n)
    ids = pd.Series(i).astype(str).radd("o")
    pd.DataFrame(
        {
            "编号": ids,
            "组织名称": pd.Series(i).astype(str).radd("社区社会组织"),
            "组织类型": np.where(i % 10 == 0, "联合会", "社区社会组织"),
            "所在区划代码": comm[i % len(comm)],
            "成立日期": "2019-08-31",
        }
    ).to_csv(folder / "组织.csv", index=False)
    if not ties:
        return folder
    member = i[i % 10 != 0]
    pd.DataFrame(
        {
            "来源": ids[member].to_numpy(),
            "对象": ids[member - member % 10].to_numpy(),
            "关系类型": "加入",
        }
    ).to_csv(folder / "关系.csv", index=False)
    return folder


def measure(n: int, *, ties: bool = True) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = make_registry(Path(tmp), n, ties=ties)
        out = subprocess.run(
            [sys.executable, "-c", READ.format(root=str(ROOT), path=str(path))],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_one_million_organizations_within_1gb():
    result = measure(1_000_000, ties=False)
    print(result)
    assert result["nodes"] == 1_000_000 + 1039
    assert result["peak_mb"] < LIMIT_MB, result


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    print("organizations only:", measure(n, ties=False))
    print("with member_of ties:", measure(n))
