"""For tests of pictures and reports: a city-sized graph and a headless Chromium harness.

Fixtures ``city`` and ``browser`` are imported by the conftest files of tests/viz and
tests/report. Browser tests skip (with the apt line to run) when Chromium is absent.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import civicgraph as cg
from civicgraph.datasets import wuhu_divisions_path

HOSTILE = "<script>alert(1)</script>"
HOSTILE_UNIT = '<img src=x onerror="alert(2)">'
CHROMIUM = Path(shutil.which("chromium") or "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
#: Debian packages the browser tests need (CI installs them in .ci/run).
APT_LINE = "apt-get update && apt-get install -y chromium fonts-noto-cjk"


def make_city(n_members: int = 4000, seed: int = 0) -> cg.CivicGraph:
    """Wuhu's 1,040 admin units plus a synthetic registry: 2 centers, 42 hubs,
    ``n_members`` member organizations (most member_of a hub), 3 programs funding hubs
    and members. One hub is named like a script tag, one street like an img tag."""
    rng = np.random.default_rng(seed)
    admin = cg.read_divisions(wuhu_divisions_path())
    anodes, aedges = admin.to_frames()
    anodes = anodes.reset_index() if "id" not in anodes.columns else anodes
    streets = anodes.loc[anodes["level"] == "street", "id"].to_numpy()
    comms = anodes.loc[anodes["level"] == "community", "id"].to_numpy()
    districts = anodes.loc[anodes["level"] == "district", "id"].to_numpy()
    anodes.loc[anodes["id"] == streets[0], "name"] = HOSTILE_UNIT

    hubs = [f"H{i:02d}" for i in range(42)]
    hub_loc = np.concatenate([rng.choice(streets, 12, replace=False), rng.choice(comms, 30)])
    members = [f"M{i:05d}" for i in range(n_members)]
    mem_hub = rng.integers(0, len(hubs), n_members)
    orgs = pd.DataFrame(
        {
            "id": ["K", "KD", *hubs, *members],
            "kind": "org",
            "role": ["center", "center"] + ["hub"] * len(hubs) + ["member"] * n_members,
            "name": ["芜湖市社会组织培育中心", "弋江区社会组织孵化中心"]
            + [HOSTILE if i == 0 else f"社区社会组织联合会{i}" for i in range(len(hubs))]
            + [f"志愿服务队{i}" for i in range(n_members)],
        }
    )
    programs = pd.DataFrame(
        {
            "id": ["P15", "P18", "P19"],
            "kind": "program",
            "name": ["摇篮项目 2015", "公益创投 2018", "公益创投 2019"],
            "program_type": ["cradle", "venture_philanthropy", "venture_philanthropy"],
        }
    )
    edges = [aedges]
    edges.append(
        pd.DataFrame(
            {"source": ["K", "KD"], "target": ["3402", districts[3]], "kind": "located_in"}
        )
    )
    edges.append(pd.DataFrame({"source": hubs, "target": hub_loc, "kind": "located_in"}))
    edges.append(pd.DataFrame({"source": "K", "target": hubs, "kind": "incubates"}))
    joined = rng.random(n_members) < 0.7
    edges.append(
        pd.DataFrame(
            {
                "source": np.array(members)[joined],
                "target": np.array(hubs)[mem_hub[joined]],
                "kind": "member_of",
            }
        )
    )
    placed = ~joined & (rng.random(n_members) < 0.8)
    edges.append(
        pd.DataFrame(
            {
                "source": np.array(members)[placed],
                "target": rng.choice(comms, int(placed.sum())),
                "kind": "located_in",
            }
        )
    )
    funded = rng.choice(members, 80, replace=False)
    edges.append(
        pd.DataFrame(
            {
                "source": "P15",
                "target": hubs[:14],
                "kind": "funds",
                "amount": 50000.0,
                "start": "2015-06-01",
            }
        )
    )
    edges.append(
        pd.DataFrame(
            {
                "source": rng.choice(["P18", "P19"], 80),
                "target": funded,
                "kind": "funds",
                "amount": rng.integers(5, 100, 80) * 1000.0,
                "start": "2018-09-01",
            }
        )
    )
    nodes = pd.concat([anodes, orgs, programs], ignore_index=True)
    return cg.CivicGraph.from_frames(nodes, pd.concat(edges, ignore_index=True))


@pytest.fixture(scope="session")
def city() -> cg.CivicGraph:
    return make_city()


_COLLECTOR = """<script>
window.__cgErrors = [];
window.addEventListener("error", function (e) {
  var where = e.target && (e.target.src || e.target.href);
  __cgErrors.push("error: " + (e.message || ("could not load " + where)));
}, true);
window.addEventListener("unhandledrejection", function (e) { __cgErrors.push("rejection: " + e.reason); });
(function () { var orig = console.error; console.error = function () {
  __cgErrors.push("console: " + Array.prototype.join.call(arguments, " ")); orig.apply(console, arguments); }; })();
