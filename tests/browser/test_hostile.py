"""Hostile input in the real server (issue 10 point 4): a corpus of values that HTML, Markdown,
plotly, a spreadsheet or SQL would run is uploaded in Chromium, then every page that shows it
is visited. No dialog fires, nothing from the data becomes an element, each value shows
verbatim, every CSV the app offers is formula-safe and the lake holds exactly what was sent."""

from __future__ import annotations

import csv
import http.client
import io
import os
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import expect

from envol import store
from envol.scenario import Levers, to_query_param
from envol.text import JOINER
from tests.browser.conftest import streamlit_server
from tests.browser.test_app import TIMEOUT, wait_ready
from tests.hostile import (
    CLUSTER_HEADER,
    CLUSTER_NAMES,
    CLUSTER_REGIONS,
    COMPTOIR_HEADER,
    CORPUS,
    cluster_rows,
    comptoir_rows,
    csv_text,
    formula_unsafe,
)

SHOTS = os.environ.get("ENVOL_SHOTS")  # a folder: screenshots of the hostile pages go there
AUTHOR = "<img src=x onerror=alert(1)> **ana** :red[x]"
NOTE = "[x](javascript:alert(1)) $x$ '; DROP TABLE members; --"
FILE_NAME = "<img src=x onerror=alert(1)> $x$.csv"

# Elements that data text would create if it were run as HTML or Markdown anywhere.
INJECTED = """() => {
  const bad = [];
  for (const e of document.querySelectorAll('img[src="x"], [onerror], a[href^="javascript"],'
       + ' .katex, .stMarkdownColoredText')) bad.push(e.outerHTML.slice(0, 120));
  for (const e of document.querySelectorAll('script')) {
    if (e.textContent.includes('alert(')) bad.push(e.outerHTML.slice(0, 120));
  }
  for (const e of document.querySelectorAll('strong, b, h1, h2, h3, li')) {
    const t = e.textContent.trim();
    if (['bold', 'b', 'titre', 'liste'].includes(t)) bad.push(e.outerHTML.slice(0, 120));
  }
  for (const e of document.querySelectorAll('[aria-label="home icon"]')) bad.push(e.outerHTML);
  return bad;
}"""


# A heading whose text, as the user reads it, is exactly `want`.
HEADING = """(want) => [...document.querySelectorAll('h3')].some(
  (h) => h.textContent.replaceAll('\\u2060', '') === want)"""


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def settled(page) -> None:
    """The page has run to its end: no placeholder left, nothing running."""
    wait_ready(page)
    expect(page.locator("[data-testid='stSkeleton']")).to_have_count(0, timeout=TIMEOUT)
    page.wait_for_timeout(300)
    wait_ready(page)


def no_injection(page) -> None:
    assert page.evaluate(INJECTED) == []


def body_text(page) -> str:
    """The page's text as the user reads it (without the invisible word joiners that keep
    Streamlit from turning `--` into `—`, see `envol.text`)."""
    return page.locator("[data-testid='stMain']").inner_text().replace(JOINER, "")


def upload(page, url: str, name: str, data: bytes, *, append: bool, rows: int) -> None:
    page.goto(f"{url}/upload")
    wait_ready(page)
    if append:
        page.get_by_text("Ajouter des lignes").click()
        wait_ready(page)
    page.locator("input[type='file']").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    expect(page.get_by_text(f"Lignes lues : {rows}, aucun problème.")).to_be_visible(
        timeout=TIMEOUT)
    author = page.get_by_label("Votre nom ou e-mail")
    author.fill(AUTHOR)
    author.press("Enter")
    note = page.get_by_label("Note (ce qui change et pourquoi)")
    note.fill(NOTE)
    note.press("Enter")
    wait_ready(page)
    no_injection(page)
    page.get_by_role("button", name="Enregistrer comme nouvelle version").click()
    expect(page.get_by_text("Enregistré : table")).to_be_visible(timeout=TIMEOUT)


def download(page, button: str, file_name: str | None = None) -> bytes:
    with page.expect_download(timeout=TIMEOUT) as info:
        page.get_by_role("button", name=button).click()
    if file_name is not None:
        assert info.value.suggested_filename == file_name
    return Path(info.value.path()).read_bytes()


def cells(data: bytes, sep: str = ";") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=sep))


