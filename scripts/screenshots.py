"""Screenshots of every page in headless Chromium (for the README and for looking at pages).

Usage: python scripts/screenshots.py [OUT_DIR] [--width 1920 --height 1080] [--lang fr|en]
Starts `streamlit run` on a free port with a throw-away lake, blocks every request that leaves
this machine, and writes one full-page PNG per page.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("out", nargs="?", default=str(ROOT / "docs" / "screenshots"))
    p.add_argument("--width", type=int, default=1920)
    p.add_argument("--height", type=int, default=1080)
    p.add_argument("--lang", default="fr")
    p.add_argument("--pages", default="overview,sources")
    a = p.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    lake = tempfile.mkdtemp(prefix="envol-shots-")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1"], cwd=ROOT,
        env={**os.environ, "ENVOL_LAKE_DIR": lake}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.3)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": a.width, "height": a.height})
            blocked: list[str] = []

            def route(r):
                host = urlparse(r.request.url).hostname or ""
                if host in ("127.0.0.1", "localhost") or r.request.url.startswith("data:"):
                    r.continue_()
                else:
                    blocked.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            for spec in a.pages.split(","):
                # A page may carry its own URL parameters: "present?board_slide=2".
                name, _, extra = spec.partition("?")
                params = "&".join(p for p in (extra, "" if a.lang == "fr" else f"lang={a.lang}")
                                  if p)
                page.goto(f"{url}/{'' if name == 'overview' else name}"
                          + (f"?{params}" if params else ""))
                page.wait_for_selector("h1", timeout=60_000)
                # Wait until the script has finished and every chart has been drawn.
                page.wait_for_function(
                    "!document.querySelector('[data-testid=\"stStatusWidget\"]') && "
                    "[...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
                    ".every(c => c.querySelector('.main-svg'))", timeout=90_000)
                page.wait_for_timeout(1500)
                tag = "".join(c if c.isalnum() else "-" for c in extra)
                path = out / f"{name}{'-' + tag if tag else ''}-{a.lang}-{a.width}.png"
                page.screenshot(path=str(path), full_page=True)
                print(path)
            if blocked:
                print("blocked outside requests:", *blocked, sep="\n  ")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
