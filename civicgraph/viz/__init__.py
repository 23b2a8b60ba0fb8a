"""Pictures: interactive networks (pyvis) and charts (plotly), all working offline."""

from .charts import coverage_bars, coverage_tree, funding_sankey, trend_lines
from .network import __getattr__ as __getattr__  # CivicNetwork on first use: no pyvis yet
from .network import network

__all__ = [
    "CivicNetwork",
    "coverage_bars",
    "coverage_tree",
    "funding_sankey",
    "network",
    "trend_lines",
]
