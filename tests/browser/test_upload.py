"""Upload in the real server: a French Excel file dropped in Chromium ends on the overview."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_app import TIMEOUT, wait_ready

GOOD = ("identifiant;pôle;pays;ville;statut;ouverture;membres minimum du GIE;source\r\n"
        "pegase-ind;pegase;Inde;Bangalore;opérationnel;30/06/2012;4;S1\r\n").encode("cp1252")


@pytest.mark.browser
def test_upload_a_file_in_chromium_and_see_it_on_the_overview(server, offline_page):
    page = offline_page
    page.goto(f"{server}/upload")
    wait_ready(page)
    expect(page.locator("h1")).to_have_text("Déposer un fichier")
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
    page.goto(server)
    wait_ready(page)
    expect(page.get_by_text("sur 6")).to_be_visible(timeout=TIMEOUT)
    assert page.blocked == [], page.blocked
