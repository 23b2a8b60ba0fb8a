"""Where Arrow's buffers come from.

pandas keeps civicgraph's string columns (ids, names, labels) in Arrow buffers, numpy its
integer arrays on the C heap. With pyarrow's default pool (mimalloc) the two allocators
each keep the memory freed by the other's temporaries: on the national registry the
pipeline of ``benchmarks/bench_memory.py`` peaked ~95 MiB higher than with both on the C
heap (1,015-1,021 vs 923-926 MiB, VmHWM, three runs each), at the same speed. So
``import civicgraph`` points Arrow's default pool at the system allocator, unless the
environment names a pool (``ARROW_DEFAULT_MEMORY_POOL=mimalloc`` keeps pyarrow's own
choice). The setting is per process: it applies to buffers allocated afterwards.
"""

from __future__ import annotations

import os

import pyarrow as pa

__all__ = ["POOL_ENV", "use_system_pool"]

#: pyarrow's own environment variable for its default pool.
POOL_ENV = "ARROW_DEFAULT_MEMORY_POOL"


def use_system_pool() -> None:
    """Allocate Arrow buffers with ``malloc``, like numpy, unless :data:`POOL_ENV` is set."""
    if not os.environ.get(POOL_ENV):
        pa.set_memory_pool(pa.system_memory_pool())
