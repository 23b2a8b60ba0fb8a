"""What `import civicgraph` does to the process: Arrow's buffers on the C heap (unless the
environment names a pool), and little else: scipy, the pictures, the report, the example
data and the command line's rich load on first use (no pyvis or IPython until a network
is drawn), while every public name resolves as before."""

import os
import subprocess
import sys
from pathlib import Path

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


# ---------------------------------------------------------------- what an import loads

#: Loaded only by the work that needs them (civicgraph/_lazy.py): never by
#: ``import civicgraph`` or ``import civicgraph.cli``.
DEFERRED = (
    "scipy",
    "jinja2",
    "plotly",
    "pyvis",
    "networkx",
    "igraph",
    "charset_normalizer",  # numpy.f2py's, loaded by scipy
    "rich",
    "xlsxwriter",
    "python_calamine",
    "civicgraph.datasets",
    "civicgraph.datasets._synthetic",
    "civicgraph.datasets._wuhu",
    "civicgraph.io",
    "civicgraph.io.registry",
    "civicgraph.metrics",
    "civicgraph.model",
    "civicgraph.report",
    "civicgraph.viz",
)


def _loaded(code: str) -> list[list[str]]:
    """Run ``code`` in a fresh interpreter; each ``show()`` in it prints which of
    :data:`DEFERRED` are loaded by then (a top-level package counts with its modules)."""
    probe = (
        "import sys\n"
        f"def show(names={DEFERRED!r}):\n"
        "    print(','.join(n for n in names if n in sys.modules))\n" + code
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return [line.split(",") if line else [] for line in out.stdout.splitlines()]


def test_import_loads_none_of_the_deferred_modules():
    assert _loaded("import civicgraph; show(); import civicgraph.cli; show()") == [[], []]


def test_each_deferred_part_loads_on_first_use():
    shown = _loaded(
        "import civicgraph as cg\n"
        "cg.datasets; show()\n"
        "cg.datasets.synthetic; show()\n"
        "cg.report; show()\n"
        "cg.viz.CivicNetwork; show()\n"
    )
    assert shown[0] == ["civicgraph.datasets"]
    assert "civicgraph.datasets._synthetic" in shown[1] and "scipy" not in shown[1]
    assert "civicgraph.datasets._wuhu" not in shown[1]
    assert {"civicgraph.report", "civicgraph.viz", "jinja2", "plotly"} <= set(shown[2])
    assert "pyvis" not in shown[2] and "pyvis" in shown[3]


def test_gaps_coverage_and_summary_load_no_scipy_and_no_pictures():
    """The command line's common path: an acyclic graph is checked without scipy."""
    shown = _loaded(
        "import civicgraph as cg\n"
        "g = cg.datasets.wuhu(); cg.gaps(g); cg.coverage(g); cg.summary(g); show()\n"
        "cg.hub_centrality(g); show()\n"
    )
    for name in ("scipy", "jinja2", "plotly", "civicgraph.report", "civicgraph.viz"):
        assert name not in shown[0]
    assert "civicgraph.datasets._synthetic" not in shown[0]
    assert "scipy" in shown[1]


def test_the_gaps_command_loads_no_scipy_pictures_or_progress_bar():
    names = ("scipy", "jinja2", "plotly", "civicgraph.report", "civicgraph.viz", "rich.progress")
    shown = _loaded(
        "import contextlib, io\n"
        "from civicgraph.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.suppress(SystemExit):\n"
        "    main(['gaps', 'example:wuhu', '--top', '3', '--lang', 'en'])\n"
        "assert 'Gaps' in out.getvalue(), out.getvalue()\n"
        f"show({names!r})\n"
    )
    assert shown == [[]]


def test_cg_report_stays_the_function_once_its_package_is_imported():
    # importing civicgraph.report sets the package's attribute `report` to the module
    shown = _loaded(
        "from civicgraph.report import Report, to_pdf\n"
        "from civicgraph.report.html import report as function\n"
        "import civicgraph as cg\n"
        "print(cg.report is function, cg.report.to_pdf is to_pdf, cg.report.Report is Report)\n"
        "from civicgraph import report\n"
        "print(report is function)\n"
    )
    assert shown == [["True True True"], ["True"]]


def test_every_public_name_resolves_and_is_listed():
    import civicgraph as cg

    assert set(cg.__all__) <= set(dir(cg))
    for name in cg.__all__:
        assert getattr(cg, name) is not None, name
    assert cg.report.__module__ == "civicgraph.report.html" and cg.gaps.__name__ == "gaps"
    assert cg.datasets.__name__ == "civicgraph.datasets" and cg.viz.__name__ == "civicgraph.viz"
    assert isinstance(cg.datasets.wuhu(), cg.CivicGraph)
    namespace: dict = {}
    exec("from civicgraph import *", namespace)
    assert set(cg.__all__) <= set(namespace)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        cg.nothing  # noqa: B018
    for package in (cg.datasets, cg.io):
        assert set(package.__all__) <= set(dir(package))
        for name in package.__all__:
            assert getattr(package, name) is not None, (package.__name__, name)


@pytest.mark.parametrize("package", ["civicgraph", "civicgraph.io", "civicgraph.datasets"])
def test_the_lazy_table_and_the_type_checking_imports_agree(package):
    """What type checkers and editors read (``if TYPE_CHECKING:``) is what loads."""
    import ast
    import importlib

    module = importlib.import_module(package)
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    block = next(
        n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"
    )
    static = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.level == 1
        key = f".{node.module}" if node.module else None
        static[key] = tuple(a.name for a in node.names)
    assert static == module._LAZY
    assert {n for names in module._LAZY.values() for n in names} <= set(module.__all__)
