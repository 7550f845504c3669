"""The board meeting page in Chromium: presentation mode hides the chrome, the arrow keys change
slide and the URL follows, nothing is fetched from outside."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_app import TIMEOUT, wait_ready


@pytest.mark.browser
def test_presentation_mode_with_the_keyboard(server, offline_page):
    page = offline_page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{server}/present?board_present=true&board_slide=2")
    wait_ready(page)
    expect(page.locator("h1")).to_have_text("Chiffres clés — Aerospace Valley", timeout=TIMEOUT)
    expect(page.locator("[data-testid='stSidebar']")).to_be_hidden()
    expect(page.locator("[data-testid='stHeader']")).to_be_hidden()
    value = page.locator("[data-testid='stMetricValue']").first
    expect(value).to_have_text("546")
    assert float(value.locator("p").evaluate("e => getComputedStyle(e).fontSize")[:-2]) >= 60
    page.locator("h1").click()  # the page has the keyboard focus
    page.keyboard.press("ArrowRight")
    expect(page.locator("h1")).to_have_text("Chiffres clés — ASTech", timeout=TIMEOUT)
    assert "board_slide=3" in page.url
    wait_ready(page)
    page.keyboard.press("ArrowLeft")
    expect(page.locator("h1")).to_have_text("Chiffres clés — Aerospace Valley", timeout=TIMEOUT)
    # The slide fits the screen: the footer line is above the fold.
    footer = page.locator(".st-key-board_footer").bounding_box()
    assert footer and footer["y"] + footer["height"] <= 1080
    assert page.blocked == [], page.blocked


@pytest.mark.browser
def test_map_and_charts_render_offline(server, offline_page):
    page = offline_page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{server}/present?board_present=true&board_slide=7&lang=English")
    wait_ready(page)
    expect(page.locator("h1")).to_have_text("Comptoirs abroad", timeout=TIMEOUT)
    # Country outlines come from app/static: the map draws land paths.
    expect(page.locator(".js-plotly-plot .geo .countries path").first).to_be_attached(
        timeout=TIMEOUT)
    assert page.locator(".js-plotly-plot .scattergeo text").count() >= 5
    assert page.blocked == [], page.blocked