def assert_formula_safe(data: bytes, sep: str = ";") -> list[list[str]]:
    rows = cells(data, sep)
    unsafe = [c for r in rows for c in r if formula_unsafe(c)]
    assert unsafe == []
    return rows


@pytest.mark.browser
def test_hostile_corpus_is_shown_as_text_and_stored_verbatim(tmp_path, offline_page):
    page = offline_page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    lake = tmp_path / "lake"
    comptoirs = csv_text(COMPTOIR_HEADER, comptoir_rows())
    clusters = csv_text(CLUSTER_HEADER, cluster_rows())
    with streamlit_server(lake, tmp_path / "server.log") as url:
        upload(page, url, FILE_NAME, comptoirs, append=True, rows=len(CORPUS))
        upload(page, url, "clusters.csv", clusters, append=False, rows=3)

        # Overview: cluster names and regions in the subheaders and the chart's labels.
        page.goto(url)
        wait_ready(page)
        expect(page.locator("[data-testid='stPlotlyChart']").first).to_be_visible(
            timeout=TIMEOUT)
        text = body_text(page)
        for cid, name in CLUSTER_NAMES.items():
            assert f"{name} · {CLUSTER_REGIONS[cid]}" in text
        ticks = page.locator(".js-plotly-plot .ytick text").all_text_contents()
        assert sorted(ticks) == sorted(CLUSTER_NAMES.values())
        no_injection(page)
        shot(page, "overview")

        # Maps: each hostile comptoir picked in the list; its label and detail verbatim.
        page.goto(f"{url}/maps")
        wait_ready(page)
        expect(page.locator("[data-testid='stPlotlyChart']").first).to_be_visible(
            timeout=TIMEOUT)
        no_injection(page)
        shot(page, "maps")
        # The map's point labels (plotly SVG text): each city verbatim.
        page.wait_for_function("""() => [...document.querySelectorAll('.js-plotly-plot text')]
            .some((t) => t.textContent.startsWith('Casablanca ('))""", timeout=TIMEOUT)
        labels = page.locator(".js-plotly-plot text").all_text_contents()
        for value in CORPUS:
            assert any(t.startswith(f"{value} (") for t in labels), (value, labels)
        for value in CORPUS:
            label = f"{value}, Maroc · en ouverture"
            page.locator(".st-key-maps_comptoir input").click()
            page.keyboard.insert_text(label)  # the list is virtual: filter it first
            page.get_by_role("option", name=label, exact=True).click()
            wait_ready(page)
            page.wait_for_function(HEADING, arg=f"Entreprises du comptoir de {value}",
                                   timeout=TIMEOUT)
            no_injection(page)
        shot(page, "maps-detail")

        for path, last in (("funnels", "Portage (Pacte PME)"),
                           ("scenario", "Scénarios enregistrés"),
                           ("sources", "Dictionnaire"), ("history", "Rétablir")):
            page.goto(f"{url}/{path}")
            settled(page)
            expect(page.get_by_text(last).first).to_be_visible(timeout=TIMEOUT)
            no_injection(page)
            shot(page, path)

        # History: the snapshot as CSV, formula-safe; each value back after the apostrophe.
        page.goto(f"{url}/history")
        wait_ready(page)
        page.get_by_label("Table").first.click()
        page.get_by_role("option", name="(comptoirs)", exact=False).click()
        wait_ready(page)
        exported = download(page, "Télécharger comptoirs")
        rows = assert_formula_safe(exported)
        city = rows[0].index("city")
        shown = {r[0]: r[city] for r in rows[1:]}
        for i, value in enumerate(CORPUS):
            assert shown[f"h{i:02d}"] == ("'" + value if formula_unsafe(value) else value)

        # Presentation: every slide; the cluster names in the slide titles, verbatim.
        titles, n, total = [], 1, 1
        while n <= total:
            page.goto(f"{url}/present?board_present=true&board_slide={n}")
            wait_ready(page)
            footer = page.locator(".st-key-board_footer")
            expect(footer).to_contain_text(f"{n} / ", timeout=TIMEOUT)
            total = int(footer.inner_text().rsplit("/", 1)[1])
            no_injection(page)
            titles.append(page.locator("h1").last.inner_text().replace(JOINER, ""))
            if n in (1, 2, 5, 6):
                shot(page, f"present-{n}")
            n += 1
        for name in CLUSTER_NAMES.values():
            assert f"Chiffres clés — {name}" in titles

        # Templates and the scenario comparison as CSV.
        page.goto(f"{url}/sources")
        wait_ready(page)
        assert_formula_safe(download(page, "Modèle CSV"))
        levers = to_query_param(Levers())
        names = ["=1+1", "@SUM(A1)", "<img src=x onerror=alert(1)>"]
        query = "&".join(f"scenarios={quote(n + '~' + levers)}" for n in names)
        page.goto(f"{url}/scenario?{query}")
        settled(page)
        expect(page.locator("[data-testid='stMain']")).to_contain_text(
            "Télécharger les scénarios", timeout=TIMEOUT)
        no_injection(page)
        for name in names:
            assert name in body_text(page)
        scen = assert_formula_safe(download(page, "Télécharger les scénarios"), sep=",")
        assert {"'=1+1", "'@SUM(A1)", "<img src=x onerror=alert(1)>"} <= {c for r in scen
                                                                           for c in r}

        # A refused file: the problem list shows and downloads the values as text.
        page.goto(f"{url}/upload")
        wait_ready(page)
        bad = csv_text(COMPTOIR_HEADER, [["h99", "pegase", "=1+1", "@SUM(A1)", "+1", "-1+1",
                                          "S1"]])
        page.locator("input[type='file']").set_input_files(
            files=[{"name": "../../etc/passwd.csv", "mimeType": "text/csv", "buffer": bad}])
        expect(page.get_by_text("problème(s) à corriger")).to_be_visible(timeout=TIMEOUT)
        no_injection(page)
        # The upload's name is metadata: its last part only, in the download's name too.
        problems = assert_formula_safe(download(page, "Télécharger la liste",
                                                "problemes_passwd.csv"))
        assert "'=1+1" in {c for r in problems for c in r}
        assert dialogs == []
        assert page.blocked == [], page.blocked
    log = (tmp_path / "server.log").read_text()
    assert "Traceback" not in log, log

    # The lake holds exactly what was uploaded: same characters, same bytes.
    con = store.open_lake(store.LakeConfig.from_env({"ENVOL_LAKE_DIR": str(lake)}),
                          seed_dir=None)
    try:
        version = store.current_version(con)
        stored = {r["comptoir_id"]: r for r in store.read_table(con, "comptoirs",
                                                                version).to_pylist()}
        for i, value in enumerate(CORPUS):
            row = stored[f"h{i:02d}"]
            assert row["city"].encode() == value.encode()
            assert row["local_principals"].encode() == value.encode()
        names = {r["cluster_id"]: (r["name"], r["region"]) for r in store.read_table(
            con, "clusters", version).to_pylist()}
        assert names == {cid: (CLUSTER_NAMES[cid], CLUSTER_REGIONS[cid]) for cid in CLUSTER_NAMES}
        members = store.read_table(con, "members", version).num_rows
        assert members == 646  # `'; DROP TABLE members; --` dropped nothing
    finally:
        con.close()


