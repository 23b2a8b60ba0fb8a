"""civicgraph: graph analytics for the ecosystem of community social organizations.

>>> import civicgraph as cg
>>> cg.__version__
'0.1.0'
"""

from . import datasets, schema, viz
from ._errors import CivicGraphError, DataNotFoundError, Problem, SchemaError, ValidationError
from ._memory import use_system_pool
from ._version import __version__
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
