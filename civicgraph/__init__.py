"""civicgraph: graph analytics for the ecosystem of community social organizations.

>>> import civicgraph as cg
>>> cg.__version__
'0.1.0'
"""

import sys
from types import ModuleType
from typing import TYPE_CHECKING

from . import schema
from ._errors import CivicGraphError, DataNotFoundError, Problem, SchemaError, ValidationError
from ._lazy import lazy
from ._memory import use_system_pool
from ._version import __version__

# Everything else is imported on first use (``cg.gaps``, ``from civicgraph import gaps``):
# ``import civicgraph`` loads pandas, pyarrow and the schema, not scipy, the pictures or
# the report (see civicgraph/_lazy.py; tests/test_import.py keeps the two lists equal).
_LAZY = {
    None: ("datasets", "viz"),
    ".io.divisions": ("read_divisions",),
    ".io.export": (
        "read_parquet",
        "write_gexf",
        "write_graphml",
        "write_node_link",
        "write_parquet",
    ),
    ".io.registry": ("read_registry", "validate", "write_registry", "write_template"),
    ".io.tables": ("write_table", "write_tables"),
    ".metrics.centrality": ("hub_centrality",),
    ".metrics.coverage": ("coverage", "street_target"),
    ".metrics.funding": ("funding_concentration", "funding_flows", "funding_reach"),
    ".metrics.gaps": ("gaps",),
    ".metrics.placement": ("place_hubs",),
    ".metrics.platform": ("platform", "platform_chains"),
    ".metrics.rules": ("DEFAULT_RULES", "Rule", "check_rules"),
    ".metrics.sectors": ("three_sectors",),
    ".metrics.summary": ("summary",),
    ".metrics.trend": ("trend",),
    ".model": ("CivicGraph",),
    ".report": ("report",),
}
__getattr__, __dir__ = lazy(globals(), _LAZY)

if TYPE_CHECKING:
    from . import datasets, viz
    from .io.divisions import read_divisions
    from .io.export import read_parquet, write_gexf, write_graphml, write_node_link, write_parquet
    from .io.registry import read_registry, validate, write_registry, write_template
    from .io.tables import write_table, write_tables
    from .metrics.centrality import hub_centrality
    from .metrics.coverage import coverage, street_target
    from .metrics.funding import funding_concentration, funding_flows, funding_reach
    from .metrics.gaps import gaps
    from .metrics.placement import place_hubs
    from .metrics.platform import platform, platform_chains
    from .metrics.rules import DEFAULT_RULES, Rule, check_rules
    from .metrics.sectors import three_sectors
    from .metrics.summary import summary
    from .metrics.trend import trend
    from .model import CivicGraph
    from .report import report


class _Package(ModuleType):
    """civicgraph's own module type, for one name: ``cg.report`` is the report function,
    also once the package ``civicgraph.report`` is imported (``from civicgraph.report import
    to_pdf``), which sets the attribute ``report`` of ``civicgraph`` to that package."""

    @property
    def report(self):
        value = self.__dict__.get("report")
        if value is None or isinstance(value, ModuleType):
            value = self.__dict__["report"] = __getattr__("report")
        return value

    @report.setter
    def report(self, value) -> None:
        self.__dict__["report"] = value

    @report.deleter
    def report(self) -> None:
        self.__dict__.pop("report", None)


sys.modules[__name__].__class__ = _Package

use_system_pool()  # Arrow buffers on the C heap, like numpy's: see civicgraph/_memory.py

__all__ = [
    "CivicGraph",
    "CivicGraphError",
    "DEFAULT_RULES",
    "DataNotFoundError",
    "Problem",
    "Rule",
    "SchemaError",
    "ValidationError",
    "__version__",
    "check_rules",
    "coverage",
    "datasets",
    "funding_concentration",
    "funding_flows",
    "funding_reach",
    "gaps",
    "hub_centrality",
    "place_hubs",
    "platform",
    "platform_chains",
    "read_divisions",
    "read_parquet",
    "read_registry",
    "report",
    "schema",
    "street_target",
    "summary",
    "three_sectors",
    "trend",
    "validate",
    "viz",
    "write_gexf",
    "write_graphml",
    "write_node_link",
    "write_parquet",
    "write_registry",
    "write_table",
    "write_tables",
    "write_template",
]
