"""The scenario page on the real server in Chromium: keys move a slider and the chart follows;
a saved scenario lands in the URL and a link reopens it; nothing is fetched from outside."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

TIMEOUT = 60_000  # the machine may be shared with other test runs
NNBSP = "\u202f"


def wait_ready(page):
    page.wait_for_selector("[data-testid='stApp']", timeout=TIMEOUT)
    page.wait_for_selector("h1", timeout=TIMEOUT)
    expect(page.locator("[data-testid='stStatusWidget']")).to_have_count(0, timeout=TIMEOUT)


def card(page, label: str):
    return page.locator("[data-testid='stMetric']").filter(has_text=label).locator(
        "[data-testid='stMetricValue']").first


def last_point_label(page) -> str:
    """The value written at the end of the trajectory, as drawn in the chart's SVG."""
    texts = page.locator(".js-plotly-plot").first.locator(".textpoint text")
    expect(texts.first).to_be_attached(timeout=TIMEOUT)
    return " ".join(t for t in texts.all_text_contents() if t.strip())


@pytest.mark.browser
def test_keying_a_slider_moves_the_trajectory(server, offline_page):
    page = offline_page
    page.goto(f"{server}/scenario")
    wait_ready(page)
    expect(page.locator("h1")).to_have_text("Simulateur de scénarios")
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    expect(card(page, "Emplois cumulés en 2020")).to_have_text(f"1{NNBSP}800", timeout=TIMEOUT)
    assert last_point_label(page) == f"1{NNBSP}800"

    # Streamlit 1.67's thumb is a visually hidden <input type="range">: ARIA role "slider".
    slider = page.locator(".st-key-scenario_firms_per_comptoir").get_by_role("slider")
    slider.focus()
    slider.press("ArrowRight")  # 4 → 5 firms: 5 × 5 × 10 × 9 = 2,250
    expect(card(page, "Emplois cumulés en 2020")).to_have_text(f"2{NNBSP}250", timeout=TIMEOUT)
    expect(page.locator(".js-plotly-plot").first.locator(".textpoint text")).to_have_text(
        f"2{NNBSP}250", timeout=TIMEOUT)
    slider.press("End")  # 40 firms: 5 × 40 × 10 × 9 = 18,000, reached in 2016 (cumulative ≥ 10k)
    expect(card(page, "Emplois cumulés en 2020")).to_have_text(f"18{NNBSP}000", timeout=TIMEOUT)
    expect(card(page, "Objectif atteint en")).to_have_text("2016", timeout=TIMEOUT)
    expect(page.locator(".js-plotly-plot").first.locator(".textpoint text")).to_have_text(
        f"18{NNBSP}000", timeout=TIMEOUT)
    expect(page.locator(".st-key-scenario_firms_per_comptoir_value input")).to_have_value("40")
    assert page.blocked == [], page.blocked


@pytest.mark.browser
def test_a_saved_scenario_is_in_the_link_and_the_link_reopens_it(server, offline_page):
    page = offline_page
    page.goto(f"{server}/scenario?lang=English")
    wait_ready(page)
    expect(page.locator("h1")).to_have_text("Scenario simulator", timeout=TIMEOUT)
    page.get_by_label("Scenario name").fill("Plan Circé & co")
    page.get_by_label("Scenario name").press("Enter")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Scenario “Plan Circé & co” saved.")).to_be_visible(timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(r"scenarios=Plan"), timeout=TIMEOUT)
    link = page.url
    assert "v1_b50000_c5_f4_g4_j10_r3_k2.5_h10_t10000_y2011" in link

    page.goto("about:blank")
    page.goto(link + "&scenarios=Broken~v1_b0")
    wait_ready(page)
    expect(page.get_by_text("Part of the link could not be read")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("stText").filter(has_text="Plan Circé & co")).to_be_visible(
        timeout=TIMEOUT)
    expect(page.locator(".js-plotly-plot")).to_have_count(3, timeout=TIMEOUT)
    # The comparison chart's legend shows the name as typed (entities decoded, no markup).
    expect(page.locator(".js-plotly-plot").nth(2).locator(".legendtext")).to_have_text(
        "Plan Circé & co", timeout=TIMEOUT)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    assert page.blocked == [], page.blocked
