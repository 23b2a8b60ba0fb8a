"""What `import civicgraph` does to the process: Arrow's buffers on the C heap (unless the
environment names a pool), and no pyvis or IPython until a network is drawn."""

import os
import subprocess
import sys

import pytest

PROBE = (
    "import pyarrow as pa; before = pa.default_memory_pool().backend_name; "
    "import civicgraph; print(before, pa.default_memory_pool().backend_name)"
)


def _pools(**env) -> list[str]:
    clean = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env={**clean, **env}, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_import_uses_the_system_pool():
    assert _pools()[1] == "system"


def test_a_pool_named_in_the_environment_is_kept():
    own = _pools()[0]  # pyarrow's own default on this platform
    if own == "system":
        pytest.skip("pyarrow's own default is the system pool here")
    assert _pools(ARROW_DEFAULT_MEMORY_POOL=own) == [own, own]


def test_import_loads_no_pyvis_until_a_network_is_drawn():
    probe = (
        "import sys, civicgraph as cg; print('pyvis' in sys.modules, 'IPython' in sys.modules);"
        " cg.viz.network(cg.datasets.wuhu()); print('pyvis' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False", "True"]
