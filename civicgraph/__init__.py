"""civicgraph: graph analytics for the ecosystem of community social organizations.

>>> import civicgraph as cg
>>> cg.__version__
'0.1.0'
"""

from . import datasets, schema
from ._errors import CivicGraphError, DataNotFoundError, Problem, SchemaError, ValidationError
from ._version import __version__
from .io.divisions import read_divisions
from .io.export import read_parquet, write_gexf, write_graphml, write_node_link, write_parquet
from .io.registry import read_registry, validate, write_registry, write_template
from .io.tables import write_table, write_tables
from .metrics.coverage import coverage, street_target
from .metrics.gaps import gaps
from .metrics.placement import place_hubs
from .metrics.summary import summary
from .model import CivicGraph

__all__ = [
    "CivicGraph",
    "CivicGraphError",
    "DataNotFoundError",
    "Problem",
    "SchemaError",
    "ValidationError",
    "__version__",
    "coverage",
    "datasets",
    "gaps",
    "place_hubs",
    "read_divisions",
    "read_parquet",
    "read_registry",
    "schema",
    "street_target",
    "summary",
    "validate",
    "write_gexf",
    "write_graphml",
    "write_node_link",
    "write_parquet",
    "write_registry",
    "write_table",
    "write_tables",
    "write_template",
]
