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

from ._synthetic import synthetic
from ._wuhu import wuhu, wuhu_divisions_path

__all__ = ["synthetic", "wuhu", "wuhu_divisions_path"]
