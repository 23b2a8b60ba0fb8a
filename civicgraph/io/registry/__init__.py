"""Organization registries: a workbook (or a folder of CSVs) into a :class:`CivicGraph`.

A registry has the sheets (or CSV files) ``organizations`` (组织), ``ties`` (关系),
``funding`` (资金) and, optionally, ``programs`` (项目). Sheet names, headers and code
values may be Chinese or English (see :data:`civicgraph.schema.HEADER_ALIASES` and the
value aliases next to it); docs/registry-format.md describes every column.

Every problem is reported with file, sheet, row and column, all at once, in one
:class:`~civicgraph.ValidationError`; nothing is dropped silently (columns civicgraph does
not know are kept as attributes).

The reader is a package of steps, in the order the data flows: :mod:`.files` (workbook
or CSV folder → raw cells), :mod:`.headers` (sheet names, header rows → sheets),
:mod:`.cells` (typed values), :mod:`.places` (division codes and names),
:mod:`.export` (a platform export's columns, suggestions), :mod:`.tables` (node and edge
tables), :mod:`.read` (the graph, checked); :mod:`.write` (graph → registry, template)
and :mod:`.roles` (the registry again with the roles its names suggest).
"""

# names the rest of civicgraph and the tests use from here
from .files import PROVENANCE as PROVENANCE
from .files import Progress as Progress
from .headers import _HEADER_LOOKUP as _HEADER_LOOKUP
from .headers import COLUMNS as COLUMNS
from .headers import SHEETS as SHEETS
from .read import read_registry, registry_problems, validate
from .write import write_registry, write_template

__all__ = ["read_registry", "registry_problems", "validate", "write_registry", "write_template"]