def _request(url: str, method: str, path: str, headers: dict[str, str], body: bytes | None = None):
    host, port = urlsplit(url).hostname, urlsplit(url).port
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        return r.status, r.getheader("Access-Control-Allow-Origin"), r.read()
    finally:
        conn.close()


WS = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
      "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Protocol": "streamlit"}


@pytest.mark.browser
def test_the_server_refuses_other_origins_and_uploads_without_an_xsrf_token(server):
    evil = {"Origin": "http://evil.example"}
    # No cross-origin read: no Access-Control-Allow-Origin header for another site.
    assert _request(server, "GET", "/_stcore/health", evil)[:2] == (200, None)
    assert _request(server, "OPTIONS", "/_stcore/health",
                    {**evil, "Access-Control-Request-Method": "GET"})[1] is None
    # The app's websocket: refused from another site, accepted from the app's own address.
    assert _request(server, "GET", "/_stcore/stream", {**evil, **WS})[0] == 403
    assert _request(server, "GET", "/_stcore/stream", {"Origin": server, **WS})[0] == 101
    # An upload without the XSRF token is refused, whatever its origin.
    for origin in (evil, {"Origin": server}):
        status, _, body = _request(server, "PUT", "/_stcore/upload_file/s/f", origin, b"x")
        assert (status, body) == (403, b"XSRF token missing or invalid")
