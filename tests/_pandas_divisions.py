"""The division reader before Arrow (commit 9cdf477's ``_read_folder``): every per-level
file read whole by :func:`civicgraph.io._tables.read_csv_any`, filtered afterwards. The
reference the tests compare the Arrow reader with, and the benchmarks' baseline."""

from __future__ import annotations

import numpy as np
import pandas as pd

from civicgraph.io import divisions
from civicgraph.io._tables import read_csv_any


def pandas_read_folder(folder, within, *, every_row=False):
    """``divisions._read_folder`` as it was: every row of the files from ``within``'s
    level down (``every_row`` is accepted and always true)."""
    frames = []
    for level in divisions.DIVISION_FILES:
        path = divisions._level_file(folder, level)
        if within is not None and divisions.LEVEL_CODE_LENGTH[level] < len(within):
            continue
        df = read_csv_any(path, usecols=["code", "name"])
        frames.append(df.assign(_file=path.name, _row=np.arange(2, len(df) + 2)))
    return pd.concat(frames, ignore_index=True)
