"""Notebooks run (nbmake) in a kernel of their own: make it import this checkout's
civicgraph rather than whichever copy is installed."""

import os
from pathlib import Path

_root = str(Path(__file__).resolve().parents[1])
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (_root, os.environ.get("PYTHONPATH")) if p
)
