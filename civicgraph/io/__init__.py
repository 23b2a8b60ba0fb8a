"""Reading and writing: division codes, registries, graph formats."""

from typing import TYPE_CHECKING

from .._lazy import lazy

# imported on first use: reading division codes does not load the registry reader
_LAZY = {
    ".divisions": ("read_divisions",),
    ".export": ("read_parquet", "write_gexf", "write_graphml", "write_node_link", "write_parquet"),
    ".registry": ("read_registry", "validate", "write_registry", "write_template"),
}
__getattr__, __dir__ = lazy(globals(), _LAZY)

if TYPE_CHECKING:
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
