"""civicgraph: graph analytics for the ecosystem of community social organizations.

>>> import civicgraph as cg
>>> cg.__version__
'0.1.0'
"""

from . import schema
from ._errors import CivicGraphError, DataNotFoundError, Problem, SchemaError, ValidationError
from ._version import __version__
from .io.divisions import read_divisions
from .metrics.centrality import hub_centrality
from .metrics.funding import funding_concentration, funding_flows, funding_reach
from .metrics.platform import platform, platform_chains
from .metrics.rules import DEFAULT_RULES, Rule, check_rules
from .metrics.trend import trend
from .model import CivicGraph

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
    "funding_concentration",
    "funding_flows",
    "funding_reach",
    "hub_centrality",
    "platform",
    "platform_chains",
    "read_divisions",
    "schema",
    "trend",
]
