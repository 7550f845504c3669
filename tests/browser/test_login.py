"""The real login flow: Chromium, `streamlit run` with an `[auth]` secrets section, and an
OpenID provider (`oidc-provider-mock`) on 127.0.0.1. A viewer, a director of Pégase and an
analyst of Aerospace Valley each log in; a visitor who is not logged in sees nothing."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, free_port
from tests.browser.test_app import TIMEOUT, wait_ready

USERS = [
    {"sub": "vera", "email": "vera@board.example", "email_verified": True, "name": "Vera",
     "groups": ["envol-board"]},
    {"sub": "marie", "email": "marie@pole-pegase.com", "email_verified": True, "name": "Marie"},
    {"sub": "ana", "email": "ana@aerospace-valley.com", "email_verified": True, "name": "Ana",
     "roles": ["av-analysts"]},
    {"sub": "zoe", "email": "zoe@elsewhere.example", "email_verified": True, "name": "Zoé"},
]
ACCESS = """
[users."marie@pole-pegase.com"]
role = "director"
clusters = ["pegase"]

[groups."envol-board"]
role = "viewer"
clusters = ["*"]

[groups."av-analysts"]
role = "analyst"
clusters = ["aerospace_valley"]
"""
# A VIE posting for Aerospace Valley (analyst's own cluster), and one with a Pégase row.
VIE_AV = ("identifiant;pôle;pays;statut;source\r\n"
          "av-vie-7;aerospace_valley;Japon;à recruter;S4\r\n").encode("cp1252")
VIE_PEGASE = ("identifiant;pôle;pays;statut;source\r\n"
              "av-vie-8;aerospace_valley;Japon;à recruter;S4\r\n"
              "pg-vie-1;pegase;Maroc;à recruter;S4\r\n").encode("cp1252")


def _wait_http(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"{url} did not come up: " + log.read_text())


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def login_server(tmp_path_factory):
    """(app URL, lake dir): the provider and the app, each on a free loopback port. The app's
    secrets and access file live in a temp folder (`--secrets.files`), never in the repo."""
    tmp = tmp_path_factory.mktemp("login")
    pport, aport = free_port(), free_port()
    plog = tmp / "provider.log"
    provider_cmd = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1",
                    "--port", str(pport)]
    for user in USERS:
        provider_cmd += ["--user-claims", json.dumps(user)]
    with open(plog, "w") as out:
        provider = subprocess.Popen(provider_cmd, stdout=out, stderr=subprocess.STDOUT)
    _wait_http(f"http://127.0.0.1:{pport}/.well-known/openid-configuration", provider, plog)
    secrets = tmp / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{aport}/oauth2callback"\n'
        f'cookie_secret = "{"k" * 40}"\n'
        'client_id = "envol"\nclient_secret = "envol-secret"\n'
        f'server_metadata_url = "http://127.0.0.1:{pport}/.well-known/openid-configuration"\n',
        encoding="utf-8")
    (tmp / "access.toml").write_text(ACCESS, encoding="utf-8")
    lake = tmp / "lake"
    env = {k: v for k, v in os.environ.items() if k != "ENVOL_ACCESS_FILE"}
    env["ENVOL_LAKE_DIR"] = str(lake)
    alog = tmp / "app.log"
    with open(alog, "w") as out:
        app = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(aport),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--secrets.files", str(secrets)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_http(f"http://127.0.0.1:{aport}/_stcore/health", app, alog)
        # open the app at exactly the host of redirect_uri (TECH_NOTES: localhost, not 127.0.0.1)
        yield f"http://localhost:{aport}", lake, alog
    finally:
        _stop(app)
        _stop(provider)
        shutil.rmtree(tmp, ignore_errors=True)


def login(page, url: str, sub: str) -> None:
    page.goto(url)
    wait_ready(page)
    page.get_by_role("button", name="Se connecter · Log in").click()
    page.wait_for_url(re.compile(r"/oauth2/authorize"), timeout=TIMEOUT)
    page.get_by_role("button", name=sub, exact=True).click()  # a predefined user
    page.wait_for_url(re.compile(r"^http://localhost:\d+/"), timeout=TIMEOUT)
    wait_ready(page)
    expect(page.locator("h1").first).to_have_text("Vue d'ensemble", timeout=TIMEOUT)


def nav(page) -> list[str]:
    return [t.strip() for t in
            page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()]


def cluster_options(page) -> list[str]:
    """The clusters offered by the sidebar's cluster filter: those chosen and those listed
    (none is chosen by default: an empty filter means every cluster of the scope)."""
    box = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']")
    expect(box.get_by_role("combobox")).to_be_visible(timeout=TIMEOUT)
    chosen = box.locator("[data-tag]").evaluate_all("els => els.map(e => e.ariaLabel)")
    box.get_by_role("combobox").click()
    listed = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    return sorted({t.strip() for t in [*chosen, *listed]}
                  - {"No results", "Aucun résultat", "Select all"})


def download(page, button) -> str:
    """Click a download button until the browser downloads (a click landing while the page
    still reruns is dropped); the downloaded file's path."""
    for _ in range(3):
        page.wait_for_timeout(1500)
        wait_ready(page)
        try:
            with page.expect_download(timeout=10_000) as got:
                button.click()
            return got.value.path()
        except PlaywrightTimeout:
            continue
    raise AssertionError("no download")


