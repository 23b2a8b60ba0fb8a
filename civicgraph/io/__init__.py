"""Reading and writing: division codes, registries, graph formats."""

from .divisions import read_divisions
from .export import read_parquet, write_gexf, write_graphml, write_node_link, write_parquet
from .registry import read_registry, validate, write_registry, write_template

__all__ = [
    "read_divisions",
    "read_parquet",
    "read_registry",
    "validate",
    "write_gexf",
    "write_graphml",
    "write_node_link",
    "write_parquet",
    "write_registry",
    "write_template",
]
