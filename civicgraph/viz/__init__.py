"""Pictures: interactive networks (pyvis) and charts (plotly), all working offline."""

from .charts import coverage_bars, coverage_tree, funding_sankey, trend_lines
from .network import network

__all__ = [
    "CivicNetwork",
    "coverage_bars",
    "coverage_tree",
    "funding_sankey",
    "network",
    "trend_lines",
]


def __getattr__(name: str):
    if name == "CivicNetwork":  # imported on first use: pyvis loads IPython (~30 MiB)
        from ._pyvis import CivicNetwork

        return CivicNetwork
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
