"""The funnels page in Chromium: opens with no error and no outside request, figures drawn."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

TIMEOUT = 30_000


@pytest.mark.browser
def test_funnels_page_opens_offline_with_its_figures(server, offline_page):
    page = offline_page
    page.goto(f"{server}/funnels")
    page.wait_for_selector("[data-testid='stApp']", timeout=TIMEOUT)
    expect(page.locator("h1")).to_have_text("Entonnoirs : de l'intérêt à l'export",
                                            timeout=TIMEOUT)
    expect(page.locator("[data-testid='stStatusWidget']")).to_have_count(0, timeout=TIMEOUT)
    expect(page.locator(".js-plotly-plot")).to_have_count(4, timeout=TIMEOUT)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    expect(page.locator("[data-testid='stAlertContentError']")).to_have_count(0)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    metrics = " ".join(page.locator("[data-testid='stMetricValue']").all_inner_texts())
    for figure in ("400", "50 / 400", "350 / 400", "65", "30 jours"):
        assert figure in metrics, figure
    # The denominators are drawn on the chart (plotly's SVG text).
    svg = " ".join(page.locator(".js-plotly-plot text").all_text_contents())
    assert "20 / 100 (20\u00a0%)" in svg and "0 / 265 (0\u00a0%)" in svg
    assert page.blocked == [], page.blocked
