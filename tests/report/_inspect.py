"""Look at a report in headless Chromium at a given width, the way a reader's browser would.

Headless Chromium will not make its window narrower than 500 px, so a phone-sized
viewport is a frame: the page is opened inside an ``<iframe>`` exactly ``width`` px
wide, in a window of the same width (the screenshot is that frame). Into the page's
``<head>`` go the error collector of tests/_pages.py and a Content-Security-Policy that
allows no request at all (inline scripts and styles, ``data:`` and ``blob:`` images
only): any request the page tries is reported by a ``securitypolicyviolation`` event.
Chromium's own log gives every console message, warnings included.

When ``CIVICGRAPH_SCREENSHOTS`` names a folder (e.g. ``docs/img``), each screenshot is
also copied there under its name: that is how the docs get theirs.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tests._pages import _COLLECTOR, ARTIFACTS, Browser

#: No request may leave the page (nor load a local file): only inline code and data: URLs.
CSP = (
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
    "script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'none'; frame-src 'none'\">"
    "<script>document.addEventListener('securitypolicyviolation', function (e) {"
    "  window.__cgRequests = (window.__cgRequests || []).concat([e.blockedURI]); });</script>"
)

#: What the frame's page is measured for, 2.5 s after it loaded.
_MEASURE = """
var d = f.contentDocument, w = d.defaultView, root = d.documentElement;
var out = d.getElementById("__cg_result");
var heads = [].slice.call(d.querySelectorAll("table.cg-table th"));
var main = d.querySelector("main");
return {
  result: out ? JSON.parse(out.textContent) : null,
  requests: w.__cgRequests || [],
  width: root.scrollWidth, viewport: w.innerWidth, height: root.scrollHeight,
  first_section: main && main.querySelector("section") ? main.querySelector("section").id : "",
  cards: d.querySelectorAll(".cg-card").length,
  findings: (d.querySelector(".cg-findings") || {textContent: ""}).textContent,
  tall_headers: heads.filter(function (h) { return h.getBoundingClientRect().height > 40; }).length,
  widest_box: Math.max.apply(null, [0].concat([].slice.call(d.querySelectorAll(".cg-scroll, .cg-figure, .cg-cards"))
      .map(function (e) { return Math.round(e.getBoundingClientRect().right); }))),
  print_images: d.querySelectorAll("img.cg-print-img").length,
  sankey_nodes: [].slice.call(d.querySelectorAll(".js-plotly-plot")).map(function (p) {
      return (p.data || []).filter(function (t) { return t.type === "sankey"; })
          .map(function (t) { return t.node.label.length; })[0] || 0; }),
  bars: [].slice.call(d.querySelectorAll(".js-plotly-plot")).map(function (p) {
      return (p.data || []).filter(function (t) { return t.type === "bar"; })
          .map(function (t) { return t.y.length; })[0] || 0; })
};
"""


@dataclass
class Seen:
    errors: list[str]
    console: list[str]
    requests: list[str]
    plots: int
    networks: int
    alerts: int
    width: int
    viewport: int
    height: int
    first_section: str
    cards: int
    findings: str
    tall_headers: int
    widest_box: int
    print_images: int
    sankey_nodes: list[int]
    bars: list[int]
    screenshot: Path | None


def inspect(
    browser: Browser,
    page: Path,
    *,
    width: int,
    height: int = 2400,
    screenshot: str | None = None,
    budget_ms: int = 12000,
    anchor: str = "",
) -> Seen:
    """Open ``page`` in a ``width`` px frame (scrolled to the section ``anchor`` if given)."""
    text = page.read_text("utf-8")
    probe = page.with_name(page.stem + f".probe{width}.html")
    probe.write_text(text.replace("<head>", "<head>" + _COLLECTOR + CSP, 1), "utf-8")
    frame = page.with_name(page.stem + f".frame{width}.html")
    frame.write_text(
        "<!DOCTYPE html><html><head><style>body{margin:0}iframe{border:0;display:block;"
        f"width:{width}px;height:{height}px}}</style></head><body>"
        f'<iframe id="f" src="{probe.name}{"#" + anchor if anchor else ""}"></iframe><script>'
        'var f = document.getElementById("f");'
        "f.addEventListener('load', function () { setTimeout(function () {"
        "var data = (function () {" + _MEASURE + "})();"
        "var pre = document.createElement('pre'); pre.id = '__cg_seen'; pre.style.display = 'none';"
        "pre.textContent = JSON.stringify(data); document.body.appendChild(pre); }, 2500); });"
        "</script></body></html>",
        "utf-8",
    )
    extra = ["--allow-file-access-from-files", "--dump-dom", f"--window-size={width},{height}",
             "--hide-scrollbars"]  # fmt: skip
    shot = None
    if screenshot is not None:
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / screenshot
        shot.unlink(missing_ok=True)
        extra.append(f"--screenshot={shot}")
    done = browser._run(frame.as_uri(), extra, budget_ms)
    probe.unlink()
    frame.unlink()
    found = re.search(r'<pre id="__cg_seen"[^>]*>(.*?)</pre>', done.stdout, re.S)
    if not found:
        raise AssertionError(f"the page did not finish loading:\n{done.stderr[-3000:]}")
    data = json.loads(html.unescape(found.group(1)))
    result = data.pop("result")
    if result is None:
        raise AssertionError("the error collector did not report (page scripts did not finish)")
    console = [
        re.sub(r"^.*?CONSOLE", "CONSOLE", line)
        for line in done.stderr.splitlines()
        if "CONSOLE" in line
    ]
    if shot is not None:
        if not shot.exists():
            raise AssertionError(f"no screenshot written to {shot}:\n{done.stderr[-3000:]}")
        target = os.environ.get("CIVICGRAPH_SCREENSHOTS")
        if target:
            Path(target).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shot, Path(target) / screenshot)
    return Seen(
        errors=result["errors"], console=console, plots=result["plots"],
        networks=result["networks"], alerts=result["alerts"], screenshot=shot, **data,
    )  # fmt: skip


def non_blank(png: Path) -> tuple[float, int]:
    """Share of pixels that are not the background colour, and how many colours there are."""
    from PIL import Image

    with Image.open(png) as im:
        small = im.convert("RGB").resize((im.width // 4, im.height // 4))
        data = small.tobytes()
    pixels = [data[i : i + 3] for i in range(0, len(data), 3)]
    counts = Counter(pixels)
    background, n = counts.most_common(1)[0]
    return 1 - n / len(pixels), len(counts)
