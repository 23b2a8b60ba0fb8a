"""The pyvis network class behind :func:`civicgraph.viz.network` (its own module so that
``import civicgraph`` does not load pyvis and IPython: ~0.8 s and ~30 MiB)."""

from __future__ import annotations

import html
from pathlib import Path

from pyvis.network import Network

from ..catalog import translator
from ._html import environment, json_for_html

__all__ = ["CivicNetwork"]


class CivicNetwork(Network):
    """A pyvis :class:`~pyvis.network.Network` that writes an offline, escaped page.

    ``generate_html``, ``write_html`` and ``save_graph`` render civicgraph's own page
    (vis-network inlined, no CDN, legend) from the network's current ``nodes``,
    ``edges`` and ``options``; in Jupyter the network displays inline.
    """

    def __init__(self, *, lang: str, title: str, legend: list, note: str, **kwargs):
        super().__init__(cdn_resources="in_line", **kwargs)
        self.lang = lang
        self.title = title
        self.legend = legend
        self.note = note

    def block(self, dom_id: str = "cg-net") -> dict:
        """What the network template macro needs (also used by the report); ``dom_id``
        must be unique in the page."""
        nodes, edges, _, height, _, _ = self.get_network_data()
        options = self.options if isinstance(self.options, dict) else self.options.__dict__
        t = translator(self.lang)
        page = getattr(self, "page", {"open": [], "layers": {}, "moneyTop": 0, "text": {},
                                      "districts": [], "roles": []})  # fmt: skip
        isolated = getattr(self, "isolated", [])
        data = {"nodes": nodes, "edges": edges, "groups": getattr(self, "groups", []),
                "options": options, "page": page}  # fmt: skip
        return {
            "dom_id": dom_id,
            "height": height,
            "legend": self.legend,
            "legend_title": t("legend"),
            "note": self.note,
            "text": page["text"],
            "districts": page["districts"],
            "roles": page["roles"],
            "layers": [
                (name, t(f"layer_{name}")) for name, kinds in page["layers"].items() if kinds
            ],
            "has_money": bool(page["layers"].get("money")),
            "isolated": isolated,
            "isolated_title": t("isolated", n=f"{len(isolated):,}"),
            "data_json": json_for_html(data),
        }

    def generate_html(self, name: str = "index.html", local: bool = True, notebook: bool = False):
        """The whole page as a string (vis-network inlined)."""
        template = environment().get_template("network.html.j2")
        self.html = template.render(lang=self.lang, title=self.title, net=self.block())
        return self.html

    def write_html(self, name, local=True, notebook=False, open_browser=False):
        Path(name).write_text(self.generate_html(), encoding="utf-8")

    def _repr_html_(self) -> str:
        page = html.escape(self.generate_html(), quote=True)
        return f'<iframe srcdoc="{page}" style="width:100%;height:{self.height};border:0"></iframe>'
