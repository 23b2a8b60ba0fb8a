"""Metrics: plain functions ``metric(g, *, options) -> DataFrame``, never mutating ``g``."""

__all__: list[str] = []