@pytest.mark.browser
def test_a_visitor_who_is_not_logged_in_sees_no_data(login_server, offline_page):
    url, _, _ = login_server
    page = offline_page
    page.goto(url)
    wait_ready(page)
    expect(page.locator("h1")).to_have_text("Envol")
    expect(page.get_by_role("button", name="Se connecter · Log in")).to_be_visible()
    text = page.locator("[data-testid='stApp']").inner_text()
    for word in ("Pégase", "Aerospace Valley", "ASTech", "Circé", "546", "Comptoirs"):
        assert word not in text, word
    expect(page.locator(".js-plotly-plot")).to_have_count(0)
    expect(page.locator("[data-testid='stMetric']")).to_have_count(0)
    expect(page.locator("[data-testid='stSidebarNav']")).to_have_count(0)
    page.goto(f"{url}/maps")  # a deep link shows the same login screen
    wait_ready(page)
    expect(page.locator("h1")).to_have_text("Envol")
    assert "Pégase" not in page.locator("[data-testid='stApp']").inner_text()
    assert all("127.0.0.1" not in u and "localhost" not in u for u in page.blocked)


@pytest.mark.browser
def test_a_viewer_sees_aggregates_and_no_firm(login_server, offline_page):
    url, _, _ = login_server
    page = offline_page
    login(page, url, "vera")
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.get_by_text(re.compile(r"vera@board\.example · lecteur"))).to_be_visible()
    assert "Déposer un fichier" not in nav(page)
    assert cluster_options(page) == ["ASTech", "Aerospace Valley", "Pégase"]
    values = page.locator("[data-testid='stMetricValue']")
    expect(values.filter(has_text="546").first).to_be_visible(timeout=TIMEOUT)
    page.goto(f"{url}/maps")
    wait_ready(page)
    expect(page.get_by_text("Le détail par entreprise n'est pas affiché pour votre rôle"
                            )).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("Circé Groupe")).to_have_count(0)
    page.goto(f"{url}/history")
    wait_ready(page)
    expect(page.get_by_role("button", name=re.compile("Télécharger"))).to_be_visible()  # sources
    page.locator("[data-testid='stMain'] [data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name=re.compile(r"\(members\)")).click()
    wait_ready(page)
    expect(page.get_by_text(re.compile("ne permet pas de télécharger le détail de members")
                            )).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("button", name=re.compile("Télécharger"))).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("Rétablir"))).to_have_count(0)


