"""civicgraph: graph analytics for the ecosystem of community social organizations.

>>> import civicgraph as cg
>>> cg.__version__
'0.1.0'
"""

from . import schema, viz
from ._errors import CivicGraphError, DataNotFoundError, Problem, SchemaError, ValidationError
from ._version import __version__
from .io.divisions import read_divisions
from .model import CivicGraph
from .report import report

__all__ = [
    "CivicGraph",
    "CivicGraphError",
    "DataNotFoundError",
    "Problem",
    "SchemaError",
    "ValidationError",
    "__version__",
    "read_divisions",
    "report",
    "schema",
    "viz",
]
