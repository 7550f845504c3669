"""In Chromium against the real server: cold start, slider → chart, peak RSS.

The server is `python -m streamlit run app.py` (so the PID is Streamlit's own) on a clone of the
EU lake; the browser is Debian's Chromium driven by Playwright with every request to a host other
than this machine blocked (and counted).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from bench.lakes import ROOT, clone_lake
from bench.report import stats
from bench.specs import Page

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL = {"127.0.0.1", "localhost", "::1", "[::1]"}
TIMEOUT_MS = 300_000
PAGE_SETTLE_MS = 120_000  # a page still running after this is reported as not settled
CHART = ".js-plotly-plot .main-svg"
# A signature of every plotly chart's data on the page: it changes when a chart is redrawn with
# other numbers.
SIGNATURE = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(
    g => JSON.stringify((g.data || []).map(t => [t.x, t.y, t.z, t.values, t.text]))).join('|')"""


class Server:
    def __init__(self, lake: Path, log_path: Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.lake, self.log_path = lake, log_path
        self.proc: subprocess.Popen | None = None

    def start(self) -> float:
        """Start the process; returns the perf_counter instant just before it was spawned."""
        self._log = open(self.log_path, "a")  # noqa: SIM115
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env={**os.environ, "ENVOL_LAKE_DIR": str(self.lake)},
            stdout=self._log, stderr=subprocess.STDOUT)
        return started

    def wait_healthy(self, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("streamlit exited: " + self.log_path.read_text()[-2000:])
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("streamlit did not answer /_stcore/health")

    def memory_mb(self) -> dict:
        """VmHWM (peak resident set) and VmRSS of the server process, from /proc."""
        out = {}
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                out[key] = int(value.split()[0]) / 1024
        return out

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "_log", None):
            self._log.close()


def _new_page(browser, blocked: list[str]):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})

    def route(r):
        host = urlparse(r.request.url).hostname or ""
        if r.request.url.startswith(("data:", "blob:")) or host in LOCAL:
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return context.new_page()


def _wait_ready(page, timeout_ms: float = TIMEOUT_MS) -> None:
    from playwright.sync_api import expect

    page.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)
    page.wait_for_selector("h1", timeout=timeout_ms)
    expect(page.locator("[data-testid='stStatusWidget']")).to_have_count(0, timeout=timeout_ms)


def _wait_settled(page, timeout_ms: float, quiet_ms: int = 1500) -> None:
    """Ready, and still not running `quiet_ms` later: the page's script has finished. Right after
    a navigation the title can be drawn before the running indicator shows, so one look at the
    indicator may see a page that is still running (its memory would then go uncounted)."""
    deadline = time.monotonic() + timeout_ms / 1000
    _wait_ready(page, timeout_ms)
    while True:
        page.wait_for_timeout(quiet_ms)
        if page.locator("[data-testid='stStatusWidget']").count() == 0:
            return
        _wait_ready(page, max(1.0, (deadline - time.monotonic()) * 1000))


def _press_until_chart_changes(page, key: str, timeout_ms: float) -> float:
    """Press `key` on the focused element; ms until some chart's data differs (in-page clock)."""
    from playwright.sync_api import expect

    before = page.evaluate(SIGNATURE)
    page.evaluate("() => { window.__benchT0 = performance.now(); }")
    page.keyboard.press(key)
    handle = page.wait_for_function(
        f"(prev) => {{ const s = ({SIGNATURE})(); "
        "return s !== prev ? performance.now() - window.__benchT0 : false; }",
        arg=before, polling="raf", timeout=timeout_ms)
    ms = float(handle.json_value())
    expect(page.locator("[data-testid='stStatusWidget']")).to_have_count(0, timeout=TIMEOUT_MS)
    return ms


def slider_latency(page, url: str, presses: int) -> dict:
    """The first slider whose key presses redraw a chart: p50/p95 over `presses` presses,
    alternating right and left so the value stays in range."""
    page.goto(url)
    _wait_ready(page)
    page.wait_for_selector(CHART, timeout=TIMEOUT_MS)
    # Streamlit 1.67 draws a slider's thumb as a visually hidden <input type="range"> (ARIA role
    # "slider"), for st.slider and st.select_slider alike (as tests/browser/test_scenario.py).
    thumbs = page.get_by_role("slider")
    try:  # the sliders may be drawn after the first chart: wait for one before counting
        thumbs.first.wait_for(state="attached", timeout=30_000)
    except Exception:  # noqa: S110 (counted below: "the page has no slider")
        pass
    if thumbs.count() == 0:
        return {"skipped": "the page has no slider"}
    chosen = None
    for i in range(thumbs.count()):
        thumbs.nth(i).focus()
        try:
            _press_until_chart_changes(page, "ArrowRight", 15_000)
            chosen = i
            break
        except Exception:  # this slider does not redraw a chart: put it back, try the next
            thumbs.nth(i).focus()
            page.keyboard.press("ArrowLeft")
            _wait_ready(page)
    if chosen is None:
        return {"skipped": "no slider on the page redraws a chart"}
    label = thumbs.nth(chosen).get_attribute("aria-label") or f"slider {chosen + 1}"
    samples = []
    for n in range(presses):
        thumbs.nth(chosen).focus()
        samples.append(_press_until_chart_changes(page, "ArrowLeft" if n % 2 == 0 else
                                                  "ArrowRight", TIMEOUT_MS))
    return {"ms": stats(samples), "slider": label, "presses": presses}


def measure(lake_src: Path, work: Path, pages: list[Page], *, cold_starts: int,
            presses: int, slider_page: Page | None, slider_skip: str | None,
            log=print) -> dict:
    if not Path(CHROMIUM).exists():
        return {"skipped": f"no Chromium at {CHROMIUM} (`make bench` installs Debian's)"}
    from playwright.sync_api import sync_playwright

    lake = clone_lake(lake_src, work / "browser-lake")
    blocked: list[str] = []
    out: dict = {}
    server = None
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            samples = []
            for i in range(cold_starts):
                log(f"  browser: cold start {i + 1}/{cold_starts} ...")
                page = _new_page(browser, blocked)
                server = Server(lake, work / "server.log")
                started = server.start()
                server.wait_healthy()
                page.goto(server.url + "/")
                page.wait_for_selector(CHART, timeout=TIMEOUT_MS)
                samples.append(time.perf_counter() - started)
                if i < cold_starts - 1:
                    page.context.close()
                    server.stop()
            out["cold_start"] = stats(samples)
            log("  browser: every page, then the server's peak RSS ...")
            visited, unsettled, peaks = [], [], {"start": server.memory_mb().get("VmHWM")}
            for p in pages:
                try:
                    page.goto(server.url + p.url)
                    _wait_settled(page, PAGE_SETTLE_MS)
                    visited.append(p.name)
                except Exception:  # reported with the figure; the next pages are still visited
                    unsettled.append(p.name)
                peaks[p.name] = server.memory_mb().get("VmHWM")  # the peak so far
            mem = server.memory_mb()
            out["rss"] = {"peak_mb": mem.get("VmHWM"), "rss_mb": mem.get("VmRSS"),
                          "pages": visited, "unsettled": unsettled, "peaks_mb": peaks,
                          "settle_s": PAGE_SETTLE_MS // 1000}
            if slider_page is None:
                out["slider"] = {"skipped": slider_skip}
            else:
                log(f"  browser: slider → chart on {slider_page.url} ({presses} presses) ...")
                out["slider"] = slider_latency(page, server.url + slider_page.url, presses)
        finally:
            if server:
                server.stop()
            browser.close()
    out["blocked_requests"] = sorted(set(blocked))
    return out