@pytest.mark.browser
def test_a_director_sees_the_firms_of_pegase_only(login_server, offline_page):
    url, _, _ = login_server
    page = offline_page
    login(page, url, "marie")
    expect(page.locator("[data-testid='stSidebar']").get_by_text(
        re.compile(r"marie@pole-pegase\.com · directeur.* · pegase"))).to_be_visible()
    assert "Déposer un fichier" not in nav(page)
    assert cluster_options(page) == ["Pégase"]
    values = page.locator("[data-testid='stMetricValue']")
    expect(values.filter(has_text="100").first).to_be_visible(timeout=TIMEOUT)
    text = page.locator("[data-testid='stMain']").inner_text()
    assert "Aerospace Valley" not in text and "546" not in text
    page.goto(f"{url}/maps")
    wait_ready(page)
    expect(page.get_by_text(re.compile("Entreprises du comptoir"))).to_be_visible(
        timeout=TIMEOUT)
    page.goto(f"{url}/history")
    wait_ready(page)
    page.locator("[data-testid='stMain'] [data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name=re.compile(r"\(members\)")).click()
    wait_ready(page)
    button = page.get_by_role("button", name=re.compile("Télécharger members"))
    expect(button).to_be_visible(timeout=TIMEOUT)
    rows = Path(download(page, button)).read_text(encoding="utf-8-sig").splitlines()[1:]
    assert len(rows) == 100 and all(r.startswith("pg-") for r in rows)
    expect(page.get_by_role("button", name=re.compile("Rétablir"))).to_have_count(0)
    # logging out goes through the provider's "End session" page, then the login screen
    page.locator("[data-testid='stSidebar']").get_by_role("button",
                                                          name="Se déconnecter").click()
    page.wait_for_url(re.compile(r"/oauth2/end_session"), timeout=TIMEOUT)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(re.compile(r"^http://localhost:\d+/"), timeout=TIMEOUT)
    wait_ready(page)
    expect(page.locator("h1")).to_have_text("Envol")
    expect(page.get_by_role("button", name="Se connecter · Log in")).to_be_visible()
    page.goto(f"{url}/maps")
    wait_ready(page)
    expect(page.locator("h1")).to_have_text("Envol")


@pytest.mark.browser
def test_an_analyst_commits_as_themselves_for_their_cluster_only(login_server, offline_page):
    url, lake, _ = login_server
    page = offline_page
    login(page, url, "ana")
    assert "Déposer un fichier" in nav(page)
    assert cluster_options(page) == ["Aerospace Valley"]
    page.goto(f"{url}/upload")
    wait_ready(page)
    page.get_by_text("Ajouter des lignes").click()
    wait_ready(page)
    page.locator("input[type='file']").set_input_files(
        files=[{"name": "vie.csv", "mimeType": "text/csv", "buffer": VIE_PEGASE}])
    problems = page.locator("td[role='gridcell']").filter(
        has_text=re.compile("^Ligne d'un pôle hors de vos droits : « pegase »"))
    expect(problems).to_have_count(1, timeout=TIMEOUT)
    page.locator("input[type='file']").set_input_files(
        files=[{"name": "vie.csv", "mimeType": "text/csv", "buffer": VIE_AV}])
    expect(page.get_by_text("Lignes lues : 1, aucun problème.")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("Enregistré au nom de ana@aerospace-valley.com")).to_be_visible()
    expect(page.get_by_label("Votre nom ou e-mail")).to_have_count(0)
    page.get_by_role("button", name="Enregistrer comme nouvelle version").click()
    expect(page.get_by_text("Enregistré : table vie_postings")).to_be_visible(timeout=TIMEOUT)
    # the history says who: the newest snapshot is the analyst's, with their identity
    page.goto(f"{url}/history")
    wait_ready(page)
    expect(page.get_by_test_id("glide-cell-2-0")).to_have_text("vie_postings", timeout=TIMEOUT)
    expect(page.get_by_test_id("glide-cell-4-0")).to_have_text("ana@aerospace-valley.com")
    expect(page.get_by_test_id("glide-cell-5-0")).to_have_text("vie.csv")
