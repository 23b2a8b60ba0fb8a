"""Example data shipped with civicgraph.

``data/wuhu_divisions_2023.csv.gz`` holds the 1,039 admin units of Wuhu (city code 3402:
9 county-level units, 79 streets/townships, 950 communities/villages) cut from the
National Bureau of Statistics 2023 statistical division codes, as packaged by the public
``china-division`` 2.7.0 data set (WTFPL licence).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["wuhu_divisions_path"]


def wuhu_divisions_path() -> Path:
    """Path of the embedded Wuhu division codes (NBS 2023, city 3402).

    >>> wuhu_divisions_path().name
    'wuhu_divisions_2023.csv.gz'
    """
    return Path(str(resources.files(__package__).joinpath("data/wuhu_divisions_2023.csv.gz")))
