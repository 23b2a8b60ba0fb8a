"""Names of a package imported on first use (PEP 562), so that ``import civicgraph`` (and
every run of the command line) loads only what the work at hand needs.

A package lists its lazy names as ``{module: names}``, the module relative to the package
(``None`` for the package's own submodules of those names), beside the same imports under
``if TYPE_CHECKING:`` for type checkers and editors; ``tests/test_import.py`` fails when
the two disagree. ``dir()``, ``from package import *`` and tab completion see every name.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy"]


def lazy(
    namespace: dict[str, Any], table: Mapping[str | None, tuple[str, ...]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` of the package whose globals are ``namespace``:
    each name of ``table`` is imported from its module on first access, then kept.

    >>> ns = {"__name__": "civicgraph"}
    >>> getattr_, dir_ = lazy(ns, {".schema": ("COL",), None: ("catalog",)})
    >>> getattr_("COL").KIND, getattr_("catalog").__name__, "COL" in ns, dir_()[:2]
    ('kind', 'civicgraph.catalog', True, ['COL', '__name__'])
    >>> getattr_("nothing")
    Traceback (most recent call last):
    AttributeError: module 'civicgraph' has no attribute 'nothing'
    """
    package = namespace["__name__"]
    where = {name: module for module, names in table.items() for name in names}

    def __getattr__(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = where[name]
        # __import__ rather than importlib.import_module: -X importtime lists what it loads
        if module is None:
            __import__(f"{package}.{name}")
            value = sys.modules[f"{package}.{name}"]
        else:
            value = getattr(__import__(f"{package}{module}", fromlist=[name]), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(where))

    return __getattr__, __dir__