window.addEventListener("load", function () { setTimeout(function () {
  var out = document.createElement("pre"); out.id = "__cg_result"; out.style.display = "none";
  out.textContent = JSON.stringify({
    errors: __cgErrors,
    plots: document.querySelectorAll(".js-plotly-plot").length,
    networks: document.querySelectorAll(".cg-network").length,
    canvases: document.querySelectorAll(".cg-network canvas").length,
    alerts: window.__cgAlerts || 0
  });
  document.body.appendChild(out); }, 1000); });
window.alert = function () { window.__cgAlerts = (window.__cgAlerts || 0) + 1; __cgErrors.push("alert called"); };
</script>"""


@dataclass
class PageResult:
    errors: list[str]
    plots: int
    networks: int
    canvases: int
    alerts: int
    seconds: float


class Browser:
    """Headless Chromium, offline (every host name fails to resolve)."""

    def __init__(self, exe: Path):
        self.exe = exe

    def _run(self, url: str, extra: list[str], budget_ms: int) -> subprocess.CompletedProcess:
        with tempfile.TemporaryDirectory() as profile:
            cmd = [
                str(self.exe), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
                "--host-resolver-rules=MAP * ~NOTFOUND",
                f"--virtual-time-budget={budget_ms}", *extra, url,
            ]  # fmt: skip
            return subprocess.run(cmd, capture_output=True, text=True, timeout=180)

    def check(
        self,
        page: Path,
        *,
        screenshot: str | None = None,
        size: str = "1400,2400",
        budget_ms: int = 8000,
    ) -> PageResult:
        """Open ``page`` with an error collector injected first in <head>; return what
        it saw (JavaScript errors, failed loads, console.error calls, alert calls), and
        save a screenshot to tests/artifacts/``screenshot`` in the same run."""
        import time

        text = page.read_text("utf-8")
        probe = page.with_name(page.stem + ".probe.html")
        probe.write_text(text.replace("<head>", "<head>" + _COLLECTOR, 1), "utf-8")
        extra = ["--dump-dom"]
        if screenshot is not None:
            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / screenshot
            shot.unlink(missing_ok=True)
            extra += [f"--screenshot={shot}", f"--window-size={size}", "--hide-scrollbars"]
        start = time.perf_counter()
        done = self._run(probe.as_uri(), extra, budget_ms)
        seconds = time.perf_counter() - start
        probe.unlink()
        found = re.search(r'<pre id="__cg_result"[^>]*>(.*?)</pre>', done.stdout, re.S)
        if not found:
            raise AssertionError(f"the page did not finish loading:\n{done.stderr[-3000:]}")
        if screenshot is not None and not shot.exists():
            raise AssertionError(f"no screenshot written to {shot}:\n{done.stderr[-3000:]}")
        data = json.loads(html.unescape(found.group(1)))
        # console errors chromium logs itself (e.g. errors thrown before the collector ran)
        data["errors"] += [
            line for line in done.stderr.splitlines()
            if "CONSOLE" in line and ("Uncaught" in line or "Error" in line)
        ]  # fmt: skip
        return PageResult(seconds=seconds, **data)


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not CHROMIUM.exists():
        pytest.skip(f"headless Chromium is not installed; install it with: {APT_LINE}")
    return Browser(CHROMIUM)
