"""Drive headless Chromium through the DevTools protocol over a pipe (stdlib only).

``Chromium(exe).open(url, width=390, height=844)`` emulates a viewport of any width (the
``--window-size`` switch cannot go below 500 px), records console messages, exceptions,
log entries and every request the page makes, evaluates JavaScript in the page, sends
real mouse events and takes screenshots. Host names never resolve: pages run offline.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import subprocess
import tempfile
import time
from pathlib import Path


class CDPError(RuntimeError):
    pass


class Page:
    """One tab, attached with a flat session."""

    def __init__(self, browser: Chromium, session: str, target: str):
        self.browser = browser
        self.session = session
        self.target = target
        self.console: list[str] = []
        self.requests: list[str] = []

    def send(self, method: str, **params):
        return self.browser.send(method, params, session=self.session)

    def _on_event(self, msg: dict) -> None:
        method, p = msg.get("method"), msg.get("params", {})
        if method == "Runtime.consoleAPICalled" and p["type"] in ("error", "warning", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in p["args"])
            self.console.append(f"{p['type']}: {text}")
        elif method == "Runtime.exceptionThrown":
            d = p["exceptionDetails"]
            self.console.append(
                "exception: " + d.get("exception", {}).get("description", d["text"])
            )
        elif method == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
            self.console.append(f"log {p['entry']['level']}: {p['entry']['text']}")
        elif method == "Network.requestWillBeSent":
            self.requests.append(p["request"]["url"])

    def evaluate(self, expression: str, timeout: float = 30):
        """The value of ``expression`` (awaited when it is a promise)."""
        out = self.browser.send(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
            session=self.session,
            timeout=timeout,
        )
        if "exceptionDetails" in out:
            d = out["exceptionDetails"]
            raise CDPError(d.get("exception", {}).get("description", d["text"]))
        return out["result"].get("value")

    def double_click(self, x: float, y: float) -> None:
        """A real double-click at viewport point (x, y): the four events are sent at once,
        so that a loaded machine cannot space the taps beyond a double-tap's 300 ms."""
        events = [
            ("Input.dispatchMouseEvent",
             {"type": kind, "x": x, "y": y, "button": "left", "clickCount": count})
            for count in (1, 2) for kind in ("mousePressed", "mouseReleased")
        ]  # fmt: skip
        self.browser.send_all(events, session=self.session)

    def click(self, x: float, y: float) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def close(self) -> None:
        """Close the tab (a tab left open in the background would slow the next one)."""
        self.browser.send("Target.closeTarget", {"targetId": self.target})
        self.browser._pages.pop(self.session, None)

    def screenshot(self, path: str | Path) -> None:
        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=False)
        Path(path).write_bytes(base64.b64decode(data["data"]))


class Chromium:
    """A headless Chromium process spoken to over ``--remote-debugging-pipe``."""

    def __init__(self, exe: Path):
        self._profile = tempfile.TemporaryDirectory()
        cmd_r, cmd_w = os.pipe()
        out_r, out_w = os.pipe()
        high = [os.dup(fd) for fd in (cmd_r, out_w)]  # out of the way of 3 and 4

        def wire():
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.proc = subprocess.Popen(
            [
                str(exe), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--hide-scrollbars", "--remote-debugging-pipe",
                f"--user-data-dir={self._profile.name}",
                "--host-resolver-rules=MAP * ~NOTFOUND", "about:blank",
            ],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire, pass_fds=(3, 4),
        )  # fmt: skip
        for fd in (cmd_r, out_w, *high):
            os.close(fd)
        self._w, self._r = cmd_w, out_r
        self._buf = b""
        self._id = 0
        self._pages: dict[str, Page] = {}
        self._events: list[dict] = []

    def _read(self, timeout: float) -> dict | None:
        while b"\0" not in self._buf:
            ready, _, _ = select.select([self._r], [], [], timeout)
            if not ready:
                return None
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise CDPError("Chromium closed the pipe")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def _dispatch(self, msg: dict) -> None:
        page = self._pages.get(msg.get("sessionId", ""))
        if page is not None:
            page._on_event(msg)
        self._events.append(msg)

    def send(self, method: str, params: dict | None = None, *, session: str | None = None,
             timeout: float = 30):  # fmt: skip
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        end = time.monotonic() + timeout
        while True:
            reply = self._read(max(end - time.monotonic(), 0.01))
            if reply is None:
                raise CDPError(f"{method}: no answer within {timeout} s")
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._dispatch(reply)

    def send_all(self, calls: list[tuple[str, dict]], *, session: str, timeout: float = 30):
        """Send several commands in one write, then wait for every answer."""
        ids, out = [], b""
        for method, params in calls:
            self._id += 1
            ids.append(self._id)
            msg = {"id": self._id, "method": method, "params": params, "sessionId": session}
            out += json.dumps(msg).encode() + b"\0"
        os.write(self._w, out)
        waiting, end = set(ids), time.monotonic() + timeout
        while waiting:
            reply = self._read(max(end - time.monotonic(), 0.01))
            if reply is None:
                raise CDPError(f"no answer to {len(waiting)} commands within {timeout} s")
            if reply.get("id") in waiting:
                if "error" in reply:
                    raise CDPError(str(reply["error"]))
                waiting.discard(reply["id"])
            else:
                self._dispatch(reply)

    def wait_for(self, method: str, session: str, timeout: float = 30) -> dict:
        for i, msg in enumerate(self._events):
            if msg.get("method") == method and msg.get("sessionId") == session:
                return self._events.pop(i)
        end = time.monotonic() + timeout
        while True:
            msg = self._read(max(end - time.monotonic(), 0.01))
            if msg is None:
                raise CDPError(f"no {method} within {timeout} s")
            if msg.get("method") == method and msg.get("sessionId") == session:
                self._dispatch(msg)
                self._events.remove(msg)
                return msg
            self._dispatch(msg)

    def open(self, url: str, *, width: int = 1366, height: int = 900) -> Page:
        """A new tab of ``width`` × ``height`` CSS pixels showing ``url``, loaded."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, session, target)
        self._pages[session] = page
        for domain in ("Page", "Runtime", "Log", "Network"):
            page.send(f"{domain}.enable")
        page.send("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=width < 600)  # fmt: skip
        page.send("Page.bringToFront")
        page.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired", session, timeout=60)
        return page

    def close(self) -> None:
        with contextlib.suppress(CDPError, OSError):
            self.send("Browser.close", timeout=5)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._w, self._r):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._profile.cleanup()
