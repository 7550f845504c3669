"""Two app servers on one PostgreSQL catalog and one data folder, driven in Chromium.

An upload committed through server A shows on server B at B's next rerun (a reload), with no
restart: B's caches key on the snapshot id, which it reads on every rerun.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from envol import store
from tests.browser.conftest import CHROMIUM, free_port
from tests.browser.test_app import TIMEOUT, wait_ready
from tests.browser.test_upload import GOOD
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def start_server(env: dict, log: Path) -> tuple[str, subprocess.Popen]:
    port = free_port()
    out = open(log, "w")  # noqa: SIM115 (closed with the process below)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT)
    proc.log_file = out
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return url, proc
        except OSError:
            time.sleep(0.3)
    stop_server(proc)
    raise RuntimeError("streamlit did not start: " + log.read_text())


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)
    proc.log_file.close()


@pytest.fixture
def two_servers(postgres, tmp_path):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and no Chromium at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM} (make test installs it)")
    env = {"ENVOL_CATALOG": postgres.create_database("lake_" + uuid.uuid4().hex[:12]),
           "ENVOL_CATALOG_PASSWORD": postgres.password,
           "ENVOL_DATA_PATH": str(tmp_path / "shared-files"),
           "ENVOL_LAKE_DIR": str(tmp_path / "unused-lake-dir")}
    # Seed the empty lake once, before the servers start (both would race to create it).
    store.open_lake(store.LakeConfig.from_env(env)).close()
    servers = []
    try:
        for name in ("a", "b"):
            servers.append(start_server(env, tmp_path / f"server-{name}.log"))
        yield [url for url, _ in servers], tmp_path, postgres.password
    finally:
        for _, proc in servers:
            stop_server(proc)


def test_an_upload_through_server_a_shows_on_server_b_at_its_next_rerun(two_servers,
                                                                         offline_page):
    (a, b), tmp_path, password = two_servers
    page = offline_page
    on_b = page.context.new_page()
    on_b.set_viewport_size({"width": 1600, "height": 1000})
    on_b.goto(b)
    wait_ready(on_b)
    expect(on_b.get_by_text("sur 5")).to_be_visible(timeout=TIMEOUT)
    # An analyst adds a comptoir through server A's upload page.
    page.goto(f"{a}/upload")
    wait_ready(page)
    page.get_by_text("Ajouter des lignes").click()
    wait_ready(page)
    page.locator("input[type='file']").set_input_files(
        files=[{"name": "comptoirs.csv", "mimeType": "text/csv", "buffer": GOOD}])
    expect(page.get_by_text("Lignes lues : 1, aucun problème.")).to_be_visible(timeout=TIMEOUT)
    author = page.get_by_label("Votre nom ou e-mail")
    author.fill("ana@pegase.fr")
    author.press("Enter")
    wait_ready(page)
    page.get_by_role("button", name="Enregistrer comme nouvelle version").click()
    expect(page.get_by_text("Enregistré : table comptoirs")).to_be_visible(timeout=TIMEOUT)
    committed = time.monotonic()
    # Server B, never restarted: its next rerun (a reload) shows the new figure.
    on_b.reload()
    wait_ready(on_b)
    expect(on_b.get_by_text("sur 6")).to_be_visible(timeout=TIMEOUT)
    seen = time.monotonic() - committed
    expect(on_b.get_by_text("sur 5")).to_have_count(0)
    print(f"commit through A visible on B after a reload: {seen:.2f} s")
    expect(on_b.locator("[data-testid='stException']")).to_have_count(0)
    assert page.blocked == [], page.blocked  # the route covers both pages (one context)
    for log in ("server-a.log", "server-b.log"):
        assert password not in (tmp_path / log).read_text()
