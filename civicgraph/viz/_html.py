"""Offline HTML building blocks shared by the network page and the report.

Everything a page needs is inlined: vis-network's JavaScript and CSS come from the files
that the installed pyvis ships, plotly.js from the installed plotly. Data reaches the page
as JSON inside ``<script type="application/json">`` (never executed, and ``<``, ``>`` and
``&`` written as ``\\u003c``... so no string can close the script element), and is read
with ``JSON.parse``.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import numpy as np

__all__ = ["environment", "json_for_html", "plotly_js", "vis_css", "vis_js"]


def _pyvis_lib() -> Path:
    import pyvis

    return Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"


@cache
def vis_js() -> str:
    """vis-network's minified JavaScript (the copy pyvis ships)."""
    return (_pyvis_lib() / "vis-network.min.js").read_text("utf-8")


@cache
def vis_css() -> str:
    """vis-network's CSS (images in it are data URIs)."""
    return (_pyvis_lib() / "vis-network.css").read_text("utf-8")


@cache
def plotly_js() -> str:
    """plotly.js, minified, from the installed plotly package."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _default(o: Any):
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return float(o)
    if isinstance(o, np.bool_):
        return bool(o)
    raise TypeError(f"cannot write {type(o).__name__} as JSON")


def json_for_html(data: Any) -> str:
    """JSON safe to put inside a ``<script>`` element.

    >>> json_for_html({"name": "</script><b>&"})
    '{"name": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, default=_default, allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@cache
def environment() -> jinja2.Environment:
    """The jinja2 environment of civicgraph's templates (autoescape on, undefined strict):
    ``civicgraph/viz/templates`` (the network page and block) before
    ``civicgraph/report/templates`` (the report)."""
    env = jinja2.Environment(
        # the network's own templates first (viz/templates), then the report's
        loader=jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader(str(resources.files("civicgraph.viz") / "templates")),
                jinja2.FileSystemLoader(str(resources.files("civicgraph.report") / "templates")),
            ]
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(vis_js=vis_js, vis_css=vis_css, plotly_js=plotly_js)
    return env
