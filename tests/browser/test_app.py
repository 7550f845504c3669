"""The real server in Chromium: every page opens, no error, the overview shows the facts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

PAGES = ["overview", "maps", "funnels", "scenario", "upload", "history", "sources", "present"]
TIMEOUT = 30_000


def wait_ready(page):
    page.wait_for_selector("[data-testid='stApp']", timeout=TIMEOUT)
    expect(page.locator("[data-testid='stStatusWidget']")).to_have_count(0, timeout=TIMEOUT)
    page.wait_for_selector("h1", timeout=TIMEOUT)


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_every_page_opens_without_error(server, offline_page, path):
    offline_page.goto(f"{server}/{'' if path == 'overview' else path}")
    wait_ready(offline_page)
    expect(offline_page.locator("[data-testid='stException']")).to_have_count(0)
    expect(offline_page.get_by_text("Page not found")).to_have_count(0)
    expect(offline_page.locator("[data-testid='stAlertContentError']")).to_have_count(0)
    assert offline_page.blocked == [], offline_page.blocked


@pytest.mark.browser
def test_overview_shows_the_figures_of_the_sources(server, offline_page):
    page = offline_page
    page.goto(server)
    wait_ready(page)
    expect(page.locator("h1")).to_have_text("Vue d'ensemble")
    values = page.locator("[data-testid='stMetricValue']")
    for figure in ("546", "265", "120\u202f000", "10\u202f000", "65", "50 / 400", "30 jours"):
        expect(values.filter(has_text=figure).first).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text(re.compile("lignes illustratives"))).to_be_visible()
    # Switch to English: the same figures, English formats.
    page.get_by_text("English").click()
    expect(page.locator("h1")).to_have_text("Overview", timeout=TIMEOUT)
    wait_ready(page)
    values = page.locator("[data-testid='stMetricValue']")
    # The cards are redrawn one by one: wait for each English figure rather than reading once.
    for figure in ("120,000", "10,000"):
        expect(values.filter(has_text=figure).first).to_be_visible(timeout=TIMEOUT)
    assert page.blocked == [], page.blocked
