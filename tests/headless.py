"""A small driver for headless Chromium over the DevTools protocol (CDP), for the report.html tests.

It talks to the browser through ``--remote-debugging-pipe`` (JSON messages separated by NUL
on file descriptors 3 and 4), so it needs no websocket library, no Playwright and no port.
The page is opened with the network switched off: the browser's network emulation is set
offline and every host name resolves to nothing, and every request the page makes is
recorded, so a test can assert that a report loads nothing from anywhere.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
         "--mute-audio", "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND",
         "--proxy-server=127.0.0.1:9", "--remote-debugging-pipe"]


def chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class PageLoad:
    """What happened while a page loaded."""

    requests: list[str] = field(default_factory=list)  # every URL the page asked for
    failed: list[str] = field(default_factory=list)  # URL: error text, for requests that failed
    console_errors: list[str] = field(default_factory=list)  # console.error/assert, uncaught exceptions, log errors


class Browser:
    """One Chromium process with one page; use as a context manager."""

    def __init__(self, width: int = 1280, height: int = 1800, timeout: float = 30.0) -> None:
        binary = chromium_binary()
        if binary is None:
            raise RuntimeError("no chromium on PATH: apt-get install -y chromium (see .ci/run)")
        self.timeout = timeout
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        self._profile = Path(os.environ.get("TMPDIR", "/tmp")) / f"election-ops-chromium-{os.getpid()}-{id(self)}"

        def wire_pipes() -> None:
            # In the child: the pipe ends become fds 3 (commands in) and 4 (replies out). Moved above 10 first,
            # so neither is overwritten before it is copied; dup2 makes 3 and 4 inheritable, and every other
            # descriptor of ours is close-on-exec (PEP 446), hence close_fds=False.
            high_r, high_w = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10), fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self._proc = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={self._profile}", f"--window-size={width},{height}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire_pipes, close_fds=False)  # noqa: PLW1509 - the tests start no threads
        os.close(to_child_r)
        os.close(from_child_w)
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict] = []
        self.session = ""

    def __enter__(self) -> Self:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.send(f"{domain}.enable", session=True)
        self.send("Network.emulateNetworkConditions", {"offline": True, "latency": 0, "downloadThroughput": -1,
                                                       "uploadThroughput": -1}, session=True)
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):  # already gone: nothing to close
            self.send("Browser.close")
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        os.close(self._to_child)
        os.close(self._from_child)
        shutil.rmtree(self._profile, ignore_errors=True)

    # --- protocol -----------------------------------------------------------------------

    def send(self, method: str, params: dict | None = None, *, session: bool = False) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._events.append(reply)

    def _read(self) -> dict:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or self._proc.poll() is not None:
                raise TimeoutError("chromium did not answer")
            ready, _, _ = select.select([self._from_child], [], [], left)
            if ready:
                chunk = os.read(self._from_child, 1 << 16)
                if not chunk:
                    raise RuntimeError("chromium closed the pipe")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def wait_for(self, method: str) -> dict:
        while True:
            for k, event in enumerate(self._events):
                if event.get("method") == method:
                    return self._events.pop(k)
            self._events.append(self._read())

    # --- what a test uses ---------------------------------------------------------------

    def open(self, path: Path, settle: float = 0.3) -> PageLoad:
        """Load a local file and report its requests, failures and console errors."""
        self._events.clear()
        self.send("Page.navigate", {"url": path.resolve().as_uri()}, session=True)
        self.wait_for("Page.loadEventFired")
        end = time.monotonic() + settle  # late console messages and requests
        while time.monotonic() < end:
            ready, _, _ = select.select([self._from_child], [], [], max(0.0, end - time.monotonic()))
            if ready:
                self._events.append(self._read())
        self.evaluate("1")  # drains what is still queued
        return self._summarise()

    def _summarise(self) -> PageLoad:
        load = PageLoad()
        urls = {}
        for event in self._events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Network.requestWillBeSent":
                urls[params["requestId"]] = params["request"]["url"]
                load.requests.append(params["request"]["url"])
            elif method == "Network.loadingFailed":
                load.failed.append(f"{urls.get(params['requestId'], '?')}: {params.get('errorText')}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                load.console_errors.append(" ".join(str(a.get("value", a.get("description", "")))
                                                    for a in params.get("args", [])))
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                load.console_errors.append(details.get("exception", {}).get("description") or details.get("text", ""))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                load.console_errors.append(params["entry"].get("text", ""))
        self._events.clear()
        return load

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, session=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def screenshot(self, clip: dict | None = None) -> bytes:
        """PNG of the page (or of ``clip``: x, y, width, height in CSS pixels)."""
        params = {"format": "png", "captureBeyondViewport": True}
        if clip:
            params["clip"] = {**clip, "scale": 1}
        return base64.b64decode(self.send("Page.captureScreenshot", params, session=True)["data"])
