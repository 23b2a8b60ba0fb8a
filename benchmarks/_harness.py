"""Sizes, timing and the ratio table shared by the benchmark files (see conftest.py)."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass

import pandas as pd

import civicgraph as cg


@dataclass(frozen=True)
class Size:
    label: str
    within: str | None
    rounds: int  # rounds of each timed call (best round reported)

    @property
    def baseline(self) -> bool:
        """Run the networkx baselines at this size (they take minutes on the country)."""
        return self.within is not None


SIZES = [Size("1/100", "1101", 5), Size("1/10", "37", 3), Size("1/1", None, 2)]
_wanted = os.environ.get("CIVICGRAPH_BENCH_SIZES")
if _wanted:
    SIZES = [s for s in SIZES if s.label in _wanted.split(",")]


def clear_metric_caches(g: cg.CivicGraph) -> None:
    """Forget what metrics keep on a graph (hub scope, tie graph, adjacency, everything
    per date), so that a round measures a *cold* call; the graph's indexes stay: admin
    tree, edge positions, organization ties and label dictionaries (the categories of
    the id and name columns), built once per graph (see :func:`clear_all_caches`)."""
    g.__dict__.pop("_metrics_cache", None)
    g.__dict__.pop("_adjacency_cache", None)


def clear_all_caches(g: cg.CivicGraph) -> None:
    """:func:`clear_metric_caches` and the per-graph indexes built on first use after
    the tree: organization ties and label dictionaries (a first call on a fresh graph)."""
    clear_metric_caches(g)
    g.__dict__.pop("_org_ties", None)
    g.__dict__.pop("_labels", None)


def time_cold(benchmark, size: Size, func, g, **kwargs):
    """``benchmark.pedantic`` of ``func(g, **kwargs)`` with cleared caches every round."""

    def setup():
        clear_metric_caches(g)
        return (g,), kwargs

    return benchmark.pedantic(func, setup=setup, rounds=size.rounds, iterations=1)


def time_first_call(benchmark, size: Size, func, g, **kwargs):
    """``benchmark.pedantic`` of ``func(g, **kwargs)`` as the first call on the graph
    (everything but the admin tree and edge positions rebuilt every round)."""

    def setup():
        clear_all_caches(g)
        return (g,), kwargs

    return benchmark.pedantic(func, setup=setup, rounds=size.rounds, iterations=1)


def time_warm(benchmark, size: Size, func, g, **kwargs):
    """``benchmark.pedantic`` of ``func(g, **kwargs)`` asked again: every cache a graph
    keeps is filled by the call before (what a notebook pays for the same table twice,
    and what ``coverage`` costs inside ``summary`` or a report)."""
    func(g, **kwargs)
    return benchmark.pedantic(
        func, args=(g,), kwargs=kwargs, rounds=max(size.rounds, 5), iterations=1
    )


def time_new_date(benchmark, size: Size, func, g, **kwargs):
    """``benchmark.pedantic`` of ``func(g, as_of=day, **kwargs)`` with a day not asked
    before in every round: what a time series of a metric costs per point (the graph's
    per-date caches miss, its indexes are built). The days are in 2023, the last year of
    the synthetic registry's dates (2015-2023): most of its hubs have started."""
    func(g, **kwargs)  # the indexes, as after any earlier call
    days = iter(pd.date_range("2023-01-01", periods=10_000, freq="D"))

    def setup():
        return (g,), {**kwargs, "as_of": next(days)}

    return benchmark.pedantic(func, setup=setup, rounds=max(size.rounds, 5), iterations=1)


# ---------------------------------------------------------------------------- results

#: (operation, size label) -> {"civicgraph": s, "networkx": s, "communities": n}
RESULTS: dict[tuple[str, str], dict[str, float]] = {}
#: stage -> peak resident memory (MiB) after it, of the national pipeline (bench_memory.py)
MEMORY: dict[str, float] = {}


def record(
    benchmark, operation: str, size: Size, who: str, communities: int, *, scale: float = 1.0
) -> float:
    """Store the best round of ``benchmark`` (times ``scale``) as ``who``'s time of
    ``operation``."""
    best = float(benchmark.stats.stats.min) * scale
    row = RESULTS.setdefault((operation, size.label), {})
    row[who] = best
    row["communities"] = communities
    benchmark.extra_info.update(operation=operation, size=size.label, who=who, seconds=best)
    return best


def machine() -> str:
    import networkx
    import numpy
    import pandas
    import scipy

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{mem:.0f} GiB RAM; Python {platform.python_version()}, numpy {numpy.__version__}, "
        f"scipy {scipy.__version__}, pandas {pandas.__version__}, "
        f"networkx {networkx.__version__}, civicgraph {cg.__version__}"
    )


def _times(r: float) -> str:
    return f"{r:.0f}x" if r >= 10 else f"{r:.1f}x"


def ratio_table() -> list[str]:
    """The Markdown table of the run: times, speed-up over networkx, growth by size."""
    lines = [
        "| operation | size | communities | civicgraph (s) | networkx (s) | networkx / civicgraph "
        "| growth (time ratio / size ratio) |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    previous: dict[str, dict] = {}
    order = {s.label: i for i, s in enumerate(SIZES)}
    for (op, label), row in sorted(RESULTS.items(), key=lambda kv: (kv[0][0], order[kv[0][1]])):
        ours, nx_s = row.get("civicgraph"), row.get("networkx")
        growth = ""
        prev = previous.get(op)
        if prev and ours and prev.get("civicgraph"):
            growth = f"{_times(ours / prev['civicgraph'])} / {_times(row['communities'] / prev['communities'])}"
        lines.append(
            f"| {op} | {label} | {row['communities']:,} | "
            + (f"{ours:.4f}" if ours is not None else "—")
            + " | "
            + (f"{nx_s:.3f}" if nx_s is not None else "—")
            + " | "
            + (_times(nx_s / ours) if ours and nx_s else "—")
            + f" | {growth} |"
        )
        previous[op] = row
    return lines


def memory_table() -> list[str]:
    """The Markdown table of the pipeline's peak memory after each stage."""
    lines = ["| after stage | peak RSS (MiB) |", "|---|---:|"]
    lines += [f"| {stage} | {mib:,.0f} |" for stage, mib in MEMORY.items()]
    return lines
