"""The network page in headless Chromium, read through vis-network's API in the page.

At the default view: how many nodes are visible, that hubs' and centers' labels are drawn
at least 10 px high, that no two drawn labels' boxes overlap, that a double-click opens a
group and a second one closes it, that the console stays clean and nothing is fetched
(every host name fails to resolve). On the Wuhu example and a 20,000-community synthetic
registry. With ``CIVICGRAPH_SCREENSHOTS=docs/img`` the tests also write screenshots at
1366 and 390 px there (docs/network.md shows them).

Skips when Chromium is absent (tests/_pages.APT_LINE says what to install).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

import civicgraph as cg
from tests._cdp import Chromium
from tests._pages import CHROMIUM, HOSTILE

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]

#: JavaScript helpers evaluated in the page (vis-network's API through container.cgView).
_HELPERS = r"""
window.__cg = {
  view: function () { return document.querySelector(".cg-network").cgView; },
  ready: function () {
    return new Promise(function (done) {
      (function wait() {
        var c = document.querySelector(".cg-network");
        if (c && c.cgView && c.getAttribute("data-ready-ms")) done(+c.getAttribute("data-ready-ms"));
        else setTimeout(wait, 20);
      })();
    });
  },
  snapshot: function () {
    var v = __cg.view(), net = v.network;
    return new Promise(function (done) {
      net.once("afterDrawing", function () {
        var scale = net.getScale();
        var shown = v.nodes.get({filter: function (n) { return !n.hidden; }});
        done({
          scale: scale, count: shown.length, width: document.documentElement.scrollWidth,
          items: shown.map(function (n) {
            var lm = net.body.nodes[n.id].labelModule, s = lm.size;
            return {id: n.id, cat: v.spec[n.id].cgCat, label: n.label || "",
                    px: lm.fontOptions.size * scale,
                    box: n.label ? [s.left, s.top, s.left + s.width, s.top + s.height] : null};
          })
        });
      });
      net.redraw();
    });
  },
  where: function (id) {  // viewport point of a node, after scrolling the canvas into view
    var net = __cg.view().network, canvas = net.body.container.querySelector("canvas");
    canvas.scrollIntoView({block: "center"});
    var r = canvas.getBoundingClientRect(), p = net.canvasToDOM(net.getPosition(id));
    return {x: r.left + p.x, y: r.top + p.y};
  }
};
"""


def probe(chromium, page: Path, *, width: int = 1366, height: int = 1000,
          shot: str | None = None, toggle: bool = True) -> dict:  # fmt: skip
    """Open ``page`` at ``width`` × ``height``; the default view, and (``toggle``) what a
    real double-click on the first closed group and a second one on its unit do."""
    start = time.perf_counter()
    tab = chromium.open(page.as_uri(), width=width, height=height)
    tab.evaluate(_HELPERS)
    seen = {"ready_ms": tab.evaluate("__cg.ready()")}
    seen["seconds"] = time.perf_counter() - start
    seen["first"] = tab.evaluate("__cg.snapshot()")
    if shot is not None:
        tab.evaluate("window.scrollTo(0, 0)")
        tab.screenshot(shot)

    def double_click(node_id: str) -> dict:  # a real double-click, then the view
        time.sleep(0.45)  # the page takes one toggle per 400 ms (one per gesture)
        at = tab.evaluate(f"__cg.where({json.dumps(node_id)})")
        tab.double_click(at["x"], at["y"])
        return tab.evaluate("__cg.snapshot()")

    groups = [i["id"] for i in seen["first"]["items"] if i["cat"].startswith("group:")]
    if toggle and groups:
        gid = seen["opened"] = groups[0]
        seen["unit"] = tab.evaluate(f"__cg.view().spec[{json.dumps(gid)}].cgUnit")
        seen["after_open"] = double_click(gid)
        seen["after_close"] = double_click(seen["unit"])
    elif toggle:  # everything open: close a unit, then open it again
        unit = tab.evaluate(
            "__cg.view().nodes.getIds().filter(function (i) { return __cg.view().spec[i].cgUnitOf; })[0]"
        )
        gid = seen["closed"] = tab.evaluate(f"__cg.view().spec[{json.dumps(unit)}].cgUnitOf")
        seen["after_close"] = double_click(unit)
        seen["after_open"] = double_click(gid)
    seen["errors"] = list(tab.console)
    seen["requests"] = [u for u in tab.requests if not u.startswith(("file:", "data:"))]
    tab.close()
    return seen


def overlaps(items) -> list[tuple[str, str]]:
    boxes = [(i["id"], i["box"]) for i in items if i["box"]]
    return [
        (a, b)
        for k, (a, p) in enumerate(boxes)
        for b, q in boxes[k + 1 :]
        if p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]
    ]


def check_default_view(seen: dict) -> None:
    first = seen["first"]
    assert seen["errors"] == [] and seen["requests"] == []
    assert 0 < first["count"] <= 150
    key = [i for i in first["items"] if i["cat"] in ("hub", "center")]
    assert key, "no hub or center on first view"
    assert all(i["label"] and i["px"] >= 10 for i in key), [
        (i["id"], i["label"], round(i["px"], 1)) for i in key if not (i["label"] and i["px"] >= 10)
    ]
    assert overlaps(first["items"]) == []


def check_open_close(seen: dict) -> None:
    first, opened, closed = seen["first"], seen["after_open"], seen["after_close"]
    ids = {i["id"] for i in first["items"]}
    after = {i["id"] for i in opened["items"]}
    assert seen["opened"] in ids and seen["opened"] not in after
    assert seen["unit"] in after and opened["count"] > first["count"]
    assert {i["id"] for i in closed["items"]} == ids
    assert overlaps(opened["items"]) == [] and overlaps(closed["items"]) == []


def screenshot(name: str) -> str | None:
    """Where to write screenshot ``name`` (CIVICGRAPH_SCREENSHOTS, relative to the
    repository), or None when the variable is unset."""
    folder = os.environ.get("CIVICGRAPH_SCREENSHOTS")
    if not folder:
        return None
    path = Path(folder)
    path = path if path.is_absolute() else ROOT / path
    path.mkdir(parents=True, exist_ok=True)
    return str(path / name)


@pytest.fixture(scope="module")
def chromium(browser):
    """One Chromium for the module (``browser`` skips when it is not installed)."""
    c = Chromium(CHROMIUM)
    yield c
    c.close()


@pytest.fixture(scope="module")
def wuhu_page(tmp_path_factory):
    page = tmp_path_factory.mktemp("net") / "wuhu.html"
    cg.viz.network(cg.datasets.wuhu(), path=page, lang="zh")
    return page


@pytest.fixture(scope="module")
def big_page(tmp_path_factory):
    g = cg.datasets.synthetic(20_000, seed=0, validate=False)
    page = tmp_path_factory.mktemp("net") / "synthetic20k.html"
    cg.viz.network(g, path=page, lang="en")
    return page


def test_wuhu_default_view_is_readable_and_opens(chromium, wuhu_page):
    seen = probe(chromium, wuhu_page, shot=screenshot("network-wuhu-1366.png"))
    check_default_view(seen)
    check_open_close(seen)
    cats = {i["cat"] for i in seen["first"]["items"]}
    assert {"hub", "center", "program", "group:district"} <= cats


def test_20k_default_view_is_readable_and_opens(chromium, big_page):
    seen = probe(chromium, big_page, shot=screenshot("network-20k-1366.png"))
    check_default_view(seen)
    check_open_close(seen)
    print(f"20k page: interactive {seen['ready_ms']:.0f} ms after navigation")
    assert seen["ready_ms"] < 8000


@pytest.mark.parametrize("which", ["wuhu", "20k"])
def test_phone_width(chromium, wuhu_page, big_page, which):
    page = wuhu_page if which == "wuhu" else big_page
    seen = probe(chromium, page, width=390, height=844, toggle=False,
                 shot=screenshot(f"network-{which}-390.png"))  # fmt: skip
    first = seen["first"]
    assert seen["errors"] == [] and seen["requests"] == []
    assert first["width"] == 390
    drawn = [i for i in first["items"] if i["label"]]
    assert drawn and all(i["px"] >= 10 for i in drawn if i["cat"] in ("hub", "center"))
    assert overlaps(first["items"]) == []


def test_hostile_names_stay_text(chromium, city, tmp_path):
    page = tmp_path / "city.html"
    cg.viz.network(city, path=page, lang="en")
    seen = probe(chromium, page)
    assert seen["errors"] == [] and seen["requests"] == []
    closed = {i["id"] for i in seen["after_close"]["items"]}
    assert seen["closed"] in closed and seen["after_close"]["count"] < seen["first"]["count"]
    assert seen["after_open"]["count"] == seen["first"]["count"]
    assert HOSTILE not in page.read_text("utf-8")
    labels = [i["label"] for i in seen["first"]["items"]]
    assert any("<img" in label for label in labels)  # the hostile street: drawn as text


_CONTROLS = r"""(function () {
  var v = __cg.view(), out = {}, DIM = "rgba(190,190,190,0.35)";
  function kinds() {
    var k = {};
    v.edges.get().forEach(function (e) { k[e.cgKind] = (k[e.cgKind] || 0) + 1; });
    return k;
  }
  function shown() { return v.nodes.get({filter: function (n) { return !n.hidden; }}); }
  function change(sel, value) {
    var el = document.querySelector(sel); el.value = value; el.dispatchEvent(new Event("change"));
  }
  out.kinds = kinds();
  var money = document.querySelector(".cg-layer[value=money]");
  money.click(); out.no_money = kinds(); money.click();
  var all = document.querySelector(".cg-money-all");
  all.click(); out.all_money = kinds(); all.click();
  var hub = shown().filter(function (n) { return v.spec[n.id].cgCat === "hub"; })[0].id;
  v.network.emit("click", {nodes: [hub], edges: []});
  out.near = v.network.getConnectedNodes(hub).length;
  out.dimmed = v.nodes.get().filter(function (n) { return n.color === DIM; }).length;
  out.total = v.nodes.length;
  v.network.emit("click", {nodes: [], edges: []});
  out.dimmed_after = v.nodes.get().filter(function (n) { return n.color === DIM; }).length;
  change(".cg-search", "清苑社区");
  out.found = [v.state.focus, v.network.getSelectedNodes()];
  change(".cg-search", "没有这个名字");
  out.status = document.querySelector(".cg-status").textContent;
  var d = document.querySelector(".cg-district");
  change(".cg-district", d.options[3].value);
  out.district = d.value;
  out.in_district = shown().map(function (n) { return [v.spec[n.id].cgDistrict, v.spec[n.id].cgCat]; });
  change(".cg-role", "hub");
  out.in_role = shown().map(function (n) { return v.spec[n.id].cgCat; });
  document.querySelector(".cg-reset").click();
  out.reset = shown().length;
  return out;
})()"""


def test_controls_in_the_page(chromium, wuhu_page):
    tab = chromium.open(wuhu_page.as_uri(), width=1366, height=1000)
    tab.evaluate(_HELPERS)
    tab.evaluate("__cg.ready()")
    first = tab.evaluate("__cg.snapshot()")["count"]
    out = tab.evaluate(_CONTROLS)
    tab.close()
    assert tab.console == []
    money = ("funds", "awards")
    assert sum(out["kinds"].get(k, 0) for k in money) == 20  # the largest 20 flows
    assert not set(money) & set(out["no_money"])
    assert sum(out["all_money"].get(k, 0) for k in money) > 20
    assert {k: v for k, v in out["no_money"].items()} == {
        k: v for k, v in out["kinds"].items() if k not in money
    }
    assert out["dimmed"] == out["total"] - 1 - out["near"] and out["dimmed_after"] == 0
    assert out["found"] == ["hub-qingyuan", ["hub-qingyuan"]]
    assert out["status"] == "未找到该名称的节点。"
    assert out["in_district"] and all(
        d == out["district"] or (d is None and c in ("city", "province", "group:city"))
        for d, c in out["in_district"]
    )
    frame = {"city", "district", "street", "community", "group:district", "group:street"}
    assert "hub" in out["in_role"] and set(out["in_role"]) <= frame | {"hub"}
    assert out["reset"] == first
