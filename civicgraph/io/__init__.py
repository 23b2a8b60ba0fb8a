"""Reading and writing: division codes, registries, graph formats."""

from .divisions import read_divisions

__all__ = ["read_divisions"]
