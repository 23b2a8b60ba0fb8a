"""Benchmarks of civicgraph against the networkx way (see README.md)."""
