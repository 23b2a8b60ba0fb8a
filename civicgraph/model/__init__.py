"""The typed graph and its derived integer structures."""

from ._tree import AdminTree
from .graph import CivicGraph

__all__ = ["AdminTree", "CivicGraph"]
